# Copyright 2026 erp_key_user contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

from odoo import api, fields, models
from odoo.exceptions import ValidationError


class ErpProcessGuideVersionCompare(models.TransientModel):
    """Version History: read any published version of a guide and compare it
    with any other. Reads the version records with the user's own rights, so a
    reader sees the versions of the guides they may read, and nothing else."""

    _name = "erp.process.guide.version.compare"
    _description = "Compare Two Versions of a Process Guide"

    guide_id = fields.Many2one("erp.process.guide", required=True, readonly=True)
    version_id = fields.Many2one(
        "erp.process.guide.version",
        required=True,
        domain="[('guide_id', '=', guide_id)]",
    )
    compare_version_id = fields.Many2one(
        "erp.process.guide.version",
        string="Compare with",
        domain="[('guide_id', '=', guide_id), ('id', '!=', version_id)]",
        help="The changes from this version to the one above.",
    )
    body = fields.Html(related="version_id.body", compute_sudo=False)
    comparison_html = fields.Html(
        string="Changes",
        compute="_compute_comparison_html",
        sanitize=False,  # sanitized by _get_comparison_html, <ins>/<del> kept
    )

    @api.constrains("guide_id", "version_id", "compare_version_id")
    def _check_versions_of_the_guide(self):
        for wizard in self:
            versions = wizard.version_id | wizard.compare_version_id
            # as the user (constraints run in sudo): only versions they may read
            versions.sudo(False).check_access("read")
            if versions.guide_id != wizard.guide_id:
                raise ValidationError(
                    self.env._("Compare two versions of the same guide.")
                )

    @api.depends("version_id", "compare_version_id")
    def _compute_comparison_html(self):
        for wizard in self:
            if wizard.version_id and wizard.compare_version_id:
                wizard.comparison_html = wizard.version_id._get_comparison_html(
                    wizard.compare_version_id
                )
            else:
                wizard.comparison_html = False
