# Copyright 2026 erp_key_user contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Practise and reproduce in staging (issue #18, part 1): links from an
incident, the escalation wizard, a guide and the portal pages to the record on
the production and staging instances, with checked URLs."""

from odoo import Command
from odoo.exceptions import UserError, ValidationError
from odoo.tests import HttpCase, tagged
from odoo.tools import mute_logger

from .common import ErpPlatformCase


class StagingLinksCase(ErpPlatformCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.production_a.url = "https://erp-a.example.com/"
        cls.staging_a.url = "https://staging-a.example.com"
        for suffix in ("1", "2"):
            getattr(cls, f"production_c{suffix}").url = f"https://c{suffix}.example.com"
            getattr(
                cls, f"staging_c{suffix}"
            ).url = f"https://c{suffix}-staging.example.com"
        cls.partner_model = cls.env["ir.model"]._get("res.partner")
        for guide in (cls.guide_published_a, cls.guide_c1):
            guide.step_ids[:1].model_id = cls.partner_model
            guide.action_publish()

    def _report_from_record(self, user, instance, res_model="res.partner", res_id=7):
        """A request about the record ``res_model`` / ``res_id``, reported by
        ``user`` (an incident for key users, a question for colleagues)."""
        is_key_user = user.has_group("erp_key_user.group_key_user")
        return self._create_incident(
            user,
            kind="incident" if is_key_user else "question",
            instance_id=instance.id,
            res_model=res_model,
            res_id=res_id,
            res_name="Azure Interior",
        )


@tagged("post_install", "-at_install")
class TestInstanceUrl(StagingLinksCase):
    def test_only_web_urls_are_accepted(self):
        instance = self.production_a.with_user(self.manager_a)
        for url in (
            "javascript:alert(1)",
            "JavaScript:alert(document.cookie)",
            "data:text/html,<script>alert(1)</script>",
            "ftp://erp.example.com",
            "erp.example.com",
            "//erp.example.com",
            "https://",
            "https:///odoo",
            'https://erp.example.com/"><script>',
            "https://erp example.com",
            "https://erp.example.com\njavascript:alert(1)",
        ):
            with self.subTest(url=url), self.assertRaises(ValidationError):
                instance.write({"url": url})
        instance.write({"url": "http://localhost:8069"})
        instance.write({"url": "https://erp.example.com/"})
        self.assertEqual(instance.url, "https://erp.example.com/")

    def test_staging_instance_of_another_customer_is_refused(self):
        # assertRaises (unlike assertRaisesRegex) rolls back like a request
        production = self.production_c1.with_user(self.manager_a)
        with self.assertRaises(ValidationError) as caught:
            production.write({"staging_instance_id": self.staging_c2.id})
        self.assertIn("must belong to its customer", str(caught.exception))
        self.assertNotIn(self.staging_c2.name, str(caught.exception))
        # nor by moving the staging instance to another customer
        with self.assertRaises(ValidationError) as caught:
            self.staging_c1.with_user(self.manager_a).write(
                {"partner_id": self.customer_c2.id}
            )
        self.assertIn("must belong to its customer", str(caught.exception))
        self.assertEqual(self.production_c1.staging_instance_id, self.staging_c1)
        self.assertEqual(self.staging_c1.partner_id, self.customer_c1)

    def test_record_link_checks_the_model_name_and_the_id(self):
        instance = self.production_a
        self.assertEqual(
            instance._get_record_link("res.partner", 7),
            "https://erp-a.example.com/odoo/res.partner/7",
        )
        self.assertEqual(
            instance._get_record_link("sale.order.line"),
            "https://erp-a.example.com/odoo/sale.order.line/new",
        )
        for model_name in (
            "javascript:alert(1)",
            "res.partner/../../web",
            "res.partner\n",
            "Res.Partner",
            "res..partner",
            "res.partner?debug=1",
            "",
            None,
        ):
            with self.subTest(model_name=model_name):
                self.assertFalse(instance._get_record_link(model_name, 7))
        # only a positive integer is an id
        for res_id in ("7/../../x", -3, 0, True, None):
            with self.subTest(res_id=res_id):
                self.assertEqual(
                    instance._get_record_link("res.partner", res_id),
                    "https://erp-a.example.com/odoo/res.partner/new",
                )

    def test_stored_invalid_url_gives_no_link(self):
        # a URL saved before the check existed (written in SQL here)
        self.env.cr.execute(
            "UPDATE erp_instance SET url = 'javascript:alert(1)' WHERE id = %s",
            [self.staging_a.id],
        )
        self.staging_a.invalidate_recordset(["url"])
        incident = self._report_from_record(self.key_user_a, self.production_a)
        self.assertFalse(incident.staging_record_url)
        with self.assertRaisesRegex(UserError, "no staging instance"):
            incident.action_open_in_staging()


@tagged("post_install", "-at_install")
class TestIncidentStagingLinks(StagingLinksCase):
    def test_key_user_opens_the_record_in_staging_and_production(self):
        incident = self._report_from_record(self.key_user_a, self.production_a)
        self.assertEqual(
            incident.action_open_in_staging(),
            {
                "type": "ir.actions.act_url",
                "url": "https://staging-a.example.com/odoo/res.partner/7",
                "target": "new",
            },
        )
        self.assertEqual(
            incident.action_open_in_production()["url"],
            "https://erp-a.example.com/odoo/res.partner/7",
        )

    def test_consultation_user_reads_the_links_of_a_question(self):
        question = self._report_from_record(
            self.consultation_a, self.production_a
        ).with_user(self.consultation_a)
        self.assertEqual(
            question.staging_record_url,
            "https://staging-a.example.com/odoo/res.partner/7",
        )
        self.assertEqual(
            question.action_open_in_production()["url"],
            "https://erp-a.example.com/odoo/res.partner/7",
        )

    def test_hostile_source_model_gives_no_link(self):
        incident = self._report_from_record(
            self.key_user_a, self.production_a, res_model="javascript:alert(1)//"
        )
        self.assertFalse(incident.staging_record_url)
        self.assertFalse(incident.production_record_url)
        with self.assertRaisesRegex(UserError, "no staging instance"):
            incident.action_open_in_staging()

    def test_incident_without_source_record_or_staging(self):
        incident = self._create_incident(self.key_user_a)
        with self.assertRaisesRegex(UserError, "does not come from an ERP record"):
            incident.action_open_in_staging()
        self.production_a.staging_instance_id = False
        incident = self._report_from_record(self.key_user_a, self.production_a)
        self.assertFalse(incident.staging_record_url)
        with self.assertRaisesRegex(UserError, "no staging instance"):
            incident.action_open_in_staging()

    def test_incident_reported_in_staging_opens_staging_only(self):
        incident = self._report_from_record(self.key_user_a, self.staging_a)
        self.assertEqual(
            incident.staging_record_url,
            "https://staging-a.example.com/odoo/res.partner/7",
        )
        self.assertFalse(incident.production_record_url)
        with self.assertRaisesRegex(UserError, "not reported on a production"):
            incident.action_open_in_production()

    def test_escalation_wizard_links_to_the_record(self):
        incident = self._report_from_record(self.key_user_a, self.production_a)
        incident.action_start()
        action = incident.action_open_escalation()
        wizard = (
            self.env[action["res_model"]]
            .with_user(self.key_user_a)
            .new({"incident_id": action["context"]["default_incident_id"]})
        )
        self.assertEqual(
            wizard.staging_record_url,
            "https://staging-a.example.com/odoo/res.partner/7",
        )
        self.assertEqual(
            wizard.production_record_url,
            "https://erp-a.example.com/odoo/res.partner/7",
        )


@tagged("post_install", "-at_install")
class TestGuideTryInStaging(StagingLinksCase):
    def test_consultation_user_tries_the_first_form_in_staging(self):
        guide = self.guide_published_a.with_user(self.consultation_a)
        self.assertEqual(
            guide.action_try_in_staging(),
            {
                "type": "ir.actions.act_url",
                "url": "https://staging-a.example.com/odoo/res.partner/new",
                "target": "new",
            },
        )

    def test_first_form_falls_back_on_the_forms_the_guide_covers(self):
        guide = self.guide_draft_a
        self.assertFalse(guide.practice_url)
        guide.model_ids = [Command.set(self.env["ir.model"]._get("res.users").ids)]
        self.assertEqual(
            guide.with_user(self.key_user_wh_a).practice_url,
            "https://staging-a.example.com/odoo/res.users/new",
        )

    def test_portal_user_tries_their_customers_staging(self):
        guide = self.guide_c1.with_user(self.portal_c1)
        self.assertEqual(
            guide.practice_url,
            "https://c1-staging.example.com/odoo/res.partner/new",
        )

    def test_guide_without_staging_cannot_be_tried(self):
        self.staging_a.url = False
        guide = self.guide_published_a.with_user(self.consultation_a)
        self.assertFalse(guide.practice_url)
        with self.assertRaisesRegex(UserError, "cannot be tried in staging"):
            guide.action_try_in_staging()


@tagged("post_install", "-at_install")
class TestPortalStagingLinks(StagingLinksCase, HttpCase):
    def _customer_request(self):
        """A request of customer 1 about a contact, as if submitted on the
        portal form."""
        return self.env["erp.incident"].create(
            {
                "kind": "incident",
                "title": "Customer 1: the partner form hangs on save",
                "instance_id": self.production_c1.id,
                "area_id": self.area_finance.id,
                "res_model": "res.partner",
                "res_id": 7,
            }
        )

    def _page(self, login, url):
        self.env.flush_all()
        self.authenticate(login, login)
        response = self.url_open(url)
        self.assertEqual(response.status_code, 200, url)
        return response.text

    def test_portal_incident_page_links_to_own_customers_instances(self):
        incident = self._customer_request()
        html = self._page("portal_c1", f"/my/incidents/{incident.id}")
        self.assertIn('href="https://c1-staging.example.com/odoo/res.partner/7"', html)
        self.assertIn('href="https://c1.example.com/odoo/res.partner/7"', html)
        self.assertNotIn("c2-staging.example.com", html)
        self.assertNotIn("c2.example.com", html)
        # the other customer's user gets no page at all
        self.authenticate("portal_c2", "portal_c2")
        with mute_logger("odoo.http"):
            response = self.url_open(f"/my/incidents/{incident.id}")
        self.assertEqual(response.status_code, 404)

    def test_staging_instance_of_another_customer_saved_earlier_is_not_linked(self):
        # saved before the customer check existed (written in SQL here)
        self.env.cr.execute(
            "UPDATE erp_instance SET staging_instance_id = %s WHERE id = %s",
            [self.staging_c2.id, self.production_c1.id],
        )
        self.env.invalidate_all()
        incident = self._customer_request()
        self.assertFalse(incident.with_user(self.portal_c1).staging_record_url)
        self.assertEqual(
            incident.with_user(self.portal_c1).production_record_url,
            "https://c1.example.com/odoo/res.partner/7",
        )
        html = self._page("portal_c1", f"/my/incidents/{incident.id}")
        self.assertNotIn("c2-staging.example.com", html)

    def test_portal_guide_page_offers_to_try_it_in_staging(self):
        html = self._page("portal_c1", f"/my/guides/{self.guide_c1.id}")
        self.assertIn(
            'href="https://c1-staging.example.com/odoo/res.partner/new"', html
        )
        self.assertIn("o_erp_guide_try_in_staging", html)
