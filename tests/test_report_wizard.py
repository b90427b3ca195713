# Copyright 2026 erp_key_user contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Report incident / Ask key user from any form."""

import uuid

from odoo import Command, api
from odoo.exceptions import UserError, ValidationError
from odoo.modules.registry import Registry
from odoo.tests import BaseCase, get_db_name, new_test_user, tagged

from .common import ErpKeyUserCase

# the suggestions of one question: the misspelt words, guides, the incidents
# sharing two words, then (when fewer than shown) the newest sharing one
SUGGESTION_QUERY_BUDGET = 7


@tagged("post_install", "-at_install")
class TestReportWizard(ErpKeyUserCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.customer = cls.env["res.partner"].create(
            {"name": "Bolt Hardware", "company_id": cls.company_a.id}
        )
        cls.area_sales.model_ids = cls.env["ir.model"]._get("res.partner")
        cls.env["erp.key.user.assignment"].create(
            {
                "instance_id": cls.production_a.id,
                "area_id": cls.area_sales.id,
                "user_id": cls.key_user_wh_a.id,
            }
        )

    def _wizard(self, user, record=None, model=None, **values):
        context = {
            "active_model": model or (record and record._name),
            "active_id": record.id if record else False,
        }
        Wizard = (
            self.env["erp.incident.report.wizard"]
            .with_user(user)
            .with_company(user.company_id)
            .with_context(**context)
        )
        wizard = Wizard.new(values) if values.get("_new") else Wizard.create(values)
        return wizard

    def test_prefilled_from_the_record(self):
        wizard = self._wizard(
            self.key_user_a, self.customer, title="Address not printed on delivery slip"
        )
        self.assertEqual(wizard.res_model, "res.partner")
        self.assertEqual(wizard.res_id, self.customer.id)
        self.assertEqual(wizard.res_name, "Bolt Hardware")
        self.assertEqual(wizard.area_id, self.area_sales)
        self.assertEqual(wizard.instance_id, self.production_a)
        self.assertEqual(wizard.kind, "incident")
        # the incident computes the link to its source itself
        self.assertNotIn("res_url", wizard._fields)
        incident = self.env["erp.incident"].browse(wizard.action_report()["res_id"])
        self.assertEqual(incident.res_url, f"/odoo/res.partner/{self.customer.id}")

    def test_kind_follows_the_role(self):
        self.assertEqual(
            self._wizard(self.consultation_a, self.customer, title="How do I x").kind,
            "question",
        )
        wizard = self._wizard(
            self.consultation_a,
            self.customer,
            title="Why is this blocked?",
            kind="incident",
        )
        with self.assertRaisesRegex(UserError, "Only key users report incidents"):
            wizard.action_report()

    def test_area_falls_back_to_technical(self):
        wizard = self._wizard(self.key_user_a, model="ir.cron", title="Cron late")
        self.assertEqual(wizard.area_id, self.area_technical)

    def test_question_is_routed_and_noted_on_the_record(self):
        # Odoo lets a user post on a contact when they may edit contacts
        self.consultation_a.group_ids += self.env.ref("base.group_partner_manager")
        wizard = self._wizard(
            self.consultation_a,
            self.customer,
            title="How do I change the payment terms of this customer?",
        )
        action = wizard.action_report()
        question = self.env["erp.incident"].browse(action["res_id"])
        self.assertEqual(action["res_model"], "erp.incident")
        self.assertEqual(question.kind, "question")
        self.assertEqual(question.reporter_id, self.consultation_a)
        self.assertEqual(question.key_user_id, self.key_user_wh_a, "sales key user")
        self.assertEqual(question.res_model, "res.partner")
        self.assertEqual(question.res_id, self.customer.id)
        self.assertEqual(question.activity_ids.user_id, self.key_user_wh_a)
        note = self.customer.message_ids[:1]
        self.assertIn(question.name, note.body)
        link = f'data-oe-model="erp.incident" data-oe-id="{question.id}"'
        self.assertIn(link, note.body)
        self.assertEqual(note.author_id, self.consultation_a.partner_id)
        self.assertTrue(note.subtype_id.internal)

    def test_model_without_chatter(self):
        currency = self.env.ref("base.EUR")
        self.assertNotIn("message_post", dir(currency))
        action = self._wizard(
            self.key_user_a, currency, title="Exchange rate not updated this morning"
        ).action_report()
        incident = self.env["erp.incident"].browse(action["res_id"])
        self.assertEqual(incident.res_model, "res.currency")
        self.assertEqual(incident.area_id, self.area_finance)

    def test_unsaved_record_refers_to_the_model_only(self):
        action = self._wizard(
            self.key_user_a, model="res.partner", title="Cannot save a new contact"
        ).action_report()
        incident = self.env["erp.incident"].browse(action["res_id"])
        self.assertEqual(incident.res_model, "res.partner")
        self.assertFalse(incident.res_id)
        self.assertFalse(incident.res_url)

    def test_record_the_user_cannot_read_is_not_leaked(self):
        foreign = self.env["res.partner"].create(
            {"name": "Secret Partner B", "company_id": self.company_b.id}
        )
        wizard = self._wizard(self.key_user_a, foreign, title="Strange partner form")
        self.assertFalse(wizard.res_name)
        self.assertFalse(wizard.res_id)

    def test_no_instance_in_the_company_is_refused(self):
        company_c = self.env["res.company"].create({"name": "Company C"})
        self.key_user_a.company_ids |= company_c
        wizard = (
            self.env["erp.incident.report.wizard"]
            .with_user(self.key_user_a)
            .with_context(allowed_company_ids=company_c.ids)
            .create({"title": "Cannot post the opening entry"})
        )
        self.assertFalse(wizard.instance_id)
        with self.assertRaisesRegex(UserError, "Company C has no ERP instance yet"):
            wizard.action_report()
        self.assertFalse(
            self.env["erp.incident"].search(
                [("title", "=", "Cannot post the opening entry")]
            )
        )

    def test_suggestions_self_help_first(self):
        self.guide_published_a.model_ids = self.env["ir.model"]._get("res.partner")
        resolved = self._create_incident(
            self.key_user_a,
            kind="incident",
            title="Payment terms ignored on the invoice",
        ).with_user(self.key_user_a)
        resolved.resolution = "<p>Set them on the contact.</p>"
        resolved.action_resolve()
        open_one = self._create_incident(self.key_user_a, title="Payment terms again")
        wizard = self._wizard(
            self.consultation_a, model="res.partner", title="payment terms"
        )
        self.assertEqual(wizard.suggested_guide_ids, self.guide_published_a)
        self.assertIn(resolved, wizard.suggested_incident_ids)
        self.assertNotIn(open_one, wizard.suggested_incident_ids)
        # drafts and other companies' guides never show up
        self.assertNotIn(self.guide_draft_a, wizard.suggested_guide_ids)
        wizard.title = "Finance guide"
        self.assertNotIn(self.guide_published_b, wizard.suggested_guide_ids)

    def test_query_count_open_and_save(self):
        Wizard = (
            self.env["erp.incident.report.wizard"]
            .with_user(self.key_user_a)
            .with_context(active_model="res.partner", active_id=self.customer.id)
        )
        # warm the caches that any first request would fill once per worker
        Wizard.create({"title": "Warm up the registry caches"}).action_report()
        self.env.invalidate_all()
        # 28 before the self-help search, and one read more: the reporter's
        # language (res.partner), which chooses the stemming of the request's
        # words in its search vector; one read for all the incidents created
        # at once, whatever their number (prefetched)
        with self.assertQueryCount(__system__=29):
            defaults = Wizard.default_get(list(Wizard._fields))
            wizard = Wizard.create(
                dict(defaults, title="Delivery address missing on slip")
            )
            wizard.action_report()

    def _suggestion_queries(self, wizard):
        self.env.invalidate_all()
        start = self.cr.sql_log_count
        suggestions = wizard.suggestions
        return self.cr.sql_log_count - start, suggestions

    def test_suggestion_queries_do_not_grow_with_incidents(self):
        """The suggestions cost no more queries over 303 past answers than
        over 3: one search per kind of answer (rules and ranking in SQL), one
        for the misspelt words, the five answers shown read at once. With
        fewer answers sharing two words than are shown (3 here), two more
        look among the newest answers sharing one word."""
        Incident = self.env["erp.incident"]

        def add_answers(count):
            incidents = Incident.create(
                [
                    {
                        "kind": "incident",
                        "title": f"Delivery address missing on slip {n}",
                        "instance_id": self.production_a.id,
                        "area_id": self.area_sales.id,
                        "reporter_id": self.key_user_a.id,
                        "resolution": f"<p>Set the delivery address ({n}).</p>",
                    }
                    for n in range(count)
                ]
            )
            # resolved in SQL: the lifecycle is not what is measured here
            self.env.flush_all()
            self.env.cr.execute(
                "UPDATE erp_incident SET state = 'resolved' WHERE id IN %s",
                [tuple(incidents.ids)],
            )

        add_answers(3)
        wizard = self._wizard(
            self.consultation_a,
            model="res.partner",
            title="delivery adress missing",
            area_id=self.area_sales.id,
        )
        self._suggestion_queries(wizard)  # warm the caches (rules, models)
        few, suggestions = self._suggestion_queries(wizard)
        self.assertEqual(len(suggestions), 3)
        add_answers(300)
        many, suggestions = self._suggestion_queries(wizard)
        self.assertEqual(len(suggestions), 5)
        self.assertLessEqual(many, few, "the suggestions' queries grow with incidents")
        self.assertLessEqual(few, SUGGESTION_QUERY_BUDGET)

    # ------------------------------------------------------------------
    # source records set by the caller (issue #19): as the attacker's role
    # ------------------------------------------------------------------

    def _report_from(
        self, user, model, res_id, title="Pay the invoice at evil.example"
    ):
        """The wizard as a client would create it over RPC, with the source
        record in its values instead of the form's context."""
        return (
            self.env["erp.incident.report.wizard"]
            .with_user(user)
            .with_company(user.company_id)
            .create(
                {
                    "res_model": model,
                    "res_id": res_id,
                    "title": title,
                    "area_id": self.area_sales.id,
                }
            )
        )

    def _incidents_titled(self, title):
        return self.env["erp.incident"].search([("title", "=", title)])

    def test_source_channel_the_user_cannot_read_is_refused(self):
        channel = self.env["discuss.channel"].create(
            {
                "name": "Administrators",
                "channel_type": "channel",
                "group_public_id": self.env.ref("base.group_system").id,
            }
        )
        before = channel.message_ids
        with self.assertRaisesRegex(ValidationError, "you may not read it"):
            self._report_from(
                self.consultation_a, "discuss.channel", channel.id
            ).action_report()
        self.assertEqual(channel.message_ids, before)
        self.assertFalse(self._incidents_titled("Pay the invoice at evil.example"))

    def test_channel_the_user_reads_never_gets_the_note(self):
        channel = self.env["discuss.channel"].create(
            {
                "name": "Everybody",
                "channel_type": "channel",
                "group_public_id": self.env.ref("base.group_user").id,
            }
        )
        before = channel.message_ids
        self._report_from(
            self.consultation_a, "discuss.channel", channel.id
        ).action_report()
        self.assertEqual(channel.message_ids, before)
        self.assertTrue(self._incidents_titled("Pay the invoice at evil.example"))

    def test_source_of_another_company_is_refused(self):
        partner_b = self.env["res.partner"].create(
            {"name": "Rival Customer", "company_id": self.company_b.id}
        )
        # a key user and a contact manager could post on their own company's
        self.key_user_a.group_ids += self.env.ref("base.group_partner_manager")
        for model, record in (
            ("erp.incident", self.incident_b),
            ("res.partner", partner_b),
        ):
            for user in (self.consultation_a, self.key_user_a):
                before = record.message_ids
                with self.assertRaisesRegex(ValidationError, "you may not read it"):
                    self._report_from(user, model, record.id).action_report()
                self.assertEqual(record.message_ids, before, (model, user.login))
        self.assertFalse(self._incidents_titled("Pay the invoice at evil.example"))

    def test_readable_record_of_another_allowed_company_is_refused(self):
        """A user of both companies working in A does not report from B's
        records: the source is in one of the companies they work in."""
        self.key_user_a.company_ids += self.company_b
        partner_b = self.env["res.partner"].create(
            {"name": "Rival Customer", "company_id": self.company_b.id}
        )
        with self.assertRaisesRegex(ValidationError, "you may not read it"):
            self._report_from(self.key_user_a, "res.partner", partner_b.id)

    def test_source_must_be_a_form_of_the_erp(self):
        for model, res_id in (
            ("no.such.model", 1),
            ("mail.thread", 1),  # abstract
            ("erp.incident.report.wizard", 1),  # a wizard, not a document
            (False, self.customer.id),  # an id without model
        ):
            with self.assertRaisesRegex(ValidationError, "not a form of the ERP"):
                self._report_from(self.key_user_a, model, res_id)
        with self.assertRaisesRegex(ValidationError, "does not exist"):
            self._report_from(self.key_user_a, "res.partner", 10**9)

    def test_record_name_comes_from_the_record(self):
        wizard = (
            self.env["erp.incident.report.wizard"]
            .with_user(self.key_user_a)
            .create(
                {
                    "res_model": "res.partner",
                    "res_id": self.customer.id,
                    "res_name": "Pay the invoice at evil.example today",
                    "title": "Address not printed on the delivery slip",
                    "area_id": self.area_sales.id,
                }
            )
        )
        incident = self.env["erp.incident"].browse(wizard.action_report()["res_id"])
        self.assertEqual(incident.res_name, "Bolt Hardware")

    def test_note_only_where_the_user_may_post(self):
        # a contact the consultation user reads but may not edit: no note
        before = self.customer.message_ids
        action = self._report_from(
            self.consultation_a, "res.partner", self.customer.id, "Why two addresses?"
        ).action_report()
        question = self.env["erp.incident"].browse(action["res_id"])
        self.assertEqual(question.res_id, self.customer.id)
        self.assertEqual(self.customer.message_ids, before)
        # an incident of their company: Odoo lets its readers post there
        self._report_from(
            self.consultation_a, "erp.incident", self.incident_a.id, "Same here?"
        ).action_report()
        note = self.incident_a.message_ids[:1]
        self.assertIn("Same here?", note.body)
        self.assertEqual(note.author_id, self.consultation_a.partner_id)
        self.assertTrue(note.subtype_id.internal)

    # ------------------------------------------------------------------
    # one incident per wizard
    # ------------------------------------------------------------------

    def test_a_wizard_creates_its_incident_once(self):
        wizard = self._report_from(
            self.consultation_a, "res.partner", self.customer.id, "Sent twice?"
        )
        first = wizard.action_report()
        second = wizard.action_report()
        self.assertEqual(first, second)
        self.assertEqual(len(self._incidents_titled("Sent twice?")), 1)
        self.assertEqual(wizard.incident_id.id, first["res_id"])

    # ------------------------------------------------------------------
    # area and routing (issue #15 point 5)
    # ------------------------------------------------------------------

    def test_area_is_required(self):
        wizard = (
            self.env["erp.incident.report.wizard"]
            .with_user(self.consultation_a)
            .create({"title": "Where is the report of last month?"})
        )
        self.assertEqual(wizard.instance_id, self.production_a)
        self.assertFalse(wizard.area_id)
        with self.assertRaisesRegex(UserError, "Choose the area"):
            wizard.action_report()
        self.assertFalse(self._incidents_titled("Where is the report of last month?"))

    def _guide_owned_by(self, owner):
        guide = self.guide_published_a
        guide.owner_id = owner
        return guide

    def test_question_from_a_guide_goes_to_its_owner(self):
        # the warehouse key user also covers finance, as a backup
        self.env["erp.key.user.assignment"].create(
            {
                "instance_id": self.production_a.id,
                "area_id": self.area_finance.id,
                "user_id": self.key_user_wh_a.id,
                "is_backup": True,
            }
        )
        guide = self._guide_owned_by(self.key_user_wh_a)
        wizard = self._wizard(self.consultation_a, guide, title="Step 2 fails for me")
        self.assertEqual(wizard.area_id, self.area_finance, "the guide's area")
        self.assertEqual(
            wizard.routing_note, f"Your question will go to {self.key_user_wh_a.name}."
        )
        question = self.env["erp.incident"].browse(wizard.action_report()["res_id"])
        self.assertEqual(question.key_user_id, self.key_user_wh_a)
        self.assertEqual(question.area_id, self.area_finance)
        self.assertEqual(question.guide_id, guide)

    def test_guide_owner_outside_the_area_leaves_normal_routing(self):
        # the owner covers warehouse only: finance's key user answers
        guide = self._guide_owned_by(self.key_user_wh_a)
        wizard = self._wizard(self.consultation_a, guide, title="Step 2 fails for me")
        self.assertEqual(
            wizard.routing_note, f"Your question will go to {self.key_user_a.name}."
        )
        question = self.env["erp.incident"].browse(wizard.action_report()["res_id"])
        self.assertEqual(question.key_user_id, self.key_user_a)
        self.assertEqual(question.area_id, self.area_finance)


@tagged("post_install", "-at_install")
class TestReportWizardConcurrency(BaseCase):
    """The same wizard sent from two HTTP workers at once: real cursors on
    committed data."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.registry = Registry(get_db_name())

    def setUp(self):
        super().setUp()
        tag = uuid.uuid4().hex[:8]
        with self.registry.cursor() as cr:
            env = api.Environment(cr, api.SUPERUSER_ID, {"tracking_disable": True})
            company = env["res.company"].create({"name": f"Report {tag}"})
            user = new_test_user(
                env,
                login=f"ask_{tag}",
                groups="base.group_user,erp_key_user.group_consultation_user",
                company_id=company.id,
                company_ids=[Command.set(company.ids)],
            )
            instance = env["erp.instance"].create(
                {"name": f"Production {tag}", "company_id": company.id}
            )
            wizard = (
                env["erp.incident.report.wizard"]
                .with_user(user)
                .with_company(company)
                .create(
                    {
                        "title": f"Sent from two tabs {tag}",
                        "area_id": env.ref("erp_key_user.erp_support_area_sales").id,
                    }
                )
            )
            self.title = wizard.title
            self.user_id = user.id
            self.company_id = company.id
            self.instance_id = instance.id
            self.wizard_id = wizard.id
        self.addCleanup(self._cleanup)

    def _cleanup(self):
        with self.registry.cursor() as cr:
            env = api.Environment(cr, api.SUPERUSER_ID, {})
            env["erp.incident"].search([("title", "=", self.title)]).unlink()
            env["erp.incident.report.wizard"].browse(self.wizard_id).unlink()
            env["erp.instance"].browse(self.instance_id).unlink()
            env["res.users"].browse(self.user_id).active = False

    def _send(self, cr):
        env = api.Environment(
            cr, self.user_id, {"allowed_company_ids": [self.company_id]}
        )
        return env["erp.incident.report.wizard"].browse(self.wizard_id).action_report()

    def test_sent_twice_at_once_creates_one_incident(self):
        cr1 = self.registry.cursor()
        cr2 = self.registry.cursor()
        try:
            first = self._send(cr1)
            with self.assertRaisesRegex(UserError, "already being sent"):
                self._send(cr2)
            cr2.rollback()
            cr1.commit()
        finally:
            cr1.close()
            cr2.close()
        with self.registry.cursor() as cr:
            # sent again once the first one is committed: the same incident
            self.assertEqual(self._send(cr), first)
            env = api.Environment(cr, api.SUPERUSER_ID, {})
            self.assertEqual(
                env["erp.incident"].search_count([("title", "=", self.title)]), 1
            )
