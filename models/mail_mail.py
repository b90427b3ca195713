# Copyright 2026 erp_key_user contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

from odoo import models

# failures of the mail server itself, not of the message or its recipients
SERVER_FAILURES = ("mail_smtp", "unknown")


class MailMail(models.Model):
    _inherit = "mail.mail"

    def _postprocess_sent_message(
        self, success_pids, success_emails, failure_reason=False, failure_type=None
    ):
        """Keep incident e-mails that the mail server failed to deliver in the
        queue: an escalation must reach the supplier once the server is back,
        without anybody having to notice and resend it."""
        res = super()._postprocess_sent_message(
            success_pids,
            success_emails,
            failure_reason=failure_reason,
            failure_type=failure_type,
        )
        if failure_type in SERVER_FAILURES:
            self.filtered(
                lambda mail: mail.model == "erp.incident" and mail.state == "exception"
            ).sudo().write({"state": "outgoing"})
        return res
