#!/usr/bin/env python3
# Copyright 2026 erp_key_user contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Uninstall erp_key_user from a database, check that it left nothing behind
(groups, rules, crons, menus, mail templates, tables), then install it again.

    python3 tools/check_uninstall.py -d DB --addons-path=... [--db_host=...]

Exits 1 and lists the leftovers when something stayed."""

import sys

import odoo
from odoo import SUPERUSER_ID, api
from odoo.modules.registry import Registry

MODULE = "erp_key_user"

LEFTOVER_QUERIES = {
    "xml ids": "SELECT count(*) FROM ir_model_data WHERE module = %(module)s",
    "groups": """SELECT count(*) FROM res_groups WHERE name->>'en_US'
                  IN ('Consultation User', 'Key User', 'Support Manager')""",
    "privileges": """SELECT count(*) FROM res_groups_privilege
                      WHERE name->>'en_US' = 'ERP Key Users'""",
    "record rules": """SELECT count(*) FROM ir_rule r
                        JOIN ir_model m ON m.id = r.model_id
                       WHERE m.model LIKE 'erp.%%'""",
    "crons": """SELECT count(*) FROM ir_cron c
                 JOIN ir_act_server s ON s.id = c.ir_actions_server_id
                WHERE s.name->>'en_US' LIKE 'Key User Support:%%'""",
    "menus": """SELECT count(*) FROM ir_ui_menu
                 WHERE name->>'en_US' = 'Key User Support'""",
    "mail templates": "SELECT count(*) FROM mail_template WHERE model LIKE 'erp.%%'",
    "models": "SELECT count(*) FROM ir_model WHERE model LIKE 'erp.%%'",
    "tables": """SELECT count(*) FROM information_schema.tables
                  WHERE table_name LIKE 'erp\\_%%'""",
}


def module_action(db_name, action):
    with Registry(db_name).cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        module = env["ir.module.module"].search([("name", "=", MODULE)])
        getattr(module, action)()
        return module.state


def leftovers(db_name):
    found = {}
    with Registry(db_name).cursor() as cr:
        for what, query in LEFTOVER_QUERIES.items():
            cr.execute(query, {"module": MODULE})
            count = cr.fetchone()[0]
            if count:
                found[what] = count
    return found


def main():
    odoo.tools.config.parse_config(sys.argv[1:])
    db_name = odoo.tools.config["db_name"]
    if isinstance(db_name, list):
        db_name = db_name[0]
    state = module_action(db_name, "button_immediate_uninstall")
    found = leftovers(db_name)
    if state != "uninstalled" or found:
        print(f"FAILED: uninstall left {found} (module state {state})")
        return 1
    print("uninstall: no groups, rules, crons, menus, templates or tables left")
    state = module_action(db_name, "button_immediate_install")
    if state != "installed" or not leftovers(db_name).get("groups"):
        print(f"FAILED: reinstall (module state {state})")
        return 1
    print("reinstall: ok")
    return 0


if __name__ == "__main__":
    sys.exit(main())
