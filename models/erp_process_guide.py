# Copyright 2026 erp_key_user contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import html_sanitize, is_html_empty

from odoo.addons.html_editor.models.diff_utils import generate_comparison

# the writers of guides: key users, and the supplier's agents (the manuals of
# each customer's own modifications)
KEY_USER_GROUP = "erp_key_user.group_key_user,erp_key_user.group_support_agent"
# what makes the text of the next version; its edits wait for the next publication
WORKING_COPY_FIELDS = ("name", "summary", "content", "step_ids")
# written by the publication flow only (in sudo, after checking the user may
# write the guide), never sent by a client
VERSIONING_FIELDS = (
    "state",
    "version",
    "published_on",
    "published_version_id",
    "version_ids",
    "has_unpublished_changes",
    "html_field_history",
)


class ErpProcessGuide(models.Model):
    """How *this* company does something in the ERP, step by step.

    The guide record is the key users' working copy (name, summary, steps,
    content). Publishing it stores the whole text as a new
    ``erp.process.guide.version``; readers (consultation users, in the backend
    and on the portal) only ever read the last published version, so a key
    user can rewrite a published guide without it leaving its readers: they
    see the changes once the next version is published.

    States: ``draft`` (never published, or withdrawn: readers do not see it),
    ``published`` (readers see the last version; the working copy may hold
    unpublished changes) and ``archived``.

    ``content`` keeps the HTML field history of its saved edits, for its key
    users only (as ``project`` does for task descriptions)."""

    _name = "erp.process.guide"
    _description = "Process Guide"
    _inherit = [
        "erp.portal.role.access.mixin",
        "mail.thread",
        "mail.activity.mixin",
        "html.field.history.mixin",
        "portal.mixin",
        "erp.company.scoped.mixin",
        "erp.state.flow.mixin",
        "erp.text.mixin",
        "erp.self.help.mixin",
        "erp.process.guide.staging.mixin",
        "erp.process.guide.training.mixin",
    ]
    _rule_scope_fields = ("company_id", "partner_id", "area_id")
    _text_required_fields = ("name",)
    # action -> (states it may start from, state it leads to); publishing a
    # published guide makes its next version (when its working copy changed)
    _state_transitions = {
        "publish": (("draft", "published"), "published"),
        "archive": (("draft", "published"), "archived"),
        "reset_to_draft": (("published", "archived"), "draft"),
    }
    _state_flow_record_key = "guide"
    # the self-help search indexes what readers read, the last published
    # version (written once, never changed), never the working copy
    _self_help_depends = (
        "published_version_id",
        "published_version_id.name",
        "published_version_id.summary",
        "published_version_id.body",
        "owner_id.lang",
    )
    _order = "area_id, name, id"
    _check_company_auto = True
    _text_size_limits = {
        "name": 256,
        "summary": 2_000,
        "content": 1_000_000,
    }

    name = fields.Char(required=True, tracking=True)
    company_id = fields.Many2one(
        "res.company",
        required=True,
        index=True,
        default=lambda self: self.env.company,
    )
    partner_id = fields.Many2one(
        "res.partner",
        string="Customer",
        required=True,
        index=True,
        ondelete="restrict",
        compute="_compute_partner_id",
        store=True,
        readonly=False,
        precompute=True,
        tracking=True,
        domain="[('is_company', '=', True)]",
        help="The organisation this guide is written for: the company itself, "
        "or one customer of the supplier's platform. Only its contacts read it "
        "on the portal.",
    )
    area_id = fields.Many2one(
        "erp.support.area", required=True, index=True, tracking=True
    )
    owner_id = fields.Many2one(
        "res.users",
        default=lambda self: self.env.user,
        tracking=True,
        index=True,
    )
    # the working copy: key users only (readers read the published version)
    summary = fields.Text(groups=KEY_USER_GROUP)
    content = fields.Html(sanitize=True, groups=KEY_USER_GROUP)
    step_ids = fields.One2many(
        "erp.process.guide.step",
        "guide_id",
        string="Steps",
        copy=True,
        groups=KEY_USER_GROUP,
    )
    preview_html = fields.Html(
        string="Preview",
        compute="_compute_preview_html",
        sanitize=True,
        groups=KEY_USER_GROUP,
        help="The working copy as its readers will see it once published.",
    )
    # the edit history of the content: read by key users through the history
    # dialog's methods, never written but by the mixin itself
    html_field_history = fields.Json(copy=False, groups=KEY_USER_GROUP)
    html_field_history_metadata = fields.Json(groups=KEY_USER_GROUP)

    # what readers read
    version_ids = fields.One2many(
        "erp.process.guide.version", "guide_id", string="Versions", readonly=True
    )
    published_version_id = fields.Many2one(
        "erp.process.guide.version",
        readonly=True,
        copy=False,
        index="btree_not_null",
    )
    published_name = fields.Char(
        related="published_version_id.name", string="Published Title", store=True
    )
    published_summary = fields.Text(
        related="published_version_id.summary", string="Published Summary"
    )
    guide_html = fields.Html(
        related="published_version_id.body",
        string="Guide",
        help="The last published version, as its readers see it: numbered "
        "steps with their expected result, then the content.",
    )
    version = fields.Integer(default=0, readonly=True, copy=False, tracking=True)
    version_count = fields.Integer(compute="_compute_version_count")
    state = fields.Selection(
        [("draft", "Draft"), ("published", "Published"), ("archived", "Archived")],
        default="draft",
        required=True,
        readonly=True,
        index=True,
        tracking=True,
        copy=False,
    )
    has_unpublished_changes = fields.Boolean(
        string="Unpublished Changes",
        readonly=True,
        copy=False,
        help="The working copy was edited since the last published version; "
        "readers see these changes once the guide is published again.",
    )
    portal_published = fields.Boolean(
        string="Visible on the Portal",
        default=True,
        index=True,
        help="Published guides are also shown to portal consultation users.",
    )
    published_on = fields.Datetime(readonly=True, copy=False)
    review_date = fields.Date(
        tracking=True, help="The owner gets an activity to review the guide then."
    )
    model_ids = fields.Many2many(
        "ir.model",
        "erp_process_guide_ir_model_rel",
        "guide_id",
        "model_id",
        string="Forms",
        ondelete="cascade",
        help="The ERP forms this guide explains.",
    )
    model_names = fields.Char(
        string="Forms Covered",
        compute="_compute_model_names",
        help="The ERP forms this guide explains (for readers, who may not read "
        "the technical list of models).",
    )
    incident_ids = fields.One2many("erp.incident", "guide_id", string="Incidents")
    incident_count = fields.Integer(compute="_compute_incident_count")

    def _get_self_help_texts(self):
        # the search finds published guides only, whose versions their
        # readers read (record rules of erp.process.guide.version)
        version = self.published_version_id
        return version.name or "", [version.summary, version.body]

    def _get_self_help_lang(self):
        return self.owner_id.lang

    def _get_versioned_fields(self):
        return ["content"]

    # ------------------------------------------------------------------
    # computes
    # ------------------------------------------------------------------

    @api.depends("state", "name", "published_name")
    def _compute_display_name(self):
        # readers know a published guide by its published title, key users too
        # while they rewrite it
        for guide in self:
            guide.display_name = (
                guide.published_name
                if guide.state == "published" and guide.published_name
                else guide.name
            )

    @api.depends(
        "summary",
        "content",
        "step_ids.sequence",
        "step_ids.name",
        "step_ids.instructions",
        "step_ids.expected_result",
    )
    def _compute_preview_html(self):
        for guide in self:
            guide.preview_html = guide._render_working_copy()

    def _compute_version_count(self):
        counts = dict(
            self.env["erp.process.guide.version"]._read_group(
                [("guide_id", "in", self.ids)], ["guide_id"], ["__count"]
            )
        )
        for guide in self:
            guide.version_count = counts.get(guide, 0)

    @api.depends("company_id")
    def _compute_partner_id(self):
        # by default a guide is the company's own; a guide written for a
        # customer keeps its customer
        for guide in self:
            if not guide.partner_id:
                guide.partner_id = guide.company_id.partner_id

    @api.depends("model_ids")
    def _compute_model_names(self):
        # sudo: only administrators may read ir.model; the names of the forms
        # a guide the user can read covers are no secret
        for guide in self:
            guide.model_names = ", ".join(guide.sudo().model_ids.mapped("name"))

    def _compute_incident_count(self):
        counts = dict(
            self.env["erp.incident"]._read_group(
                [("guide_id", "in", self.ids)], ["guide_id"], ["__count"]
            )
        )
        for guide in self:
            guide.incident_count = counts.get(guide, 0)

    def _mail_get_partner_fields(self, introspect_fields=False):
        # partner_id is the customer, an organisation that reads through its
        # contacts' portal accounts: never a mail recipient, and no access
        # token or signup link is made for it (mail and portal would
        # otherwise treat it as the guide's "customer")
        return []

    def _compute_access_url(self):
        res = super()._compute_access_url()
        for guide in self:
            guide.access_url = f"/my/guides/{guide.id}"
        return res

    def _render_working_copy(self):
        """The working copy rendered by the one template of the guide body
        (summary, numbered steps with their expected result, content): the
        preview of the key users and, once published, the version's text."""
        self.ensure_one()
        return self.env["ir.qweb"]._render(
            "erp_key_user.erp_process_guide_body",
            {
                "summary": self.summary,
                "steps": self.step_ids,
                "content": self.content,
                "is_html_empty": is_html_empty,
            },
        )

    # ------------------------------------------------------------------
    # the working copy and the versioning data
    # ------------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        if not self.env.su:
            for vals in vals_list:
                self._check_versioning_vals(
                    {k: v for k, v in vals.items() if v and v != "draft"}
                )
        return super().create(vals_list)

    def write(self, vals):
        if not self.env.su:
            self._check_versioning_vals(vals)
        res = super().write(vals)
        if set(vals).intersection(WORKING_COPY_FIELDS):
            self._mark_unpublished_changes()
        return res

    @api.model
    def _check_versioning_vals(self, vals):
        """Versions, states and the content history are written by the
        publication flow only: refuse them from anybody else."""
        forbidden = set(vals).intersection(VERSIONING_FIELDS)
        if forbidden:
            raise AccessError(
                _(
                    "The versions, the status and the history of a guide "
                    "change only through its buttons (Publish, Archive, Back "
                    "to draft); they cannot be written directly (%(fields)s).",
                    fields=", ".join(sorted(forbidden)),
                )
            )

    def _mark_unpublished_changes(self):
        """The working copy of these published guides now differs from what
        their readers see."""
        guides = self.filtered(
            lambda g: g.state == "published" and not g.has_unpublished_changes
        )
        # sudo: called after the user's own write of the guide or of one of
        # its steps, which the record rules allowed; this flag is versioning
        # data, closed to clients
        guides.sudo().write({"has_unpublished_changes": True})

    # ------------------------------------------------------------------
    # the content history (html.field.history.mixin), key users only
    # ------------------------------------------------------------------

    def _check_content_history_access(self):
        # the edit history holds drafts never published: whoever may not read
        # html_field_history may not read its revisions either
        self._check_field_access(self._fields["html_field_history"], "read")

    def html_field_history_get_content_at_revision(self, field_name, revision_id):
        """The content at ``revision_id``, sanitized; key users only."""
        self._check_content_history_access()
        content = super().html_field_history_get_content_at_revision(
            field_name, revision_id
        )
        return html_sanitize(content)

    def html_field_history_get_comparison_at_revision(self, field_name, revision_id):
        """The changes since ``revision_id``, between two sanitized texts;
        key users only."""
        self.ensure_one()
        restored = self.html_field_history_get_content_at_revision(
            field_name, revision_id
        )
        return generate_comparison(restored, html_sanitize(self[field_name] or ""))

    def html_field_history_get_unified_diff_at_revision(self, field_name, revision_id):
        """The unified diff since ``revision_id``; key users only."""
        self._check_content_history_access()
        return super().html_field_history_get_unified_diff_at_revision(
            field_name, revision_id
        )

    # ------------------------------------------------------------------
    # actions
    # ------------------------------------------------------------------

    def _get_transition_error(self, action):
        return {
            "publish": _(
                "%(guide)s cannot be published: it is %(state)s. Bring it back "
                "to draft, edit it, then publish the next version."
            ),
            "archive": _("%(guide)s cannot be archived: it is %(state)s."),
            "reset_to_draft": _(
                "%(guide)s cannot be brought back to draft: it is %(state)s."
            ),
        }[action]

    def _write_versioning(self, vals):
        """Write the state and versioning fields of guides the user may write."""
        self.check_access("write")
        # sudo: those fields are closed to clients (_check_versioning_vals);
        # the user's right to write these guides was checked just above
        return self.sudo().write(vals)

    def _prepare_version_values(self, number, now):
        self.ensure_one()
        return {
            "guide_id": self.id,
            "number": number,
            "name": self.name,
            "summary": self.summary,
            "body": self._render_working_copy(),
            "published_by_id": self.env.uid,
            "published_on": now,
        }

    def action_publish(self):
        """Publish the working copy as the next version: a new
        ``erp.process.guide.version`` with the whole text, ``version`` bumped;
        readers see it at once. A draft is always publishable; a published
        guide once its working copy has changed."""
        for guide in self:
            if guide.state == "published" and not guide.has_unpublished_changes:
                raise UserError(
                    _(
                        "%(guide)s cannot be published: it is Published and "
                        "unchanged since version %(version)s. Edit it, then "
                        "publish the next version.",
                        guide=guide.name,
                        version=guide.version,
                    )
                )
        self._check_transition("publish")
        self.check_access("write")
        now = fields.Datetime.now()
        for guide in self:
            number = guide.version + 1
            # sudo: nobody creates versions but this method; the user's right
            # to write the guide was checked above
            version = (
                self.env["erp.process.guide.version"]
                .sudo()
                .create(guide._prepare_version_values(number, now))
            )
            guide._write_versioning(
                {
                    "state": self._get_transition_target("publish"),
                    "version": number,
                    "published_on": now,
                    "published_version_id": version.id,
                    "has_unpublished_changes": False,
                }
            )
            guide.message_post(body=_("Version %(version)s published.", version=number))
        # the new version was appended to the cached list: read it back in the
        # order of the versions, newest first
        self.invalidate_recordset(["version_ids"])
        return True

    def action_archive_guide(self):
        """Withdraw a guide from consultation users; its versions stay."""
        self._check_transition("archive")
        return self._write_versioning({"state": self._get_transition_target("archive")})

    def action_reset_to_draft(self):
        """Withdraw a published guide from its readers, or take an archived
        one back, as a draft (edits of a published guide do not need it: they
        wait for the next publication)."""
        self._check_transition("reset_to_draft")
        return self._write_versioning(
            {"state": self._get_transition_target("reset_to_draft")}
        )

    def action_view_incidents(self):
        """Incidents and questions that referenced this guide."""
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "erp_key_user.action_erp_incident"
        )
        action["domain"] = [("guide_id", "=", self.id)]
        action["context"] = {"default_guide_id": self.id}
        return action

    def action_open_version_history(self):
        """The published versions of the guide, to read and compare."""
        self.ensure_one()
        versions = self.version_ids
        return {
            "type": "ir.actions.act_window",
            "name": _("Version History"),
            "res_model": "erp.process.guide.version.compare",
            "view_mode": "form",
            "target": "new",
            "context": {
                "default_guide_id": self.id,
                "default_version_id": versions[:1].id,
                "default_compare_version_id": versions[1:2].id,
            },
        }

    @api.model
    def _cron_review_reminder(self):
        """Give the owner of every guide whose review date has passed one
        activity to review it (not a second one while the first is open)."""
        # sudo: the cron reviews guides of every company
        guides = self.sudo().search(
            [
                ("review_date", "<=", fields.Date.context_today(self)),
                ("state", "!=", "archived"),
                ("owner_id", "!=", False),
            ]
        )
        todo = self.env.ref("mail.mail_activity_data_todo")
        pending = guides.activity_ids.filtered(
            lambda a: a.activity_type_id == todo and a.res_model == self._name
        ).mapped("res_id")
        for guide in guides.filtered(lambda g: g.id not in pending):
            guide.activity_schedule(
                act_type_xmlid="mail.mail_activity_data_todo",
                summary=_("Review the guide"),
                user_id=guide.owner_id.id,
            )
        return guides
