# Copyright 2026 erp_key_user contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Access tokens (issue #19): the mail routes honour no token, signed hash or
partner id on incidents and guides, and none is issued. Real HTTP requests by
a portal user of another company and by an anonymous visitor."""

import uuid

from odoo.tests import HttpCase, tagged
from odoo.tests.common import JsonRpcException
from odoo.tools import mute_logger

from .common import ErpKeyUserCase

SECRET = "IBAN SE35 5000 0000 0549 1000 0003"


@tagged("post_install", "-at_install")
class TestAccessTokens(ErpKeyUserCase, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # tokens planted on company B's records, as a share link, an older
        # version or a notification e-mail could have left them
        cls.records_b = (cls.incident_b, cls.guide_published_b)
        for record in cls.records_b:
            record.access_token = str(uuid.uuid4())
            record.message_post(
                body=f"Pay the supplier on {SECRET}",
                message_type="comment",
                subtype_xmlid="mail.mt_comment",
            )

    def _jsonrpc(self, route, params):
        self.env.flush_all()
        try:
            return self.make_jsonrpc_request(route, params)
        finally:
            self.env.invalidate_all()

    def _access_params(self, record):
        """Every way a URL may carry access: the token, and the signed
        hash of a partner id that notification e-mails carry."""
        pid = self.portal_b.partner_id.id
        return (
            {"token": record.access_token},
            {"hash": record._sign_token(pid), "pid": pid},
        )

    def _attackers(self):
        yield "portal user of company A", ("portal_a", "portal_a")
        yield "anonymous visitor", (None, None)

    @mute_logger("odoo.http")
    def test_tokens_do_not_open_the_chatter(self):
        for who, credentials in self._attackers():
            self.authenticate(*credentials)
            for record in self.records_b:
                for access in self._access_params(record):
                    thread = {"thread_model": record._name, "thread_id": record.id}
                    with self.subTest(who=who, model=record._name, access=list(access)):
                        try:
                            fetched = self._jsonrpc(
                                "/mail/chatter_fetch", dict(thread, **access)
                            )
                        except JsonRpcException:
                            fetched = {}
                        self.assertNotIn(SECRET, str(fetched))
                        init = self._jsonrpc(
                            "/portal/chatter_init", dict(thread, **access)
                        )
                        threads = init.get(record._name, [])
                        self.assertFalse(
                            [t for t in threads if t.get("id") == record.id], init
                        )

    @mute_logger("odoo.http")
    def test_tokens_do_not_let_anybody_post(self):
        for who, credentials in self._attackers():
            self.authenticate(*credentials)
            for record in self.records_b:
                before = record.message_ids
                for access in self._access_params(record):
                    with self.subTest(who=who, model=record._name, access=list(access)):
                        with self.assertRaises(JsonRpcException):
                            self._jsonrpc(
                                "/mail/message/post",
                                {
                                    "thread_model": record._name,
                                    "thread_id": record.id,
                                    "post_data": {
                                        "body": "Pay the invoice at evil.example",
                                        "message_type": "comment",
                                        "subtype_xmlid": "mail.mt_comment",
                                    },
                                    **access,
                                },
                            )
                self.assertEqual(record.message_ids, before, who)

    def test_backend_thread_route_shows_nothing_of_another_company(self):
        self.authenticate("portal_a", "portal_a")
        for record in self.records_b:
            messages = self._jsonrpc(
                "/mail/thread/messages",
                {"thread_model": record._name, "thread_id": record.id},
            )
            self.assertNotIn(SECRET, str(messages))

    def test_readers_keep_the_chatter_without_token(self):
        self.authenticate("portal_b", "portal_b")
        for record in self.records_b:
            fetched = self._jsonrpc(
                "/mail/chatter_fetch",
                {"thread_model": record._name, "thread_id": record.id},
            )
            self.assertIn(SECRET, str(fetched))

    def test_no_token_is_issued(self):
        for record in (self.incident_a, self.guide_published_a):
            self.assertFalse(record._portal_ensure_token())
            self.assertFalse(record.access_token)
            self.assertNotIn("access_token=", record._get_share_url())
            share_url = record._get_share_url(pid=self.portal_a.partner_id.id)
            self.assertNotIn("hash=", share_url)
            self.assertNotIn("access_token=", share_url)
            self.assertFalse(record.access_token)
