# Copyright 2026 erp_key_user contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Questions to the key user on the supplier's portal (DESIGN §14), through
real HTTP requests of real portal logins: a customer's consultation user asks,
the customer's key user of the area answers or turns it into a request, and
confirms resolved requests; nobody comments on a request that is over."""

import re

from odoo.tests import HttpCase, tagged
from odoo.tools import mute_logger

from .common import ErpPlatformCase


class ErpPortalQuestionCase(ErpPlatformCase, HttpCase):
    def _get(self, url, **kwargs):
        self.env.flush_all()
        response = self.url_open(url, **kwargs)
        self.env.invalidate_all()
        return response

    def _page(self, url, login):
        self.authenticate(login, login)
        response = self._get(url)
        self.assertEqual(response.status_code, 200, url)
        return response.text

    def _csrf_token(self, html):
        return re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)

    def _comment(self, incident, body):
        """Post ``body`` through the portal chatter's route; the JSON-RPC
        answer (``result`` or ``error``)."""
        self.env.flush_all()
        response = self.opener.post(
            f"{self.base_url()}/mail/message/post",
            json={
                "id": 0,
                "jsonrpc": "2.0",
                "method": "call",
                "params": {
                    "thread_model": "erp.incident",
                    "thread_id": incident.id,
                    "post_data": {
                        "body": body,
                        "message_type": "comment",
                        "subtype_xmlid": "mail.mt_comment",
                    },
                },
            },
        )
        self.env.invalidate_all()
        self.assertEqual(response.status_code, 200)
        return response.json()

    def _ask(self, login="portal_c1", **values):
        form = {
            "instance_id": self.production_c1.id,
            "area_id": self.area_finance.id,
            "title": "How do I leave one bill out of the payment run?",
            "description": "The bill of Acme waits for a credit note.",
        }
        form.update(values)
        html = self._page("/my/questions/new", login)
        return self._get(
            "/my/questions/submit",
            data=dict(form, csrf_token=self._csrf_token(html)),
            allow_redirects=False,
        )

    def _new_question(self, user=None):
        return (
            self.env["erp.incident"]
            .with_user(user or self.portal_c1)
            .create(
                {
                    "kind": "question",
                    "title": "Why is the IBAN of the vendor greyed out?",
                    "instance_id": self.production_c1.id,
                    "area_id": self.area_finance.id,
                    "description": "On the vendor form, bank tab.",
                }
            )
            .sudo()
        )

    def _mails_to(self, partner, since_id=0):
        return (
            self.env["mail.mail"]
            .sudo()
            .search([("id", ">", since_id), ("recipient_ids", "in", partner.ids)])
        )

    def _last_mail_id(self):
        return self.env["mail.mail"].sudo().search([], order="id desc", limit=1).id


@tagged("post_install", "-at_install")
class TestPortalQuestionForm(ErpPortalQuestionCase):
    def test_consultation_users_follow_every_request_of_their_customer(self):
        # incident_c1 was reported by somebody else (the supplier set it up)
        self.assertNotEqual(self.incident_c1.reporter_id, self.portal_c1)
        html = self._page("/my/incidents", "portal_c1")
        self.assertIn(self.incident_c1.title, html)
        self.assertNotIn(self.incident_c2.title, html)
        html = self._page(f"/my/incidents/{self.incident_c1.id}", "portal_c1")
        self.assertIn(self.incident_c1.title, html)
        self.assertIn('data-allow_composer="1"', html)
        self.assertEqual(
            self._get(f"/my/incidents/{self.incident_c2.id}").status_code, 404
        )

    def test_the_form_offers_the_customers_instances_and_covered_areas(self):
        html = self._page("/my/incidents", "portal_c1")
        self.assertIn('href="/my/questions/new"', html)
        html = self._page("/my/questions/new", "portal_c1")
        self.assertIn("Customer 1 production", html)
        self.assertIn("Customer 1 staging", html)
        self.assertNotIn("Customer 2", html)
        self.assertNotIn("Production A", html)
        # production first, selected
        self.assertLess(
            html.index("Customer 1 production"), html.index("Customer 1 staging")
        )
        self.assertRegex(
            html, rf'<option value="{self.production_c1.id}" selected="selected"'
        )
        # Finance has a key user on Customer 1's production; Sales has none
        areas = re.search(r'name="area_id".*?</select>', html, re.S).group(0)
        self.assertIn(">Finance<", areas.replace("\n", "").replace(" ", ""))
        self.assertNotIn("Sales", areas)

    def test_only_portal_consultation_users_ask_here(self):
        for login in ("key_user_a", "agent_a", "portal_no_role_a"):
            with self.subTest(login=login):
                self.authenticate(login, login)
                response = self._get("/my/questions/new")
                self.assertEqual(response.status_code, 403)

    def test_a_refused_form_lists_every_problem_keeps_the_values_saves_nothing(self):
        Incident = self.env["erp.incident"].sudo()
        before = Incident.search_count([])
        response = self._ask(
            area_id="", title="   ", description="", guide_id="", instance_id=""
        )
        self.assertEqual(response.status_code, 200)
        errors = re.search(r"o_erp_question_errors.*?</ul>", response.text, re.S).group(
            0
        )
        self.assertEqual(errors.count("<li"), 4, errors)
        for sentence in (
            "Choose the ERP instance",
            "Choose the area",
            "short title",
            "Write your question",
        ):
            self.assertIn(sentence, errors)
        # what was typed comes back
        response = self._ask(area_id="", description="The bill <b>waits</b>")
        self.assertIn(
            'value="How do I leave one bill out of the payment run?"', response.text
        )
        self.assertIn("The bill &lt;b&gt;waits&lt;/b&gt;", response.text)
        self.assertEqual(Incident.search_count([]), before)

    def test_another_customers_records_are_refused_without_their_names(self):
        Incident = self.env["erp.incident"].sudo()
        before = Incident.search_count([])
        for values, sentence in (
            ({"instance_id": self.production_c2.id}, "Choose the ERP instance"),
            ({"instance_id": self.production_a.id}, "Choose the ERP instance"),
            ({"instance_id": "not a number"}, "Choose the ERP instance"),
            ({"guide_id": self.guide_c2.id}, "Choose a guide from the list"),
            ({"area_id": self.area_sales.id}, "Nobody answers questions about Sales"),
        ):
            with self.subTest(values=values):
                response = self._ask(**values)
                self.assertEqual(response.status_code, 200)
                self.assertIn(sentence, response.text)
                for name in ("Customer 2", "Production A"):
                    self.assertNotIn(name, response.text)
        self.assertEqual(Incident.search_count([]), before)

    def test_the_question_reaches_the_customers_key_user_of_the_area(self):
        last_mail = self._last_mail_id()
        response = self._ask(guide_id=self.guide_c1.id)
        self.assertEqual(response.status_code, 303)
        question = (
            self.env["erp.incident"]
            .sudo()
            .search([("title", "=", "How do I leave one bill out of the payment run?")])
        )
        self.assertTrue(
            response.headers["Location"].endswith(
                f"/my/incidents/{question.id}?success=question"
            )
        )
        self.assertEqual(question.kind, "question")
        self.assertEqual(question.state, "new")
        self.assertEqual(question.reporter_id, self.portal_c1)
        self.assertEqual(question.partner_id, self.customer_c1)
        self.assertEqual(question.guide_id, self.guide_c1)
        self.assertEqual(question.key_user_id, self.portal_key_user_c1)
        self.assertLessEqual(
            (self.portal_c1 | self.portal_key_user_c1).partner_id,
            question.message_partner_ids,
        )
        self.assertFalse(question.activity_ids, "portal users get no activities")
        mails = self._mails_to(self.portal_key_user_c1.partner_id, last_mail)
        self.assertEqual(len(mails), 1)
        self.assertIn("A question for you", mails.subject)
        self.assertIn(f"/my/incidents/{question.id}", mails.body_html)
        # never the other customer
        self.assertFalse(self._mails_to(self.portal_key_user_c2.partner_id, last_mail))
        self.assertFalse(
            self.env["erp.incident"]
            .with_user(self.portal_key_user_c2)
            .search([("id", "=", question.id)])
        )
        html = self._get(response.headers["Location"]).text
        self.assertIn("Your question was sent to your key user", html)

    def test_a_guide_page_opens_the_form_with_the_guide(self):
        html = self._page(f"/my/guides/{self.guide_c1.id}", "portal_c1")
        self.assertIn(f'href="/my/questions/new?guide_id={self.guide_c1.id}"', html)
        html = self._page(f"/my/questions/new?guide_id={self.guide_c1.id}", "portal_c1")
        self.assertRegex(html, rf'<option value="{self.guide_c1.id}" selected')
        self.assertRegex(html, rf'<option value="{self.area_finance.id}" selected')
        # another customer's guide is not offered, not even by its id
        html = self._page(f"/my/questions/new?guide_id={self.guide_c2.id}", "portal_c1")
        self.assertNotIn("Customer 2", html)


@tagged("post_install", "-at_install")
class TestPortalQuestionAnswer(ErpPortalQuestionCase):
    def test_the_key_user_sees_the_questions_to_them(self):
        question = self._new_question()
        html = self._page(
            "/my/incidents?filterby=questions_to_me", "portal_key_user_c1"
        )
        self.assertIn(question.title, html)
        self.assertNotIn(self.incident_c1.title, html)
        # consultation users have no such filter, but the questions one
        html = self._page("/my/incidents?filterby=questions", "portal_c1")
        self.assertNotIn("Questions to me", html)
        self.assertIn(question.title, html)
        self.assertNotIn(self.incident_c1.title, html)

    def test_the_key_user_answers_and_closes_on_the_portal(self):
        question = self._new_question()
        url = f"/my/incidents/{question.id}"
        # a reply in the chatter is the key user's first response (KPIs)
        self.authenticate("portal_key_user_c1", "portal_key_user_c1")
        self.assertIn("result", self._comment(question, "Looking into it"))
        self.assertTrue(question.first_response_on)
        self.assertEqual(question.state, "new")
        html = self._page(url, "portal_key_user_c1")
        self.assertIn("Answer and close", html)
        self.assertIn(f'href="/my/incidents/new?question_id={question.id}"', html)
        csrf = self._csrf_token(html)
        # an empty answer is refused: nothing changes
        response = self._get(f"{url}/answer", data={"csrf_token": csrf, "answer": "  "})
        self.assertEqual(response.status_code, 409)
        self.assertIn("Write your answer first", response.text)
        self.assertEqual(question.state, "new")
        last_mail = self._last_mail_id()
        response = self._get(
            f"{url}/answer",
            data={
                "csrf_token": csrf,
                "answer": "Put the bill <on hold> in its Payment tab.",
            },
            allow_redirects=False,
        )
        self.assertEqual(response.status_code, 303)
        self.assertEqual(question.state, "resolved")
        self.assertEqual(question.resolution_level, "key_user")
        self.assertIn("Put the bill &lt;on hold&gt;", question.resolution)
        # the person who asked hears the answer by e-mail
        mails = self._mails_to(self.portal_c1.partner_id, last_mail)
        self.assertTrue(mails)
        self.assertIn("Put the bill &lt;on hold&gt;", mails[-1].body_html)
        self.assertIn("was answered by", mails[-1].body_html)
        self.assertFalse(self._mails_to(self.portal_c2.partner_id, last_mail))
        html = self._get(response.headers["Location"]).text
        self.assertIn("the question is answered", html)
        self.assertNotIn("Answer and close", html)

    @mute_logger("odoo.http")
    def test_only_the_key_user_of_the_area_answers(self):
        question = self._new_question()
        url = f"/my/incidents/{question.id}"
        html = self._page(url, "portal_c1")
        self.assertNotIn("Answer and close", html)
        self.assertNotIn("question_id=", html)
        html = self._get("/my/questions/new").text  # a page with a CSRF token
        response = self._get(
            f"{url}/answer",
            data={"csrf_token": self._csrf_token(html), "answer": "Just do it"},
        )
        self.assertEqual(response.status_code, 409)
        self.assertIn("Only the key user of its area", response.text)
        # the other customer's key user does not even find it
        html = self._page("/my/questions/new", "portal_key_user_c2")
        response = self._get(
            f"{url}/answer",
            data={"csrf_token": self._csrf_token(html), "answer": "Just do it"},
        )
        self.assertEqual(response.status_code, 404)
        self.assertEqual(question.state, "new")
        self.assertFalse(question.resolution)

    def test_the_key_user_confirms_a_resolved_request(self):
        request_ = self.incident_c1
        request_.action_start()
        self._escalate(request_)
        as_agent = request_.with_user(self.agent_a)
        as_agent.write({"resolution": "<p>Fixed the bank account import.</p>"})
        as_agent.action_resolve()
        url = f"/my/incidents/{request_.id}"
        # a consultation user says the problem persists, never confirms
        html = self._page(url, "portal_c1")
        self.assertNotIn("Confirm resolved", html)
        html = self._get("/my/questions/new").text  # a page with a CSRF token
        response = self._get(
            f"{url}/confirm", data={"csrf_token": self._csrf_token(html)}
        )
        self.assertEqual(response.status_code, 409)
        self.assertEqual(request_.state, "resolved")
        html = self._page(url, "portal_key_user_c1")
        self.assertIn("Confirm resolved", html)
        response = self._get(
            f"{url}/confirm",
            data={"csrf_token": self._csrf_token(html)},
            allow_redirects=False,
        )
        self.assertEqual(response.status_code, 303)
        self.assertEqual(request_.state, "closed")
        self.assertIn(
            "the request is closed", self._get(response.headers["Location"]).text
        )


@tagged("post_install", "-at_install")
class TestPortalCommentsOnFinishedRequests(ErpPortalQuestionCase):
    def test_open_requests_take_comments_of_every_colleague(self):
        self.authenticate("portal_c1", "portal_c1")
        result = self._comment(self.incident_c1, "It skips Acme too")["result"]
        message = self.env["mail.message"].browse(result["message_id"])
        self.assertEqual(message.author_id, self.portal_c1.partner_id)

    @mute_logger("odoo.http")
    def test_a_closed_or_cancelled_request_takes_no_comment(self):
        closed = self.incident_c1
        closed.write({"resolution": "<p>Done.</p>"})
        closed.action_resolve()
        closed.action_close()
        cancelled = self._new_question(self.portal_c1)
        cancelled.action_cancel()
        for incident in (closed, cancelled):
            with self.subTest(state=incident.state):
                before = incident.message_ids
                html = self._page(f"/my/incidents/{incident.id}", "portal_c1")
                self.assertIn('data-allow_composer="0"', html)
                self.assertIn("it takes no more comments", html)
                for login in ("portal_c1", "portal_key_user_c1"):
                    self.authenticate(login, login)
                    error = self._comment(incident, "Still there?")["error"]
                    self.assertEqual(error["data"]["name"], "odoo.exceptions.UserError")
                    self.assertIn("it takes no more comments", error["data"]["message"])
                self.assertEqual(incident.message_ids, before)
        # the supplier's agents still note what they need
        closed.with_user(self.agent_a).message_post(
            body="Linked to the bank import fix.",
            message_type="comment",
            subtype_xmlid="mail.mt_note",
        )
