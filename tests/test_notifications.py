# Copyright 2026 erp_key_user contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Who hears what on an incident: the person who asked is told of every step
of the answer; the supplier's desk hears the key users only."""

from odoo.tests import HttpCase, tagged

from .common import ErpKeyUserCase

ESCALATION_ANSWERS = {
    "description": "Validating customer invoice INV/2026/0007",
    "expected_result": "The invoice is posted",
    "error_message": "ValidationError: The move is not balanced (124.01)",
    "no_guide": True,
    "reproduced_in_staging": True,
}


class NotificationCaseMixin:
    def _enable_tracking(self):
        # common.py disables tracking for speed; these tests are about it
        self.env = self.env(context=dict(self.env.context, tracking_disable=False))

    def _flush_tracking(self):
        """Post the tracking messages as the end of the request would."""
        self.env.flush_all()
        self.env.cr.precommit.run()

    def _escalate(self, incident, user):
        # creating, starting and escalating are three requests
        self._flush_tracking()
        incident.with_user(user).action_start()
        self._flush_tracking()
        self.env["erp.incident.escalate.wizard"].with_user(user).create(
            dict(ESCALATION_ANSWERS, incident_id=incident.id)
        ).action_escalate()
        self._flush_tracking()

    def _notified(self, message):
        return message.sudo().notification_ids.res_partner_id

    def _messages_after(self, incident, last_id):
        return incident.sudo().message_ids.filtered(lambda m: m.id > last_id)


@tagged("post_install", "-at_install")
class TestNotifications(NotificationCaseMixin, ErpKeyUserCase):
    def setUp(self):
        super().setUp()
        self._enable_tracking()
        self.incident = self._create_incident(
            self.key_user_a,
            kind="incident",
            title="Invoice validation fails with a tax rounding error",
            reporter_id=self.consultation_a.id,
        )
        self._escalate(self.incident, self.key_user_a)
        self.assertEqual(self.incident.state, "escalated")
        self.assertIn(self.supplier, self.incident.message_partner_ids)

    def test_a_colleague_comment_never_reaches_the_supplier(self):
        message = self.incident.with_user(self.consultation_a).message_post(
            body="It also fails on INV/2026/0008",
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
        )
        notified = self._notified(message)
        self.assertNotIn(self.supplier, notified)
        self.assertIn(self.key_user_a.partner_id, notified)
        self.assertFalse(
            self.env["mail.mail"]
            .sudo()
            .search([("mail_message_id", "=", message.id)])
            .filtered(lambda m: self.supplier in m.recipient_ids),
            "no e-mail to the supplier's desk is queued",
        )

    def test_a_key_user_comment_reaches_the_supplier(self):
        message = self.incident.with_user(self.key_user_a).message_post(
            body="The rounding is 0.01 per line; see attached",
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
        )
        self.assertIn(self.supplier, self._notified(message))
        self.assertIn(self.consultation_a.partner_id, self._notified(message))

    def test_the_supplier_reply_threads_back_to_the_key_user(self):
        escalation = self.incident.sudo().message_ids.filtered(
            lambda m: self.supplier in m.partner_ids
        )[:1]
        self.assertTrue(escalation, "the escalation was mailed to the desk")
        reply = (
            f"From: Supplier Desk <{self.supplier.email}>\r\n"
            "To: catchall@example.com\r\n"
            f"Subject: Re: [{self.incident.name}]\r\n"
            f"In-Reply-To: {escalation.message_id}\r\n"
            "Message-ID: <reply-1@supplier.example.com>\r\n"
            "Content-Type: text/plain; charset=utf-8\r\n\r\n"
            "We are looking at the rounding.\r\n"
        )
        thread_id = self.env["mail.thread"].sudo().message_process(False, reply)
        self.assertEqual(thread_id, self.incident.id)
        message = self.incident.sudo().message_ids[0]
        self.assertEqual(message.author_id, self.supplier)
        self.assertIn(self.key_user_a.partner_id, self._notified(message))

    def test_status_messages_reach_the_reporter_not_the_supplier(self):
        last = self.incident.sudo().message_ids[:1].id
        self.incident.with_user(self.key_user_a).action_set_waiting()
        self._flush_tracking()
        waiting = self._messages_after(self.incident, last)
        self.assertEqual(
            waiting.subtype_id, self.env.ref("erp_key_user.mt_erp_incident_waiting")
        )
        self.assertIn(self.consultation_a.partner_id, self._notified(waiting))
        self.assertNotIn(self.supplier, self._notified(waiting))

    def test_the_escalation_is_announced_to_the_reporter_only(self):
        escalated = self.incident.sudo().message_ids.filtered(
            lambda m: (
                m.subtype_id == self.env.ref("erp_key_user.mt_erp_incident_escalated")
            )
        )
        self.assertEqual(len(escalated), 1)
        self.assertIn(self.consultation_a.partner_id, self._notified(escalated))
        self.assertNotIn(self.supplier, self._notified(escalated))

    def test_the_resolution_is_sent_to_the_reporter_not_the_supplier(self):
        last = self.incident.sudo().message_ids[:1].id
        incident = self.incident.with_user(self.key_user_a)
        incident.resolution = "<p>Round per invoice, not per line.</p>"
        incident.action_resolve()
        self._flush_tracking()
        resolved = self._messages_after(self.incident, last).filtered(
            lambda m: (
                m.subtype_id == self.env.ref("erp_key_user.mt_erp_incident_resolved")
            )
        )
        self.assertEqual(len(resolved), 1)
        self.assertIn("Round per invoice, not per line.", resolved.body)
        self.assertIn(self.consultation_a.partner_id, self._notified(resolved))
        self.assertNotIn(self.supplier, self._notified(resolved))
        self.assertFalse(resolved.is_internal)


@tagged("post_install", "-at_install")
class TestQuestionNotifications(NotificationCaseMixin, ErpKeyUserCase):
    def setUp(self):
        super().setUp()
        self._enable_tracking()
        self.question = self._create_incident(
            self.consultation_a, title="How do I credit a paid invoice?"
        )
        self._flush_tracking()

    def test_the_reporter_follows_a_question_created_for_them(self):
        incident = self._create_incident(
            self.key_user_a,
            title="Credit notes print without the reason",
            reporter_id=self.consultation_a.id,
        )
        self.assertIn(self.consultation_a.partner_id, incident.message_partner_ids)
        incident.with_user(self.manager_a).reporter_id = self.portal_a
        self.assertIn(self.portal_a.partner_id, incident.message_partner_ids)

    def test_the_answer_reaches_the_person_who_asked(self):
        last = self.question.sudo().message_ids[:1].id
        question = self.question.with_user(self.key_user_a)
        question.resolution = "<p>Use <b>Add Credit Note</b> on the invoice.</p>"
        question.action_resolve()
        self._flush_tracking()
        answer = self._messages_after(self.question, last).filtered(
            lambda m: (
                m.subtype_id == self.env.ref("erp_key_user.mt_erp_incident_resolved")
            )
        )
        self.assertEqual(len(answer), 1)
        self.assertIn("Add Credit Note", answer.body)
        self.assertIn("was answered", answer.body)
        self.assertIn(self.consultation_a.partner_id, self._notified(answer))

    def test_the_conversion_reaches_the_person_who_asked(self):
        last = self.question.sudo().message_ids[:1].id
        self.question.with_user(self.key_user_a).action_convert_to_incident()
        self._flush_tracking()
        converted = self._messages_after(self.question, last).filtered(
            lambda m: (
                m.subtype_id == self.env.ref("erp_key_user.mt_erp_incident_converted")
            )
        )
        self.assertEqual(len(converted), 1)
        self.assertIn(self.consultation_a.partner_id, self._notified(converted))


@tagged("post_install", "-at_install")
class TestPortalCommentNotifications(NotificationCaseMixin, ErpKeyUserCase, HttpCase):
    def test_a_portal_comment_on_an_escalated_incident_skips_the_supplier(self):
        self._enable_tracking()
        incident = self._create_incident(
            self.key_user_a,
            kind="incident",
            title="Invoice validation fails with a tax rounding error",
        )
        self._escalate(incident, self.key_user_a)
        self.authenticate("portal_a", "portal_a")
        page = self.url_open(f"/my/incidents/{incident.id}").text
        self.assertIn("the supplier does not see", page)
        # the list's filters are named as in the backend
        self.assertIn(">Open<", self.url_open("/my/incidents").text)
        self.env.flush_all()
        result = self.make_jsonrpc_request(
            "/mail/message/post",
            {
                "thread_model": "erp.incident",
                "thread_id": incident.id,
                "post_data": {
                    "body": "Still blocked on my side since this morning",
                    "message_type": "comment",
                    "subtype_xmlid": "mail.mt_comment",
                },
            },
        )
        message = self.env["mail.message"].browse(result["message_id"])
        self.assertNotIn(self.supplier, self._notified(message))
        self.assertIn(self.key_user_a.partner_id, self._notified(message))
