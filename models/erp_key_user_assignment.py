# Copyright 2026 erp_key_user contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

from odoo import _, api, fields, models
from odoo.exceptions import ValidationError


class ErpKeyUserAssignment(models.Model):
    """Which key user owns which functional area on an ERP instance."""

    _name = "erp.key.user.assignment"
    _inherit = ["erp.company.scoped.mixin"]
    _rule_scope_fields = ("instance_id",)
    _description = "Key User Assignment"
    _order = "instance_id, area_id, is_backup, id"
    _rec_name = "user_id"

    instance_id = fields.Many2one(
        "erp.instance", required=True, ondelete="cascade", index=True
    )
    company_id = fields.Many2one(
        related="instance_id.company_id", store=True, index=True, precompute=True
    )
    area_id = fields.Many2one(
        "erp.support.area", required=True, ondelete="restrict", index=True
    )
    user_id = fields.Many2one(
        "res.users",
        string="Key User",
        required=True,
        ondelete="cascade",
        index=True,
        domain=lambda self: [
            ("group_ids", "in", self.env.ref("erp_key_user.group_key_user").ids)
        ],
    )
    is_backup = fields.Boolean(
        string="Backup",
        help="Backup key users stand in when the primary one is absent.",
    )

    _instance_area_user_uniq = models.Constraint(
        "UNIQUE(instance_id, area_id, user_id)",
        "This user is already a key user of this area on this instance.",
    )

    @api.depends("user_id", "area_id")
    def _compute_display_name(self):
        for assignment in self:
            # a new line has no user or area yet: "False (False)" otherwise
            names = [assignment.user_id.name, assignment.area_id.name]
            if all(names):
                assignment.display_name = "%s (%s)" % tuple(names)
            else:
                assignment.display_name = next(
                    (name for name in names if name), self.env._("New")
                )

    @api.constrains("user_id", "instance_id")
    def _check_user_is_key_user(self):
        for assignment in self:
            user = assignment.user_id
            if not user.has_group("erp_key_user.group_key_user"):
                raise ValidationError(
                    _(
                        "%(user)s is not a key user. Give them the Key User role "
                        "before assigning them an area.",
                        user=user.name,
                    )
                )
            if assignment.instance_id.company_id not in user.company_ids:
                raise ValidationError(
                    _(
                        "%(user)s cannot be a key user of %(instance)s: they have "
                        "no access to the company %(company)s.",
                        user=user.name,
                        instance=assignment.instance_id.name,
                        company=assignment.instance_id.company_id.name,
                    )
                )

    @api.model_create_multi
    def create(self, vals_list):
        assignments = super().create(vals_list)
        # record rules on guides read the user's areas: recompute them
        self.env.registry.clear_cache()
        return assignments

    def write(self, vals):
        res = super().write(vals)
        self.env.registry.clear_cache()
        return res

    def unlink(self):
        res = super().unlink()
        self.env.registry.clear_cache()
        return res
