# Copyright 2026 erp_key_user contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Fields only the lifecycle sets (issue #19): a consultation user or a key
user cannot plant them at create or change them by write, through the ORM or
JSON-RPC, context defaults included; the lifecycle still sets them."""

from odoo.exceptions import UserError, ValidationError
from odoo.tests import HttpCase, new_test_user, tagged
from odoo.tools import mute_logger

from .common import ErpKeyUserCase, new_key_user_with_instance

# what an attacker planted at create in the issue, field by field
PLANTED = {
    "state": "closed",
    "name": "INC/2026/00001",
    "resolution_level": "supplier",
    "resolved_on": "2020-01-02 10:00:00",
    "escalated_on": "2020-01-01 10:00:00",
    "sla_deadline": "2020-01-01 12:00:00",
    "sla_breached": True,
    "first_response_on": "2020-01-01 10:05:00",
    "access_token": "planted-token-0123456789",
    "res_url": ".evil.example/phish",
}


@tagged("post_install", "-at_install")
class TestProtectedFields(ErpKeyUserCase):
    def _assert_refused(self, user, fname, value, **values):
        Incident = self.env["erp.incident"]
        before = Incident.search_count([])
        with self.assertRaisesRegex(UserError, "cannot be set by hand"):
            self._create_incident(user, **{fname: value}, **values)
        self.assertEqual(Incident.search_count([]), before, "nothing half-saved")

    def test_consultation_user_cannot_plant_lifecycle_fields_at_create(self):
        for fname, value in PLANTED.items():
            with self.subTest(field=fname):
                self._assert_refused(self.consultation_a, fname, value)
        self._assert_refused(self.consultation_a, "reporter_id", self.key_user_a.id)

    def test_key_user_cannot_plant_lifecycle_fields_at_create(self):
        for fname, value in PLANTED.items():
            with self.subTest(field=fname):
                self._assert_refused(self.key_user_a, fname, value, kind="incident")

    def test_context_defaults_are_values_too(self):
        Incident = self.env["erp.incident"].with_user(self.consultation_a)
        for fname, value in PLANTED.items():
            with self.subTest(field=fname):
                with self.assertRaisesRegex(UserError, "cannot be set by hand"):
                    Incident.with_context(**{f"default_{fname}": value}).create(
                        {
                            "title": "Where do I print the delivery slip",
                            "instance_id": self.production_a.id,
                            "area_id": self.area_finance.id,
                        }
                    )
        with self.assertRaisesRegex(UserError, "Only key users open incidents"):
            Incident.with_context(default_kind="incident").create(
                {
                    "title": "Where do I print the delivery slip",
                    "instance_id": self.production_a.id,
                    "area_id": self.area_finance.id,
                }
            )

    def test_what_the_model_sets_itself_is_accepted(self):
        """Clients that send the defaults back (the report wizard sends the
        reporter) keep working; the model sets the rest."""
        question = self._create_incident(
            self.consultation_a,
            state="new",
            name="/",
            reporter_id=self.consultation_a.id,
            sla_breached=False,
        )
        self.assertEqual(question.state, "new")
        self.assertRegex(question.name, r"^INC/\d{4}/\d+$")
        self.assertEqual(question.reporter_id, self.consultation_a)
        self.assertFalse(question.access_token)
        incident = self._create_incident(self.key_user_a, kind="incident")
        self.assertEqual(incident.kind, "incident")

    def test_key_user_cannot_write_lifecycle_fields(self):
        question = self._create_incident(self.consultation_a)
        as_key_user = question.with_user(self.key_user_a)
        for vals in (
            {"state": "closed"},  # closed without resolution
            {"sla_breached": False, "sla_deadline": "2099-01-01 00:00:00"},
            {"kind": "incident"},
            {"name": "INC/2026/00001"},
            {"access_token": "planted-token-0123456789"},
            {"resolution_level": "key_user", "resolved_on": "2026-01-01 00:00:00"},
            {"res_url": "/odoo/res.partner/1"},
        ):
            with self.subTest(vals=vals):
                with self.assertRaisesRegex(UserError, "cannot be set by hand"):
                    as_key_user.write(vals)
        self.assertEqual(question.state, "new")
        self.assertEqual(question.kind, "question")

    def test_only_key_users_record_a_request_for_a_colleague(self):
        question = self._create_incident(self.consultation_a)
        with self.assertRaisesRegex(UserError, "cannot be set by hand"):
            question.with_user(self.consultation_a).write(
                {"reporter_id": self.consultation_b.id}
            )
        # a key user may, for a user of the company only (who then follows)
        incident = self._create_incident(
            self.key_user_a, kind="incident", reporter_id=self.consultation_a.id
        )
        self.assertEqual(incident.reporter_id, self.consultation_a)
        # assertRaises (unlike assertRaisesRegex) rolls back like a request does
        with self.assertRaises(ValidationError) as caught:
            incident.with_user(self.key_user_a).reporter_id = self.consultation_b
        self.assertIn("must be a user of its company", str(caught.exception))
        self.assertNotIn(
            self.consultation_b.partner_id, incident.sudo().message_partner_ids
        )

    def test_manager_cannot_write_lifecycle_fields_either(self):
        with self.assertRaisesRegex(UserError, "cannot be set by hand"):
            self.incident_a.with_user(self.manager_a).write({"state": "resolved"})

    def test_the_lifecycle_still_sets_them(self):
        question = self._create_incident(self.consultation_a)
        as_key_user = question.with_user(self.key_user_a)
        as_key_user.action_start()
        self.assertEqual(question.state, "in_progress")
        self.assertTrue(question.first_response_on)
        as_key_user.resolution = "<p>Use the Print menu of the delivery.</p>"
        as_key_user.action_resolve()
        self.assertEqual(question.state, "resolved")
        self.assertEqual(question.resolution_level, "key_user")
        self.assertTrue(question.resolved_on)
        as_key_user.action_reopen()
        self.assertFalse(question.resolved_on)

    def test_write_lifecycle_writes_lifecycle_fields_only(self):
        incident = self.incident_a.with_user(self.key_user_a)
        with self.assertRaises(ValueError):
            incident._write_lifecycle({"state": "closed", "instance_id": False})
        # and only on incidents the user may write
        with mute_logger("odoo.addons.base.models.ir_rule"):
            with self.assertRaises(UserError):
                self.incident_b.with_user(self.key_user_a)._write_lifecycle(
                    {"state": "closed"}
                )

    def test_copy_does_not_carry_the_reporter(self):
        copy = self.incident_a.with_user(self.key_user_a).copy()
        self.assertEqual(copy.reporter_id, self.key_user_a)
        self.assertEqual(copy.state, "new")


@tagged("post_install", "-at_install")
class TestProtectedFieldsRpc(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.key_user, cls.instance = new_key_user_with_instance(
            cls.env, "protected_key_user", "Protected Production"
        )
        cls.area = cls.env.ref("erp_key_user.erp_support_area_finance")
        cls.env["erp.key.user.assignment"].create(
            {
                "instance_id": cls.instance.id,
                "area_id": cls.area.id,
                "user_id": cls.key_user.id,
            }
        )
        new_test_user(
            cls.env,
            login="protected_consultation",
            groups="base.group_user,erp_key_user.group_consultation_user",
        )

    def _call_error(self, method, args, context=None):
        """The error a JSON-RPC call_kw on erp.incident answers: its exception
        name and message (make_jsonrpc_request keeps the name only)."""
        response = self.url_open(
            "/web/dataset/call_kw",
            json={
                "jsonrpc": "2.0",
                "method": "call",
                "params": {
                    "model": "erp.incident",
                    "method": method,
                    "args": args,
                    "kwargs": {"context": context or {}},
                },
            },
        )
        self.assertEqual(response.status_code, 200)
        self.assertIn("error", response.json(), "the call was refused")
        return response.json()["error"]["data"]

    @mute_logger("odoo.http")
    def test_planted_access_token_is_refused(self):
        self.authenticate("protected_consultation", "protected_consultation")
        vals = {
            "title": "Question with a token of my choice",
            "instance_id": self.instance.id,
            "area_id": self.area.id,
        }
        for args, context in (
            ([dict(vals, access_token="planted-0123456789")], None),
            ([vals], {"default_access_token": "planted-0123456789"}),
        ):
            error = self._call_error("create", args, context)
            self.assertEqual(error["name"], "odoo.exceptions.UserError")
            self.assertIn("cannot be set by hand", error["message"])
        self.assertFalse(
            self.env["erp.incident"].search([("title", "=", vals["title"])]),
            "nothing half-saved",
        )

    @mute_logger("odoo.http")
    def test_key_user_cannot_clear_a_breach_over_rpc(self):
        incident = self.env["erp.incident"].create(
            {
                "kind": "incident",
                "title": "Breached incident of the protected instance",
                "instance_id": self.instance.id,
                "area_id": self.area.id,
                "state": "escalated",
                "sla_breached": True,
                "sla_deadline": "2026-01-01 00:00:00",
            }
        )
        self.authenticate("protected_key_user", "protected_key_user")
        error = self._call_error(
            "write",
            [[incident.id], {"sla_breached": False, "sla_deadline": "2099-01-01"}],
        )
        self.assertIn("cannot be set by hand", error["message"])
        incident.invalidate_recordset()
        self.assertTrue(incident.sla_breached)
