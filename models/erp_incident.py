# Copyright 2026 erp_key_user contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

from datetime import timedelta

from odoo import _, api, fields, models
from odoo.exceptions import UserError, ValidationError

OPEN_STATES = ("new", "in_progress", "escalated", "waiting_info")
TITLE_MAX_LENGTH = 200
TEXT_MAX_LENGTH = 50000  # a long traceback fits; a pasted log file does not
TEXT_FIELDS = (
    "description",
    "expected_result",
    "actual_result",
    "error_message",
    "steps_to_reproduce",
    "not_reproduced_reason",
)

# action -> (states it may start from, state it leads to)
TRANSITIONS = {
    "start": (("new",), "in_progress"),
    "escalate": (("in_progress",), "escalated"),
    "set_waiting": (("escalated",), "waiting_info"),
    "resume": (("waiting_info",), "escalated"),
    "resolve": (("new", "in_progress", "escalated", "waiting_info"), "resolved"),
    "close": (("resolved",), "closed"),
    "cancel": (OPEN_STATES, "cancelled"),
    "reopen": (("resolved",), "in_progress"),
}


class ErpIncident(models.Model):
    """A doubt raised to a key user (question) or a formal incident that the
    key user may escalate to the implementation partner's support desk."""

    _name = "erp.incident"
    _description = "ERP Incident"
    _inherit = [
        "mail.thread",
        "mail.activity.mixin",
        "portal.mixin",
        "erp.company.scoped.mixin",
        "erp.incident.sla.mixin",
    ]
    _rule_scope_fields = ("instance_id",)
    _order = "id desc"
    _check_company_auto = True
    _mail_post_access = "read"  # consultation users comment without write access
    _rec_names_search = ["name", "title"]

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
        [("question", "Question"), ("incident", "Incident")],
        required=True,
        default="question",
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
    area_id = fields.Many2one("erp.support.area", index=True, tracking=True)
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
        index=True,
    )
    res_model = fields.Char(string="Source Model", index=True)
    res_id = fields.Many2oneReference(string="Source Record", model_field="res_model")
    res_name = fields.Char(string="Source Record Name")
    res_url = fields.Char(
        string="Source URL",
        compute="_compute_res_url",
        store=True,
        readonly=False,
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
        [("0", "Low"), ("1", "Normal"), ("2", "High"), ("3", "Urgent")],
        default="1",
        tracking=True,
    )
    state = fields.Selection(
        [
            ("new", "New"),
            ("in_progress", "In Progress"),
            ("escalated", "Escalated"),
            ("waiting_info", "Waiting for Information"),
            ("resolved", "Resolved"),
            ("closed", "Closed"),
            ("cancelled", "Cancelled"),
        ],
        default="new",
        required=True,
        tracking=True,
        index=True,
        copy=False,
    )
    is_open = fields.Boolean(compute="_compute_is_open", search="_search_is_open")
    resolution_level = fields.Selection(
        [("key_user", "Key User"), ("supplier", "Supplier")],
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

    @api.depends("instance_id", "area_id")
    def _compute_key_user_id(self):
        for incident in self:
            if incident.instance_id and incident.area_id:
                incident.key_user_id = (
                    incident.instance_id.sudo()._get_primary_key_user(incident.area_id)
                )

    @api.model
    def _get_record_url(self, model_name, res_id):
        """Backend URL of a record, or False for a record not saved yet."""
        return f"/odoo/{model_name}/{res_id}" if model_name and res_id else False

    @api.depends("res_model", "res_id")
    def _compute_res_url(self):
        for incident in self:
            if incident.res_model:
                incident.res_url = self._get_record_url(
                    incident.res_model, incident.res_id
                )

    @api.depends("state")
    def _compute_is_open(self):
        for incident in self:
            incident.is_open = incident.state in OPEN_STATES

    def _search_is_open(self, operator, value):
        if operator not in ("=", "!="):
            return NotImplemented
        positive = (operator == "=") == bool(value)
        return [("state", "in" if positive else "not in", OPEN_STATES)]

    def _compute_access_url(self):
        res = super()._compute_access_url()
        for incident in self:
            incident.access_url = f"/my/incidents/{incident.id}"
        return res

    @api.constrains("title", *TEXT_FIELDS)
    def _check_text_sizes(self):
        for incident in self:
            if len(incident.title or "") > TITLE_MAX_LENGTH:
                raise ValidationError(
                    _(
                        "The title is too long (%(count)s characters, at most "
                        "%(max)s): put the details in the description.",
                        count=len(incident.title),
                        max=TITLE_MAX_LENGTH,
                    )
                )
            for fname in TEXT_FIELDS:
                if len(incident[fname] or "") > TEXT_MAX_LENGTH:
                    raise ValidationError(
                        _(
                            "%(field)s is too long (%(count)s characters, at most "
                            "%(max)s): attach long logs as a file instead.",
                            field=self._fields[fname]._description_string(self.env),
                            count=len(incident[fname]),
                            max=TEXT_MAX_LENGTH,
                        )
                    )

    # ------------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        is_key_user = self.env.user.has_group("erp_key_user.group_key_user")
        for vals in vals_list:
            if vals.get("kind") == "incident" and not (is_key_user or self.env.su):
                raise UserError(
                    _(
                        "Only key users open incidents. Ask your key user: they "
                        "will answer or turn your question into an incident."
                    )
                )
            if vals.get("name", "/") == "/":
                vals["name"] = self.env["ir.sequence"].next_by_code("erp.incident")
        incidents = super().create(vals_list)
        incidents._notify_key_user()
        return incidents

    def _notify_key_user(self):
        """Make the routed key user follow the incident and, for questions, give
        them an activity to answer it."""
        # sudo: routing is the addon's job; the colleague asking the question
        # may create it but not write on it (followers, activities)
        for incident in self.sudo().filtered("key_user_id"):
            incident.message_subscribe(partner_ids=incident.key_user_id.partner_id.ids)
            if incident.kind == "question" and incident.key_user_id != self.env.user:
                incident.activity_schedule(
                    "mail.mail_activity_data_todo",
                    summary=_("Answer the question"),
                    user_id=incident.key_user_id.id,
                )

    # ------------------------------------------------------------------
    # state machine: the only place that writes ``state``
    # ------------------------------------------------------------------

    def _check_key_user(self):
        if not (self.env.su or self.env.user.has_group("erp_key_user.group_key_user")):
            raise UserError(
                _(
                    "Only key users and support managers change the status of "
                    "incidents, convert questions and escalate to the supplier: "
                    "ask the key user of the area."
                )
            )

    def _get_transition_error(self, action):
        """The sentence refusing ``action`` to an incident in another state,
        with ``%(incident)s`` and ``%(state)s`` to fill in."""
        return {
            "start": _("%(incident)s cannot be started: it is %(state)s."),
            "escalate": _(
                "%(incident)s cannot be escalated: it is %(state)s. Only an "
                "incident in progress is escalated, and only once."
            ),
            "set_waiting": _(
                "%(incident)s cannot wait for information: it is %(state)s, "
                "not escalated."
            ),
            "resume": _(
                "%(incident)s cannot go back to the supplier: it is %(state)s, "
                "not waiting for information."
            ),
            "resolve": _("%(incident)s cannot be resolved: it is %(state)s."),
            "close": _("%(incident)s cannot be closed: it is %(state)s, not resolved."),
            "cancel": _("%(incident)s cannot be cancelled: it is %(state)s."),
            "reopen": _(
                "%(incident)s cannot be reopened: it is %(state)s, not resolved."
            ),
        }[action]

    def _check_transition(self, action):
        allowed_from, _target = TRANSITIONS[action]
        state_labels = dict(self._fields["state"]._description_selection(self.env))
        for incident in self:
            if incident.state not in allowed_from:
                raise UserError(
                    self._get_transition_error(action)
                    % {"incident": incident.name, "state": state_labels[incident.state]}
                )

    def _transition(self, action, vals=None):
        """Check that the current user may run ``action`` on every incident,
        then move them to the target state in one write."""
        self._check_key_user()
        self._check_transition(action)
        self.write(dict(vals or {}, state=TRANSITIONS[action][1]))
        self._mark_first_response()
        return True

    def _mark_first_response(self):
        """Remember when a key user first acted on each incident (reporting)."""
        self.filtered(lambda i: not i.first_response_on).sudo().write(
            {"first_response_on": fields.Datetime.now()}
        )

    def _message_post_after_hook(self, message, msg_vals):
        # a key user's comment is a response to whoever asked
        if (
            message.message_type == "comment"
            and not self.first_response_on
            and self.env.user != self.reporter_id
            and self.env.user.has_group("erp_key_user.group_key_user")
        ):
            self._mark_first_response()
        return super()._message_post_after_hook(message, msg_vals)

    def action_start(self):
        """new → in_progress (key users)."""
        return self._transition("start")

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

    def action_set_waiting(self):
        """escalated → waiting_info: the supplier asked us for information."""
        return self._transition("set_waiting")

    def action_resume(self):
        """waiting_info → escalated: the information was sent to the supplier."""
        return self._transition("resume")

    def action_resolve(self):
        """Resolve the incident. A resolution text is required; the level is the
        supplier's when the incident was escalated, the key user's otherwise."""
        for incident in self:
            if not incident.resolution or not incident.resolution.striptags().strip():
                raise UserError(
                    _(
                        "Write the resolution of %(incident)s before resolving it, "
                        "so that colleagues with the same doubt find the answer.",
                        incident=incident.name,
                    )
                )
        self._check_key_user()
        self._check_transition("resolve")
        now = fields.Datetime.now()
        for incident in self:
            level = "supplier" if incident.escalated_on else "key_user"
            incident.write(
                {"state": "resolved", "resolution_level": level, "resolved_on": now}
            )
        self._mark_first_response()
        self.activity_feedback(["mail.mail_activity_data_todo"])
        return True

    def action_close(self):
        """resolved → closed."""
        return self._transition("close")

    def action_cancel(self):
        """Cancel an open incident."""
        return self._transition("cancel")

    def action_reopen(self):
        """resolved → in_progress: the problem persists."""
        return self._transition(
            "reopen", {"resolved_on": False, "resolution_level": False}
        )

    def action_problem_persists(self):
        """A consultation user says the resolved problem is still there: the
        incident goes back to its key user instead of being auto-closed."""
        self._check_transition("reopen")
        for incident in self:
            incident.message_post(
                body=_("The problem persists."),
                message_type="comment",
                subtype_xmlid="mail.mt_comment",
            )
        # sudo: consultation users may not write incidents; saying the problem
        # persists is the one change they are allowed to make
        incidents = self.sudo()
        incidents.action_reopen()
        for incident in incidents.filtered("key_user_id"):
            incident.activity_schedule(
                "mail.mail_activity_data_todo",
                summary=_("The problem persists"),
                user_id=incident.key_user_id.id,
            )
        return True

    def action_convert_to_incident(self):
        """Turn a question into a formal incident (key users only)."""
        self._check_key_user()
        for incident in self:
            if incident.kind != "question" or incident.state not in OPEN_STATES:
                raise UserError(
                    _(
                        "Only open questions can be converted into incidents; "
                        "%(incident)s is not one.",
                        incident=incident.name,
                    )
                )
        self.write({"kind": "incident"})
        self.filtered(lambda i: i.state == "new").write({"state": "in_progress"})
        self._mark_first_response()
        return True

    def _mark_escalated(self, escalated_on):
        """in_progress → escalated, with the SLA deadline counted in business
        hours of the instance's calendar. Called by the escalation wizard."""
        self.ensure_one()
        self._check_key_user()
        self._check_transition("escalate")
        self.write(
            {
                "state": "escalated",
                "escalated_on": escalated_on,
                "sla_deadline": self._get_sla_deadline(escalated_on),
                "sla_breached": False,
                "kind": "incident",
            }
        )

    # ------------------------------------------------------------------
    # crons (the SLA one is in erp.incident.sla.mixin)
    # ------------------------------------------------------------------

    @api.model
    def _cron_autoclose_resolved(self):
        """Close incidents resolved more than the configured number of days ago."""
        days = int(
            self.env["ir.config_parameter"]
            .sudo()
            .get_param("erp_key_user.autoclose_days", 7)
        )
        if days <= 0:
            return self.browse()
        limit = fields.Datetime.now() - timedelta(days=days)
        # sudo: the cron closes incidents of every company, whoever runs it
        incidents = self.sudo().search(
            [("state", "=", "resolved"), ("resolved_on", "<", limit)]
        )
        incidents.action_close()
        return incidents
