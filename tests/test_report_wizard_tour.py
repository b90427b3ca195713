# Copyright 2026 erp_key_user contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

from odoo.tests import HttpCase, tagged

from .common import new_key_user_with_instance


@tagged("post_install", "-at_install")
class TestReportWizardTour(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.key_user, _instance = new_key_user_with_instance(
            cls.env, "tour_key_user", "Tour Production"
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
