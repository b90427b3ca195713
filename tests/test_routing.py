# Copyright 2026 erp_key_user contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Who a question reaches (issues #15 and #19): an area is required, the
primary key user of the area, else a backup, else a support manager of the
company; one primary per area and instance; and never a user of another
company or a key user who does not own the area, whoever sets key_user_id."""

import psycopg2

from odoo.exceptions import ValidationError
from odoo.tests import tagged
from odoo.tools import SQL, mute_logger

from .common import ErpKeyUserCase


@tagged("post_install", "-at_install")
class TestRouting(ErpKeyUserCase):
    def _assign(self, user, area, instance=None, is_backup=False):
        return self.env["erp.key.user.assignment"].create(
            {
                "instance_id": (instance or self.production_a).id,
                "area_id": area.id,
                "user_id": user.id,
                "is_backup": is_backup,
            }
        )

    # ------------------------------------------------------------------
    # key_user_id: only the area's key users or the company's managers
    # ------------------------------------------------------------------

    def _assert_not_a_key_user_of_the_area(self, func, *args, **kwargs):
        # assertRaises (unlike assertRaisesRegex) rolls back like a request does
        with self.assertRaises(ValidationError) as caught:
            func(*args, **kwargs)
        self.assertRegex(str(caught.exception), "must be a key user of its area")
        return caught.exception

    def _followed_and_assigned(self, user):
        """Incidents of company A that ``user`` follows or has an activity on."""
        incidents = self.env["erp.incident"].search(
            [("company_id", "=", self.company_a.id)]
        )
        return (
            incidents.filtered(lambda i: user.partner_id in i.message_partner_ids)
            | incidents.filtered(lambda i: user in i.activity_ids.user_id)
            | incidents.filtered(lambda i: i.key_user_id == user)
        )

    def test_consultation_user_cannot_route_to_another_company(self):
        self._assert_not_a_key_user_of_the_area(
            self._create_incident, self.consultation_a, key_user_id=self.key_user_b.id
        )
        self.assertFalse(self._followed_and_assigned(self.key_user_b))

    def test_key_user_cannot_hand_an_incident_to_another_company(self):
        self._assert_not_a_key_user_of_the_area(
            self.incident_a.with_user(self.key_user_a).write,
            {"key_user_id": self.key_user_b.id},
        )
        self.assertEqual(self.incident_a.key_user_id, self.key_user_a)
        self.assertFalse(self._followed_and_assigned(self.key_user_b))

    def test_the_error_does_not_name_the_user_chosen(self):
        error = self._assert_not_a_key_user_of_the_area(
            self._create_incident, self.consultation_a, key_user_id=self.key_user_b.id
        )
        self.assertNotIn(self.key_user_b.name, str(error))

    def test_only_key_users_of_the_area_qualify(self):
        # the warehouse key user of the same company does not own finance
        for user in (self.key_user_wh_a, self.employee_a, self.consultation_a):
            with self.subTest(user=user.login):
                self._assert_not_a_key_user_of_the_area(
                    self._create_incident, self.consultation_a, key_user_id=user.id
                )

    def test_a_backup_or_a_manager_may_take_the_question(self):
        self._assign(self.key_user_wh_a, self.area_finance, is_backup=True)
        question = self._create_incident(
            self.consultation_a, key_user_id=self.key_user_wh_a.id
        )
        self.assertEqual(question.key_user_id, self.key_user_wh_a)
        question.with_user(self.key_user_a).key_user_id = self.manager_a
        self.assertEqual(question.key_user_id, self.manager_a)

    def test_reassigned_key_user_follows_and_gets_the_question(self):
        self._assign(self.key_user_wh_a, self.area_finance, is_backup=True)
        question = self._create_incident(self.consultation_a)
        question.with_user(self.key_user_a).key_user_id = self.key_user_wh_a
        self.assertIn(self.key_user_wh_a.partner_id, question.message_partner_ids)
        self.assertIn(self.key_user_wh_a, question.activity_ids.user_id)

    def test_changing_the_area_routes_again(self):
        question = self._create_incident(self.consultation_a)
        question.with_user(self.key_user_a).area_id = self.area_warehouse
        self.assertEqual(question.key_user_id, self.key_user_wh_a)
        self.assertIn(self.key_user_wh_a, question.activity_ids.user_id)

    # ------------------------------------------------------------------
    # an area is required; primary, else backup, else manager
    # ------------------------------------------------------------------

    def test_question_without_area_is_refused(self):
        with self.assertRaises(ValidationError) as caught:
            self._create_incident(self.consultation_a, area_id=False)
        self.assertRegex(str(caught.exception), "Say which area")
        question = self._create_incident(self.consultation_a)
        with self.assertRaises(ValidationError) as caught:
            question.with_user(self.key_user_a).area_id = False
        self.assertRegex(str(caught.exception), "Say which area")
        self.assertEqual(question.area_id, self.area_finance)

    def test_area_comes_from_the_guide(self):
        question = self._create_incident(
            self.consultation_a,
            area_id=False,
            guide_id=self.guide_published_a.id,
        )
        self.assertEqual(question.area_id, self.area_finance)
        self.assertEqual(question.key_user_id, self.key_user_a)
        self.assertEqual(question.activity_ids.user_id, self.key_user_a)

    def test_no_primary_goes_to_the_backup(self):
        self._assign(self.key_user_wh_a, self.area_sales, is_backup=True)
        question = self._create_incident(
            self.consultation_a, area_id=self.area_sales.id
        )
        self.assertEqual(question.key_user_id, self.key_user_wh_a)
        self.assertEqual(question.activity_ids.user_id, self.key_user_wh_a)

    def test_nobody_assigned_goes_to_a_support_manager(self):
        question = self._create_incident(
            self.consultation_a, area_id=self.area_sales.id
        )
        self.assertEqual(question.key_user_id, self.manager_a)
        self.assertIn(self.manager_a.partner_id, question.message_partner_ids)
        self.assertEqual(question.activity_ids.user_id, self.manager_a)
        self.assertEqual(
            self.production_a._get_primary_key_user(self.area_sales), self.manager_a
        )

    def test_key_user_who_lost_the_company_is_skipped(self):
        self._assign(self.key_user_wh_a, self.area_finance, is_backup=True)
        # the primary key user moves to company B only
        self.key_user_a.write(
            {"company_ids": [(4, self.company_b.id)], "company_id": self.company_b.id}
        )
        self.key_user_a.write({"company_ids": [(3, self.company_a.id)]})
        self.assertEqual(
            self.production_a._get_primary_key_user(self.area_finance),
            self.key_user_wh_a,
        )

    # ------------------------------------------------------------------
    # one primary key user per area and instance
    # ------------------------------------------------------------------

    @mute_logger("odoo.sql_db")
    def test_second_primary_is_refused(self):
        with self.assertRaises(psycopg2.errors.UniqueViolation) as caught:
            with self.env.cr.savepoint():
                self._assign(self.key_user_wh_a, self.area_finance)
        self.assertIn(
            "already has a primary key user",
            self.env["erp.key.user.assignment"]._sql_error_to_message(caught.exception),
        )
        # a backup, and a primary on another instance, are fine
        self._assign(self.key_user_wh_a, self.area_finance, is_backup=True)
        self._assign(self.key_user_wh_a, self.area_finance, instance=self.staging_a)

    def test_existing_duplicate_primaries_become_backups_on_upgrade(self):
        Assignment = self.env["erp.key.user.assignment"]
        cr = self.env.cr
        first = Assignment.search(
            [
                ("instance_id", "=", self.production_a.id),
                ("area_id", "=", self.area_finance.id),
            ]
        )
        cr.execute("DROP INDEX erp_key_user_assignment_instance_area_primary_uniq")
        cr.execute(
            SQL(
                "INSERT INTO erp_key_user_assignment"
                " (instance_id, company_id, area_id, user_id, is_backup)"
                " VALUES (%s, %s, %s, %s, FALSE) RETURNING id",
                self.production_a.id,
                self.company_a.id,
                self.area_finance.id,
                self.key_user_wh_a.id,
            )
        )
        second = Assignment.browse(cr.fetchone()[0])
        # what _auto_init does on upgrade, before it creates the index
        Assignment._make_duplicate_primaries_backups()
        Assignment._add_sql_constraints()
        Assignment.invalidate_model()
        self.assertFalse(first.is_backup, "the first one stays primary")
        self.assertTrue(second.is_backup)
        cr.execute(
            "SELECT 1 FROM pg_indexes"
            " WHERE indexname = 'erp_key_user_assignment_instance_area_primary_uniq'"
        )
        self.assertTrue(cr.fetchone(), "the unique index is back")
