#!/usr/bin/env python3
# Copyright 2026 erp_key_user contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The upgrade of process guides from 19.0.1.0.0 (published versions kept in
the HTML field history of ``published_content``) to 19.0.1.1.0 (versions are
``erp.process.guide.version`` records). Two steps, run by tools/test.sh:

    python3 tools/check_upgrade.py publish EXPECTED.json -d DB --addons-path=OLD...
        with the 19.0.1.0.0 code: publishes guides several times (edits in
        between) and writes the text of every published version to EXPECTED.json
    python3 tools/check_upgrade.py check EXPECTED.json -d DB --addons-path=NEW...
        after ``-u erp_key_user`` with the working tree's code: every version is
        a record with the right number, title and text, the guide points to its
        last one, and the publication history left html_field_history

Exits 1 and says what is wrong when the check fails."""

import json
import sys

import odoo
from odoo import SUPERUSER_ID, Command, api
from odoo.modules.registry import Registry

# (name, [texts of the content at each publication]); the steps change too
GUIDES = [
    (
        "Upgrade check: closing the month",
        [
            "<p>First text: ask the controller.</p>",
            "<p>Second text: the controller locks.</p>",
            "<p>Third text: lock, then report.</p>",
        ],
    ),
    ("Upgrade check: counting the stock", ["<p>Only text: count twice.</p>"]),
]


def publish(env, expected_path):
    area = env.ref("erp_key_user.erp_support_area_finance")
    expected = {}
    for name, texts in GUIDES:
        guide = env["erp.process.guide"].create(
            {
                "name": name,
                "area_id": area.id,
                "summary": f"Summary of {name}",
                "step_ids": [Command.create({"name": "Step of version 1"})],
            }
        )
        versions = []
        for number, text in enumerate(texts, start=1):
            if number > 1:
                guide.action_reset_to_draft()
                guide.write(
                    {
                        "name": f"{name} (v{number})",
                        "step_ids": [
                            Command.update(
                                guide.step_ids[0].id,
                                {"name": f"Step of version {number}"},
                            )
                        ],
                    }
                )
            guide.content = text
            guide.action_publish()
            versions.append(
                {
                    "number": guide.version,
                    "name": guide.name,
                    "markers": [text, f"Step of version {number}"],
                }
            )
        expected[str(guide.id)] = versions
    with open(expected_path, "w", encoding="utf-8") as file:
        json.dump(expected, file, indent=2)
    print(f"published {sum(len(v) for v in expected.values())} versions")
    return 0


def check(env, expected_path):
    with open(expected_path, encoding="utf-8") as file:
        expected = json.load(file)
    problems = []
    for guide_id, versions in expected.items():
        guide = env["erp.process.guide"].browse(int(guide_id))
        records = guide.version_ids.sorted("number")
        numbers = records.mapped("number")
        if numbers != [v["number"] for v in versions]:
            problems.append(
                f"{guide.name}: versions {numbers}, expected "
                f"{[v['number'] for v in versions]}"
            )
            continue
        for record, version in zip(records, versions, strict=True):
            if record.name != version["name"]:
                problems.append(
                    f"{guide.name} v{record.number}: title {record.name!r}, "
                    f"expected {version['name']!r}"
                )
            for marker in version["markers"]:
                if marker not in (record.body or ""):
                    problems.append(
                        f"{guide.name} v{record.number}: {marker!r} missing "
                        f"from {record.body!r}"
                    )
            if "o_erp_process_guide_header" in (record.body or ""):
                problems.append(f"{guide.name} v{record.number}: header left")
        # each version's own text, not the next one's
        for record, later in zip(records, records[1:], strict=False):
            for marker in expected[guide_id][later.number - 1]["markers"]:
                if marker in (record.body or ""):
                    problems.append(
                        f"{guide.name} v{record.number} holds {marker!r} of "
                        f"v{later.number}"
                    )
        if guide.published_version_id != records[-1:]:
            problems.append(f"{guide.name}: published version is not the last")
        if "published_content" in (guide.html_field_history or {}):
            problems.append(f"{guide.name}: publication history left")
    if problems:
        print("FAILED: the upgrade to erp.process.guide.version lost data:")
        print("\n".join(f"  - {problem}" for problem in problems))
        return 1
    count = sum(len(v) for v in expected.values())
    print(f"upgrade: {count} published versions became records, texts intact")
    return 0


def main():
    step, expected_path, *odoo_args = sys.argv[1:]
    odoo.tools.config.parse_config(odoo_args)
    db_name = odoo.tools.config["db_name"]
    if isinstance(db_name, list):
        db_name = db_name[0]
    with Registry(db_name).cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        return {"publish": publish, "check": check}[step](env, expected_path)


if __name__ == "__main__":
    sys.exit(main())
