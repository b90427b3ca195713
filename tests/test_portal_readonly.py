# Copyright 2026 erp_key_user contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The portal pages that only read are read-only routes, so that a server
started with ``--db_replica_host`` serves them from the read replica; the
routes that write are not.

A route declared read-only that writes anyway is not an error in Odoo: the
request fails on the replica, is retried on the primary with a warning, and the
replica gained nothing. So the test also opens every read-only page as a real
portal user on a read-only cursor and fails on that retry."""

import logging

from odoo.tests import HttpCase, tagged

from .test_portal import ErpKeyUserPortalCase

MODULE = "odoo.addons.erp_key_user."

# every route of the addon that may write, and why
WRITING_ROUTES = {
    # reopens a resolved incident and posts the user's details
    "/my/incidents/<int:incident_id>/persists",
    # creates (or converts) and escalates the support request of the form
    "/my/incidents/new/submit",
    # records the self-help event of the suggestion the user opened
    "/erp_key_user/self_help/<string:token>/<string:kind>/<int:record_id>",
    # records the self-help event of the suggestion opened from the report
    # wizard's list, in its dialog
    "/erp_key_user/self_help/opened",
    # creates the question asked to the key user
    "/my/questions/submit",
    # the key user's answer resolves the question
    "/my/incidents/<int:incident_id>/answer",
    # the key user's confirmation closes the resolved request
    "/my/incidents/<int:incident_id>/confirm",
    # records the user's confirmation "I have read this version" of a guide
    "/my/guides/<int:guide_id>/read",
}


@tagged("post_install", "-at_install")
class TestPortalReadOnlyRoutes(ErpKeyUserPortalCase, HttpCase):
    def _addon_routes(self):
        """{path: routing} of every route this addon's controllers declare."""
        IrHttp = self.env["ir.http"]
        modules = sorted(self.env.registry._init_modules)
        routes = {}
        # the rules the routing map is made of, as the installed modules merge them
        for url, endpoint in IrHttp._generate_routing_rules(
            modules, converters=IrHttp._get_converters()
        ):
            if endpoint.func.__module__.startswith(MODULE):
                routes[url] = endpoint.routing
        return routes

    def test_pages_that_only_read_are_read_only_routes(self):
        routes = self._addon_routes()
        self.assertIn("/my/incidents", routes, "the addon's routes were not found")
        read_only = {path for path, routing in routes.items() if routing["readonly"]}
        writing = set(routes) - read_only
        self.assertEqual(
            writing,
            WRITING_ROUTES & set(routes),
            "a route that writes must be listed in WRITING_ROUTES with its reason; "
            "every other route is read-only",
        )
        for path in (
            "/my/incidents",
            "/my/incidents/page/<int:page>",
            "/my/incidents/<int:incident_id>",
            "/my/guides",
            "/my/guides/page/<int:page>",
            "/my/guides/<int:guide_id>",
            "/my/questions/new",
        ):
            self.assertIn(path, read_only)

    def test_read_only_pages_do_not_write(self):
        """Served on a read-only cursor (HttpCase simulates the replica with a
        READ ONLY transaction), no page is retried on the primary."""
        self.authenticate(self.portal_a.login, self.portal_a.login)
        urls = [
            "/my/incidents",
            "/my/incidents?search=stock&search_in=all&sortby=state",
            "/my/incidents/page/2",
            self.resolved_a.access_url,
            "/my/guides",
            "/my/guides/page/2",
            f"/my/guides/{self.guide_published_a.id}",
            f"/my/questions/new?guide_id={self.guide_published_a.id}",
        ]
        retries = []

        class RetryHandler(logging.Handler):
            def emit(self, record):
                if "retrying with a read/write cursor" in record.getMessage():
                    retries.append(record.getMessage())

        handler = RetryHandler(level=logging.WARNING)
        http_logger = logging.getLogger("odoo.http")
        http_logger.addHandler(handler)
        try:
            for url in urls:
                response = self.url_open(url)
                self.assertEqual(response.status_code, 200, url)
        finally:
            http_logger.removeHandler(handler)
        self.assertEqual(retries, [], "a read-only page wrote to the database")
