# Copyright 2026 erp_key_user contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

from odoo import api, fields, models


class ErpProcessGuideRead(models.Model):
    """A user's confirmation "I have read this version" of a published guide.

    Created only by ``erp.process.guide.action_confirm_read``, for the user
    who clicks it (no access right creates, writes or deletes a confirmation:
    nobody confirms for somebody else over RPC). One per user and version: a
    new version of the guide asks its readers again."""

    _name = "erp.process.guide.read"
    _description = "Read Confirmation of a Process Guide Version"
    _order = "read_on desc, id desc"
    _rec_name = "guide_id"

    user_id = fields.Many2one(
        "res.users",
        string="Reader",
        required=True,
        readonly=True,
        index=True,
        ondelete="cascade",
    )
    guide_id = fields.Many2one(
        "erp.process.guide",
        required=True,
        readonly=True,
        index=True,
        ondelete="cascade",
    )
    version_id = fields.Many2one(
        "erp.process.guide.version",
        required=True,
        readonly=True,
        index=True,
        ondelete="cascade",
    )
    version = fields.Integer(
        string="Version Number",
        related="version_id.number",
        store=True,
        precompute=True,
    )
    read_on = fields.Datetime(
        string="Confirmed on",
        required=True,
        readonly=True,
        default=fields.Datetime.now,
    )
    # the record rules' columns: the guide's company and customer, and its area
    company_id = fields.Many2one(
        related="guide_id.company_id", store=True, index=True, precompute=True
    )
    partner_id = fields.Many2one(
        related="guide_id.partner_id", store=True, index=True, precompute=True
    )
    area_id = fields.Many2one(
        related="guide_id.area_id", store=True, index=True, precompute=True
    )

    _user_version_unique = models.Constraint(
        "UNIQUE(user_id, version_id)",
        "You have already confirmed reading this version of the guide.",
    )

    @api.depends("guide_id", "version")
    def _compute_display_name(self):
        for read in self:
            read.display_name = self.env._(
                "%(guide)s, version %(version)s",
                guide=read.guide_id.display_name,
                version=read.version,
            )
