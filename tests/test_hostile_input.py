# Copyright 2026 erp_key_user contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Hostile and oversized input: sanitized or escaped, or refused clearly."""

import psycopg2

from odoo import Command
from odoo.exceptions import UserError, ValidationError
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
        self.assertRegex(str(caught.exception), "Title is too long: 201 characters")
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


ZERO_WIDTH = "\u200b\u200c\u200d\u2060\ufeff"


@tagged("post_install", "-at_install")
class TestTextChecks(ErpKeyUserCase):
    """Issue #17 point 5 and issue #19: one-line names are stripped and
    required in every path; invisible text does not pass a check."""

    def test_empty_titles_are_refused(self):
        for title in ("", "   ", "\t\n", ZERO_WIDTH, f" {ZERO_WIDTH}\u00a0 "):
            with self.subTest(title=title):
                with self.assertRaisesRegex(ValidationError, "Title is required"):
                    self._create_incident(self.consultation_a, title=title)
        incident = self._create_incident(self.key_user_a)
        with self.assertRaisesRegex(ValidationError, "Title is required"):
            incident.with_user(self.key_user_a).title = ZERO_WIDTH
        with self.assertRaisesRegex(ValidationError, "Title is required"):
            incident.with_user(self.key_user_a).title = False

    def test_titles_are_stripped(self):
        incident = self._create_incident(
            self.consultation_a,
            title=f" {ZERO_WIDTH} Delivery slip\tprints\nno lots \u200b ",
        )
        self.assertEqual(incident.title, "Delivery slip prints no lots")

    def test_context_default_title_is_checked_too(self):
        with self.assertRaisesRegex(ValidationError, "Title is required"):
            self.env["erp.incident"].with_user(self.consultation_a).with_context(
                default_title="   "
            ).create(
                {"instance_id": self.production_a.id, "area_id": self.area_finance.id}
            )

    def test_titles_that_are_not_text_are_refused(self):
        for value in (["a list"], {"en_US": "a dict"}, 42, 4.2, True):
            with self.subTest(value=value):
                with self.assertRaisesRegex(ValidationError, "Title must be text"):
                    self._create_incident(self.consultation_a, title=value)

    def test_names_of_instances_areas_guides_steps_are_required(self):
        self.env.invalidate_all()
        manager = self.manager_a
        cases = (
            ("erp.instance", {"company_id": self.company_a.id}),
            ("erp.support.area", {"code": "EMPTY"}),
            ("erp.process.guide", {"area_id": self.area_finance.id}),
            ("erp.process.guide.step", {"guide_id": self.guide_draft_a.id}),
        )
        for model, vals in cases:
            Model = self.env[model].with_user(manager)
            for name in ("   ", ZERO_WIDTH, ["list"]):
                with self.subTest(model=model, name=name):
                    with self.assertRaises(ValidationError):
                        Model.create(dict(vals, name=name))
            record = Model.create(dict(vals, name=f"  {model} name {ZERO_WIDTH}"))
            self.assertEqual(record.name, f"{model} name")
            with self.assertRaisesRegex(ValidationError, "is required"):
                record.name = " \u200b "

    def test_zero_width_text_does_not_pass_the_escalation_checklist(self):
        incident = self._create_incident(
            self.key_user_a,
            kind="incident",
            title=f"Invoice{ZERO_WIDTH * 3}",
        )
        incident.with_user(self.key_user_a).action_start()
        wizard = (
            self.env["erp.incident.escalate.wizard"]
            .with_user(self.key_user_a)
            .create(
                {
                    "incident_id": incident.id,
                    "title": f"Inv{ZERO_WIDTH * 4}",
                    "description": ZERO_WIDTH,
                    "expected_result": f" {ZERO_WIDTH} ",
                    "error_message": ZERO_WIDTH,
                    "no_guide": True,
                    "not_reproduced_reason": ZERO_WIDTH,
                }
            )
        )
        errors = "\n".join(
            incident._get_escalation_checklist_errors(
                wizard._prepare_escalation_values()
            )
        )
        self.assertIn("title is too short (3 characters", errors)
        self.assertIn("Describe what the user was doing", errors)
        self.assertIn("Say what result was expected", errors)
        self.assertIn("Copy the exact error message", errors)
        self.assertIn("Reproduce the problem in the staging instance", errors)

    def test_zero_width_resolution_does_not_resolve(self):
        incident = self._create_incident(self.key_user_a, kind="incident")
        incident = incident.with_user(self.key_user_a)
        incident.resolution = f"<p>{ZERO_WIDTH}&nbsp;</p>"
        with self.assertRaisesRegex(UserError, "Write the resolution"):
            incident.action_resolve()
        self.assertEqual(incident.state, "new")

    def test_huge_resolution_is_refused_not_emptied(self):
        incident = self._create_incident(self.key_user_a, kind="incident")
        incident = incident.with_user(self.key_user_a)
        incident.resolution = "<p>Reinstall the printer driver.</p>"
        huge = "<p>" + "word " * 2000000 + "</p>"  # 10 MB
        with self.assertRaisesRegex(ValidationError, "Resolution is too long"):
            incident.resolution = huge
        self.assertEqual(incident.resolution, "<p>Reinstall the printer driver.</p>")
        with self.assertRaisesRegex(ValidationError, "Resolution is too long"):
            self._create_incident(self.key_user_a, kind="incident", resolution=huge)

    @mute_logger("odoo.sql_db")
    def test_response_hours_are_bounded(self):
        for hours in (1e308, float("inf"), float("nan"), 2000.5, 0, -1):
            with self.subTest(hours=hours):
                with self.assertRaises(psycopg2.errors.CheckViolation):
                    with self.env.cr.savepoint():
                        self.production_a.with_user(self.manager_a).write(
                            {"response_hours": hours}
                        )
                        self.production_a.flush_recordset()
        self.production_a.with_user(self.manager_a).response_hours = 2000
        self.production_a.flush_recordset()


@tagged("post_install", "-at_install")
class TestRpcWrongTitles(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.key_user, cls.instance = new_key_user_with_instance(
            cls.env, "rpc_title_key_user", "RPC Title Production"
        )

    @mute_logger("odoo.http")
    def test_title_of_the_wrong_type_is_a_validation_error(self):
        self.authenticate("rpc_title_key_user", "rpc_title_key_user")
        for title in (["a", "list"], {"a": "dict"}, 42, None, "", " \u200b "):
            with self.subTest(title=title):
                with self.assertRaises(JsonRpcException) as caught:
                    self.make_jsonrpc_request(
                        "/web/dataset/call_kw",
                        {
                            "model": "erp.incident",
                            "method": "create",
                            "args": [
                                {
                                    "kind": "incident",
                                    "title": title,
                                    "instance_id": self.instance.id,
                                }
                            ],
                            "kwargs": {},
                        },
                    )
                self.assertIn("odoo.exceptions.ValidationError", str(caught.exception))
