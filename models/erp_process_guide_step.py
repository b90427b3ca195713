# Copyright 2026 erp_key_user contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

from odoo import fields, models


class ErpProcessGuideStep(models.Model):
    """One step of a process guide: what to do and what you should see."""

    _name = "erp.process.guide.step"
    _inherit = ["erp.company.scoped.mixin"]
    _rule_scope_fields = ("guide_id",)
    _description = "Process Guide Step"
    _order = "guide_id, sequence, id"

    guide_id = fields.Many2one(
        "erp.process.guide", required=True, ondelete="cascade", index=True
    )
    company_id = fields.Many2one(
        related="guide_id.company_id", store=True, index=True, precompute=True
    )
    sequence = fields.Integer(default=10)
    name = fields.Char(string="Step", required=True)
    instructions = fields.Html(sanitize=True)
    expected_result = fields.Text()
