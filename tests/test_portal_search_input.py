# Copyright 2026 erp_key_user contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Control characters in the portal search box (issue #19): a NUL byte
answered HTTP 500; it is cleaned before searching."""

from odoo.tests import HttpCase, tagged

from .common import ErpKeyUserCase


@tagged("post_install", "-at_install")
class TestPortalSearchInput(ErpKeyUserCase, HttpCase):
    def _get(self, url):
        self.env.flush_all()
        return self.url_open(url)

    def test_control_characters_in_the_search_are_cleaned(self):
        self.authenticate("portal_a", "portal_a")
        for url, expected in (
            ("/my/incidents?search=%00", self.incident_a.title),
            ("/my/incidents?search=Invoice%00validation", self.incident_a.title),
            (
                "/my/incidents?search_in=title&search=%01Invoice%1f",
                self.incident_a.title,
            ),
            ("/my/guides?search=%00", self.guide_published_a.name),
            ("/my/guides?search=finance%00guide", self.guide_published_a.name),
        ):
            with self.subTest(url=url):
                response = self._get(url)
                self.assertEqual(response.status_code, 200)
                self.assertIn(expected, response.text)
                self.assertNotIn("\x00", response.text)
