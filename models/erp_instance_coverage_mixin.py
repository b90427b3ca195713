# Copyright 2026 erp_key_user contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

from odoo import api, fields, models

COVERAGE_GROUPS = "erp_key_user.group_key_user,erp_key_user.group_support_agent"


class ErpInstanceCoverageMixin(models.AbstractModel):
    """Who answers for each area of the instance (``erp.key.user.coverage``):
    the areas with a key user but no backup, and how many consultation users
    its key users serve."""

    _name = "erp.instance.coverage.mixin"
    _description = "Key user coverage of an ERP instance"

    coverage_ids = fields.One2many(
        "erp.key.user.coverage",
        "instance_id",
        readonly=True,
        groups=COVERAGE_GROUPS,
    )
    no_backup_area_ids = fields.Many2many(
        "erp.support.area",
        compute="_compute_no_backup_area_ids",
        string="Areas Without Backup",
        groups=COVERAGE_GROUPS,
        help="Areas with a key user but nobody to stand in when that person is away.",
    )

    @api.depends("assignment_ids.area_id", "assignment_ids.is_backup")
    def _compute_no_backup_area_ids(self):
        rows = self.env["erp.key.user.coverage"].search_fetch(
            [("instance_id", "in", self.ids), ("coverage", "=", "no_backup")],
            ["instance_id", "area_id"],
        )
        areas = {}
        for row in rows:
            areas.setdefault(row.instance_id.id, []).append(row.area_id.id)
        for instance in self:
            instance.no_backup_area_ids = [
                fields.Command.set(areas.get(instance._origin.id, []))
            ]
