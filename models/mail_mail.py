# Copyright 2026 erp_key_user contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

from datetime import timedelta

from odoo import fields, models

# Failures where the mail server, not the message or its recipients, may be at
# fault: it could not be reached (mail_smtp), or it answered with an error
# Odoo does not classify (unknown: a temporary 4xx as well as a rejected
# message). Invalid or missing addresses are never retried: they fail again.
RETRIED_FAILURES = ("mail_smtp", "unknown")
# retries after 5 min, 10, 20... 640 min: about 21 hours of outage in all
MAX_RETRIES = 8
FIRST_RETRY_DELAY = timedelta(minutes=5)


class MailMail(models.Model):
    _inherit = "mail.mail"

    erp_retry_count = fields.Integer(
        string="Delivery Retries",
        readonly=True,
        copy=False,
        help="How many times a key user support e-mail that the mail server "
        "failed to deliver was queued again.",
    )

    def _postprocess_sent_message(
        self, success_pids, success_emails, failure_reason=False, failure_type=None
    ):
        """Queue incident e-mails that failed on the server side again, later
        each time: an escalation reaches the supplier once the server is back,
        without anybody having to notice and resend it. After ``MAX_RETRIES``
        the mail stays in exception and its notification shows the failure to
        the key user, who can resend it."""
        res = super()._postprocess_sent_message(
            success_pids,
            success_emails,
            failure_reason=failure_reason,
            failure_type=failure_type,
        )
        if failure_type in RETRIED_FAILURES:
            self.filtered(
                lambda mail: (
                    mail.model == "erp.incident"
                    and mail.state == "exception"
                    and mail.erp_retry_count < MAX_RETRIES
                )
            )._requeue_for_retry()
        return res

    def _requeue_for_retry(self):
        """Put the mails back in the queue, each one scheduled twice as late as
        its previous retry; while they wait their notifications are pending,
        not failed (a "resend" then would send them twice)."""
        if not self:
            return
        now = fields.Datetime.now()
        # sudo: the mail queue is not the sender's to write; these are the
        # mails being sent, which the caller just processed
        for mail in self.sudo():
            mail.write(
                {
                    "state": "outgoing",
                    "scheduled_date": now + FIRST_RETRY_DELAY * 2**mail.erp_retry_count,
                    "erp_retry_count": mail.erp_retry_count + 1,
                }
            )
        notifications = (
            self.env["mail.notification"]
            .sudo()
            .search(
                [
                    ("mail_mail_id", "in", self.ids),
                    ("notification_status", "=", "exception"),
                ]
            )
        )
        notifications.write(
            {
                "notification_status": "ready",
                "failure_type": False,
                "failure_reason": False,
            }
        )
        notifications.mail_message_id._notify_message_notification_update()
        # sudo: waking the mail queue up when the first retry is due is the
        # queue's own business, whoever sent the mail
        self.env.ref("mail.ir_cron_mail_scheduler_action").sudo()._trigger(
            min(self.sudo().mapped("scheduled_date"))
        )
