# Copyright 2026 erp_key_user contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    erp_incident_autoclose_days = fields.Integer(
        string="Auto-close resolved incidents after (days)",
        config_parameter="erp_key_user.autoclose_days",
        default=7,
        help="Resolved incidents are closed after this many days unless "
        "somebody reports that the problem persists. 0 disables it.",
    )
