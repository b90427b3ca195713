# Copyright 2026 erp_key_user contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError

READERS_GROUPS = "erp_key_user.group_key_user,erp_key_user.group_support_agent"


class ErpProcessGuideTrainingMixin(models.AbstractModel):
    """Training: readers confirm "I have read this version" of a published
    guide (``erp.process.guide.read``), and the guide's key users see who has
    read its current version (``erp.process.guide.reader``) and remind the
    others. A new version asks every reader again."""

    _name = "erp.process.guide.training.mixin"
    _description = "Read confirmations of a process guide"

    read_ids = fields.One2many(
        "erp.process.guide.read", "guide_id", string="Read Confirmations"
    )
    is_read_by_me = fields.Boolean(
        string="Read by Me",
        compute="_compute_my_read",
        help="You have confirmed reading the current version of this guide.",
    )
    my_read_on = fields.Datetime(
        string="I Confirmed Reading on", compute="_compute_my_read"
    )
    reader_count = fields.Integer(
        string="Readers",
        compute="_compute_reader_counts",
        groups=READERS_GROUPS,
        help="Consultation users expected to read this guide.",
    )
    reader_done_count = fields.Integer(
        string="Readers Who Read the Current Version",
        compute="_compute_reader_counts",
        groups=READERS_GROUPS,
    )

    @api.depends_context("uid")
    @api.depends("published_version_id")
    def _compute_my_read(self):
        # one query for the whole batch; the user reads their own rows
        reads = self.env["erp.process.guide.read"].search_fetch(
            [
                ("user_id", "=", self.env.uid),
                ("version_id", "in", self.published_version_id.ids),
            ],
            ["version_id", "read_on"],
        )
        read_on = {read.version_id: read.read_on for read in reads}
        for guide in self:
            guide.my_read_on = read_on.get(guide.published_version_id, False)
            guide.is_read_by_me = bool(guide.my_read_on)

    def _compute_reader_counts(self):
        # one grouped query over the readers report for the whole batch
        groups = self.env["erp.process.guide.reader"]._read_group(
            [("guide_id", "in", self.ids)], ["guide_id", "state"], ["__count"]
        )
        totals, done = {}, {}
        for guide, state, count in groups:
            totals[guide] = totals.get(guide, 0) + count
            if state == "read":
                done[guide] = count
        for guide in self:
            guide.reader_count = totals.get(guide, 0)
            guide.reader_done_count = done.get(guide, 0)

    def action_confirm_read(self):
        """The current user confirms having read the published version of
        these guides (once per version: confirming again changes nothing).

        Only guides the user may read, published: consultation users read the
        published guides of their companies (and, on the portal, of their
        customer) and nothing else."""
        user = self.env.user
        if not user.has_group("erp_key_user.group_consultation_user"):
            raise AccessError(
                _("Only consultation users confirm that they have read a guide.")
            )
        self.check_access("read")
        unpublished = self.filtered(
            lambda g: g.state != "published" or not g.published_version_id
        )
        if unpublished:
            raise UserError(
                _(
                    "%(guides)s is not published: there is no version to confirm yet.",
                    guides=", ".join(unpublished.mapped("display_name")),
                )
            )
        Read = self.env["erp.process.guide.read"]
        confirmed = Read.search(
            [
                ("user_id", "=", user.id),
                ("version_id", "in", self.published_version_id.ids),
            ]
        ).version_id
        # sudo: no role may create confirmations (so that nobody writes one
        # for somebody else); this one is the current user's own, for guides
        # the record rules let them read (checked above)
        Read.sudo().create(
            [
                {
                    "user_id": user.id,
                    "guide_id": guide.id,
                    "version_id": guide.published_version_id.id,
                }
                for guide in self
                if guide.published_version_id not in confirmed
            ]
        )
        self.invalidate_recordset(["is_read_by_me", "my_read_on"])
        # the readers report is a view over the confirmations
        self.env["erp.process.guide.reader"].invalidate_model()
        return True

    def action_view_readers(self):
        """Who has read the current version of this guide, and who has not."""
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "erp_key_user.action_erp_process_guide_reader"
        )
        action["domain"] = [("guide_id", "=", self.id)]
        action["context"] = {"search_default_group_state": 1}
        action["display_name"] = _("Readers of %(guide)s", guide=self.display_name)
        return action

    def action_remind_readers(self):
        """Remind the readers of these guides who have not read their current
        version (one message per person, listing their guides)."""
        readers = self.env["erp.process.guide.reader"].search(
            [("guide_id", "in", self.ids), ("state", "!=", "read")]
        )
        return readers.action_remind()
