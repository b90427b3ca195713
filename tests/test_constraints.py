# Copyright 2026 erp_key_user contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

import psycopg2

from odoo.exceptions import UserError, ValidationError
from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import ErpKeyUserCase


@tagged("post_install", "-at_install")
class TestConstraints(ErpKeyUserCase):
    def test_assigned_user_must_be_key_user(self):
        with self.assertRaisesRegex(ValidationError, "is not a key user"):
            self.env["erp.key.user.assignment"].create(
                {
                    "instance_id": self.production_a.id,
                    "area_id": self.area_sales.id,
                    "user_id": self.consultation_a.id,
                }
            )

    def test_assigned_user_must_reach_the_company(self):
        with self.assertRaisesRegex(ValidationError, "no access to the company"):
            self.env["erp.key.user.assignment"].create(
                {
                    "instance_id": self.production_b.id,
                    "area_id": self.area_sales.id,
                    "user_id": self.key_user_a.id,
                }
            )

    @mute_logger("odoo.sql_db")
    def test_one_assignment_per_instance_area_user(self):
        with self.assertRaises(psycopg2.errors.UniqueViolation):
            with self.env.cr.savepoint():
                self.env["erp.key.user.assignment"].create(
                    {
                        "instance_id": self.production_a.id,
                        "area_id": self.area_finance.id,
                        "user_id": self.key_user_a.id,
                    }
                )

    def test_incident_company_follows_instance(self):
        incident = self._create_incident(self.key_user_a, kind="incident")
        self.assertEqual(incident.company_id, self.company_a)
        incident.instance_id = self.staging_a
        self.assertEqual(incident.company_id, self.company_a)

    def test_incident_guide_of_another_company_is_refused(self):
        with self.assertRaisesRegex(UserError, "belongs to another company"):
            self._create_incident(
                self.key_user_a,
                kind="incident",
                guide_id=self.guide_published_b.sudo().id,
            )

    def test_staging_instance_of_another_company_is_refused(self):
        with self.assertRaisesRegex(UserError, "belongs to another company"):
            self.production_a.staging_instance_id = self.staging_b

    def test_instance_cannot_be_its_own_staging(self):
        with self.assertRaisesRegex(ValidationError, "its own staging"):
            self.staging_a.staging_instance_id = self.staging_a

    def test_support_email_must_be_an_address(self):
        with self.assertRaisesRegex(ValidationError, "not a valid e-mail"):
            self.production_a.support_email = "support desk"

    def test_question_is_routed_to_primary_key_user(self):
        question = self._create_incident(self.consultation_a, kind="question")
        self.assertEqual(question.key_user_id, self.key_user_a)
        self.assertIn(self.key_user_a.partner_id, question.message_partner_ids)
        self.assertEqual(question.activity_ids.user_id, self.key_user_a)

    def test_uncovered_areas_of_an_instance(self):
        uncovered = self.production_a.uncovered_area_ids
        self.assertNotIn(self.area_finance, uncovered)
        self.assertIn(self.area_sales, uncovered)
        # the staging instance is answered by the key users of production
        # (issue #15: it listed every area as uncovered)
        self.assertEqual(self.staging_a.uncovered_area_ids, uncovered)
