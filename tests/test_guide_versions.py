# Copyright 2026 erp_key_user contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Published versions of process guides (erp.process.guide.version): readers
keep the last published version while key users write the next one, any two
versions compare, nobody writes versioning data from outside, the content's
edit history is for key users only and sanitized, and texts have a size
limit."""

from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import HttpCase, tagged
from odoo.tests.common import JsonRpcException
from odoo.tools import mute_logger

from .common import ErpKeyUserCase

FORGED_PATCH = "+@0:<img src=x onerror=alert(1)><script>alert(2)</script>"


@tagged("post_install", "-at_install")
class TestGuideVersions(ErpKeyUserCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.guide = cls.guide_published_a
        cls.Version = cls.env["erp.process.guide.version"]

    def _edit_as_key_user(self):
        self.guide.with_user(self.key_user_a).write(
            {
                "name": "Posting vendor bills",
                "summary": "Admin password is hunter2",
                "content": "<p>Draft: not for readers yet</p>",
                "step_ids": [
                    Command.update(self.guide.step_ids.id, {"name": "Open the bill"}),
                    Command.create({"name": "Post the bill"}),
                ],
            }
        )

    def test_readers_keep_the_published_version_while_it_is_rewritten(self):
        v1 = self.guide.published_version_id
        self._edit_as_key_user()
        self.assertEqual(self.guide.state, "published")
        self.assertTrue(self.guide.has_unpublished_changes)
        for user in (self.consultation_a, self.portal_a):
            reader = self.guide.with_user(user)
            self.assertEqual(reader.published_version_id, v1)
            self.assertEqual(reader.version, 1)
            self.assertEqual(reader.display_name, "Published finance guide A")
            self.assertEqual(reader.published_name, "Published finance guide A")
            self.assertIn("Open the invoice", reader.guide_html)
            self.assertNotIn("Post the bill", reader.guide_html)
            # the working copy stays with the key users
            with mute_logger("odoo.models"):
                for field_name in ("summary", "content", "step_ids", "preview_html"):
                    with self.assertRaises(AccessError):
                        reader.read([field_name])
        # the key users' preview shows what the next version will be
        preview = self.guide.with_user(self.key_user_a).preview_html
        self.assertIn("Post the bill", preview)

        self.guide.with_user(self.key_user_a).action_publish()
        reader = self.guide.with_user(self.portal_a)
        self.assertEqual(reader.version, 2)
        self.assertEqual(reader.display_name, "Posting vendor bills")
        self.assertIn("Post the bill", reader.guide_html)
        self.assertIn("Draft: not for readers yet", reader.guide_html)
        self.assertEqual(reader.version_ids.mapped("number"), [2, 1])

    def test_publishing_an_unchanged_guide_is_refused(self):
        with self.assertRaisesRegex(UserError, "unchanged since version 1"):
            self.guide.with_user(self.key_user_a).action_publish()
        self.assertEqual(len(self.guide.version_ids), 1)

    def test_any_two_versions_compare(self):
        for text in ("<p>Second text</p>", "<p>Third text</p>"):
            self.guide.content = text
            self.guide.action_publish()
        v1, v2, v3 = self.guide.version_ids.sorted("number")
        Compare = self.env["erp.process.guide.version.compare"].with_user(
            self.consultation_a
        )
        action = self.guide.with_user(self.consultation_a).action_open_version_history()
        wizard = Compare.with_context(**action["context"]).create({})
        self.assertEqual((wizard.version_id, wizard.compare_version_id), (v3, v2))
        self.assertIn("<del>Second text</del>", wizard.comparison_html)
        self.assertIn("<ins>Third text</ins>", wizard.comparison_html)
        wizard.write({"version_id": v1.id, "compare_version_id": v3.id})
        self.assertIn("<del>Third text</del>", wizard.comparison_html)
        self.assertNotIn("Third text", wizard.body)
        # only versions of the same guide, and only versions the user may read
        other = self.guide_internal_a.published_version_id
        with self.assertRaises(ValidationError):
            wizard.write({"compare_version_id": other.id})
        portal_compare = Compare.with_user(self.portal_a)
        self.assertIn(
            "Open the invoice",
            portal_compare.create(
                {"guide_id": self.guide.id, "version_id": v1.id}
            ).read(["body"])[0]["body"],
        )
        # a guide not on the portal: its versions are not the portal user's
        with mute_logger("odoo.addons.base.models.ir_rule"):
            with self.assertRaises(AccessError):
                portal_compare.create(
                    {"guide_id": self.guide_internal_a.id, "version_id": other.id}
                ).read(["body"])

    def test_versions_are_read_only_for_everybody(self):
        version = self.guide.published_version_id
        with mute_logger("odoo.models", "odoo.addons.base.models.ir_rule"):
            for user in (self.manager_a, self.key_user_a, self.consultation_a):
                with self.assertRaises(AccessError):
                    version.with_user(user).write({"body": "<p>Rewritten</p>"})
                with self.assertRaises(AccessError):
                    version.with_user(user).unlink()
                with self.assertRaises(AccessError):
                    self.Version.with_user(user).create(
                        {
                            "guide_id": self.guide.id,
                            "number": 7,
                            "name": "Forged",
                            "published_on": "2026-01-01 00:00:00",
                        }
                    )
        self.assertEqual(version.body.count("Open the invoice"), 1)

    def test_readers_read_the_versions_of_the_guides_they_read(self):
        self.guide_draft_a.action_publish()
        self.guide_draft_a.action_reset_to_draft()  # withdrawn
        all_versions = self.Version.search([("company_id", "=", self.company_a.id)])
        expected = {
            self.key_user_a: all_versions,
            self.consultation_a: (
                self.guide.version_ids | self.guide_internal_a.version_ids
            ),
            self.portal_a: self.guide.version_ids,
        }
        for user, versions in expected.items():
            self.assertEqual(self.Version.with_user(user).search([]), versions)
        for user in (self.consultation_a, self.portal_a, self.key_user_a):
            with mute_logger("odoo.addons.base.models.ir_rule"):
                with self.assertRaises(AccessError):
                    self.guide_published_b.published_version_id.with_user(user).read(
                        ["body"]
                    )

    # ------------------------------------------------------ versioning data

    def test_versioning_data_is_not_written_from_outside(self):
        forged = {
            "content": [
                {
                    "patch": FORGED_PATCH,
                    "revision_id": 1,
                    "create_date": "2026-01-01T00:00:00",
                    "create_uid": self.manager_a.id,
                    "create_user_name": "Support Manager",
                }
            ]
        }
        other_version = self.guide_internal_a.published_version_id
        with mute_logger("odoo.models"):
            for user in (self.key_user_a, self.manager_a):
                guide = self.guide.with_user(user)
                for vals in (
                    {"html_field_history": forged},
                    {"state": "draft"},
                    {"version": 9},
                    {"published_version_id": other_version.id},
                    {"has_unpublished_changes": False},
                ):
                    with self.assertRaises(AccessError, msg=(user.login, vals)):
                        guide.write(vals)
                with self.assertRaises(AccessError):
                    self.env["erp.process.guide"].with_user(user).create(
                        {
                            "name": "Forged",
                            "area_id": self.area_finance.id,
                            "state": "published",
                            "html_field_history": forged,
                        }
                    )
        self.assertFalse(self.guide.html_field_history)
        self.assertEqual((self.guide.state, self.guide.version), ("published", 1))

    def test_content_history_is_for_key_users_only(self):
        self.guide.content = "<p>Admin password is hunter2</p>"
        self.guide.content = "<p>Ask the controller</p>"
        key_user = self.guide.with_user(self.key_user_a)
        self.assertEqual(
            key_user.html_field_history_get_content_at_revision("content", 2),
            "<p>Admin password is hunter2</p>",
        )
        self.assertIn("content", key_user.html_field_history_metadata)
        with mute_logger("odoo.models"):
            for user in (self.consultation_a, self.portal_a):
                reader = self.guide.with_user(user)
                for method in (
                    "html_field_history_get_content_at_revision",
                    "html_field_history_get_comparison_at_revision",
                    "html_field_history_get_unified_diff_at_revision",
                ):
                    with self.assertRaises(AccessError, msg=(user.login, method)):
                        getattr(reader, method)("content", 2)
                for field_name in ("html_field_history", "html_field_history_metadata"):
                    with self.assertRaises(AccessError):
                        reader.read([field_name])
                with self.assertRaises(AccessError):
                    reader.search([("html_field_history", "!=", False)])

    def test_content_history_is_sanitized(self):
        # a revision stored by a vulnerable version, or by SQL
        self.guide.content = "<p>Safe</p>"
        self.guide.sudo().write(
            {
                "html_field_history": {
                    "content": [
                        {
                            "patch": FORGED_PATCH,
                            "revision_id": 1,
                            "create_date": "2026-01-01T00:00:00",
                            "create_uid": self.manager_a.id,
                            "create_user_name": "Support Manager",
                        }
                    ]
                }
            }
        )
        key_user = self.guide.with_user(self.key_user_a)
        for html in (
            key_user.html_field_history_get_content_at_revision("content", 1),
            key_user.html_field_history_get_comparison_at_revision("content", 1),
        ):
            self.assertIn("<img", html)
            self.assertNotIn("onerror", html)
            self.assertNotIn("<script", html)

    # ------------------------------------------------------ size limits

    def test_oversized_texts_are_refused_not_emptied(self):
        huge_html = "<p>" + "x" * (10 * 1024 * 1024) + "</p>"
        key_user = self.guide.with_user(self.key_user_a)
        for vals in (
            {"content": huge_html},
            {"summary": "y" * 2_001},
            {"name": "z" * 257},
            {"step_ids": [Command.create({"name": "Big", "instructions": huge_html})]},
            {"step_ids": [Command.create({"name": "s" * 257})]},
            {
                "step_ids": [
                    Command.create({"name": "Ok", "expected_result": "e" * 2_001})
                ]
            },
        ):
            with self.assertRaisesRegex(ValidationError, "is too long", msg=vals):
                key_user.write(vals)
        with self.assertRaisesRegex(ValidationError, "Instructions is too long"):
            self.guide.step_ids.with_user(self.key_user_a).write(
                {"instructions": huge_html}
            )
        with self.assertRaisesRegex(ValidationError, "Content is too long"):
            self.env["erp.process.guide"].with_user(self.key_user_a).create(
                {
                    "name": "Big guide",
                    "area_id": self.area_finance.id,
                    "content": huge_html,
                }
            )
        self.assertFalse(self.guide.has_unpublished_changes, "nothing was saved")
        self.assertEqual(len(self.guide.step_ids), 1)
        # the limits leave room for a real guide
        key_user.write({"content": "<p>" + "x" * 500_000 + "</p>"})
        self.assertEqual(len(self.guide.content), 500_007)


@tagged("post_install", "-at_install")
class TestGuideVersionsRpc(ErpKeyUserCase, HttpCase):
    """The same boundaries through the routes a browser or a script uses,
    with a real portal session."""

    def _call_kw(self, model, method, args, kwargs=None):
        return self.make_jsonrpc_request(
            "/web/dataset/call_kw",
            {"model": model, "method": method, "args": args, "kwargs": kwargs or {}},
        )

    def test_portal_user_reads_neither_drafts_nor_history(self):
        guide = self.guide_published_a
        guide.content = "<p>Admin password is hunter2</p>"
        guide.action_publish()
        guide.with_user(self.key_user_a).write(
            {"name": "Renamed draft", "content": "<p>Next version</p>"}
        )
        self.authenticate(self.portal_a.login, self.portal_a.login)
        for method, args in (
            ("read", [[guide.id], ["html_field_history"]]),
            ("read", [[guide.id], ["html_field_history_metadata"]]),
            ("read", [[guide.id], ["content"]]),
            ("read", [[guide.id], ["step_ids"]]),
            ("html_field_history_get_content_at_revision", [[guide.id], "content", 1]),
            (
                "html_field_history_get_comparison_at_revision",
                [[guide.id], "content", 1],
            ),
        ):
            with mute_logger("odoo.http", "odoo.models"):
                with self.assertRaises(JsonRpcException, msg=method) as caught:
                    self._call_kw("erp.process.guide", method, args)
            self.assertEqual(
                str(caught.exception), "odoo.exceptions.AccessError", method
            )
        # what the portal user may read: the published version
        rows = self._call_kw(
            "erp.process.guide", "read", [[guide.id], ["published_name", "guide_html"]]
        )
        self.assertEqual(rows[0]["published_name"], "Published finance guide A")
        self.assertNotIn("Next version", rows[0]["guide_html"])

    def test_key_user_cannot_forge_the_history_over_rpc(self):
        self.authenticate(self.key_user_a.login, self.key_user_a.login)
        forged = {"content": [{"patch": FORGED_PATCH, "revision_id": 1}]}
        with mute_logger("odoo.http", "odoo.models"):
            with self.assertRaises(JsonRpcException) as caught:
                self._call_kw(
                    "erp.process.guide",
                    "write",
                    [[self.guide_published_a.id], {"html_field_history": forged}],
                )
        self.assertEqual(str(caught.exception), "odoo.exceptions.AccessError")
        self.assertFalse(self.guide_published_a.html_field_history)

    def test_portal_page_shows_the_published_version(self):
        guide = self.guide_published_a
        guide.with_user(self.key_user_a).write(
            {
                "name": "Renamed draft",
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
                ],
            }
        )
        self.authenticate(self.portal_a.login, self.portal_a.login)
        for url in ("/my/guides", f"/my/guides/{guide.id}"):
            html = self.url_open(url).text
            self.assertIn("Published finance guide A", html)
            self.assertNotIn("Renamed draft", html)
            self.assertNotIn("Check the amounts", html)
            self.assertNotIn("How we post vendor bills", html)
        guide.action_publish()
        html = self.url_open(f"/my/guides/{guide.id}").text
        self.assertIn("Renamed draft", html)
        self.assertIn("Version 2", html)
        self.assertIn("Compare with the purchase order.", html)
        self.assertIn("Expected result:", html)
        self.assertNotIn("You should see", html)
