# Copyright 2026 erp_key_user contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Query budgets at small volume: the backend incident list does not issue
more queries with more incidents (80 rows for a key user, whatever N)."""

from odoo.tests import tagged

from .common import ErpKeyUserCase

# the fields the backend list view reads (view_erp_incident_list)
LIST_SPEC = {
    "name": {},
    "title": {},
    "kind": {},
    "instance_id": {"fields": {"display_name": {}}},
    "company_id": {"fields": {"display_name": {}}},
    "area_id": {"fields": {"display_name": {}}},
    "key_user_id": {"fields": {"display_name": {}}},
    "reporter_id": {"fields": {"display_name": {}}},
    "priority": {},
    "sla_deadline": {},
    "sla_status": {},
    "create_date": {},
    "state": {},
}
BACKEND_LIST_BUDGET = 9


@tagged("post_install", "-at_install")
class TestQueryBudgets(ErpKeyUserCase):
    def _add_incidents(self, count):
        self.env["erp.incident"].create(
            [
                {
                    "kind": "incident",
                    "title": f"Volume incident {n}",
                    "instance_id": self.production_a.id,
                    "area_id": (self.area_finance, self.area_warehouse)[n % 2].id,
                }
                for n in range(count)
            ]
        )

    def _list_queries(self):
        Incident = self.env["erp.incident"].with_user(self.key_user_a)
        Incident.web_search_read([], LIST_SPEC, limit=80)  # warm the caches
        self.env.invalidate_all()
        before = self.env.cr.sql_log_count
        result = Incident.web_search_read([], LIST_SPEC, limit=80)
        return self.env.cr.sql_log_count - before, result

    def test_backend_list_queries_do_not_grow_with_incidents(self):
        # both volumes fill the 80-row page (a full page also counts the rows)
        self._add_incidents(100)
        small, result = self._list_queries()
        self.assertEqual(result["length"], 101)
        self._add_incidents(300)
        large, result = self._list_queries()
        self.assertEqual(len(result["records"]), 80)
        self.assertEqual(result["length"], 401)
        self.assertEqual(small, large, "query count grows with the number of rows")
        self.assertLessEqual(large, BACKEND_LIST_BUDGET)
