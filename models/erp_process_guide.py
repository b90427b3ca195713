# Copyright 2026 erp_key_user contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

import re

from markupsafe import Markup

from odoo import _, api, fields, models
from odoo.tools import is_html_empty


class ErpProcessGuide(models.Model):
    """How *this* company does something in the ERP, step by step.

    Key users write the guides of their areas; once published they are read by
    every consultation user of the company, in the backend and on the portal.

    Two fields are versioned by the HTML field history:

    * ``content``: every saved edit (what the key users wrote, with restore);
    * ``published_content``: the whole guide (header, numbered steps with their
      expected result, content) as it was published, written once per
      publication, so revision *n* of it is the text of version *n*. Steps are
      separate records and ``content`` is rewritten between publications: this
      snapshot is what keeps every earlier published text readable."""

    _name = "erp.process.guide"
    _description = "Process Guide"
    _inherit = [
        "mail.thread",
        "mail.activity.mixin",
        "html.field.history.mixin",
        "portal.mixin",
        "erp.company.scoped.mixin",
        "erp.state.flow.mixin",
    ]
    _rule_scope_fields = ("company_id", "area_id")
    # action -> (states it may start from, state it leads to)
    _state_transitions = {
        "publish": (("draft",), "published"),
        "archive": (("draft", "published"), "archived"),
        "reset_to_draft": (("published", "archived"), "draft"),
    }
    _state_flow_record_key = "guide"
    _order = "area_id, name, id"
    _check_company_auto = True

    name = fields.Char(required=True, tracking=True)
    company_id = fields.Many2one(
        "res.company",
        required=True,
        index=True,
        default=lambda self: self.env.company,
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
    summary = fields.Text()
    content = fields.Html(sanitize=True)
    published_content = fields.Html(
        string="Published Text",
        sanitize=True,
        readonly=True,
        copy=False,
        help="The guide as it was last published; the Version History keeps "
        "every earlier published version.",
    )
    guide_html = fields.Html(
        string="Guide",
        compute="_compute_guide_html",
        sanitize=True,
        help="The guide as its readers see it: numbered steps with their "
        "expected result, then the content.",
    )
    # a duplicate is a new guide at version 0: it does not inherit the history
    html_field_history = fields.Json(copy=False)
    step_ids = fields.One2many(
        "erp.process.guide.step", "guide_id", string="Steps", copy=True
    )
    version = fields.Integer(default=0, readonly=True, copy=False, tracking=True)
    state = fields.Selection(
        [("draft", "Draft"), ("published", "Published"), ("archived", "Archived")],
        default="draft",
        required=True,
        index=True,
        tracking=True,
        copy=False,
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

    def _get_versioned_fields(self):
        return ["content", "published_content"]

    @api.depends(
        "summary",
        "content",
        "step_ids.sequence",
        "step_ids.name",
        "step_ids.instructions",
        "step_ids.expected_result",
    )
    def _compute_guide_html(self):
        for guide in self:
            guide.guide_html = guide._get_guide_html()

    def _prepare_guide_html_values(self, with_header=False):
        self.ensure_one()
        return {
            "guide": self,
            "with_header": with_header,
            "is_html_empty": is_html_empty,
        }

    def _get_guide_html(self, with_header=False):
        """The readable guide (the body of the PDF report): summary, numbered
        steps with instructions and expected result, content; with a header
        naming the version, area, owner and publication date if asked."""
        self.ensure_one()
        html = self.env["ir.qweb"]._render(
            "erp_key_user.report_erp_process_guide_body",
            self._prepare_guide_html_values(with_header=with_header),
        )
        # no line breaks: the HTML field history drops them when it restores a
        # revision, and the published text must come back exactly as it was
        return Markup(re.sub(r"\s*\n\s*", " ", html))

    def _get_published_text(self, version):
        """The whole text of published ``version`` (1 = first publication) as
        its readers saw it, or ``False`` if the history no longer holds it (the
        HTML field history keeps the last 300 revisions of a field).

        Each publication writes ``published_content`` once, and its header
        names the version so the text always changes: revision *n* of
        ``published_content`` holds version *n*, and the content *before*
        revision *n + 1* is the text of version *n*."""
        self.ensure_one()
        if not 0 < version <= self.version:
            return False
        if version == self.version:
            return self.published_content
        revisions = (self.html_field_history or {}).get("published_content") or []
        if not revisions or revisions[-1]["revision_id"] > version + 1:
            return False
        return self.html_field_history_get_content_at_revision(
            "published_content", version + 1
        )

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

    def _compute_access_url(self):
        res = super()._compute_access_url()
        for guide in self:
            guide.access_url = f"/my/guides/{guide.id}"
        return res

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

    def action_publish(self):
        """Publish a draft guide: bumps ``version`` and records the whole
        published text in ``published_content`` (one revision of its history
        per version)."""
        self._check_transition("publish")
        now = fields.Datetime.now()
        for guide in self:
            guide.write(
                {
                    "state": "published",
                    "version": guide.version + 1,
                    "published_on": now,
                }
            )
            # rendered after the write: the header names the new version
            guide.published_content = guide._get_guide_html(with_header=True)
            guide.message_post(
                body=_("Version %(version)s published.", version=guide.version)
            )
        return True

    def action_archive_guide(self):
        """Withdraw a guide from consultation users; it stays in the history."""
        self._check_transition("archive")
        return self.write({"state": "archived"})

    def action_reset_to_draft(self):
        """Bring a guide back to draft to edit it before the next version."""
        self._check_transition("reset_to_draft")
        return self.write({"state": "draft"})

    def action_view_incidents(self):
        """Incidents and questions that referenced this guide."""
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "erp_key_user.action_erp_incident"
        )
        action["domain"] = [("guide_id", "=", self.id)]
        action["context"] = {"default_guide_id": self.id}
        return action

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
