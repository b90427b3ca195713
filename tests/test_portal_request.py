# Copyright 2026 erp_key_user contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The support-request form ``/my/incidents/new`` of the supplier's platform,
with real portal logins (customer 1's portal key user and consultation user,
customer 2's), through HTTP: what it offers, refusals, success, files, the
question it converts, and its query budget."""

import logging
import re

from lxml import html

from odoo import Command
from odoo.tests import HttpCase, tagged
from odoo.tools import mute_logger

from .common import ErpPlatformCase

PNG = b"\x89PNG\r\n\x1a\n" + b"screenshot" * 10
# queries of the form page (GET /my/incidents/new) for a portal key user, once
# the caches are warm; it must not grow with the customer's records
REQUEST_FORM_BUDGET = 14


class PortalRequestCase(ErpPlatformCase, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # customer 1's key user also holds Sales on production
        cls.env["erp.key.user.assignment"].create(
            {
                "instance_id": cls.production_c1.id,
                "area_id": cls.area_sales.id,
                "user_id": cls.portal_key_user_c1.id,
            }
        )

    def _login(self, user):
        self.authenticate(user.login, user.login)

    def _get_form(self, url="/my/incidents/new"):
        response = self.url_open(url)
        self.assertEqual(response.status_code, 200, response.text[:500])
        return response, html.fromstring(response.text)

    def _csrf(self, url="/my/incidents/new"):
        """The CSRF token of the current session, from a page's form."""
        response = self.url_open(url)
        match = re.search(r'name="csrf_token" value="([^"]+)"', response.text)
        self.assertTrue(match, f"no CSRF token on {url}")
        return match.group(1)

    def _form_data(self, **values):
        data = {
            "csrf_token": values.pop("csrf_token", None) or self._csrf(),
            "instance_id": str(self.production_c1.id),
            "area_id": str(self.area_finance.id),
            "title": "Payment run skips vendors without a bank account",
            "description": "Running the weekly payment run.",
            "expected_result": "Every due vendor bill is paid.",
            "actual_result": "Vendors without a bank account are skipped.",
            "error_message": "",
            "steps_to_reproduce": "1. Open the payment run 2. Confirm",
            "guide_id": str(self.guide_c1.id),
            "reproduced_in_staging": "1",
        }
        data.update(values)
        return {key: value for key, value in data.items() if value is not None}

    def _post(self, data, files=None):
        return self.url_open(
            "/my/incidents/new/submit",
            data=data,
            files=files or [("attachments", ("payment_run.png", PNG, "image/png"))],
            allow_redirects=False,
        )

    def _counts(self):
        Incident = self.env["erp.incident"].with_context(active_test=False)
        return (
            Incident.search_count([]),
            self.env["ir.attachment"].search_count(
                [("res_model", "=", "erp.incident")]
            ),
        )

    @staticmethod
    def _errors(response):
        doc = html.fromstring(response.text)
        return [
            li.text_content().strip()
            for li in doc.xpath("//div[hasclass('o_erp_request_errors')]//li")
        ]


@tagged("post_install", "-at_install")
class TestPortalRequestForm(PortalRequestCase):
    def test_the_form_offers_the_customers_instances_and_the_users_areas(self):
        self._login(self.portal_key_user_c1)
        response, doc = self._get_form()
        instances = doc.xpath("//select[@name='instance_id']/option/@value")
        # production first; its staging copy answers with production's key users
        self.assertEqual(
            instances, [str(self.production_c1.id), str(self.staging_c1.id)]
        )
        production_areas = doc.xpath(
            f"//select[@name='area_id']/optgroup[@data-instance-id="
            f"'{self.production_c1.id}']/option/@value"
        )
        self.assertEqual(
            set(production_areas), {str(self.area_finance.id), str(self.area_sales.id)}
        )
        guides = doc.xpath("//select[@name='guide_id']/option/@value")
        self.assertEqual(guides, ["", str(self.guide_c1.id)])
        for other in ("Customer 2", "Production A", self.guide_published_a.name):
            self.assertNotIn(other, response.text)
        # nothing is ticked for the user
        self.assertFalse(doc.xpath("//input[@type='checkbox'][@checked]"))
        # the staging instance is named beside the checkbox
        self.assertEqual(
            doc.xpath("string(//*[hasclass('o_erp_request_staging_name')])"),
            self.staging_c1.name,
        )

    def test_new_request_button_and_form_for_portal_key_users_only(self):
        self._login(self.portal_key_user_c1)
        self.assertIn("o_erp_portal_new_request", self.url_open("/my/incidents").text)
        self._login(self.portal_c1)
        self.assertNotIn(
            "o_erp_portal_new_request", self.url_open("/my/incidents").text
        )
        response = self.url_open("/my/incidents/new", allow_redirects=False)
        self.assertEqual(response.status_code, 303)
        self.assertTrue(response.headers["Location"].endswith("/my/incidents"))
        before = self._counts()
        with mute_logger("odoo.http"):
            response = self._post(self._form_data(csrf_token=self._csrf("/my/account")))
        self.assertEqual(response.status_code, 403)
        self.assertEqual(self._counts(), before)

    def test_a_refused_form_lists_every_problem_and_keeps_what_was_typed(self):
        self._login(self.portal_key_user_c1)
        before = self._counts()
        response = self._post(
            self._form_data(
                title="Problem",
                description="",
                expected_result="",
                guide_id="",
                reproduced_in_staging=None,
                not_reproduced_reason="",
            )
        )
        self.assertEqual(response.status_code, 200)
        errors = self._errors(response)
        self.assertEqual(len(errors), 5, errors)
        for expected in (
            "does not say what happens",
            "what the user was doing",
            "what result was expected",
            "which process guide was consulted",
            "Reproduce the problem in the staging instance",
        ):
            self.assertTrue(any(expected in error for error in errors), expected)
        doc = html.fromstring(response.text)
        self.assertEqual(doc.xpath("//input[@name='title']/@value"), ["Problem"])
        self.assertEqual(
            doc.xpath("string(//textarea[@name='actual_result'])"),
            "Vendors without a bank account are skipped.",
        )
        self.assertEqual(
            doc.xpath("//select[@name='area_id']//option[@selected]/@value"),
            [str(self.area_finance.id)],
        )
        self.assertTrue(doc.xpath("//*[hasclass('o_erp_request_files_lost')]"))
        # the boxes are kept as they were sent
        self.assertEqual(doc.xpath("//input[@type='checkbox'][@checked]/@name"), [])
        self.assertEqual(self._counts(), before)

    def test_an_accepted_request_is_escalated_and_shows_its_page(self):
        self._login(self.portal_key_user_c1)
        response = self._post(self._form_data())
        self.assertEqual(response.status_code, 303, response.text[:1000])
        incident = self.env["erp.incident"].search(
            [("title", "=", "Payment run skips vendors without a bank account")]
        )
        self.assertEqual(len(incident), 1)
        self.assertTrue(
            response.headers["Location"].endswith(
                f"/my/incidents/{incident.id}?success=request"
            )
        )
        self.assertEqual(incident.state, "escalated")
        self.assertTrue(incident.sla_deadline)
        self.assertEqual(incident.partner_id, self.customer_c1)
        self.assertEqual(incident.reporter_id, self.portal_key_user_c1)
        self.assertLessEqual(
            (self.agent_a | self.agent_2_a | self.portal_key_user_c1).partner_id,
            incident.message_partner_ids,
        )
        page = self.url_open(response.headers["Location"])
        doc = html.fromstring(page.text)
        self.assertTrue(doc.xpath("//*[hasclass('o_erp_portal_request_sent')]"))
        link = doc.xpath("//*[hasclass('o_erp_incident_files')]//a/@href")
        attachment = self.env["ir.attachment"].search(
            [("res_model", "=", "erp.incident"), ("res_id", "=", incident.id)]
        )
        self.assertEqual(link, [f"/my/incidents/{incident.id}/files/{attachment.id}"])

        # the supplier's team reads the comments on the platform
        self.assertTrue(
            doc.xpath("//*[hasclass('o_erp_incident_comment_audience_hosted')]")
        )
        self.assertNotIn("the supplier does not see", page.text)
        # the customer's consultation user reads the request and its file
        self._login(self.portal_c1)
        page = self.url_open(incident.access_url)
        self.assertIn("payment_run.png", page.text)
        file = self.url_open(link[0])
        self.assertEqual(file.status_code, 200)
        self.assertEqual(file.content, PNG)
        # the other customer never
        self._login(self.portal_c2)
        self.assertEqual(self.url_open(incident.access_url).status_code, 404)
        self.assertEqual(self.url_open(link[0]).status_code, 404)
        self.assertIn(
            self.url_open(f"/web/content/{attachment.id}").status_code, (403, 404)
        )

    def test_another_customers_ids_posted_by_hand_are_refused_unnamed(self):
        self._login(self.portal_key_user_c1)
        before = self._counts()
        for field, value in (
            ("instance_id", self.production_c2.id),
            ("guide_id", self.guide_c2.id),
            ("question_id", self.incident_c2.id),
        ):
            with self.subTest(field):
                response = self._post(self._form_data(**{field: str(value)}))
                self.assertEqual(response.status_code, 200)
                self.assertTrue(self._errors(response))
                self.assertNotIn("Customer 2", response.text)
                self.assertNotIn(self.guide_c2.name, response.text)
        # an area the user does not hold
        response = self._post(self._form_data(area_id=str(self.area_warehouse.id)))
        self.assertIn("not a key user of Warehouse", " ".join(self._errors(response)))
        self.assertEqual(self._counts(), before)

    def test_the_form_needs_its_csrf_token(self):
        self._login(self.portal_key_user_c1)
        before = self._counts()
        with mute_logger("odoo.http"):
            response = self._post(self._form_data(csrf_token="forged"))
        self.assertEqual(response.status_code, 400)
        self.assertEqual(self._counts(), before)

    def test_too_many_or_too_large_files_are_refused(self):
        self._login(self.portal_key_user_c1)
        before = self._counts()
        files = [("attachments", (f"shot{n}.png", PNG, "image/png")) for n in range(11)]
        response = self._post(self._form_data(), files=files)
        self.assertEqual(response.status_code, 200)
        self.assertIn("Too many files", " ".join(self._errors(response)))
        self.assertEqual(self._counts(), before)

    def test_a_question_prefills_the_form_and_is_converted(self):
        question = self.env["erp.incident"].create(
            {
                "title": "Why are some vendors not paid by the payment run?",
                "description": "Nils ran the payment run on Friday.",
                "instance_id": self.production_c1.id,
                "area_id": self.area_finance.id,
                "reporter_id": self.portal_c1.id,
            }
        )
        self._login(self.portal_key_user_c1)
        _response, doc = self._get_form(f"/my/incidents/new?question_id={question.id}")
        self.assertEqual(
            doc.xpath("//input[@name='question_id']/@value"), [str(question.id)]
        )
        self.assertEqual(doc.xpath("//input[@name='title']/@value"), [question.title])
        self.assertEqual(
            doc.xpath("string(//textarea[@name='description'])"), question.description
        )
        # another customer's question prefills nothing
        _response, doc = self._get_form(
            f"/my/incidents/new?question_id={self.incident_c2.id}"
        )
        self.assertFalse(doc.xpath("//input[@name='question_id']"))
        self.assertNotIn(self.incident_c2.title, _response.text)

        before = self._counts()[0]
        response = self._post(self._form_data(question_id=str(question.id)))
        self.assertEqual(response.status_code, 303, response.text[:1000])
        self.assertEqual(self._counts()[0], before)
        self.assertEqual(question.kind, "incident")
        self.assertEqual(question.state, "escalated")

    def test_the_form_and_the_files_are_read_only_pages(self):
        """Served on a read-only cursor (the replica), they never write."""
        self._login(self.portal_key_user_c1)
        response = self._post(self._form_data())
        incident_url = response.headers["Location"]
        incident = self.env["erp.incident"].search([], limit=1)
        attachment = self.env["ir.attachment"].search(
            [("res_model", "=", "erp.incident"), ("res_id", "=", incident.id)]
        )
        retries = []

        class RetryHandler(logging.Handler):
            def emit(self, record):
                if "retrying with a read/write cursor" in record.getMessage():
                    retries.append(record.getMessage())

        handler = RetryHandler(level=logging.WARNING)
        http_logger = logging.getLogger("odoo.http")
        http_logger.addHandler(handler)
        try:
            for url in (
                "/my/incidents/new",
                f"/my/incidents/new?question_id={incident.id}",
                incident_url,
                f"/my/incidents/{incident.id}/files/{attachment.id}",
            ):
                self.assertEqual(self.url_open(url).status_code, 200, url)
        finally:
            http_logger.removeHandler(handler)
        self.assertEqual(retries, [])


@tagged("post_install", "-at_install")
class TestPortalRequestFormQueries(PortalRequestCase):
    def _form_queries(self):
        self._get_form()  # warm the caches
        self.env.flush_all()
        start = self.cr.sql_log_count
        response, _doc = self._get_form()
        return self.cr.sql_log_count - start, response

    def test_the_form_page_has_a_fixed_number_of_queries(self):
        self._login(self.portal_key_user_c1)
        small, _response = self._form_queries()
        guides = self.env["erp.process.guide"].create(
            [
                {
                    "name": f"Customer 1 manual {n}",
                    "company_id": self.company_a.id,
                    "partner_id": self.customer_c1.id,
                    "area_id": (self.area_finance, self.area_sales)[n % 2].id,
                    "step_ids": [Command.create({"name": "Open it"})],
                }
                for n in range(20)
            ]
        )
        guides.action_publish()
        self.env["erp.incident"].create(
            [
                {
                    "title": f"Customer 1 request number {n}",
                    "instance_id": self.production_c1.id,
                    "area_id": self.area_finance.id,
                    "kind": "incident",
                }
                for n in range(30)
            ]
        )
        large, response = self._form_queries()
        self.assertEqual(len(re.findall(r"Customer 1 manual \d+", response.text)), 20)
        self.assertEqual(small, large, "the form's queries grow with the records")
        self.assertLessEqual(large, REQUEST_FORM_BUDGET)


@tagged("post_install", "-at_install")
class TestPortalRequestTour(PortalRequestCase):
    """Browser tours (static/tests/tours/support_request_tour.js): customer 1's
    portal key user sends a request (refused once, then sent), an agent
    answers it in the backend chatter, the portal page shows the answer."""

    def test_request_sent_answered_and_read_on_the_portal(self):
        self.start_tour(
            "/my/incidents",
            "erp_key_user_support_request_tour",
            login=self.portal_key_user_c1.login,
        )
        incident = self.env["erp.incident"].search(
            [("title", "=", "Payment run skips vendors without a bank account")]
        )
        self.assertEqual(len(incident), 1)
        self.assertEqual(incident.state, "escalated")
        self.assertEqual(incident.guide_id, self.guide_c1)
        self.assertTrue(incident.reproduced_in_staging)
        self.assertEqual(incident.reporter_id, self.portal_key_user_c1)

        self.start_tour(
            f"/odoo/erp.incident/{incident.id}",
            "erp_key_user_support_request_agent_tour",
            login=self.agent_a.login,
        )
        reply = incident.message_ids.filtered(
            lambda m: "Add a bank account to the vendor" in (m.body or "")
        )
        self.assertEqual(reply.author_id, self.agent_a.partner_id)
        self.assertEqual(reply.subtype_id, self.env.ref("mail.mt_comment"))

        self.start_tour(
            incident.access_url,
            "erp_key_user_support_request_reply_tour",
            login=self.portal_key_user_c1.login,
        )
