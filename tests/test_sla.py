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
