# Copyright 2026 erp_key_user contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

from odoo import _, api, fields, models
from odoo.exceptions import UserError


class ErpIncidentStagingMixin(models.AbstractModel):
    """Links from an incident to the ERP record it came from: the original on
    its (production) instance, and the same record on the staging instance
    where it is reproduced before escalation and where colleagues practise.

    The model using it has ``instance_id`` (an ``erp.instance``) and the source
    record ``res_model`` / ``res_id``. The links are built by
    ``erp.instance._get_record_link`` from the instances' checked URLs, the
    checked model name and the record id; they are read with the reader's own
    rights (a portal user reads only their customer's instances, and a staging
    instance always belongs to the customer of its production instance)."""

    _name = "erp.incident.staging.mixin"
    _description = "Links to the source record in production and staging"

    production_record_url = fields.Char(
        string="Record in Production",
        compute="_compute_instance_record_urls",
        help="The record the request came from, on its production instance.",
    )
    staging_record_url = fields.Char(
        string="Record in Staging",
        compute="_compute_instance_record_urls",
        help="The same record on the staging instance, where problems are "
        "reproduced and users practise.",
    )

    @api.depends(
        "res_model",
        "res_id",
        "instance_id.url",
        "instance_id.environment",
        "instance_id.staging_instance_id.url",
    )
    def _compute_instance_record_urls(self):
        for incident in self:
            instance = incident.instance_id
            production_url = staging_url = False
            if incident.res_model and instance:
                if instance.environment == "production":
                    production_url = instance._get_record_link(
                        incident.res_model, incident.res_id
                    )
                # sudo: the staging instance is only compared with the
                # request's customer; a link is given only to that customer's
                # own instance (which its readers may read), never to one
                # saved for another customer before the instance check existed
                staging = instance.sudo()._get_practice_instance()
                if staging and staging.partner_id == instance.sudo().partner_id:
                    staging_url = staging._get_record_link(
                        incident.res_model, incident.res_id
                    )
            incident.production_record_url = production_url
            incident.staging_record_url = staging_url

    def _get_open_url_action(self, url):
        """Open ``url`` in a new browser tab."""
        return {"type": "ir.actions.act_url", "url": url, "target": "new"}

    def _check_has_source_record(self):
        if not self.res_model:
            raise UserError(
                _(
                    "%(incident)s does not come from an ERP record: there is "
                    "no record to open.",
                    incident=self.display_name,
                )
            )

    def action_open_in_staging(self):
        """Open the source record on the staging instance, in a new tab."""
        self.ensure_one()
        self._check_has_source_record()
        if not self.staging_record_url:
            raise UserError(
                _(
                    "Instance %(instance)s has no staging instance with a web "
                    "address: a support manager sets it on the instance.",
                    instance=self.instance_id.display_name,
                )
            )
        return self._get_open_url_action(self.staging_record_url)

    def action_open_in_production(self):
        """Open the source record on its production instance, in a new tab."""
        self.ensure_one()
        self._check_has_source_record()
        if not self.production_record_url:
            raise UserError(
                _(
                    "%(incident)s was not reported on a production instance "
                    "with a web address: there is no original to open.",
                    incident=self.display_name,
                )
            )
        return self._get_open_url_action(self.production_record_url)
