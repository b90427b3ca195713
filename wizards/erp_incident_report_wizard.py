# Copyright 2026 erp_key_user contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

import uuid

from markupsafe import Markup

from odoo import _, api, fields, models
from odoo.exceptions import UserError, ValidationError

from ..models.erp_incident import INCIDENT_KINDS

SUGGESTION_LIMIT = 5
# Models whose chatter never receives the "reported" note, even where the user
# may post: a channel is a conversation, not a document, and the others are
# the technical side of the ERP (settings, users, mail internals).
NOTE_EXCLUDED_MODEL_PREFIXES = (
    "discuss.",
    "mail.",
    "ir.",
    "bus.",
    "base.",
    "res.users",
    "res.groups",
)


class ErpIncidentReportWizard(models.TransientModel):
    """Report an incident (key users) or ask a key user (other consultation
    users) from any ERP form, with the record's context, self-help first.

    What happens on "Send" (``action_report``): the wizard row is locked and
    creates its incident once (a second call returns the same incident); the
    source record is one the user can read, in one of their companies
    (``_check_source_record``); the incident goes to the guide's owner when
    asked from a process guide they cover, else to the area's key user of the
    instance; a link to it is noted on the source record's chatter only where
    the user may post, with their own rights."""

    _name = "erp.incident.report.wizard"
    _description = "Report an Incident or Ask a Key User"

    res_model = fields.Char(string="Model", readonly=True)
    res_model_name = fields.Char(compute="_compute_res_model_name", string="Form")
    res_id = fields.Integer(string="Record ID", readonly=True)
    # computed from the record, never taken from the caller: it is copied on
    # the incident that every consultation user of the company reads
    res_name = fields.Char(
        string="Record", compute="_compute_res_name", store=True, readonly=True
    )
    incident_id = fields.Many2one("erp.incident", readonly=True)
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
    # not required in the table either: action_report asks for it in a sentence
    area_id = fields.Many2one("erp.support.area")
    routing_note = fields.Char(compute="_compute_routing_note")
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
    # the one list the wizard shows (widget erp_suggestion_list): each
    # answer's title and matching line, the question's words marked
    suggestions = fields.Json(compute="_compute_suggestions")
    # one per opened wizard: the suggestions opened from it are counted as a
    # self-solved doubt unless the wizard is then sent (the request keeps it)
    self_help_token = fields.Char(
        default=lambda self: uuid.uuid4().hex, readonly=True, copy=False
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
        """Values describing the record the wizard was opened from. A model one
        cannot report from is ignored; a record the user may not read (or of
        another company) is reduced to its model, without a word about it."""
        model_name = context.get("active_model")
        if context.get("erp_key_user_no_source"):
            # opened from the incident views' Ask Key User button, not a form
            return {}
        if not self._is_reportable_model(model_name):
            return {}
        values = {"res_model": model_name}
        record = self._get_readable_source(model_name, context.get("active_id"))
        if record:
            values["res_id"] = record.id
        if record and model_name == "erp.process.guide":
            values["area_id"] = record.area_id.id
        else:
            Area = self.env["erp.support.area"]
            values["area_id"] = Area._get_area_for_model(model_name).id
        return values

    @api.model
    def _is_reportable_model(self, model_name):
        """Whether ``model_name`` names a model whose records are documents
        one reports from: a real model with a table, not a wizard."""
        if not isinstance(model_name, str) or model_name not in self.env:
            return False
        Model = self.env[model_name]
        return not (Model._abstract or Model._transient)

    @api.model
    def _get_readable_source(self, model_name, res_id):
        """The record ``res_id`` of ``model_name`` as the current user, when it
        exists, they may read it and it belongs to none of the companies or to
        one of theirs; else an empty recordset (never saying which)."""
        if not self._is_reportable_model(model_name):
            return self.env["erp.incident"].browse()
        # as the user who acts, also from the constraint and the stored
        # compute, which Odoo runs in sudo mode
        Model = self.env[model_name].sudo(False)
        if not isinstance(res_id, int) or isinstance(res_id, bool) or res_id <= 0:
            return Model.browse()
        record = Model.browse(res_id).exists()
        if not record or not record.has_access("read"):
            return Model.browse()
        field = Model._fields.get("company_id")
        if field and field.type == "many2one" and field.comodel_name == "res.company":
            # sudo: only the company of a record the user may read (checked
            # just above); the field itself may be restricted to some groups
            company = record.sudo().company_id
            if company and company not in self.env.companies:
                return Model.browse()
        return record

    @api.constrains("res_model", "res_id")
    def _check_source_record(self):
        """The source is a model one reports from and, when a record is
        given, one the user may read in their companies: the incident and the
        note on the record never point at anything else."""
        for wizard in self:
            if not wizard.res_model and not wizard.res_id:
                continue
            if not self._is_reportable_model(wizard.res_model):
                raise ValidationError(
                    _(
                        "You cannot report from %(model)s: it is not a form "
                        "of the ERP.",
                        model=wizard.res_model or "-",
                    )
                )
            if wizard.res_id and not self._get_readable_source(
                wizard.res_model, wizard.res_id
            ):
                raise ValidationError(
                    _(
                        "The record you report from does not exist or you may "
                        "not read it: report from a record of your company."
                    )
                )

    def _get_source_record(self):
        """The source record (read access checked by _check_source_record),
        or an empty recordset when the wizard refers to a model only."""
        self.ensure_one()
        if not (self._is_reportable_model(self.res_model) and self.res_id):
            return self.env["erp.incident"].browse()
        return self.env[self.res_model].browse(self.res_id)

    @api.depends("res_model", "res_id")
    def _compute_res_name(self):
        for wizard in self:
            record = self._get_readable_source(wizard.res_model, wizard.res_id)
            wizard.res_name = record.display_name if record else False

    def _get_guide_owner(self):
        """The owner of the source process guide when they are a key user of
        the wizard's area on its instance (primary or backup), else nobody."""
        self.ensure_one()
        Users = self.env["res.users"]
        if self.res_model != "erp.process.guide" or not self.area_id:
            return Users
        owner = self._get_source_record().owner_id
        covers_area = self.instance_id.assignment_ids.filtered(
            lambda a: a.area_id == self.area_id and a.user_id == owner
        )
        return owner if owner and covers_area else Users

    def _get_routed_key_user(self):
        """Whom the question or incident will go to."""
        self.ensure_one()
        if not (self.instance_id and self.area_id):
            return self.env["res.users"]
        return self._get_guide_owner() or self.instance_id._get_primary_key_user(
            self.area_id
        )

    @api.depends("kind", "instance_id", "area_id", "res_model", "res_id")
    def _compute_routing_note(self):
        for wizard in self:
            if not (wizard.instance_id and wizard.area_id):
                wizard.routing_note = False
                continue
            key_user = wizard._get_routed_key_user()
            if not key_user:
                wizard.routing_note = _(
                    "Nobody covers %(area)s on %(instance)s yet: ask your "
                    "support manager.",
                    area=wizard.area_id.display_name,
                    instance=wizard.instance_id.display_name,
                )
            elif wizard.kind == "question":
                wizard.routing_note = _(
                    "Your question will go to %(name)s.", name=key_user.name
                )
            else:
                wizard.routing_note = _(
                    "Your incident will go to %(name)s.", name=key_user.name
                )

    @api.depends("res_model")
    def _compute_res_model_name(self):
        for wizard in self:
            wizard.res_model_name = (
                self.env["ir.model"].sudo()._get(wizard.res_model).name
                if wizard.res_model
                else False
            )

    @api.depends("title", "description", "res_model", "area_id")
    def _compute_suggestions(self):
        SelfHelp = self.env["erp.self.help"]
        for wizard in self:
            hits = SelfHelp._search_answers(
                "\n".join(filter(None, [wizard.title, wizard.description])),
                res_model=wizard.res_model,
                area=wizard.area_id,
                limit=SUGGESTION_LIMIT,
            )
            records = [hit["record"] for hit in hits]
            wizard.suggested_guide_ids = [
                r.id for r in records if r._name == "erp.process.guide"
            ]
            wizard.suggested_incident_ids = [
                r.id for r in records if r._name == "erp.incident"
            ]
            wizard.suggestions = SelfHelp._get_suggestions(hits)

    def _prepare_incident_values(self):
        self.ensure_one()
        values = {
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
            "self_help_token": self.self_help_token,
        }
        if self.res_model == "erp.process.guide" and self.res_id:
            # asked from a guide: it is the guide consulted, and its owner
            # answers when they cover the area (else the area's key user)
            values["guide_id"] = self.res_id
            if owner := self._get_guide_owner():
                values["key_user_id"] = owner.id
        return values

    @api.model
    def _may_note_on(self, record):
        """Whether the "reported" note may go on ``record``'s chatter: a
        business document with a chatter on which Odoo lets the user post
        (``_mail_post_access``: read or write access, depending on the model)."""
        if not isinstance(record, self.pool["mail.thread"]):
            return False
        if record._name.startswith(NOTE_EXCLUDED_MODEL_PREFIXES):
            return False
        operation = record._mail_get_operation_for_mail_message_operation("create")
        return record.has_access(operation[record])

    def _note_on_source_record(self, incident):
        """Leave a link to the incident in the source record's chatter, as the
        user, where they may post; elsewhere the incident alone refers to it."""
        record = self._get_source_record()
        if not record or not self._may_note_on(record):
            return
        body = Markup("%s %s: %s") % (
            _("Reported to the key user:")
            if incident.kind == "question"
            else _("Incident reported:"),
            incident._get_html_link(title=incident.name),
            incident.title,
        )
        record.message_post(
            body=body, message_type="comment", subtype_xmlid="mail.mt_note"
        )

    def _lock_for_report(self):
        """Lock the wizard row until the end of the transaction, so that it
        creates one incident however many times "Send" is pressed; a second
        request while the first one runs is refused with a sentence."""
        if not self.try_lock_for_update():
            raise UserError(
                _(
                    "This report is already being sent. Wait a moment, then "
                    "find it among your incidents."
                )
            )
        # another transaction may have created the incident before the lock
        self.invalidate_recordset(["incident_id"])

    def _get_incident_action(self):
        return {
            "type": "ir.actions.act_window",
            "res_model": "erp.incident",
            "res_id": self.incident_id.id,
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "current",
        }

    def action_report(self):
        """Create the incident or question once and open it; a second call
        opens the same one."""
        self.ensure_one()
        self._lock_for_report()
        if self.incident_id:
            return self._get_incident_action()
        if not self.instance_id:
            raise UserError(
                _(
                    "%(company)s has no ERP instance yet: ask your support manager "
                    "to configure one before reporting incidents.",
                    company=self.company_id.name,
                )
            )
        if not self.area_id:
            raise UserError(
                _(
                    "Choose the area of the ERP it is about (finance, "
                    "warehouse…), so that it reaches the key user who covers it."
                )
            )
        if self.kind == "incident" and not self._is_key_user():
            raise UserError(_("Only key users report incidents; ask your key user."))
        incident = self.env["erp.incident"].create(self._prepare_incident_values())
        self.incident_id = incident
        self._note_on_source_record(incident)
        return self._get_incident_action()
