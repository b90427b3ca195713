# Copyright 2026 erp_key_user contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

from odoo import _, api, fields, models
from odoo.exceptions import UserError


class ErpProcessGuide(models.Model):
    """How *this* company does something in the ERP, step by step.

    Key users write the guides of their areas; once published they are read by
    every consultation user of the company, in the backend and on the portal.
    Every change of ``content`` is kept by the HTML field history."""

    _name = "erp.process.guide"
    _description = "Process Guide"
    _inherit = [
        "mail.thread",
        "mail.activity.mixin",
        "html.field.history.mixin",
        "portal.mixin",
        "erp.company.scoped.mixin",
    ]
    _rule_scope_fields = ("company_id", "area_id")
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
        string="Owner",
        default=lambda self: self.env.user,
        tracking=True,
        index=True,
    )
    summary = fields.Text()
    content = fields.Html(sanitize=True)
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
    incident_ids = fields.One2many("erp.incident", "guide_id", string="Incidents")
    incident_count = fields.Integer(compute="_compute_incident_count")

    def _get_versioned_fields(self):
        return ["content"]

    def _compute_incident_count(self):
        counts = dict(
            self.env["erp.incident"]._read_group(
                [("guide_id", "in", self.ids)], ["guide_id"], ["__count"]
            )
        )
        for guide in self:
            guide.incident_count = counts.get(guide, 0)

    def _compute_access_url(self):
        super()._compute_access_url()
        for guide in self:
            guide.access_url = f"/my/guides/{guide.id}"

    def _check_state(self, allowed, action_label):
        state_labels = dict(self._fields["state"]._description_selection(self.env))
        for guide in self:
            if guide.state not in allowed:
                raise UserError(
                    _(
                        "You cannot %(action)s the guide %(guide)s: it is %(state)s.",
                        action=action_label,
                        guide=guide.name,
                        state=state_labels[guide.state],
                    )
                )

    def action_publish(self):
        """Publish a draft guide; each publication bumps ``version``."""
        self._check_state(("draft",), _("publish"))
        now = fields.Datetime.now()
        for guide in self:
            guide.write(
                {"state": "published", "version": guide.version + 1, "published_on": now}
            )
            guide.message_post(
                body=_("Version %(version)s published.", version=guide.version)
            )
        return True

    def action_archive_guide(self):
        """Withdraw a guide from consultation users; it stays in the history."""
        self._check_state(("draft", "published"), _("archive"))
        return self.write({"state": "archived"})

    def action_reset_to_draft(self):
        """Bring a guide back to draft to edit it before the next version."""
        self._check_state(("published", "archived"), _("reset to draft"))
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
