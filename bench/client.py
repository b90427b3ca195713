"""HTTP client of the benchmark: real requests to a running Odoo server, as a
browser and the web client send them, and the server's own count of the SQL
queries each request ran (the last fields of its werkzeug access log line)."""

import ast
import collections
import re
import time
import xml.etree.ElementTree as ET

import requests

RECORD_RE = re.compile(
    r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3} \d+ (?P<level>\w+) \S+ "
    r"(?P<logger>[\w.]+): (?P<message>.*)$"
)
ACCESS_RE = re.compile(
    r'"(?P<method>[A-Z]+) (?P<path>\S+) HTTP/[\d.]+" (?P<status>\d{3}) \S+ '
    r"(?P<queries>\d+) (?P<sql_time>[\d.]+) (?P<other_time>[\d.]+)"
)
SQL_RE = re.compile(r"^\[(?P<ms>[\d.]+) ms\] query: (?P<sql>.*)$", re.S)


class BenchError(Exception):
    pass


class Measure:
    """What one or several requests cost: client wall time, server SQL count,
    SQL time and the rest of the server's time (Python: routing, ORM,
    rendering); ``statements`` holds the SQL text when the server logs it."""

    def __init__(self):
        self.ms = 0.0
        self.queries = 0
        self.sql_ms = 0.0
        self.python_ms = 0.0
        self.statements = []

    @property
    def server_ms(self):
        return self.sql_ms + self.python_ms

    def add(self, other):
        self.ms += other.ms
        self.queries += other.queries
        self.sql_ms += other.sql_ms
        self.python_ms += other.python_ms
        self.statements += other.statements
        return self


class LogTail:
    """Follow the server log: one access line per request (requests are sent
    one at a time), preceded by the SQL of that request when logged."""

    def __init__(self, path):
        self.path = path
        self.handle = open(path, encoding="utf-8", errors="replace")
        self.handle.seek(0, 2)
        self.partial = ""
        self.record = None  # the record being read (it may go on)
        self.pending = collections.deque()  # complete records
        self.statements = []

    def _flush(self):
        if self.record:
            self.pending.append(self.record)
            self.record = None

    def _read(self):
        """Move the complete records written since the last call to
        ``pending``. A record ends where the next one starts; an access line
        is complete as soon as it is written."""
        chunk = self.handle.read()
        lines = (self.partial + chunk).split("\n")
        self.partial = lines.pop()
        for line in lines:
            match = RECORD_RE.match(line)
            if match:
                self._flush()
                self.record = dict(match.groupdict())
                if self.record["logger"] == "werkzeug":
                    self._flush()
            elif self.record:
                self.record["message"] += "\n" + line

    def next_access(self, method, path, timeout=30):
        """The access line of the request just answered, and the SQL it ran."""
        deadline = time.monotonic() + timeout
        while True:
            while self.pending:
                record = self.pending.popleft()
                if record["logger"] == "odoo.sql_db":
                    sql = SQL_RE.match(record["message"])
                    if sql:
                        self.statements.append((float(sql["ms"]), sql["sql"].strip()))
                    continue
                if record["logger"] != "werkzeug":
                    continue
                access = ACCESS_RE.search(record["message"])
                if not access:
                    continue
                statements, self.statements = self.statements, []
                if access["method"] == method and access["path"] == path:
                    return access, statements
            if time.monotonic() > deadline:
                raise BenchError(
                    "no access log line for %s %s in %s" % (method, path, self.path)
                )
            time.sleep(0.005)
            self._read()


class Client:
    """One server, one log; sessions are ``requests.Session`` objects."""

    def __init__(self, url, dbname, logfile):
        self.url = url
        self.dbname = dbname
        self.log = LogTail(logfile)
        self.rpc_id = 0

    def _measure(self, method, path, send):
        start = time.perf_counter()
        response = send()
        elapsed = (time.perf_counter() - start) * 1000
        access, statements = self.log.next_access(method, path)
        if response.status_code != 200:
            raise BenchError("%s %s answered %s" % (method, path, response.status_code))
        measure = Measure()
        measure.ms = elapsed
        measure.queries = int(access["queries"])
        measure.sql_ms = float(access["sql_time"]) * 1000
        measure.python_ms = float(access["other_time"]) * 1000
        measure.statements = statements
        return response, measure

    def get(self, session, path):
        """GET a page; the answer must be a 200 page (no redirection)."""
        return self._measure(
            "GET",
            path,
            lambda: session.get(self.url + path, allow_redirects=False, timeout=300),
        )

    def jsonrpc(self, session, path, params):
        self.rpc_id += 1
        payload = {"jsonrpc": "2.0", "method": "call", "id": self.rpc_id}
        payload["params"] = params
        response, measure = self._measure(
            "POST",
            path,
            lambda: session.post(self.url + path, json=payload, timeout=300),
        )
        body = response.json()
        if body.get("error"):
            error = body["error"]
            raise BenchError(
                "%s: %s"
                % (path, (error.get("data") or {}).get("message") or error["message"])
            )
        return body["result"], measure

    def login(self, login, password):
        session = requests.Session()
        result, _measure = self.jsonrpc(
            session,
            "/web/session/authenticate",
            {"db": self.dbname, "login": login, "password": password},
        )
        if not result or not result.get("uid"):
            raise BenchError("could not log in as %s" % login)
        session.bench_context = dict(result["user_context"])
        session.bench_uid = result["uid"]
        return session

    def call(self, session, model, method, *args, **kwargs):
        kwargs.setdefault("context", session.bench_context)
        return self.jsonrpc(
            session,
            "/web/dataset/call_kw/%s.%s" % (model, method),
            {"model": model, "method": method, "args": list(args), "kwargs": kwargs},
        )

    def call_button(self, session, model, method, *args, **kwargs):
        kwargs.setdefault("context", session.bench_context)
        return self.jsonrpc(
            session,
            "/web/dataset/call_button/%s.%s" % (model, method),
            {"model": model, "method": method, "args": list(args), "kwargs": kwargs},
        )


# ----------------------------------------------------------------------
# what the web client derives from an action and its views
# ----------------------------------------------------------------------


def _field_spec(node, fields, models):
    """The ``specification`` entry the web client builds for a field node."""
    desc = fields.get(node.get("name"), {})
    ftype = desc.get("type")
    if ftype == "many2one":
        return {"fields": {"display_name": {}}}
    if ftype in ("one2many", "many2many"):
        comodel = desc.get("relation")
        subviews = [child for child in node if child.tag in ("list", "kanban")]
        if subviews:
            sub_fields = _model_fields(models, comodel)
            return {
                "fields": _arch_spec(subviews[0], sub_fields, models),
                "limit": 40,
            }
        spec = {"fields": {"display_name": {}}}
        if "color_field" in (node.get("options") or ""):
            spec["fields"]["color"] = {}
        return spec
    return {}


def _arch_spec(root, fields, models):
    spec = {}

    def walk(node):
        for child in node:
            if child.tag == "field":
                name = child.get("name")
                if name in fields:
                    spec[name] = _field_spec(child, fields, models)
            elif child.tag not in ("list", "kanban"):
                walk(child)

    walk(root)
    return spec


def _model_fields(models, model):
    info = models.get(model, {})
    return info.get("fields", info)


class ViewInfo:
    """An action as the web client opens it: domain, context, default search
    facets, list / form ``specification`` and which form fields trigger an
    onchange."""

    def __init__(self, client, session, action_xmlid, view_types=("list", "search")):
        action, _measure = client.jsonrpc(
            session, "/web/action/load", {"action_id": action_xmlid}
        )
        self.model = action["res_model"]
        self.domain = _literal(action.get("domain")) or []
        self.context = _literal(action.get("context")) or {}
        views = [
            [view_id, view_type]
            for view_id, view_type in action.get("views", [])
            if view_type in view_types
        ]
        present = {view_type for _id, view_type in views}
        views += [[False, t] for t in view_types if t not in present]
        result, _measure = client.call(
            session,
            self.model,
            "get_views",
            views=views,
            options={"action_id": action["id"], "load_filters": True, "toolbar": True},
        )
        self.models = result["models"]
        self.fields = _model_fields(self.models, self.model)
        self.archs = {
            view_type: ET.fromstring(view["arch"])
            for view_type, view in result["views"].items()
            if view_type in view_types
        }

    def spec(self, view_type):
        spec = _arch_spec(self.archs[view_type], self.fields, self.models)
        if view_type == "form":
            spec["display_name"] = {}
        return spec

    def onchange_fields(self):
        form = self.archs["form"]
        return {
            node.get("name")
            for node in form.iter("field")
            if node.get("on_change") in ("1", "True", "true")
        }

    def writable_fields(self):
        """Form fields the web client sends on save: not readonly."""
        names = set()
        for node in self.archs["form"].iter("field"):
            name = node.get("name")
            desc = self.fields.get(name, {})
            if desc.get("readonly") and not node.get("force_save"):
                continue
            if node.get("readonly") in ("1", "True", "true"):
                continue
            names.add(name)
        return names

    def default_domain(self):
        """The action domain and the facets of its ``search_default_*`` keys
        (filters of one group are OR-ed, groups AND-ed, as in the search bar)."""
        defaults = {
            key[len("search_default_") :]
            for key, value in self.context.items()
            if key.startswith("search_default_") and value
        }
        groups, current = [], []
        for node in self.archs["search"]:
            if node.tag == "separator" or node.tag == "group":
                if current:
                    groups.append(current)
                current = []
                continue
            if node.tag == "filter" and node.get("name") in defaults:
                if node.get("domain"):
                    current.append(_literal(node.get("domain")))
        if current:
            groups.append(current)
        domain = list(self.domain)
        for group in groups:
            domain += _or(group)
        return domain

    def search_field_domain(self, field_name, value):
        """The domain of typing ``value`` in the search bar's ``field_name``."""
        for node in self.archs["search"].iter("field"):
            if node.get("name") == field_name:
                filter_domain = node.get("filter_domain")
                if filter_domain:
                    return _literal(filter_domain.replace("self", repr(value)))
                return [(field_name, "ilike", value)]
        raise BenchError("no search field %s on %s" % (field_name, self.model))


def _or(domains):
    domains = [d for d in domains if d]
    return ["|"] * (len(domains) - 1) + [leaf for d in domains for leaf in d]


def _literal(text):
    if not text or not isinstance(text, str):
        return text
    try:
        return ast.literal_eval(text.strip())
    except (ValueError, SyntaxError) as exc:
        raise BenchError(
            "cannot evaluate %r without a client: %s" % (text, exc)
        ) from exc
