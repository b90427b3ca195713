# Copyright 2026 erp_key_user contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The addon's Hoot unit tests (static/tests/*.test.js), in headless Chromium."""

from odoo.tests import HttpCase, tagged


def _hoot_hash(name):
    # the id Hoot gives a suite, as computed by web's own test runner
    value = 0
    for char in name:
        value = ((value << 5) - value + ord(char)) & 0xFFFFFFFF
    return f"{value:08x}"


def _unit_test_error_checker(message):
    return "[HOOT]" not in message


@tagged("post_install", "-at_install")
class TestJsUnit(HttpCase):
    def test_hoot_unit_tests(self):
        self.browser_js(
            "/web/tests?headless&loglevel=2&preset=desktop&timeout=15000"
            f"&id={_hoot_hash('@erp_key_user')}",
            "",
            "",
            login="admin",
            timeout=900,
            success_signal="[HOOT] Test suite succeeded",
            error_checker=_unit_test_error_checker,
        )
