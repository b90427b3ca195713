# Copyright 2026 erp_key_user contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The supplier's platform (DESIGN §14): customers are commercial partners of
one company; their portal users read only their own customer's instances,
requests, guides and assignments; agents work every customer's requests."""

from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import HttpCase, new_test_user, tagged
from odoo.tools import mute_logger

from .common import ErpPlatformCase


@tagged("post_install", "-at_install")
class TestPlatformCustomers(ErpPlatformCase):
    def test_customer_defaults_to_the_company_partner(self):
        self.assertEqual(self.production_a.partner_id, self.company_a.partner_id)
        self.assertEqual(self.incident_a.partner_id, self.company_a.partner_id)
        self.assertEqual(
            self.production_a.assignment_ids.partner_id, self.company_a.partner_id
        )
        self.assertEqual(self.guide_published_a.partner_id, self.company_a.partner_id)
        # hosted: the instance's customer, carried to its records
        self.assertEqual(self.incident_c1.partner_id, self.customer_c1)
        self.assertEqual(self.production_c1.assignment_ids.partner_id, self.customer_c1)
        self.assertEqual(self.guide_c1.partner_id, self.customer_c1)

    def test_moving_an_instance_with_incidents_is_refused(self):
        manager = self.manager_a
        with self.assertRaisesRegex(UserError, "already has incidents"):
            self.production_c1.with_user(manager).write(
                {"partner_id": self.customer_c2.id}
            )
        self.assertEqual(self.production_c1.partner_id, self.customer_c1)
        self.assertEqual(self.incident_c1.partner_id, self.customer_c1)
        # an instance without incidents moves; its records follow (once no
        # production instance of customer 1 uses it as its staging instance:
        # test_staging_links.TestInstanceUrl)
        self.production_c1.with_user(manager).write({"staging_instance_id": False})
        self.staging_c1.with_user(manager).write({"partner_id": self.customer_c2.id})
        self.assertEqual(self.staging_c1.partner_id, self.customer_c2)

    def test_moving_an_instance_away_from_its_portal_key_user_is_refused(self):
        instance = self.env["erp.instance"].create(
            {
                "name": "Customer 1 test",
                "company_id": self.company_a.id,
                "partner_id": self.customer_c1.id,
                "environment": "test",
            }
        )
        self.env["erp.key.user.assignment"].create(
            {
                "instance_id": instance.id,
                "area_id": self.area_sales.id,
                "user_id": self.portal_key_user_c1.id,
            }
        )
        with self.assertRaisesRegex(ValidationError, "contact of Customer 1"):
            instance.with_user(self.manager_a).write(
                {"partner_id": self.customer_c2.id}
            )

    def test_portal_key_user_role_is_set_in_the_user_form(self):
        admin = new_test_user(
            self.env,
            login="settings_admin_a",
            groups="base.group_system",
            company_id=self.company_a.id,
            company_ids=[Command.set(self.company_a.ids)],
        )
        form_user = self.portal_c1.with_user(admin)
        self.assertFalse(form_user.erp_portal_key_user)
        form_user.erp_portal_key_user = True
        self.assertTrue(self.portal_c1.has_group("erp_key_user.group_portal_key_user"))
        self.assertTrue(self.portal_key_user_c1.with_user(admin).erp_portal_key_user)

    def test_the_customer_is_an_organisation(self):
        contact = self.portal_c1.partner_id
        with (
            self.assertRaisesRegex(ValidationError, "must be an organisation"),
            self.env.cr.savepoint(),
        ):
            self.env["erp.instance"].create(
                {"name": "Wrong", "partner_id": contact.id, "environment": "test"}
            )

    def test_portal_key_user_assignment_needs_the_instances_customer(self):
        Assignment = self.env["erp.key.user.assignment"].with_user(self.manager_a)
        with (
            self.assertRaisesRegex(ValidationError, "belongs to the customer"),
            self.env.cr.savepoint(),
        ):
            Assignment.create(
                {
                    "instance_id": self.production_c2.id,
                    "area_id": self.area_sales.id,
                    "user_id": self.portal_key_user_c1.id,
                }
            )
        with (
            self.assertRaisesRegex(ValidationError, "without the Portal Key User"),
            self.env.cr.savepoint(),
        ):
            Assignment.create(
                {
                    "instance_id": self.production_c1.id,
                    "area_id": self.area_sales.id,
                    "user_id": self.portal_c1.id,
                }
            )
        assignment = Assignment.create(
            {
                "instance_id": self.production_c1.id,
                "area_id": self.area_sales.id,
                "user_id": self.portal_key_user_c1.id,
            }
        )
        self.assertEqual(assignment.partner_id, self.customer_c1)
        # routing finds the portal key user of the area
        incident = self.env["erp.incident"].create(
            {
                "title": "Customer 1: quotation totals are rounded twice",
                "instance_id": self.production_c1.id,
                "area_id": self.area_sales.id,
            }
        )
        self.assertEqual(incident.key_user_id, self.portal_key_user_c1)


@tagged("post_install", "-at_install")
class TestPlatformIsolation(ErpPlatformCase):
    def _customer_records(self, suffix):
        return {
            "erp.instance": getattr(self, f"production_c{suffix}")
            | getattr(self, f"staging_c{suffix}"),
            "erp.incident": getattr(self, f"incident_c{suffix}"),
            "erp.process.guide": getattr(self, f"guide_c{suffix}"),
            "erp.key.user.assignment": getattr(
                self, f"production_c{suffix}"
            ).assignment_ids,
        }

    def test_portal_users_read_only_their_customer(self):
        everything = {
            model: records
            | self._customer_records("2")[model]
            | {
                "erp.instance": self.production_a | self.staging_a,
                "erp.incident": self.incident_a,
                "erp.process.guide": self.guide_published_a,
                "erp.key.user.assignment": self.production_a.assignment_ids,
            }[model]
            for model, records in self._customer_records("1").items()
        }
        for user in (self.portal_key_user_c1, self.portal_c1):
            own = self._customer_records("1")
            for model, records in everything.items():
                with self.subTest(user=user.login, model=model):
                    Model = self.env[model].with_user(user)
                    domain = [("id", "in", records.ids)]
                    self.assertEqual(Model.search(domain), own[model])
                    self.assertEqual(Model.search_count(domain), len(own[model]))
                    groups = Model._read_group(domain, ["partner_id"], ["__count"])
                    self.assertEqual(
                        groups, [(self.customer_c1, len(own[model]))], model
                    )
                    names = Model.name_search("", limit=1000)
                    self.assertEqual(
                        {i for i, _name in names} & set(records.ids),
                        set(own[model].ids),
                    )
                    with mute_logger("odoo.addons.base.models.ir_rule"):
                        for hidden in records - own[model]:
                            with self.assertRaises(AccessError):
                                Model.browse(hidden.id).read(["display_name"])

    def test_in_house_portal_users_keep_their_company(self):
        Incident = self.env["erp.incident"].with_user(self.portal_a)
        self.assertEqual(
            Incident.search([]), self.incident_a, "a contact of company A's partner"
        )

    def test_agents_work_every_customer_of_their_company(self):
        Incident = self.env["erp.incident"].with_user(self.agent_a)
        incidents = Incident.search([])
        self.assertLessEqual(
            self.incident_a | self.incident_c1 | self.incident_c2, incidents
        )
        self.assertNotIn(self.incident_b, incidents)
        groups = dict(
            Incident._read_group(
                [("id", "in", incidents.ids)], ["partner_id"], ["__count"]
            )
        )
        self.assertEqual(
            {self.company_a.partner_id, self.customer_c1, self.customer_c2},
            set(groups),
        )
        # they read instances and assignments, configure nothing
        self.assertTrue(self.production_c1.with_user(self.agent_a).assignment_ids)
        with mute_logger("odoo.models"), self.assertRaises(AccessError):
            self.production_c1.with_user(self.agent_a).write({"url": "https://x.test"})


@tagged("post_install", "-at_install")
class TestPlatformAgents(ErpPlatformCase):
    def test_agent_asks_for_information_and_resolves(self):
        incident = self.incident_c1
        incident.action_start()
        self._escalate(incident)
        as_agent = incident.with_user(self.agent_a)
        as_agent.action_set_waiting()
        self.assertEqual(incident.state, "waiting_info")
        as_agent.action_resume()
        self.assertEqual(incident.state, "escalated")
        as_agent.write({"resolution": "<p>The vendor had no bank account.</p>"})
        as_agent.action_resolve()
        self.assertEqual(incident.state, "resolved")
        self.assertEqual(incident.resolution_level, "supplier")

    def test_agent_does_not_escalate_or_close(self):
        as_agent = self.incident_c1.with_user(self.agent_a)
        for action in (as_agent.action_start, as_agent.action_cancel):
            with self.assertRaisesRegex(UserError, "Only key users"):
                action()
        self.assertEqual(self.incident_c1.state, "new")

    def test_agent_writes_a_customers_manual_for_that_customer_only(self):
        guide = (
            self.env["erp.process.guide"]
            .with_user(self.agent_a)
            .create(
                {
                    "name": "Customer 2 manual: the custom delivery report",
                    "company_id": self.company_a.id,
                    "partner_id": self.customer_c2.id,
                    "area_id": self.area_warehouse.id,
                }
            )
        )
        guide.action_publish()
        Guide = self.env["erp.process.guide"]
        self.assertIn(guide, Guide.with_user(self.portal_c2).search([]))
        self.assertIn(guide, Guide.with_user(self.portal_key_user_c2).search([]))
        for user in (self.portal_c1, self.portal_key_user_c1, self.portal_a):
            self.assertNotIn(guide, Guide.with_user(user).search([]), user.login)

    def test_public_replies_reach_the_customer_internal_notes_never(self):
        incident = self.incident_c1
        incident.message_subscribe(
            partner_ids=(self.portal_key_user_c1 | self.portal_c1).partner_id.ids
        )
        customer_partners = (self.portal_key_user_c1 | self.portal_c1).partner_id
        as_agent = incident.with_user(self.agent_a).with_context(tracking_disable=False)
        reply = as_agent.message_post(
            body="Please send us the payment run's log.",
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
        )
        note = as_agent.message_post(
            body="Customer 1 pays late, answer anyway.",
            message_type="comment",
            subtype_xmlid="mail.mt_note",
        )
        self.assertLessEqual(customer_partners, reply.notification_ids.res_partner_id)
        self.assertFalse(note.notification_ids.res_partner_id & customer_partners)
        mails = (
            self.env["mail.mail"].sudo().search([("mail_message_id", "=", reply.id)])
        )
        self.assertLessEqual(customer_partners, mails.recipient_ids)
        self.assertFalse(
            self.env["mail.mail"].sudo().search([("mail_message_id", "=", note.id)])
        )
        # the portal user of the other customer never sees either
        Message = self.env["mail.message"].with_user(self.portal_c2)
        self.assertFalse(Message.search([("id", "in", (reply | note).ids)]))


@tagged("post_install", "-at_install")
class TestPlatformPortalVolume(ErpPlatformCase, HttpCase):
    """300 customers on one supplier company: a customer's portal list costs
    the same number of queries with 100 and with 5,000 requests."""

    CUSTOMERS = 300

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        customers = cls.env["res.partner"].create(
            [
                {"name": f"Volume customer {n}", "is_company": True}
                for n in range(cls.CUSTOMERS - 2)
            ]
        )
        cls.env["erp.instance"].create(
            [
                {
                    "name": f"Volume customer {n} production",
                    "company_id": cls.company_a.id,
                    "partner_id": customer.id,
                }
                for n, customer in enumerate(customers)
            ]
        )
        # every customer (the two of ErpPlatformCase too) gets 100 requests
        cls._insert_requests(
            [("partner_id", "in", (customers | cls.customer_c1 | cls.customer_c2).ids)],
            99,
        )

    @classmethod
    def _insert_requests(cls, instance_domain, per_instance):
        """``per_instance`` requests on the production instance of each
        customer, in SQL (as bench/datagen.py does) for speed."""
        instances = cls.env["erp.instance"].search(
            instance_domain + [("environment", "=", "production")]
        )
        cls.env.flush_all()
        cls.env.cr.execute(
            """
            INSERT INTO erp_incident (
                name, title, kind, instance_id, company_id, partner_id,
                area_id, state, priority, create_uid, create_date, write_uid,
                write_date)
            SELECT 'VOL/' || i.id || '/' || n, 'Volume request ' || n,
                   'incident', i.id, i.company_id, i.partner_id, %s,
                   (ARRAY['escalated', 'waiting_info', 'resolved'])[n %% 3 + 1],
                   '1', %s, now(), %s, now()
              FROM erp_instance i, generate_series(1, %s) AS n
             WHERE i.id IN %s
            """,
            (
                cls.area_finance.id,
                cls.env.uid,
                cls.env.uid,
                per_instance,
                tuple(instances.ids),
            ),
        )
        cls.env.cr.execute("ANALYZE erp_incident")
        cls.env.invalidate_all()

    def _portal_list_queries(self):
        self.authenticate("portal_c1", "portal_c1")
        self.url_open("/my/incidents?filterby=all")  # warm the caches
        self.env.flush_all()
        start = self.cr.sql_log_count
        response = self.url_open("/my/incidents?filterby=all")
        self.assertEqual(response.status_code, 200)
        self.assertNotIn("Customer 2:", response.text)
        return self.cr.sql_log_count - start

    def test_portal_list_query_count_does_not_grow_with_requests(self):
        Incident = self.env["erp.incident"]
        customer = self.customer_c1
        self.assertEqual(Incident.search_count([("partner_id", "=", customer.id)]), 100)
        on_platform = Incident.search([("company_id", "=", self.company_a.id)])
        # the customers, and company A's own partner (in-house)
        self.assertEqual(len(on_platform.partner_id), self.CUSTOMERS + 1)
        small = self._portal_list_queries()
        self._insert_requests([("partner_id", "=", customer.id)], 4900)
        self.assertEqual(
            Incident.search_count([("partner_id", "=", customer.id)]), 5000
        )
        self.assertEqual(Incident.with_user(self.portal_c1).search_count([]), 5000)
        large = self._portal_list_queries()
        self.assertEqual(small, large, "query count grows with the requests")


@tagged("post_install", "-at_install")
class TestPlatformContactMoves(ErpPlatformCase):
    def test_a_contact_moved_to_another_customer_reads_the_new_one_at_once(self):
        Incident = self.env["erp.incident"].with_user(self.portal_c1)
        self.assertEqual(Incident.search([]), self.incident_c1)  # rules cached
        self.portal_c1.partner_id.parent_id = self.customer_c2
        self.assertEqual(Incident.search([]), self.incident_c2)


@tagged("post_install", "-at_install")
class TestPlatformNoCustomerTokens(ErpPlatformCase):
    def test_the_customer_is_no_recipient_and_gets_no_token(self):
        for record in (self.incident_c1, self.guide_c1):
            self.assertFalse(record._mail_get_partners()[record.id])
        self.incident_c1.message_subscribe(partner_ids=self.portal_c1.partner_id.ids)
        self.incident_c1.with_user(self.agent_a).message_post(
            body="We are looking into it.",
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
        )
        self.assertFalse(self.incident_c1.access_token)
        self.assertNotIn(self.customer_c1, self.incident_c1.message_partner_ids)
