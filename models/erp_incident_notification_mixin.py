# Copyright 2026 erp_key_user contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

from odoo import api, models
from odoo.tools import email_normalize

# status changes the person who asked is told about (state -> subtype)
STATE_SUBTYPES = {
    "escalated": "erp_key_user.mt_erp_incident_escalated",
    "waiting_info": "erp_key_user.mt_erp_incident_waiting",
}


class ErpIncidentNotificationMixin(models.AbstractModel):
    """Who hears what on an incident.

    The person who asked (and the company's followers) are told when their
    question is answered, converted, escalated, waiting for information or
    resolved, through subtypes they follow. Only key users talk to the
    supplier (they are the company's only channel to it): the supplier's desk
    follows an escalated incident so that its replies thread back, but it only
    receives the comments and e-mails written by a key user, never a
    colleague's comment nor the internal status messages.

    The model using it has ``instance_id``,
    ``state``, ``kind`` and ``reporter_id``."""

    _name = "erp.incident.notification.mixin"
    _description = "Notifications of an incident"
    # above mail.thread in the MRO, so that these overrides call its methods
    _inherit = ["mail.thread"]

    # ------------------------------------------------------------------
    # the person who asked follows
    # ------------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        records = super().create(vals_list)
        # the creator already follows (mail.thread), unless told not to or a
        # portal user (mail.thread subscribes no portal creator)
        if self.env.context.get("mail_create_nosubscribe") or self.env.user.share:
            records._subscribe_reporters()
        else:
            records.filtered(
                lambda r: r.reporter_id != self.env.user
            )._subscribe_reporters()
        return records

    def write(self, vals):
        res = super().write(vals)
        if vals.get("reporter_id"):
            self._subscribe_reporters()
        return res

    def _subscribe_reporters(self):
        """The person who asked follows the answer, whoever typed the request."""
        # sudo: a consultation user may create a question but not write on it;
        # following what they asked is part of asking
        for record in self.sudo().filtered("reporter_id"):
            record.message_subscribe(partner_ids=record.reporter_id.partner_id.ids)

    def _creation_message(self):
        self.ensure_one()
        if self.kind == "question":
            return self.env._("Question asked")
        return self.env._("Incident reported")

    # ------------------------------------------------------------------
    # status messages with subtypes
    # ------------------------------------------------------------------

    def _track_subtype(self, init_values):
        self.ensure_one()
        if "state" in init_values and self.state in STATE_SUBTYPES:
            return self.env.ref(STATE_SUBTYPES[self.state])
        if init_values.get("kind") == "question" and self.kind == "incident":
            return self.env.ref("erp_key_user.mt_erp_incident_converted")
        # the resolution is told by its own message (_track_template)
        return super()._track_subtype(init_values)

    def _track_template(self, changes):
        res = super()._track_template(changes)
        if changes and "state" in changes and self[:1].state == "resolved":
            res["state"] = (
                self.env.ref("erp_key_user.mail_template_erp_incident_resolved"),
                {
                    "subtype_xmlid": "erp_key_user.mt_erp_incident_resolved",
                    "email_layout_xmlid": "mail.mail_notification_light",
                },
            )
        return res

    # ------------------------------------------------------------------
    # the supplier hears only the key users
    # ------------------------------------------------------------------

    def _get_supplier_partner_filter(self):
        """(partner ids, normalized e-mails) of the supplier's desk."""
        # sudo: the instance's supplier and support address decide who must not
        # be notified; the author (a colleague) may not read the instance
        instance = self.instance_id.sudo()
        return set(instance.supplier_partner_id.ids), {
            email
            for email in (
                email_normalize(instance.support_email or ""),
                instance.supplier_partner_id.email_normalized,
            )
            if email
        }

    def _is_written_for_supplier(self, message, msg_vals):
        """A discussion message (a comment, the escalation e-mail) by a key
        user reaches the supplier's desk; status messages, which have
        subtypes of their own, and notes never do."""
        msg_vals = msg_vals or {}
        subtype_id = msg_vals.get("subtype_id") or message.subtype_id.id
        if subtype_id != self.env["ir.model.data"]._xmlid_to_res_id("mail.mt_comment"):
            return False
        author = self.env["res.partner"].browse(
            msg_vals.get("author_id") or message.author_id.id
        )
        # sudo: the author's groups decide, whoever posts. A customer's portal
        # key user is the customer's channel to the supplier on the platform.
        return any(
            user.has_group("erp_key_user.group_key_user")
            or user.has_group("erp_key_user.group_portal_key_user")
            for user in author.sudo().user_ids
        )

    def _notify_get_recipients(self, message, msg_vals=False, **kwargs):
        recipients = super()._notify_get_recipients(
            message, msg_vals=msg_vals, **kwargs
        )
        if len(self) != 1 or not self.instance_id:
            return recipients
        if self._is_written_for_supplier(message, msg_vals):
            return recipients
        partner_ids, emails = self._get_supplier_partner_filter()
        return [
            recipient
            for recipient in recipients
            if recipient["id"] not in partner_ids
            and not (
                recipient.get("share")
                and recipient.get("email_normalized") in emails
                and not recipient.get("uid")
            )
        ]
