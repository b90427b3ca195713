# Copyright 2026 erp_key_user contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""pytest settings for the erp_key_user tests (run them with `make test`)."""

import pytest

# pytest-odoo must import the tests as odoo.addons.erp_key_user.tests.*: imported
# under any other name the addon's models would be loaded twice. `make test`
# imports them with --pyargs through the .addons/erp_key_user symlink for that reason.
if not __name__.startswith("odoo.addons.erp_key_user."):
    raise ImportError(
        f"tests imported as {__name__!r}, not as odoo.addons.erp_key_user.tests: "
        "run them with `make test` (tools/test.sh)"
    )


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """Report a skipped test as failed, with the skip reason.

    A skipped test is not a passing one: Odoo skips browser tests silently when
    Chromium or websocket-client is missing, and a green run must mean that every
    test ran. (An expected failure, ``xfail``, is left alone.)
    """
    outcome = yield
    report = outcome.get_result()
    if report.skipped and not hasattr(report, "wasxfail"):
        reason = report.longrepr
        if isinstance(reason, tuple):  # (path, line, "Skipped: why")
            reason = reason[2]
        report.outcome = "failed"
        report.longrepr = f"skipped tests count as failures: {reason}"


@pytest.fixture(scope="session")
def supplier_platform():
    """The second Odoo server acting as the supplier's platform
    (tests/platform_server.py), started once for the session's connector
    tests and stopped at its end. It cannot start: the tests fail (never
    skip), saying why."""
    from .platform_server import PlatformServer, PlatformServerError  # noqa: PLC0415

    try:
        server = PlatformServer.from_environment()
        server.start()
    except PlatformServerError as error:
        pytest.fail(f"the supplier's platform server: {error}", pytrace=False)
    yield server
    server.stop()


@pytest.fixture(scope="class")
def supplier_platform_class(request, supplier_platform):
    """``self.platform`` for a test class marked
    ``@pytest.mark.usefixtures("supplier_platform_class")``."""
    request.cls.platform = supplier_platform


def pytest_terminal_summary(terminalreporter):
    """What the connector scenarios saw on the second server (the lines the
    tests of tests/test_connector.py report)."""
    from .platform_server import SCENARIO_REPORT  # noqa: PLC0415

    if SCENARIO_REPORT:
        terminalreporter.section("connector scenarios (second Odoo server)")
        for line in SCENARIO_REPORT:
            terminalreporter.write_line(line)
