# Copyright 2026 erp_key_user contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The escalation e-mail against a real SMTP server (tests/smtp_server.py)
that is down, rejects the message, or accepts it: an outage loses nothing, a
broken message stops being retried."""

from datetime import timedelta
from unittest.mock import patch

from freezegun import freeze_time

from odoo.tests import tagged
from odoo.tools import mute_logger

from odoo.addons.base.models.ir_mail_server import IrMail_Server

from ..models.mail_mail import FIRST_RETRY_DELAY, MAX_RETRIES
from .common import ErpKeyUserCase
from .smtp_server import SmtpServer

CLOSED_PORT = 9  # discard: nothing listens, the connection is refused


@tagged("post_install", "-at_install")
class TestMailRetry(ErpKeyUserCase):
    def setUp(self):
        super().setUp()
        incident = self._create_incident(
            self.key_user_a,
            kind="incident",
            title="Invoice validation fails with a tax rounding error",
        )
        incident.with_user(self.key_user_a).action_start()
        self._escalate(incident, self.key_user_a)
        self.mail = (
            self.env["mail.mail"]
            .sudo()
            .search([("model", "=", "erp.incident"), ("res_id", "=", incident.id)])
        )
        self.assertEqual(len(self.mail), 1)
        self.notification = self.env["mail.notification"].search(
            [("mail_mail_id", "=", self.mail.id)]
        )
        self.assertEqual(self.notification.res_partner_id, self.supplier)
        self.mail_server = self.env["ir.mail_server"].create(
            {
                "name": "Outgoing",
                "smtp_host": "127.0.0.1",
                "smtp_port": CLOSED_PORT,
                "smtp_encryption": "none",
                "sequence": 1,
            }
        )
        patcher = patch.object(IrMail_Server, "_disable_send", return_value=False)
        patcher.start()
        self.addCleanup(patcher.stop)

    def _run_queue(self, at):
        with freeze_time(at):
            self.env["mail.mail"].sudo().process_email_queue()
        self.env.invalidate_all()

    @mute_logger("odoo.addons.mail.models.mail_mail")
    def test_server_outage_is_retried_later_and_delivers(self):
        queued_on = self.mail.create_date.replace(microsecond=0)
        self._run_queue(queued_on)
        self.assertEqual(self.mail.state, "outgoing", "kept in the queue")
        self.assertIn("Connection refused", self.mail.failure_reason)
        self.assertEqual(self.mail.erp_retry_count, 1)
        self.assertEqual(self.mail.scheduled_date, queued_on + FIRST_RETRY_DELAY)
        # pending, not failed: nobody is asked to resend what will be retried
        self.assertEqual(self.notification.notification_status, "ready")

        # the next runs of the queue, before the retry is due, leave it alone
        self._run_queue(queued_on + FIRST_RETRY_DELAY / 2)
        self.assertEqual(self.mail.erp_retry_count, 1)

        with SmtpServer() as server:
            self.mail_server.smtp_port = server.port
            self._run_queue(self.mail.scheduled_date + timedelta(seconds=1))
        self.assertEqual(self.mail.state, "sent")
        # (the queue also held the other mails of the test data)
        delivered = [m for m in server.messages if self.mail.message_id.encode() in m]
        self.assertEqual(len(delivered), 1)
        self.assertIn(b"Invoice validation fails", delivered[0])
        self.assertEqual(self.notification.notification_status, "sent")

    @mute_logger("odoo.addons.mail.models.mail_mail")
    def test_broken_message_stops_being_retried_after_the_cap(self):
        reply = "554 5.6.0 Message content rejected"
        at = self.mail.create_date.replace(microsecond=0)
        delays = []
        with SmtpServer(reject=reply) as server:
            self.mail_server.smtp_port = server.port
            for attempt in range(1, MAX_RETRIES + 1):
                self._run_queue(at)
                self.assertEqual(self.mail.state, "outgoing")
                self.assertEqual(self.mail.erp_retry_count, attempt)
                self.assertEqual(self.notification.notification_status, "ready")
                delays.append(self.mail.scheduled_date - at)
                at = self.mail.scheduled_date + timedelta(seconds=1)
            # the last attempt: the cap is reached, the failure is left visible
            self._run_queue(at)
            self.assertEqual(self.mail.state, "exception")
            self.assertEqual(self.mail.failure_type, "unknown")
            self.assertIn("Message content rejected", self.mail.failure_reason)
            self.assertEqual(self.mail.erp_retry_count, MAX_RETRIES)
            self.assertEqual(self.notification.notification_status, "exception")
            self.assertEqual(
                self.notification.mail_message_id.author_id,
                self.key_user_a.partner_id,
                "the key user who escalated sees the failed delivery",
            )
            # and no later run of the queue tries it again
            self._run_queue(at + timedelta(days=30))
            self.assertEqual(self.mail.state, "exception")
            self.assertEqual(self.mail.erp_retry_count, MAX_RETRIES)
        self.assertEqual(
            delays,
            [FIRST_RETRY_DELAY * 2**n for n in range(MAX_RETRIES)],
            "each retry waits twice as long as the one before",
        )
        self.assertFalse(server.messages, "the server accepted nothing")
