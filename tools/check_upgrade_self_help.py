#!/usr/bin/env python3
# Copyright 2026 erp_key_user contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The upgrade to 19.0.1.3.0: incidents and process guides get the texts of
the self-help search, filled in SQL (migrations/19.0.1.3.0/pre-migrate.py).
Two steps, run by tools/test.sh through ``upgrade_check`` (tools/common.sh):

    python3 tools/check_upgrade_self_help.py prepare STATE -d DB --addons-path=OLD
        with the code before 19.0.1.3.0: answers in English, Finnish and
        Chinese (a word only in the HTML resolution, only in a guide step),
        and many incidents inserted in SQL
    python3 tools/check_upgrade_self_help.py check STATE -d DB --addons-path=NEW
        after ``-u erp_key_user``: every row has its texts and a vector, the
        words of each answer are those the ORM's compute gives, the search
        finds each answer, the indexes exist, and the update's log
        (UPGRADE_LOG) shows the ORM computed none of the texts

Exits 1 and says what is wrong when the check fails."""

import json
import os
import sys

import odoo
from odoo import SUPERUSER_ID, Command, api
from odoo.modules.registry import Registry

SQL_INCIDENTS = 20000
# question -> the answer's key: each answer is found after the upgrade
QUESTIONS = {
    "bank statement greylisted": "en_resolution_only",
    "ostolaskun kirjaus": "fi_inflected",
    "送货单 批次号": "zh_title",
    "hyllypaikka tarkistus": "guide_step",
}
TEXTS = ("self_help_title", "self_help_text", "self_help_lang")


def _user(env, login, lang):
    if lang not in env["res.lang"].search([]).mapped("code"):
        env["res.lang"]._activate_lang(lang)
    return env["res.users"].create(
        {
            "name": login,
            "login": login,
            "lang": lang,
            "group_ids": [Command.link(env.ref("erp_key_user.group_key_user").id)],
        }
    )


def prepare(env, state_path):
    area = env.ref("erp_key_user.erp_support_area_finance")
    instance = env["erp.instance"].create({"name": "Self-help upgrade check"})
    english = _user(env, "upgrade_self_help_en", "en_US")
    finnish = _user(env, "upgrade_self_help_fi", "fi_FI")
    answers = {}
    for key, user, title, description, resolution in (
        (
            "en_resolution_only",
            english,
            "Statements arrive late",
            "Since Monday\n\n  the import waits",
            "<p>The <b>bank</b> server <i>greylisted</i> us &amp; retried.</p>"
            "<ul><li>Whitelist the sender</li><li>Import again</li></ul>",
        ),
        (
            "fi_inflected",
            finnish,
            "Ostolaskun kirjaus epäonnistuu",
            "ALV puuttuu",
            "<p>Valitse ostolaskulle verokoodi.</p>",
        ),
        (
            "zh_title",
            english,
            "送货单不显示批次号",
            "打印时",
            "<p>在设置中启用批次号。</p>",
        ),
    ):
        incident = (
            env["erp.incident"]
            .with_user(user)
            .create(
                {
                    "kind": "incident",
                    "title": title,
                    "description": description,
                    "instance_id": instance.id,
                    "area_id": area.id,
                }
            )
        )
        incident.sudo().resolution = resolution
        incident.action_resolve()
        answers[key] = ["erp.incident", incident.id]
    guide = env["erp.process.guide"].create(
        {
            "name": "Varastosiirto",
            "area_id": area.id,
            "owner_id": finnish.id,
            "step_ids": [
                Command.create({"name": "Tee hyllypaikka tarkistus ennen siirtoa"})
            ],
        }
    )
    guide.action_publish()
    answers["guide_step"] = ["erp.process.guide", guide.id]
    env.flush_all()
    env.cr.execute(
        """
        INSERT INTO erp_incident (name, title, kind, state, instance_id,
                                  company_id, partner_id, area_id)
        SELECT 'UPG-SH/' || n, 'Upgrade volume ' || n, 'question', 'closed',
               %s, %s, %s, %s
          FROM generate_series(1, %s) AS n
        """,
        (
            instance.id,
            instance.company_id.id,
            instance.partner_id.id,
            area.id,
            SQL_INCIDENTS,
        ),
    )
    env.cr.execute("SELECT count(*) FROM erp_incident")
    state = {"answers": answers, "incidents": env.cr.fetchone()[0]}
    with open(state_path, "w", encoding="utf-8") as file:
        json.dump(state, file)
    print(f"prepared: {len(answers)} answers, {state['incidents']} incidents")
    return 0


def _check_rows(cr, problems):
    for table in ("erp_incident", "erp_process_guide"):
        cr.execute(
            f"SELECT count(*) FROM {table} WHERE self_help_lang IS NULL "
            "OR self_help_title IS NULL OR self_help_vector IS NULL"
        )
        if missing := cr.fetchone()[0]:
            problems.append(f"{table}: {missing} rows without self-help texts")
        cr.execute(
            "SELECT count(*) FROM pg_indexes WHERE tablename = %s AND "
            "(indexdef LIKE '%%gin (self_help_vector)%%' "
            "OR indexdef LIKE '%%self_help_title gin_trgm_ops%%')",
            (table,),
        )
        if cr.fetchone()[0] != 2:
            problems.append(f"{table}: the self-help indexes are missing")


def _check_answers(env, answers, problems):
    """Each answer holds the words (same lexemes, language and title) the
    ORM's compute gives, and the search finds it."""
    cr = env.cr
    records = {key: env[model].browse(rid) for key, (model, rid) in answers.items()}
    for key, record in records.items():
        cr.execute(
            f"SELECT {', '.join(TEXTS)} FROM {record._table} WHERE id = %s",
            (record.id,),
        )
        title, text, lang = cr.fetchone()
        # the ORM's values, computed in memory: never written (rolled back)
        record._compute_self_help()
        if (title, lang) != (record.self_help_title, record.self_help_lang):
            problems.append(f"{key}: {(title, lang)} instead of the ORM's values")
        cr.execute(
            "SELECT strip(to_tsvector('simple', %s)) "
            "= strip(to_tsvector('simple', %s))",
            (text or "", record.self_help_text or ""),
        )
        if not cr.fetchone()[0]:
            problems.append(
                f"{key}: words {text!r}, the ORM's {record.self_help_text!r}"
            )
    env.flush_all()
    cr.rollback()
    env.invalidate_all()
    for question, key in QUESTIONS.items():
        found = [
            hit["record"]
            for hit in env["erp.self.help"]._search_answers(question, limit=5)
        ]
        if records[key] not in found:
            problems.append(f"{question!r} does not find {key}: {found}")


def check(env, state_path):
    with open(state_path, encoding="utf-8") as file:
        state = json.load(file)
    problems = []
    cr = env.cr
    _check_rows(cr, problems)
    _check_answers(env, state["answers"], problems)
    cr.execute("SELECT count(*) FROM erp_incident")
    if (count := cr.fetchone()[0]) != state["incidents"]:
        problems.append(f"{count} incidents, expected {state['incidents']}")
    if os.environ.get("UPGRADE_LOG"):
        with open(os.environ["UPGRADE_LOG"], encoding="utf-8") as file:
            recomputed = [
                line.strip()
                for line in file
                if "Prepare computation of" in line and ".self_help_" in line
            ]
        problems.extend(f"computed by the ORM: {line}" for line in recomputed)
    if problems:
        print("FAILED: the upgrade to 19.0.1.3.0 (self-help search):")
        print("\n".join(f"  - {problem}" for problem in problems))
        return 1
    print(f"upgrade: self-help texts of {state['incidents']} incidents filled in SQL")
    return 0


def main():
    step, state_path, *odoo_args = sys.argv[1:]
    odoo.tools.config.parse_config(odoo_args)
    db_name = odoo.tools.config["db_name"]
    if isinstance(db_name, list):
        db_name = db_name[0]
    with Registry(db_name).cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        return {"prepare": prepare, "check": check}[step](env, state_path)


if __name__ == "__main__":
    sys.exit(main())
