# Copyright 2026 erp_key_user contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

from odoo import api, fields, models


class ErpSelfHelpEvent(models.Model):
    """A suggestion of the report wizard that a user opened.

    All the suggestions opened from one wizard share its token. When the
    wizard is then sent, the request created keeps the token
    (``erp.incident.self_help_token``); when it is discarded no request has
    it: the doubt was solved by self-help. The self-help analysis counts one
    self-solved doubt per such token."""

    _name = "erp.self.help.event"
    _description = "Self-Help Suggestion Opened"
    _order = "id desc"

    token = fields.Char(required=True, readonly=True, index=True)
    user_id = fields.Many2one(
        "res.users",
        required=True,
        readonly=True,
        index=True,
        default=lambda self: self.env.user,
        ondelete="cascade",
    )
    company_id = fields.Many2one(
        "res.company",
        required=True,
        readonly=True,
        index=True,
        default=lambda self: self.env.company,
        ondelete="cascade",
    )
    area_id = fields.Many2one("erp.support.area", readonly=True, index=True)
    guide_id = fields.Many2one(
        "erp.process.guide", readonly=True, index="btree_not_null", ondelete="cascade"
    )
    incident_id = fields.Many2one(
        "erp.incident", readonly=True, index="btree_not_null", ondelete="cascade"
    )

    @api.model
    def _log_opened(self, token, answer, area):
        """Record that the current user opened ``answer`` (a guide or an
        incident they can read) from the wizard ``token``; once per answer."""
        field = "guide_id" if answer._name == "erp.process.guide" else "incident_id"
        if self.search_count([("token", "=", token), (field, "=", answer.id)]):
            return self.browse()
        return self.create(
            {
                "token": token,
                field: answer.id,
                "area_id": area.id,
                "company_id": answer.company_id.id,
            }
        )
