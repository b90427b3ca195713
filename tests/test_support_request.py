# Copyright 2026 erp_key_user contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""``erp.incident.submit_support_request``: the support request of the
supplier's platform (DESIGN §14), as the customer's portal key user, through
the ORM and through JSON-2 (the connector of the customer's Odoo)."""

import base64
import json

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import HttpCase, tagged
from odoo.tools import mute_logger

from ..models.erp_incident_support_request_mixin import (
    MAX_REQUEST_FILE_SIZE,
    MAX_REQUEST_FILES,
)
from .common import ErpPlatformCase

PNG = base64.b64encode(b"\x89PNG\r\n\x1a\n" + b"screenshot" * 10).decode()


class SupportRequestCase(ErpPlatformCase):
    def _request_values(self, **values):
        """A good request of customer 1's portal key user (Finance, on
        customer 1's production)."""
        answers = {
            "instance_id": self.production_c1.id,
            "area_id": self.area_finance.id,
            "title": "Payment run skips vendors without a bank account",
            "description": "Running the weekly payment run.",
            "expected_result": "Every due vendor bill is paid.",
            "actual_result": "Vendors without a bank account are skipped.",
            "error_message": "",
            "steps_to_reproduce": "1. Open the payment run 2. Confirm",
            "guide_id": self.guide_c1.id,
            "reproduced_in_staging": True,
            "attachments": [
                {"name": "payment_run.png", "datas": PNG, "mimetype": "image/png"}
            ],
        }
        answers.update(values)
        return answers

    def _submit(self, user=None, **values):
        Incident = self.env["erp.incident"].with_user(user or self.portal_key_user_c1)
        return Incident.submit_support_request(self._request_values(**values))

    def _counts(self):
        Incident = self.env["erp.incident"].with_context(active_test=False)
        return (
            Incident.search_count([]),
            self.env["ir.attachment"].search_count(
                [("res_model", "=", "erp.incident")]
            ),
        )


@tagged("post_install", "-at_install")
class TestSupportRequest(SupportRequestCase):
    def test_an_accepted_request_is_escalated_at_once(self):
        result = self._submit()
        incident = self.env["erp.incident"].browse(result["id"])
        self.assertEqual(incident.state, "escalated")
        self.assertEqual(incident.kind, "incident")
        self.assertTrue(incident.escalated_on)
        self.assertEqual(
            incident.sla_deadline, incident._get_sla_deadline(incident.escalated_on)
        )
        self.assertEqual(incident.partner_id, self.customer_c1)
        self.assertEqual(incident.company_id, self.company_a)
        self.assertEqual(incident.reporter_id, self.portal_key_user_c1)
        self.assertEqual(incident.key_user_id, self.portal_key_user_c1)
        self.assertEqual(incident.guide_id, self.guide_c1)
        self.assertEqual(
            result,
            {
                "id": incident.id,
                "name": incident.name,
                "title": "Payment run skips vendors without a bank account",
                "access_url": f"/my/incidents/{incident.id}",
                "state": "escalated",
                "sla_deadline": incident.sla_deadline.strftime("%Y-%m-%d %H:%M:%S"),
            },
        )
        # the submitter and the supplier's agents follow it
        agents = (self.agent_a | self.agent_2_a).partner_id
        self.assertLessEqual(
            self.portal_key_user_c1.partner_id | agents, incident.message_partner_ids
        )
        self.assertNotIn(self.agent_b.partner_id, incident.message_partner_ids)
        # the escalation message reaches the agents and the instance's desk
        message = incident.message_ids.filtered(
            lambda m: m.subtype_id == self.env.ref("mail.mt_comment")
        )
        self.assertEqual(len(message), 1)
        self.assertLessEqual(agents, message.notification_ids.res_partner_id)
        self.assertIn(
            "desk@supplier.example.com",
            message.notification_ids.res_partner_id.mapped("email"),
        )
        self.assertEqual(message.author_id, self.portal_key_user_c1.partner_id)

    def test_files_are_stored_on_the_request_for_the_customer_only(self):
        result = self._submit(error_message=False)
        incident = self.env["erp.incident"].browse(result["id"])
        attachment = self.env["ir.attachment"].search(
            [("res_model", "=", "erp.incident"), ("res_id", "=", incident.id)]
        )
        self.assertEqual(attachment.name, "payment_run.png")
        self.assertEqual(attachment.create_uid, self.portal_key_user_c1)
        self.assertEqual(attachment.raw, base64.b64decode(PNG))
        # an agent's internal note with a file: the note's file is not the
        # request's (the chatter shows message files, never a note's)
        incident.with_user(self.agent_a).message_post(
            body="Log of the payment run",
            subtype_xmlid="mail.mt_note",
            attachments=[("internal.log", b"internal")],
        )
        self.env.invalidate_all()
        # the customer's consultation user reads the request's files
        self.assertEqual(
            incident.with_user(self.portal_c1)._get_request_files(), attachment
        )
        # the other customer never
        for user in (self.portal_c2, self.portal_key_user_c2):
            with (
                mute_logger("odoo.addons.base.models.ir_rule"),
                self.assertRaises(AccessError),
            ):
                incident.with_user(user)._get_request_files()

    def test_a_refused_request_lists_every_problem_and_saves_nothing(self):
        before = self._counts()
        Incident = self.env["erp.incident"].with_user(self.portal_key_user_c1)
        with self.assertRaises(ValidationError) as caught:
            Incident.submit_support_request(
                {"instance_id": self.production_c1.id, "title": "Problem"}
            )
        message = caught.exception.args[0]
        for expected in (
            "does not say what happens",
            "which module or area",
            "what the user was doing",
            "what result was expected",
            "error message or attach a screenshot",
            "which process guide was consulted",
            "Reproduce the problem in the staging instance",
        ):
            self.assertIn(expected, message)
        self.assertEqual(message.count("•"), 7, message)
        self.assertEqual(self._counts(), before)
        # and the list the form shows is the same
        errors = Incident._get_support_request_errors(
            {"instance_id": self.production_c1.id, "title": "Problem"}
        )
        self.assertEqual(len(errors), 7)

    def test_another_customers_records_are_refused_without_their_names(self):
        before = self._counts()
        cases = {
            "instance_id": self.production_c2.id,
            "guide_id": self.guide_c2.id,
            "question_id": self.incident_c2.id,
        }
        for fname, value in cases.items():
            with self.subTest(fname), self.assertRaises(ValidationError) as caught:
                self._submit(**{fname: value})
            message = caught.exception.args[0]
            self.assertNotIn("Customer 2", message)
            self.assertNotIn(self.guide_c2.name, message)
        # a guide of company A that the portal does not show (internal) too
        with self.assertRaisesRegex(ValidationError, "published guides"):
            self._submit(guide_id=self.guide_internal_a.id)
        self.assertEqual(self._counts(), before)

    def test_only_the_key_user_of_the_area_sends_requests(self):
        before = self._counts()
        with self.assertRaisesRegex(ValidationError, "not a key user of Sales"):
            self._submit(area_id=self.area_sales.id)
        for user in (self.portal_c1, self.portal_key_user_c2, self.agent_a):
            with self.subTest(user=user.login), self.assertRaises(ValidationError):
                self._submit(user=user)
        self.assertEqual(self._counts(), before)

    def test_derived_values_cannot_be_sent(self):
        for fname, value in (
            ("state", "resolved"),
            ("partner_id", self.customer_c2.id),
            ("key_user_id", self.portal_key_user_c1.id),
            ("sla_deadline", "2030-01-01 00:00:00"),
            ("company_id", self.company_b.id),
        ):
            with (
                self.subTest(fname),
                self.assertRaisesRegex(ValidationError, f"{fname} cannot be sent"),
            ):
                self._submit(**{fname: value})

    def test_external_uid_makes_a_retry_find_the_first_request(self):
        first = self._submit(external_uid="in-house-db:INC/2026/00042")
        again = self._submit(external_uid="in-house-db:INC/2026/00042")
        self.assertEqual(first, again)
        incident = self.env["erp.incident"].browse(first["id"])
        self.assertEqual(incident.external_uid, "in-house-db:INC/2026/00042")
        self.assertEqual(
            self.env["erp.incident"].search_count(
                [("external_uid", "=", "in-house-db:INC/2026/00042")]
            ),
            1,
        )
        # another uid is another request
        self.assertNotEqual(self._submit(external_uid="other")["id"], first["id"])
        with self.assertRaisesRegex(ValidationError, "at most 64"):
            self._submit(external_uid="x" * 65)

    def test_external_uid_is_not_written_from_outside(self):
        incident = self.env["erp.incident"].browse(
            self._submit(external_uid="uid-1")["id"]
        )
        for user in (self.manager_a, self.agent_a):
            with self.subTest(user=user.login), self.assertRaises(UserError):
                incident.with_user(user).write({"external_uid": "uid-2"})
        with self.assertRaises(UserError):
            self._create_incident(self.key_user_a, external_uid="uid-3")
        self.assertEqual(incident.external_uid, "uid-1")

    def test_external_uid_is_unique_per_customer(self):
        self._submit(external_uid="same")
        incident = self.incident_c1
        with (
            mute_logger("odoo.sql_db"),
            self.assertRaises(Exception),  # noqa: B017 (psycopg's IntegrityError)
            self.env.cr.savepoint(),
        ):
            incident.sudo().write({"external_uid": "same"})
            incident.env.flush_all()
        # the same uid from another customer is another request
        assignment = self.production_c2.assignment_ids
        self.assertEqual(assignment.user_id, self.portal_key_user_c2)
        result = self._submit(
            user=self.portal_key_user_c2,
            instance_id=self.production_c2.id,
            guide_id=self.guide_c2.id,
            external_uid="same",
        )
        self.assertEqual(
            self.env["erp.incident"].browse(result["id"]).partner_id, self.customer_c2
        )

    def test_a_question_is_converted_and_escalated(self):
        question = self.env["erp.incident"].create(
            {
                "title": "Why are some vendors not paid?",
                "instance_id": self.production_c1.id,
                "area_id": self.area_finance.id,
                "reporter_id": self.portal_c1.id,
            }
        )
        self.assertEqual(question.kind, "question")
        before = self._counts()[0]
        result = self._submit(question_id=question.id)
        self.assertEqual(result["id"], question.id)
        self.assertEqual(self._counts()[0], before)
        self.assertEqual(question.kind, "incident")
        self.assertEqual(question.state, "escalated")
        self.assertEqual(
            question.title, "Payment run skips vendors without a bank account"
        )
        self.assertIn(self.portal_c1.partner_id, question.message_partner_ids)
        self.assertIn(self.portal_key_user_c1.partner_id, question.message_partner_ids)
        # escalated: not a question any more, it cannot be converted twice
        with self.assertRaisesRegex(ValidationError, "not an open question"):
            self._submit(question_id=question.id)

    def test_file_limits(self):
        before = self._counts()
        too_many = [
            {"name": f"shot{n}.png", "datas": PNG, "mimetype": "image/png"}
            for n in range(MAX_REQUEST_FILES + 1)
        ]
        with self.assertRaisesRegex(ValidationError, "Too many files"):
            self._submit(attachments=too_many)
        too_large = base64.b64encode(b"0" * (MAX_REQUEST_FILE_SIZE + 1)).decode()
        with self.assertRaisesRegex(ValidationError, "big.log is too large"):
            self._submit(attachments=[{"name": "big.log", "datas": too_large}])
        with self.assertRaisesRegex(ValidationError, "could not be read"):
            self._submit(attachments=[{"name": "bad.png", "datas": "not base64!"}])
        self.assertEqual(self._counts(), before)

    def test_html_files_of_portal_users_are_stored_as_text(self):
        html = base64.b64encode(b"<script>alert(1)</script>").decode()
        result = self._submit(
            attachments=[{"name": "page.html", "datas": html, "mimetype": "text/html"}]
        )
        attachment = self.env["ir.attachment"].search(
            [("res_model", "=", "erp.incident"), ("res_id", "=", result["id"])]
        )
        self.assertEqual(attachment.mimetype, "text/plain")

    def test_portal_key_users_still_create_no_incident_directly(self):
        # a question they may ask (the portal's "ask your key user"); an
        # incident only comes through submit_support_request and its checklist
        count = self.env["erp.incident"].search_count([])
        with self.assertRaisesRegex(UserError, "support-request form"):
            self.env["erp.incident"].with_user(self.portal_key_user_c1).create(
                {
                    "kind": "incident",
                    "title": "Payment run skips vendors without a bank account",
                    "instance_id": self.production_c1.id,
                    "area_id": self.area_finance.id,
                }
            )
        self.assertEqual(self.env["erp.incident"].search_count([]), count)

    def test_an_internal_key_user_assigned_on_the_instance_sends_too(self):
        result = self._submit(
            user=self.key_user_a,
            instance_id=self.production_a.id,
            guide_id=self.guide_published_a.id,
        )
        incident = self.env["erp.incident"].browse(result["id"])
        self.assertEqual(incident.state, "escalated")
        self.assertEqual(incident.partner_id, self.company_a.partner_id)

    def test_an_instance_without_desk_notifies_the_agents(self):
        self.production_c1.support_email = False
        result = self._submit()
        incident = self.env["erp.incident"].browse(result["id"])
        message = incident.message_ids.filtered(
            lambda m: m.subtype_id == self.env.ref("mail.mt_comment")
        )
        self.assertEqual(
            message.notification_ids.res_partner_id,
            (self.agent_a | self.agent_2_a).partner_id,
        )


@tagged("post_install", "-at_install")
class TestSupportRequestJson2(SupportRequestCase, HttpCase):
    """The connector of issue #13 calls the API over JSON-2 with the API key of
    the customer's portal key user."""

    def _call(self, key, values):
        return self.url_open(
            "/json/2/erp.incident/submit_support_request",
            data=json.dumps({"values": values}),
            headers={
                "Authorization": f"Bearer {key}",
                "Content-Type": "application/json",
            },
        )

    def test_portal_key_user_submits_over_json_2(self):
        # sudo: any duration; the key is the portal user's own (env.uid)
        key = (
            self.env["res.users.apikeys"]
            .with_user(self.portal_key_user_c1)
            .sudo()
            ._generate(None, "connector", None)
        )
        values = self._request_values(external_uid="json2-1")
        response = self._call(key, values)
        self.assertEqual(response.status_code, 200, response.text)
        result = response.json()
        incident = self.env["erp.incident"].browse(result["id"])
        self.assertEqual(incident.state, "escalated")
        self.assertEqual(incident.reporter_id, self.portal_key_user_c1)
        attachment = self.env["ir.attachment"].search(
            [("res_model", "=", "erp.incident"), ("res_id", "=", incident.id)]
        )
        self.assertEqual(attachment.name, "payment_run.png")
        # a retry answers the same request
        self.assertEqual(self._call(key, values).json(), result)
        # a refusal is one error listing every problem, nothing saved
        before = self._counts()
        with mute_logger("odoo.http"):
            response = self._call(
                key, {"instance_id": self.production_c2.id, "title": "Bug"}
            )
        self.assertEqual(response.status_code, 422, response.text)
        error = response.json()
        self.assertEqual(error["name"], "odoo.exceptions.ValidationError")
        self.assertIn("Choose the ERP instance", error["message"])
        self.assertIn("does not say what happens", error["message"])
        self.assertNotIn("Customer 2", error["message"])
        self.assertEqual(self._counts(), before)

    def test_a_consultation_user_key_is_refused(self):
        key = (
            self.env["res.users.apikeys"]
            .with_user(self.portal_c1)
            .sudo()
            ._generate(None, "connector", None)
        )
        before = self._counts()
        with mute_logger("odoo.http"):
            response = self._call(key, self._request_values())
        self.assertEqual(response.status_code, 422, response.text)
        self.assertIn("not a key user", response.json()["message"])
        self.assertEqual(self._counts(), before)


@tagged("post_install", "-at_install")
class TestSupportRequestSchema(SupportRequestCase):
    def test_external_uid_is_indexed_per_customer(self):
        self.env.cr.execute(
            "SELECT indexdef FROM pg_indexes WHERE tablename = 'erp_incident' "
            "AND indexdef ILIKE '%%external_uid%%'"
        )
        (indexdef,) = self.env.cr.fetchone()
        self.assertIn("UNIQUE", indexdef)
        self.assertIn("(partner_id, external_uid)", indexdef)
