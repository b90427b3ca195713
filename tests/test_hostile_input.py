# Copyright 2026 erp_key_user contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Hostile and oversized input: sanitized or escaped, or refused clearly."""

from odoo import Command
from odoo.exceptions import ValidationError
from odoo.tests import HttpCase, tagged
from odoo.tests.common import JsonRpcException
from odoo.tools import mute_logger

from .common import ErpKeyUserCase, new_key_user_with_instance

SCRIPT = '<script>alert("x")</script>'
IMG = '<img src="x" onerror="alert(1)">'


@tagged("post_install", "-at_install")
class TestHostileInput(ErpKeyUserCase):
    def test_html_fields_are_sanitized(self):
        incident = self._create_incident(self.key_user_a, kind="incident")
        incident.resolution = f"<p>Fixed</p>{SCRIPT}{IMG}"
        self.assertNotIn("<script", incident.resolution)
        self.assertNotIn("onerror", incident.resolution)
        self.assertIn("<p>Fixed</p>", incident.resolution)
        guide = self.guide_draft_a.with_user(self.key_user_wh_a)
        guide.write(
            {
                "content": f"<p>Count</p>{SCRIPT}",
                "step_ids": [Command.create({"name": "Go", "instructions": IMG})],
            }
        )
        self.assertNotIn("<script", guide.content)
        self.assertNotIn("onerror", guide.step_ids[-1:].instructions)

    def test_title_is_plain_text_everywhere(self):
        title = f"<b>Bold</b> {SCRIPT} in the invoice form"
        incident = self._create_incident(self.key_user_a, kind="incident", title=title)
        self.assertEqual(incident.title, title, "kept as typed, as text")
        incident.with_user(self.key_user_a).action_start()
        self.env["erp.incident.escalate.wizard"].with_user(self.key_user_a).create(
            {
                "incident_id": incident.id,
                "description": f"Typing {SCRIPT}",
                "expected_result": "no script runs",
                "error_message": IMG,
                "no_guide": True,
                "reproduced_in_staging": True,
            }
        ).action_escalate()
        mail = (
            self.env["mail.mail"]
            .sudo()
            .search([("model", "=", "erp.incident"), ("res_id", "=", incident.id)])
        )
        self.assertIn(title, mail.subject, "subjects are plain text")
        self.assertNotIn("<script", mail.body_html)
        self.assertNotIn("<b>Bold", mail.body_html)
        self.assertNotIn("<img", mail.body_html)
        self.assertIn("&lt;script&gt;", mail.body_html)

    def test_oversized_title_and_texts_are_refused(self):
        # assertRaises (unlike assertRaisesRegex) rolls back like a request does
        with self.assertRaises(ValidationError) as caught:
            self._create_incident(self.key_user_a, title="x" * 201)
        self.assertRegex(str(caught.exception), "title is too long .201 characters")
        with self.assertRaises(ValidationError) as caught:
            self._create_incident(self.key_user_a, error_message="x" * 50001)
        self.assertRegex(str(caught.exception), "Error Message is too long")
        self.assertFalse(self.env["erp.incident"].search([("title", "=", "x" * 201)]))

    def test_oversized_attachment_is_refused(self):
        self.env["ir.config_parameter"].set_param("erp_key_user.attachment_max_mb", 1)
        incident = self._create_incident(self.key_user_a)
        Attachment = self.env["ir.attachment"].with_user(self.key_user_a)
        Attachment.create(
            {
                "name": "small.png",
                "raw": b"x" * 1024,
                "res_model": "erp.incident",
                "res_id": incident.id,
            }
        )
        with self.assertRaisesRegex(
            ValidationError, "big.log is 2.0 MB.*limited to 1.0 MB"
        ):
            Attachment.create(
                {
                    "name": "big.log",
                    "raw": b"x" * (2 * 1024 * 1024),
                    "res_model": "erp.incident",
                    "res_id": incident.id,
                }
            )
        # other documents are not concerned
        Attachment.create({"name": "other.bin", "raw": b"x" * (2 * 1024 * 1024)})


@tagged("post_install", "-at_install")
class TestRpcWrongTypes(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.key_user, cls.instance = new_key_user_with_instance(
            cls.env, "rpc_key_user", "RPC Production"
        )

    def _create(self, vals):
        return self.make_jsonrpc_request(
            "/web/dataset/call_kw",
            {"model": "erp.incident", "method": "create", "args": [vals], "kwargs": {}},
        )

    @mute_logger("odoo.http", "odoo.sql_db")
    def test_wrong_types_get_an_error_not_a_crash(self):
        self.authenticate("rpc_key_user", "rpc_key_user")
        good = {
            "kind": "incident",
            "title": "Wrong types must not crash the server",
            "instance_id": self.instance.id,
        }
        for field, value in (
            ("instance_id", "not an id"),
            ("instance_id", {"id": 1}),
            ("priority", "urgent!"),
            ("kind", 42),
            ("state", "hacked"),
        ):
            with self.subTest(field=field, value=value):
                with self.assertRaises(JsonRpcException):
                    self._create(dict(good, **{field: value}))
        self.assertFalse(
            self.env["erp.incident"].search([("title", "=", good["title"])]),
            "nothing half-saved",
        )
        new_id = self._create(good)
        self.assertTrue(self.env["erp.incident"].browse(new_id).exists())
