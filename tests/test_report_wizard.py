# Copyright 2026 erp_key_user contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Report incident / Ask key user from any form."""

from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import ErpKeyUserCase


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
        self.assertEqual(wizard.res_url, f"/odoo/res.partner/{self.customer.id}")
        self.assertEqual(wizard.area_id, self.area_sales)
        self.assertEqual(wizard.instance_id, self.production_a)
        self.assertEqual(wizard.kind, "incident")

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
        self.assertIn(f"/odoo/erp.incident/{question.id}", note.body)
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
        with self.assertQueryCount(__system__=28):
            defaults = Wizard.default_get(list(Wizard._fields))
            wizard = Wizard.create(
                dict(defaults, title="Delivery address missing on slip")
            )
            wizard.action_report()
