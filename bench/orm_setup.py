"""Run inside ``odoo shell`` by bench/run.py: the configuration records of both
addons, made through the ORM as a user would, for a supplier's platform (one
supplier company, its support staff and its customers as contacts; per
customer an ERP instance, a portal key user and its assignments, portal
consultation users; a helpdesk team and the customers' portal contacts). The
bulk records (incidents, tickets) are inserted afterwards in SQL by
bench/datagen.py. Reads its parameters from $BENCH_PARAMS (JSON) and writes
what it made to $BENCH_OUTPUT (JSON)."""

import json
import os

PASSWORD = "bench-password-2026"


def _user(env, login, name, company, groups, partner=None):
    values = {
        "name": name,
        "login": login,
        "password": PASSWORD,
        "email": "%s@bench.example.com" % login,
        "company_id": company.id,
        "company_ids": [(6, 0, company.ids)],
        "group_ids": [(6, 0, [env.ref(xmlid).id for xmlid in groups])],
    }
    if partner:
        values["partner_id"] = partner.id
    return env["res.users"].with_context(no_reset_password=True).create(values)


def _platform_users(env, logins, company, customer, groups):
    """Portal users of ``customer`` (contacts of it), made in two batches."""
    partners = env["res.partner"].create(
        [
            {
                "name": login.replace("_", " ").title(),
                "parent_id": customer.id,
                "email": "%s@bench.example.com" % login,
            }
            for login in logins
        ]
    )
    return _users(
        env,
        [
            {"name": partner.name, "login": login, "partner": partner}
            for login, partner in zip(logins, partners, strict=True)
        ],
        company,
        groups,
    )


def _users(env, rows, company, groups):
    """Users in one batch: ``rows`` of name, login and optionally partner."""
    group_ids = [env.ref(xmlid).id for xmlid in groups]
    values = []
    for row in rows:
        value = {
            "name": row["name"],
            "login": row["login"],
            "password": PASSWORD,
            "email": "%s@bench.example.com" % row["login"],
            "company_id": company.id,
            "company_ids": [(6, 0, company.ids)],
            "group_ids": [(6, 0, group_ids)],
        }
        if row.get("partner"):
            value["partner_id"] = row["partner"].id
        values.append(value)
    return env["res.users"].with_context(no_reset_password=True).create(values)


def _setup_supplier(env):
    """The supplier's company and its support staff, on either side: a support
    agent (ours: every customer's requests) and a helpdesk user in one team
    (the peer: every ticket of the company)."""
    company = env["res.company"].create({"name": "Bench Supplier"})
    agent = _user(
        env,
        "bench_agent",
        "Support Agent",
        company,
        ["erp_key_user.group_support_agent"],
    )
    helpdesk_user = _user(
        env,
        "bench_helpdesk_user",
        "Helpdesk User",
        company,
        ["helpdesk_mgmt.group_helpdesk_user"],
    )
    team = env["helpdesk.ticket.team"].create(
        {
            "name": "Support",
            "company_id": company.id,
            "user_ids": [(6, 0, helpdesk_user.ids)],
        }
    )
    return company, agent, helpdesk_user, team


def _setup_customer(env, supplier, index, tag, areas, portal_users):
    """One customer of the supplier: a company contact with its production
    instance, a portal key user assigned to every area and ``portal_users``
    portal consultation users (ours); a contact with a portal login (the
    peer's: helpdesk_mgmt shows a portal user the tickets of its commercial
    partner). ``tag`` names the customers whose users the benchmark logs in
    as."""
    company, agent, helpdesk_user, team = supplier
    suffix = tag or "%03d" % index
    customer = env["res.partner"].create(
        {"name": "Customer %03d" % index, "is_company": True, "company_id": False}
    )
    contact = env["res.partner"].create(
        {
            "name": "Customer %03d Contact" % index,
            "parent_id": customer.id,
            "email": "contact%03d@customer.example.com" % index,
        }
    )
    instance = env["erp.instance"].create(
        {
            "name": "Customer %03d Production" % index,
            "company_id": company.id,
            "partner_id": customer.id,
            "environment": "production",
            "support_email": "support@partner.example.com",
        }
    )
    key_user = _platform_users(
        env,
        ["bench_key_user_%s" % suffix],
        company,
        customer,
        ["base.group_portal", "erp_key_user.group_portal_key_user"],
    )
    env["erp.key.user.assignment"].create(
        [
            {"instance_id": instance.id, "area_id": area.id, "user_id": key_user.id}
            for area in areas
        ]
    )
    consultation = _platform_users(
        env,
        ["bench_portal_%s_%02d" % (suffix, n) for n in range(portal_users)],
        company,
        customer,
        ["base.group_portal", "erp_key_user.group_consultation_user"],
    )
    result = {
        "index": index,
        "tag": tag,
        "company_id": company.id,
        # the report wizard is opened from the customer's contact form
        "company_partner_id": customer.id,
        "instance_id": instance.id,
        "key_user_id": key_user.id,
        "key_user_partner_id": key_user.partner_id.id,
        "consultation_user_id": consultation[:1].id or None,
        "consultation_partner_id": consultation[:1].partner_id.id or None,
        "helpdesk_user_id": helpdesk_user.id,
        "helpdesk_user_partner_id": helpdesk_user.partner_id.id,
        "team_id": team.id,
        "customer_id": customer.id,
        "contact_id": contact.id,
        "logins": {"agent": agent.login, "helpdesk_user": helpdesk_user.login},
        # the load run logs in as all of them (bench/load.py)
        "portal_logins": consultation.mapped("login"),
        "key_user_login": key_user.login,
    }
    if tag:
        helpdesk_portal = _users(
            env,
            [
                {
                    "name": contact.name,
                    "login": "bench_helpdesk_portal_%s" % tag,
                    "partner": contact,
                }
            ],
            company,
            ["base.group_portal"],
        )
        result["logins"].update(
            portal=consultation[0].login,
            helpdesk_portal=helpdesk_portal.login,
        )
    return result


def main(env):
    params = json.loads(os.environ["BENCH_PARAMS"])
    env = env(context=dict(env.context, tracking_disable=True, mail_create_nolog=True))
    areas = env["erp.support.area"].search([])
    tags = {int(k): v for k, v in params["tags"].items()}
    supplier = _setup_supplier(env)
    customers = params["customers"]
    # the portal users are spread evenly; every customer has at least one
    per_customer = max(1, params["portal_users"] // customers)
    customers = [
        _setup_customer(env, supplier, index, tags.get(index), areas, per_customer)
        for index in range(customers)
    ]
    env.ref("base.user_admin").company_ids = [(4, supplier[0].id)]
    output = {
        "password": PASSWORD,
        "customers": customers,
        "areas": areas.ids,
        "subtypes": {
            xmlid: env.ref(xmlid).id
            for xmlid in (
                "mail.mt_comment",
                "mail.mt_note",
                "helpdesk_mgmt.hlp_tck_created",
            )
        },
        "stages": env["helpdesk.ticket.stage"]
        .search([])
        .read(["name", "closed", "unattended"]),
        "sequences": {
            code: env["ir.sequence"].search([("code", "=", code)], limit=1).id
            for code in ("erp.incident", "helpdesk.ticket.sequence")
        },
        "admin_partner_id": env.ref("base.partner_admin").id,
    }
    env.cr.commit()
    with open(os.environ["BENCH_OUTPUT"], "w") as handle:
        json.dump(output, handle, indent=1)


main(env)  # noqa: F821 (``env`` is given by odoo shell)
