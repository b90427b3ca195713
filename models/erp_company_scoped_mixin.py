# Copyright 2026 erp_key_user contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

from odoo import models


class ErpCompanyScopedMixin(models.AbstractModel):
    """Records whose record rules depend on the fields in ``_rule_scope_fields``
    (the company, or the instance or guide that gives it; a guide's area).

    Odoo checks record rules on the values a record has *before* a write, so a
    user could move a record they may write into a company (or an area) they
    cannot write in. Checking the rules again after writing one of these fields
    closes that."""

    _name = "erp.company.scoped.mixin"
    _description = "Record scoped to one company"
    _rule_scope_fields = ("company_id",)

    def write(self, vals):
        res = super().write(vals)
        if not self.env.su and set(vals).intersection(self._rule_scope_fields):
            self.check_access("write")
        return res
