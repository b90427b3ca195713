# Copyright 2026 erp_key_user contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

import re

from odoo import _, api, fields, models
from odoo.exceptions import LockError, UserError

from .erp_text_mixin import has_text, is_invisible, strip_text

# Titles that say nothing, in the languages of the teams that use the addon.
GENERIC_TITLES = {
    "problem",
    "error",
    "bug",
    "issue",
    "help",
    "error in odoo",
    "problem in odoo",
    "ongelma",
    "vika",
    "vika odoossa",
    "fel",
    "problema",
    "incidencia",
    "错误",
    "问题",
}
MIN_TITLE_LENGTH = 15
# the checklist answers an escalation writes on the incident
ESCALATION_ANSWER_FIELDS = (
    "title",
    "area_id",
    "description",
    "expected_result",
    "actual_result",
    "error_message",
    "steps_to_reproduce",
    "guide_id",
    "reproduced_in_staging",
    "not_reproduced_reason",
)


class ErpIncidentEscalationMixin(models.AbstractModel):
    """Escalation of an incident to the implementation partner's support desk:
    the checklist of a good support request and the one method that escalates.

    Every caller (the key users' escalation wizard, later the hosted
    platform's support-request form) passes the checklist answers as plain
    values to ``_action_escalate``, the only way an incident in progress
    reaches the supplier (``action_resume`` only sends it back there after the
    supplier asked for information)."""

    _name = "erp.incident.escalation.mixin"
    _description = "Escalation of an incident to the supplier"

    # ------------------------------------------------------------------
    # checklist
    # ------------------------------------------------------------------

    @api.model
    def _get_title_error(self, title):
        """Why ``title`` is not descriptive enough, or ``None``."""
        normalized = re.sub(r"[\s\W_]+", " ", (title or "")).strip().casefold()
        if normalized in GENERIC_TITLES:
            return _(
                '"%(title)s" does not say what happens. Write a title such as '
                '"Invoice validation fails with a tax error on customer invoices".',
                title=title,
            )
        # zero-width characters do not make a title longer
        count = len(
            strip_text(
                "".join(c for c in title or "" if c.isspace() or not is_invisible(c))
            )
        )
        if count < MIN_TITLE_LENGTH:
            return _(
                "The title is too short (%(count)s characters, at least %(min)s): "
                "say where the problem happens and what goes wrong.",
                count=count,
                min=MIN_TITLE_LENGTH,
            )
        return None

    def _get_escalation_checklist_errors(self, values):
        """Every rule of a good support request that ``values`` does not meet.

        ``values`` are plain values: the fields of ``ESCALATION_ANSWER_FIELDS``
        (records or ids for the many2one), ``no_guide`` (no guide covers it)
        and ``attachment_ids`` (ids of the screenshots or files sent with the
        request). ``self`` is the incident being escalated, whose attachments
        count as screenshots too, or empty for a request not saved yet."""
        errors = []
        title_error = self._get_title_error(values.get("title"))
        if title_error:
            errors.append(title_error)
        if not values.get("area_id"):
            errors.append(_("Say which module or area is affected."))
        if not has_text(values.get("description")):
            errors.append(_("Describe what the user was doing."))
        if not has_text(values.get("expected_result")):
            errors.append(_("Say what result was expected."))
        if not has_text(values.get("error_message")) and not (
            values.get("attachment_ids") or self._has_attachments()
        ):
            errors.append(
                _(
                    "Copy the exact error message or attach a screenshot to the "
                    "incident."
                )
            )
        if not values.get("guide_id") and not values.get("no_guide"):
            errors.append(
                _("Say which process guide was consulted, or tick that none covers it.")
            )
        if not values.get("reproduced_in_staging") and not has_text(
            values.get("not_reproduced_reason")
        ):
            errors.append(
                _(
                    "Reproduce the problem in the staging instance, or explain why "
                    "it could not be reproduced there."
                )
            )
        return errors

    def _has_attachments(self):
        if not self:
            return False
        return bool(
            self.env["ir.attachment"].search_count(
                [("res_model", "=", self._name), ("res_id", "in", self.ids)], limit=1
            )
        )

    # ------------------------------------------------------------------
    # escalation
    # ------------------------------------------------------------------

    def action_open_escalation(self):
        """Return the escalation wizard for this incident (key users only)."""
        self.ensure_one()
        self._check_key_user()
        self._check_transition("escalate")
        return {
            "type": "ir.actions.act_window",
            "name": _("Escalate to the supplier"),
            "res_model": "erp.incident.escalate.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {"default_incident_id": self.id},
        }

    def _action_escalate(self, values):
        """Escalate this incident to the supplier with the checklist answers
        ``values`` (see ``_get_escalation_checklist_errors``).

        Either everything happens, in the current transaction, or nothing is
        written: the user is a key user, the checklist is met, the incident is
        locked (a second key user escalating it at the same time is refused)
        and in progress; then the answers are written, the incident moves to
        ``escalated`` with its SLA deadline, the attachments join it and one
        e-mail is queued to the instance's support desk."""
        self.ensure_one()
        self._check_key_user()
        errors = self._get_escalation_checklist_errors(values)
        if errors:
            raise UserError(
                _("The incident cannot be escalated yet:")
                + "\n"
                + "\n".join(f"• {error}" for error in errors)
            )
        attachments = self._get_request_attachments(values.get("attachment_ids") or [])
        self._lock_for_escalation()
        self._check_transition("escalate")
        answers = {
            fname: values[fname]
            for fname in ESCALATION_ANSWER_FIELDS
            if fname in values
        }
        if answers.get("title"):
            answers["title"] = answers["title"].strip()
        self.write(answers)
        now = fields.Datetime.now()
        self._apply_transition(
            "escalate",
            {
                "escalated_on": now,
                "sla_deadline": self._get_sla_deadline(now),
                "sla_breached": False,
                "kind": "incident",
            },
        )
        if attachments:  # an empty write still needs the right to write files
            attachments.write({"res_model": self._name, "res_id": self.id})
        self._notify_supplier()
        return True

    def _lock_for_escalation(self):
        """Lock the incident row until the end of the transaction, then read its
        state again: two key users never escalate it twice."""
        try:
            self.lock_for_update(allow_referencing=True)
        except LockError:
            raise UserError(
                _(
                    "Another key user is escalating %(incident)s right now.",
                    incident=self.name,
                )
            ) from None
        self.invalidate_recordset()

    def _get_request_attachments(self, attachment_ids):
        """The files the current user uploaded with the request (linked to no
        record yet, or already to this incident); any other file is refused."""
        # sudo: reads who uploaded each file and where it is linked, to refuse
        # every file but the user's own uploads; the move is done as the user
        attachments = self.env["ir.attachment"].sudo().browse(attachment_ids).exists()
        refused = attachments.filtered(
            lambda a: (
                (a.res_model, a.res_id) != (self._name, self.id)
                and (a.res_id or a.create_uid != self.env.user)
            )
        )
        if refused:
            # no file name: the user may not be allowed to read that file
            raise UserError(
                _(
                    "A file was not uploaded with this request: attach only the "
                    "files you send with it."
                )
            )
        return attachments.sudo(False)

    def _notify_supplier(self):
        """Queue the escalation e-mail to the support desk, which follows the
        incident so that its replies thread back into the chatter."""
        self.ensure_one()
        desk = self.instance_id._get_support_partner()
        self.message_subscribe(partner_ids=desk.ids)
        template = self.env.ref("erp_key_user.mail_template_erp_incident_escalation")
        # queued, not sent now: an SMTP failure must not undo the escalation
        self.with_context(mail_notify_force_send=False).message_post_with_source(
            template,
            partner_ids=desk.ids,
            subtype_xmlid="mail.mt_comment",
        )
