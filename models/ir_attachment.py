# Copyright 2026 erp_key_user contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

from odoo import _, api, models
from odoo.exceptions import ValidationError

SCOPED_MODELS = ("erp.incident", "erp.process.guide")
DEFAULT_MAX_MB = 25


class IrAttachment(models.Model):
    _inherit = "ir.attachment"

    @api.constrains("file_size", "res_model")
    def _check_erp_key_user_size(self):
        """Screenshots and logs, not backups: keep incident and guide
        attachments under the configured size (``erp_key_user.attachment_max_mb``)."""
        attachments = self.filtered(lambda a: a.res_model in SCOPED_MODELS)
        if not attachments:
            return
        max_mb = float(
            self.env["ir.config_parameter"]
            .sudo()
            .get_param("erp_key_user.attachment_max_mb", DEFAULT_MAX_MB)
        )
        for attachment in attachments:
            if attachment.file_size > max_mb * 1024 * 1024:
                raise ValidationError(
                    _(
                        "%(name)s is %(size).1f MB; attachments of incidents and "
                        "guides are limited to %(max)s MB. Send a smaller "
                        "screenshot or an excerpt of the log.",
                        name=attachment.name,
                        size=attachment.file_size / 1024 / 1024,
                        max=max_mb,
                    )
                )
