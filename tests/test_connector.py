# Copyright 2026 erp_key_user contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The connector (DESIGN §15) against a real supplier's platform: a second
Odoo server on its own database (tests/platform_server.py, started once per
session by tests/conftest.py; its hosted setup is tools/setup_platform.py).

Company A's production instance is connected to the platform with the API
key of the portal key user of "Connector Customer"; the tests escalate as
company A's key user, act on the platform as its support agent (JSON-2 with
the agent's key) and run the sync cron. Each test prints what it saw."""

import base64
from datetime import timedelta

import pytest

from odoo import fields
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import ErpKeyUserCase

CONNECTOR_LOGGER = "odoo.addons.erp_key_user.models.erp_incident_connector_mixin"


@pytest.mark.usefixtures("supplier_platform_class")
@tagged("post_install", "-at_install")
class TestConnector(ErpKeyUserCase):
    def setUp(self):
        super().setUp()
        self.state = self.platform.state
        self.env["ir.config_parameter"].set_param("erp_key_user.supplier_timeout", 3)
        self._connect(self.state["key"])
        # a new incident in each test: its external ID is its own (the
        # platform keeps what every test sent)
        self.incident = self._create_incident(
            self.key_user_a,
            kind="incident",
            title="Invoice validation fails with a tax error",
        )
        self.incident.action_start()

    # ------------------------------------------------------------------
    # helpers
    # ------------------------------------------------------------------

    def _connect(self, key, instance_ref=None, url=None):
        self.production_a.with_user(self.manager_a).write(
            {
                "supplier_url": url or self.platform.url,
                "supplier_db": self.platform.database,
                "supplier_api_key_new": key,
                "supplier_instance_ref": instance_ref or self.state["instance_id"],
            }
        )

    def _agent(self, model, method, ids=None, **kwargs):
        status, body = self.platform.call(
            self.state["agent_key"], model, method, ids=ids, **kwargs
        )
        self.assertEqual(status, 200, body)
        return body

    def _remote_requests(self, uid, key=None):
        """The platform's requests with external ID ``uid`` that ``key`` (the
        agent's by default) reads."""
        status, body = self.platform.call(
            key or self.state["agent_key"],
            "erp.incident",
            "search_read",
            domain=[("external_uid", "=", uid)],
            fields=["name", "state", "title", "partner_id", "area_id"],
        )
        self.assertEqual(status, 200, body)
        return body

    def _remote_messages(self, remote_id):
        return self._agent(
            "mail.message",
            "search_read",
            domain=[("model", "=", "erp.incident"), ("res_id", "=", remote_id)],
            fields=["body", "subtype_id", "author_id", "message_type"],
            order="id",
        )

    def _escalate_now(self):
        self._escalate(self.incident, self.key_user_a)
        return self.incident.with_env(self.env)

    def _sync(self):
        self.env["erp.incident"]._cron_sync_supplier()

    def _make_due(self, incident):
        # the retry is due now (its delay grows from 5 minutes)
        incident.sudo().supplier_next_attempt = fields.Datetime.now() - timedelta(
            seconds=1
        )

    def _incoming(self, incident):
        return incident.message_ids.filtered(
            lambda m: not m.author_id and m.message_type == "comment"
        )

    # ------------------------------------------------------------------
    # connection
    # ------------------------------------------------------------------

    def test_test_connection_lists_the_instances_the_key_sees(self):
        action = self.production_a.with_user(
            self.manager_a
        ).action_test_supplier_connection()
        wizard = self.env[action["res_model"]].browse(action["res_id"])
        seen = {line.remote_id: line.name for line in wizard.line_ids}
        self.platform.report(
            f"connection: the customer's key sees {sorted(seen.values())}"
        )
        self.assertEqual(
            set(seen), {self.state["instance_id"], self.state["staging_id"]}
        )
        self.assertNotIn(self.state["other_instance_id"], seen)
        self.assertEqual(wizard.choice_id.remote_id, self.state["instance_id"])
        wizard.choice_id = wizard.line_ids.filtered(
            lambda line: line.remote_id == self.state["staging_id"]
        )
        wizard.with_user(self.manager_a).action_choose()
        self.assertEqual(
            self.production_a.supplier_instance_ref, self.state["staging_id"]
        )
        self.assertEqual(
            self.production_a.supplier_instance_name, "Connector Customer staging"
        )

        # another customer's key sees its own instances, never this customer's
        self._connect(self.state["other_key"])
        action = self.production_a.with_user(
            self.manager_a
        ).action_test_supplier_connection()
        other_seen = self.env[action["res_model"]].browse(action["res_id"]).line_ids
        self.platform.report(
            f"connection: the other customer's key sees {other_seen.mapped('name')}"
        )
        self.assertNotIn(self.state["instance_id"], other_seen.mapped("remote_id"))
        self.assertIn(self.state["other_instance_id"], other_seen.mapped("remote_id"))

    def test_test_connection_says_what_is_wrong(self):
        instance = self.production_a.with_user(self.manager_a)
        cases = [
            ({"supplier_db": "no_such_database"}, "has no database no_such_database"),
            (
                {"supplier_api_key_new": self.state["revoked_key"]},
                "refused the API key",
            ),
            ({"supplier_url": "http://127.0.0.1:9"}, "cannot be reached"),
        ]
        for values, expected in cases:
            self._connect(self.state["key"])
            instance.write(values)
            with self.assertRaises(UserError) as caught:
                instance.action_test_supplier_connection()
            self.platform.report(
                f"test connection with {sorted(values)}: {caught.exception.args[0]}"
            )
            self.assertIn(expected, caught.exception.args[0])
        with self.assertRaisesRegex(ValidationError, "must start with https://"):
            instance.write({"supplier_url": "http://support.supplier.example.com"})
        instance.write({"supplier_url": "https://support.supplier.example.com/"})

    def test_only_managers_hold_the_key(self):
        instance = self.production_a
        self.assertTrue(
            instance.with_user(self.manager_a).supplier_api_key_hint.endswith(
                self.state["key"][-4:]
            )
        )
        self.assertEqual(
            len(instance.with_user(self.manager_a).supplier_api_key_hint), 5
        )
        self.assertFalse(instance.with_user(self.manager_a).supplier_api_key_new)
        for user in (self.key_user_a, self.consultation_a):
            with self.assertRaises(AccessError):
                instance.with_user(user).read(["supplier_api_key"])
            with self.assertRaises(AccessError):
                instance.with_user(user).action_test_supplier_connection()
            self.assertTrue(instance.with_user(user).supplier_connected)
        # the connector's fields on incidents are the connector's
        for values in ({"supplier_remote_id": 42}, {"supplier_send_state": "sent"}):
            with self.assertRaisesRegex(UserError, "cannot be set by hand"):
                self.incident.write(values)
        copy = instance.copy({"name": "Production A (copy)"})
        self.assertFalse(copy.supplier_api_key)
        self.assertFalse(copy.supplier_connected)
        # not offered by the export dialog, even to managers
        described = instance.with_user(self.manager_a).fields_get(
            ["supplier_api_key", "supplier_api_key_new"], ["exportable"]
        )
        self.assertFalse(described["supplier_api_key"]["exportable"])
        self.assertFalse(described["supplier_api_key_new"]["exportable"])

    # ------------------------------------------------------------------
    # escalation
    # ------------------------------------------------------------------

    def test_escalation_creates_the_request_on_the_platform_once(self):
        self.env["ir.attachment"].create(
            {
                "name": "screenshot.png",
                "datas": base64.b64encode(b"\x89PNG fake screenshot"),
                "res_model": "erp.incident",
                "res_id": self.incident.id,
                "mimetype": "image/png",
            }
        )
        incident = self._escalate_now()
        self.platform.report(
            f"escalation: {incident.name} is {incident.state}, "
            f"{incident.supplier_send_state}, on the platform as "
            f"{incident.supplier_reference} (external ID {incident.external_uid})"
        )
        self.assertEqual(incident.state, "escalated")
        self.assertEqual(incident.supplier_send_state, "sent")
        remote = self._remote_requests(incident.external_uid)
        self.assertEqual(len(remote), 1)
        self.assertEqual(remote[0]["name"], incident.supplier_reference)
        self.assertEqual(remote[0]["id"], incident.supplier_remote_id)
        self.assertEqual(remote[0]["state"], "escalated")
        self.assertEqual(remote[0]["title"], incident.title)
        self.assertEqual(remote[0]["partner_id"][0], self.state["customer_id"])
        files = self._agent(
            "ir.attachment",
            "search_read",
            domain=[
                ("res_model", "=", "erp.incident"),
                ("res_id", "=", remote[0]["id"]),
            ],
            fields=["name"],
        )
        self.assertEqual([f["name"] for f in files], ["screenshot.png"])
        # no e-mail to the desk: the platform is the channel
        self.assertFalse(
            self.env["mail.mail"].search(
                [
                    ("model", "=", "erp.incident"),
                    ("res_id", "=", incident.id),
                    ("recipient_ids", "in", self.supplier.ids),
                ]
            )
        )

        # a retry (e.g. the answer was lost) finds the same request
        incident.sudo()._queue_supplier_request()
        incident.sudo()._send_supplier_requests()
        self.platform.report(
            f"idempotent retry: {incident.supplier_reference}, "
            f"{len(self._remote_requests(incident.external_uid))} request on the "
            "platform"
        )
        self.assertEqual(incident.supplier_send_state, "sent")
        self.assertEqual(incident.supplier_remote_id, remote[0]["id"])
        self.assertEqual(len(self._remote_requests(incident.external_uid)), 1)

    def test_without_connection_the_mail_is_sent(self):
        self.production_a.with_user(self.manager_a).supplier_url = False
        incident = self._escalate_now()
        self.assertEqual(incident.state, "escalated")
        self.assertFalse(incident.supplier_send_state)
        self.assertTrue(
            incident.message_ids.filtered(lambda m: self.supplier in m.partner_ids)
        )

    # ------------------------------------------------------------------
    # sync
    # ------------------------------------------------------------------

    def test_replies_and_states_come_back_once_and_comments_go(self):
        incident = self._escalate_now()
        remote_id = incident.supplier_remote_id
        self._agent(
            "erp.incident",
            "message_post",
            ids=[remote_id],
            body="Which tax is on the invoice line?",
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
        )
        self._agent(
            "erp.incident",
            "message_post",
            ids=[remote_id],
            body="Internal: probably the fiscal position again",
            message_type="comment",
            subtype_xmlid="mail.mt_note",
        )
        self._agent("erp.incident", "action_set_waiting", ids=[remote_id])
        self._sync()
        incoming = self._incoming(incident)
        self.platform.report(
            f"sync 1: {incident.state}, incoming {incoming.mapped('email_from')}: "
            f"{[m.body for m in incoming]}"
        )
        self.assertEqual(incident.state, "waiting_info")
        self.assertEqual(len(incoming), 1)
        self.assertIn("Which tax is on the invoice line?", incoming.body)
        self.assertIn(self.state["agent_name"], incoming.email_from)
        self.assertNotIn("fiscal position", str(incident.message_ids.mapped("body")))
        self._sync()
        self.assertEqual(len(self._incoming(incident)), 1, "a reply comes back once")

        # the key user answers ("Send message"); a log note and a colleague's
        # comment stay here
        incident.with_user(self.key_user_a).message_post(
            body="The tax is 21% VAT, on every line.",
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
        )
        incident.with_user(self.key_user_a).message_post(
            body="Note to self: check with accounting",
            message_type="comment",
            subtype_xmlid="mail.mt_note",
        )
        incident.with_user(self.consultation_a).message_post(
            body="Same problem here since Monday",
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
        )
        self._sync()
        self._sync()
        remote_bodies = [m["body"] for m in self._remote_messages(remote_id)]
        sent = [b for b in remote_bodies if "21% VAT" in b]
        self.platform.report(f"comments to the platform: {sent}")
        self.assertEqual(len(sent), 1, "the key user's comment arrives once")
        self.assertFalse([b for b in remote_bodies if "Note to self" in b])
        self.assertFalse([b for b in remote_bodies if "Same problem" in b])

        # the agent takes it back and resolves it
        self._agent("erp.incident", "action_resume", ids=[remote_id])
        self._agent(
            "erp.incident",
            "write",
            ids=[remote_id],
            vals={"resolution": "<p>The fiscal position mapped the tax: fixed.</p>"},
        )
        self._agent("erp.incident", "action_resolve", ids=[remote_id])
        self._sync()
        self.platform.report(
            f"sync resolved: {incident.state}, level {incident.resolution_level}, "
            f"resolution {incident.resolution}"
        )
        self.assertEqual(incident.state, "resolved")
        self.assertEqual(incident.resolution_level, "supplier")
        self.assertIn("fiscal position mapped the tax", str(incident.resolution))
        self.assertEqual(len(self._incoming(incident)), 1)

    def test_a_refused_comment_does_not_stop_the_sync(self):
        incident = self._escalate_now()
        remote_id = incident.supplier_remote_id
        # the supplier resolves it while the key user writes a comment
        self._agent(
            "erp.incident",
            "write",
            ids=[remote_id],
            vals={"resolution": "<p>Fixed in the tax mapping.</p>"},
        )
        self._agent("erp.incident", "action_resolve", ids=[remote_id])
        incident.with_user(self.key_user_a).message_post(
            body="It also fails on credit notes.",
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
        )
        self._sync()
        notes = incident.message_ids.filtered(
            lambda m: "did not reach the supplier" in str(m.body)
        )
        self.platform.report(
            f"refused comment: {incident.state}, note {notes.mapped('body')}"
        )
        self.assertEqual(incident.state, "resolved")
        self.assertEqual(len(notes), 1)
        self.assertIn("no longer open", str(notes.body))
        self._sync()
        self.assertEqual(
            len(
                incident.message_ids.filtered(
                    lambda m: "did not reach the supplier" in str(m.body)
                )
            ),
            1,
        )

    # ------------------------------------------------------------------
    # failures
    # ------------------------------------------------------------------

    @mute_logger(CONNECTOR_LOGGER)
    def test_platform_down_and_back_sends_the_request_once(self):
        self.platform.stop()
        try:
            incident = self._escalate_now()
            self.platform.report(
                f"platform down: {incident.state}, {incident.supplier_send_state}: "
                f"{incident.supplier_send_error}"
            )
            self.assertEqual(incident.state, "escalated")
            self.assertEqual(incident.supplier_send_state, "waiting")
            self.assertIn("cannot be reached", incident.supplier_send_error)
            self.assertGreater(incident.supplier_next_attempt, fields.Datetime.now())
            self._sync()  # not due yet: nothing happens
            self.assertEqual(incident.supplier_send_attempts, 1)
        finally:
            self.platform.start()
        self._sync()
        self.assertEqual(incident.supplier_send_state, "waiting", "retried when due")
        self._make_due(incident)
        self._sync()
        self._sync()
        remote = self._remote_requests(incident.external_uid)
        self.platform.report(
            f"platform back: {incident.supplier_send_state} as "
            f"{incident.supplier_reference}, {len(remote)} request on the platform"
        )
        self.assertEqual(incident.supplier_send_state, "sent")
        self.assertEqual(len(remote), 1)
        self.assertEqual(remote[0]["name"], incident.supplier_reference)

    @mute_logger(CONNECTOR_LOGGER)
    def test_timeout_then_retry_finds_the_request(self):
        self.env["ir.config_parameter"].set_param("erp_key_user.supplier_timeout", 1)
        # the platform takes the connection but does not answer in time; it
        # may still create the request once it runs again
        self.platform.pause()
        try:
            incident = self._escalate_now()
        finally:
            self.platform.resume()
        self.platform.report(
            f"timeout: {incident.supplier_send_state}: {incident.supplier_send_error}"
        )
        self.assertEqual(incident.supplier_send_state, "waiting")
        self.assertIn("did not answer in time", incident.supplier_send_error)
        self.env["ir.config_parameter"].set_param("erp_key_user.supplier_timeout", 10)
        self._make_due(incident)
        self._sync()
        remote = self._remote_requests(incident.external_uid)
        self.platform.report(
            f"after the timeout: {incident.supplier_reference}, {len(remote)} request"
        )
        self.assertEqual(incident.supplier_send_state, "sent")
        self.assertEqual(len(remote), 1)

    @mute_logger(CONNECTOR_LOGGER)
    def test_revoked_key_waits_and_tells_the_manager_once(self):
        self.env["ir.config_parameter"].set_param(
            "erp_key_user.supplier_max_attempts", 3
        )
        self._connect(self.state["revoked_key"])
        incident = self._escalate_now()
        self.platform.report(
            f"revoked key: {incident.supplier_send_state}: "
            f"{incident.supplier_send_error}"
        )
        self.assertEqual(incident.state, "escalated")
        self.assertEqual(incident.supplier_send_state, "waiting")
        self.assertIn("refused the API key", incident.supplier_send_error)
        delays = []
        for _attempt in range(4):
            self._make_due(incident)
            before = fields.Datetime.now()
            self._sync()
            delays.append(
                round((incident.supplier_next_attempt - before).total_seconds() / 60)
            )
        activities = incident.activity_ids.filtered(
            lambda a: a.user_id == self.manager_a
        )
        self.platform.report(
            f"revoked key: {incident.supplier_send_attempts} attempts, retry delays "
            f"{delays} min, {len(activities)} activity for the manager: "
            f"{activities.summary}"
        )
        self.assertEqual(incident.supplier_send_attempts, 5)
        self.assertEqual(delays, [10, 20, 40, 80])
        self.assertEqual(len(activities), 1)
        # a new key: the waiting request arrives
        self._connect(self.state["key"])
        self._make_due(incident)
        self._sync()
        self.assertEqual(incident.supplier_send_state, "sent")
        self.assertEqual(len(self._remote_requests(incident.external_uid)), 1)

    @mute_logger(CONNECTOR_LOGGER)
    def test_another_customers_key_does_not_reach_this_customer(self):
        # the other customer's key with this customer's instance chosen
        self._connect(self.state["other_key"])
        incident = self._escalate_now()
        self.platform.report(
            f"other customer's key: {incident.supplier_send_state}: "
            f"{incident.supplier_send_error}"
        )
        self.assertEqual(incident.supplier_send_state, "waiting")
        self.assertIn("ERP instance", incident.supplier_send_error)
        self.assertFalse(self._remote_requests(incident.external_uid))
        # this customer's request, sent with its key, stays invisible to the
        # other customer's key, however it asks
        self._connect(self.state["key"])
        self._make_due(incident)
        self._sync()
        self.assertEqual(incident.supplier_send_state, "sent")
        other_key = self.state["other_key"]
        self.assertFalse(self._remote_requests(incident.external_uid, key=other_key))
        status, updates = self.platform.call(
            other_key,
            "erp.incident",
            "get_support_updates",
            since=0,
            external_uids=[incident.external_uid],
        )
        self.platform.report(
            f"other customer's key asks for the updates: {status} {updates}"
        )
        self.assertEqual((status, updates["requests"]), (200, []))
        status, body = self.platform.call(
            other_key,
            "erp.incident",
            "read",
            ids=[incident.supplier_remote_id],
            fields=["name"],
        )
        self.assertEqual(status, 403)
        status, body = self.platform.call(
            other_key,
            "erp.incident",
            "post_support_comment",
            external_uid=incident.external_uid,
            body="hello",
            comment_uid="x-1",
        )
        self.assertEqual(status, 422)
        self.assertIn("no request with the external ID", body["message"])


@tagged("post_install", "-at_install")
class TestPortalApiKeys(ErpKeyUserCase):
    """What the platform sets for the connector: its customers' key users may
    create an API key (once the portal's setting allows it) that lasts a year."""

    def test_portal_key_users_create_keys_for_a_year(self):
        user = self.portal_key_user_a
        Description = self.env["res.users.apikeys.description"].with_user(user)
        with self.assertRaises(AccessError):
            Description.check_access_make_key()
        self.env["res.config.settings"].create(
            {"portal_allow_api_keys": True}
        ).execute()
        Description.check_access_make_key()
        in_a_year = fields.Datetime.now() + timedelta(days=364)
        key = (
            self.env["res.users.apikeys"]
            .with_user(user)
            ._generate(None, "connector", in_a_year)
        )
        self.assertTrue(key)
        with self.assertRaisesRegex(ValidationError, "cannot exceed 1.0 days"):
            self.env["res.users.apikeys"].with_user(self.portal_a)._generate(
                None, "connector", in_a_year
            )
