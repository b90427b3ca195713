#!/usr/bin/env python3
# Copyright 2026 erp_key_user contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Take the Apps store screenshots (static/description/screenshot_*.png) from a
running demo database (`make demo`) with headless Chromium.

    make demo &                                  # http://localhost:8069
    python3 tools/screenshots.py [--url http://localhost:8069] [--db DB]
                                 [--out static/description] [--only NAME ...]

Needs Chromium and websocket-client (tools/odoo_python.sh installs it). The
script starts its own Chromium (a throw-away profile, a free DevTools port),
logs in through /web/login as the demo users of tools/demo_logins.txt, opens
each page, waits until it has rendered and saves a PNG through the DevTools
protocol. A page that shows an error dialog or never renders fails the run.
"""

import argparse
import base64
import json
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import websocket

REPO = Path(__file__).resolve().parents[1]
WIDTH, HEIGHT = 1400, 900
PHONE_WIDTH, PHONE_HEIGHT = 375, 812
# the portal chatter renders later, inside a shadow root
PORTAL_CHATTER_READY = (
    "[...document.querySelectorAll('.o_portal_chatter *')].some("
    "(el) => el.shadowRoot?.querySelector('.o-mail-Thread'))"
)
INCIDENT_ACTION = "/odoo/action-erp_key_user.action_erp_incident"
GUIDE_ACTION = "/odoo/action-erp_key_user.action_erp_process_guide"
CHANGE_REQUEST_ACTION = "/odoo/action-erp_key_user.action_erp_change_request"
# the backend has rendered: no spinner, no pending RPC, no error dialog
BACKEND_READY = (
    "!document.querySelector('.o_loading_indicator, .o_blockUI, .o-main-components"
    "-container .o_loading')"
)
ERROR_SELECTOR = ".o_error_dialog, .o_dialog_error, .o_notification.border-danger"


class CdpError(RuntimeError):
    pass


class Chromium:
    """A headless Chromium and a DevTools connection to its first tab."""

    def __init__(self, binary):
        self.profile = tempfile.mkdtemp(prefix="erp_key_user_shots_")
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            port = sock.getsockname()[1]
        self.proc = subprocess.Popen(
            [
                binary,
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-dev-shm-usage",
                "--no-first-run",
                "--hide-scrollbars",
                "--remote-debugging-address=127.0.0.1",
                f"--remote-debugging-port={port}",
                f"--user-data-dir={self.profile}",
                f"--window-size={WIDTH},{HEIGHT}",
                "about:blank",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            ws_url = self._page_ws_url(port)
            self.ws = websocket.create_connection(
                ws_url, timeout=60, suppress_origin=True
            )
        except Exception:
            self.close()
            raise
        self.msg_id = 0
        self.set_viewport(WIDTH, HEIGHT)

    def set_viewport(self, width, height, mobile=False):
        """Emulate a screen of ``width`` x ``height`` CSS pixels (a phone's
        layout when ``mobile``)."""
        self.call(
            "Emulation.setDeviceMetricsOverride",
            width=width,
            height=height,
            deviceScaleFactor=1,
            mobile=mobile,
        )

    def _page_ws_url(self, port, timeout=30):
        deadline = time.monotonic() + timeout
        while True:
            try:
                url = f"http://127.0.0.1:{port}/json/list"
                with urllib.request.urlopen(url, timeout=5) as resp:
                    targets = json.load(resp)
            except OSError:  # not listening yet
                targets = []
            pages = [t for t in targets if t.get("type") == "page"]
            if pages:
                return pages[0]["webSocketDebuggerUrl"]
            if self.proc.poll() is not None or time.monotonic() > deadline:
                raise CdpError("Chromium did not open its DevTools port")
            time.sleep(0.2)

    def close(self):
        if getattr(self, "ws", None):
            self.ws.close()
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        shutil.rmtree(self.profile, ignore_errors=True)

    def call(self, method, **params):
        self.msg_id += 1
        self.ws.send(
            json.dumps({"id": self.msg_id, "method": method, "params": params})
        )
        while True:  # skip the events (no domain is enabled, so there are few)
            msg = json.loads(self.ws.recv())
            if msg.get("id") == self.msg_id:
                if "error" in msg:
                    raise CdpError(f"{method}: {msg['error']}")
                return msg["result"]

    def evaluate(self, expression, await_promise=False):
        result = self.call(
            "Runtime.evaluate",
            expression=expression,
            returnByValue=True,
            awaitPromise=await_promise,
        )
        if "exceptionDetails" in result:
            details = result["exceptionDetails"]
            text = details.get("exception", {}).get("description") or details["text"]
            raise CdpError(f"{expression[:80]}...: {text}")
        return result["result"].get("value")

    def wait_for(self, condition, what, timeout=60):
        """Poll the JS ``condition`` until it is true; fail on an error dialog."""
        deadline = time.monotonic() + timeout
        check = f"document.querySelector({json.dumps(ERROR_SELECTOR)})?.innerText"
        while True:
            error = self.evaluate(check)
            if error:
                raise CdpError(f"error shown while waiting for {what}: {error[:500]}")
            if self.evaluate(f"!!({condition})"):
                return
            if time.monotonic() > deadline:
                url = self.evaluate("location.href")
                raise CdpError(f"timeout waiting for {what} on {url}")
            time.sleep(0.25)

    def wait_selector(self, selector, timeout=60):
        self.wait_for(
            f"document.readyState === 'complete' && "
            f"document.querySelector({json.dumps(selector)})",
            selector,
            timeout,
        )

    def navigate(self, url):
        result = self.call("Page.navigate", url=url)
        if result.get("errorText"):
            raise CdpError(f"cannot open {url}: {result['errorText']}")

    def screenshot(self, path, full_page=False):
        # let images, fonts and CSS transitions settle
        self.wait_for("[...document.images].every((img) => img.complete)", "images")
        time.sleep(1.0)
        params = {"format": "png"}
        if full_page:  # the whole page, not only the window
            size = self.call("Page.getLayoutMetrics")["cssContentSize"]
            params.update(
                captureBeyondViewport=True,
                clip={
                    "x": 0,
                    "y": 0,
                    "width": size["width"],
                    "height": size["height"],
                    "scale": 1,
                },
            )
        data = self.call("Page.captureScreenshot", **params)["data"]
        path.write_bytes(base64.b64decode(data))
        print(f"saved {path.relative_to(REPO) if path.is_relative_to(REPO) else path}")


class Demo:
    def __init__(self, browser, url, db):
        self.browser = browser
        self.url = url.rstrip("/")
        self.db = db
        self.user = None

    def login(self, login, password):
        if self.user == login:
            return
        b = self.browser
        b.call("Network.clearBrowserCookies")
        b.navigate(f"{self.url}/web/login" + (f"?db={self.db}" if self.db else ""))
        b.wait_selector("form input[name=login]")
        b.evaluate(
            "(() => {"
            "const form = document.querySelector('input[name=login]').form;"
            f"form.elements.login.value = {json.dumps(login)};"
            f"form.elements.password.value = {json.dumps(password)};"
            "form.submit();"
            "})()"
        )
        b.wait_for(
            "document.readyState === 'complete' && ("
            "!location.pathname.startsWith('/web/login') || "
            "document.querySelector('.alert-danger'))",
            f"login of {login}",
        )
        if b.evaluate("location.pathname").startswith("/web/login"):
            raise CdpError(f"cannot log in as {login}/{password}")
        self.user = login

    def xmlid(self, xmlid):
        """Database id of ``module.name``, if the logged-in user may read it."""
        module, name = xmlid.split(".")
        payload = {
            "jsonrpc": "2.0",
            "method": "call",
            "id": 1,
            "params": {
                "model": "ir.model.data",
                "method": "check_object_reference",
                "args": [module, name],
                "kwargs": {},
            },
        }
        response = self.browser.evaluate(
            "fetch('/web/dataset/call_kw/ir.model.data/check_object_reference', {"
            "method: 'POST', headers: {'Content-Type': 'application/json'},"
            f"body: JSON.stringify({json.dumps(payload)})}}).then((r) => r.json())",
            await_promise=True,
        )
        if response.get("error") or not response["result"][1]:
            raise CdpError(f"{xmlid} not found or not readable by {self.user}")
        return response["result"][1]

    def open_backend(self, path, selector):
        self.browser.navigate(self.url + path)
        self.browser.wait_selector(selector)
        self.browser.wait_for(BACKEND_READY, "the backend to load")


# ---------------------------------------------------------------------------
# the screenshots: name -> function(demo, png path)


def shot_incident_form(demo, path):
    """Key user: the escalated incident, with its SLA, supplier reference and
    "Open in Production" / "Open in Staging" for the invoice it came from."""
    demo.login("keyuser", "keyuser")
    incident = demo.xmlid("erp_key_user.incident_escalated")
    demo.open_backend(f"{INCIDENT_ACTION}/{incident}", ".o_form_view .o_form_sheet")
    demo.browser.screenshot(path)


def shot_escalation_wizard(demo, path):
    """Warehouse key user: "Escalate to Supplier" on the in-progress incident."""
    demo.login("keyuser_wh", "keyuser_wh")
    incident = demo.xmlid("erp_key_user.incident_in_progress")
    demo.open_backend(
        f"{INCIDENT_ACTION}/{incident}",
        ".o_form_view button[name=action_open_escalation]",
    )
    demo.browser.evaluate(
        "document.querySelector('.o_form_view button[name=action_open_escalation]')"
        ".click()"
    )
    demo.browser.wait_selector(".modal .o_form_view")
    demo.browser.wait_for(BACKEND_READY, "the wizard to load")
    demo.browser.screenshot(path)


def shot_portal_incident(demo, path):
    """Portal consultation user: a closed incident, solved by the supplier."""
    demo.login("portal_consult", "portal_consult")
    incident = demo.xmlid("erp_key_user.incident_closed_supplier")
    demo.browser.navigate(f"{demo.url}/my/incidents/{incident}")
    demo.browser.wait_selector(".o_erp_portal_incident .o_portal_content")
    # the portal chatter renders later, inside a shadow root
    demo.browser.wait_for(
        "[...document.querySelectorAll('.o_portal_chatter *')].some("
        "(el) => el.shadowRoot?.querySelector('.o-mail-Thread'))",
        "the portal chatter",
    )
    demo.browser.screenshot(path)


def _open_request_form(demo):
    """Northwind's portal key user: the support-request form, sent once with
    a title that says nothing, so that it lists what is missing."""
    demo.login("nw_keyuser", "nw_keyuser")
    demo.browser.navigate(f"{demo.url}/my/incidents/new")
    demo.browser.wait_selector(".o_erp_support_request_form")
    demo.browser.evaluate(
        "(() => {"
        "const form = document.querySelector('.o_erp_support_request_form');"
        "form.elements.title.value = 'Problem';"
        "form.elements.actual_result.value = "
        "'Vendors without a bank account are skipped.';"
        "form.requestSubmit();"
        "})()"
    )
    demo.browser.wait_selector(".o_erp_request_errors")


def shot_portal_request_form(demo, path):
    """Portal key user: the support-request form, with what is missing."""
    _open_request_form(demo)
    demo.browser.screenshot(path)


def shot_portal_request_form_mobile(demo, path):
    """The same on a phone (375 px wide), the whole page."""
    browser = demo.browser
    browser.call(
        "Emulation.setDeviceMetricsOverride",
        width=375,
        height=812,
        deviceScaleFactor=1,
        mobile=True,
    )
    try:
        _open_request_form(demo)
        browser.screenshot(path, full_page=True)
    finally:
        browser.call("Emulation.clearDeviceMetricsOverride")


def shot_incident_kanban(demo, path):
    """Support manager: the incidents kanban, grouped by status."""
    demo.login("manager", "manager")
    demo.open_backend(
        f"{INCIDENT_ACTION}?view_type=kanban", ".o_kanban_view .o_kanban_record"
    )
    demo.browser.screenshot(path)


def shot_process_guide(demo, path):
    """Key user: a published process guide, on its readable guide tab."""
    demo.login("keyuser", "keyuser")
    guide = demo.xmlid("erp_key_user.guide_customer_invoice")
    demo.open_backend(f"{GUIDE_ACTION}/{guide}", ".o_form_view .o_form_sheet")
    demo.browser.screenshot(path)


def shot_report_wizard(demo, path):
    """Consultation user: Ask Key User from a contact; while the title is
    typed, the one list of suggestions, the question's words marked."""
    demo.login("consult", "consult")
    partner = demo.xmlid("base.main_partner")
    demo.open_backend(
        f"/odoo/res.partner/{partner}", ".o_form_view .o_cp_action_menus button"
    )
    b = demo.browser
    b.evaluate(
        "document.querySelector('.o_form_view .o_cp_action_menus button').click()"
    )
    b.wait_selector(".o_erp_key_user_report_incident")
    b.evaluate("document.querySelector('.o_erp_key_user_report_incident').click()")
    b.wait_selector(".modal .o_field_widget[name=title] input")
    # typed, not left: the suggestions follow the title (erp_live_char)
    b.evaluate(
        "(() => {"
        "const input = document.querySelector("
        "'.modal .o_field_widget[name=title] input');"
        "input.focus();"
        "input.value = 'How to change the payment term of a customer';"
        "input.dispatchEvent(new Event('input', {bubbles: true}));"
        "})()"
    )
    b.wait_selector(".modal .o_erp_suggestion mark")
    b.wait_for(BACKEND_READY, "the suggestions to load")
    b.screenshot(path)


def shot_change_request_list(demo, path):
    """Support manager: the change requests, their states and activities."""
    demo.login("manager", "manager")
    # all of them, not only the ongoing ones (the default filter)
    demo.open_backend(CHANGE_REQUEST_ACTION, ".o_list_view .o_data_row")
    demo.browser.evaluate(
        "document.querySelector('.o_searchview .o_facet_remove')?.click()"
    )
    demo.browser.wait_for(
        "document.querySelectorAll('.o_list_view .o_data_row').length >= 3",
        "every change request",
    )
    demo.browser.wait_for(BACKEND_READY, "the list to load")
    demo.browser.screenshot(path)


def shot_change_request_form(demo, path):
    """Support manager: a proposed change request, to approve or refuse."""
    demo.login("manager", "manager")
    request = demo.xmlid("erp_key_user.change_request_proposed")
    demo.open_backend(
        f"{CHANGE_REQUEST_ACTION}/{request}",
        ".o_form_view button[name=action_approve_change]",
    )
    demo.browser.screenshot(path)


def _portal_page(demo, url, selector, path, script=None, chatter=False):
    """Portal ``url`` at desktop width into ``path`` and at a phone's 375 px
    into ``<name>_375.png`` beside it; ``script`` (JS) runs before each shot;
    with ``chatter``, the portal chatter is waited for."""
    for width, height, mobile, target in (
        (WIDTH, HEIGHT, False, path),
        (PHONE_WIDTH, PHONE_HEIGHT, True, path.with_name(f"{path.stem}_375.png")),
    ):
        demo.browser.set_viewport(width, height, mobile)
        try:
            demo.browser.navigate(url)
            demo.browser.wait_selector(selector)
            if chatter:
                demo.browser.wait_for(PORTAL_CHATTER_READY, "the portal chatter")
            if script:
                demo.browser.evaluate(script)
            demo.browser.screenshot(target)
        finally:
            demo.browser.set_viewport(WIDTH, HEIGHT)


def shot_portal_question_form(demo, path):
    """Northwind's consultation user asks the key user, from the guide read."""
    demo.login("nw_consult", "nw_consult")
    guide = demo.xmlid("erp_key_user.guide_northwind_payment_run")
    _portal_page(
        demo,
        f"{demo.url}/my/questions/new?guide_id={guide}",
        ".o_erp_question_form",
        path,
    )


def shot_portal_question_answer(demo, path):
    """Northwind's key user opens the question asked to them, with "Answer
    and close" unfolded."""
    demo.login("nw_keyuser", "nw_keyuser")
    question = demo.xmlid("erp_key_user.incident_northwind_question")
    _portal_page(
        demo,
        f"{demo.url}/my/incidents/{question}",
        ".o_erp_portal_answer",
        path,
        # the answer form as after a click on "Answer and close"
        script="document.querySelector('#erp_portal_answer_form')"
        ".classList.add('show')",
        chatter=True,
    )


def shot_guide_readers(demo, path):
    """Support manager: who has read the current version of each guide, per
    area and guide, with the Remind button."""
    demo.login("manager", "manager")
    demo.open_backend(
        "/odoo/action-erp_key_user.action_erp_process_guide_reader",
        ".o_list_view .o_group_header",
    )
    # open every area, then every guide in it
    for _level in range(2):
        demo.browser.evaluate(
            "document.querySelectorAll('.o_list_view tr.o_group_header"
            ":not(.o_group_open)').forEach((row) => row.click())"
        )
        time.sleep(1)
        demo.browser.wait_for(BACKEND_READY, "the groups to open")
    demo.browser.screenshot(path)


def shot_portal_guide_read(demo, path):
    """Portal consultation user: a published guide with "I have read this
    version"."""
    demo.login("portal_consult", "portal_consult")
    guide = demo.xmlid("erp_key_user.guide_customer_invoice")
    demo.browser.navigate(f"{demo.url}/my/guides/{guide}")
    demo.browser.wait_selector(".o_erp_portal_guide_confirm_read")
    demo.browser.screenshot(path)


def shot_key_user_coverage(demo, path):
    """Support manager: the areas of each instance, their key users and
    backups, and the consultation users they serve."""
    demo.login("manager", "manager")
    demo.open_backend(
        "/odoo/action-erp_key_user.action_erp_key_user_coverage",
        ".o_list_view .o_data_row",
    )
    demo.browser.screenshot(path)


def shot_hypercare(demo, path):
    """Support manager: the hypercare dashboard of the production instance."""
    demo.login("manager", "manager")
    instance = demo.xmlid("erp_key_user.instance_production")
    demo.open_backend(
        f"/odoo/action-erp_key_user.action_erp_instance_hypercare/{instance}",
        ".o_form_view .o_erp_hypercare_criteria",
    )
    demo.browser.screenshot(path)


SHOTS = {
    "incident_form": shot_incident_form,
    "report_wizard": shot_report_wizard,
    "escalation_wizard": shot_escalation_wizard,
    "portal_incident": shot_portal_incident,
    "portal_request_form": shot_portal_request_form,
    "portal_request_form_mobile": shot_portal_request_form_mobile,
    "incident_kanban": shot_incident_kanban,
    "process_guide": shot_process_guide,
    "change_request_list": shot_change_request_list,
    "change_request_form": shot_change_request_form,
    "portal_question_form": shot_portal_question_form,
    "portal_question_answer": shot_portal_question_answer,
    "guide_readers": shot_guide_readers,
    "portal_guide_read": shot_portal_guide_read,
    "key_user_coverage": shot_key_user_coverage,
    "hypercare": shot_hypercare,
}


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--url", default="http://localhost:8069")
    parser.add_argument("--db", help="database, if the server serves several")
    parser.add_argument("--out", type=Path, default=REPO / "static" / "description")
    parser.add_argument("--chromium", default=shutil.which("chromium") or "chromium")
    parser.add_argument("--only", nargs="+", choices=sorted(SHOTS), metavar="NAME")
    args = parser.parse_args(argv)

    args.out.mkdir(parents=True, exist_ok=True)
    browser = Chromium(args.chromium)
    failed = []
    try:
        demo = Demo(browser, args.url, args.db)
        for name in args.only or SHOTS:
            try:
                SHOTS[name](demo, args.out.resolve() / f"screenshot_{name}.png")
            except CdpError as exc:
                print(f"FAILED {name}: {exc}", file=sys.stderr)
                failed.append(name)
    finally:
        browser.close()
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
