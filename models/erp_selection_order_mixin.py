# Copyright 2026 erp_key_user contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

from odoo import models
from odoo.tools import SQL


class ErpSelectionOrderMixin(models.AbstractModel):
    """Groups of the selections listed in ``_selection_group_order`` come in
    the order the selection declares (the lifecycle: new, in progress,
    escalated… closed), not in the alphabetical order of their keys, in every
    grouped view: pivot and graph columns, list groups, kanban columns."""

    _name = "erp.selection.order.mixin"
    _description = "Selection groups in their declared order"

    _selection_group_order = ("state",)

    def _read_group_orderby(self, order, groupby_terms, query):
        ordered = [f for f in self._selection_group_order if f in groupby_terms]
        if not ordered:
            return super()._read_group_orderby(order, groupby_terms, query)
        # Order by the position of the key in the selection. Only the ORDER BY
        # sees the position: the caller groups and selects the key itself.
        terms = dict(groupby_terms)
        for fname in ordered:
            keys = self._fields[fname].get_values(self.env)
            terms[fname] = SQL(
                "array_position(%s::varchar[], %s::varchar)", keys, terms[fname]
            )
        orderby = super()._read_group_orderby(order, terms, query)
        # super() may complete the terms of many2one groups: keep that
        groupby_terms.update({k: v for k, v in terms.items() if k not in ordered})
        return orderby
