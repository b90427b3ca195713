# Copyright 2026 erp_key_user contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

from odoo import fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    erp_instance_ids = fields.One2many(
        "erp.instance", "company_id", string="ERP Instances"
    )
