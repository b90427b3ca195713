"""Run inside ``odoo shell`` by bench/run.py: the configuration records of both
addons, made through the ORM as a user would (companies, users and their
groups, ERP instances and key-user assignments; helpdesk teams and customer
contacts). The bulk records (incidents, tickets) are inserted afterwards in SQL
by bench/datagen.py. Reads its parameters from $BENCH_PARAMS (JSON) and writes
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


def _setup_company(env, index, tag, areas):
    """One company: ours (instance, key user, assignments) and the peer's
    (helpdesk team and user, customer with a contact). ``tag`` names the
    companies whose users the benchmark logs in as."""
    company = env["res.company"].create({"name": "Bench Company %02d" % index})
    suffix = tag or "%02d" % index
    key_user = _user(
        env,
        "bench_key_user_%s" % suffix,
        "Key User %s" % suffix,
        company,
        ["erp_key_user.group_key_user"],
    )
    instance = env["erp.instance"].create(
        {
            "name": "Production %02d" % index,
            "company_id": company.id,
            "environment": "production",
            "support_email": "support@partner.example.com",
        }
    )
    env["erp.key.user.assignment"].create(
        [
            {"instance_id": instance.id, "area_id": area.id, "user_id": key_user.id}
            for area in areas
        ]
    )
    helpdesk_user = _user(
        env,
        "bench_helpdesk_user_%s" % suffix,
        "Helpdesk User %s" % suffix,
        company,
        ["helpdesk_mgmt.group_helpdesk_user"],
    )
    team = env["helpdesk.ticket.team"].create(
        {
            "name": "Support %02d" % index,
            "company_id": company.id,
            "user_ids": [(6, 0, helpdesk_user.ids)],
        }
    )
    customer = env["res.partner"].create(
        {"name": "Customer %02d" % index, "is_company": True, "company_id": False}
    )
    contact = env["res.partner"].create(
        {
            "name": "Customer %02d Contact" % index,
            "parent_id": customer.id,
            "email": "contact%02d@customer.example.com" % index,
        }
    )
    result = {
        "index": index,
        "tag": tag,
        "company_id": company.id,
        "company_partner_id": company.partner_id.id,
        "instance_id": instance.id,
        "key_user_id": key_user.id,
        "key_user_partner_id": key_user.partner_id.id,
        "helpdesk_user_id": helpdesk_user.id,
        "helpdesk_user_partner_id": helpdesk_user.partner_id.id,
        "team_id": team.id,
        "customer_id": customer.id,
        "contact_id": contact.id,
        "logins": {
            "key_user": key_user.login,
            "helpdesk_user": helpdesk_user.login,
        },
    }
    if tag:
        consultation = _user(
            env,
            "bench_consultation_%s" % tag,
            "Consultation User %s" % tag,
            company,
            ["base.group_user", "erp_key_user.group_consultation_user"],
        )
        portal = _user(
            env,
            "bench_portal_%s" % tag,
            "Portal Consultation User %s" % tag,
            company,
            ["base.group_portal", "erp_key_user.group_consultation_user"],
        )
        # a contact of its company: portal users read their own customer's data
        portal.partner_id.parent_id = company.partner_id
        # the peer's portal user is the customer's contact: helpdesk_mgmt shows
        # a portal user the tickets of its commercial partner
        helpdesk_portal = _user(
            env,
            "bench_helpdesk_portal_%s" % tag,
            "Customer %02d Contact" % index,
            company,
            ["base.group_portal"],
            partner=contact,
        )
        result["consultation_user_id"] = consultation.id
        result["consultation_partner_id"] = consultation.partner_id.id
        result["logins"].update(
            consultation=consultation.login,
            portal=portal.login,
            helpdesk_portal=helpdesk_portal.login,
        )
    return result


def main(env):
    params = json.loads(os.environ["BENCH_PARAMS"])
    env = env(context=dict(env.context, tracking_disable=True, mail_create_nolog=True))
    areas = env["erp.support.area"].search([])
    tags = {int(k): v for k, v in params["tags"].items()}
    companies = [
        _setup_company(env, index, tags.get(index), areas)
        for index in range(params["companies"])
    ]
    # the administrator sees every company, as in a real multi-company database
    env.ref("base.user_admin").company_ids = [
        (4, company["company_id"]) for company in companies
    ]
    output = {
        "password": PASSWORD,
        "companies": companies,
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
