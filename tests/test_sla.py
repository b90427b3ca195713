# Copyright 2026 erp_key_user contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""SLA deadlines in business hours of the instance calendar, and the cron that
flags breaches."""

from datetime import datetime, timedelta

from freezegun import freeze_time

from odoo import fields
from odoo.tests import tagged

from .common import ErpKeyUserCase

FRIDAY_3PM = datetime(2026, 11, 20, 15, 0)  # a Friday, UTC


@tagged("post_install", "-at_install")
class TestSla(ErpKeyUserCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # Monday to Friday, 8:00-12:00 and 13:00-17:00 (Odoo's default), in UTC
        cls.calendar = cls.env["resource.calendar"].create(
            {"name": "Support hours", "tz": "UTC", "company_id": cls.company_a.id}
        )
        cls.production_a.resource_calendar_id = cls.calendar
        cls.incident = cls._create_incident_cls()

    @classmethod
    def _create_incident_cls(cls):
        return cls.env["erp.incident"].create(
            {
                "kind": "incident",
                "title": "Payment reconciliation proposes wrong invoices",
                "instance_id": cls.production_a.id,
                "area_id": cls.area_finance.id,
            }
        )

    def test_deadline_skips_the_weekend(self):
        # Fri 15-17 (2h) + Mon 8h + Tue 8h + Wed 8-12, 13-15 (6h) = 24h
        deadline = self.incident._get_sla_deadline(FRIDAY_3PM)
        self.assertEqual(deadline, datetime(2026, 11, 25, 15, 0))

    def test_deadline_skips_a_public_holiday(self):
        self.env["resource.calendar.leaves"].create(
            {
                "name": "Public holiday",
                "calendar_id": self.calendar.id,
                "date_from": datetime(2026, 11, 24, 0, 0),
                "date_to": datetime(2026, 11, 24, 23, 59, 59),
                "resource_id": False,
            }
        )
        deadline = self.incident._get_sla_deadline(FRIDAY_3PM)
        self.assertEqual(deadline, datetime(2026, 11, 26, 15, 0))

    def test_response_hours_of_the_instance_are_used(self):
        self.production_a.response_hours = 4
        self.assertEqual(
            self.incident._get_sla_deadline(FRIDAY_3PM), datetime(2026, 11, 23, 10, 0)
        )

    def test_escalation_sets_the_deadline_from_now(self):
        incident = self.incident.with_user(self.key_user_a)
        incident.action_start()
        with freeze_time(FRIDAY_3PM):
            self._escalate(incident)
        self.assertEqual(incident.escalated_on, FRIDAY_3PM)
        self.assertEqual(incident.sla_deadline, datetime(2026, 11, 25, 15, 0))

    def _breach(self):
        incident = self.incident
        incident.action_start()
        with freeze_time(fields.Datetime.now() - timedelta(days=10)):
            self._escalate(incident, self.key_user_a)
        return incident

    def test_cron_flags_breach_once_with_one_activity_per_manager(self):
        incident = self._breach()
        self.assertFalse(incident.sla_breached)
        flagged = self.env["erp.incident"]._cron_check_sla()
        self.assertEqual(flagged, incident)
        self.assertTrue(incident.sla_breached)
        activities = incident.activity_ids.filtered(
            lambda a: a.summary.startswith("SLA breached")
        )
        self.assertEqual(activities.user_id, self.manager_a, "company A's manager only")
        self.assertEqual(len(activities), 1)
        # idempotent: a second run changes nothing
        self.assertFalse(self.env["erp.incident"]._cron_check_sla())
        self.assertEqual(
            len(incident.activity_ids.filtered(lambda a: a.summary.startswith("SLA"))),
            1,
        )

    def test_cron_ignores_incidents_within_sla_or_answered(self):
        incident = self.incident
        incident.action_start()
        self._escalate(incident, self.key_user_a)
        self.assertFalse(self.env["erp.incident"]._cron_check_sla())
        self.assertFalse(incident.sla_breached)
        incident.write({"sla_deadline": fields.Datetime.now() - timedelta(hours=1)})
        incident.action_set_waiting()
        self.assertFalse(self.env["erp.incident"]._cron_check_sla())

    def _status_everywhere(self, incident, at):
        """The SLA status at ``at`` of the incident, of its search and of its
        KPI row: one rule, three places."""
        with freeze_time(at):
            incident.invalidate_recordset(["sla_status"])
            status = incident.sla_status
            found = self.env["erp.incident"].search(
                [("id", "=", incident.id), ("sla_status", "=", status)]
            )
            self.assertEqual(found, incident, f"search by {status} at {at}")
            others = self.env["erp.incident"].search(
                [("id", "=", incident.id), ("sla_status", "!=", status)]
            )
            self.assertFalse(others, f"search not {status} at {at}")
            # the KPIs are an SQL view, read again at each moment
            self.env.flush_all()
            self.env["erp.incident.analysis"].invalidate_model()
            kpi = (
                self.env["erp.incident.analysis"]
                .with_user(self.manager_a)
                .search([("incident_id", "=", incident.id)])
            )
            self.assertEqual(kpi.sla_status, status, f"KPI at {at}")
        return status

    def test_sla_status_values(self):
        # deadline: Wednesday 25 at 15:00 (24 business hours)
        deadline = datetime(2026, 11, 25, 15, 0)
        incident = self.incident.with_user(self.key_user_a)
        incident.action_start()
        self.assertEqual(self._status_everywhere(incident, FRIDAY_3PM), "not_escalated")
        with freeze_time(FRIDAY_3PM):
            self._escalate(incident)
        self.assertEqual(incident.sla_deadline, deadline)
        for at, expected in (
            (FRIDAY_3PM, "on_time"),
            (deadline - timedelta(hours=4, seconds=1), "on_time"),
            (deadline - timedelta(hours=3), "due_soon"),
            (deadline + timedelta(minutes=1), "breached"),  # before the cron runs
        ):
            self.assertEqual(self._status_everywhere(incident, at), expected, at)
        # the supplier asks for information before the deadline: met
        with freeze_time(deadline - timedelta(hours=1)):
            incident.action_set_waiting()
        self.assertEqual(
            self._status_everywhere(incident, deadline + timedelta(days=3)), "met"
        )
        # the deadline is the first answer's: back with the supplier after
        # the deadline, it stays met and the cron leaves it alone
        incident.action_resume()
        with freeze_time(deadline + timedelta(hours=1)):
            self.assertNotIn(incident, self.env["erp.incident"]._cron_check_sla())
        self.assertEqual(
            self._status_everywhere(incident, deadline + timedelta(days=3)), "met"
        )
        # a breach flagged by the cron stays breached once answered
        late = self._create_incident_cls().with_user(self.key_user_a)
        late.action_start()
        with freeze_time(FRIDAY_3PM):
            self._escalate(late)
        with freeze_time(deadline + timedelta(hours=1)):
            self.assertIn(late, self.env["erp.incident"]._cron_check_sla())
            late.action_set_waiting()
        self.assertEqual(
            self._status_everywhere(late, deadline + timedelta(days=3)), "breached"
        )

    def test_cron_writes_through_the_orm(self):
        """write_date, the last writer and the chatter's tracking follow the
        breach flag, as for any other change."""
        incident = self._breach()
        long_ago = datetime(2026, 1, 1)
        incident.flush_recordset()
        self.env.cr.execute(
            "UPDATE erp_incident SET write_date = %s WHERE id = %s",
            [long_ago, incident.id],
        )
        incident.invalidate_recordset()
        # the escalation's transaction ends (Odoo tracks no record in the
        # transaction that created it)
        self.env.cr.precommit.run()
        self.env["erp.incident"].with_context(tracking_disable=False)._cron_check_sla()
        self.env.flush_all()
        self.env.cr.precommit.run()  # tracking messages are posted at commit
        incident.invalidate_recordset()
        self.assertTrue(incident.sla_breached)
        self.assertGreater(incident.write_date, long_ago)
        tracked = incident.message_ids.tracking_value_ids.filtered(
            lambda t: t.field_id.name == "sla_breached"
        )
        self.assertEqual(len(tracked), 1)
        self.assertEqual((tracked.old_value_integer, tracked.new_value_integer), (0, 1))
