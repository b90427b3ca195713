# Copyright 2026 erp_key_user contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

from odoo import models
from odoo.exceptions import UserError


class ErpCompanyScopedMixin(models.AbstractModel):
    """Records whose record rules depend on the fields in ``_rule_scope_fields``
    (the company, or the instance or guide that gives it; a guide's area).

    Odoo checks record rules on the values a record has *before* a write, so a
    user could move a record they may write into a company (or an area) they
    cannot write in. Checking the rules again after writing one of these fields
    closes that.

    The company-consistency check refuses a link to another company's record
    without naming that record: Odoo's own message lists the names, so trying
    ids one by one would list another company's drafts and instances."""

    _name = "erp.company.scoped.mixin"
    _description = "Record scoped to one company"
    _rule_scope_fields = ("company_id",)

    def write(self, vals):
        res = super().write(vals)
        if not self.env.su and set(vals).intersection(self._rule_scope_fields):
            self.check_access("write")
        return res

    def _check_company(self, fnames=None):
        try:
            return super()._check_company(fnames)
        except UserError:
            labels = self._get_company_mismatch_fields(fnames)
            if not labels:
                raise
            raise UserError(
                self.env._(
                    "%(fields)s: the record chosen belongs to another company. "
                    "Choose one of the company of the record you are editing.",
                    fields=", ".join(labels),
                )
            ) from None

    def _get_company_mismatch_fields(self, fnames):
        """Labels of the fields among ``fnames`` whose value belongs to another
        company, found by Odoo's own check field by field."""
        if fnames is None or {"company_id", "company_ids"} & set(fnames):
            fnames = list(self._fields)
        labels = []
        for fname in fnames:
            field = self._fields[fname]
            if not (field.relational and field.check_company):
                continue
            try:
                super()._check_company([fname])
            except UserError:
                labels.append(field._description_string(self.env))
        return labels
