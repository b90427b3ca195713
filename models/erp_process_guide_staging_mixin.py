# Copyright 2026 erp_key_user contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

from odoo import _, api, fields, models
from odoo.exceptions import UserError


class ErpProcessGuideStagingMixin(models.AbstractModel):
    """ "Try it in staging": a published guide opens the staging instance of
    its customer at the guide's first form, where readers practise without
    touching production.

    The first form is the one of the first step that names one
    (``erp.process.guide.step.model_id``), else the first of the forms the
    guide covers (``model_ids``). The staging instance is looked up with the
    reader's own rights: a portal user finds only their customer's."""

    _name = "erp.process.guide.staging.mixin"
    _description = "Practise a process guide in staging"

    practice_url = fields.Char(
        string="Practice in Staging",
        compute="_compute_practice_url",
        help="The guide's first form on the customer's staging instance.",
    )

    def _get_first_form(self):
        """Technical name of the guide's first form, or False."""
        self.ensure_one()
        # sudo: steps are the key users' working copy and ir.model is for
        # administrators; only the technical name of the form is read, which
        # readers see anyway as the forms the guide covers
        guide = self.sudo()
        step = guide.step_ids.filtered("model_id")[:1]
        model = step.model_id or guide.model_ids[:1]
        return model.model or False

    def _get_practice_instance(self):
        """The staging (or test) instance of the guide's customer in its
        company, staging first; an empty recordset when there is none (or the
        reader may not read it)."""
        self.ensure_one()
        return self.env["erp.instance"].search(
            [
                ("company_id", "=", self.company_id.id),
                ("partner_id", "=", self.partner_id.id),
                ("environment", "in", ("staging", "test")),
                ("url", "!=", False),
            ],
            order="environment, id",
            limit=1,
        )

    @api.depends("company_id", "partner_id", "model_ids", "step_ids.model_id")
    def _compute_practice_url(self):
        for guide in self:
            model_name = guide._get_first_form() if guide.id else False
            instance = guide._get_practice_instance() if model_name else False
            guide.practice_url = (
                instance._get_record_link(model_name) if instance else False
            )

    def action_try_in_staging(self):
        """Open the guide's first form on the staging instance, in a new tab."""
        self.ensure_one()
        if not self.practice_url:
            raise UserError(
                _(
                    "%(guide)s cannot be tried in staging: it names no form, or "
                    "its customer has no staging instance with a web address.",
                    guide=self.display_name,
                )
            )
        return {"type": "ir.actions.act_url", "url": self.practice_url, "target": "new"}
