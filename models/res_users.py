# Copyright 2026 erp_key_user contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

from odoo import api, fields, models


class ResUsers(models.Model):
    _inherit = "res.users"

    erp_assignment_ids = fields.One2many(
        "erp.key.user.assignment", "user_id", string="Key User Assignments"
    )
    erp_key_user_area_ids = fields.Many2many(
        "erp.support.area",
        compute="_compute_erp_key_user_area_ids",
        string="Key User Areas",
        help="Areas this user is a key user of, on any instance.",
    )

    @api.depends("erp_assignment_ids.area_id")
    def _compute_erp_key_user_area_ids(self):
        # sudo: record rules read this for the current user, who may not read
        # the assignments of every instance
        for user in self:
            user.erp_key_user_area_ids = user.sudo().erp_assignment_ids.area_id
