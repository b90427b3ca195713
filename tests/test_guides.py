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
            # readers read the steps in the published text, not the working copy
            self.assertIn(
                "Open the invoice", self.guide_published_a.with_user(user).guide_html
            )
            with mute_logger("odoo.addons.base.models.ir_rule", "odoo.models"):
                for hidden in (self.guide_draft_a, archived, self.guide_published_b):
                    with self.assertRaises(AccessError):
                        hidden.with_user(user).read(["name"])
                for steps in (self.guide_draft_a, self.guide_published_a):
                    with self.assertRaises(AccessError):
                        steps.step_ids.with_user(user).read(["name"])
            with mute_logger("odoo.models"), self.assertRaises(AccessError):
                self.guide_published_a.with_user(user).write({"name": "Mine"})
            with self.assertRaises(AccessError):
                self.guide_published_a.with_user(user).action_reset_to_draft()
        with mute_logger("odoo.addons.base.models.ir_rule"):
            with self.assertRaises(AccessError):
                self.guide_internal_a.with_user(portal).read(["name"])
        # a guide being rewritten stays with its readers...
        self.guide_published_a.with_user(self.key_user_a).write(
            {"content": "<p>Rewriting</p>"}
        )
        self.assertEqual(self._visible(portal), self.guide_published_a)
        # ...until it is withdrawn
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

        # a published guide is edited in place, and stays published
        guide.with_user(self.key_user_a).write(
            {"content": "<p>Ask the controller, then lock.</p>"}
        )
        self.assertEqual((guide.state, guide.version), ("published", 1))
        self.assertTrue(guide.has_unpublished_changes)
        guide.with_user(self.key_user_a).action_publish()
        self.assertEqual((guide.state, guide.version), ("published", 2))
        self.assertFalse(guide.has_unpublished_changes)
        self.assertIn("Version 2 published", guide.message_ids[0].body)
        # withdrawn, edited and published again: the next number
        guide.action_reset_to_draft()
        guide.write({"content": "<p>Lock, then report.</p>"})
        self.assertEqual(guide.version, 2, "editing does not make a version")
        guide.action_publish()
        self.assertEqual((guide.state, guide.version), ("published", 3))
        self.assertEqual(guide.version_ids.mapped("number"), [3, 2, 1])

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
        v1 = guide.published_version_id
        self.assertEqual((v1.number, v1.name), (1, "Closing the month"))
        self.assertEqual(v1.published_by_id, self.env.user)
        self.assertEqual(v1.published_on, guide.published_on)
        self.assertEqual(v1.summary, "How we close an accounting period.")
        self.assertIn("Reconcile the bank", v1.body)
        self.assertIn("Ask the controller before locking.", v1.body)

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
        self.assertEqual(guide.published_version_id, v1, "the published text waits")
        self.assertNotIn("Match the bank", v1.body)
        guide.with_user(self.key_user_a).action_publish()
        v2 = guide.published_version_id
        self.assertEqual(guide.version_ids, v2 | v1)
        self.assertEqual(v2.published_by_id, self.key_user_a)

        # every saved edit of the content is a revision of its own history
        self.assertEqual(
            [r["revision_id"] for r in guide.html_field_history["content"]],
            [2, 1],
        )
        self.assertEqual(list(guide.html_field_history), ["content"])

        # both versions, read by a consultation user
        reader = guide.with_user(self.consultation_a)
        self.assertEqual(reader.version_ids.mapped("number"), [2, 1])
        old, current = reader.version_ids.sorted("number")
        self.assertIn("Reconcile the bank", old.body)
        self.assertNotIn("Match the bank", old.body)
        self.assertIn("Match the bank", current.body)
        self.assertIn("The controller locks the period.", current.body)
        self.assertEqual(reader.guide_html, current.body)
        self.assertNotIn("Work in progress", old.body + current.body)

        # the content field alone, at each of its revisions, for its key users
        editor = guide.with_user(self.key_user_a)
        self.assertEqual(
            editor.html_field_history_get_content_at_revision("content", 1),
            "<p>Ask the controller before locking.</p>",
        )
        self.assertEqual(
            editor.html_field_history_get_content_at_revision("content", 2),
            "<p>Work in progress</p>",
        )
        self.assertIn(
            "Work in progress",
            editor.html_field_history_get_unified_diff_at_revision("content", 2),
        )

    def test_a_version_is_never_lost(self):
        """More publications than the HTML field history keeps revisions:
        every version stays whole."""
        guide = self._new_guide()
        self.patch(type(guide), "_html_field_history_size_limit", 2)
        for number in range(1, 6):
            guide.content = f"<p>Text of version {number}</p>"
            guide.action_publish()
        self.assertEqual(len(guide.html_field_history["content"]), 2)
        versions = guide.version_ids.sorted("number")
        self.assertEqual(versions.mapped("number"), [1, 2, 3, 4, 5])
        for number, version in enumerate(versions, start=1):
            self.assertIn(f"Text of version {number}</p>", version.body)

    def test_duplicate_starts_a_new_history(self):
        guide = self._new_guide()
        guide.action_publish()
        guide.action_reset_to_draft()
        guide.content = "<p>Second text</p>"
        copy = guide.copy()
        self.assertEqual((copy.state, copy.version), ("draft", 0))
        self.assertFalse(copy.html_field_history)
        self.assertFalse(copy.version_ids)
        self.assertFalse(copy.published_version_id)
        self.assertFalse(copy.guide_html)
        self.assertEqual(copy.content, guide.content)
        self.assertEqual(len(copy.step_ids), 2)

    # ------------------------------------------------------------ reading

    def test_readable_guide_numbers_the_steps(self):
        guide = self.guide_published_a
        guide.with_user(self.key_user_a).write(
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
        self.assertNotIn("Post it", guide.with_user(self.consultation_a).guide_html)
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
                form.preview_html, r"Step 2\.</span>\s*<span[^>]*>Click Return"
            )
            self.assertIn("The delivery is done", form.preview_html)

    def test_form_of_a_consultation_user_shows_the_guide_not_the_editor(self):
        for user, editor in ((self.consultation_a, False), (self.key_user_a, True)):
            arch = self.Guide.with_user(user).get_views([(False, "form")])["views"][
                "form"
            ]["arch"]
            self.assertIn('js_class="erp_process_guide_form"', arch)
            self.assertIn('name="guide_html"', arch)
            self.assertEqual('name="html_field_history_metadata"' in arch, editor)
            self.assertEqual('name="step_ids"' in arch, editor)
            self.assertEqual('name="content"' in arch, editor)
            self.assertEqual('name="preview_html"' in arch, editor)

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


WAIT_FOR_JS = """
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
"""


@tagged("post_install", "-at_install")
class TestGuideFormBrowser(HttpCase):
    """The guide form's JavaScript loads; "Versions" opens the published
    versions for a consultation user; "Content History" is for key users and
    shows a forged revision harmlessly."""

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
        cls.guide.content = "<p>Second text</p>"
        cls.guide.action_publish()

    def test_version_history_dialog(self):
        code = """
            const step = "[name=guide_html] .o_erp_process_guide_step";
            await waitFor(step, "Scan the delivery");
            (await waitFor(".o_cp_action_menus .dropdown-toggle")).click();
            await waitFor(".o-dropdown-item");
            if (document.body.textContent.includes("Content History")) {
                throw new Error("the content history is for key users");
            }
            (await waitFor("button[name=action_open_version_history]")).click();
            await waitFor(".modal [name=comparison_html] del", "First text");
            await waitFor(".modal [name=comparison_html] ins", "Second text");
            const value = (name) =>
                document.querySelector(`.modal [name=${name}] input`).value;
            const [shown, other] = [value("version_id"), value("compare_version_id")];
            if (!shown.startsWith("Version 2") || !other.startsWith("Version 1")) {
                throw new Error(`versions 2 and 1 expected: ${shown} / ${other}`);
            }
            const footer = document.querySelector(".modal-footer").textContent;
            if (footer.includes("Restore")) {
                throw new Error("a published version cannot be restored");
            }
            (await waitFor(".modal .nav-link", "Text")).click();
            await waitFor(".modal [name=body]", "Second text");
            console.log("test successful");
        """
        self.browser_js(
            f"/odoo/erp.process.guide/{self.guide.id}",
            f"(async () => {{ {WAIT_FOR_JS} {code} }})()",
            ready="odoo.isReady",
            login="guide_reader",
        )

    def test_content_history_dialog_shows_a_forged_revision_harmlessly(self):
        # what a key user could store before 19.0.1.1.0: a revision whose text
        # runs a script, under another author's name
        history = dict(self.guide.html_field_history)
        history["content"] = [
            {
                "patch": "+@0:<img src=x onerror=window.erpXss=1>"
                "<script>window.erpXss=2</script>",
                "revision_id": 99,
                "create_date": "2026-01-01T00:00:00",
                "create_uid": self.reader.id,
                "create_user_name": "Somebody Else",
            }
        ] + history["content"]
        self.guide.sudo().write({"html_field_history": history})
        code = """
            await waitFor(".o_form_view .o_field_widget[name=name]");
            (await waitFor(".o_cp_action_menus .dropdown-toggle")).click();
            (await waitFor(".o-dropdown-item", "Content History")).click();
            await waitFor(".html-history-dialog.html-history-loaded");
            const revisions = document.querySelectorAll(
                ".html-history-dialog .revision-list .btn"
            );
            revisions[1].click();
            const loaded = ".html-history-dialog.html-history-loaded";
            await waitFor(`${loaded} .history-content-view img`);
            await new Promise((r) => setTimeout(r, 500));
            const dialog = document.querySelector(".html-history-dialog").innerHTML;
            const kept = dialog.includes("onerror") || dialog.includes("<script");
            if (window.erpXss || kept) {
                throw new Error(`a forged revision ran or kept its script: ${dialog}`);
            }
            console.log("test successful");
        """
        self.browser_js(
            f"/odoo/erp.process.guide/{self.guide.id}",
            f"(async () => {{ {WAIT_FOR_JS} {code} }})()",
            ready="odoo.isReady",
            login="admin",
        )
