# Copyright 2026 erp_key_user contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Process guides: who reads and writes them per role and area, the
publish / archive / reset flow, the version history, review reminders, the
incidents that referenced a guide and the printed guide."""

from datetime import timedelta

from odoo import Command, fields
from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, HttpCase, new_test_user, tagged
from odoo.tools import mute_logger

from .common import ErpKeyUserCase

REPORT = "erp_key_user.action_report_erp_process_guide"


@tagged("post_install", "-at_install")
class TestGuides(ErpKeyUserCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Guide = cls.env["erp.process.guide"]

    def _new_guide(self, user=None, **values):
        vals = {
            "name": "Closing the month",
            "company_id": self.company_a.id,
            "area_id": self.area_finance.id,
            "owner_id": self.key_user_a.id,
            "summary": "How we close an accounting period.",
            "content": "<p>Ask the controller before locking.</p>",
            "step_ids": [
                Command.create(
                    {
                        "sequence": 1,
                        "name": "Reconcile the bank",
                        "instructions": "<p>Open <b>Accounting › Bank</b>.</p>",
                        "expected_result": "No line left to reconcile",
                    }
                ),
                Command.create(
                    {
                        "sequence": 2,
                        "name": "Lock the period",
                        "expected_result": "The lock date is the last day of the month",
                    }
                ),
            ],
        }
        vals.update(values)
        return self.Guide.with_user(user or self.env.user).create(vals)

    def _visible(self, user, company=None):
        guides = self.Guide.with_user(user).search(
            [("company_id", "=", (company or self.company_a).id)]
        )
        return guides.with_user(self.env.user)

    # ------------------------------------------------------------------ access

    def test_key_user_writes_the_guides_of_their_areas_only(self):
        guide = self._new_guide(user=self.key_user_a)
        guide.with_user(self.key_user_a).write(
            {"step_ids": [Command.create({"name": "Print the trial balance"})]}
        )
        self.assertEqual(len(guide.step_ids), 3)
        # key_user_a is the finance key user: not warehouse guides nor steps
        warehouse = self.guide_draft_a.with_user(self.key_user_a)
        self.assertTrue(warehouse.name, "key users read every guide of the company")
        with mute_logger("odoo.addons.base.models.ir_rule"):
            with self.assertRaises(AccessError):
                warehouse.write({"name": "Counting the stock"})
            with self.assertRaises(AccessError):
                warehouse.step_ids.write({"name": "Count twice"})
            with self.assertRaises(AccessError):
                self.env["erp.process.guide.step"].with_user(self.key_user_a).create(
                    {"guide_id": warehouse.id, "name": "Count twice"}
                )
            with self.assertRaises(AccessError):
                self._new_guide(user=self.key_user_a, area_id=self.area_warehouse.id)
            with self.assertRaises(AccessError):
                guide.with_user(self.key_user_a).write(
                    {"area_id": self.area_warehouse.id}
                )
            with self.assertRaises(AccessError):
                warehouse.action_publish()
        # ...and the warehouse key user is the one who writes it
        self.guide_draft_a.with_user(self.key_user_wh_a).action_publish()
        self.assertEqual(self.guide_draft_a.state, "published")

    def test_manager_writes_every_guide_of_their_companies(self):
        for guide in self.guide_draft_a | self.guide_published_a:
            guide.with_user(self.manager_a).write({"review_date": "2030-01-01"})
        guide = self._new_guide(user=self.manager_a, area_id=self.area_sales.id)
        guide.with_user(self.manager_a).action_publish()
        self.assertEqual(guide.version, 1)
        # not another company's
        self.assertFalse(self._visible(self.manager_a, self.company_b))
        with mute_logger("odoo.addons.base.models.ir_rule"):
            with self.assertRaises(AccessError):
                self.guide_published_b.with_user(self.manager_a).read(["name"])
            with self.assertRaises(AccessError):
                self.guide_published_b.with_user(self.manager_a).write({"name": "Mine"})

    def test_consultation_users_read_published_guides_only(self):
        archived = self._new_guide()
        archived.action_publish()
        archived.action_archive_guide()
        internal, portal = self.consultation_a, self.portal_a
        self.assertEqual(
            self._visible(internal), self.guide_published_a | self.guide_internal_a
        )
        # portal users only see the guides published on the portal
        self.assertEqual(self._visible(portal), self.guide_published_a)
        for user in (internal, portal):
            self.assertFalse(self._visible(user, self.company_b))
            self.assertEqual(
                self.guide_published_a.step_ids.with_user(user).read(["name"])[0][
                    "name"
                ],
                "Open the invoice",
            )
            with mute_logger("odoo.addons.base.models.ir_rule"):
                for hidden in (self.guide_draft_a, archived, self.guide_published_b):
                    with self.assertRaises(AccessError):
                        hidden.with_user(user).read(["name"])
                with self.assertRaises(AccessError):
                    self.guide_draft_a.step_ids.with_user(user).read(["name"])
            with mute_logger("odoo.models"), self.assertRaises(AccessError):
                self.guide_published_a.with_user(user).write({"name": "Mine"})
            with self.assertRaises(AccessError):
                self.guide_published_a.with_user(user).action_reset_to_draft()
        with mute_logger("odoo.addons.base.models.ir_rule"):
            with self.assertRaises(AccessError):
                self.guide_internal_a.with_user(portal).read(["name"])
        # a guide being rewritten is withdrawn until it is published again
        self.guide_published_a.action_reset_to_draft()
        self.assertEqual(self._visible(portal), self.Guide)

    def test_users_without_a_role_read_no_guide(self):
        for user in (self.employee_a, self.portal_no_role_a):
            with mute_logger("odoo.models"), self.assertRaises(AccessError):
                self.Guide.with_user(user).search([])

    # ------------------------------------------------------------ versioning

    def test_publish_bumps_the_version(self):
        guide = self._new_guide()
        self.assertEqual((guide.state, guide.version), ("draft", 0))
        guide.with_user(self.key_user_a).action_publish()
        self.assertEqual((guide.state, guide.version), ("published", 1))
        self.assertTrue(guide.published_on)
        self.assertIn("Version 1 published", guide.message_ids[0].body)
        with self.assertRaisesRegex(UserError, "it is Published"):
            guide.action_publish()
        self.assertEqual(guide.version, 1)

        guide.action_reset_to_draft()
        guide.write({"content": "<p>Ask the controller, then lock.</p>"})
        self.assertEqual(guide.version, 1, "editing does not make a version")
        guide.action_publish()
        self.assertEqual((guide.state, guide.version), ("published", 2))
        self.assertIn("Version 2 published", guide.message_ids[0].body)

    def test_archive_and_reset_transitions(self):
        draft = self._new_guide()
        draft.action_archive_guide()
        self.assertEqual(draft.state, "archived")
        with self.assertRaisesRegex(UserError, "cannot be archived: it is Archived"):
            draft.action_archive_guide()
        with self.assertRaisesRegex(UserError, "cannot be published: it is Archived"):
            draft.action_publish()
        draft.action_reset_to_draft()
        self.assertEqual(draft.state, "draft")
        with self.assertRaisesRegex(
            UserError, "cannot be brought back to draft: it is Draft"
        ):
            draft.action_reset_to_draft()

        published = self._new_guide()
        published.action_publish()
        published.action_archive_guide()
        self.assertEqual((published.state, published.version), ("archived", 1))
        published.action_reset_to_draft()
        published.action_publish()
        self.assertEqual((published.state, published.version), ("published", 2))

    def test_every_published_version_stays_readable(self):
        guide = self._new_guide()
        guide.action_publish()
        v1 = guide.published_content
        self.assertIn("Version 1", v1)
        self.assertIn("Reconcile the bank", v1)
        self.assertIn("Ask the controller before locking.", v1)

        guide.action_reset_to_draft()
        # edits between two publications are not versions
        guide.content = "<p>Work in progress</p>"
        guide.write(
            {
                "content": "<p>The controller locks the period.</p>",
                "step_ids": [
                    Command.update(guide.step_ids[0].id, {"name": "Match the bank"})
                ],
            }
        )
        self.assertEqual(guide.published_content, v1, "the published text waits")
        guide.action_publish()

        # one revision of the published text per publication
        self.assertEqual(
            [r["revision_id"] for r in guide.html_field_history["published_content"]],
            [2, 1],
        )
        self.assertEqual(
            [r["revision_id"] for r in guide.html_field_history["content"]],
            [2, 1],
            "every saved edit of the content is a revision",
        )
        self.assertNotIn("patch", guide.html_field_history_metadata["content"][0])

        # version 1, read by a consultation user as the history dialog does
        reader = guide.with_user(self.consultation_a)
        old = reader.html_field_history_get_content_at_revision("published_content", 2)
        self.assertEqual(old, v1)
        self.assertEqual(reader._get_published_text(1), v1)
        self.assertIn("Reconcile the bank", old)
        self.assertNotIn("Match the bank", old)
        current = reader._get_published_text(2)
        self.assertEqual(current, guide.published_content)
        self.assertIn("Version 2", current)
        self.assertIn("Match the bank", current)
        self.assertIn("The controller locks the period.", current)
        self.assertFalse(reader._get_published_text(3))
        self.assertFalse(reader._get_published_text(0))

        # the diff between version 1 and the current version
        diff = reader.html_field_history_get_comparison_at_revision(
            "published_content", 2
        )
        self.assertIn("<removed>", diff)
        self.assertIn("<added>", diff)
        self.assertRegex(diff, r"<removed>[^<]*Reconcile")
        self.assertRegex(diff, r"<added>[^<]*Match")

        # and the content field alone, at each of its revisions
        self.assertEqual(
            reader.html_field_history_get_content_at_revision("content", 1),
            "<p>Ask the controller before locking.</p>",
        )
        self.assertEqual(
            reader.html_field_history_get_content_at_revision("content", 2),
            "<p>Work in progress</p>",
        )
        self.assertIn(
            "Work in progress",
            reader.html_field_history_get_unified_diff_at_revision("content", 2),
        )

    def test_duplicate_starts_a_new_history(self):
        guide = self._new_guide()
        guide.action_publish()
        guide.action_reset_to_draft()
        guide.content = "<p>Second text</p>"
        copy = guide.copy()
        self.assertEqual((copy.state, copy.version), ("draft", 0))
        self.assertFalse(copy.html_field_history)
        self.assertFalse(copy.published_content)
        self.assertEqual(copy.content, guide.content)
        self.assertEqual(len(copy.step_ids), 2)

    # ------------------------------------------------------------ reading

    def test_readable_guide_numbers_the_steps(self):
        guide = self.guide_published_a
        guide.action_reset_to_draft()
        guide.write(
            {
                "step_ids": [
                    Command.create(
                        {
                            "sequence": 20,
                            "name": "Post it",
                            "expected_result": "Status: Posted",
                        }
                    )
                ]
            }
        )
        guide.action_publish()
        html = guide.with_user(self.consultation_a).guide_html
        self.assertRegex(html, r"Step 1\.</span>\s*<span[^>]*>Open the invoice")
        self.assertRegex(html, r"Step 2\.</span>\s*<span[^>]*>Post it")
        self.assertIn("Expected result:", html)
        self.assertIn("Status: Posted", html)

    def test_preview_follows_the_steps_being_edited(self):
        with Form(self.Guide) as form:
            form.name = "Returning goods"
            form.area_id = self.area_warehouse
            with form.step_ids.new() as step:
                step.name = "Open the delivery"
                step.expected_result = "The delivery is done"
            with form.step_ids.new() as step:
                step.name = "Click Return"
            self.assertRegex(
                form.guide_html, r"Step 2\.</span>\s*<span[^>]*>Click Return"
            )
            self.assertIn("The delivery is done", form.guide_html)

    def test_form_of_a_consultation_user_shows_the_guide_not_the_editor(self):
        for user, editor in ((self.consultation_a, False), (self.key_user_a, True)):
            arch = self.Guide.with_user(user).get_views([(False, "form")])["views"][
                "form"
            ]["arch"]
            self.assertIn('js_class="erp_process_guide_form"', arch)
            self.assertIn('name="guide_html"', arch)
            self.assertIn('name="html_field_history_metadata"', arch)
            self.assertEqual('name="step_ids"' in arch, editor)
            self.assertEqual('name="content"' in arch, editor)

    # ------------------------------------------------------------ review

    def test_review_reminder_once_for_the_owner(self):
        today = fields.Date.context_today(self.Guide)
        due = self._new_guide(review_date=today - timedelta(days=1))
        due.action_publish()
        due_draft = self._new_guide(review_date=today)
        future = self._new_guide(review_date=today + timedelta(days=30))
        future.action_publish()
        archived = self._new_guide(review_date=today - timedelta(days=10))
        archived.action_publish()
        archived.action_archive_guide()
        todo = self.env.ref("mail.mail_activity_data_todo")

        def reminders(guide):
            return guide.activity_ids.filtered(lambda a: a.activity_type_id == todo)

        self.Guide._cron_review_reminder()
        for guide in (due, due_draft):
            self.assertEqual(len(reminders(guide)), 1)
            self.assertEqual(reminders(guide).user_id, self.key_user_a)
            self.assertEqual(reminders(guide).summary, "Review the guide")
        self.assertFalse(reminders(future))
        self.assertFalse(reminders(archived))

        self.Guide._cron_review_reminder()
        self.assertEqual(len(reminders(due)), 1, "not a second one on the next run")
        self.assertEqual(len(reminders(due_draft)), 1)
        self.assertFalse(reminders(future))

        # the owner sees it among their activities
        self.assertIn(
            due,
            self.Guide.with_user(self.key_user_a).search(
                [("activity_user_id", "=", self.key_user_a.id)]
            ),
        )

    # ------------------------------------------------------------ incidents

    def test_incidents_that_referenced_the_guide(self):
        guide = self.guide_published_a
        self.assertEqual(guide.incident_count, 0)
        self.incident_a.guide_id = guide
        self._create_incident(self.key_user_a, guide_id=guide.id)
        guide.invalidate_recordset(["incident_count"])
        self.assertEqual(guide.incident_count, 2)
        reader = guide.with_user(self.consultation_a)
        self.assertEqual(reader.incident_count, 2)
        action = reader.action_view_incidents()
        self.assertEqual(action["res_model"], "erp.incident")
        incidents = (
            self.env["erp.incident"]
            .with_user(self.consultation_a)
            .search(action["domain"])
        )
        self.assertEqual(len(incidents), 2)
        self.assertIn(self.incident_a, incidents)
        self.assertEqual(action["context"]["default_guide_id"], guide.id)

    # ------------------------------------------------------------ report

    def test_report_renders_numbered_steps(self):
        # wkhtmltopdf is not installed where the tests run: render the HTML
        # the PDF is printed from
        guide = self._new_guide()
        guide.action_publish()
        report = self.env.ref(REPORT)
        self.assertEqual(report.report_type, "qweb-pdf")
        self.assertEqual(report.binding_model_id.model, "erp.process.guide")
        html, report_type = (
            self.env["ir.actions.report"]
            .with_user(self.consultation_a)
            ._render_qweb_html(REPORT, guide.ids)
        )
        self.assertEqual(report_type, "html")
        html = html.decode()
        self.assertIn("Closing the month", html)
        self.assertIn("Version 1", html)
        self.assertRegex(html, r"Step 1\.</span>\s*<span[^>]*>Reconcile the bank")
        self.assertRegex(html, r"Step 2\.</span>\s*<span[^>]*>Lock the period")
        self.assertLess(html.index("Reconcile the bank"), html.index("Lock the period"))
        self.assertIn("Expected result:", html)
        self.assertIn("No line left to reconcile", html)
        self.assertIn("The lock date is the last day of the month", html)
        self.assertIn("Accounting › Bank", html)
        self.assertIn("Ask the controller before locking.", html)
        self.assertIn("Company A", html)
        # printing follows reading: not a draft for a consultation user
        with mute_logger("odoo.addons.base.models.ir_rule"):
            with self.assertRaises(AccessError):
                self.env["ir.actions.report"].with_user(
                    self.consultation_a
                )._render_qweb_html(REPORT, self.guide_draft_a.ids)


@tagged("post_install", "-at_install")
class TestGuideFormBrowser(HttpCase):
    """The guide form's JavaScript loads, and "Version History" in the cog
    menu opens the published versions for a consultation user."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.reader = new_test_user(
            cls.env,
            login="guide_reader",
            groups="base.group_user,erp_key_user.group_consultation_user",
        )
        cls.guide = cls.env["erp.process.guide"].create(
            {
                "name": "Receiving goods",
                "company_id": cls.reader.company_id.id,
                "area_id": cls.env.ref("erp_key_user.erp_support_area_warehouse").id,
                "content": "<p>First text</p>",
                "step_ids": [
                    Command.create(
                        {"name": "Scan the delivery", "expected_result": "Lines ticked"}
                    )
                ],
            }
        )
        cls.guide.action_publish()
        cls.guide.action_reset_to_draft()
        cls.guide.content = "<p>Second text</p>"
        cls.guide.action_publish()

    def test_version_history_dialog(self):
        code = """
            const waitFor = async (selector, text) => {
                for (let i = 0; i < 200; i++) {
                    const el = [...document.querySelectorAll(selector)].find(
                        (e) => !text || e.textContent.includes(text)
                    );
                    if (el) {
                        return el;
                    }
                    await new Promise((r) => setTimeout(r, 50));
                }
                const dialog = document.querySelector(".o_dialog")?.innerText || "";
                throw new Error(`not found: ${selector} ${text || ""} ${dialog}`);
            };
            await waitFor(".o_erp_process_guide_step", "Scan the delivery");
            (await waitFor(".o_cp_action_menus .dropdown-toggle")).click();
            (await waitFor(".o-dropdown-item", "Version History")).click();
            await waitFor(".html-history-dialog.html-history-loaded");
            await waitFor(".html-history-dialog .history-content-view", "Version 2");
            const primary = document.querySelector(".modal-footer .btn-primary");
            if (primary?.textContent.includes("Restore")) {
                throw new Error("a published version cannot be restored");
            }
            const revisions = document.querySelectorAll(
                ".html-history-dialog .revision-list .btn"
            );
            if (revisions.length !== 3) {
                throw new Error(`3 entries expected, got ${revisions.length}`);
            }
            revisions[1].click();
            await waitFor(".html-history-dialog .history-content-view", "Version 1");
            await waitFor(".html-history-dialog .history-content-view", "First text");
            (await waitFor(".history-content-view a.btn", "View comparison")).click();
            await waitFor(".history-comparison-view removed", "First text");
            await waitFor(".history-comparison-view added", "Second text");
            console.log("test successful");
        """
        self.browser_js(
            f"/odoo/erp.process.guide/{self.guide.id}",
            f"(async () => {{ {code} }})()",
            ready="odoo.isReady",
            login="guide_reader",
        )
