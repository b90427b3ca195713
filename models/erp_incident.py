# Copyright 2026 erp_key_user contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

from odoo import _, api, fields, models
from odoo.exceptions import ValidationError

from .erp_incident_lifecycle_mixin import (
    ANSWER_ACTIVITY,
    CHANGE_REQUEST_STATES,
    INCIDENT_STATES,
    OPEN_STATES,
)

# Selections declared once: the incident, the analysis report, the wizards
# and the portal use these (the states are the lifecycle's).
INCIDENT_KINDS = [("question", "Question"), ("incident", "Incident")]
# what a key user marks a question or incident as (never reported as such)
CHANGE_REQUEST_KIND = ("change_request", "Change Request")
INCIDENT_PRIORITIES = [("0", "Low"), ("1", "Normal"), ("2", "High"), ("3", "Urgent")]
RESOLUTION_LEVELS = [("key_user", "Key User"), ("supplier", "Supplier")]
# possible duplicates: any request but a cancelled one
SIMILAR_STATES = (*OPEN_STATES, "resolved", "closed")
TEXT_FIELDS = (
    "description",
    "expected_result",
    "actual_result",
    "error_message",
    "steps_to_reproduce",
    "not_reproduced_reason",
)


class ErpIncident(models.Model):
    """A doubt raised to a key user (question) or a formal incident that the
    key user may escalate to the implementation partner's support desk."""

    _name = "erp.incident"
    _description = "ERP Incident"
    _inherit = [
        # first: its overrides of mail.thread must come before mail.thread's
        "erp.incident.notification.mixin",
        "erp.incident.portal.mixin",
        "erp.portal.role.access.mixin",
        "mail.thread",
        "mail.activity.mixin",
        "portal.mixin",
        "erp.company.scoped.mixin",
        "erp.incident.lifecycle.mixin",
        "erp.incident.sla.mixin",
        # before the escalation: with a connection, the request goes to the
        # supplier's platform instead of the e-mail
        "erp.incident.connector.mixin",
        # before the escalation: it adds the agents to _notify_supplier
        "erp.incident.support.request.mixin",
        "erp.incident.escalation.mixin",
        "erp.incident.change.request.mixin",
        "erp.incident.staging.mixin",
        "erp.incident.support.updates.mixin",
        "erp.incident.role.views.mixin",
        "erp.selection.order.mixin",
        "erp.text.mixin",
        "erp.incident.protection.mixin",
        "erp.self.help.mixin",
    ]
    _rule_scope_fields = ("instance_id",)
    _text_required_fields = ("title",)
    # a long traceback fits in a text; a pasted log file does not. A
    # resolution is a written answer (pictures are attachments).
    _text_size_limits = {
        "title": 200,
        "resolution": 1_000_000,
        **dict.fromkeys(TEXT_FIELDS, 50_000),
    }
    _order = "id desc"
    _check_company_auto = True
    _mail_post_access = "read"  # consultation users comment without write access
    _rec_names_search = ["name", "title"]
    _self_help_depends = ("title", "description", "resolution", "reporter_id.lang")

    # trigram (GIN) indexes: the search bar, name_search and the report
    # wizard's self-help look incidents up by words of the reference or title
    # (``ilike '%word%'``), which a b-tree cannot serve
    name = fields.Char(
        string="Reference",
        required=True,
        readonly=True,
        copy=False,
        default="/",
        index="trigram",
    )
    title = fields.Char(required=True, tracking=True, index="trigram")
    kind = fields.Selection(
        [*INCIDENT_KINDS, CHANGE_REQUEST_KIND],
        required=True,
        default="question",
        readonly=True,
        tracking=True,
        index=True,
    )
    instance_id = fields.Many2one(
        "erp.instance",
        required=True,
        index=True,
        check_company=True,
        tracking=True,
        default=lambda self: self.env["erp.instance"]._get_default_instance(),
    )
    company_id = fields.Many2one(
        related="instance_id.company_id",
        store=True,
        index=True,
        precompute=True,
        readonly=True,
    )
    partner_id = fields.Many2one(
        related="instance_id.partner_id",
        string="Customer",
        store=True,
        index=True,
        precompute=True,
        readonly=True,
    )
    area_id = fields.Many2one(
        "erp.support.area",
        index=True,
        tracking=True,
        compute="_compute_area_id",
        store=True,
        readonly=False,
        precompute=True,
    )
    key_user_id = fields.Many2one(
        "res.users",
        index=True,
        tracking=True,
        compute="_compute_key_user_id",
        store=True,
        readonly=False,
        precompute=True,
    )
    reporter_id = fields.Many2one(
        "res.users",
        string="Reported by",
        default=lambda self: self.env.user,
        readonly=True,
        copy=False,
        index=True,
    )
    res_model = fields.Char(string="Source Model", index=True)
    res_id = fields.Many2oneReference(string="Source Record", model_field="res_model")
    res_name = fields.Char(string="Source Record Name")
    res_url = fields.Char(
        string="Source URL",
        compute="_compute_res_url",
        store=True,
        readonly=True,
        precompute=True,
    )
    description = fields.Text(string="What were you doing?")
    expected_result = fields.Text()
    actual_result = fields.Text()
    error_message = fields.Text()
    steps_to_reproduce = fields.Text()
    reproduced_in_staging = fields.Boolean()
    not_reproduced_reason = fields.Text(
        string="Why not reproduced in staging",
    )
    guide_id = fields.Many2one(
        "erp.process.guide",
        check_company=True,
        index="btree_not_null",
        help="The guide consulted before asking, or the one that answers it.",
    )
    priority = fields.Selection(
        INCIDENT_PRIORITIES,
        default="1",
        tracking=True,
    )
    state = fields.Selection(
        INCIDENT_STATES + CHANGE_REQUEST_STATES,
        default="new",
        required=True,
        readonly=True,
        tracking=True,
        index=True,
        copy=False,
        # kanban columns in lifecycle order, empty ones too (the incidents' or
        # the change requests')
        group_expand="_group_expand_state",
    )
    is_open = fields.Boolean(
        string="Open",
        compute="_compute_is_open",
        search="_search_is_open",
        help="New, in progress, escalated or waiting for information.",
    )
    resolution_level = fields.Selection(
        RESOLUTION_LEVELS,
        readonly=True,
        copy=False,
        tracking=True,
    )
    supplier_reference = fields.Char(copy=False, tracking=True)
    first_response_on = fields.Datetime(
        readonly=True,
        copy=False,
        help="When a key user first acted on it: started, answered or commented.",
    )
    resolved_on = fields.Datetime(readonly=True, copy=False)
    resolution = fields.Html(sanitize=True, copy=False)
    self_help_token = fields.Char(
        readonly=True,
        copy=False,
        index="btree_not_null",
        help="The report wizard this request was sent from: the suggestions "
        "opened there did not solve the doubt (self-help analysis).",
    )
    similar_incident_ids = fields.Many2many(
        "erp.incident",
        compute="_compute_similar_incident_ids",
        string="Similar Requests",
        help="Requests of the same words (possible duplicates), best first.",
    )

    # Every read is scoped by the company record rule and sorted by _order
    # (id desc): this index gives any page of a company's incidents (portal
    # list and pager, search results, the wizard's suggestions) without
    # sorting the company's rows or scanning the primary key.
    _company_id_idx = models.Index("(company_id, id DESC)")
    # The default filter of the backend actions and of the portal's "In
    # Progress" (state in OPEN_STATES): a small index, already sorted.
    _company_open_idx = models.Index(
        "(company_id, id DESC) WHERE state IN %s" % (OPEN_STATES,)
    )
    _company_state_idx = models.Index("(company_id, state, id DESC)")
    _sla_open_idx = models.Index(
        "(sla_deadline) WHERE state = 'escalated' AND sla_breached IS NOT TRUE"
    )

    # ------------------------------------------------------------------
    # computes
    # ------------------------------------------------------------------

    @api.depends("guide_id")
    def _compute_area_id(self):
        for incident in self:
            # sudo: only the area of the guide is read, to route the question;
            # a guide of another company is refused by _check_company before
            # anything is saved
            incident.area_id = incident.area_id or incident.guide_id.sudo().area_id

    def _get_self_help_texts(self):
        return self.title, [self.description, self.resolution]

    def _get_self_help_lang(self):
        # the words of the question are the reporter's
        return self.reporter_id.lang

    @api.depends("title", "description", "res_model", "area_id")
    def _compute_similar_incident_ids(self):
        SelfHelp = self.env["erp.self.help"]
        for incident in self:
            hits = SelfHelp._search_answers(
                "\n".join(filter(None, [incident.title, incident.description])),
                res_model=incident.res_model,
                area=incident.area_id,
                guides=False,
                incident_states=SIMILAR_STATES,
                exclude=incident._origin,
            )
            incident.similar_incident_ids = [hit["record"].id for hit in hits]

    @api.depends("instance_id", "area_id")
    def _compute_key_user_id(self):
        routes = {}  # one look-up per (instance, area), not per incident
        for incident in self:
            route = (incident.instance_id, incident.area_id)
            if route not in routes:
                instance, area = route
                # sudo: whoever asks, the question goes to the key user
                # assigned on its instance and area (or their stand-ins)
                routes[route] = (
                    instance.sudo()._get_primary_key_user(area)
                    if instance and area
                    else self.env["res.users"]
                )
            incident.key_user_id = routes[route]

    @api.model
    def _get_record_url(self, model_name, res_id):
        """Backend path of a record (``/odoo/<model>/<id>``), or False for a
        record not saved yet or a model that does not exist: the escalation
        e-mail appends it to the instance's URL."""
        if not (model_name in self.env and isinstance(res_id, int) and res_id > 0):
            return False
        return f"/odoo/{model_name}/{res_id}"

    @api.depends("res_model", "res_id")
    def _compute_res_url(self):
        for incident in self:
            incident.res_url = self._get_record_url(incident.res_model, incident.res_id)

    @api.depends("state")
    def _compute_is_open(self):
        for incident in self:
            incident.is_open = incident.state in OPEN_STATES

    def _search_is_open(self, operator, value):
        if operator not in ("=", "!="):
            return NotImplemented
        positive = (operator == "=") == bool(value)
        return [("state", "in" if positive else "not in", OPEN_STATES)]

    def _mail_get_partner_fields(self, introspect_fields=False):
        # partner_id is the customer, an organisation that reads through its
        # contacts' portal accounts: never a mail recipient, and no access
        # token or signup link is made for it (mail and portal would
        # otherwise treat it as the request's "customer")
        return []

    def _compute_access_url(self):
        res = super()._compute_access_url()
        for incident in self:
            incident.access_url = f"/my/incidents/{incident.id}"
        return res

    @api.constrains("key_user_id", "instance_id", "area_id")
    def _check_key_user_id(self):
        for incident in self.filtered("key_user_id"):
            # sudo: who may answer depends on the instance's assignments and
            # its company's support managers, not on what the caller can read
            instance = incident.instance_id.sudo()
            if not instance._may_answer(incident.key_user_id, incident.area_id):
                # the user chosen is not named: it may be somebody the caller
                # cannot see (a user of another company)
                raise ValidationError(
                    _(
                        "The key user of %(incident)s must be a key user of its "
                        "area on %(instance)s, or a support manager of its company.",
                        incident=incident.name,
                        instance=instance.name,
                    )
                )

    @api.constrains("reporter_id", "instance_id")
    def _check_reporter_id(self):
        for incident in self.filtered("reporter_id"):
            # sudo: the reporter follows the incident; whether they reach its
            # company decides, not what the caller may read of them
            if incident.company_id not in incident.reporter_id.sudo().company_ids:
                raise ValidationError(
                    _(
                        "The person who asked %(incident)s must be a user of "
                        "its company.",
                        incident=incident.name,
                    )
                )

    @api.constrains("kind", "area_id")
    def _check_question_area(self):
        for incident in self:
            if incident.kind == "question" and not incident.area_id:
                raise ValidationError(
                    _(
                        "Say which area the question is about (or which guide "
                        "you consulted), so that it reaches the key user of "
                        "that area."
                    )
                )

    # ------------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        self._check_create_values(vals_list)
        for vals in vals_list:
            if "area_id" in vals and not vals["area_id"] and vals.get("guide_id"):
                del vals["area_id"]  # an empty area is the guide's (compute)
            if vals.get("name", "/") == "/":
                # sudo: portal users may not read sequences; the reference is
                # the addon's numbering, the same for whoever asks
                vals["name"] = (
                    self.env["ir.sequence"].sudo().next_by_code("erp.incident")
                )
        incidents = super().create(vals_list)
        incidents._notify_key_user()
        return incidents

    def write(self, vals):
        self._check_write_values(vals)
        if "key_user_id" not in vals and not {"instance_id", "area_id"} & set(vals):
            return super().write(vals)
        key_users = {incident: incident.key_user_id for incident in self}
        res = super().write(vals)
        # a question handed to another key user reaches them as well
        self.filtered(lambda i: i.key_user_id != key_users[i])._notify_key_user()
        return res

    def _notify_key_user(self):
        """Make the routed key user follow the incident and, for questions, give
        them an activity to answer it (an e-mail for a customer's key user, a
        portal user, who has no activities)."""
        # sudo: routing is the addon's job; the colleague asking the question
        # may create it but not write on it (followers, activities)
        for incident in self.sudo().filtered("key_user_id"):
            incident.message_subscribe(partner_ids=incident.key_user_id.partner_id.ids)
            if (
                incident.kind == "question"
                and incident.state in OPEN_STATES
                and incident.key_user_id != self.env.user
            ):
                if incident.key_user_id.share:
                    incident._notify_portal_key_user()
                    continue
                incident.activity_schedule(
                    ANSWER_ACTIVITY,
                    summary=_("Answer the question"),
                    user_id=incident.key_user_id.id,
                )

    def message_post(self, **kwargs):
        if kwargs.get("message_type", "notification") == "comment":
            self._check_portal_may_comment()
        return super().message_post(**kwargs)

    def _message_post_after_hook(self, message, msg_vals):
        # a key user's comment is a response to whoever asked (here, not in a
        # mixin: mail.thread's hook comes after the mixins in the MRO); the
        # customer's key user of the area replies on the portal
        if (
            message.message_type == "comment"
            and not self.first_response_on
            and self.env.user != self.reporter_id
            and (
                self.env.user.has_group("erp_key_user.group_key_user")
                or self._is_portal_key_user_of_area()
            )
        ):
            # sudo: a portal key user may not write incidents; the time of
            # the first response is the addon's record, written by no client
            self.sudo()._mark_first_response()
        # an agent's first public reply answers the escalated request (SLA)
        if (
            self.sla_deadline
            and not self.sla_responded_on
            and self._is_sla_answer(message)
        ):
            # sudo: the agent just posted on the request; the time of the
            # first answer is the addon's record, written by no client
            self.sudo()._mark_sla_response()
        return super()._message_post_after_hook(message, msg_vals)
