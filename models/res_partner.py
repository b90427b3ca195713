# Copyright 2026 erp_key_user contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

from odoo import models


class ResPartner(models.Model):
    _inherit = "res.partner"

    def write(self, vals):
        res = super().write(vals)
        if {"parent_id", "is_company"} & set(vals) and self._has_users_below():
            # the record rules of portal users read their commercial partner,
            # and Odoo caches rules per user: a contact moved to another
            # customer must stop reading the first one's data at once
            self.env.registry.clear_cache()
        return res

    def _has_users_below(self):
        # sudo: only whether a user exists is read, to clear a cache
        return bool(
            self.env["res.users"]
            .sudo()
            .with_context(active_test=False)
            .search_count([("partner_id", "child_of", self.ids)], limit=1)
        )
