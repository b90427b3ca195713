#!/usr/bin/env python3
"""Self-help search quality and speed (issue #14, DESIGN §16).

    make bench-search                                  # quality only (~2 min)
    make bench-search BENCH_ARGS="--volume 200000"     # and the time per suggestion

1. creates a database with erp_key_user (no demo data), a company with its
   production instance and one key user per language, and loads the
   evaluation set of tests/data/self_help_eval.json (answers, then recent
   distractors on the same forms) through the ORM;
2. asks its 45 questions as a consultation user of that company, with the
   suggestions of before issue #14 (title words with ``ilike``, or the newest
   of the form) and with the self-help search; prints hit@5 and MRR per
   language and overall, and the questions still missed;
3. with ``--volume N``: inserts N resolved incidents in SQL (the titles of
   bench/datagen.py) over 50 companies, 10,000 of them in the evaluation
   company (as bench/run.py's largest company), VACUUM ANALYZE, then times
   every question again (median, p90 and max of the service call, rights
   and ranking included) and prints the plan of the slowest one."""

import argparse
import os
import statistics
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

COMPANIES = 50
EVAL_COMPANY_SHARE = 10_000


def log(message):
    print(message, flush=True)


def create_database(odoo, dbname):
    log("creating database %s with erp_key_user" % dbname)
    conn = odoo.connect("postgres")
    conn.autocommit = True
    with conn.cursor() as cr:
        cr.execute("DROP DATABASE IF EXISTS %s" % dbname)
    conn.close()
    odoo.run(
        "-d",
        dbname,
        "-i",
        "erp_key_user",
        "--stop-after-init",
        "--no-http",
        "--log-level=warn",
        log=os.path.join(HERE, ".cache", "self_help_install.log"),
    )


def setup_environment(odoo, dbname):
    import odoo as odoo_lib
    from odoo.tools import config

    config.parse_config(
        [
            "--addons-path=%s" % odoo.addons_path,
            "--db_host=%s" % odoo.pg["host"],
            "--db_port=%s" % odoo.pg["port"],
            "--db_user=%s" % odoo.pg["user"],
            "--log-level=warn",
        ]
    )
    odoo_lib.modules.module.initialize_sys_path()
    return odoo_lib.modules.registry.Registry(dbname)


def build_corpus(env):
    from odoo import Command
    from odoo.tests.common import new_test_user

    from odoo.addons.erp_key_user.tests.self_help_eval import load_corpus, make_authors

    company = env["res.company"].create({"name": "Self-help evaluation"})
    instance = env["erp.instance"].create(
        {"name": "Evaluation production", "company_id": company.id}
    )
    authors = make_authors(env, company, "eval")
    answers = load_corpus(env, instance, authors)
    asker = new_test_user(
        env,
        login="self_help_asker",
        groups="base.group_user,erp_key_user.group_consultation_user",
        company_id=company.id,
        company_ids=[Command.set(company.ids)],
    )
    return company, instance, asker, answers


def insert_volume(env, company, instance, total):
    """``total`` resolved incidents in SQL, 10,000 of them in ``company``."""
    from datagen import TITLE_CONTEXTS, TITLE_OBJECTS, TITLE_VERBS

    log("  creating %d other companies and instances" % (COMPANIES - 1))
    others = env["res.company"].create(
        [{"name": "Volume company %d" % n} for n in range(COMPANIES - 1)]
    )
    instances = env["erp.instance"].create(
        [{"name": "Production", "company_id": c.id} for c in others]
    )
    areas = env["erp.support.area"].search([]).ids
    env.flush_all()
    log("  inserting %d incidents" % total)
    env.cr.execute(
        """
        INSERT INTO erp_incident (
            name, title, kind, instance_id, company_id, area_id, res_model,
            description, priority, state, resolution_level, resolved_on,
            resolution, self_help_title, self_help_text, self_help_lang,
            create_uid, create_date, write_uid, write_date)
        SELECT 'VOL/' || g, t.title, 'question',
               CASE WHEN g <= %(share)s THEN %(instance)s
                    ELSE (%(instances)s::int[])[g %% %(n_inst)s + 1] END,
               CASE WHEN g <= %(share)s THEN %(company)s
                    ELSE (%(companies)s::int[])[g %% %(n_inst)s + 1] END,
               (%(areas)s::int[])[g %% %(n_areas)s + 1],
               (%(models)s::varchar[])[g %% 5 + 1],
               t.description, '1', 'closed', 'key_user',
               now() - interval '1 hour' * g,
               '<p>Solved: see the process guide of the area.</p>',
               t.title,
               t.description || E'\\nSolved: see the process guide of the area.',
               'english', 1, now() - interval '1 hour' * g, 1,
               now() - interval '1 hour' * g
          FROM generate_series(1, %(total)s) g,
       LATERAL (SELECT
                 (%(verbs)s::varchar[])[g %% %(n_verbs)s + 1] || ' '
                 || (%(objects)s::varchar[])[g / %(n_verbs)s %% %(n_objects)s + 1]
                 || ' ' || (%(contexts)s::varchar[])[g / %(n_vo)s %% %(n_contexts)s + 1]
                 AS title,
                 'I wanted to ' || lower((%(verbs)s::varchar[])[g %% %(n_verbs)s + 1])
                 || ' the '
                 || (%(objects)s::varchar[])[g / %(n_verbs)s %% %(n_objects)s + 1]
                 AS description) t
        """,
        {
            "share": EVAL_COMPANY_SHARE,
            "instance": instance.id,
            "company": company.id,
            "instances": instances.ids,
            "companies": others.ids,
            "n_inst": len(others),
            "areas": areas,
            "n_areas": len(areas),
            "models": [
                "account.move",
                "stock.picking",
                "sale.order",
                "purchase.order",
                "mrp.production",
            ],
            "total": total,
            "verbs": TITLE_VERBS,
            "objects": TITLE_OBJECTS,
            "contexts": TITLE_CONTEXTS,
            "n_verbs": len(TITLE_VERBS),
            "n_objects": len(TITLE_OBJECTS),
            "n_contexts": len(TITLE_CONTEXTS),
            "n_vo": len(TITLE_VERBS) * len(TITLE_OBJECTS),
        },
    )
    env.cr.commit()
    log("  VACUUM ANALYZE")
    old_level = env.cr._cnx.isolation_level
    env.cr._cnx.set_isolation_level(0)
    env.cr.execute("VACUUM ANALYZE erp_incident")
    env.cr._cnx.set_isolation_level(old_level)


def time_queries(env, rounds):
    from odoo.addons.erp_key_user.tests.self_help_eval import (
        load_eval_set,
        search_ranked,
    )

    timings = []
    for query in load_eval_set()["queries"]:
        search_ranked(env, query, limit=5)  # warm-up
        samples = []
        for _round in range(rounds):
            env.invalidate_all()
            start = time.perf_counter()
            search_ranked(env, query, limit=5)
            samples.append((time.perf_counter() - start) * 1000)
        timings.append((statistics.median(samples), query))
    return timings


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", default="erp_key_user_self_help")
    parser.add_argument("--volume", type=int, default=0)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()

    from odoo_env import OdooEnv

    odoo = OdooEnv()
    os.makedirs(os.path.join(HERE, ".cache"), exist_ok=True)
    create_database(odoo, args.db)
    registry = setup_environment(odoo, args.db)

    from odoo import SUPERUSER_ID, api

    from odoo.addons.erp_key_user.tests.self_help_eval import (
        evaluate,
        format_table,
        search_old_ilike,
        search_ranked,
    )

    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        log("loading the evaluation set")
        company, instance, asker, answers = build_corpus(env)
        cr.commit()
        user_env = api.Environment(cr, asker.id, {"allowed_company_ids": company.ids})
        old, _old_missed = evaluate(user_env, answers, search_old_ilike)
        new, missed = evaluate(user_env, answers, search_ranked)
        log("\nhit@5 / MRR@10, per language (%d questions)" % new["all"]["n"])
        log(
            format_table(
                [("before (ilike on titles)", old), ("after (self-help search)", new)]
            )
        )
        log("still missed (rank or none):")
        for query in missed:
            log(
                "  %-3s %-12s %r: %s"
                % (query["lang"], query["kind"], query["text"], query["rank"])
            )
        if args.volume:
            log("\nvolume: %d incidents over %d companies" % (args.volume, COMPANIES))
            insert_volume(env, company, instance, args.volume)
            env.invalidate_all()
            timings = time_queries(user_env, args.rounds)
            values = sorted(t for t, _q in timings)
            log(
                "time per suggestion (ms, %d questions, median of %d rounds each): "
                "median %.1f, p90 %.1f, max %.1f"
                % (
                    len(values),
                    args.rounds,
                    statistics.median(values),
                    values[int(len(values) * 0.9) - 1],
                    values[-1],
                )
            )
            slowest = max(timings, key=lambda t: t[0])
            log("slowest: %.1f ms for %r" % (slowest[0], slowest[1]["text"]))
            new_volume, missed_volume = evaluate(user_env, answers, search_ranked)
            log(format_table([("after, with the volume", new_volume)]))
            log("missed with the volume: %s" % [q["text"] for q in missed_volume])
        cr.rollback()


if __name__ == "__main__":
    main()
