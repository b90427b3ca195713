# Copyright 2026 erp_key_user contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

import re

import psycopg2

from odoo import _, api, fields, models
from odoo.exceptions import UserError

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


class ErpIncidentEscalateWizard(models.TransientModel):
    """Checklist a key user goes through before the supplier is contacted.

    What happens when a key user escalates: the checklist is validated
    (``_get_checklist_errors``), the incident row is locked so that two key
    users never escalate it twice, the answers are written on the incident,
    the incident moves to ``escalated`` with its SLA deadline, and one e-mail
    built from ``mail_template_erp_incident_escalation`` is queued to the
    instance's support desk, which follows the incident from then on."""

    _name = "erp.incident.escalate.wizard"
    _description = "Escalate an Incident to the Supplier"

    incident_id = fields.Many2one("erp.incident", required=True, ondelete="cascade")
    instance_id = fields.Many2one(related="incident_id.instance_id")
    staging_instance_id = fields.Many2one(
        related="incident_id.instance_id.staging_instance_id"
    )
    title = fields.Char(
        compute="_compute_from_incident",
        store=True,
        readonly=False,
        precompute=True,
        required=True,
    )
    area_id = fields.Many2one(
        "erp.support.area",
        string="Module / Area",
        compute="_compute_from_incident",
        store=True,
        readonly=False,
        precompute=True,
    )
    description = fields.Text(
        string="What was the user doing?",
        compute="_compute_from_incident",
        store=True,
        readonly=False,
        precompute=True,
    )
    expected_result = fields.Text(
        compute="_compute_from_incident", store=True, readonly=False, precompute=True
    )
    actual_result = fields.Text(
        compute="_compute_from_incident", store=True, readonly=False, precompute=True
    )
    error_message = fields.Text(
        compute="_compute_from_incident", store=True, readonly=False, precompute=True
    )
    steps_to_reproduce = fields.Text(
        compute="_compute_from_incident", store=True, readonly=False, precompute=True
    )
    attachment_count = fields.Integer(compute="_compute_attachment_count")
    guide_id = fields.Many2one(
        "erp.process.guide",
        string="Guide Consulted",
        compute="_compute_from_incident",
        store=True,
        readonly=False,
        precompute=True,
    )
    no_guide = fields.Boolean(string="No guide covers this")
    reproduced_in_staging = fields.Boolean(
        compute="_compute_from_incident", store=True, readonly=False, precompute=True
    )
    not_reproduced_reason = fields.Text(
        string="Why it was not reproduced in staging",
        compute="_compute_from_incident",
        store=True,
        readonly=False,
        precompute=True,
    )

    @api.depends("incident_id")
    def _compute_from_incident(self):
        for wizard in self:
            incident = wizard.incident_id
            wizard.title = incident.title
            wizard.area_id = incident.area_id
            wizard.description = incident.description
            wizard.expected_result = incident.expected_result
            wizard.actual_result = incident.actual_result
            wizard.error_message = incident.error_message
            wizard.steps_to_reproduce = incident.steps_to_reproduce
            wizard.guide_id = incident.guide_id
            wizard.reproduced_in_staging = incident.reproduced_in_staging
            wizard.not_reproduced_reason = incident.not_reproduced_reason

    @api.depends("incident_id")
    def _compute_attachment_count(self):
        for wizard in self:
            wizard.attachment_count = self.env["ir.attachment"].search_count(
                [
                    ("res_model", "=", "erp.incident"),
                    ("res_id", "=", wizard.incident_id.id),
                ]
            )

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
        if len((title or "").strip()) < MIN_TITLE_LENGTH:
            return _(
                "The title is too short (%(count)s characters, at least %(min)s): "
                "say where the problem happens and what goes wrong.",
                count=len((title or "").strip()),
                min=MIN_TITLE_LENGTH,
            )
        return None

    def _get_checklist_errors(self):
        """Every rule of a good support request the wizard does not meet yet."""
        self.ensure_one()
        errors = []
        title_error = self._get_title_error(self.title)
        if title_error:
            errors.append(title_error)
        if not self.area_id:
            errors.append(_("Say which module or area is affected."))
        if not (self.description or "").strip():
            errors.append(_("Describe what the user was doing."))
        if not (self.expected_result or "").strip():
            errors.append(_("Say what result was expected."))
        if not (self.error_message or "").strip() and not self.attachment_count:
            errors.append(
                _(
                    "Copy the exact error message or attach a screenshot to the "
                    "incident."
                )
            )
        if not self.guide_id and not self.no_guide:
            errors.append(
                _("Say which process guide was consulted, or tick that none covers it.")
            )
        if (
            not self.reproduced_in_staging
            and not (self.not_reproduced_reason or "").strip()
        ):
            errors.append(
                _(
                    "Reproduce the problem in the staging instance, or explain why "
                    "it could not be reproduced there."
                )
            )
        return errors

    # ------------------------------------------------------------------
    # escalation
    # ------------------------------------------------------------------

    def _lock_incident(self):
        """Lock the incident row until the end of the transaction; a second key
        user escalating the same incident at the same time is refused."""
        try:
            with self.env.cr.savepoint(flush=False):
                self.env.cr.execute(
                    "SELECT id FROM erp_incident WHERE id = %s"
                    " FOR NO KEY UPDATE NOWAIT",
                    [self.incident_id.id],
                )
        except psycopg2.errors.LockNotAvailable:
            raise UserError(
                _(
                    "Another key user is escalating %(incident)s right now.",
                    incident=self.incident_id.name,
                )
            ) from None
        self.incident_id.invalidate_recordset()

    def _prepare_incident_values(self):
        return {
            "title": self.title.strip(),
            "area_id": self.area_id.id,
            "description": self.description,
            "expected_result": self.expected_result,
            "actual_result": self.actual_result,
            "error_message": self.error_message,
            "steps_to_reproduce": self.steps_to_reproduce,
            "guide_id": self.guide_id.id,
            "reproduced_in_staging": self.reproduced_in_staging,
            "not_reproduced_reason": self.not_reproduced_reason,
        }

    def _notify_supplier(self):
        """Queue the escalation e-mail to the support desk, which follows the
        incident so that its replies thread back into the chatter."""
        incident = self.incident_id
        desk = incident.instance_id._get_support_partner()
        incident.message_subscribe(partner_ids=desk.ids)
        template = self.env.ref("erp_key_user.mail_template_erp_incident_escalation")
        # queued, not sent now: an SMTP failure must not undo the escalation
        incident.with_context(mail_notify_force_send=False).message_post_with_source(
            template,
            partner_ids=desk.ids,
            subtype_xmlid="mail.mt_comment",
        )

    def action_escalate(self):
        """Validate the checklist and escalate the incident to the supplier."""
        self.ensure_one()
        errors = self._get_checklist_errors()
        if errors:
            raise UserError(
                _("The incident cannot be escalated yet:")
                + "\n"
                + "\n".join(f"• {error}" for error in errors)
            )
        self._lock_incident()
        incident = self.incident_id
        incident._check_key_user()
        incident._check_transition("escalate")
        incident.write(self._prepare_incident_values())
        incident._mark_escalated(fields.Datetime.now())
        self._notify_supplier()
        return {"type": "ir.actions.act_window_close"}
