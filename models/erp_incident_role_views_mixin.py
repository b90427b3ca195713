# Copyright 2026 erp_key_user contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

from lxml import etree

from odoo import api, models

CREATE_VIEW_TYPES = ("list", "kanban", "form")


class ErpIncidentRoleViewsMixin(models.AbstractModel):
    """The incident views offer each role what it can do.

    Consultation users may create questions (the record rules limit them to
    their own questions) but not write incidents, so Odoo's "New" would open
    a form they cannot save. They ask through the report wizard instead (the
    views' "Ask Key User" button); key users and managers keep "New"."""

    _name = "erp.incident.role.views.mixin"
    _description = "Incident views per role"

    @api.model
    def get_view(self, view_id=None, view_type="form", **options):
        result = super().get_view(view_id, view_type, **options)
        # after the cached, user-independent part: this depends on the user
        if view_type in CREATE_VIEW_TYPES and not self.env.user.has_group(
            "erp_key_user.group_key_user"
        ):
            arch = etree.fromstring(result["arch"])
            arch.set("create", "0")
            result["arch"] = etree.tostring(arch, encoding="unicode")
        return result
