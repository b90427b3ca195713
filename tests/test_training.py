# Copyright 2026 erp_key_user contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Training: readers confirm "I have read this version" of a published guide
(backend and portal), key users see who has read the current version and
remind the others, and the coverage report flags areas without a backup key
user."""

import re

from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .common import ErpKeyUserCase
from .test_portal import ErpKeyUserPortalCase


class ErpTrainingCase(ErpKeyUserCase):
    def _readers(self, guide, user=None):
        """{reader: state} of the current version of ``guide``, as ``user``
        (a key user of the guide's area by default)."""
        Reader = self.env["erp.process.guide.reader"].with_user(user or self.key_user_a)
        rows = Reader.search([("guide_id", "=", guide.id)])
        return {row.user_id: row.state for row in rows}

    def _publish_next_version(self, guide):
        guide = guide.with_user(self.key_user_a)
        guide.summary = "Read the new step about partial payments."
        guide.action_publish()
        # the readers report is a view over the guides and confirmations
        self.env.invalidate_all()


@tagged("post_install", "-at_install")
class TestReadConfirmation(ErpTrainingCase):
    def test_consultation_user_confirms_the_current_version_once(self):
        guide = self.guide_published_a.with_user(self.consultation_a)
        self.assertFalse(guide.is_read_by_me)
        guide.action_confirm_read()
        self.assertTrue(guide.is_read_by_me)
        self.assertTrue(guide.my_read_on)
        # confirming again changes nothing
        guide.action_confirm_read()
        reads = self.env["erp.process.guide.read"].search([("guide_id", "=", guide.id)])
        self.assertEqual(len(reads), 1)
        self.assertEqual(reads.user_id, self.consultation_a)
        self.assertEqual(reads.version_id, guide.published_version_id)
        self.assertEqual(reads.version, 1)

    def test_a_new_version_asks_again(self):
        self.guide_published_a.with_user(self.consultation_a).action_confirm_read()
        self.assertEqual(
            self._readers(self.guide_published_a)[self.consultation_a], "read"
        )
        self._publish_next_version(self.guide_published_a)
        guide = self.guide_published_a.with_user(self.consultation_a)
        self.assertFalse(guide.is_read_by_me)
        row = (
            self.env["erp.process.guide.reader"]
            .with_user(self.key_user_a)
            .search(
                [
                    ("guide_id", "=", guide.id),
                    ("user_id", "=", self.consultation_a.id),
                ]
            )
        )
        self.assertEqual(row.state, "outdated")
        self.assertEqual(row.last_read_version, 1)
        self.assertEqual(row.version, 2)
        guide.action_confirm_read()
        self.assertTrue(guide.is_read_by_me)
        self.assertEqual(
            self._readers(self.guide_published_a)[self.consultation_a], "read"
        )

    def test_nobody_writes_a_confirmation_for_somebody_else(self):
        guide = self.guide_published_a
        values = {
            "user_id": self.portal_a.id,
            "guide_id": guide.id,
            "version_id": guide.published_version_id.id,
        }
        Read = self.env["erp.process.guide.read"]
        for user in (self.consultation_a, self.key_user_a, self.manager_a):
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                Read.with_user(user).create(values)
        guide.with_user(self.portal_a).action_confirm_read()
        read = Read.search([("user_id", "=", self.portal_a.id)])
        for user in (self.portal_a, self.manager_a):
            with self.subTest(user=user.login):
                with self.assertRaises(AccessError):
                    read.with_user(user).write({"user_id": self.consultation_a.id})
                with self.assertRaises(AccessError):
                    read.with_user(user).unlink()

    def test_only_readable_published_guides_are_confirmed(self):
        # the demo data holds confirmations of its own
        reads_before = self.env["erp.process.guide.read"].search_count([])
        cases = [
            # drafts are hidden from consultation users
            (self.consultation_a, self.guide_draft_a),
            # a guide kept off the portal
            (self.portal_a, self.guide_internal_a),
            # another company's guide
            (self.consultation_b, self.guide_published_a),
            (self.portal_b, self.guide_published_a),
            # no role in key user support
            (self.employee_a, self.guide_published_a),
            (self.portal_no_role_a, self.guide_published_a),
        ]
        for user, guide in cases:
            with self.subTest(user=user.login, guide=guide.name):
                with self.assertRaises(AccessError):
                    guide.with_user(user).action_confirm_read()
        # a key user reads a draft, but there is no version to confirm
        with self.assertRaises(UserError):
            self.guide_draft_a.with_user(self.key_user_wh_a).action_confirm_read()
        self.assertEqual(
            self.env["erp.process.guide.read"].search_count([]), reads_before
        )

    def test_each_reads_their_own_confirmations_key_users_their_companys(self):
        for user in (self.consultation_a, self.portal_a, self.key_user_wh_a):
            self.guide_published_a.with_user(user).action_confirm_read()
        self.guide_published_b.with_user(self.consultation_b).action_confirm_read()
        Read = self.env["erp.process.guide.read"]
        for user in (self.consultation_a, self.portal_a):
            with self.subTest(user=user.login):
                self.assertEqual(Read.with_user(user).search([]).user_id, user)
        self.assertEqual(
            Read.with_user(self.key_user_a).search([]).user_id,
            self.consultation_a | self.portal_a | self.key_user_wh_a,
        )
        self.assertEqual(
            Read.with_user(self.key_user_b).search([]).user_id, self.consultation_b
        )


@tagged("post_install", "-at_install")
class TestReaders(ErpTrainingCase):
    def test_the_readers_of_a_guide_are_its_consultation_users(self):
        readers = self._readers(self.guide_published_a)
        # key_user_a writes the finance guides; employees and portal users
        # without a role are nobody's readers; company B is not company A
        self.assertEqual(
            set(readers),
            {
                self.manager_a,
                self.key_user_wh_a,
                self.consultation_a,
                self.agent_a,
                self.portal_a,
                self.portal_key_user_a,
            },
        )
        self.assertEqual(set(readers.values()), {"unread"})
        # a guide kept off the portal has no portal readers
        self.assertFalse(
            {self.portal_a, self.portal_key_user_a}
            & set(self._readers(self.guide_internal_a))
        )
        # drafts have no readers
        self.assertFalse(self._readers(self.guide_draft_a, self.key_user_wh_a))

    def test_counts_per_guide_in_one_query(self):
        self.guide_published_a.with_user(self.consultation_a).action_confirm_read()
        guides = (self.guide_published_a | self.guide_internal_a).with_user(
            self.key_user_a
        )
        # warm: the user's groups and record rules are cached
        self.assertTrue(guides[0].reader_count)
        self.env.invalidate_all()
        with self.assertQueryCount(1):
            counts = [(g.reader_done_count, g.reader_count) for g in guides]
        self.assertEqual(counts, [(1, 6), (0, 4)])

    def test_readers_are_for_key_users_managers_and_agents(self):
        Reader = self.env["erp.process.guide.reader"]
        for user in (self.consultation_a, self.portal_a, self.portal_key_user_a):
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                Reader.with_user(user).search([])
        for user in (self.key_user_a, self.manager_a, self.agent_a):
            with self.subTest(user=user.login):
                guides = Reader.with_user(user).search([]).guide_id
                self.assertEqual(guides, self.guide_published_a | self.guide_internal_a)
        self.assertNotIn(
            self.guide_published_a,
            Reader.with_user(self.key_user_b).search([]).guide_id,
        )

    def test_remind_sends_one_message_per_reader_listing_their_guides(self):
        self.guide_published_a.with_user(self.key_user_wh_a).action_confirm_read()
        Reader = self.env["erp.process.guide.reader"].with_user(self.key_user_a)
        rows = Reader.search([("state", "!=", "read")])
        before = self.env["mail.message"].search([]).ids
        rows.action_remind()
        messages = self.env["mail.message"].search([("id", "not in", before)])
        by_partner = {}
        for message in messages:
            for partner in message.partner_ids:
                by_partner.setdefault(partner, []).append(message)
        # one message each, not one per guide
        self.assertEqual(
            {partner: len(msgs) for partner, msgs in by_partner.items()},
            dict.fromkeys(
                (
                    self.manager_a
                    | self.consultation_a
                    | self.agent_a
                    | self.portal_a
                    | self.portal_key_user_a
                    | self.key_user_wh_a
                ).partner_id,
                1,
            ),
        )
        consultation_body = by_partner[self.consultation_a.partner_id][0].body
        self.assertIn(self.guide_published_a.published_name, consultation_body)
        self.assertIn(self.guide_internal_a.published_name, consultation_body)
        # the warehouse key user read the first guide: only the other one
        key_user_body = by_partner[self.key_user_wh_a.partner_id][0].body
        self.assertNotIn(self.guide_published_a.published_name, key_user_body)
        self.assertIn(self.guide_internal_a.published_name, key_user_body)
        # portal users get the portal page of the guide
        portal_body = by_partner[self.portal_a.partner_id][0].body
        self.assertIn(f"/my/guides/{self.guide_published_a.id}", portal_body)
        self.assertNotIn(self.guide_internal_a.published_name, portal_body)

    def test_remind_from_the_guide_skips_those_who_read_it(self):
        guide = self.guide_published_a
        for user in (
            self.manager_a,
            self.key_user_wh_a,
            self.consultation_a,
            self.agent_a,
            self.portal_a,
            self.portal_key_user_a,
        ):
            guide.with_user(user).action_confirm_read()
        with self.assertRaises(UserError):
            guide.with_user(self.key_user_a).action_remind_readers()


@tagged("post_install", "-at_install")
class TestCoverage(ErpTrainingCase):
    def _coverage(self, instance, user=None):
        Coverage = self.env["erp.key.user.coverage"].with_user(user or self.manager_a)
        return {
            row.area_id: row
            for row in Coverage.search([("instance_id", "=", instance.id)])
        }

    def test_areas_without_backup_are_flagged(self):
        coverage = self._coverage(self.production_a)
        self.assertEqual(coverage[self.area_finance].coverage, "no_backup")
        self.assertEqual(coverage[self.area_finance].key_user_id, self.key_user_a)
        self.assertEqual(coverage[self.area_sales].coverage, "no_key_user")
        instance = self.production_a.with_user(self.manager_a)
        self.assertEqual(
            instance.no_backup_area_ids,
            self.area_finance | self.area_warehouse | self.area_technical,
        )
        self.env["erp.key.user.assignment"].with_user(self.manager_a).create(
            {
                "instance_id": self.production_a.id,
                "area_id": self.area_finance.id,
                "user_id": self.key_user_wh_a.id,
                "is_backup": True,
            }
        )
        # the report is a view over the assignments
        self.env.invalidate_all()
        coverage = self._coverage(self.production_a)
        self.assertEqual(coverage[self.area_finance].coverage, "covered")
        self.assertEqual(coverage[self.area_finance].backup_count, 1)
        instance.invalidate_recordset()
        self.assertNotIn(self.area_finance, instance.no_backup_area_ids)

    def test_consultation_users_served(self):
        coverage = self._coverage(self.production_a)
        # company A's consultation users who are not key users there: the
        # internal consultation user, the agent and both portal contacts
        self.assertEqual(coverage[self.area_finance].served_user_count, 4)
        new_reader = self.env["res.users"].create(
            {
                "name": "New colleague",
                "login": "new_colleague_a",
                "company_id": self.company_a.id,
                "company_ids": [Command.set(self.company_a.ids)],
                "group_ids": [
                    Command.link(self.env.ref("base.group_user").id),
                    Command.link(
                        self.env.ref("erp_key_user.group_consultation_user").id
                    ),
                ],
            }
        )
        self.assertTrue(new_reader)
        self.env.invalidate_all()
        coverage = self._coverage(self.production_a)
        self.assertEqual(coverage[self.area_warehouse].served_user_count, 5)

    def test_coverage_is_for_key_users_of_the_company(self):
        Coverage = self.env["erp.key.user.coverage"]
        for user in (self.consultation_a, self.portal_a, self.portal_key_user_a):
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                Coverage.with_user(user).search([])
        self.assertEqual(
            Coverage.with_user(self.key_user_b).search([]).instance_id,
            self.production_b,
        )


@tagged("post_install", "-at_install")
class TestReadConfirmationPortal(ErpKeyUserPortalCase):
    def _post(self, url, data):
        self.env.flush_all()
        response = self.url_open(url, data=data, allow_redirects=False)
        self.env.invalidate_all()
        return response

    def _csrf(self, guide):
        self.authenticate("portal_a", "portal_a")
        self.env.flush_all()
        html = self.url_open(f"/my/guides/{guide.id}").text
        return html, re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)

    def test_portal_user_confirms_reading_on_the_guide_page(self):
        guide = self.guide_published_a
        html, csrf = self._csrf(guide)
        self.assertIn("o_erp_portal_guide_confirm_read", html)
        # a form posted from elsewhere (no CSRF token) changes nothing
        response = self._post(f"/my/guides/{guide.id}/read", {"confirm": "1"})
        self.assertEqual(response.status_code, 400)
        self.assertFalse(guide.with_user(self.portal_a).is_read_by_me)
        response = self._post(f"/my/guides/{guide.id}/read", {"csrf_token": csrf})
        self.assertEqual(response.status_code, 303)
        read = self.env["erp.process.guide.read"].search([("guide_id", "=", guide.id)])
        self.assertEqual(read.user_id, self.portal_a)
        self.assertEqual(read.version_id, guide.published_version_id)
        self.env.flush_all()
        html = self.url_open(f"/my/guides/{guide.id}").text
        self.assertNotIn("o_erp_portal_guide_confirm_read", html)
        self.assertIn("You confirmed reading version", html)

    def test_portal_user_cannot_confirm_guides_they_may_not_read(self):
        reads_before = self.env["erp.process.guide.read"].search_count([])
        _html, csrf = self._csrf(self.guide_published_a)
        for guide in (
            self.guide_internal_a,
            self.guide_draft_a,
            self.guide_published_b,
        ):
            with self.subTest(guide=guide.name):
                response = self._post(
                    f"/my/guides/{guide.id}/read", {"csrf_token": csrf}
                )
                self.assertEqual(response.status_code, 404)
        self.assertEqual(
            self.env["erp.process.guide.read"].search_count([]), reads_before
        )
