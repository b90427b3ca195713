#!/usr/bin/env python3
"""Growth: the time and query count of the portal pages and the backend list
at 10,000 / 50,000 / 200,000 requests (DESIGN §17), ours and helpdesk_mgmt's.

    make bench-growth                  # on a copy of the benchmark's database
    python3 bench/growth.py --small    # 2,000 / 1,000 / 500 records

The platform (customers, portal users, staff) stays the same; only the number
of requests (and as many tickets) changes. The benchmark's database (200,000,
built by bench/run.py when missing) is copied, measured, then thinned in SQL
to a quarter and to a twentieth (every record kept or dropped by its id, so
that each customer keeps its share: the measured one 5 %), vacuumed and
measured again. Prints the table and writes bench/GROWTH.rst (--small:
bench/.cache/GROWTH-small.rst)."""

import argparse
import os
import statistics
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import run  # noqa: E402

OPERATIONS = ("portal_list", "portal_detail", "backend_list")
# kept: one record in ``keep`` (by id), from the full volume
VOLUMES = ((1, "200,000"), (4, "50,000"), (20, "10,000"))
SMALL_VOLUMES = ((1, "2,000"), (2, "1,000"), (4, "500"))
ROUNDS, WARMUP = 15, 2

THIN_SQL = """
-- helpdesk_mgmt leaves helpdesk_ticket.duplicate_id without an index: each
-- ticket deleted would scan the table for its duplicates (hours at 200,000)
CREATE INDEX bench_thin_ticket_duplicate ON helpdesk_ticket (duplicate_id);
DELETE FROM mail_followers_mail_message_subtype_rel r USING mail_followers f
 WHERE f.id = r.mail_followers_id AND f.res_model IN ('erp.incident', 'helpdesk.ticket')
   AND f.res_id %% %(keep)s <> 0;
DELETE FROM mail_followers WHERE res_model IN ('erp.incident', 'helpdesk.ticket')
   AND res_id %% %(keep)s <> 0;
DELETE FROM mail_message WHERE model IN ('erp.incident', 'helpdesk.ticket')
   AND res_id %% %(keep)s <> 0;
DELETE FROM erp_incident WHERE id %% %(keep)s <> 0;
DELETE FROM helpdesk_ticket WHERE id %% %(keep)s <> 0;
DROP INDEX bench_thin_ticket_duplicate;
"""


def log(message):
    print(message, flush=True)


def copy_database(odoo, source, target):
    conn = odoo.connect("postgres")
    conn.autocommit = True
    try:
        with conn.cursor() as cr:
            cr.execute('DROP DATABASE IF EXISTS "%s"' % target)
            cr.execute('CREATE DATABASE "%s" TEMPLATE "%s"' % (target, source))
    finally:
        conn.close()


def thin(odoo, dbname, keep):
    conn = odoo.connect(dbname)
    try:
        with conn.cursor() as cr:
            cr.execute(THIN_SQL, {"keep": keep})
            cr.execute(
                "SELECT (SELECT count(*) FROM erp_incident),"
                " (SELECT count(*) FROM helpdesk_ticket)"
            )
            counts = cr.fetchone()
        conn.commit()
        conn.autocommit = True
        with conn.cursor() as cr:
            for table in (
                "erp_incident",
                "helpdesk_ticket",
                "mail_message",
                "mail_followers",
            ):
                cr.execute("VACUUM ANALYZE %s" % table)
    finally:
        conn.close()
    return counts


def measure(odoo, dbname, setup):
    from client import Client
    from odoo_env import OdooServer

    logfile = os.path.join(run.CACHE, "logs", "growth-server.log")
    with OdooServer(odoo, dbname, logfile) as server:
        client = Client(server.url, dbname, logfile)
        sides = run.make_sides(client, setup)
        results = run.run_rounds(sides, ROUNDS, WARMUP, operations=OPERATIONS)
    return {
        (op, side): {
            "ms": statistics.median(m.ms for m in measures),
            "server_ms": statistics.median(m.server_ms for m in measures),
            "queries": statistics.median(m.queries for m in measures),
        }
        for (op, side, tag), measures in results.items()
        if tag == "big"
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--small", action="store_true", help="the small database")
    args = parser.parse_args()
    run.ensure_python()

    import odoo_env
    from peer import ensure_peer_addons

    cfg = dict(run.SMALL if args.small else run.FULL)
    volumes = SMALL_VOLUMES if args.small else VOLUMES
    odoo = odoo_env.OdooEnv()
    addons_dir, peer_versions = ensure_peer_addons(run.CACHE, odoo.core_addons_dirs)
    odoo = odoo_env.OdooEnv(extra_addons=[addons_dir])
    setup = run.build_database(
        odoo, cfg, argparse.Namespace(reuse=True, no_update=False), peer_versions
    )
    dbname = cfg["db"] + "_growth"
    log("copying %s to %s" % (cfg["db"], dbname))
    copy_database(odoo, cfg["db"], dbname)
    started = time.strftime("%Y-%m-%d %H:%M")
    rows = []
    try:
        for keep, label in volumes:
            if keep > 1:
                # from the full copy: thinning ``keep`` of the remaining rows
                # would compound, so start again from the template
                copy_database(odoo, cfg["db"], dbname)
                counts = thin(odoo, dbname, keep)
                log("%s: %d incidents, %d tickets" % (label, *counts))
            log("measuring at %s requests" % label)
            figures = measure(odoo, dbname, setup)
            for op in OPERATIONS:
                ours, peer = figures[op, "ours"], figures[op, "peer"]
                rows.append(
                    [
                        label,
                        op.replace("_", " "),
                        run.fmt_ms(ours["ms"]),
                        run.fmt_ms(ours["server_ms"]),
                        "%g" % ours["queries"],
                        run.fmt_ms(peer["ms"]),
                        run.fmt_ms(peer["server_ms"]),
                        "%g" % peer["queries"],
                    ]
                )
    finally:
        conn = odoo.connect("postgres")
        conn.autocommit = True
        with conn.cursor() as cr:
            cr.execute('DROP DATABASE IF EXISTS "%s"' % dbname)
        conn.close()
    # smallest volume first: the growth reads downwards
    groups = [
        rows[i : i + len(OPERATIONS)] for i in range(0, len(rows), len(OPERATIONS))
    ]
    rows = [row for group in reversed(groups) for row in group]
    text = run.table(
        [
            "requests",
            "operation",
            "ours ms",
            "ours server ms",
            "ours SQL",
            "peer ms",
            "peer server ms",
            "peer SQL",
        ],
        rows,
    )
    path = (
        os.path.join(run.CACHE, "GROWTH-small.rst")
        if args.small
        else os.path.join(HERE, "GROWTH.rst")
    )
    with open(path, "w") as handle:
        handle.write(
            "Growth: erp_key_user against helpdesk_mgmt\n"
            "==========================================\n\n"
            "Written by ``bench/growth.py`` on %s. The same platform (%d "
            "customers, %s portal users) at each volume; the measured customer "
            "holds 5 %% of the requests (half of them with --small). Medians "
            "of %d rounds after %d warm-up rounds: client wall time, server "
            "time (SQL + Python) and SQL queries per request, one Odoo "
            "process (no workers).\n\n%s\n"
            % (
                started,
                cfg["customers"],
                "{:,}".format(cfg["portal_users"]),
                ROUNDS,
                WARMUP,
                text,
            )
        )
    log(text)
    log("report written to %s" % os.path.relpath(path))
    return 0


if __name__ == "__main__":
    sys.exit(main())
