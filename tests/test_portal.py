# Copyright 2026 erp_key_user contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The portal of the consultation users, through real HTTP requests made by
real portal logins (``new_test_user`` sets password = login)."""

import re
from datetime import timedelta

from freezegun import freeze_time

from odoo import Command, fields
from odoo.tests import HttpCase, tagged
from odoo.tests.common import JsonRpcException
from odoo.tools import mute_logger
from odoo.tools.misc import format_datetime

from .common import ErpKeyUserCase

# /my/incidents for a portal user, warm caches (10 when written): the user's
# defaults, one count, one search, one read per model the page shows (the
# incidents, their areas and instances, the user, partner and company)
INCIDENT_LIST_QUERY_BUDGET = 12
# /my/incidents/<id>, warm caches (11 when written): the user's defaults, the
# incident's access check and fields, its files, the area and instance names,
# the user, partner and company of the layout
INCIDENT_DETAIL_QUERY_BUDGET = 11


class ErpKeyUserPortalCase(ErpKeyUserCase, HttpCase):
    """ErpKeyUserCase with, in company A, a question, an incident resolved
    after an escalation and a closed one (incident_a stays new)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Incident = cls.env["erp.incident"]
        cls.question_a = Incident.create(
            {
                "kind": "question",
                "title": "How do I merge two duplicated vendors?",
                "instance_id": cls.production_a.id,
                "area_id": cls.area_sales.id,
                "description": "I was creating a purchase order for Acme.",
            }
        )
        cls.resolved_a = Incident.create(
            {
                "kind": "incident",
                "title": "Stock valuation entry is not posted",
                "instance_id": cls.production_a.id,
                "area_id": cls.area_warehouse.id,
                "description": "I was validating a receipt of 10 chairs.",
                "expected_result": "A journal entry for the valuation.",
                "actual_result": "No journal entry at all.",
                "error_message": "ValueError: missing stock input account",
                # the portal user asked: they may say the problem persists
                "reporter_id": cls.portal_a.id,
            }
        )
        now = fields.Datetime.now()
        cls.resolved_a.write(
            {
                "state": "in_progress",
                "resolution": "<p>Set the stock input account on the category.</p>",
            }
        )
        with freeze_time(now - timedelta(days=3)):
            cls._escalate(cls.resolved_a)
        cls.resolved_a.write({"supplier_reference": "SUP-4242"})
        cls.resolved_a.action_resolve()
        cls.closed_a = Incident.create(
            {
                "kind": "incident",
                "title": "Credit note layout misses the reference",
                "instance_id": cls.production_a.id,
                "area_id": cls.area_finance.id,
            }
        )
        cls.closed_a.write({"resolution": "<p>Template fixed.</p>"})
        cls.closed_a.action_resolve()
        cls.closed_a.action_close()


@tagged("post_install", "-at_install")
class TestPortal(ErpKeyUserPortalCase):
    # ------------------------------------------------------------------
    # helpers
    # ------------------------------------------------------------------

    def _get(self, url, **kwargs):
        self.env.flush_all()
        response = self.url_open(url, **kwargs)
        self.env.invalidate_all()
        return response

    def _page(self, url, login="portal_a"):
        self.authenticate(login, login)
        response = self._get(url)
        self.assertEqual(response.status_code, 200, url)
        return response.text

    def _rows(self, html, css_class="o_erp_portal_incident_row"):
        return html.count(css_class)

    def _csrf_token(self, html):
        return re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)

    def _assert_not_found(self, url):
        response = self._get(url, allow_redirects=False)
        self.assertEqual(response.status_code, 404, url)
        return response

    def _jsonrpc(self, route, params):
        self.env.flush_all()
        result = self.make_jsonrpc_request(route, params)
        self.env.invalidate_all()
        return result

    # ------------------------------------------------------------------
    # /my
    # ------------------------------------------------------------------

    def test_home_counters_for_consultation_portal_user(self):
        html = self._page("/my")
        self.assertIn('href="/my/incidents"', html)
        self.assertIn('href="/my/guides"', html)
        self.assertIn('data-placeholder_count="erp_incident_count"', html)
        self.assertIn('data-placeholder_count="erp_guide_count"', html)
        counters = self._jsonrpc(
            "/my/counters", {"counters": ["erp_incident_count", "erp_guide_count"]}
        )
        # incident_a, question, resolved, closed; the published portal guide
        self.assertEqual(counters, {"erp_incident_count": 4, "erp_guide_count": 1})

    def test_home_shows_nothing_to_portal_user_without_the_group(self):
        html = self._page("/my", login="portal_no_role_a")
        self.assertNotIn("/my/incidents", html)
        self.assertNotIn("/my/guides", html)
        self.assertNotIn("erp_incident_count", html)
        counters = self._jsonrpc(
            "/my/counters", {"counters": ["erp_incident_count", "erp_guide_count"]}
        )
        self.assertEqual(counters, {"erp_incident_count": 0, "erp_guide_count": 0})
        for url in ("/my/incidents", "/my/guides"):
            response = self._get(url, allow_redirects=False)
            self.assertEqual(response.status_code, 303)
            self.assertTrue(response.headers["Location"].endswith("/my"))
        self._assert_not_found(f"/my/incidents/{self.incident_a.id}")
        self._assert_not_found(f"/my/guides/{self.guide_published_a.id}")

    # ------------------------------------------------------------------
    # /my/incidents
    # ------------------------------------------------------------------

    def test_list_shows_the_incidents_of_the_company_only(self):
        html = self._page("/my/incidents")
        self.assertEqual(self._rows(html), 4)
        for incident in self.incident_a | self.question_a | self.resolved_a:
            self.assertIn(incident.name, html)
            self.assertIn(f'href="/my/incidents/{incident.id}"', html)
        self.assertNotIn(self.incident_b.title, html)
        self.assertNotIn(f"/my/incidents/{self.incident_b.id}", html)
        # portal look: breadcrumbs, searchbar, table
        self.assertIn("o_portal_submenu breadcrumb", html)
        self.assertIn('id="portal_searchbar_filters"', html)
        self.assertIn("o_portal_my_doc_table", html)

    def test_list_filters_in_progress_and_history(self):
        html = self._page("/my/incidents?filterby=in_progress")
        self.assertEqual(self._rows(html), 2)
        self.assertIn(self.incident_a.name, html)
        self.assertIn(self.question_a.name, html)
        self.assertNotIn(self.resolved_a.name, html)

        html = self._page("/my/incidents?filterby=history")
        self.assertEqual(self._rows(html), 2)
        self.assertIn(self.resolved_a.name, html)
        self.assertIn(self.closed_a.name, html)
        self.assertNotIn(self.incident_a.name, html)

        # an unknown filter falls back to all
        self.assertEqual(self._rows(self._page("/my/incidents?filterby=nope")), 4)

    def test_list_search_by_reference_title_and_area(self):
        cases = [
            (f"search_in=name&search={self.resolved_a.name}", self.resolved_a),
            ("search_in=title&search=duplicated vendors", self.question_a),
            ("search_in=area&search=Warehouse", self.resolved_a),
            ("search_in=all&search=credit note", self.closed_a),
            (f"search={self.question_a.name}", self.question_a),
        ]
        for query, expected in cases:
            with self.subTest(query=query):
                html = self._page(f"/my/incidents?{query}")
                self.assertEqual(self._rows(html), 1)
                self.assertIn(expected.name, html)
        html = self._page("/my/incidents?search=Invoice validation fails")
        self.assertEqual(self._rows(html), 1, "company B's twin is not found")
        html = self._page("/my/incidents?search=nothing like this")
        self.assertEqual(self._rows(html), 0)
        self.assertIn("No incident matches your search.", html)

    def test_list_sort(self):
        html = self._page("/my/incidents?sortby=title")
        titles = sorted(
            (
                self.incident_a | self.question_a | self.resolved_a | self.closed_a
            ).mapped("title")
        )
        positions = [html.index(title) for title in titles]
        self.assertEqual(positions, sorted(positions))

        html = self._page("/my/incidents?sortby=date")
        newest_first = [
            self.closed_a,
            self.resolved_a,
            self.question_a,
            self.incident_a,
        ]
        positions = [html.index(incident.name) for incident in newest_first]
        self.assertEqual(positions, sorted(positions))

    def test_list_pager(self):
        self.env["erp.incident"].create(
            [
                {
                    "title": f"Pager incident number {i:03d}",
                    "instance_id": self.production_a.id,
                    "area_id": self.area_sales.id,
                }
                for i in range(80)
            ]
        )
        html = self._page("/my/incidents?filterby=in_progress&sortby=title")
        self.assertEqual(self._rows(html), 80)
        self.assertIn("o_portal_pager", html)
        self.assertIn(
            "/my/incidents/page/2?sortby=title&amp;filterby=in_progress", html
        )
        html = self._page("/my/incidents/page/2?filterby=in_progress&sortby=title")
        self.assertEqual(self._rows(html), 2)
        self.assertIn("Pager incident number 079", html)

    def test_list_query_count_does_not_depend_on_the_number_of_incidents(self):
        # company B starts with one incident: make it 5, then 60
        counts = {}
        for total in (5, 60):
            missing = total - self.env["erp.incident"].search_count(
                [("company_id", "=", self.company_b.id)]
            )
            self._create_volume(missing)
            self.authenticate("portal_b", "portal_b")
            self._get("/my/incidents")  # warm the caches
            self.env.flush_all()
            start = self.cr.sql_log_count
            response = self.url_open("/my/incidents")
            counts[total] = self.cr.sql_log_count - start
            self.assertEqual(self._rows(response.text), total)
        self.assertEqual(counts[5], counts[60], counts)
        self.assertLessEqual(counts[60], INCIDENT_LIST_QUERY_BUDGET, counts)

    def _create_volume(self, number):
        areas = self.area_finance | self.area_sales | self.area_warehouse
        instances = self.production_b | self.staging_b
        incidents = self.env["erp.incident"].create(
            [
                {
                    "kind": ("question", "incident")[i % 2],
                    "title": f"Volume incident {i}",
                    "instance_id": instances[i % 2].id,
                    "area_id": areas[i % 3].id,
                }
                for i in range(number)
            ]
        )
        incidents[::3].write({"state": "escalated", "sla_breached": True})
        incidents[1::3].write({"state": "resolved"})

    # ------------------------------------------------------------------
    # /my/incidents/<id>
    # ------------------------------------------------------------------

    def test_detail_page(self):
        html = self._page(f"/my/incidents/{self.resolved_a.id}")
        for text in (
            self.resolved_a.name,
            "Stock valuation entry is not posted",
            'data-state="resolved"',  # status
            "Resolved",
            "Warehouse",  # area
            "Production A",  # instance
            "SUP-4242",
            "I was validating a receipt of 10 chairs.",
            "A journal entry for the valuation.",
            "No journal entry at all.",
            "ValueError: missing stock input account",
            "Set the stock input account on the category.",
            "Escalated to the supplier:",
            "Answer due by:",
            "o_erp_incident_sla",
            "o_portal_chatter",  # the portal chatter
            f'data-res_id="{self.resolved_a.id}"',
            'href="/my/incidents"',  # breadcrumb
            "o_erp_portal_persists",  # the problem persists
        ):
            self.assertIn(text, html)
        self.assertRegex(html, r'o_erp_incident_sla">\s*Met')
        # the chatter loads without a token: access comes from the rules
        self.assertNotIn("data-token=", html)
        # the page shows no message written in its URL
        html = self._page(f"/my/incidents/{self.resolved_a.id}?error=Call+0800+now")
        self.assertNotIn("0800", html)
        self.assertNotIn("alert-danger", html)

        html = self._page(f"/my/incidents/{self.incident_a.id}")
        self.assertIn(self.incident_a.title, html)
        self.assertRegex(html, r'o_erp_incident_sla">\s*Not escalated')
        self.assertNotIn("o_erp_portal_persists", html)

    def test_detail_page_prints_values_as_the_user_reads_them(self):
        # the values are prepared by the controller, not by t-field: the
        # dates must still be the user's format and time zone, and a text's
        # line breaks must survive
        self.portal_a.tz = "Asia/Tokyo"
        self.resolved_a.description = "First line.\nSecond line."
        html = self._page(f"/my/incidents/{self.resolved_a.id}")
        reported = format_datetime(
            self.env, self.resolved_a.create_date, tz="Asia/Tokyo"
        )
        self.assertIn(f"<strong>Reported:</strong> <span>{reported}</span>", html)
        self.assertIn("First line.\nSecond line.", html)
        self.assertIn('style="white-space: pre-wrap;"', html)

    def test_detail_query_count_does_not_depend_on_the_incident(self):
        # a bare new incident and a resolved one with every date and text
        counts = {}
        self.authenticate("portal_a", "portal_a")
        for incident in (self.incident_a, self.resolved_a):
            url = f"/my/incidents/{incident.id}"
            self._get(url)  # warm the caches
            self.env.flush_all()
            start = self.cr.sql_log_count
            response = self.url_open(url)
            counts[incident.name] = self.cr.sql_log_count - start
            self.assertIn(incident.title, response.text)
        self.assertEqual(len(set(counts.values())), 1, counts)
        self.assertLessEqual(max(counts.values()), INCIDENT_DETAIL_QUERY_BUDGET, counts)

    def test_sla_status_follows_the_breach_flag(self):
        now = fields.Datetime.now()
        incident = self.incident_a
        incident.write(
            {
                "state": "escalated",
                "escalated_on": now - timedelta(days=3),
                "sla_deadline": now + timedelta(days=1),
            }
        )
        sla = r'o_erp_incident_sla">\s*'
        url = f"/my/incidents/{incident.id}"
        self.assertRegex(self._page(url), sla + "On time")
        incident.sla_deadline = now + timedelta(hours=2)
        self.assertRegex(self._page(url), sla + "Due soon")
        incident.sla_deadline = now - timedelta(hours=2)  # the cron has not run yet
        self.assertRegex(self._page(url), sla + "Breached")
        incident.write({"state": "resolved", "resolution": "<p>Patched</p>"})
        # answered (left "escalated") before the cron saw a breach: met
        self.assertRegex(self._page(url), sla + "Met")
        incident.sla_breached = True
        self.assertRegex(self._page(url), sla + "Breached")

    def test_detail_record_pager_follows_the_list(self):
        self._page("/my/incidents?sortby=date")
        html = self._get(f"/my/incidents/{self.resolved_a.id}").text
        self.assertIn(f'href="/my/incidents/{self.closed_a.id}"', html)
        self.assertIn(f'href="/my/incidents/{self.question_a.id}"', html)
        self.assertNotIn("access_token", html)
        self.assertFalse(self.resolved_a.access_token, "no token was created")

    def test_internal_notes_never_reach_the_portal(self):
        incident = self.incident_a
        incident.message_post(
            body="Public answer for everybody",
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
        )
        incident.message_post(
            body="Internal note about the supplier contract",
            message_type="comment",
            subtype_xmlid="mail.mt_note",
        )
        incident.message_post(
            body="Comment flagged employee only",
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
            is_internal=True,
        )
        secrets = ("supplier contract", "employee only")
        html = self._page(f"/my/incidents/{incident.id}")
        for secret in secrets:
            self.assertNotIn(secret, html)

        # what the portal chatter loads (portal/controllers/portal_thread.py)
        init = self._jsonrpc(
            "/portal/chatter_init",
            {"thread_model": "erp.incident", "thread_id": incident.id},
        )
        fetched = self._jsonrpc(
            "/mail/chatter_fetch",
            {"thread_model": "erp.incident", "thread_id": incident.id},
        )
        # and what the backend chatter route answers the same user
        backend = self._jsonrpc(
            "/mail/thread/messages",
            {"thread_model": "erp.incident", "thread_id": incident.id},
        )
        for payload in (init, fetched, backend):
            for secret in secrets:
                self.assertNotIn(secret, str(payload))
        self.assertIn("Public answer for everybody", str(fetched))
        self.assertIn("Public answer for everybody", str(backend))

    def test_portal_user_comments_in_the_chatter(self):
        self.authenticate("portal_a", "portal_a")
        result = self._jsonrpc(
            "/mail/message/post",
            {
                "thread_model": "erp.incident",
                "thread_id": self.incident_a.id,
                "post_data": {
                    "body": "Still blocked on my side since this morning",
                    "message_type": "comment",
                    "subtype_xmlid": "mail.mt_comment",
                },
            },
        )
        message = self.env["mail.message"].browse(result["message_id"])
        self.assertEqual(message.author_id, self.portal_a.partner_id)
        self.assertEqual(message.model, "erp.incident")
        self.assertEqual(message.res_id, self.incident_a.id)
        self.assertFalse(message.is_internal)
        fetched = self._jsonrpc(
            "/mail/chatter_fetch",
            {"thread_model": "erp.incident", "thread_id": self.incident_a.id},
        )
        self.assertIn(message.id, fetched["messages"])

    @mute_logger("odoo.http")
    def test_comment_on_another_company_incident_is_refused(self):
        self.authenticate("portal_a", "portal_a")
        before = self.incident_b.message_ids
        for thread_id in (self.incident_b.id, 999999999):
            with self.assertRaises(JsonRpcException):
                self._jsonrpc(
                    "/mail/message/post",
                    {
                        "thread_model": "erp.incident",
                        "thread_id": thread_id,
                        "post_data": {"body": "Sneaky", "message_type": "comment"},
                    },
                )
        self.assertEqual(self.incident_b.message_ids, before)
        with self.assertRaises(JsonRpcException):
            self._jsonrpc(
                "/mail/chatter_fetch",
                {
                    "thread_model": "erp.incident",
                    "thread_id": self.incident_b.id,
                    "token": "not-the-token",
                },
            )

    # ------------------------------------------------------------------
    # 404 and login
    # ------------------------------------------------------------------

    def test_other_company_unknown_id_and_bad_token_answer_404(self):
        self.authenticate("portal_a", "portal_a")
        token_b = self.incident_b._portal_ensure_token()
        for url in (
            f"/my/incidents/{self.incident_b.id}",
            f"/my/incidents/{self.incident_b.id}?access_token=bad-token",
            # a shared link does not cross companies either
            f"/my/incidents/{self.incident_b.id}?access_token={token_b}",
            "/my/incidents/999999999",
            f"/my/guides/{self.guide_published_b.id}",
            f"/my/guides/{self.guide_published_b.id}?access_token=bad-token",
            "/my/guides/999999999",
            f"/my/guides/{self.guide_draft_a.id}",
            f"/my/guides/{self.guide_internal_a.id}",
        ):
            with self.subTest(url=url):
                response = self._assert_not_found(url)
                for detail in (
                    self.incident_b.title,
                    self.incident_b.name,
                    self.guide_published_b.name,
                    "AccessError",
                    "MissingError",
                    "does not exist",
                    "Traceback",
                    "erp.incident",
                ):
                    self.assertNotIn(detail, response.text)
        # a token does not matter for a record the user may read
        html = self._page(f"/my/incidents/{self.incident_a.id}?access_token=bad")
        self.assertIn(self.incident_a.title, html)

    def test_anonymous_visitors_are_sent_to_login(self):
        self.authenticate(None, None)
        for url in (
            "/my/incidents",
            f"/my/incidents/{self.incident_a.id}",
            "/my/guides",
            f"/my/guides/{self.guide_published_a.id}",
        ):
            with self.subTest(url=url):
                response = self._get(url, allow_redirects=False)
                self.assertIn(response.status_code, (302, 303))
                self.assertIn("/web/login", response.headers["Location"])
                response = self._get(url)
                self.assertIn("/web/login", response.url)
                self.assertNotIn(self.incident_a.title, response.text)

    # ------------------------------------------------------------------
    # the problem persists
    # ------------------------------------------------------------------

    def test_problem_persists_from_the_portal(self):
        url = f"/my/incidents/{self.resolved_a.id}"
        csrf = self._csrf_token(self._page(url))
        # what still fails is asked first: nothing changes without it
        response = self._get(f"{url}/persists", data={"csrf_token": csrf})
        self.assertEqual(response.status_code, 409)
        self.assertIn("Say what still fails", response.text)
        self.assertEqual(self.resolved_a.state, "resolved")
        response = self._get(
            f"{url}/persists",
            data={
                "csrf_token": csrf,
                "details": "Receipts of chairs still <b>fail</b>",
            },
            allow_redirects=False,
        )
        self.assertEqual(response.status_code, 303)
        self.assertEqual(self.resolved_a.state, "in_progress")
        message = self.resolved_a.message_ids.filtered(
            lambda m: "The problem persists." in (m.body or "")
        )
        self.assertEqual(message.author_id, self.portal_a.partner_id)
        self.assertEqual(message.subtype_id, self.env.ref("mail.mt_comment"))
        self.assertIn("Receipts of chairs still &lt;b&gt;fail&lt;/b&gt;", message.body)
        activity = self.resolved_a.activity_ids.filtered(
            lambda a: a.summary == "The problem persists"
        )
        self.assertEqual(activity.user_id, self.resolved_a.key_user_id)
        html = self._get(response.headers["Location"]).text
        self.assertIn("the incident is back with its key user", html)

        # not resolved any more: refused with a sentence, nothing changes
        response = self._get(
            f"{url}/persists", data={"csrf_token": csrf, "details": "Still"}
        )
        self.assertEqual(response.status_code, 409)
        self.assertIn("alert-danger", response.text)
        self.assertEqual(self.resolved_a.state, "in_progress")

    def test_problem_persists_is_for_the_person_who_asked(self):
        url = f"/my/incidents/{self.resolved_a.id}"
        csrf = self._csrf_token(self._page(url))
        self.resolved_a.reporter_id = self.consultation_a
        self.env.flush_all()
        self.assertNotIn("o_erp_portal_persists", self._get(url).text)
        response = self._get(
            f"{url}/persists", data={"csrf_token": csrf, "details": "Still failing"}
        )
        self.assertEqual(response.status_code, 409)
        self.assertIn("add a comment instead", response.text)
        self.assertEqual(self.resolved_a.state, "resolved")

    @mute_logger("odoo.http")
    def test_problem_persists_needs_csrf_and_access(self):
        url = f"/my/incidents/{self.resolved_a.id}"
        csrf = self._csrf_token(self._page(url))
        response = self._get(f"{url}/persists", data={"csrf_token": "forged"})
        self.assertEqual(response.status_code, 400)
        response = self._get(f"{url}/persists", method="GET")
        self.assertNotEqual(response.status_code, 200)
        self.assertEqual(self.resolved_a.state, "resolved")

        self.incident_b.write({"resolution": "<p>Done</p>"})
        self.incident_b.action_resolve()
        self.env.flush_all()
        response = self._get(
            f"/my/incidents/{self.incident_b.id}/persists", data={"csrf_token": csrf}
        )
        self.assertEqual(response.status_code, 404)
        self.assertEqual(self.incident_b.state, "resolved")

    # ------------------------------------------------------------------
    # guides
    # ------------------------------------------------------------------

    def test_guides_list_shows_published_portal_guides_of_the_company(self):
        html = self._page("/my/guides")
        self.assertEqual(self._rows(html, "o_erp_portal_guide_row"), 1)
        self.assertIn(self.guide_published_a.name, html)
        for hidden in (
            self.guide_draft_a,
            self.guide_internal_a,
            self.guide_published_b,
        ):
            self.assertNotIn(hidden.name, html)
        html = self._page("/my/guides?search_in=area&search=Finance")
        self.assertEqual(self._rows(html, "o_erp_portal_guide_row"), 1)
        html = self._page("/my/guides?search_in=area&search=Warehouse")
        self.assertEqual(self._rows(html, "o_erp_portal_guide_row"), 0)

    def test_guide_page_numbers_the_steps(self):
        guide = self.guide_published_a
        guide.with_user(self.key_user_a).write(
            {
                "summary": "How we post vendor bills",
                "step_ids": [
                    Command.create(
                        {
                            "sequence": 20,
                            "name": "Check the amounts",
                            "instructions": "<p>Compare with the purchase order.</p>",
                            "expected_result": "Both totals match",
                        }
                    ),
                    Command.create({"sequence": 30, "name": "Post the bill"}),
                ],
            }
        )
        # readers get the changes with the next version
        self.assertNotIn("Check the amounts", self._page(f"/my/guides/{guide.id}"))
        guide.action_publish()
        html = self._page(f"/my/guides/{guide.id}")
        self.assertIn("How we post vendor bills", html)
        self.assertIn("Compare with the purchase order.", html)
        self.assertIn("Both totals match", html)
        self.assertIn('href="/my/guides"', html)
        numbers = re.findall(r'o_erp_process_guide_step_number">Step (\d+)\.<', html)
        self.assertEqual(numbers, ["1", "2", "3"])
        steps = [
            html.index(name)
            for name in ("Open the invoice", "Check the amounts", "Post the bill")
        ]
        self.assertEqual(steps, sorted(steps))
