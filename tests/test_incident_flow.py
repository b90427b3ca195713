# Copyright 2026 erp_key_user contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The incident state machine, through the public action_* methods, acting as
the role that clicks the button."""

from datetime import timedelta

from freezegun import freeze_time

from odoo import fields
from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import ErpKeyUserCase


@tagged("post_install", "-at_install")
class TestIncidentFlow(ErpKeyUserCase):
    def setUp(self):
        super().setUp()
        self.incident = self._create_incident(
            self.key_user_a, kind="incident"
        ).with_user(self.key_user_a)

    def _escalated(self):
        self.incident.action_start()
        self._escalate(self.incident)
        return self.incident

    def test_start(self):
        self.assertEqual(self.incident.state, "new")
        self.incident.action_start()
        self.assertEqual(self.incident.state, "in_progress")
        with self.assertRaisesRegex(UserError, "cannot be started: it is In Progress"):
            self.incident.action_start()

    def test_consultation_user_cannot_move_an_incident(self):
        incident = self.incident.with_user(self.consultation_a)
        for action in (
            "action_start",
            "action_cancel",
            "action_resolve",
            "action_close",
        ):
            with self.subTest(action=action):
                with self.assertRaises(UserError):
                    getattr(incident, action)()
        self.assertEqual(self.incident.state, "new")

    def test_waiting_for_information_and_back(self):
        incident = self._escalated()
        incident.action_set_waiting()
        self.assertEqual(incident.state, "waiting_info")
        with self.assertRaises(UserError):
            incident.action_set_waiting()
        incident.action_resume()
        self.assertEqual(incident.state, "escalated")
        self.incident.action_cancel()
        with self.assertRaises(UserError):
            incident.action_resume()

    def test_set_waiting_needs_an_escalated_incident(self):
        self.incident.action_start()
        with self.assertRaisesRegex(UserError, "it is In Progress"):
            self.incident.action_set_waiting()

    def test_resolve_needs_a_resolution(self):
        self.incident.action_start()
        with self.assertRaisesRegex(UserError, "Write the resolution"):
            self.incident.action_resolve()
        self.incident.resolution = "<p>  </p>"
        with self.assertRaisesRegex(UserError, "Write the resolution"):
            self.incident.action_resolve()
        self.assertEqual(self.incident.state, "in_progress")

    def test_resolve_at_first_level(self):
        question = self._create_incident(self.consultation_a, kind="question")
        self.assertTrue(question.activity_ids)
        question = question.with_user(self.key_user_a)
        question.write(
            {
                "resolution": "<p>Use the Credit Note button.</p>",
                "guide_id": self.guide_published_a.id,
            }
        )
        question.action_resolve()
        self.assertEqual(question.state, "resolved")
        self.assertEqual(question.resolution_level, "key_user")
        self.assertTrue(question.resolved_on)
        self.assertFalse(question.activity_ids, "the activity to answer is done")
        self.assertEqual(self.guide_published_a.incident_count, 1)

    def test_resolve_after_escalation_is_the_suppliers(self):
        incident = self._escalated()
        incident.resolution = "<p>Patched by the supplier.</p>"
        incident.action_resolve()
        self.assertEqual(incident.resolution_level, "supplier")

    def test_close_and_reopen(self):
        self.incident.resolution = "<p>Done</p>"
        with self.assertRaisesRegex(
            UserError, "cannot be closed: it is New, not resolved"
        ):
            self.incident.action_close()
        self.incident.action_resolve()
        self.incident.action_reopen()
        self.assertEqual(self.incident.state, "in_progress")
        self.assertFalse(self.incident.resolved_on)
        self.assertFalse(self.incident.resolution_level)
        self.incident.action_resolve()
        self.incident.action_close()
        self.assertEqual(self.incident.state, "closed")
        with self.assertRaisesRegex(UserError, "cannot be reopened: it is Closed"):
            self.incident.action_reopen()

    def test_cancel_only_open_incidents(self):
        self.incident.action_cancel()
        self.assertEqual(self.incident.state, "cancelled")
        with self.assertRaisesRegex(UserError, "it is Cancelled"):
            self.incident.action_cancel()

    def test_open_escalation_returns_the_wizard(self):
        with self.assertRaisesRegex(UserError, "cannot be escalated: it is New"):
            self.incident.action_open_escalation()
        self.incident.action_start()
        action = self.incident.action_open_escalation()
        self.assertEqual(action["res_model"], "erp.incident.escalate.wizard")
        self.assertEqual(action["context"]["default_incident_id"], self.incident.id)
        with self.assertRaisesRegex(UserError, "Only key users"):
            self.incident.with_user(self.consultation_a).action_open_escalation()

    def test_convert_question_to_incident(self):
        question = self._create_incident(self.consultation_a, kind="question")
        with self.assertRaisesRegex(UserError, "Only key users"):
            question.action_convert_to_incident()
        question.with_user(self.key_user_a).action_convert_to_incident()
        self.assertEqual(question.kind, "incident")
        self.assertEqual(question.state, "in_progress")
        with self.assertRaisesRegex(UserError, "Only open questions"):
            question.with_user(self.key_user_a).action_convert_to_incident()

    def test_only_key_users_create_incidents(self):
        with self.assertRaisesRegex(UserError, "Only key users open incidents"):
            self._create_incident(self.consultation_a, kind="incident")
        question = self._create_incident(self.consultation_a, kind="question")
        self.assertEqual(question.reporter_id, self.consultation_a)
        self.assertRegex(question.name, r"^INC/\d{4}/\d{5}$")

    @mute_logger("odoo.addons.base.models.ir_rule")
    def test_portal_user_asks_questions_of_their_own_company_only(self):
        # portal consultation users ask their key user (the portal's form
        # creates the question as them): questions of their own customer (here
        # their company's partner), as themselves, never incidents
        question = self._create_incident(self.portal_a, kind="question")
        self.assertEqual(question.reporter_id, self.portal_a)
        self.assertEqual(question.key_user_id, self.key_user_a)
        with self.assertRaises(UserError):
            self._create_incident(self.portal_a, kind="incident")
        with self.assertRaises(UserError):
            self._create_incident(
                self.portal_a, kind="question", reporter_id=self.consultation_a.id
            )
        # another customer of the same company (on the supplier's platform)
        hosted = self.env["erp.instance"].create(
            {
                "name": "A customer's production",
                "company_id": self.company_a.id,
                "partner_id": self.env["res.partner"]
                .create({"name": "A customer", "is_company": True})
                .id,
            }
        )
        with mute_logger("odoo.addons.base.models.ir_rule", "odoo.models"):
            with self.assertRaises(AccessError):
                self._create_incident(
                    self.portal_a, kind="question", instance_id=hosted.id
                )
            with self.assertRaises(AccessError):
                self._create_incident(self.portal_no_role_a, kind="question")

    def test_problem_persists_reopens(self):
        question = self._create_incident(self.consultation_a, kind="question")
        question.with_user(self.key_user_a).write({"resolution": "<p>Restart.</p>"})
        question.with_user(self.key_user_a).action_resolve()
        question.with_user(self.consultation_a).action_problem_persists()
        self.assertEqual(question.state, "in_progress")
        self.assertEqual(
            question.message_ids[:1].author_id, self.consultation_a.partner_id
        )
        self.assertIn("persists", question.message_ids[:1].body)
        self.assertEqual(
            question.activity_ids.mapped("summary"), ["The problem persists"]
        )
        with self.assertRaises(UserError):
            question.with_user(self.consultation_a).action_problem_persists()

    def test_problem_persists_only_for_the_person_who_asked(self):
        question = self._create_incident(self.consultation_a, kind="question")
        question.with_user(self.key_user_a).write({"resolution": "<p>Restart.</p>"})
        question.with_user(self.key_user_a).action_resolve()
        colleague = self.consultation_a.copy({"login": "colleague_a"})
        with self.assertRaisesRegex(UserError, "add a comment instead"):
            question.with_user(colleague).action_problem_persists()
        self.assertEqual(question.state, "resolved")
        question.with_user(self.consultation_a).action_problem_persists(
            details="The PDF still has no lot numbers"
        )
        self.assertEqual(question.state, "in_progress")
        self.assertIn("still has no lot numbers", question.message_ids[:1].body)

    def test_autoclose_after_configured_days(self):
        self.env["ir.config_parameter"].set_param("erp_key_user.autoclose_days", 7)
        old, recent = self.incident, self._create_incident(self.key_user_a)
        for incident in old | recent:
            incident.with_user(self.key_user_a).resolution = "<p>ok</p>"
        now = fields.Datetime.now()
        with freeze_time(now - timedelta(days=8)):
            old.action_resolve()
        with freeze_time(now - timedelta(days=2)):
            recent.with_user(self.key_user_a).action_resolve()
        closed = self.env["erp.incident"]._cron_autoclose_resolved()
        self.assertEqual(closed, old)
        self.assertEqual(old.state, "closed")
        self.assertEqual(recent.state, "resolved")

    def test_autoclose_disabled_with_zero(self):
        self.env["ir.config_parameter"].set_param("erp_key_user.autoclose_days", 0)
        self.incident.resolution = "<p>ok</p>"
        with freeze_time(fields.Datetime.now() - timedelta(days=30)):
            self.incident.action_resolve()
        self.assertFalse(self.env["erp.incident"]._cron_autoclose_resolved())
        self.assertEqual(self.incident.state, "resolved")

    # ------------------------------------------------------------------
    # the transition table
    # ------------------------------------------------------------------

    def _run_action(self, incident, action):
        if action == "escalate":
            return self._escalate(incident)
        if action == "resolve":
            incident.resolution = "<p>Answered</p>"
        method = {
            "convert": "action_convert_to_incident",
            "set_waiting": "action_set_waiting",
        }.get(action, f"action_{action}")
        return getattr(incident, method)()

    def test_every_state_change_outside_the_table_is_refused(self):
        Incident = self.env["erp.incident"]
        states = dict(Incident._fields["state"]._description_selection(self.env))
        for action, (allowed_from, _target) in Incident._state_transitions.items():
            for state in set(states) - set(allowed_from):
                with self.subTest(action=action, state=state):
                    incident = self._create_incident(self.key_user_a).with_user(
                        self.key_user_a
                    )
                    # a question, so that converting it is refused by its state
                    incident.sudo().write({"state": state, "kind": "question"})
                    with self.assertRaisesRegex(UserError, f"it is {states[state]}"):
                        self._run_action(incident, action)
                    self.assertEqual(incident.state, state)
                    self.assertEqual(incident.kind, "question")

    def test_resolve_a_cancelled_incident_is_refused(self):
        self.incident.action_cancel()
        self.incident.resolution = "<p>Too late</p>"
        with self.assertRaisesRegex(UserError, "cannot be resolved: it is Cancelled"):
            self.incident.action_resolve()
        self.assertEqual(self.incident.state, "cancelled")
        self.assertFalse(self.incident.resolution_level)

    def test_convert_a_closed_question_is_refused(self):
        question = self._create_incident(self.consultation_a, kind="question")
        question = question.with_user(self.key_user_a)
        question.resolution = "<p>Use the Credit Note button.</p>"
        question.action_resolve()
        question.action_close()
        with self.assertRaisesRegex(
            UserError, "cannot be converted into an incident: it is Closed"
        ):
            question.action_convert_to_incident()
        self.assertEqual(question.kind, "question")

    def test_the_answer_activity_closes_with_the_question(self):
        answer_type = self.env.ref(
            "erp_key_user.mail_activity_type_erp_incident_answer"
        )
        for action, done in (
            ("convert", True),
            ("escalate", True),
            ("resolve", True),
            ("cancel", False),
        ):
            with self.subTest(action=action):
                question = self._create_incident(self.consultation_a, kind="question")
                self.assertEqual(question.activity_ids.activity_type_id, answer_type)
                self.assertEqual(question.activity_ids.user_id, self.key_user_a)
                question = question.with_user(self.key_user_a)
                if action == "escalate":
                    question.action_start()
                self._run_action(question, action)
                self.assertFalse(question.activity_ids)
                done_messages = question.message_ids.filtered(
                    lambda m, t=answer_type: m.mail_activity_type_id == t
                )
                self.assertEqual(bool(done_messages), done)
