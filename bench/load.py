#!/usr/bin/env python3
"""Load: Locust against a multi-worker Odoo, ours and helpdesk_mgmt's side by
side, without and with a read replica (DESIGN §17).

    make load                          # the benchmark's database (make bench)
    python3 bench/load.py --small      # the small database, short steps
    python3 bench/load.py --help

1. reuses the benchmark's database (bench/run.py builds it when missing);
2. starts Odoo with ``--workers=4`` (and, for the second pass, a streaming
   replica of the private cluster made by ``tools/replica.sh`` and
   ``--db_replica_host``);
3. writes, per side, the plan the Locust users follow (bench/load/plan-*.json:
   logins, the web client's specifications and domains, read from the views
   as bench/scenarios.py does);
4. runs Locust headless (its own virtualenv in bench/.cache/locust-venv,
   from PyPI) at 25, 50, 100 and 200 concurrent users per side, each step
   measured after all its users logged in;
5. prints throughput, p50/p95/p99 and errors per step and writes
   bench/LOAD.rst (--small: bench/.cache/LOAD-small.rst); exits non-zero when
   a step had errors or the server logged a deadlock or serialization
   failure."""

import argparse
import csv
import json
import os
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import run  # noqa: E402  (the benchmark's database and report helpers)

CACHE = run.CACHE
LOCUST_VENV = os.path.join(CACHE, "locust-venv")
STEPS = (25, 50, 100, 200)
WORKERS = 4
SIDES = {
    "ours": {
        "portal_list_url": "/my/incidents",
        "row_marker": "o_erp_portal_incident_row",
        "record_url_re": r'href="(/my/incidents/\d+)"',
        "model": "erp.incident",
        "form_url": "/my/incidents/new",
        "form_submit_url": "/my/incidents/new/submit",
        "form_selects": ["instance_id", "area_id"],
        "form_values": {
            "title": "Cannot post the stock valuation entry of a lot",
            "description": "I received the lot and posted its valuation entry.",
            "expected_result": "The entry is posted.",
            "actual_result": "The entry stays in draft.",
            "error_message": "UserError: the valuation account is missing.",
            "steps_to_reproduce": "Receive a lot, validate, post.",
            "no_guide": "1",
            "not_reproduced_reason": "The staging copy has no lots yet.",
        },
        "form_refused_marker": "o_erp_request_errors",
    },
    "peer": {
        "portal_list_url": "/my/tickets",
        "row_marker": "/my/ticket/",
        "record_url_re": r'href="(/my/ticket/\d+)',
        "model": "helpdesk.ticket",
        "form_url": "/new/ticket",
        "form_submit_url": "/submitted/ticket",
        "form_selects": ["category"],
        "form_values": {
            "subject": "Cannot post the stock valuation entry of a lot",
            "description": "I received the lot and posted its valuation entry. "
            "The entry stays in draft.",
        },
        "form_refused_marker": "alert-danger",
    },
}
ERROR_PATTERNS = ("deadlock detected", "could not serialize access")


def log(message):
    print(message, flush=True)


def ensure_locust():
    locust = os.path.join(LOCUST_VENV, "bin", "locust")
    if not os.path.exists(locust):
        log("installing Locust from PyPI into %s" % LOCUST_VENV)
        subprocess.run([sys.executable, "-m", "venv", LOCUST_VENV], check=True)
        subprocess.run(
            [os.path.join(LOCUST_VENV, "bin", "pip"), "install", "-q", "locust"],
            check=True,
        )
    return locust


def write_plans(odoo, cfg, setup):
    """The plan of each side, read from a running server as the web client
    would (actions, views, default filters)."""
    from client import Client, ViewInfo
    from odoo_env import OdooServer
    from scenarios import Ours, Peer

    logfile = os.path.join(CACHE, "logs", "load-plan.log")
    customers = setup["customers"]
    portal_logins = [login for c in customers for login in c["portal_logins"]]
    key_user_logins = [c["key_user_login"] for c in customers]
    big = next(c for c in customers if c.get("tag") == "big")
    plans = {}
    with OdooServer(odoo, cfg["db"], logfile) as server:
        client = Client(server.url, cfg["db"], logfile)
        for name, side_cls in (("ours", Ours), ("peer", Peer)):
            side = side_cls(client, big, setup["password"])
            side.prepare()
            list_view, form_view = side.list_view, side.form_view
            record_form = ViewInfo(
                client, side.backend, side.list_action, view_types=("form",)
            )
            context = {
                k: v
                for k, v in list_view.context.items()
                if not k.startswith("search_default_")
            }
            plan = dict(SIDES[name])
            plan.update(
                side=name,
                db=cfg["db"],
                password=setup["password"],
                portal_logins=portal_logins,
                key_user_logins=key_user_logins,
                backend_login=big["logins"][side.backend_login_key],
                list={
                    "model": list_view.model,
                    "spec": list_view.spec("list"),
                    "domain": list_view.default_domain(),
                    "context": dict(context, bin_size=True),
                },
                record_form={
                    "model": record_form.model,
                    "spec": record_form.spec("form"),
                    "context": context,
                },
                wizard={
                    "model": form_view.model,
                    "spec": form_view.spec("form"),
                    "context": side.form_context(),
                    "typed": side.form_input(),
                    "writable": sorted(form_view.writable_fields()),
                    "button": "action_report" if name == "ours" else None,
                },
            )
            path = os.path.join(HERE, "load", ".plan-%s.json" % name)
            with open(path, "w") as handle:
                json.dump(plan, handle)
            plans[name] = path
    return plans


def replica(action):
    """Start or stop the streaming replica of the private cluster."""
    from odoo_env import REPO

    script = os.path.join(REPO, "tools", "replica.sh")
    subprocess.run(["bash", script, action], check=True)


def replica_settings():
    from odoo_env import REPO

    with open(os.path.join(REPO, ".pgdata", "replica.env")) as handle:
        return dict(
            part.split("=", 1)
            for line in handle
            for part in line.replace("export", "").split()
        )


def run_step(locust, plan, url, users, seconds, prefix):
    """One step: ``users`` Locust users; the statistics are reset once all
    of them are logged in, then taken over ``seconds`` (the locustfile stops
    the run; ``-t`` only caps it)."""
    env = dict(os.environ, LOAD_PLAN=plan, LOAD_SECONDS=str(seconds))
    spawn_rate = max(5, users // 5)
    subprocess.run(
        [
            locust,
            "-f",
            os.path.join(HERE, "load", "locustfile.py"),
            "--headless",
            "--host",
            url,
            "-u",
            str(users),
            "-r",
            str(spawn_rate),
            "-t",
            "%ds" % (seconds + 600),
            "--csv",
            prefix,
            "--only-summary",
            "--loglevel",
            "WARNING",
        ],
        check=False,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=open(prefix + ".log", "w"),  # noqa: SIM115
        cwd=HERE,
    )
    with open(prefix + "_stats.csv") as handle:
        rows = {row["Name"]: row for row in csv.DictReader(handle)}
    return rows


def fmt_row(label, users, row):
    count = int(row["Request Count"])
    failures = int(row["Failure Count"])
    return [
        label,
        users,
        "%.1f" % float(row["Requests/s"]),
        row["50%"],
        row["95%"],
        row["99%"],
        "%d / %d" % (failures, count),
    ]


def server_errors(logfile, since):
    with open(logfile, errors="replace") as handle:
        handle.seek(since)
        text = handle.read()
    return [p for p in ERROR_PATTERNS if p in text]


def run_pass(
    odoo, cfg, locust, plans, steps, seconds, label, with_replica, failures, sides
):
    """Every step for both sides against one server; the rows of the table.
    What went wrong is appended to ``failures``."""
    from odoo_env import OdooServer

    extra = ["--limit-time-real=300"]
    if with_replica:
        replica("start")
        settings = replica_settings()
        extra += [
            "--db_replica_host=%s" % settings["REPLICA_HOST"],
            "--db_replica_port=%s" % settings["REPLICA_PORT"],
        ]
    logfile = os.path.join(CACHE, "logs", "load-server.log")
    rows = []
    try:
        with OdooServer(
            odoo, cfg["db"], logfile, workers=WORKERS, extra_args=extra
        ) as server:
            for users in steps:
                for side in sides:
                    what = "%s, %s, %d users" % (label, side, users)
                    log("%s, %d s" % (what, seconds))
                    since = os.path.getsize(logfile)
                    prefix = os.path.join(
                        CACHE, "load-%s-%s-%d" % (side, with_replica, users)
                    )
                    stats = run_step(
                        locust, plans[side], server.url, users, seconds, prefix
                    )
                    total = stats.get("Aggregated")
                    if not total:
                        failures.append("%s: no statistics (%s.log)" % (what, prefix))
                        continue
                    rows.append(fmt_row(side, users, total))
                    log("  " + " | ".join(str(c) for c in rows[-1]))
                    if int(total["Failure Count"]):
                        failures.append(
                            "%s: %s failed requests" % (what, total["Failure Count"])
                        )
                    errors = server_errors(logfile, since)
                    if errors:
                        failures.append(
                            "%s: the server logged %s" % (what, ", ".join(errors))
                        )
    finally:
        if with_replica:
            replica("stop")
    return rows


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--small", action="store_true", help="the small database")
    parser.add_argument(
        "--steps",
        default=",".join(map(str, STEPS)),
        help="concurrent users per step (default %(default)s)",
    )
    parser.add_argument("--seconds", type=int, help="measured seconds per step")
    parser.add_argument(
        "--no-replica", action="store_true", help="skip the pass with a replica"
    )
    parser.add_argument(
        "--replica-only", action="store_true", help="only the pass with a replica"
    )
    parser.add_argument(
        "--sides", default="ours,peer", help="ours, peer or both (%(default)s)"
    )
    parser.add_argument("--results", help="write the RST report there")
    args = parser.parse_args()
    run.ensure_python()

    import odoo_env
    from peer import ensure_peer_addons

    cfg = dict(run.SMALL if args.small else run.FULL)
    steps = [int(s) for s in args.steps.split(",")]
    seconds = args.seconds or (20 if args.small else 60)
    results_path = args.results or (
        os.path.join(CACHE, "LOAD-small.rst")
        if args.small
        else os.path.join(HERE, "LOAD.rst")
    )
    locust = ensure_locust()
    odoo = odoo_env.OdooEnv()
    addons_dir, peer_versions = ensure_peer_addons(CACHE, odoo.core_addons_dirs)
    odoo = odoo_env.OdooEnv(extra_addons=[addons_dir])
    build_args = argparse.Namespace(reuse=True, no_update=False)
    setup = run.build_database(odoo, cfg, build_args, peer_versions)
    plans = write_plans(odoo, cfg, setup)

    passes = [] if args.replica_only else [("primary only", False)]
    if not args.no_replica:
        passes.append(("with a read replica", True))
    tables, failures = [], []
    started = time.strftime("%Y-%m-%d %H:%M")
    for label, with_replica in passes:
        rows = run_pass(
            odoo,
            cfg,
            locust,
            plans,
            steps,
            seconds,
            label,
            with_replica,
            failures,
            args.sides.split(","),
        )
        headers = ["side", "users", "req/s", "p50 ms", "p95 ms", "p99 ms", "errors"]
        tables.append((label, run.table(headers, rows)))
    write_report(results_path, cfg, seconds, tables, failures, started, peer_versions)
    log("report written to %s" % os.path.relpath(results_path))
    for label, text in tables:
        log("\n%s\n%s" % (label, text))
    if failures:
        log("\nFAILED:\n" + "\n".join("  - " + f for f in failures))
        return 1
    return 0


def write_report(path, cfg, seconds, tables, failures, started, peer_versions):
    lines = [
        "Load: erp_key_user against helpdesk_mgmt",
        "========================================",
        "",
        "Written by ``bench/load.py`` on %s. Locust (headless) against one Odoo "
        "server started with ``--workers=%d`` on the benchmark's database "
        "(%s requests and as many tickets, %d customers, %s portal users; "
        "helpdesk_mgmt %s), on the same machine as PostgreSQL and Locust. Each "
        "step runs for %d s after all its users have logged in; the users wait "
        "1 to 3 s between tasks."
        % (
            started,
            WORKERS,
            "{:,}".format(cfg["total"]),
            cfg["customers"],
            "{:,}".format(cfg["portal_users"]),
            peer_versions.get("helpdesk_mgmt", "?")
            if isinstance(peer_versions, dict)
            else peer_versions,
            seconds,
        ),
        "",
        "The mix of each side: portal consultation users (6 in 10: the list, a "
        "record's page, a comment), portal key users (1 in 10: the "
        "support-request form / the new ticket form, filled and sent), the "
        "supplier's staff (3 in 10: the backend list, a record's form, the "
        "report wizard / the new ticket form opened and saved).",
        "",
    ]
    for label, text in tables:
        lines += [label, "-" * len(label), "", text, ""]
    lines += [
        "Errors: "
        + (
            "none, and no deadlock or serialization failure in the server's log."
            if not failures
            else "FAILED"
        ),
        "",
    ]
    lines += ["* " + f for f in failures]
    with open(path, "w") as handle:
        handle.write("\n".join(lines) + "\n")


if __name__ == "__main__":
    sys.exit(main())
