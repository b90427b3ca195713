# Copyright 2026 erp_key_user contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The addon builds as a wheel (whool, pyproject.toml) with everything it needs.

whool names the distribution after the addon directory and packages the files
that git tracks. The repository root IS the addon, and a clone may have any
directory name, so the test copies the git-tracked files (working-tree content,
the same list whool takes) into ``<tmp>/erp_key_user`` and builds that copy:
``pip wheel --no-deps --no-build-isolation --no-index``, i.e. whool from this
interpreter (tools/odoo_python.sh installs it) and no network. Outside git, whool
uses the manifest version as is (in a git checkout it appends ".N", the commits
since the version last changed).
"""

import ast
import importlib.util
import os
import re
import shutil
import subprocess
import sys
import tempfile
import zipfile
from email.parser import HeaderParser
from pathlib import Path

from odoo.tests import BaseCase, tagged

REPO = Path(__file__).resolve().parents[1]  # resolves the .addons/erp_key_user link
ADDON = __name__.split(".")[2]  # odoo.addons.erp_key_user.tests.test_wheel
LANGUAGES = ("fi", "sv", "es", "zh_CN")


def _git_tracked_files():
    out = subprocess.run(
        ["git", "ls-files", "-z"],
        cwd=REPO,
        capture_output=True,
        check=True,
    ).stdout
    return [name for name in out.decode().split("\0") if name]


@tagged("post_install", "-at_install")
class TestWheel(BaseCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        if not (REPO / "pyproject.toml").is_file():
            raise AssertionError(
                f"no {REPO}/pyproject.toml: the wheel test needs the source checkout"
            )
        if importlib.util.find_spec("whool") is None:
            raise AssertionError(
                f"whool is not installed in {sys.executable}: "
                "run tools/odoo_python.sh (make test does) or pip install whool"
            )
        cls.manifest = ast.literal_eval((REPO / "__manifest__.py").read_text())
        try:
            cls.tracked = _git_tracked_files()
        except (OSError, subprocess.CalledProcessError) as exc:
            raise AssertionError(f"git ls-files failed in {REPO}: {exc}") from exc

        tmp = tempfile.mkdtemp(prefix="erp_key_user_wheel_")
        cls.addClassCleanup(shutil.rmtree, tmp, ignore_errors=True)
        stage = Path(tmp, ADDON)
        for name in cls.tracked:
            src = REPO / name
            if not src.is_file():  # deleted in the working tree, not yet in git
                continue
            (stage / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(src, stage / name)
        out_dir = Path(tmp, "dist")
        env = dict(
            os.environ,
            PIP_DISABLE_PIP_VERSION_CHECK="1",
            PIP_NO_INPUT="1",
            # the copy is not a git work tree, even when TMPDIR lies inside one
            GIT_CEILING_DIRECTORIES=tmp,
        )
        proc = subprocess.run(
            [
                sys.executable,
                "-m",
                "pip",
                "wheel",
                "--no-deps",
                "--no-build-isolation",
                "--no-index",
                "-w",
                str(out_dir),
                str(stage),
            ],
            cwd=tmp,
            env=env,
            capture_output=True,
            text=True,
            timeout=600,
        )
        if proc.returncode:
            raise AssertionError(
                f"pip wheel failed ({proc.returncode}):\n{proc.stdout}\n{proc.stderr}"
            )
        wheels = sorted(out_dir.glob("*.whl"))
        if len(wheels) != 1:
            raise AssertionError(f"expected one wheel in {out_dir}, got {wheels}")
        cls.wheel = wheels[0]
        with zipfile.ZipFile(cls.wheel) as zf:
            cls.names = set(zf.namelist())
            metadata_names = [n for n in cls.names if n.endswith(".dist-info/METADATA")]
            cls.metadata = HeaderParser().parsestr(
                zf.read(metadata_names[0]).decode() if metadata_names else ""
            )
        cls.prefix = f"odoo/addons/{ADDON}/"

    def assertInWheel(self, relpath):
        if self.prefix + relpath in self.names:
            return
        if relpath in self.tracked:
            why = "tracked by git but not packaged"
        elif (REPO / relpath).exists():
            why = "it exists but git does not track it: git add it"
        else:
            why = "it does not exist"
        self.fail(f"{relpath} is not in {self.wheel.name} ({why})")

    def test_name_and_version(self):
        version = self.manifest["version"]
        self.assertEqual(
            self.wheel.name, f"odoo_addon_{ADDON}-{version}-py3-none-any.whl"
        )
        self.assertEqual(self.metadata["Name"], f"odoo-addon-{ADDON}")
        self.assertEqual(self.metadata["Version"], version)
        self.assertEqual(
            self.metadata["Summary"], " ".join(self.manifest["summary"].split())
        )
        self.assertIn("odoo==19.0.*", self.metadata.get_all("Requires-Dist") or [])
        self.assertIn(f"odoo_addon_{ADDON}-{version}.dist-info/WHEEL", self.names)

    def test_addon_files(self):
        for relpath in ("__manifest__.py", "__init__.py", "README.rst"):
            self.assertInWheel(relpath)
        # every file the manifest loads: security, data, views, wizards, reports, demo
        for relpath in self.manifest["data"] + self.manifest.get("demo", []):
            self.assertInWheel(relpath)
        self.assertInWheel("views/erp_incident_views.xml")
        self.assertInWheel("security/ir.model.access.csv")
        self.assertInWheel("static/description/icon.png")
        # the Python code and the web assets, as tracked by git
        for relpath in self.tracked:
            if relpath.endswith(".py") or relpath.startswith("static/src/"):
                if (REPO / relpath).is_file():
                    self.assertInWheel(relpath)

    def test_translations(self):
        for lang in LANGUAGES:
            self.assertInWheel(f"i18n/{lang}.po")

    def test_nothing_else(self):
        # the odoo and odoo.addons namespace packages must not get an __init__.py
        self.assertNotIn("odoo/__init__.py", self.names)
        self.assertNotIn("odoo/addons/__init__.py", self.names)
        dist_info = re.compile(rf"^odoo_addon_{ADDON}-[^/]+\.dist-info/")
        tracked = set(self.tracked)
        for name in sorted(self.names):
            if dist_info.match(name):
                continue
            self.assertTrue(name.startswith(self.prefix), f"{name} outside the addon")
            relpath = name[len(self.prefix) :]
            self.assertIn(relpath, tracked, f"{relpath} is in the wheel but not in git")
            self.assertNotRegex(
                relpath,
                r"^(\.pgdata|\.addons|\.venv|build|bench/\.cache)/|__pycache__|\.pyc$",
            )
        self.assertNotIn(self.prefix + "pyproject.toml", self.names)
