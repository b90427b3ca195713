# Copyright 2026 erp_key_user contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The self-help evaluation set (tests/data/self_help_eval.json): loading it
into a company and measuring hit@5 and MRR, for tests/test_self_help.py and
bench/self_help_eval.py."""

import json
import os
import re
from collections import defaultdict

from odoo import Command
from odoo.fields import Domain

DATA_FILE = os.path.join(os.path.dirname(__file__), "data", "self_help_eval.json")
LANGS = ("en_US", "fi_FI", "sv_SE", "es_ES", "zh_CN")
HIT_AT = 5
MRR_DEPTH = 10


def load_eval_set():
    with open(DATA_FILE, encoding="utf-8") as handle:
        return json.load(handle)


def activate_languages(env):
    for lang in LANGS:
        env["res.lang"]._activate_lang(lang)


def make_authors(env, company, suffix):
    """One key user per language in ``company``: the authors of the answers
    (a record is stemmed in its author's language)."""
    activate_languages(env)
    Users = env["res.users"].with_context(no_reset_password=True)
    return {
        lang: Users.create(
            {
                "name": f"Self-help author {lang} {suffix}",
                "login": f"self_help_{lang}_{suffix}",
                "lang": lang,
                "company_id": company.id,
                "company_ids": [Command.set(company.ids)],
                "group_ids": [Command.link(env.ref("erp_key_user.group_key_user").id)],
            }
        )
        for lang in LANGS
    }


def _area(env, code):
    return env.ref(f"erp_key_user.erp_support_area_{code}")


def _create_resolved(env, author, instance, res_model, area, title, description, res):
    Incident = env["erp.incident"].with_user(author)
    incident = Incident.create(
        {
            "kind": "incident",
            "title": title,
            "description": description,
            "instance_id": instance.id,
            "area_id": _area(env, area).id,
            "res_model": res_model,
        }
    )
    incident.resolution = "<p>%s</p>" % res
    incident.action_resolve()
    return incident.with_env(env)


def _create_guide(env, author, answer):
    model = env["ir.model"]._get(answer["res_model"])
    # fixture: guides are written by the key users of their area; the
    # assignments do not matter to the search
    guide = (
        env["erp.process.guide"]
        .sudo()
        .create(
            {
                "name": answer["title"],
                "summary": answer.get("summary"),
                "company_id": author.company_id.id,
                "area_id": _area(env, answer["area"]).id,
                "owner_id": author.id,
                "model_ids": [Command.set(model.ids)],
                "step_ids": [
                    Command.create({"sequence": n, "name": step})
                    for n, step in enumerate(answer.get("steps", []))
                ],
            }
        )
    )
    guide.action_publish()
    return guide.with_env(env)


def load_corpus(env, instance, authors, distractors=True):
    """Create the answers (and the distractors after them, so that they are
    the most recent) in the instance's company; return {key: record}."""
    data = load_eval_set()
    env = env(context=dict(env.context, tracking_disable=True, mail_notrack=True))
    answers = {}
    for answer in data["answers"]:
        author = authors[answer["lang"]]
        if answer["type"] == "guide":
            answers[answer["key"]] = _create_guide(env, author, answer)
        else:
            answers[answer["key"]] = _create_resolved(
                env,
                author,
                instance,
                answer["res_model"],
                answer["area"],
                answer["title"],
                answer["description"],
                answer["resolution"],
            )
    if distractors:
        spec = data["distractors"]
        for copy in range(spec["copies"]):
            for lang in LANGS:
                for res_model, area, title, resolution in spec[lang]:
                    _create_resolved(
                        env,
                        authors[lang],
                        instance,
                        res_model,
                        area,
                        title,
                        f"#{copy + 1}",
                        resolution,
                    )
    env.flush_all()
    return answers


# ----------------------------------------------------------------------
# the searches compared
# ----------------------------------------------------------------------


def search_ranked(env, query, limit=MRR_DEPTH):
    """The self-help service (what the wizard shows, best first)."""
    hits = env["erp.self.help"]._search_answers(
        query["text"],
        res_model=query["res_model"],
        area=_area(env, query["area"]),
        limit=limit,
    )
    return [hit["record"] for hit in hits]


def search_old_ilike(env, query, limit=MRR_DEPTH):
    """The suggestions before issue #14, as the wizard computed them: title
    words of four letters or more with ``ilike``, or the same form; the
    guides shown first, then the incidents (newest first)."""
    words = [w for w in re.findall(r"\w+", query["text"]) if len(w) >= 4]
    model_id = (
        env["ir.model"]._get_id(query["res_model"])
        if (query["res_model"] in env)
        else False
    )
    guide_domain = Domain.OR(
        [Domain("name", "ilike", word) for word in words]
        + ([Domain("model_ids", "in", [model_id])] if model_id else [])
    )
    incident_domain = Domain.OR(
        [Domain("title", "ilike", word) for word in words]
        + [Domain("res_model", "=", query["res_model"])]
    )
    company = Domain("company_id", "=", env.company.id)
    guides = env["erp.process.guide"]
    if not guide_domain.is_false():
        guides = guides.search(
            guide_domain & Domain("state", "=", "published") & company, limit=limit
        )
    incidents = env["erp.incident"].search(
        incident_domain & Domain("state", "in", ["resolved", "closed"]) & company,
        limit=limit,
    )
    return (list(guides) + list(incidents))[:limit]


def evaluate(env, answers, search=search_ranked):
    """hit@5 and MRR per language and overall, and the questions missed.
    Returns {lang: {"n", "hit", "mrr"}}, [missed query dicts]."""
    data = load_eval_set()
    stats = defaultdict(lambda: {"n": 0, "hit": 0.0, "mrr": 0.0})
    missed = []
    for query in data["queries"]:
        expected = answers[query["expect"]]
        results = search(env, query)
        rank = next(
            (
                n
                for n, record in enumerate(results, 1)
                if record._name == expected._name and record.id == expected.id
            ),
            None,
        )
        for lang in (query["lang"], "all"):
            stats[lang]["n"] += 1
            if rank and rank <= HIT_AT:
                stats[lang]["hit"] += 1
            if rank:
                stats[lang]["mrr"] += 1.0 / rank
        if not rank or rank > HIT_AT:
            missed.append(dict(query, rank=rank))
    for values in stats.values():
        values["hit"] /= values["n"]
        values["mrr"] /= values["n"]
    return dict(stats), missed


def format_table(results):
    """``results``: [(label, stats)]; one line per language."""
    langs = [lang for lang in ("en", "fi", "sv", "es", "zh", "all")]
    lines = ["%-28s %s" % ("", "  ".join("%-13s" % lang for lang in langs))]
    for label, stats in results:
        lines.append(
            "%-28s %s"
            % (
                label,
                "  ".join(
                    "%3.0f%% / %.2f  " % (stats[lang]["hit"] * 100, stats[lang]["mrr"])
                    for lang in langs
                ),
            )
        )
    return "\n".join(lines)
