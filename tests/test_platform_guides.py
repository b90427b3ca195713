# Copyright 2026 erp_key_user contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Agents write each customer's guides in the backend (DESIGN §14): they find
them by customer and by the name of the working copy, and a guide reaches the
portal of its customer only."""

from lxml import etree

from odoo import Command
from odoo.tests import HttpCase, tagged

from .common import ErpPlatformCase


@tagged("post_install", "-at_install")
class TestPlatformGuides(ErpPlatformCase, HttpCase):
    def _agent_guide(self):
        Guide = self.env["erp.process.guide"].with_user(self.agent_a)
        guide = Guide.create(
            {
                "name": "Customer 1 manual: the custom dunning letters",
                "company_id": self.company_a.id,
                "partner_id": self.customer_c1.id,
                "area_id": self.area_finance.id,
                "step_ids": [Command.create({"name": "Open the dunning run"})],
            }
        )
        guide.action_publish()
        return guide

    def _arch(self, view_type):
        Guide = self.env["erp.process.guide"].with_user(self.agent_a)
        return etree.fromstring(Guide.get_view(view_type=view_type)["arch"])

    def test_agents_find_guides_by_customer_and_working_copy_name(self):
        guide = self._agent_guide()
        # the next version is being written: readers still see the published name
        guide.with_user(self.agent_a).name = "Customer 1 manual: dunning letters v2"
        search = self._arch("search")
        self.assertTrue(search.xpath("//field[@name='name']"))
        self.assertFalse(search.xpath("//field[@name='published_name']"))
        self.assertTrue(search.xpath("//field[@name='partner_id']"))
        self.assertTrue(search.xpath("//filter[@name='group_partner']"))
        self.assertTrue(self._arch("list").xpath("//field[@name='name']"))
        # the working copy's fields are on the agents' form
        form = self._arch("form")
        for xpath in ("//field[@name='name']", "//page[@name='steps']"):
            self.assertTrue(form.xpath(xpath), xpath)
        Guide = self.env["erp.process.guide"].with_user(self.agent_a)
        name_domain = (
            etree.fromstring(Guide.get_view(view_type="search")["arch"])
            .xpath("//field[@name='name']")[0]
            .get("filter_domain")
        )
        self.assertIn("'name'", name_domain)
        self.assertEqual(Guide.search([("name", "ilike", "dunning letters v2")]), guide)
        groups = dict(
            Guide._read_group(
                [("id", "in", (guide | self.guide_c2).ids)], ["partner_id"], ["__count"]
            )
        )
        self.assertEqual(groups, {self.customer_c1: 1, self.customer_c2: 1})

    def test_a_customers_guide_reaches_that_customer_only(self):
        guide = self._agent_guide()
        url = f"/my/guides/{guide.id}"
        self.env.flush_all()
        self.authenticate("portal_c1", "portal_c1")
        response = self.url_open(url)
        self.assertEqual(response.status_code, 200)
        self.assertIn("Open the dunning run", response.text)
        for login in ("portal_c2", "portal_key_user_c2", "portal_a"):
            with self.subTest(login=login):
                self.authenticate(login, login)
                self.assertEqual(self.url_open(url).status_code, 404)
