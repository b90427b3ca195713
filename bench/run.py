#!/usr/bin/env python3
"""erp_key_user against OCA helpdesk_mgmt 19.0 on the same volume, as a
supplier's platform (DESIGN §11, §14, §17).

    make bench                        # full: 200,000 incidents and tickets
    python3 bench/run.py --small      # 2,000 of each: one to two minutes
    python3 bench/run.py --reuse      # keep the generated database, update the module
    python3 bench/run.py --help       # rounds, warm-up, report path...

1. unpacks helpdesk_mgmt from its PyPI wheel into bench/.cache/addons;
2. creates one database with both modules (no demo data), makes the supplier
   company, its customers, their instances and portal users, the agent and the
   helpdesk team through the ORM (bench/orm_setup.py) and inserts the
   incidents and tickets in SQL (bench/datagen.py), then VACUUM ANALYZE;
3. starts Odoo (no workers) once with the SQL debug log, runs every operation
   and EXPLAINs the SELECTs it ran on the incident and ticket tables;
4. starts Odoo again without it and measures the operations, interleaved
   (ours and the peer's alternate, in turns) and repeated: medians of the
   client wall time, of the server's SQL query count and of its SQL and
   Python time per request;
5. prints the table and the query counts of a 10,000-record customer against a
   100-record one, writes bench/RESULTS.rst (full run; --small writes
   bench/.cache/RESULTS-small.rst) with the machine, its load during the run and
   the plans (bench/plans_before_after.rst is copied in), and exits non-zero when
   ours is not faster on the portal list and the backend list, when ours' portal
   list or detail takes over half the peer's server time, when one of its
   query counts grows with the customer, or when one of its plans reads the
   whole incident table."""

import argparse
import json
import os
import platform
import re
import statistics
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
CACHE = os.path.join(HERE, ".cache")

FULL = {
    "db": "erp_key_user_bench",
    "customers": 300,
    "portal_users": 5_000,
    "total": 200_000,
    "big": 10_000,
    "tiny": 100,
    "rounds": 30,
    "warmup": 3,
}
SMALL = dict(
    FULL,
    db="erp_key_user_bench_small",
    customers=10,
    portal_users=100,
    total=2_000,
    big=1_000,
)
SMALL.update(rounds=3, warmup=1)
TAGS = {0: "big", 1: "tiny"}
# a read of records already found: not where a plan can go wrong
FETCH_BY_ID_RE = re.compile(
    r'SELECT .* FROM "\w+" WHERE "\w+"\."id" IN \([\d, ]*\)\s*$', re.S
)


def log(message):
    print(message, flush=True)


def ensure_python():
    """The driver needs psycopg2 and requests: Odoo's own interpreter has them."""
    try:
        import psycopg2  # noqa: F401
        import requests  # noqa: F401
    except ImportError:
        if os.environ.get("BENCH_REEXEC"):
            raise
        from odoo_env import _tool

        python = _tool("odoo_python.sh", env=dict(os.environ, ODOO_PYTHON_NO_TOOLS="1"))
        os.environ["BENCH_REEXEC"] = "1"
        os.execv(python, [python, os.path.abspath(__file__), *sys.argv[1:]])


# ----------------------------------------------------------------------
# database
# ----------------------------------------------------------------------


def db_exists(odoo, dbname):
    conn = odoo.connect("postgres")
    try:
        with conn.cursor() as cr:
            cr.execute("SELECT 1 FROM pg_database WHERE datname = %s", [dbname])
            return bool(cr.fetchone())
    finally:
        conn.close()


def build_database(odoo, cfg, args, peer_versions):
    from datagen import distribution, generate

    dbname = cfg["db"]
    logs = os.path.join(CACHE, "logs")
    os.makedirs(logs, exist_ok=True)
    setup_file = os.path.join(CACHE, "%s.setup.json" % dbname)
    signature = {
        k: cfg[k] for k in ("customers", "portal_users", "total", "big", "tiny")
    } | {"peer": peer_versions}
    if args.reuse and db_exists(odoo, dbname) and os.path.exists(setup_file):
        with open(setup_file) as handle:
            setup = json.load(handle)
        if setup.get("signature") == signature and args.no_update:
            log("reusing database %s as it is" % dbname)
            return setup
        if setup.get("signature") == signature:
            log("reusing database %s; updating erp_key_user" % dbname)
            odoo.run(
                "-d",
                dbname,
                "-u",
                "erp_key_user",
                "--stop-after-init",
                "--no-http",
                "--log-level=warn",
                log=os.path.join(logs, "update.log"),
            )
            return setup
        log("database %s holds another data set: rebuilding it" % dbname)
    if db_exists(odoo, dbname):
        log("dropping database %s" % dbname)
        odoo.run("drop", dbname, command="db", log=os.path.join(logs, "drop.log"))
    started = time.monotonic()
    log("installing erp_key_user and helpdesk_mgmt into %s (no demo data)" % dbname)
    odoo.run(
        "-d",
        dbname,
        "-i",
        "erp_key_user,helpdesk_mgmt",
        "--stop-after-init",
        "--no-http",
        "--log-level=warn",
        log=os.path.join(logs, "install.log"),
    )
    log(
        "creating %d customers and %d portal users through the ORM"
        % (cfg["customers"], cfg["portal_users"])
    )
    output = os.path.join(CACHE, "%s.orm.json" % dbname)
    with open(os.path.join(HERE, "orm_setup.py")) as handle:
        script = handle.read()
    odoo.run(
        "-d",
        dbname,
        "--no-http",
        "--log-level=warn",
        command="shell",
        stdin=script,
        log=os.path.join(logs, "orm_setup.log"),
        env={
            "BENCH_PARAMS": json.dumps(
                {
                    "customers": cfg["customers"],
                    "portal_users": cfg["portal_users"],
                    "tags": TAGS,
                }
            ),
            "BENCH_OUTPUT": output,
        },
    )
    with open(output) as handle:
        setup = json.load(handle)
    counts = distribution(cfg["total"], cfg["customers"], cfg["big"], cfg["tiny"])
    log("generating the records in SQL")
    conn = odoo.connect(dbname)
    try:
        generate(conn, setup, counts, log=log)
    finally:
        conn.close()
    setup["signature"] = signature
    setup["counts"] = counts
    setup["build_seconds"] = round(time.monotonic() - started)
    with open(setup_file, "w") as handle:
        json.dump(setup, handle, indent=1)
    return setup


# ----------------------------------------------------------------------
# measures
# ----------------------------------------------------------------------


def make_sides(client, setup):
    from scenarios import Ours, Peer

    sides = {}
    for customer in setup["customers"]:
        tag = customer.get("tag")
        if tag:
            sides["ours", tag] = Ours(client, customer, setup["password"])
            sides["peer", tag] = Peer(client, customer, setup["password"])
    for side in sides.values():
        side.prepare()
    return sides


def run_rounds(sides, rounds, warmup, on_round=None, operations=None):
    """Interleaved: every operation (or those of ``operations``), for each
    customer, ours then the peer's (the order swaps every round so that
    neither always runs first)."""
    from scenarios import OPERATIONS

    results = {}
    for round_no in range(warmup + rounds):
        order = ("ours", "peer") if round_no % 2 == 0 else ("peer", "ours")
        for op, _label in OPERATIONS:
            if operations and op not in operations:
                continue
            for tag in ("big", "tiny"):
                for name in order:
                    measure = getattr(sides[name, tag], op)()
                    if round_no >= warmup:
                        results.setdefault((op, name, tag), []).append(measure)
        if on_round:
            on_round(round_no, warmup)
    return results


def trace_plans(odoo, cfg, setup):
    """One pass with the SQL debug log; EXPLAIN what the requests ran."""
    from client import Client
    from explain import explain_statements
    from odoo_env import OdooServer

    logfile = os.path.join(CACHE, "logs", "server-trace.log")
    with OdooServer(odoo, cfg["db"], logfile, sql_debug=True) as server:
        client = Client(server.url, cfg["db"], logfile)
        sides = make_sides(client, setup)
        results = run_rounds(sides, 1, 1)
        for (name, tag), side in sides.items():
            for op, measure in side.extra_trace():
                results[op, name, tag] = [measure]
    statements = [
        ("%s %s %s" % key, sql)
        for key, measures in results.items()
        for measure in measures
        for _ms, sql in measure.statements
    ]
    conn = odoo.connect(cfg["db"])
    try:
        return explain_statements(conn, statements)
    finally:
        conn.close()


def summarize(results):
    summary = {}
    for key, measures in results.items():
        queries = [m.queries for m in measures]
        summary["%s %s %s" % key] = {
            "ms": statistics.median(m.ms for m in measures),
            "sql_ms": statistics.median(m.sql_ms for m in measures),
            "python_ms": statistics.median(m.python_ms for m in measures),
            "server_ms": statistics.median(m.server_ms for m in measures),
            "queries": statistics.median(queries),
            "queries_min": min(queries),
            "queries_max": max(queries),
            "runs": len(measures),
            # False when a list had fewer rows than its limit (no count query)
            "full_page": all(getattr(m, "full_page", True) for m in measures),
        }
    return summary


# ----------------------------------------------------------------------
# report
# ----------------------------------------------------------------------


def machine_info(odoo, dbname):
    info = {"nproc": os.cpu_count(), "python": platform.python_version()}
    try:
        with open("/proc/cpuinfo") as handle:
            info["cpu"] = next(
                line.split(":", 1)[1].strip()
                for line in handle
                if line.startswith("model name")
            )
    except (OSError, StopIteration):
        info["cpu"] = platform.processor() or "?"
    try:
        with open("/proc/meminfo") as handle:
            kib = int(handle.readline().split()[1])
        info["ram_gib"] = round(kib / 1024 / 1024, 1)
    except (OSError, ValueError, IndexError):
        info["ram_gib"] = "?"
    info["kernel"] = platform.release()
    conn = odoo.connect(dbname)
    try:
        with conn.cursor() as cr:
            cr.execute("SHOW server_version")
            info["postgresql"] = cr.fetchone()[0]
            cr.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE datname IS NOT NULL"
            )
            info["pg_connections"] = cr.fetchone()[0]
    finally:
        conn.close()
    import odoo_env

    info["odoo"] = subprocess.run(
        [odoo.python, "-c", "import odoo.release as r; print(r.version)"],
        stdout=subprocess.PIPE,
        text=True,
        cwd=odoo_env.REPO,
    ).stdout.strip()
    return info


class LoadSampler:
    """Load average and the busiest processes, sampled during the run."""

    def __init__(self, dbname):
        self.dbname = dbname
        self.samples = []

    def sample(self, label):
        with open("/proc/loadavg") as handle:
            load = [float(x) for x in handle.read().split()[:3]]
        ps = subprocess.run(
            ["ps", "-eo", "pcpu,args", "--sort=-pcpu", "--no-headers"],
            stdout=subprocess.PIPE,
            text=True,
        ).stdout.splitlines()
        busy, others = [], set()
        for line in ps:
            pcpu, _sep, args = line.strip().partition(" ")
            if float(pcpu) < 5 or "ps -eo" in args:
                continue
            mine = "bench/run.py" in args or self.dbname in args
            if not mine:
                others.add(_program(args))
            args = " ".join(args.split())[:70]
            busy.append("%s%% %s%s" % (pcpu, "(this benchmark) " if mine else "", args))
        self.samples.append(
            {
                "time": time.strftime("%H:%M:%S"),
                "label": label,
                "load": load,
                "busy": busy[:5],
                "others": sorted(others),
            }
        )


def _program(args):
    """``python3 -m odoo``, ``chromium``, ``postgres``... from a command line."""
    words = args.split()
    program = os.path.basename(words[0].strip("[]:"))
    if len(words) > 2 and words[1] == "-m":
        return "%s -m %s" % (program, words[2])
    if len(words) > 1 and program.startswith("python") and words[1] != "-":
        return "%s %s" % (program, os.path.basename(words[1]))
    return program


def load_summary(samples, cores):
    """One sentence on how busy the machine was."""
    loads = [s["load"][0] for s in samples if s["label"].startswith("measur")]
    loads = loads or [s["load"][0] for s in samples]
    others = sorted({name for sample in samples for name in sample["others"]})
    return (
        "While it measured, the 1-minute load average went from %.1f to %.1f on "
        "%s cores%s."
        % (
            min(loads),
            max(loads),
            cores,
            "; other busy processes: %s" % ", ".join("``%s``" % o for o in others)
            if others
            else "; nothing else was busy",
        )
    )


def fmt_ms(value):
    return "%.0f" % value if value >= 10 else "%.1f" % value


def fmt_q(entry):
    mark = "" if entry.get("full_page", True) else "*"
    if entry["queries_min"] == entry["queries_max"]:
        return "%d%s" % (entry["queries"], mark)
    return "%g%s (%d-%d)" % (
        entry["queries"],
        mark,
        entry["queries_min"],
        entry["queries_max"],
    )


def table(headers, rows):
    widths = [
        max(len(str(r[i])) for r in [headers, *rows]) for i in range(len(headers))
    ]
    line = "  ".join("=" * w for w in widths)
    out = [
        line,
        "  ".join(h.ljust(w) for h, w in zip(headers, widths, strict=True)),
        line,
    ]
    for row in rows:
        out.append("  ".join(str(c).ljust(w) for c, w in zip(row, widths, strict=True)))
    out.append(line)
    return "\n".join(out)


def main_tables(summary, cfg):
    from scenarios import OPERATIONS

    rows = []
    for op, label in OPERATIONS:
        ours, peer = summary["%s ours big" % op], summary["%s peer big" % op]
        rows.append(
            [
                label,
                fmt_ms(ours["ms"]),
                fmt_q(ours),
                _split(ours),
                fmt_ms(peer["ms"]),
                fmt_q(peer),
                _split(peer),
                "%.2f" % (ours["ms"] / peer["ms"]),
                "%.2f" % (ours["server_ms"] / peer["server_ms"]),
            ]
        )
    big = "{:,}".format(cfg["big"])
    figures = table(
        [
            "operation (customer with %s records)" % big,
            "ours ms",
            "ours SQL",
            "ours server SQL+Py ms",
            "peer ms",
            "peer SQL",
            "peer server SQL+Py ms",
            "ours/peer",
            "ours/peer server",
        ],
        rows,
    )
    rows = []
    for op, label in OPERATIONS:
        entries = [
            summary["%s %s %s" % (op, name, tag)]
            for name in ("ours", "peer")
            for tag in ("big", "tiny")
        ]
        rows.append(
            [label]
            + [fmt_q(e) for e in entries]
            + ["%s / %s" % (fmt_ms(entries[0]["ms"]), fmt_ms(entries[1]["ms"]))]
        )
    tiny = "{:,}".format(cfg["tiny"])
    counts = table(
        [
            "SQL queries per operation",
            "ours %s" % big,
            "ours %s" % tiny,
            "peer %s" % big,
            "peer %s" % tiny,
            "ours ms %s / %s" % (big, tiny),
        ],
        rows,
    )
    counts += (
        "\n\n\\* fewer rows than the list limit (80): ``web_search_read`` "
        "then needs no count query, one query less."
    )
    return figures, counts


def _split(entry):
    """The server's time of an operation: SQL + the rest (Python)."""
    return "%s + %s" % (fmt_ms(entry["sql_ms"]), fmt_ms(entry["python_ms"]))


def checks(summary, plans, check_plans=True):
    from scenarios import MUST_BE_FASTER, MUST_BE_HALF, OPERATIONS

    failures = []
    for op in MUST_BE_HALF:
        ours, peer = summary["%s ours big" % op], summary["%s peer big" % op]
        if ours["server_ms"] > 0.5 * peer["server_ms"]:
            failures.append(
                "%s: ours %.1f ms of server time is over half the peer's %.1f ms"
                % (op, ours["server_ms"], peer["server_ms"])
            )
    for op in MUST_BE_FASTER:
        ours, peer = summary["%s ours big" % op], summary["%s peer big" % op]
        if ours["ms"] >= peer["ms"]:
            failures.append(
                "%s: ours %.1f ms is not faster than the peer's %.1f ms"
                % (op, ours["ms"], peer["ms"])
            )
    for op, _label in OPERATIONS:
        big, tiny = summary["%s ours big" % op], summary["%s ours tiny" % op]
        # a page that is not full spares web_search_read its count query
        allowance = 1 if big["full_page"] and not tiny["full_page"] else 0
        if big["queries_max"] > tiny["queries_max"] + allowance:
            failures.append(
                "%s: ours runs %s SQL queries for the big customer, %s for the "
                "small one" % (op, fmt_q(big), fmt_q(tiny))
            )
    for plan in plans if check_plans else []:
        if plan["label"].split()[1] != "ours":
            continue
        for table_name, node, index, read, _whole in plan.get("whole_table", []):
            if table_name == "erp_incident":
                failures.append(
                    "%s: %s on erp_incident%s reads %d rows:\n%s"
                    % (
                        plan["label"],
                        node,
                        " (%s)" % index if index else "",
                        read,
                        plan["sql"][:400],
                    )
                )
    return failures


def plan_section(plans, reltuples):
    """The plans of ours' searches and counts on erp_incident for the big
    customer, slowest first per operation, and the whole-table scans of either
    side."""
    out = []
    by_label = {}
    for plan in plans:
        if (
            "plan" in plan
            and plan["label"].endswith(" ours big")
            and not FETCH_BY_ID_RE.match(plan["sql"])
        ):
            by_label.setdefault(plan["label"], []).append(plan)
    for label in sorted(by_label):
        for plan in sorted(by_label[label], key=lambda p: -p["ms"])[:2]:
            out.append("``%s`` (%.2f ms)::\n" % (label, plan["ms"]))
            sql = plan["sql"]
            sql = sql if len(sql) < 1500 else sql[:1500] + " ..."
            out.append("\n".join("    " + line for line in sql.splitlines()))
            out.append("")
            out.append("\n".join("    " + line for line in plan["plan"].splitlines()))
            out.append("")
    whole = sorted(
        {
            "* %s: %s on %s%s, %d of %d rows read"
            % (
                plan["label"],
                node,
                table_name,
                " (%s)" % index if index else "",
                read,
                reltuples.get(table_name, 0),
            )
            for plan in plans
            for table_name, node, index, read, _whole in plan.get("whole_table", [])
        }
    )
    return "\n".join(out), whole


def write_results(
    path,
    cfg,
    figures,
    counts,
    failures,
    machine,
    load,
    plans_text,
    whole,
    args,
    started,
    duration,
    setup,
):
    rounds = "%d rounds after %d warm-up rounds" % (cfg["rounds"], cfg["warmup"])
    lines = [
        "Benchmark: erp_key_user against helpdesk_mgmt",
        "=============================================",
        "",
        "Written by ``bench/run.py``%s on %s (run time %d min). "
        "Times are medians of %s, in milliseconds of wall time at the HTTP "
        "client; SQL is the server's query count for the request(s), median "
        "(range when it varied)."
        % (" --small" if args.small else "", started, duration // 60, rounds),
        "",
        "Data: a supplier's platform (DESIGN §14): %s requests (incidents) and as "
        "many helpdesk tickets in one database, over %d customers (contacts of "
        "one supplier company, each with its production instance) and %s portal "
        "users; the measured customer holds %s records, the small one %s; the "
        "others share the rest. Ours: a portal consultation user of the "
        "customer, a support agent (every customer's requests). Peer: the "
        "customer's portal contact, a helpdesk user (group *User*: all tickets "
        "of the company)."
        % (
            "{:,}".format(cfg["total"]),
            cfg["customers"],
            "{:,}".format(cfg["portal_users"]),
            "{:,}".format(cfg["big"]),
            "{:,}".format(cfg["tiny"]),
        ),
        "",
        "What each line measures (ours / the peer's), as a browser or the web "
        "client sends it, on a server started for the benchmark:",
        "",
        "* portal list: ``GET /my/incidents`` / ``GET /my/tickets``, first page "
        "(80 rows, the pager counts the rest); last full page: "
        "``/page/<n>`` at the deepest offset of the customer;",
        "* portal detail: the newest record's page;",
        "* backend list: ``web_search_read`` of 80 rows with the fields of the list "
        "view and the default domain of the menu's action, as a support agent "
        "(the *Incidents* action: incidents *In Progress*) / a helpdesk user (the "
        "*Tickets* action: no default filter), plus the count when the page is "
        "full;",
        "* report wizard: ``onchange`` (open, from the customer's contact form), "
        "``onchange`` (title typed: self-help suggestions), ``web_save``, "
        "``action_report`` (creates the incident, routes it to the key user and "
        "notes it in the contact's chatter) / the new ticket form's "
        "``onchange``, ``onchange`` of the title, ``web_save``;",
        "* search: two words typed in the search bar (reference or title) on the "
        "list, as a support agent / a helpdesk user.",
        "",
        figures,
        "",
        "Query counts do not grow with the data: the same operations for a customer "
        "of %s records and for one of %s."
        % ("{:,}".format(cfg["big"]), "{:,}".format(cfg["tiny"])),
        "",
        counts,
        "",
        "Checks: "
        + (
            "all passed (ours faster on the portal list and the backend "
            "list, query counts independent of N%s)."
            % (
                ", no plan reading the whole incident table"
                if cfg["big"] <= 0.1 * cfg["total"]
                else "; plans not checked: the measured customer holds over "
                "10% of the table"
            )
            if not failures
            else "FAILED"
        ),
        "",
    ]
    lines += ["* " + f.replace("\n", " ") for f in failures]
    lines += [
        "",
        "Machine",
        "-------",
        "",
        "* CPU: %s, %s cores (nproc); RAM: %s GiB; kernel %s"
        % (machine["cpu"], machine["nproc"], machine["ram_gib"], machine["kernel"]),
        "* PostgreSQL %s (private cluster of tools/pg.sh: fsync off), Odoo %s, "
        "Python %s" % (machine["postgresql"], machine["odoo"], machine["python"]),
        "* Odoo server: one process, ``--workers=0``, no cron thread, on the same "
        "machine as the client and PostgreSQL.",
        "* %s" % load_summary(load, machine["nproc"]),
        "* Load during the run (1/5/15 min load average, other processes above 5%% "
        "CPU when sampled; %d open PostgreSQL connections at the end):"
        % machine["pg_connections"],
        "",
    ]
    for sample in load:
        lines.append(
            "  * %s (%s): load %s; %s"
            % (
                sample["time"],
                sample["label"],
                " / ".join("%.2f" % x for x in sample["load"]),
                "; ".join("``%s``" % b for b in sample["busy"]) or "nothing else busy",
            )
        )
    if args.note:
        lines += ["", args.note]
    lines += [
        "",
        "How to reproduce",
        "----------------",
        "",
        "::",
        "",
        "    make bench                      # this run: full volume, writes this file",
        "    python3 bench/run.py --small    # 2,000 records, one to two minutes",
        "    python3 bench/run.py --reuse    # keep the generated database",
        "",
        "It needs Odoo 19 (found as ``make test`` finds it), PostgreSQL (started by "
        "``tools/pg.sh`` if none answers) and pip access to PyPI for the "
        "helpdesk_mgmt wheel (cached in ``bench/.cache``). The database is "
        "``%s``; building it took %d s." % (cfg["db"], setup.get("build_seconds", 0)),
        "",
    ]
    notes = os.path.join(HERE, "plans_before_after.rst")
    if os.path.exists(notes):
        with open(notes) as handle:
            lines += [handle.read().rstrip(), ""]
    lines += [
        "Query plans of this run",
        "-----------------------",
        "",
        "``EXPLAIN (ANALYZE, BUFFERS)`` of the slowest statements on ``erp_incident`` "
        "of each operation of ours, as the server ran them (taken from its SQL log).",
        "",
    ]
    if whole:
        lines += ["Plans reading the whole table (either side):", ""] + whole + [""]
    else:
        lines += [
            "No plan of either side reads the whole incident or ticket table.",
            "",
        ]
    lines += [plans_text, ""]
    with open(path, "w") as handle:
        handle.write("\n".join(lines).rstrip() + "\n")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--small", action="store_true", help="2,000 records")
    parser.add_argument(
        "--reuse",
        action="store_true",
        help="keep the database when it holds the same data set",
    )
    parser.add_argument(
        "--no-update",
        action="store_true",
        help="with --reuse: do not update erp_key_user first",
    )
    parser.add_argument("--rounds", type=int, help="measured rounds")
    parser.add_argument("--warmup", type=int, help="warm-up rounds")
    parser.add_argument(
        "--no-plans",
        action="store_true",
        help="skip the SQL-logged pass and the EXPLAINs",
    )
    parser.add_argument(
        "--results",
        help="write the RST report there (default: bench/RESULTS.rst for a full run)",
    )
    parser.add_argument("--note", help="a sentence added to the machine section")
    parser.add_argument(
        "--refresh-peer",
        action="store_true",
        help="download the newest helpdesk_mgmt 19.0 wheel again",
    )
    args = parser.parse_args()
    ensure_python()

    import odoo_env
    from client import Client
    from peer import ensure_peer_addons

    cfg = dict(SMALL if args.small else FULL)
    if args.rounds:
        cfg["rounds"] = args.rounds
    if args.warmup is not None:
        # the first requests fill Odoo's caches: their query counts are not
        # the steady ones that the checks compare
        if args.warmup < 1:
            parser.error("--warmup must be at least 1")
        cfg["warmup"] = args.warmup
    results_path = args.results or (
        os.path.join(HERE, "RESULTS.rst")
        if not args.small
        else os.path.join(CACHE, "RESULTS-small.rst")
    )
    started_at = time.strftime("%Y-%m-%d %H:%M")
    started = time.monotonic()
    load = LoadSampler(cfg["db"])
    load.sample("start")

    os.makedirs(CACHE, exist_ok=True)
    odoo = odoo_env.OdooEnv()
    addons_dir, peer_versions = ensure_peer_addons(
        CACHE, odoo.core_addons_dirs, refresh=args.refresh_peer
    )
    log("peer: %s" % ", ".join("%s %s" % kv for kv in peer_versions.items()))
    odoo = odoo_env.OdooEnv(extra_addons=[addons_dir])
    setup = build_database(odoo, cfg, args, peer_versions)
    load.sample("database ready")

    plans, reltuples = [], {}
    if not args.no_plans:
        log("tracing the SQL of every operation and explaining it")
        plans, reltuples = trace_plans(odoo, cfg, setup)
        load.sample("plans traced")

    log("measuring: %d warm-up + %d rounds" % (cfg["warmup"], cfg["rounds"]))
    logfile = os.path.join(CACHE, "logs", "server.log")
    with odoo_env.OdooServer(odoo, cfg["db"], logfile) as server:
        client = Client(server.url, cfg["db"], logfile)
        sides = make_sides(client, setup)

        def on_round(round_no, warmup):
            kind = "warm-up" if round_no < warmup else "round"
            number = round_no + 1 if round_no < warmup else round_no - warmup + 1
            log("  %s %d done" % (kind, number))
            if round_no % 5 == 4:
                load.sample("measuring, %s %d" % (kind, number))

        results = run_rounds(sides, cfg["rounds"], cfg["warmup"], on_round)
        load.sample("measured")

    summary = summarize(results)
    figures, counts = main_tables(summary, cfg)
    # reading the whole table is only wrong when the customer is a small part
    # of it (not in --small, where the measured customer holds half of it)
    check_plans = cfg["big"] <= 0.1 * cfg["total"]
    failures = checks(summary, plans, check_plans)
    if not check_plans:
        log("plans not checked: the measured customer holds over 10% of the table")
    plans_text, whole = plan_section(plans, reltuples)
    machine = machine_info(odoo, cfg["db"])
    duration = int(time.monotonic() - started)

    print()
    print(figures)
    print()
    print(counts)
    print()
    for line in whole:
        print(line)
    with open(os.path.join(CACHE, "last_results.json"), "w") as handle:
        json.dump(
            {
                "config": cfg,
                "summary": summary,
                "machine": machine,
                "load": load.samples,
                "failures": failures,
                "plans": plans,
            },
            handle,
            indent=1,
            default=str,
        )
    write_results(
        results_path,
        cfg,
        figures,
        counts,
        failures,
        machine,
        load.samples,
        plans_text,
        whole,
        args,
        started_at,
        duration,
        setup,
    )
    log("report written to %s" % os.path.relpath(results_path))
    if failures:
        print("\nFAILED:")
        for failure in failures:
            print("  - " + failure)
        return 1
    print("\nall checks passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
