"""Locust users of the load run (bench/load.py): what each role does, on our
side or on helpdesk_mgmt's (``LOAD_SIDE``), from the plan bench/load.py wrote
(``LOAD_PLAN``: logins, the web client's specifications and domains).

* portal consultation user: the list, a record's page, a comment;
* portal key user: the support-request form, filled and sent / the peer's
  new ticket form;
* supplier's staff (support agent / helpdesk user): the backend list
  (``web_search_read``), a record's form (``web_read``), the report wizard
  opened and saved / the new ticket form opened and saved.

A request that answers an error, or a page that does not show what it must,
is a failure in Locust's statistics."""

import itertools
import json
import os
import random
import re
import sys

import gevent
from locust import HttpUser, between, task

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from scenarios import _web_values  # noqa: E402

PLAN = json.load(open(os.environ["LOAD_PLAN"]))  # noqa: SIM115
SIDE = PLAN["side"]
CSRF_RE = re.compile(r'name="csrf_token" value="([^"]+)"')
OPTION_RE = r'<select[^>]*name="%s"[^>]*>.*?<option[^>]*value="(\d+)"'
DISCUSSION_RE = {
    name: re.compile(r'id="discussion"[^>]*data-%s="([^"]*)"' % name, re.S)
    for name in ("token", "pid", "hash")
}
_portal_logins = itertools.cycle(PLAN["portal_logins"])
_key_user_logins = itertools.cycle(PLAN["key_user_logins"])
_rpc_ids = itertools.count(1)
MEASURED_SECONDS = int(os.environ.get("LOAD_SECONDS", "60"))
LOGIN_ATTEMPTS = 5
_logged_in = []


def _user_ready(environment):
    """Once every user of the step has logged in (password hashing is not
    what the step measures), reset the statistics and stop the step
    ``MEASURED_SECONDS`` later."""
    _logged_in.append(1)
    if len(_logged_in) == environment.runner.target_user_count:
        environment.stats.reset_all()
        gevent.spawn_later(MEASURED_SECONDS, environment.runner.quit)


class OdooUser(HttpUser):
    abstract = True
    wait_time = between(1, 3)

    def _rpc(self, path, params, name=None):
        payload = {
            "jsonrpc": "2.0",
            "method": "call",
            "id": next(_rpc_ids),
            "params": params,
        }
        with self.client.post(
            path, json=payload, name=name or path, catch_response=True
        ) as response:
            try:
                body = response.json()
            except ValueError:
                response.failure("not JSON (HTTP %s)" % response.status_code)
                return None
            if body.get("error"):
                error = body["error"]
                message = (error.get("data") or {}).get("message") or error["message"]
                response.failure(message[:200])
                return None
            return body["result"]

    def _login(self, login):
        # a connection refused while the step's users all arrive at once is
        # tried again: the step is measured once all its users have logged
        # in, and one that never did would hold it back until its timeout
        for _attempt in range(LOGIN_ATTEMPTS):
            result = self._rpc(
                "/web/session/authenticate",
                {"db": PLAN["db"], "login": login, "password": PLAN["password"]},
                name="login",
            )
            if result and result.get("uid"):
                break
            gevent.sleep(1)
        else:
            raise RuntimeError("could not log in as %s" % login)
        self.odoo_context = dict(result["user_context"])
        _user_ready(self.environment)

    def _call(self, model, method, *args, name, **kwargs):
        kwargs.setdefault("context", self.odoo_context)
        return self._rpc(
            "/web/dataset/call_kw/%s.%s" % (model, method),
            {"model": model, "method": method, "args": list(args), "kwargs": kwargs},
            name=name,
        )

    def _page(self, url, name, must_contain=None):
        with self.client.get(url, name=name, catch_response=True) as response:
            if response.status_code != 200:
                response.failure("HTTP %s" % response.status_code)
                return None
            if must_contain and must_contain not in response.text:
                response.failure("the page does not show %r" % must_contain)
                return None
            return response.text


class PortalConsultationUser(OdooUser):
    weight = 6

    def on_start(self):
        self._login(next(_portal_logins))
        self.record_urls = []

    @task(5)
    def portal_list(self):
        html = self._page(PLAN["portal_list_url"], "portal list", PLAN["row_marker"])
        if html:
            self.record_urls = re.findall(PLAN["record_url_re"], html)

    @task(3)
    def portal_detail(self):
        if not self.record_urls:
            return self.portal_list()
        self._page(random.choice(self.record_urls), "portal detail")

    @task(1)
    def portal_comment(self):
        if not self.record_urls:
            return self.portal_list()
        url = random.choice(self.record_urls)
        html = self._page(url, "portal detail")
        if not html or 'data-allow_composer="0"' in html:
            # a closed request takes no comment: its page shows no comment
            # box, so the user does not write one (the server refuses it)
            return
        params = {
            "thread_model": PLAN["model"],
            "thread_id": int(url.rstrip("/").split("/")[-1]),
            "post_data": {
                "body": "Still the same on my side this morning.",
                "message_type": "comment",
                "subtype_xmlid": "mail.mt_comment",
            },
        }
        for name, pattern in DISCUSSION_RE.items():
            match = pattern.search(html)
            if match and match.group(1):
                params[name] = match.group(1)
        self._rpc("/mail/message/post", params, name="portal comment")


class PortalKeyUser(OdooUser):
    weight = 1

    def on_start(self):
        self._login(next(_key_user_logins))

    @task
    def request_form(self):
        html = self._page(PLAN["form_url"], "request form")
        if not html:
            return
        data = {"csrf_token": CSRF_RE.search(html).group(1)}
        data.update(PLAN["form_values"])
        for select in PLAN["form_selects"]:
            match = re.search(OPTION_RE % select, html, re.S)
            if match:
                data[select] = match.group(1)
        with self.client.post(
            PLAN["form_submit_url"],
            data=data,
            name="request form sent",
            catch_response=True,
            allow_redirects=False,
        ) as response:
            refused = PLAN["form_refused_marker"]
            if response.status_code not in (200, 302, 303) or (
                response.status_code == 200 and refused in response.text
            ):
                response.failure("the request was not accepted")


class SupportStaff(OdooUser):
    weight = 3

    def on_start(self):
        self._login(PLAN["backend_login"])
        self.record_ids = []

    @task(5)
    def backend_list(self):
        plan = PLAN["list"]
        result = self._call(
            plan["model"],
            "web_search_read",
            name="backend list",
            specification=plan["spec"],
            domain=plan["domain"],
            offset=0,
            limit=80,
            order="",
            count_limit=10001,
            context=dict(self.odoo_context, **plan["context"]),
        )
        if result:
            self.record_ids = [record["id"] for record in result["records"]]

    @task(3)
    def backend_form(self):
        if not self.record_ids:
            return self.backend_list()
        plan = PLAN["record_form"]
        self._call(
            plan["model"],
            "web_read",
            [random.choice(self.record_ids)],
            name="backend form",
            specification=plan["spec"],
            context=dict(self.odoo_context, **plan["context"]),
        )

    @task(1)
    def wizard(self):
        plan = PLAN["wizard"]
        context = dict(self.odoo_context, **plan["context"])
        result = self._call(
            plan["model"],
            "onchange",
            [],
            {},
            [],
            plan["spec"],
            name="wizard open",
            context=context,
        )
        if result is None:
            return
        values = dict(result["value"])
        values.update(plan["typed"])
        saved = self._call(
            plan["model"],
            "web_save",
            [],
            _web_values(values, set(plan["writable"])),
            name="wizard save",
            specification=plan["spec"],
            context=context,
        )
        if saved and plan.get("button"):
            self._rpc(
                "/web/dataset/call_button/%s.%s" % (plan["model"], plan["button"]),
                {
                    "model": plan["model"],
                    "method": plan["button"],
                    "args": [[saved[0]["id"]]],
                    "kwargs": {"context": context},
                },
                name="wizard send",
            )
