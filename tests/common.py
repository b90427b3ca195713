# Copyright 2026 erp_key_user contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Two companies, each with a production and a staging instance, and one user
per role in each; the tests act as these users."""

from odoo import Command
from odoo.tests import TransactionCase, new_test_user


def new_key_user_with_instance(env, login, instance_name):
    """A key user of the current company and a production instance there, for
    the HttpCase tests that log in as a key user."""
    key_user = new_test_user(env, login=login, groups="erp_key_user.group_key_user")
    instance = env["erp.instance"].create(
        {"name": instance_name, "company_id": key_user.company_id.id}
    )
    return key_user, instance


class ErpKeyUserCase(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True))
        cls.area_finance = cls.env.ref("erp_key_user.erp_support_area_finance")
        cls.area_sales = cls.env.ref("erp_key_user.erp_support_area_sales")
        cls.area_warehouse = cls.env.ref("erp_key_user.erp_support_area_warehouse")
        cls.area_technical = cls.env.ref("erp_key_user.erp_support_area_technical")
        cls.company_a = cls.env["res.company"].create({"name": "Company A"})
        cls.company_b = cls.env["res.company"].create({"name": "Company B"})
        cls.supplier = cls.env["res.partner"].create(
            {"name": "Supplier Desk", "email": "desk@supplier.example.com"}
        )
        for suffix, company in (("a", cls.company_a), ("b", cls.company_b)):
            cls._setup_company(suffix, company)

    @classmethod
    def _setup_company(cls, suffix, company):
        def user(login, groups, **kw):
            if "base.group_portal" in groups:
                # the in-house portal users are contacts of their company
                kw.setdefault("parent_id", company.partner_id.id)
            return new_test_user(
                cls.env,
                login=f"{login}_{suffix}",
                groups=groups,
                company_id=company.id,
                company_ids=[Command.set(company.ids)],
                **kw,
            )

        staging = cls.env["erp.instance"].create(
            {
                "name": f"Staging {suffix.upper()}",
                "company_id": company.id,
                "environment": "staging",
                "supplier_partner_id": cls.supplier.id,
                "support_email": "desk@supplier.example.com",
            }
        )
        production = cls.env["erp.instance"].create(
            {
                "name": f"Production {suffix.upper()}",
                "company_id": company.id,
                "environment": "production",
                "supplier_partner_id": cls.supplier.id,
                "support_email": "desk@supplier.example.com",
                "staging_instance_id": staging.id,
            }
        )
        users = {
            "manager": user("manager", "erp_key_user.group_support_manager"),
            "key_user": user("key_user", "erp_key_user.group_key_user"),
            "key_user_wh": user("key_user_wh", "erp_key_user.group_key_user"),
            "consultation": user(
                "consultation", "base.group_user,erp_key_user.group_consultation_user"
            ),
            "portal": user(
                "portal", "base.group_portal,erp_key_user.group_consultation_user"
            ),
            "portal_key_user": user(
                "portal_key_user",
                "base.group_portal,erp_key_user.group_portal_key_user",
            ),
            "agent": user("agent", "erp_key_user.group_support_agent"),
            "employee": user("employee", "base.group_user"),
            "portal_no_role": user("portal_no_role", "base.group_portal"),
        }
        cls.env["erp.key.user.assignment"].create(
            [
                {
                    "instance_id": production.id,
                    "area_id": cls.area_finance.id,
                    "user_id": users["key_user"].id,
                },
                {
                    "instance_id": production.id,
                    "area_id": cls.area_warehouse.id,
                    "user_id": users["key_user_wh"].id,
                },
                {
                    "instance_id": production.id,
                    "area_id": cls.area_technical.id,
                    "user_id": users["manager"].id,
                },
            ]
        )
        incident = cls.env["erp.incident"].create(
            {
                "kind": "incident",
                "title": f"Invoice validation fails in company {suffix.upper()}",
                "instance_id": production.id,
                "area_id": cls.area_finance.id,
            }
        )
        guides = cls.env["erp.process.guide"].create(
            [
                {
                    "name": f"Published finance guide {suffix.upper()}",
                    "company_id": company.id,
                    "area_id": cls.area_finance.id,
                    "step_ids": [Command.create({"name": "Open the invoice"})],
                },
                {
                    "name": f"Draft warehouse guide {suffix.upper()}",
                    "company_id": company.id,
                    "area_id": cls.area_warehouse.id,
                    "step_ids": [Command.create({"name": "Count the stock"})],
                },
                {
                    "name": f"Internal-only finance guide {suffix.upper()}",
                    "company_id": company.id,
                    "area_id": cls.area_finance.id,
                    "portal_published": False,
                },
            ]
        )
        (guides[0] | guides[2]).action_publish()
        for name, value in users.items():
            setattr(cls, f"{name}_{suffix}", value)
        setattr(cls, f"production_{suffix}", production)
        setattr(cls, f"staging_{suffix}", staging)
        setattr(cls, f"incident_{suffix}", incident)
        setattr(cls, f"guide_published_{suffix}", guides[0])
        setattr(cls, f"guide_draft_{suffix}", guides[1])
        setattr(cls, f"guide_internal_{suffix}", guides[2])

    @classmethod
    def _escalate(cls, incident, user=None, **values):
        """Escalate ``incident`` (in progress) through ``_action_escalate`` as
        ``user``, answering the checklist with the incident's own values and
        plausible ones where it has none."""
        answers = {
            "title": incident.title,
            "area_id": incident.area_id.id,
            "description": incident.description or "Running the usual process",
            "expected_result": incident.expected_result or "It works as documented",
            "error_message": incident.error_message or "An unexpected error",
            "guide_id": incident.guide_id.id,
            "no_guide": not incident.guide_id,
            "reproduced_in_staging": True,
        }
        answers.update(values)
        if user:
            incident = incident.with_user(user)
        return incident._action_escalate(answers)

    def _create_incident(self, user, **values):
        vals = {
            "title": "Delivery slip prints without lot numbers",
            "instance_id": self.production_a.id,
            "area_id": self.area_finance.id,
        }
        vals.update(values)
        return self.env["erp.incident"].with_user(user).create(vals)


class ErpPlatformCase(ErpKeyUserCase):
    """Company A also runs the supplier's platform: two customers (commercial
    partners, not companies), each with a production and a staging instance, a
    portal key user (Finance on production), a portal consultation user, an
    incident and a published guide; two support agents of company A."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.agent_2_a = new_test_user(
            cls.env,
            login="agent_2_a",
            groups="erp_key_user.group_support_agent",
            company_id=cls.company_a.id,
            company_ids=[Command.set(cls.company_a.ids)],
        )
        for suffix in ("1", "2"):
            cls._setup_customer(suffix)

    @classmethod
    def _setup_customer(cls, suffix):
        customer = cls.env["res.partner"].create(
            {"name": f"Customer {suffix}", "is_company": True}
        )

        def portal_user(login, groups):
            return new_test_user(
                cls.env,
                login=f"{login}_c{suffix}",
                groups=f"base.group_portal,{groups}",
                parent_id=customer.id,
                company_id=cls.company_a.id,
                company_ids=[Command.set(cls.company_a.ids)],
            )

        Instance = cls.env["erp.instance"]
        staging = Instance.create(
            {
                "name": f"Customer {suffix} staging",
                "company_id": cls.company_a.id,
                "partner_id": customer.id,
                "environment": "staging",
            }
        )
        production = Instance.create(
            {
                "name": f"Customer {suffix} production",
                "company_id": cls.company_a.id,
                "partner_id": customer.id,
                "staging_instance_id": staging.id,
                "support_email": "desk@supplier.example.com",
            }
        )
        key_user = portal_user("portal_key_user", "erp_key_user.group_portal_key_user")
        consultation = portal_user("portal", "erp_key_user.group_consultation_user")
        cls.env["erp.key.user.assignment"].create(
            {
                "instance_id": production.id,
                "area_id": cls.area_finance.id,
                "user_id": key_user.id,
            }
        )
        incident = cls.env["erp.incident"].create(
            {
                "kind": "incident",
                "title": f"Customer {suffix}: the payment run skips vendors",
                "instance_id": production.id,
                "area_id": cls.area_finance.id,
            }
        )
        guide = cls.env["erp.process.guide"].create(
            {
                "name": f"Customer {suffix} manual: vendor payments",
                "company_id": cls.company_a.id,
                "partner_id": customer.id,
                "area_id": cls.area_finance.id,
                "step_ids": [Command.create({"name": "Open the payment run"})],
            }
        )
        guide.action_publish()
        for name, value in {
            "customer": customer,
            "production": production,
            "staging": staging,
            "portal_key_user": key_user,
            "portal": consultation,
            "incident": incident,
            "guide": guide,
        }.items():
            setattr(cls, f"{name}_c{suffix}", value)
