# Copyright 2026 erp_key_user contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

from odoo import api, fields, models


class ErpSupportArea(models.Model):
    """A functional area of the ERP (finance, warehouse…) that a key user owns."""

    _name = "erp.support.area"
    _inherit = ["erp.text.mixin"]
    _description = "ERP Support Area"
    _text_required_fields = ("name",)
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    code = fields.Char(required=True, help="Short technical code, e.g. FIN.")
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    description = fields.Text(translate=True)
    model_ids = fields.Many2many(
        "ir.model",
        "erp_support_area_ir_model_rel",
        "area_id",
        "model_id",
        string="Covered Models",
        ondelete="cascade",
        help="Forms of these models are routed to this area when somebody "
        "reports an incident or asks a question from them.",
    )
    color = fields.Integer()

    _code_uniq = models.Constraint(
        "UNIQUE(code)",
        "Another support area already uses this code.",
    )

    @api.model
    def _get_area_for_model(self, model_name):
        """Return the first active area covering ``model_name``, or the
        technical area as a fallback (empty recordset when none exists)."""
        model_id = self.env["ir.model"]._get_id(model_name)
        area = self.search([("model_ids", "in", [model_id])], limit=1)
        if not area:
            area = self.env.ref(
                "erp_key_user.erp_support_area_technical", raise_if_not_found=False
            )
        return area or self.browse()
