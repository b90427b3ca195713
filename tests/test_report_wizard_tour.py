# Copyright 2026 erp_key_user contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

from odoo.tests import HttpCase, new_test_user, tagged


@tagged("post_install", "-at_install")
class TestReportWizardTour(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.key_user = new_test_user(
            cls.env, login="tour_key_user", groups="erp_key_user.group_key_user"
        )
        cls.env["erp.instance"].create(
            {"name": "Tour Production", "company_id": cls.key_user.company_id.id}
        )
        cls.customer = cls.env["res.partner"].create({"name": "Tour Customer"})

    def test_report_incident_from_a_contact_form(self):
        self.start_tour(
            f"/odoo/res.partner/{self.customer.id}",
            "erp_key_user_report_incident_tour",
            login="tour_key_user",
        )
        incident = self.env["erp.incident"].search(
            [("title", "=", "Customer address is not printed on the delivery slip")]
        )
        self.assertEqual(len(incident), 1)
        self.assertEqual(incident.kind, "incident")
        self.assertEqual(incident.reporter_id, self.key_user)
        self.assertEqual(incident.res_model, "res.partner")
        self.assertEqual(incident.res_id, self.customer.id)
        self.assertIn(incident.name, self.customer.message_ids[:1].body)
