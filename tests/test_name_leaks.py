# Copyright 2026 erp_key_user contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Issue #19: refusals do not name what the user cannot read, and the source
link of the escalation e-mail always points into the instance."""

from odoo.exceptions import UserError, ValidationError
from odoo.tests import tagged

from .common import ErpKeyUserCase


@tagged("post_install", "-at_install")
class TestNameLeaks(ErpKeyUserCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.guide_draft_b.name = "RIVAL SECRET draft guide"
        cls.staging_b.name = "RIVAL SECRET staging"

    def _refusal(self, func, *args):
        # assertRaises (unlike assertRaisesRegex) rolls back like a request does
        with self.assertRaises(UserError) as caught:
            func(*args)
        return str(caught.exception)

    def test_guide_of_another_company_is_not_named(self):
        for user in (self.consultation_a, self.key_user_a):
            with self.subTest(user=user.login):
                message = self._refusal(
                    lambda u=user: self._create_incident(
                        u, guide_id=self.guide_draft_b.id
                    )
                )
                self.assertIn("belongs to another company", message)
                self.assertIn("Guide", message, "the field is named")
                self.assertNotIn("RIVAL SECRET", message)
                self.assertNotIn("Company B", message)

    def test_staging_instance_of_another_company_is_not_named(self):
        message = self._refusal(
            self.production_a.with_user(self.manager_a).write,
            {"staging_instance_id": self.staging_b.id},
        )
        self.assertIn("belongs to another company", message)
        self.assertNotIn("RIVAL SECRET", message)
        self.assertEqual(self.production_a.staging_instance_id, self.staging_a)

    def test_key_user_of_another_company_is_not_named(self):
        with self.assertRaises(ValidationError) as caught:
            self.env["erp.key.user.assignment"].with_user(self.manager_a).create(
                {
                    "instance_id": self.production_a.id,
                    "area_id": self.area_sales.id,
                    "user_id": self.key_user_b.id,
                }
            )
        self.assertIn("no access to the company", str(caught.exception))
        self.assertNotIn(self.key_user_b.name, str(caught.exception))


@tagged("post_install", "-at_install")
class TestSourceLink(ErpKeyUserCase):
    def test_res_url_is_the_backend_path_of_the_source_record(self):
        partner = self.env["res.partner"].create({"name": "Triangle Customer"})
        incident = self._create_incident(
            self.key_user_a,
            kind="incident",
            res_model="res.partner",
            res_id=partner.id,
            res_name="Triangle Customer",
        )
        self.assertEqual(incident.res_url, f"/odoo/res.partner/{partner.id}")
        for res_model in (".evil.example", "res.partner/../../x", "no.such.model"):
            with self.subTest(res_model=res_model):
                incident.with_user(self.key_user_a).res_model = res_model
                self.assertFalse(incident.res_url)
        self.assertTrue(self.env["erp.incident"]._fields["res_url"].readonly)

    def test_escalation_mail_links_into_the_instance(self):
        self.production_a.url = "https://erp.example.com"
        partner = self.env["res.partner"].create({"name": "Triangle Customer"})
        incident = self._create_incident(
            self.key_user_a,
            kind="incident",
            title="Customer form crashes when saving the VAT number",
            res_model="res.partner",
            res_id=partner.id,
        )
        incident = incident.with_user(self.key_user_a)
        incident.action_start()
        self.env["erp.incident.escalate.wizard"].with_user(self.key_user_a).create(
            {
                "incident_id": incident.id,
                "description": "Saving the customer",
                "expected_result": "It is saved",
                "error_message": "Invalid VAT",
                "no_guide": True,
                "reproduced_in_staging": True,
            }
        ).action_escalate()
        mail = (
            self.env["mail.mail"]
            .sudo()
            .search([("model", "=", "erp.incident"), ("res_id", "=", incident.id)])
        )
        self.assertIn(
            f'href="https://erp.example.com/odoo/res.partner/{partner.id}"',
            "".join(mail.mapped("body_html")),
        )
