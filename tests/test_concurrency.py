# Copyright 2026 erp_key_user contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Two key users, or two cron workers, at the same time: real cursors on real
committed data, as two HTTP workers would have."""

import uuid
from datetime import timedelta
from unittest.mock import patch

import psycopg2

from odoo import Command, api, fields
from odoo.exceptions import UserError
from odoo.modules.registry import Registry
from odoo.tests import BaseCase, get_db_name, new_test_user, tagged
from odoo.tools import mute_logger


@tagged("post_install", "-at_install")
class TestConcurrency(BaseCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.registry = Registry(get_db_name())

    def setUp(self):
        super().setUp()
        tag = uuid.uuid4().hex[:8]
        with self.registry.cursor() as cr:
            env = api.Environment(cr, api.SUPERUSER_ID, {"tracking_disable": True})
            company = env["res.company"].create({"name": f"Concurrency {tag}"})
            users = [
                new_test_user(
                    env,
                    login=f"{role}_{tag}",
                    groups=group,
                    company_id=company.id,
                    company_ids=[Command.set(company.ids)],
                )
                for role, group in (
                    ("ku1", "erp_key_user.group_key_user"),
                    ("ku2", "erp_key_user.group_key_user"),
                    ("mgr", "erp_key_user.group_support_manager"),
                )
            ]
            instance = env["erp.instance"].create(
                {
                    "name": f"Production {tag}",
                    "company_id": company.id,
                    "support_email": "desk@supplier.example.com",
                }
            )
            # the first key user owns the area: nobody else (the support
            # manager, when nobody owns it) follows and gets a copy of the mail
            env["erp.key.user.assignment"].create(
                {
                    "instance_id": instance.id,
                    "area_id": env.ref("erp_key_user.erp_support_area_finance").id,
                    "user_id": users[0].id,
                }
            )
            incident = env["erp.incident"].create(
                {
                    "kind": "incident",
                    "title": "Stock valuation differs from the balance sheet",
                    "instance_id": instance.id,
                    "area_id": env.ref("erp_key_user.erp_support_area_finance").id,
                    "state": "in_progress",
                }
            )
            self.key_user_ids = [users[0].id, users[1].id]
            self.manager_id = users[2].id
            self.incident_id = incident.id
            self.instance_id = instance.id
        self.addCleanup(self._cleanup)

    def _cleanup(self):
        with self.registry.cursor() as cr:
            env = api.Environment(cr, api.SUPERUSER_ID, {})
            env["erp.incident"].browse(self.incident_id).unlink()
            env["erp.instance"].browse(self.instance_id).unlink()
            env["res.users"].browse(
                self.key_user_ids + [self.manager_id]
            ).active = False

    def _escalate_in(self, cr, user_id):
        env = api.Environment(cr, user_id, {})
        wizard = env["erp.incident.escalate.wizard"].create(
            {
                "incident_id": self.incident_id,
                "description": "Running the stock valuation report",
                "expected_result": "Same total as account 1400",
                "error_message": "Difference of 1,204.50",
                "no_guide": True,
                "reproduced_in_staging": True,
            }
        )
        wizard.action_escalate()

    def _mails(self, env):
        return env["mail.mail"].search(
            [("model", "=", "erp.incident"), ("res_id", "=", self.incident_id)]
        )

    def test_two_key_users_escalating_at_once_send_one_mail(self):
        cr1 = self.registry.cursor()
        cr2 = self.registry.cursor()
        try:
            self._escalate_in(cr1, self.key_user_ids[0])
            with self.assertRaisesRegex(UserError, "Another key user is escalating"):
                self._escalate_in(cr2, self.key_user_ids[1])
            cr2.rollback()
            cr1.commit()
        finally:
            cr1.close()
            cr2.close()
        with self.registry.cursor() as cr:
            env = api.Environment(cr, api.SUPERUSER_ID, {})
            self.assertEqual(
                env["erp.incident"].browse(self.incident_id).state, "escalated"
            )
            self.assertEqual(len(self._mails(env)), 1)
            # and once it is committed, a late second escalation is refused too
            with self.assertRaisesRegex(UserError, "it is Escalated"):
                self._escalate_in(cr, self.key_user_ids[1])
            cr.rollback()

    def test_crash_between_escalation_and_mail_loses_nothing(self):
        """The state change and the queued mail are one transaction: a crash
        in between leaves the incident as it was, ready to be escalated."""
        incident_class = self.registry["erp.incident"]
        with self.registry.cursor() as cr:
            with patch.object(
                incident_class,
                "_notify_supplier",
                side_effect=RuntimeError("worker killed"),
            ):
                with self.assertRaises(RuntimeError):
                    self._escalate_in(cr, self.key_user_ids[0])
            cr.rollback()
        with self.registry.cursor() as cr:
            env = api.Environment(cr, api.SUPERUSER_ID, {})
            incident = env["erp.incident"].browse(self.incident_id)
            self.assertEqual(incident.state, "in_progress")
            self.assertFalse(incident.escalated_on)
            self.assertFalse(self._mails(env))
            self._escalate_in(cr, self.key_user_ids[0])
            self.assertEqual(incident.state, "escalated")
            self.assertEqual(len(self._mails(env)), 1)

    def test_two_sla_crons_at_once_create_one_activity(self):
        """A second worker skips the incident the first one is flagging, at
        once (no waiting on the lock), and flags nothing; once the first has
        committed, no later run flags or notifies the breach again."""
        with self.registry.cursor() as cr:
            env = api.Environment(cr, api.SUPERUSER_ID, {})
            env["erp.incident"].browse(self.incident_id).write(
                {
                    "state": "escalated",
                    "escalated_on": fields.Datetime.now() - timedelta(days=5),
                    "sla_deadline": fields.Datetime.now() - timedelta(days=1),
                }
            )
        cr1 = self.registry.cursor()
        cr2 = self.registry.cursor()
        try:
            first = api.Environment(cr1, api.SUPERUSER_ID, {})[
                "erp.incident"
            ]._cron_check_sla()
            self.assertEqual(first.ids, [self.incident_id])
            # the first worker holds the row: the second skips it, no deadlock
            cr2.execute("SET LOCAL lock_timeout = '2s'")
            second = api.Environment(cr2, api.SUPERUSER_ID, {})[
                "erp.incident"
            ]._cron_check_sla()
            self.assertFalse(second)
            cr2.commit()
            cr1.commit()
        finally:
            cr1.close()
            cr2.close()
        with self.registry.cursor() as cr:
            env = api.Environment(cr, api.SUPERUSER_ID, {})
            self.assertFalse(env["erp.incident"]._cron_check_sla())
            incident = env["erp.incident"].browse(self.incident_id)
            self.assertTrue(incident.sla_breached)
            activities = incident.activity_ids.filtered(
                lambda a: a.summary.startswith("SLA breached")
            )
            self.assertEqual(activities.user_id.ids, [self.manager_id])

    @mute_logger("odoo.sql_db")
    def test_sla_cron_started_before_a_commit_is_retried_not_doubled(self):
        """A worker whose snapshot predates the other worker's commit finds
        the breach still unflagged, but may not lock the changed row: the
        job fails with a serialization error (the cron runner rolls it back
        and runs it again later), never flags it a second time."""
        with self.registry.cursor() as cr:
            env = api.Environment(cr, api.SUPERUSER_ID, {})
            env["erp.incident"].browse(self.incident_id).write(
                {
                    "state": "escalated",
                    "escalated_on": fields.Datetime.now() - timedelta(days=5),
                    "sla_deadline": fields.Datetime.now() - timedelta(days=1),
                }
            )
        cr1 = self.registry.cursor()
        cr2 = self.registry.cursor()
        try:
            cr2.execute("SELECT 1")  # the second worker's snapshot starts now
            api.Environment(cr1, api.SUPERUSER_ID, {})["erp.incident"]._cron_check_sla()
            cr1.commit()
            with self.assertRaises(psycopg2.errors.SerializationFailure):
                api.Environment(cr2, api.SUPERUSER_ID, {})[
                    "erp.incident"
                ]._cron_check_sla()
            cr2.rollback()
        finally:
            cr1.close()
            cr2.close()
        with self.registry.cursor() as cr:
            env = api.Environment(cr, api.SUPERUSER_ID, {})
            self.assertFalse(env["erp.incident"]._cron_check_sla())
            incident = env["erp.incident"].browse(self.incident_id)
            activities = incident.activity_ids.filtered(
                lambda a: a.summary.startswith("SLA breached")
            )
            self.assertEqual(activities.user_id.ids, [self.manager_id])
