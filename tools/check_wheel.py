#!/usr/bin/env python3
# Copyright 2026 erp_key_user contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Build the wheel and the sdist from this checkout and check what they hold.

    python3 tools/check_wheel.py [--keep DIR]     # make test runs it

The wheel must hold the addon, every file of it that git tracks (manifest,
models, views, security, data, demo, i18n, static, report, wizards,
controllers, migrations, tests, readme), and none of the development tooling
(tools/, bench/, .ci/, Makefile, lint settings, pyproject.toml). The sdist holds
the same plus pyproject.toml, PKG-INFO and the build backend, and a wheel built
from it is the same wheel. The builds use whool from this interpreter, without
network (pip --no-build-isolation --no-index). Prints every problem found and
exits 1 if there is one; --keep DIR keeps the wheel and the sdist in DIR.
"""

import argparse
import ast
import hashlib
import os
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile
import zipfile
from email.parser import HeaderParser
from pathlib import Path

try:
    import tomllib
except ImportError:  # Python 3.10: whool depends on tomli there
    import tomli as tomllib

ROOT = Path(__file__).resolve().parent.parent
ADDON = "erp_key_user"
DIST = f"odoo_addon_{ADDON}"
PREFIX = f"odoo/addons/{ADDON}/"
# The development tooling: tracked in git, marked export-ignore in .gitattributes.
TOOLING = re.compile(
    r"^(tools|bench|\.ci)/|^(Makefile|\.pylintrc|\.gitignore|\.gitattributes)$"
)
# What the wheel must have, even if git stopped tracking it (directories: one file
# at least). migrations/ only when the addon has some.
REQUIRED = (
    "__manifest__.py",
    "__init__.py",
    "README.rst",
    "models/",
    "views/",
    "security/ir.model.access.csv",
    "data/",
    "demo/",
    "i18n/",
    "static/description/icon.png",
    "static/description/index.html",
    "static/src/",
    "static/tests/",
    "report/",
    "wizards/",
    "controllers/",
    "tests/__init__.py",
    "tests/conftest.py",
)
BACKEND = "tools/whool_export_ignore.py"


def run(*cmd, cwd):
    env = dict(os.environ, PIP_DISABLE_PIP_VERSION_CHECK="1", PIP_NO_INPUT="1")
    proc = subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True)
    if proc.returncode:
        sys.exit(
            f"check_wheel: FAILED: {' '.join(map(str, cmd))} (exit {proc.returncode})"
            f"\n{proc.stdout}\n{proc.stderr}"
        )
    return proc.stdout


def pip_wheel(source, out_dir, cwd):
    run(
        sys.executable,
        "-m",
        "pip",
        "wheel",
        "--no-deps",
        "--no-build-isolation",
        "--no-index",
        "-w",
        out_dir,
        source,
        cwd=cwd,
    )
    wheels = sorted(Path(out_dir).glob("*.whl"))
    if len(wheels) != 1:
        sys.exit(f"check_wheel: FAILED: expected one wheel in {out_dir}, got {wheels}")
    return wheels[0]


def build_sdist(out_dir):
    # What a PEP 517 frontend does: the build-system of pyproject.toml, run in the
    # checkout (the `build` package is not needed for that).
    with (ROOT / "pyproject.toml").open("rb") as f:
        build_system = tomllib.load(f)["build-system"]
    code = (
        "import importlib, sys; sys.path[:0] = sys.argv[3:];"
        "backend = importlib.import_module(sys.argv[1]);"
        "print(backend.build_sdist(sys.argv[2]))"
    )
    Path(out_dir).mkdir()
    args = [
        build_system["build-backend"],
        out_dir,
        *build_system.get("backend-path", []),
    ]
    name = run(sys.executable, "-c", code, *args, cwd=ROOT).strip().splitlines()[-1]
    return Path(out_dir, name)


def tracked_files():
    out = run("git", "ls-files", "-z", cwd=ROOT)
    return {n for n in out.split("\0") if n and (ROOT / n).is_file()}


def wheel_contents(wheel):
    """{path inside the wheel: sha256} and the METADATA."""
    with zipfile.ZipFile(wheel) as zf:
        files = {
            n: hashlib.sha256(zf.read(n)).hexdigest()
            for n in zf.namelist()
            if not n.endswith("/")
        }
        metadata = [n for n in files if n.endswith(".dist-info/METADATA")]
        text = zf.read(metadata[0]).decode() if metadata else ""
    return files, HeaderParser().parsestr(text)


def check_metadata(wheel, metadata, manifest, problems):
    version = metadata["Version"] or ""
    # The manifest version, plus ".N" commits since it changed (OCA post-version)
    if not re.fullmatch(re.escape(manifest["version"]) + r"(\.\d+)?", version):
        problems.append(f"Version {version!r} is not {manifest['version']}[.N]")
    if wheel.name != f"{DIST}-{version}-py3-none-any.whl":
        problems.append(f"wheel file name {wheel.name}")
    if metadata["Name"] != f"odoo-addon-{ADDON}":
        problems.append(f"Name {metadata['Name']!r}: not odoo-addon-{ADDON}")
    if metadata["Summary"] != " ".join(manifest["summary"].split()):
        problems.append(f"Summary {metadata['Summary']!r}")
    if "odoo==19.0.*" not in (metadata.get_all("Requires-Dist") or []):
        problems.append("Requires-Dist lacks odoo==19.0.*")


def check_addon_files(files, manifest, shipped, problems):
    """``files``: the wheel's paths; ``shipped``: the tracked non-tooling files."""
    dist_info = re.compile(rf"^{DIST}-[^/]+\.dist-info/")
    addon = set()
    for name in sorted(files):
        if name.startswith(PREFIX):
            addon.add(name[len(PREFIX) :])
        elif not dist_info.match(name):
            # e.g. odoo/__init__.py would break the odoo namespace package
            problems.append(f"{name}: outside {PREFIX}")
    for relpath in sorted(addon):
        if TOOLING.search(relpath) or relpath in ("pyproject.toml", "PKG-INFO"):
            problems.append(f"{relpath}: development tooling in the wheel")
        elif relpath not in shipped:
            problems.append(f"{relpath}: in the wheel but not tracked by git")
    for relpath in sorted(shipped - addon):
        problems.append(f"{relpath}: tracked by git but not in the wheel")
    required = list(REQUIRED) + manifest["data"] + manifest.get("demo", [])
    if (ROOT / "migrations").is_dir():
        required.append("migrations/")
    for relpath in required:
        if relpath.endswith("/"):
            found = any(name.startswith(relpath) for name in addon)
        else:
            found = relpath in addon
        if not found:
            problems.append(f"{relpath}: missing from the wheel")


def check_sdist(sdist, shipped, problems):
    with tarfile.open(sdist) as tf:
        names = {m.name.split("/", 1)[1] for m in tf.getmembers() if m.isfile()}
    # and what a frontend needs to build the wheel from it
    expected = shipped | {"pyproject.toml", "PKG-INFO", BACKEND}
    for relpath in sorted(names ^ expected):
        where = "in the sdist only" if relpath in names else "missing from the sdist"
        problems.append(f"sdist {sdist.name}: {relpath} {where}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--keep", help="copy the wheel and the sdist to this folder")
    args = parser.parse_args()

    manifest = ast.literal_eval((ROOT / "__manifest__.py").read_text())
    shipped = {n for n in tracked_files() if not TOOLING.search(n)}
    shipped.discard("pyproject.toml")  # whool leaves it out of the wheel
    problems = []
    with tempfile.TemporaryDirectory(prefix="check_wheel_") as tmp:
        wheel = pip_wheel(ROOT, Path(tmp, "wheel"), cwd=tmp)
        files, metadata = wheel_contents(wheel)
        check_metadata(wheel, metadata, manifest, problems)
        check_addon_files(files, manifest, shipped, problems)

        sdist = build_sdist(Path(tmp, "sdist"))
        check_sdist(sdist, shipped, problems)
        wheel2 = pip_wheel(sdist, Path(tmp, "from_sdist"), cwd=tmp)
        files2, _metadata2 = wheel_contents(wheel2)
        if wheel2.name != wheel.name:
            problems.append(f"from the sdist: {wheel2.name}, not {wheel.name}")
        # RECORD lists the files with their hashes: equal if the rest is equal
        for name in sorted(set(files) ^ set(files2)):
            problems.append(f"{name}: in only one of the wheels (direct, from sdist)")
        for name in sorted(set(files) & set(files2)):
            if files[name] != files2[name] and not name.endswith("/RECORD"):
                problems.append(f"{name}: differs in the wheel built from the sdist")

        if args.keep:
            Path(args.keep).mkdir(parents=True, exist_ok=True)
            for path in (wheel, sdist):
                shutil.copy2(path, args.keep)
    if problems:
        print(f"check_wheel: FAILED: {wheel.name}:", file=sys.stderr)
        for problem in problems:
            print(f"  {problem}", file=sys.stderr)
        return 1
    n = sum(1 for name in files if name.startswith(PREFIX))
    print(f"check_wheel: ok: {wheel.name} holds the {n} files of the addon")
    return 0


if __name__ == "__main__":
    sys.exit(main())
