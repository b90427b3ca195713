# Copyright 2026 erp_key_user contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The escalation wizard: the checklist of a good support request, the e-mail
to the supplier and what it does to the incident."""

from unittest.mock import patch

from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged
from odoo.tools import mute_logger

from odoo.addons.base.models.ir_mail_server import IrMail_Server

from .common import ErpKeyUserCase

GENERIC_TITLES = (
    "Problem",
    "Error",
    "Bug",
    "Issue",
    "Ongelma",
    "Vika Odoossa",
    "Fel",
    "Problema",
    "错误",
    "问题",
    "  error!  ",
    "Error in Odoo",
)


@tagged("post_install", "-at_install")
class TestEscalation(ErpKeyUserCase):
    def setUp(self):
        super().setUp()
        self.incident = self._create_incident(
            self.key_user_a,
            kind="incident",
            title="Invoice validation fails with a tax rounding error",
            res_model="res.partner",
            res_id=self.supplier.id,
            res_name="Supplier Desk",
            priority="2",
        ).with_user(self.key_user_a)
        self.incident.action_start()

    def _wizard(self, **values):
        vals = {
            "incident_id": self.incident.id,
            "description": "Validating customer invoice INV/2026/0007",
            "steps_to_reproduce": "1. Open the invoice\n2. Click Confirm",
            "expected_result": "The invoice is posted",
            "actual_result": "A blocking error",
            "error_message": "ValidationError: The move is not balanced (124.01)",
            "guide_id": self.guide_published_a.id,
            "reproduced_in_staging": True,
        }
        vals.update(values)
        return (
            self.env["erp.incident.escalate.wizard"]
            .with_user(self.key_user_a)
            .create(vals)
        )

    def _escalation_mails(self):
        return (
            self.env["mail.mail"]
            .sudo()
            .search([("model", "=", "erp.incident"), ("res_id", "=", self.incident.id)])
        )

    def test_generic_titles_are_refused(self):
        for title in GENERIC_TITLES:
            with self.subTest(title=title):
                with self.assertRaisesRegex(UserError, "does not say what happens"):
                    self._wizard(title=title).action_escalate()
        self.assertEqual(self.incident.state, "in_progress")
        self.assertFalse(self._escalation_mails())

    def test_short_titles_are_refused(self):
        with self.assertRaisesRegex(
            UserError, r"too short \(14 characters, at least 15\)"
        ):
            self._wizard(title="Invoice broken").action_escalate()
        self.assertEqual(self.incident.state, "in_progress")

    def test_checklist_lists_everything_missing(self):
        wizard = self._wizard(
            area_id=False,
            description="",
            expected_result=" ",
            error_message=False,
            guide_id=False,
            reproduced_in_staging=False,
        )
        with self.assertRaises(UserError) as caught:
            wizard.action_escalate()
        message = str(caught.exception)
        for expected in (
            "which module or area",
            "what the user was doing",
            "what result was expected",
            "exact error message or attach a screenshot",
            "which process guide was consulted",
            "Reproduce the problem in the staging instance",
        ):
            self.assertIn(expected, message)
        self.assertEqual(self.incident.state, "in_progress")
        self.assertFalse(self.incident.escalated_on)

    def test_screenshot_no_guide_and_reason_are_accepted(self):
        self.env["ir.attachment"].create(
            {
                "name": "error.png",
                "res_model": "erp.incident",
                "res_id": self.incident.id,
                "raw": b"\x89PNG\r\n",
            }
        )
        self._wizard(
            error_message=False,
            guide_id=False,
            no_guide=True,
            reproduced_in_staging=False,
            not_reproduced_reason="E-mail is disabled on staging",
        ).action_escalate()
        self.assertEqual(self.incident.state, "escalated")
        self.assertEqual(
            self.incident.not_reproduced_reason, "E-mail is disabled on staging"
        )

    def test_escalation_sends_one_structured_mail(self):
        self._wizard().action_escalate()
        incident = self.incident
        self.assertEqual(incident.state, "escalated")
        self.assertEqual(incident.kind, "incident")
        self.assertTrue(incident.escalated_on)
        self.assertGreater(incident.sla_deadline, incident.escalated_on)
        self.assertIn(self.supplier, incident.message_partner_ids)
        mails = self._escalation_mails()
        self.assertEqual(len(mails), 1)
        self.assertEqual(mails.state, "outgoing", "queued, not sent in the request")
        self.assertEqual(mails.recipient_ids, self.supplier)
        self.assertEqual(
            mails.subject,
            f"[{incident.name}] Invoice validation fails with a tax rounding error",
        )
        body = mails.body_html
        for expected in (
            "Finance",  # module / area
            "Validating customer invoice INV/2026/0007",
            "1. Open the invoice",
            "The invoice is posted",
            "A blocking error",
            "ValidationError: The move is not balanced (124.01)",
            f"/odoo/res.partner/{self.supplier.id}",
            "Production A",
            "High",
        ):
            self.assertIn(expected, body)
        message = mails.mail_message_id
        self.assertEqual(message.model, "erp.incident")
        self.assertEqual(message.res_id, incident.id, "replies thread back here")

    def test_support_email_other_than_the_desk_gets_the_mail(self):
        self.production_a.support_email = "tickets@supplier.example.com"
        self._wizard().action_escalate()
        recipients = self._escalation_mails().recipient_ids
        self.assertEqual(
            sorted(recipients.mapped("email")),
            ["desk@supplier.example.com", "tickets@supplier.example.com"],
        )

    def test_html_in_answers_is_escaped_in_the_mail(self):
        self._wizard(actual_result="<script>alert(1)</script>").action_escalate()
        body = self._escalation_mails().body_html
        self.assertNotIn("<script>", body)
        self.assertIn("&lt;script&gt;", body)

    def test_escalating_twice_is_refused(self):
        self._wizard().action_escalate()
        with self.assertRaisesRegex(UserError, "cannot be escalated: it is Escalated"):
            self._wizard().action_escalate()
        self.assertEqual(len(self._escalation_mails()), 1)

    def test_closed_or_cancelled_incident_cannot_be_escalated(self):
        self.incident.action_cancel()
        with self.assertRaisesRegex(UserError, "it is Cancelled"):
            self._wizard().action_escalate()
        with self.assertRaisesRegex(UserError, "it is Cancelled"):
            self.incident.action_open_escalation()
        self.assertFalse(self._escalation_mails())

    def test_only_key_users_escalate(self):
        wizard = self._wizard().with_user(self.consultation_a)
        with self.assertRaises(UserError):
            wizard.action_escalate()
        self.assertEqual(self.incident.state, "in_progress")

    def test_instance_without_support_desk_is_refused_with_nothing_saved(self):
        self.production_a.write({"supplier_partner_id": False, "support_email": False})
        with self.assertRaisesRegex(UserError, "has no support desk"):
            self._wizard().action_escalate()
        self.incident.invalidate_recordset()
        # the transaction is rolled back by the caller; in one request the
        # UserError undoes the state change too
        self.assertFalse(self._escalation_mails())

    @mute_logger("odoo.addons.mail.models.mail_mail")
    def test_smtp_failure_keeps_the_escalation_and_the_mail_queued(self):
        self._wizard().action_escalate()
        self.env["ir.mail_server"].create(
            {
                "name": "down",
                "smtp_host": "127.0.0.1",
                "smtp_port": 9,  # discard port: nothing listens, connection refused
                "sequence": 1,
            }
        )
        mail = self._escalation_mails()
        with patch.object(IrMail_Server, "_disable_send", return_value=False):
            self.env["mail.mail"].sudo().process_email_queue(email_ids=mail.ids)
        self.assertTrue(mail.exists())
        self.assertEqual(mail.state, "outgoing", "kept in the queue for the next run")
        self.assertTrue(mail.failure_reason)
        self.assertEqual(self.incident.state, "escalated")

    def _upload(self, user, name="error.png"):
        """A file as the wizard's upload widget creates it: linked to no record
        yet."""
        return (
            self.env["ir.attachment"]
            .with_user(user)
            .create(
                {
                    "name": name,
                    "res_model": "erp.incident.escalate.wizard",
                    "res_id": 0,
                    "raw": b"\x89PNG\r\n",
                }
            )
        )

    def test_screenshot_uploaded_in_the_wizard_joins_the_incident(self):
        screenshot = self._upload(self.key_user_a)
        wizard = self._wizard(error_message=False, attachment_ids=screenshot.ids)
        wizard.action_escalate()
        self.assertEqual(self.incident.state, "escalated")
        self.assertEqual(
            (screenshot.res_model, screenshot.res_id),
            ("erp.incident", self.incident.id),
        )
        self.assertEqual(self._wizard().attachment_count, 1)

    def test_file_not_uploaded_with_the_request_is_refused(self):
        others = self._upload(self.key_user_wh_a)
        elsewhere = self.env["ir.attachment"].create(
            {
                "name": "contract.pdf",
                "res_model": "res.partner",
                "res_id": self.supplier.id,
                "raw": b"%PDF",
            }
        )
        # the wizard may not even link another user's upload
        with self.assertRaises(AccessError), mute_logger("odoo.models"):
            self._wizard(attachment_ids=others.ids)
        values = self._wizard()._prepare_escalation_values()
        for attachment in (others, elsewhere):
            with self.subTest(attachment=attachment.name):
                with self.assertRaisesRegex(UserError, "was not uploaded with this"):
                    self.incident._action_escalate(
                        dict(values, attachment_ids=attachment.ids)
                    )
                self.assertEqual(self.incident.state, "in_progress")
        self.assertEqual(elsewhere.res_model, "res.partner")
        self.assertEqual(others.res_model, "erp.incident.escalate.wizard")
        self.assertFalse(self._escalation_mails())

    def test_checklist_on_plain_values_without_a_wizard(self):
        """The hosted platform's request form checks the same checklist on the
        values it received, before any incident exists."""
        Incident = self.env["erp.incident"].with_user(self.key_user_a)
        self.assertEqual(len(Incident._get_escalation_checklist_errors({})), 7)
        errors = Incident._get_escalation_checklist_errors(
            {
                "title": "Invoice validation fails with a tax rounding error",
                "area_id": self.area_finance.id,
                "description": "Validating customer invoice INV/2026/0007",
                "expected_result": "The invoice is posted",
                "attachment_ids": self._upload(self.key_user_a).ids,
                "no_guide": True,
                "reproduced_in_staging": False,
                "not_reproduced_reason": "E-mail is disabled on staging",
            }
        )
        self.assertEqual(errors, [])

    def test_escalation_trims_the_title_and_starts_the_sla(self):
        self._wizard(title="  Invoice validation fails on rounding  ").action_escalate()
        incident = self.incident
        self.assertEqual(incident.title, "Invoice validation fails on rounding")
        self.assertEqual(incident.state, "escalated")
        self.assertEqual(incident.kind, "incident")
        self.assertFalse(incident.sla_breached)
        self.assertEqual(incident.sla_status, "on_time")
