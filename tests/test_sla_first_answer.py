# Copyright 2026 erp_key_user contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""On the supplier's platform the SLA deadline is the first answer (DESIGN
§14): an agent's first public reply or change of status meets it; an internal
note or the customer's own comment does not."""

from datetime import datetime, timedelta

from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import ErpPlatformCase

MONDAY_9AM = datetime(2026, 11, 16, 9, 0)


@tagged("post_install", "-at_install")
class TestSlaFirstAnswer(ErpPlatformCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.calendar = cls.env["resource.calendar"].create(
            {"name": "Platform hours", "tz": "UTC", "company_id": cls.company_a.id}
        )
        cls.production_c1.resource_calendar_id = cls.calendar
        cls.request = cls.incident_c1
        cls.request.action_start()
        with freeze_time(MONDAY_9AM):
            cls._escalate(cls.request)
        # 24 business hours of 8:00-12:00 and 13:00-17:00: Thursday 9:00
        cls.deadline = cls.request.sla_deadline

    def _post(self, user, body, subtype="mail.mt_comment", at=None):
        with freeze_time(at or MONDAY_9AM + timedelta(hours=2)):
            return self.request.with_user(user).message_post(
                body=body, message_type="comment", subtype_xmlid=subtype
            )

    def _status_at(self, at):
        with freeze_time(at):
            self.request.invalidate_recordset(["sla_status"])
            status = self.request.sla_status
            found = self.env["erp.incident"].search(
                [("id", "=", self.request.id), ("sla_status", "=", status)]
            )
            self.assertEqual(found, self.request, f"search by {status} at {at}")
            self.env.flush_all()
            self.env["erp.incident.analysis"].invalidate_model()
            kpi = self.env["erp.incident.analysis"].search(
                [("incident_id", "=", self.request.id)]
            )
            self.assertEqual(kpi.sla_status, status, f"KPI at {at}")
        return status

    def test_the_deadline_is_set_by_the_escalation(self):
        self.assertEqual(self.deadline, datetime(2026, 11, 19, 9, 0))
        self.assertFalse(self.request.sla_responded_on)
        self.assertEqual(self._status_at(MONDAY_9AM), "on_time")

    def test_an_agents_public_reply_meets_the_deadline(self):
        answered_at = MONDAY_9AM + timedelta(hours=2)
        self._post(self.agent_a, "We are looking at the payment run.", at=answered_at)
        self.assertEqual(self.request.sla_responded_on, answered_at)
        self.assertEqual(self.request.state, "escalated", "a reply changes no status")
        # long after the deadline, still escalated: met, and the cron leaves it
        after = self.deadline + timedelta(days=2)
        self.assertEqual(self._status_at(after), "met")
        with freeze_time(after):
            self.assertNotIn(self.request, self.env["erp.incident"]._cron_check_sla())
        self.assertFalse(self.request.sla_breached)
        # set once: the next reply and the next status do not move it
        self._post(self.agent_2_a, "Found it.", at=answered_at + timedelta(hours=1))
        with freeze_time(answered_at + timedelta(hours=2)):
            self.request.with_user(self.agent_a).action_set_waiting()
        self.assertEqual(self.request.sla_responded_on, answered_at)

    def test_an_internal_note_is_no_answer(self):
        self._post(self.agent_a, "Customer 1 again.", subtype="mail.mt_note")
        self.assertFalse(self.request.sla_responded_on)
        after = self.deadline + timedelta(hours=1)
        self.assertEqual(self._status_at(after), "breached")
        with freeze_time(after):
            self.assertIn(self.request, self.env["erp.incident"]._cron_check_sla())
        self.assertTrue(self.request.sla_breached)

    def test_the_customers_own_comment_is_no_answer(self):
        self.request.message_subscribe(
            partner_ids=(self.portal_key_user_c1 | self.portal_c1).partner_id.ids
        )
        for user in (self.portal_key_user_c1, self.portal_c1):
            self._post(user, "Any news? The vendors are waiting.")
        # nor a key user or manager of the supplier's company who is no agent
        self._post(self.manager_a, "Pinging the desk.")
        self.assertFalse(self.request.sla_responded_on)
        self.assertEqual(
            self._status_at(self.deadline + timedelta(hours=1)), "breached"
        )

    def test_a_change_of_status_meets_the_deadline(self):
        answered_at = MONDAY_9AM + timedelta(hours=5)
        with freeze_time(answered_at):
            self.request.with_user(self.agent_a).action_set_waiting()
        self.assertEqual(self.request.sla_responded_on, answered_at)
        # the customer sends the information back: escalated again, but the
        # first answer was given in time
        self.request.with_user(self.agent_a).action_resume()
        self.assertEqual(self.request.state, "escalated")
        after = self.deadline + timedelta(days=1)
        self.assertEqual(self._status_at(after), "met")
        with freeze_time(after):
            self.assertNotIn(self.request, self.env["erp.incident"]._cron_check_sla())

    def test_a_late_first_answer_is_a_breach(self):
        late = self.deadline + timedelta(hours=2)
        self._post(self.agent_a, "Sorry for the delay.", at=late)
        self.assertEqual(self.request.sla_responded_on, late)
        self.assertTrue(
            self.request.sla_breached, "flagged without waiting for the cron"
        )
        self.assertEqual(self._status_at(late + timedelta(days=1)), "breached")

    def test_the_first_answer_is_never_set_by_hand(self):
        with mute_logger("odoo.models"):
            for user in (self.agent_a, self.manager_a, self.portal_key_user_c1):
                with self.subTest(user=user.login), self.assertRaises(UserError):
                    self.request.with_user(user).write({"sla_responded_on": MONDAY_9AM})
            with self.assertRaisesRegex(UserError, "First Answer On"):
                self.env["erp.incident"].with_user(self.manager_a).create(
                    {
                        "kind": "incident",
                        "title": "Customer 1: dunning letters go out twice",
                        "instance_id": self.production_c1.id,
                        "area_id": self.area_finance.id,
                        "sla_responded_on": MONDAY_9AM,
                    }
                )
        self.assertFalse(self.request.sla_responded_on)

    def test_kpis_show_the_hours_to_the_first_answer(self):
        self._post(self.agent_a, "On it.", at=MONDAY_9AM + timedelta(hours=3))
        self.env.flush_all()
        Analysis = self.env["erp.incident.analysis"].with_user(self.agent_a)
        row = Analysis.search([("incident_id", "=", self.request.id)])
        self.assertAlmostEqual(row.hours_to_first_answer, 3.0)
        self.assertEqual(row.partner_id, self.customer_c1)

    def test_agents_read_the_kpis_of_their_customers_portal_users_never(self):
        self.env.flush_all()
        Analysis = self.env["erp.incident.analysis"]
        groups = dict(
            Analysis.with_user(self.agent_a)._read_group(
                [], ["partner_id"], ["__count"]
            )
        )
        self.assertLessEqual(
            {self.customer_c1, self.customer_c2, self.company_a.partner_id},
            set(groups),
        )
        self.assertNotIn(self.company_b.partner_id, groups, "another company")
        menu = self.env.ref("erp_key_user.menu_erp_incident_analysis_kpi")
        Menu = self.env["ir.ui.menu"]
        self.assertIn(menu.id, Menu.with_user(self.agent_a)._visible_menu_ids())
        for user in (self.portal_key_user_c1, self.portal_c1):
            with self.subTest(user=user.login):
                with (
                    mute_logger("odoo.addons.base.models.ir_model"),
                    self.assertRaises(AccessError),
                ):
                    Analysis.with_user(user).search([])
