# Copyright 2026 erp_key_user contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Hypercare: the response time of the first months after go-live, the exit
criteria of the dashboard, and its end by a support manager."""

from datetime import date, datetime, timedelta

from freezegun import freeze_time
from psycopg2 import IntegrityError

from odoo import fields
from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged
from odoo.tools import SQL, mute_logger

from .common import ErpKeyUserCase

FRIDAY_3PM = datetime(2026, 11, 20, 15, 0)  # a Friday, UTC


@tagged("post_install", "-at_install")
class TestHypercare(ErpKeyUserCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # Monday to Friday, 8:00-12:00 and 13:00-17:00, in UTC
        cls.calendar = cls.env["resource.calendar"].create(
            {"name": "Support hours", "tz": "UTC", "company_id": cls.company_a.id}
        )
        cls.production_a.resource_calendar_id = cls.calendar

    def _incident(self, **values):
        vals = {
            "kind": "incident",
            "title": "Picking list prints the wrong bin locations",
            "instance_id": self.production_a.id,
            "area_id": self.area_warehouse.id,
        }
        vals.update(values)
        return self.env["erp.incident"].create(vals)

    def _go_live(self, day, **values):
        self.production_a.with_user(self.manager_a).write(
            {"go_live_date": day, **values}
        )

    # ------------------------------------------------------------------
    # the period and the SLA
    # ------------------------------------------------------------------

    def test_hypercare_lasts_three_months_by_default(self):
        self._go_live(date(2026, 11, 2))
        instance = self.production_a
        self.assertEqual(instance.hypercare_months, 3)
        self.assertEqual(instance.hypercare_end_date, date(2027, 2, 2))
        with freeze_time("2026-11-01"):
            instance.invalidate_recordset(["hypercare_state"])
            self.assertEqual(instance.hypercare_state, "planned")
        with freeze_time("2027-02-01"):
            instance.invalidate_recordset(["hypercare_state"])
            self.assertEqual(instance.hypercare_state, "active")
            Instance = self.env["erp.instance"].with_user(self.key_user_a)
            self.assertIn(
                instance, Instance.search([("hypercare_state", "in", ["active"])])
            )
        with freeze_time("2027-02-02"):
            instance.invalidate_recordset(["hypercare_state"])
            self.assertEqual(instance.hypercare_state, "ended")

    def test_sla_uses_the_hypercare_response_time_during_hypercare(self):
        incident = self._incident()
        # 24 business hours from Friday 15:00: Wednesday 15:00
        self.assertEqual(
            incident._get_sla_deadline(FRIDAY_3PM), datetime(2026, 11, 25, 15, 0)
        )
        self._go_live(date(2026, 11, 2), hypercare_response_hours=4)
        # 4 business hours: Friday 15-17, Monday 8-10
        self.assertEqual(
            incident._get_sla_deadline(FRIDAY_3PM), datetime(2026, 11, 23, 10, 0)
        )
        # before go-live, and once hypercare is over, the usual time
        self._go_live(date(2026, 11, 23))
        self.assertEqual(
            incident._get_sla_deadline(FRIDAY_3PM), datetime(2026, 11, 25, 15, 0)
        )
        self._go_live(date(2026, 8, 1))
        self.assertEqual(
            incident._get_sla_deadline(FRIDAY_3PM), datetime(2026, 11, 25, 15, 0)
        )

    def test_escalation_during_hypercare_gets_the_hypercare_deadline(self):
        self._go_live(date(2026, 11, 2), hypercare_response_hours=4)
        incident = self._incident().with_user(self.key_user_wh_a)
        incident.action_start()
        with freeze_time(FRIDAY_3PM):
            self._escalate(incident)
        self.assertEqual(incident.sla_deadline, datetime(2026, 11, 23, 10, 0))

    def test_hypercare_values_are_checked(self):
        instance = self.production_a.with_user(self.manager_a)
        for values in (
            {"hypercare_months": 0},
            {"hypercare_response_hours": 0},
            {"hypercare_min_sla_rate": 120},
            {"hypercare_max_open_urgent": -1},
        ):
            with (
                self.subTest(values=values),
                mute_logger("odoo.sql_db"),
                self.assertRaises(IntegrityError),
                self.cr.savepoint(),
            ):
                instance.write(values)
                instance.flush_recordset()

    # ------------------------------------------------------------------
    # the dashboard
    # ------------------------------------------------------------------

    def _set_create_date(self, incidents, when):
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                "UPDATE erp_incident SET create_date = %s WHERE id IN %s",
                when,
                tuple(incidents.ids),
            )
        )
        self.env.invalidate_all()

    def _make_history(self, now):
        """Since a go-live 30 days before ``now``: two escalations (one met,
        one breached), three requests resolved (two by the key users), an
        open urgent incident, and fewer incidents week after week (3, 1, 1,
        0, plus the common data's incident this week). One old incident
        from before go-live counts nowhere."""
        met, breached, resolved, urgent = (
            self._incident(title=f"Hypercare incident number {n}") for n in range(4)
        )
        for incident in (met, breached):
            incident.action_start()
            with freeze_time(now - timedelta(days=20)):
                self._escalate(incident)
        met.write({"resolution": "<p>Fixed by the supplier.</p>"})
        # answered before its deadline (a late answer is a breach)
        with freeze_time(now - timedelta(days=20) + timedelta(hours=1)):
            met.action_resolve()
        breached.sla_breached = True
        resolved.write({"resolution": "<p>Answered by the key user.</p>"})
        resolved.action_resolve()
        question = self._incident(
            kind="question", title="How do I print a picking list again?"
        )
        question.write({"resolution": "<p>Use the print menu.</p>"})
        question.action_resolve()
        urgent.priority = "3"
        old = self._incident(title="Old incident before the go-live", priority="3")
        old.write({"resolution": "<p>Old.</p>"})
        old.action_resolve()
        weeks = [
            (met | breached | resolved, 4),  # 22-28 days ago
            (urgent | question, 3),
        ]
        for incidents, weeks_ago in weeks:
            self._set_create_date(incidents, now - timedelta(days=7 * weeks_ago - 1))
        extra = self._incident(title="One more incident two weeks ago")
        self._set_create_date(extra, now - timedelta(days=10))
        self._set_create_date(old, now - timedelta(days=60))
        return urgent

    def test_dashboard_sets_criteria_beside_their_thresholds(self):
        now = fields.Datetime.now()
        urgent = self._make_history(now)
        self._go_live((now - timedelta(days=30)).date())
        instance = self.production_a.with_user(self.key_user_a)
        self.assertEqual(instance.hypercare_state, "active")
        self.assertEqual(instance.hypercare_sla_count, 2)
        self.assertEqual(instance.hypercare_sla_rate, 50.0)
        self.assertFalse(instance.hypercare_sla_ok)  # minimum 90 %
        # the question and the resolved incident by the key users, the met
        # escalation by the supplier
        self.assertEqual(instance.hypercare_resolved_count, 3)
        self.assertAlmostEqual(instance.hypercare_first_level_rate, 200 / 3)
        self.assertTrue(instance.hypercare_first_level_ok)  # minimum 60 %
        self.assertEqual(instance.hypercare_open_urgent_count, 1)
        self.assertFalse(instance.hypercare_open_urgent_ok)  # maximum 0
        # incidents (not questions) per week, oldest first; the last week has
        # the incident of the common data
        self.assertEqual(instance.hypercare_weekly_counts, "3 · 1 · 1 · 1")
        self.assertEqual(instance.hypercare_trend, "falling")
        self.assertTrue(instance.hypercare_trend_ok)
        self.assertFalse(instance.hypercare_ready)

        # the manager lowers the SLA threshold; the urgent incident is solved
        self.production_a.with_user(self.manager_a).hypercare_min_sla_rate = 50
        urgent.write({"resolution": "<p>Solved.</p>"})
        urgent.action_resolve()
        instance.invalidate_recordset()
        self.assertTrue(instance.hypercare_sla_ok)
        self.assertTrue(instance.hypercare_open_urgent_ok)
        self.assertTrue(instance.hypercare_ready)

    def test_rising_incidents_are_not_ready(self):
        now = fields.Datetime.now()
        self._go_live((now - timedelta(days=15)).date())
        recent = self._incident() | self._incident(title="A second recent incident")
        self._set_create_date(recent, now - timedelta(days=2))
        instance = self.production_a.with_user(self.key_user_a)
        # with the incident of the common data, reported today
        self.assertEqual(instance.hypercare_weekly_counts, "0 · 3")
        self.assertEqual(instance.hypercare_trend, "rising")
        self.assertFalse(instance.hypercare_trend_ok)
        # a week after go-live it is too early to tell
        self._go_live((now - timedelta(days=8)).date())
        instance.invalidate_recordset()
        self.assertEqual(instance.hypercare_trend, "too_early")

    def _count_dashboard_queries(self, instances):
        self.env.invalidate_all()
        before = self.env.cr.sql_log_count
        self.assertFalse(any(instances.mapped("hypercare_ready")))
        return self.env.cr.sql_log_count - before

    def test_dashboard_values_of_several_instances_in_one_query(self):
        self._go_live((fields.Datetime.now() - timedelta(days=30)).date())
        self.staging_a.with_user(
            self.manager_a
        ).go_live_date = self.production_a.go_live_date
        self.env.flush_all()
        one = self.production_a.with_user(self.key_user_a)
        both = (self.production_a | self.staging_a).with_user(self.key_user_a)
        self._count_dashboard_queries(both)  # warm caches
        # the figures of all instances come from one query
        self.assertEqual(
            self._count_dashboard_queries(both), self._count_dashboard_queries(one)
        )

    def test_dashboard_values_are_for_key_users_and_agents(self):
        self._go_live(date(2026, 11, 2))
        for user in (self.consultation_a, self.portal_a):
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                self.production_a.with_user(user).read(["hypercare_sla_rate"])
        for user in (self.key_user_a, self.agent_a):
            with self.subTest(user=user.login):
                self.production_a.with_user(user).read(["hypercare_ready"])

    # ------------------------------------------------------------------
    # its end
    # ------------------------------------------------------------------

    def test_support_manager_ends_hypercare_tracked(self):
        today = fields.Date.today()
        self._go_live(today - timedelta(days=40), hypercare_response_hours=4)
        instance = self.production_a
        for user in (self.key_user_a, self.agent_a, self.consultation_a):
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                instance.with_user(user).action_end_hypercare()
        self.assertEqual(instance.hypercare_state, "active")
        manager_env = instance.with_user(self.manager_a).with_context(
            tracking_disable=False
        )
        self.env.cr.precommit.run()
        manager_env.action_end_hypercare()
        self.env.cr.precommit.run()  # tracking messages are posted at commit
        instance.invalidate_recordset()
        self.assertEqual(instance.hypercare_state, "ended")
        self.assertEqual(instance.hypercare_ended_on, today)
        self.assertEqual(instance.hypercare_ended_by_id, self.manager_a)
        self.assertEqual(instance.hypercare_end_date, today)
        tracked = instance.message_ids.tracking_value_ids.field_id.mapped("name")
        self.assertIn("hypercare_ended_by_id", tracked)
        self.assertIn(
            "Hypercare ended.",
            instance.message_ids.filtered(lambda m: not m.tracking_value_ids).body,
        )
        # incidents escalated from now on get the usual response time
        start = fields.Datetime.now()
        incident = self._incident()
        self.assertEqual(
            incident._get_sla_deadline(start),
            self.calendar.plan_hours(24, start, compute_leaves=True),
        )
        # an ended hypercare is not ended twice
        with self.assertRaises(UserError):
            manager_env.action_end_hypercare()
