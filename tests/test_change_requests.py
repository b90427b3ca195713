# Copyright 2026 erp_key_user contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Change requests apart from incidents (issue #18, part 3): a key user marks
a question or incident as a new need; it leaves the SLA and the KPIs, the
support manager approves it, it is sent to the supplier for a quote, and its
answer and delivery are recorded. Every step as the role that takes it."""

from datetime import timedelta

from odoo import fields
from odoo.exceptions import AccessError, UserError
from odoo.tests import HttpCase, tagged
from odoo.tests.common import JsonRpcException
from odoo.tools import mute_logger

from .common import ErpPlatformCase

APPROVAL = "erp_key_user.mail_activity_type_erp_change_request_approval"


class ChangeRequestCase(ErpPlatformCase):
    def _new_incident(self, **values):
        return self._create_incident(
            self.key_user_a,
            kind="incident",
            title="Delivery slips should show the lot of every line",
            **values,
        )

    def _approval_activities(self, request):
        return request.sudo().activity_ids.filtered(
            lambda a: a.activity_type_id == self.env.ref(APPROVAL)
        )

    def _proposed(self):
        request = self._new_incident()
        request.action_mark_change_request()
        return request


@tagged("post_install", "-at_install")
class TestChangeRequestFlow(ChangeRequestCase):
    def test_key_user_marks_a_question_for_the_managers_approval(self):
        question = self._create_incident(
            self.consultation_a, title="Could invoices show our bank account?"
        )
        request = question.with_user(self.key_user_a)
        request.action_mark_change_request()
        self.assertEqual(request.kind, "change_request")
        self.assertEqual(request.state, "proposed")
        self.assertTrue(request.change_proposed_on)
        # the question is answered: the key user's activity is done, the
        # support manager of the company gets one to approve or refuse
        self.assertEqual(
            request.sudo().activity_ids.activity_type_id, self.env.ref(APPROVAL)
        )
        self.assertEqual(self._approval_activities(request).user_id, self.manager_a)

    def test_whole_flow_to_done(self):
        request = self._proposed()
        request.with_user(self.manager_a).action_approve_change()
        self.assertEqual(request.state, "approved")
        self.assertTrue(request.change_approved_on)
        self.assertFalse(self._approval_activities(request))
        request.action_send_change_request()
        self.assertEqual(request.state, "sent")
        self.assertTrue(request.change_sent_on)
        request.action_accept_quote()
        self.assertEqual(request.state, "accepted")
        self.assertTrue(request.change_answered_on)
        request.with_user(self.manager_a).action_finish_change()
        self.assertEqual(request.state, "done")

    def test_supplier_refuses_the_quote(self):
        request = self._proposed()
        request.with_user(self.manager_a).action_approve_change()
        request.action_send_change_request()
        request.action_refuse_quote()
        self.assertEqual(request.state, "refused")
        self.assertTrue(request.change_answered_on)

    def test_manager_refuses_the_proposal(self):
        request = self._proposed()
        request.with_user(self.manager_a).action_refuse_change()
        self.assertEqual(request.state, "refused")
        self.assertFalse(self._approval_activities(request))
        with self.assertRaisesRegex(UserError, "not approved"):
            request.action_send_change_request()

    def test_sent_to_the_supplier_as_a_request_for_a_quote(self):
        request = self._proposed()
        request.with_user(self.manager_a).action_approve_change()
        request.action_send_change_request()
        mails = (
            self.env["mail.mail"]
            .search([("model", "=", "erp.incident"), ("res_id", "=", request.id)])
            .filtered(lambda mail: self.supplier in mail.recipient_ids)
        )
        self.assertEqual(len(mails), 1)
        self.assertIn("Request for a quote", mails.subject)
        self.assertEqual(mails.recipient_ids, self.supplier)
        self.assertEqual(mails.state, "outgoing")  # queued, never sent inline
        self.assertIn(self.supplier, request.message_partner_ids)

    def test_sending_goes_through_the_hook_once_per_request(self):
        requests = self._proposed() | self._proposed()
        requests.with_user(self.manager_a).action_approve_change()
        sent = []
        Incident = type(self.env["erp.incident"])
        original = Incident._send_change_request_to_supplier

        def spy(record):
            sent.append(record.id)
            return original(record)

        self.patch(Incident, "_send_change_request_to_supplier", spy)
        requests.action_send_change_request()
        self.assertEqual(sorted(sent), sorted(requests.ids))

    def test_steps_out_of_order_are_refused(self):
        request = self._proposed()
        with self.assertRaisesRegex(UserError, "not approved"):
            request.action_send_change_request()
        with self.assertRaisesRegex(UserError, "not waiting for a quote"):
            request.action_accept_quote()
        with self.assertRaisesRegex(UserError, "not accepted"):
            request.action_finish_change()
        with self.assertRaisesRegex(UserError, "cannot become a change request"):
            request.action_mark_change_request()
        # nor back into the incidents' flow
        with self.assertRaises(UserError):
            request.action_resolve()
        with self.assertRaises(UserError):
            request.action_cancel()

    def test_closed_incident_cannot_be_marked(self):
        incident = self._new_incident()
        incident.resolution = "<p>Done by hand.</p>"
        incident.action_resolve()
        with self.assertRaisesRegex(UserError, "cannot become a change request"):
            incident.action_mark_change_request()

    def test_change_request_is_not_reported_as_such(self):
        with self.assertRaisesRegex(UserError, "not reported as such"):
            self._create_incident(self.key_user_a, kind="change_request")
        with self.assertRaisesRegex(UserError, "not reported as such"):
            self._create_incident(self.consultation_a, kind="change_request")

    def test_state_kind_and_dates_only_through_the_flow(self):
        request = self._proposed()
        for vals in (
            {"state": "approved"},
            {"kind": "incident"},
            {"change_approved_on": fields.Datetime.now()},
            {"change_sent_on": fields.Datetime.now()},
        ):
            with self.subTest(vals=vals), self.assertRaises(UserError):
                request.with_user(self.manager_a).write(vals)
        with self.assertRaises(UserError):
            self._new_incident().write({"kind": "change_request"})


@tagged("post_install", "-at_install")
class TestChangeRequestRoles(ChangeRequestCase):
    def test_only_key_users_mark(self):
        question = self._create_incident(self.consultation_a, title="Add a field")
        for user in (self.consultation_a, self.agent_a, self.employee_a):
            with (
                self.subTest(user=user.login),
                self.assertRaises(UserError),
            ):
                question.with_user(user).action_mark_change_request()
        self.assertEqual(question.kind, "question")

    def test_only_managers_approve_or_refuse(self):
        request = self._proposed()
        with self.assertRaisesRegex(UserError, "Only support managers"):
            request.with_user(self.key_user_a).action_approve_change()
        with self.assertRaisesRegex(UserError, "Only support managers"):
            request.with_user(self.key_user_a).action_refuse_change()
        for user in (self.consultation_a, self.agent_a):
            with self.subTest(user=user.login):
                with self.assertRaises(UserError):
                    request.with_user(user).action_approve_change()
                with self.assertRaises(UserError):
                    request.with_user(user).action_refuse_change()
        # a manager of another company does not even see it
        with self.assertRaises(AccessError):
            request.with_user(self.manager_b).action_approve_change()
        self.assertEqual(request.state, "proposed")

    def test_consultation_users_read_but_do_not_act(self):
        request = self._proposed()
        request.with_user(self.manager_a).action_approve_change()
        as_colleague = request.with_user(self.consultation_a)
        self.assertEqual(as_colleague.state, "approved")
        self.assertEqual(as_colleague.kind, "change_request")
        with self.assertRaises(UserError):
            as_colleague.action_send_change_request()
        request.action_send_change_request()
        for action in ("action_accept_quote", "action_refuse_quote"):
            with self.assertRaises(UserError):
                getattr(as_colleague, action)()
        self.assertEqual(request.state, "sent")

    def test_portal_users_read_their_customers_change_requests_only(self):
        request = self.incident_c1
        request.action_mark_change_request()
        self.assertEqual(request.with_user(self.portal_c1).state, "proposed")
        self.assertFalse(
            self.env["erp.incident"]
            .with_user(self.portal_c2)
            .search([("kind", "=", "change_request")])
        )
        for user in (self.portal_c1, self.portal_key_user_c1):
            with self.subTest(user=user.login), self.assertRaises(UserError):
                request.with_user(user).action_approve_change()
            # the mail routes post in sudo mode for whoever may read
            with self.assertRaisesRegex(UserError, "read-only on the portal"):
                request.with_user(user).sudo().message_post(
                    body="Please hurry", message_type="comment"
                )


@tagged("post_install", "-at_install")
class TestChangeRequestLeavesSlaAndKpis(ChangeRequestCase):
    def _escalated_late(self):
        incident = self._new_incident()
        incident.action_start()
        self._escalate(incident, self.key_user_a)
        incident.sudo()._write_lifecycle(
            {"sla_deadline": fields.Datetime.now() - timedelta(hours=1)}
        )
        return incident

    def test_escalated_incident_marked_leaves_the_sla(self):
        incident = self._escalated_late()
        self.assertEqual(incident.sla_status, "breached")
        incident.action_mark_change_request()
        self.assertFalse(incident.sla_deadline)
        self.assertFalse(incident.sla_breached)
        self.assertEqual(incident.sla_status, "not_escalated")
        self.assertNotIn(incident, self.env["erp.incident"]._cron_check_sla())
        self.assertFalse(incident.sla_breached)

    def test_change_requests_are_no_row_of_the_kpis(self):
        incident = self._escalated_late()
        Analysis = self.env["erp.incident.analysis"].with_user(self.manager_a)
        self.assertTrue(Analysis.search([("incident_id", "=", incident.id)]))
        incident.action_mark_change_request()
        self.env.flush_all()
        self.assertFalse(Analysis.search([("incident_id", "=", incident.id)]))

    def test_kanban_columns_are_the_change_requests_states(self):
        self._proposed()
        # what a kanban view asks (read_group_expand: its empty columns too)
        Incident = (
            self.env["erp.incident"]
            .with_user(self.key_user_a)
            .with_context(read_group_expand=True)
        )

        def columns(model, kind):
            groups = model.web_read_group(
                [("kind", "=", kind)], ["state"], ["__count"]
            )["groups"]
            return [group["state"] for group in groups]

        self.assertEqual(
            columns(
                Incident.with_context(erp_change_request_states=True),
                "change_request",
            ),
            ["proposed", "approved", "sent", "accepted", "refused", "done"],
        )
        self.assertEqual(
            columns(Incident, "incident"),
            [
                "new",
                "in_progress",
                "escalated",
                "waiting_info",
                "resolved",
                "closed",
                "cancelled",
            ],
        )


@tagged("post_install", "-at_install")
class TestChangeRequestPortal(ChangeRequestCase, HttpCase):
    def test_portal_page_is_read_only(self):
        request = self.incident_c1
        request.action_mark_change_request()
        self.env.flush_all()
        self.authenticate("portal_c1", "portal_c1")
        response = self.url_open(f"/my/incidents/{request.id}")
        self.assertEqual(response.status_code, 200)
        self.assertIn("o_erp_change_request_read_only", response.text)
        self.assertIn('data-allow_composer="0"', response.text)
        self.assertIn('data-state="proposed"', response.text)
        listing = self.url_open("/my/incidents?filterby=change_requests")
        self.assertIn(request.title, listing.text)
        self.assertNotIn(self.incident_c2.title, listing.text)
        with mute_logger("odoo.http"), self.assertRaises(JsonRpcException):
            self.make_jsonrpc_request(
                "/mail/message/post",
                {
                    "thread_model": "erp.incident",
                    "thread_id": request.id,
                    "post_data": {"body": "Please hurry", "message_type": "comment"},
                },
            )
        self.assertNotIn("Please hurry", request.message_ids.mapped("body"))
