# Copyright 2026 erp_key_user contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

from odoo import api, fields, models


class ErpIncidentEscalateWizard(models.TransientModel):
    """Checklist a key user goes through before the supplier is contacted.

    The wizard only collects the answers, pre-filled from the incident, and
    the screenshots or files to send. What happens when a key user escalates
    is ``erp.incident._action_escalate`` (models/erp_incident_escalation_mixin.py):
    the checklist (``_get_escalation_checklist_errors``, shared with the
    hosted platform's support-request form), the lock that keeps two key users
    from escalating twice, the state and SLA deadline, and the one e-mail
    queued to the instance's support desk."""

    _name = "erp.incident.escalate.wizard"
    _description = "Escalate an Incident to the Supplier"

    incident_id = fields.Many2one("erp.incident", required=True, ondelete="cascade")
    instance_id = fields.Many2one(related="incident_id.instance_id")
    staging_instance_id = fields.Many2one(
        related="incident_id.instance_id.staging_instance_id"
    )
    # to reproduce the problem on the same record before sending it
    production_record_url = fields.Char(related="incident_id.production_record_url")
    staging_record_url = fields.Char(related="incident_id.staging_record_url")
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
    attachment_count = fields.Integer(
        string="Already attached",
        compute="_compute_attachment_count",
        help="Screenshots and files already attached to the incident.",
    )
    attachment_ids = fields.Many2many(
        "ir.attachment",
        string="Screenshots and files",
        help="Sent with the request and attached to the incident; a screenshot "
        "can stand for the error message.",
    )
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
        counts = dict(
            self.env["ir.attachment"]._read_group(
                [
                    ("res_model", "=", "erp.incident"),
                    ("res_id", "in", self.incident_id.ids),
                ],
                ["res_id"],
                ["__count"],
            )
        )
        for wizard in self:
            wizard.attachment_count = counts.get(wizard.incident_id.id, 0)

    def _prepare_escalation_values(self):
        """The answers as the plain values ``_action_escalate`` takes."""
        self.ensure_one()
        return {
            "title": self.title,
            "area_id": self.area_id.id,
            "description": self.description,
            "expected_result": self.expected_result,
            "actual_result": self.actual_result,
            "error_message": self.error_message,
            "steps_to_reproduce": self.steps_to_reproduce,
            "guide_id": self.guide_id.id,
            "no_guide": self.no_guide,
            "reproduced_in_staging": self.reproduced_in_staging,
            "not_reproduced_reason": self.not_reproduced_reason,
            "attachment_ids": self.attachment_ids.ids,
        }

    def action_escalate(self):
        """Escalate the incident with the answers (see
        ``erp.incident._action_escalate``)."""
        self.ensure_one()
        self.incident_id._action_escalate(self._prepare_escalation_values())
        return {"type": "ir.actions.act_window_close"}
