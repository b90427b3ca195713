# Copyright 2026 erp_key_user contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""19.0.1.2.0: every instance, incident, key-user assignment and process guide
gets a customer (``partner_id``). Until now they were all the company's own,
so the customer is the company's partner.

Filled in SQL before the update: on a table of hundreds of thousands of
incidents the ORM would recompute the stored related field row by row. The
columns exist once the update starts, so the ORM keeps these values and only
adds the NOT NULL constraints and the indexes."""

import logging

_logger = logging.getLogger(__name__)


def _add_column(cr, table):
    cr.execute(f"ALTER TABLE {table} ADD COLUMN IF NOT EXISTS partner_id int4")


def migrate(cr, version):
    if not version:
        return
    # instances and guides: the company's partner
    for table in ("erp_instance", "erp_process_guide"):
        _add_column(cr, table)
        cr.execute(
            f"""
            UPDATE {table} AS rec
               SET partner_id = company.partner_id
              FROM res_company AS company
             WHERE company.id = rec.company_id AND rec.partner_id IS NULL
            """
        )
        _logger.info("%s: %s rows get their company's partner", table, cr.rowcount)
    # incidents and assignments: their instance's customer (stored related)
    for table in ("erp_incident", "erp_key_user_assignment"):
        _add_column(cr, table)
        cr.execute(
            f"""
            UPDATE {table} AS rec
               SET partner_id = instance.partner_id
              FROM erp_instance AS instance
             WHERE instance.id = rec.instance_id AND rec.partner_id IS NULL
            """
        )
        _logger.info("%s: %s rows get their instance's customer", table, cr.rowcount)
