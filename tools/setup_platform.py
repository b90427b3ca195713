#!/usr/bin/env python3
# Copyright 2026 erp_key_user contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The hosted setup of a supplier's platform for the connector tests
(tests/test_connector.py), in a database where erp_key_user is installed:

    python3 tools/setup_platform.py STATE.json -d DB --addons-path=...

* the platform allows its customers' portal users to hold API keys (the
  portal's own setting "Customers can generate API Keys",
  ``portal.allow_api_keys``);
* a supplier company with a support agent, and two customers (commercial
  partners of that company), each with a production and a staging instance
  and a portal key user assigned to Finance and Sales on production;
* API keys: each portal key user's, the agent's, and a key of the first
  customer's key user that is then revoked.

Writes the ids and the keys the tests need to STATE.json (build/, never
committed). The keys are generated the way Odoo does it when a user creates
one in their preferences (``res.users.apikeys._generate`` as that user)."""

import json
import sys

import odoo
from odoo import SUPERUSER_ID, Command, api
from odoo.modules.registry import Registry

AREAS = ("finance", "sales")


def _user(env, login, name, groups, company, partner=None):
    values = {
        "name": name,
        "login": login,
        "password": login,
        "company_id": company.id,
        "company_ids": [Command.set(company.ids)],
        "group_ids": [Command.set([env.ref(group).id for group in groups])],
    }
    if partner:
        values["parent_id"] = partner.id
    return env["res.users"].with_context(no_reset_password=True).create(values)


def _api_key(env, user, name):
    # sudo as the user: the key is the user's own, without expiry (a system
    # administrator may create persistent keys)
    return env["res.users.apikeys"].with_user(user).sudo()._generate(None, name, None)


def _customer(env, company, name, login):
    customer = env["res.partner"].create({"name": name, "is_company": True})
    Instance = env["erp.instance"]
    staging = Instance.create(
        {
            "name": f"{name} staging",
            "company_id": company.id,
            "partner_id": customer.id,
            "environment": "staging",
        }
    )
    production = Instance.create(
        {
            "name": f"{name} production",
            "company_id": company.id,
            "partner_id": customer.id,
            "staging_instance_id": staging.id,
        }
    )
    key_user = _user(
        env,
        login,
        f"{name} key user",
        ["base.group_portal", "erp_key_user.group_portal_key_user"],
        company,
        partner=customer,
    )
    env["erp.key.user.assignment"].create(
        [
            {
                "instance_id": production.id,
                "area_id": env.ref(f"erp_key_user.erp_support_area_{area}").id,
                "user_id": key_user.id,
            }
            for area in AREAS
        ]
    )
    return customer, production, staging, key_user


def setup(env, state_path):
    rpc = env["ir.module.module"].search(
        [("name", "=", "rpc"), ("state", "=", "installed")]
    )
    if not rpc:
        print("FAILED: the platform needs the rpc module (JSON-2 API) installed")
        return 1
    # the platform's setting: customers' portal users may hold API keys
    env["res.config.settings"].create({"portal_allow_api_keys": True}).execute()
    company = env["res.company"].create({"name": "Connector Platform Supplier"})
    agent = _user(
        env,
        "conn_agent",
        "Alice Agent",
        ["erp_key_user.group_support_agent"],
        company,
    )
    customer, production, staging, key_user = _customer(
        env, company, "Connector Customer", "conn_keyuser"
    )
    other, other_production, _other_staging, other_key_user = _customer(
        env, company, "Other Customer", "conn_other_keyuser"
    )
    revoked_key = _api_key(env, key_user, "revoked connector key")
    env["res.users.apikeys"].search([("user_id", "=", key_user.id)]).sudo()._remove()
    state = {
        "db": env.cr.dbname,
        "customer_id": customer.id,
        "instance_id": production.id,
        "instance_name": production.name,
        "staging_id": staging.id,
        "other_instance_id": other_production.id,
        "key_user_login": key_user.login,
        "key": _api_key(env, key_user, "connector"),
        "other_key": _api_key(env, other_key_user, "connector"),
        "revoked_key": revoked_key,
        "agent_key": _api_key(env, agent, "connector tests agent"),
        "agent_name": agent.name,
    }
    with open(state_path, "w", encoding="utf-8") as file:
        json.dump(state, file, indent=2)
    print(
        f"platform: supplier company {company.name}, customers {customer.name} "
        f"(instance {production.id}) and {other.name} "
        f"(instance {other_production.id})"
    )
    return 0


def main():
    state_path, *odoo_args = sys.argv[1:]
    odoo.tools.config.parse_config(odoo_args)
    db_name = odoo.tools.config["db_name"]
    if isinstance(db_name, list):
        db_name = db_name[0]
    with Registry(db_name).cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        return setup(env, state_path)


if __name__ == "__main__":
    sys.exit(main())
