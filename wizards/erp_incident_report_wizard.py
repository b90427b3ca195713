# Copyright 2026 erp_key_user contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

import re

from markupsafe import Markup

from odoo import _, api, fields, models
from odoo.exceptions import UserError
from odoo.fields import Domain

from ..models.erp_incident import INCIDENT_KINDS

SUGGESTION_LIMIT = 5
MIN_WORD_LENGTH = 4


class ErpIncidentReportWizard(models.TransientModel):
    """Report an incident (key users) or ask a key user (other consultation
    users) from any ERP form, with the record's context, self-help first."""

    _name = "erp.incident.report.wizard"
    _description = "Report an Incident or Ask a Key User"

    res_model = fields.Char(string="Model", readonly=True)
    res_model_name = fields.Char(compute="_compute_res_model_name", string="Form")
    res_id = fields.Integer(string="Record ID", readonly=True)
    res_name = fields.Char(string="Record", readonly=True)
    res_url = fields.Char(string="Record URL", compute="_compute_res_url")
    is_key_user = fields.Boolean(default=lambda self: self._is_key_user())
    kind = fields.Selection(
        INCIDENT_KINDS,
        required=True,
        default=lambda self: "incident" if self._is_key_user() else "question",
    )
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company
    )
    # not required in the table: a company without instance gets a clear
    # message from action_report rather than a "missing field" error
    instance_id = fields.Many2one(
        "erp.instance",
        domain="[('company_id', '=', company_id)]",
        default=lambda self: self.env["erp.instance"]._get_default_instance(),
    )
    area_id = fields.Many2one("erp.support.area")
    title = fields.Char(required=True)
    description = fields.Text(string="What were you doing?")
    expected_result = fields.Text()
    actual_result = fields.Text()
    error_message = fields.Text()
    suggested_guide_ids = fields.Many2many(
        "erp.process.guide", compute="_compute_suggestions", string="Guides"
    )
    suggested_incident_ids = fields.Many2many(
        "erp.incident", compute="_compute_suggestions", string="Solved Before"
    )

    @api.model
    def _is_key_user(self):
        return self.env.user.has_group("erp_key_user.group_key_user")

    @api.model
    def default_get(self, fields_list):
        values = super().default_get(fields_list)
        values.update(self._prepare_source_values(self.env.context))
        return values

    @api.model
    def _prepare_source_values(self, context):
        """Values describing the record the wizard was opened from."""
        model_name = context.get("active_model")
        if context.get("erp_key_user_no_source"):
            # opened from the incident views' Ask Key User button, not a form
            return {}
        if not model_name or model_name not in self.env or model_name == self._name:
            return {}
        values = {
            "res_model": model_name,
            "area_id": self.env["erp.support.area"]._get_area_for_model(model_name).id,
        }
        record = self.env[model_name].browse(context.get("active_id") or [])
        if record and record.exists() and record.has_access("read"):
            values.update(res_id=record.id, res_name=record.display_name)
        return values

    @api.depends("res_model", "res_id")
    def _compute_res_url(self):
        for wizard in self:
            wizard.res_url = self.env["erp.incident"]._get_record_url(
                wizard.res_model, wizard.res_id
            )

    @api.depends("res_model")
    def _compute_res_model_name(self):
        for wizard in self:
            wizard.res_model_name = (
                self.env["ir.model"].sudo()._get(wizard.res_model).name
                if wizard.res_model
                else False
            )

    @api.model
    def _get_title_words(self, title):
        return [w for w in re.findall(r"\w+", title or "") if len(w) >= MIN_WORD_LENGTH]

    @api.depends("title", "res_model", "area_id", "company_id")
    def _compute_suggestions(self):
        Guide = self.env["erp.process.guide"]
        Incident = self.env["erp.incident"]
        for wizard in self:
            words = self._get_title_words(wizard.title)
            model_id = wizard.res_model and self.env["ir.model"]._get_id(
                wizard.res_model
            )
            guide_domain = Domain.OR(
                [Domain("name", "ilike", word) for word in words]
                + ([Domain("model_ids", "in", [model_id])] if model_id else [])
            )
            incident_domain = Domain.OR(
                [Domain("title", "ilike", word) for word in words]
                + (
                    [Domain("res_model", "=", wizard.res_model)]
                    if wizard.res_model
                    else []
                )
            )
            if guide_domain.is_false():
                wizard.suggested_guide_ids = Guide
            else:
                wizard.suggested_guide_ids = Guide.search(
                    guide_domain
                    & Domain("state", "=", "published")
                    & Domain("company_id", "=", wizard.company_id.id),
                    limit=SUGGESTION_LIMIT,
                )
            if incident_domain.is_false():
                wizard.suggested_incident_ids = Incident
            else:
                wizard.suggested_incident_ids = Incident.search(
                    incident_domain
                    & Domain("state", "in", ["resolved", "closed"])
                    & Domain("company_id", "=", wizard.company_id.id),
                    limit=SUGGESTION_LIMIT,
                )

    def _prepare_incident_values(self):
        self.ensure_one()
        return {
            "kind": self.kind,
            "title": self.title.strip(),
            "instance_id": self.instance_id.id,
            "area_id": self.area_id.id,
            "description": self.description,
            "expected_result": self.expected_result,
            "actual_result": self.actual_result,
            "error_message": self.error_message,
            "res_model": self.res_model,
            "res_id": self.res_id,
            "res_name": self.res_name,
            "reporter_id": self.env.user.id,
        }

    def _note_on_source_record(self, incident):
        """Leave a link to the incident in the source record's chatter."""
        if not (self.res_model and self.res_id):
            return
        record = self.env[self.res_model].browse(self.res_id)
        if not hasattr(record, "message_post") or not record.exists():
            return
        body = Markup('%s <a href="%s">%s</a>: %s') % (
            _("Reported to the key user:")
            if incident.kind == "question"
            else _("Incident reported:"),
            incident._get_record_url(incident._name, incident.id),
            incident.name,
            incident.title,
        )
        # sudo: the reporter only needs to read the record to note that a
        # question was asked about it, not to be allowed to write on it
        record.sudo().message_post(
            body=body,
            author_id=self.env.user.partner_id.id,
            message_type="comment",
            subtype_xmlid="mail.mt_note",
        )

    def action_report(self):
        """Create the incident or question and open it."""
        self.ensure_one()
        if not self.instance_id:
            raise UserError(
                _(
                    "%(company)s has no ERP instance yet: ask your support manager "
                    "to configure one before reporting incidents.",
                    company=self.company_id.name,
                )
            )
        if self.kind == "incident" and not self._is_key_user():
            raise UserError(_("Only key users report incidents; ask your key user."))
        incident = self.env["erp.incident"].create(self._prepare_incident_values())
        self._note_on_source_record(incident)
        return {
            "type": "ir.actions.act_window",
            "res_model": "erp.incident",
            "res_id": incident.id,
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "current",
        }
