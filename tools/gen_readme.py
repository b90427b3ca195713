#!/usr/bin/env python3
# Copyright 2026 erp_key_user contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Build README.rst from the readme/ fragments, the OCA way, plus the access
matrix the tests assert (tests/access_matrix.py).

    python3 tools/gen_readme.py          # write README.rst
    python3 tools/gen_readme.py --check  # exit 1 when README.rst is stale
"""

import ast
import importlib.util
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SECTIONS = (
    ("QUICKSTART", "Quick start"),
    ("DESCRIPTION", None),
    ("CONFIGURE", "Configuration"),
    ("USAGE", "Usage"),
    ("ACCESS", "Access rights"),
    ("PERFORMANCE", "Performance"),
    ("ROADMAP", "Known issues / Roadmap"),
    ("CONTRIBUTORS", "Contributors"),
)


def load_matrix():
    path = ROOT / "tests" / "access_matrix.py"
    spec = importlib.util.spec_from_file_location("access_matrix", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def rst_table(rows):
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    rule = " ".join("=" * w for w in widths)
    lines = [
        rule,
        " ".join(c.ljust(w) for c, w in zip(rows[0], widths, strict=True)),
        rule,
    ]
    lines += [
        " ".join(c.ljust(w) for c, w in zip(row, widths, strict=True))
        for row in rows[1:]
    ]
    return "\n".join(line.rstrip() for line in lines + [rule])


def access_section():
    m = load_matrix()
    cells = len(m.ROLES) * sum(len(ops) for ops in m.MATRIX.values())
    intro = (
        "Inside their own company (no role reaches another company's data). "
        f"Each of these {cells} cells is asserted by ``tests/test_access_matrix.py`` "
        "acting as the role; ✔ allowed, · denied.\n\n"
    )
    roles = [m.ROLE_LABELS[r] for r in m.ROLES]
    legend = "\n".join(f"{i + 1}. {label}" for i, label in enumerate(roles))
    header = ["What", "Operation"] + [str(i + 1) for i in range(len(roles))]
    rows = [header]
    for obj, operations in m.MATRIX.items():
        for operation, allowed in operations.items():
            rows.append(
                [m.OBJECT_LABELS[obj], operation]
                + ["✔" if role in allowed else "·" for role in m.ROLES]
            )
    return intro + "Roles:\n\n" + legend + "\n\n" + rst_table(rows) + "\n"


def manifest():
    return ast.literal_eval((ROOT / "__manifest__.py").read_text())


def build():
    name = manifest()["name"]
    parts = [
        "=" * len(name),
        name,
        "=" * len(name),
        "",
        ".. |badge1| image:: https://img.shields.io/badge/licence-LGPL--3-blue.png",
        "    :target: http://www.gnu.org/licenses/lgpl-3.0-standalone.html",
        "    :alt: License: LGPL-3",
        "",
        "|badge1|",
        "",
    ]
    for fragment, title in SECTIONS:
        if fragment == "ACCESS":
            text = access_section()
        else:
            text = (ROOT / "readme" / f"{fragment}.rst").read_text()
        if title:
            parts += [title, "=" * len(title), ""]
        parts += [text.rstrip(), ""]
        if fragment == "DESCRIPTION":
            parts += ["**Table of contents**", "", ".. contents::", "   :local:", ""]
    return "\n".join(parts)


def main():
    content = build()
    target = ROOT / "README.rst"
    if "--check" in sys.argv:
        if not target.exists() or target.read_text() != content:
            print(
                "README.rst is stale: run python3 tools/gen_readme.py", file=sys.stderr
            )
            return 1
        return 0
    target.write_text(content)
    return 0


if __name__ == "__main__":
    sys.exit(main())
