# Copyright 2026 erp_key_user contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

from odoo import Command, api, fields, models


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

    erp_consultation_user = fields.Boolean(
        string="Key User Support: Consultation User",
        compute="_compute_erp_consultation_user",
        inverse="_inverse_erp_consultation_user",
        groups="base.group_erp_manager",
        help="Follows the incidents and reads the process guides of the "
        "company on the portal. Internal users get their role from the Access "
        "Rights above.",
    )

    @api.depends("group_ids")
    def _compute_erp_consultation_user(self):
        group = self.env.ref("erp_key_user.group_consultation_user")
        for user in self:
            user.erp_consultation_user = group in user.all_group_ids

    def _inverse_erp_consultation_user(self):
        # a portal user's role, settable without developer mode (Odoo shows
        # portal users' groups in developer mode only)
        group = self.env.ref("erp_key_user.group_consultation_user")
        for user in self:
            command = Command.link if user.erp_consultation_user else Command.unlink
            user.group_ids = [command(group.id)]

    erp_portal_key_user = fields.Boolean(
        string="Key User Support: Portal Key User",
        compute="_compute_erp_portal_key_user",
        inverse="_inverse_erp_portal_key_user",
        groups="base.group_erp_manager",
        help="A customer's key user on the supplier's portal: may own areas of "
        "the instances of their customer (their company contact) and send "
        "support requests. Includes the Consultation User role.",
    )

    @api.depends("group_ids")
    def _compute_erp_portal_key_user(self):
        group = self.env.ref("erp_key_user.group_portal_key_user")
        for user in self:
            user.erp_portal_key_user = group in user.all_group_ids

    def _inverse_erp_portal_key_user(self):
        # like the consultation role: settable on portal users without
        # developer mode
        group = self.env.ref("erp_key_user.group_portal_key_user")
        for user in self:
            command = Command.link if user.erp_portal_key_user else Command.unlink
            user.group_ids = [command(group.id)]
