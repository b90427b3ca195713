# Copyright 2026 erp_key_user contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

from odoo import api, fields, models


class ErpProcessGuideStep(models.Model):
    """One step of the working copy of a process guide: what to do and what
    you should see. Readers never read steps: they read the published text of
    the guide's last version (``erp.process.guide.version``)."""

    _name = "erp.process.guide.step"
    _inherit = [
        "erp.company.scoped.mixin",
        "erp.text.mixin",
    ]
    _rule_scope_fields = ("guide_id",)
    _text_required_fields = ("name",)
    _description = "Process Guide Step"
    _order = "guide_id, sequence, id"
    _text_size_limits = {
        "name": 256,
        "instructions": 100_000,
        "expected_result": 2_000,
    }

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
    model_id = fields.Many2one(
        "ir.model",
        string="Form",
        ondelete="set null",
        domain="[('transient', '=', False)]",
        help='The form this step is done in: the guide\'s "Try it in staging" '
        "opens the form of its first step.",
    )

    @api.model_create_multi
    def create(self, vals_list):
        steps = super().create(vals_list)
        steps.guide_id._mark_unpublished_changes()
        return steps

    def write(self, vals):
        guides = self.guide_id
        res = super().write(vals)
        (guides | self.guide_id)._mark_unpublished_changes()
        return res

    def unlink(self):
        guides = self.guide_id
        res = super().unlink()
        guides.exists()._mark_unpublished_changes()
        return res
