#!/usr/bin/env python3
# Copyright 2026 erp_key_user contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The upgrade to 19.0.1.2.0: every instance, incident, key-user assignment
and process guide gets a customer (``partner_id``), the company's partner.
Two steps, run by tools/test.sh through ``upgrade_check`` (tools/common.sh):

    python3 tools/check_upgrade_customers.py prepare STATE -d DB --addons-path=OLD
        with the code before 19.0.1.2.0: two companies, each with an instance,
        a key user, an incident, a guide, and many incidents inserted in SQL
    python3 tools/check_upgrade_customers.py check STATE -d DB --addons-path=NEW
        after ``-u erp_key_user``: every row has its company's partner, the
        columns are NOT NULL and indexed, nothing else changed, and the
        update's log (UPGRADE_LOG) shows the ORM computed none of them

Exits 1 and says what is wrong when the check fails."""

import json
import os
import sys

import odoo
from odoo import SUPERUSER_ID, api
from odoo.modules.registry import Registry

TABLES = (
    "erp_instance",
    "erp_incident",
    "erp_key_user_assignment",
    "erp_process_guide",
)
# enough rows that a row-by-row recompute would show in the upgrade's time
SQL_INCIDENTS = 20000


def prepare(env, state_path):
    area = env.ref("erp_key_user.erp_support_area_finance")
    companies = env.ref("base.main_company") | env["res.company"].create(
        {"name": "Upgrade check company"}
    )
    for company in companies:
        instance = env["erp.instance"].create(
            {"name": f"Upgrade check {company.name}", "company_id": company.id}
        )
        key_user = env["res.users"].create(
            {
                "name": f"Upgrade key user {company.id}",
                "login": f"upgrade_key_user_{company.id}",
                "company_id": company.id,
                "company_ids": [(6, 0, company.ids)],
                "group_ids": [(4, env.ref("erp_key_user.group_key_user").id)],
            }
        )
        env["erp.key.user.assignment"].create(
            {"instance_id": instance.id, "area_id": area.id, "user_id": key_user.id}
        )
        env["erp.incident"].create(
            {
                "title": f"Upgrade check incident of {company.name}",
                "instance_id": instance.id,
                "area_id": area.id,
            }
        )
        env["erp.process.guide"].create(
            {
                "name": f"Upgrade check guide {company.name}",
                "company_id": company.id,
                "area_id": area.id,
            }
        )
        env.flush_all()
        env.cr.execute(
            """
            INSERT INTO erp_incident (name, title, kind, state, instance_id,
                                      company_id, area_id)
            SELECT 'UPG/' || %s || '/' || n, 'Upgrade volume ' || n, 'question',
                   'closed', %s, %s, %s
              FROM generate_series(1, %s) AS n
            """,
            (company.id, instance.id, company.id, area.id, SQL_INCIDENTS // 2),
        )
    env.cr.execute(
        "SELECT 'erp_incident', count(*) FROM erp_incident "
        "UNION ALL SELECT 'erp_instance', count(*) FROM erp_instance"
    )
    state = {"counts": dict(env.cr.fetchall())}
    with open(state_path, "w", encoding="utf-8") as file:
        json.dump(state, file)
    print(f"prepared: {state['counts']}")
    return 0


def check(env, state_path):
    with open(state_path, encoding="utf-8") as file:
        state = json.load(file)
    problems = []
    cr = env.cr
    for table in TABLES:
        # the company's partner: for incidents and assignments, through the
        # instance (same company)
        cr.execute(
            f"""
            SELECT count(*) FROM {table} rec
              JOIN res_company company ON company.id = rec.company_id
             WHERE rec.partner_id IS DISTINCT FROM company.partner_id
            """
        )
        wrong = cr.fetchone()[0]
        if wrong:
            problems.append(f"{table}: {wrong} rows without their company's partner")
        cr.execute(
            "SELECT 1 FROM pg_indexes WHERE tablename = %s AND indexdef LIKE %s",
            (table, "%(partner_id)%"),
        )
        if not cr.fetchone():
            problems.append(f"{table}: partner_id is not indexed")
    for table in ("erp_instance", "erp_process_guide"):
        cr.execute(
            "SELECT is_nullable FROM information_schema.columns "
            "WHERE table_name = %s AND column_name = 'partner_id'",
            (table,),
        )
        if cr.fetchone() != ("NO",):
            problems.append(f"{table}: partner_id is not NOT NULL")
    cr.execute(
        "SELECT 'erp_incident', count(*) FROM erp_incident "
        "UNION ALL SELECT 'erp_instance', count(*) FROM erp_instance"
    )
    counts = dict(cr.fetchall())
    if counts != state["counts"]:
        problems.append(f"rows changed: {counts}, expected {state['counts']}")
    # the pre-migrate script filled the columns: the ORM computed nothing
    if os.environ.get("UPGRADE_LOG"):
        with open(os.environ["UPGRADE_LOG"], encoding="utf-8") as file:
            recomputed = [
                line.strip()
                for line in file
                if "Prepare computation of" in line and ".partner_id" in line
            ]
        problems.extend(f"computed by the ORM: {line}" for line in recomputed)
    if problems:
        print("FAILED: the upgrade to 19.0.1.2.0 (customers):")
        print("\n".join(f"  - {problem}" for problem in problems))
        return 1
    print(
        f"upgrade: customers set on {counts['erp_incident']} incidents and "
        f"{counts['erp_instance']} instances"
    )
    return 0


def main():
    step, state_path, *odoo_args = sys.argv[1:]
    odoo.tools.config.parse_config(odoo_args)
    db_name = odoo.tools.config["db_name"]
    if isinstance(db_name, list):
        db_name = db_name[0]
    with Registry(db_name).cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        return {"prepare": prepare, "check": check}[step](env, state_path)


if __name__ == "__main__":
    sys.exit(main())
