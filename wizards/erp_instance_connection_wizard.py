# Copyright 2026 erp_key_user contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

from odoo import _, fields, models
from odoo.exceptions import UserError


class ErpInstanceConnectionWizard(models.TransientModel):
    """The platform instances a connection's API key can see, after a
    successful "Test connection" (``erp.instance.action_test_supplier_connection``):
    the support manager picks the one that is this instance on the platform."""

    _name = "erp.instance.connection.wizard"
    _description = "Choose the Platform Instance"

    instance_id = fields.Many2one("erp.instance", required=True, ondelete="cascade")
    line_ids = fields.One2many(
        "erp.instance.connection.wizard.line", "wizard_id", string="Platform Instances"
    )
    choice_id = fields.Many2one(
        "erp.instance.connection.wizard.line",
        string="This instance on the platform",
        domain="[('wizard_id', '=', id)]",
    )

    def action_choose(self):
        """Keep the chosen platform instance on the in-house instance."""
        self.ensure_one()
        self.instance_id._check_supplier_manager()
        if not self.choice_id or self.choice_id.wizard_id != self:
            raise UserError(_("Choose the platform instance that is this instance."))
        self.instance_id.write(
            {
                "supplier_instance_ref": self.choice_id.remote_id,
                "supplier_instance_name": self.choice_id.name,
            }
        )
        return {"type": "ir.actions.act_window_close"}


class ErpInstanceConnectionWizardLine(models.TransientModel):
    _name = "erp.instance.connection.wizard.line"
    _description = "Platform Instance Seen by the Key"
    _rec_name = "name"
    _order = "id"

    wizard_id = fields.Many2one(
        "erp.instance.connection.wizard", required=True, ondelete="cascade"
    )
    remote_id = fields.Integer(string="Platform ID", required=True)
    name = fields.Char(required=True)
    environment = fields.Char()
