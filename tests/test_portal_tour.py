# Copyright 2026 erp_key_user contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Browser tours of the portal (static/tests/tours/portal_tour.js), in headless
Chromium, as a portal consultation user."""

from odoo.tests import tagged

from .test_portal import ErpKeyUserPortalCase

COMMENT = "Thank you, the valuation entries are posted again."


class PortalTourMixin:
    def _assert_commented(self):
        message = self.resolved_a.message_ids.filtered(
            lambda m: COMMENT in (m.body or "")
        )
        self.assertEqual(len(message), 1)
        self.assertEqual(message.author_id, self.portal_a.partner_id)
        self.assertEqual(message.message_type, "comment")
        self.assertEqual(message.subtype_id, self.env.ref("mail.mt_comment"))
        self.assertEqual(self.resolved_a.state, "resolved", "a comment changes nothing")


@tagged("post_install", "-at_install")
class TestPortalTour(PortalTourMixin, ErpKeyUserPortalCase):
    def test_portal_user_reads_history_and_comments(self):
        self.start_tour("/my/incidents", "erp_key_user_portal_tour", login="portal_a")
        self._assert_commented()


@tagged("post_install", "-at_install")
class TestPortalTourMobile(PortalTourMixin, ErpKeyUserPortalCase):
    browser_size = "375x667"
    touch_enabled = True

    def test_portal_user_on_a_phone(self):
        self.start_tour(
            "/my/incidents", "erp_key_user_portal_mobile_tour", login="portal_a"
        )
        self._assert_commented()
