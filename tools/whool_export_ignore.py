# Copyright 2026 erp_key_user contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""PEP 517 build backend: whool, minus the files ``.gitattributes`` marks
``export-ignore`` (pyproject.toml names it, with ``backend-path = ["tools"]``).

whool packages every file git tracks and has no setting to leave one out (its
README: "whool will package all the files that are under git control"; the
request is sbidoul/whool#36). The repository root is the addon, so the
development tooling (tools/, bench/, .ci/, Makefile...) is tracked next to it.
``export-ignore`` is the attribute ``git archive`` honours for release archives;
this backend honours it too, and lets whool do everything else:

* from a git checkout, the tracked files not marked ``export-ignore`` (their
  working-tree content, like whool) are copied to a staging directory with a
  PKG-INFO holding the distribution name and version. Given a PKG-INFO, whool
  takes the name and version from it and packages the directory as it is (what
  it does for an sdist), leaving pyproject.toml and PKG-INFO out of the wheel;
* the version is the one whool computes in the checkout (manifest version plus
  the git post-version ".N"); the name is the addon's, ``odoo-addon-erp_key_user``,
  whatever the clone's directory is called (whool would take the directory name);
* the sdist holds the same files plus this backend (a frontend needs it to build
  the wheel from the sdist); a wheel built from it drops the backend again;
* an editable install (``pip install -e``) is whool's own: it links the
  checkout, tooling included, which is what a developer wants.
"""

import contextlib
import os
import shutil
import subprocess
import tempfile
from email.generator import Generator
from email.parser import HeaderParser
from pathlib import Path

from manifestoo_core.metadata import addon_name_to_distribution_name
from manifestoo_core.odoo_series import OdooSeries
from whool import buildapi as whool

ADDON = "erp_key_user"
# This file, relative to the addon root (the sdist carries it, the wheel not).
BACKEND = Path("tools", Path(__file__).name)

# whool's editable install links the checkout; nothing to leave out there.
build_editable = whool.build_editable
prepare_metadata_for_build_editable = whool.prepare_metadata_for_build_editable


class BuildError(RuntimeError):
    """The directory is neither a git checkout nor an sdist of the addon."""


@contextlib.contextmanager
def _chdir(path):
    # whool's PEP 517 hooks build the directory they run in.
    old = Path.cwd()
    os.chdir(path)
    try:
        yield
    finally:
        os.chdir(old)


def _git(source, *args, stdin=None):
    try:
        return subprocess.run(
            ["git", *args],
            cwd=source,
            input=stdin,
            capture_output=True,
            check=True,
        ).stdout
    except (OSError, subprocess.CalledProcessError) as exc:
        stderr = getattr(exc, "stderr", b"") or b""
        raise BuildError(
            f"git {args[0]} failed in {source}: {exc} {stderr.decode().strip()}\n"
            "Build the wheel from a git checkout of the addon or from its sdist."
        ) from exc


def shipped_files(source):
    """Paths (relative, sorted) of the git-tracked files not marked export-ignore
    that exist in the working tree (a deletion not yet committed is left out)."""
    tracked = [n for n in _git(source, "ls-files", "-z").decode().split("\0") if n]
    # -z output: path NUL attribute NUL value NUL, for each path given on stdin
    fields = _git(
        source,
        "check-attr",
        "-z",
        "--stdin",
        "export-ignore",
        stdin="\0".join(tracked).encode(),
    )
    fields = fields.decode().split("\0")
    # "set" only, as git archive: "-export-ignore" (unset) or a value keeps the file
    ignored = {
        fields[i] for i in range(0, len(fields) - 2, 3) if fields[i + 2] == "set"
    }
    return sorted(n for n in tracked if n not in ignored and Path(source, n).is_file())


def _metadata(source):
    """The metadata whool computes for the checkout, named after the addon."""
    with tempfile.TemporaryDirectory() as tmp, _chdir(source):
        dist_info = whool.prepare_metadata_for_build_wheel(tmp)
        text = Path(tmp, dist_info, "METADATA").read_text(encoding="utf-8")
    metadata = HeaderParser().parsestr(text)
    series = OdooSeries.from_str(".".join(metadata["Version"].split(".")[:2]))
    metadata.replace_header("Name", addon_name_to_distribution_name(ADDON, series))
    return metadata


def _write_pkg_info(metadata, path):
    with path.open("w", encoding="utf-8") as f:
        Generator(f, mangle_from_=False, maxheaderlen=0).flatten(metadata)


def _stage(source, stage, with_backend):
    """Fill ``stage`` with what the distribution holds, and a PKG-INFO."""
    if (source / "PKG-INFO").is_file():
        # An sdist (made by build_sdist below): already filtered, keep all but
        # us and the bytecode that importing us from the sdist wrote beside us.
        shutil.copytree(
            source, stage, ignore=shutil.ignore_patterns("__pycache__", "*.pyc")
        )
        if not with_backend:
            (stage / BACKEND).unlink()
            with contextlib.suppress(OSError):  # only if nothing else is there
                (stage / BACKEND).parent.rmdir()
        return
    names = shipped_files(source)
    if with_backend:
        names.append(BACKEND.as_posix())
    for name in names:
        (stage / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(source / name, stage / name)
    _write_pkg_info(_metadata(source), stage / "PKG-INFO")


def build_wheel(wheel_directory, config_settings=None, metadata_directory=None):
    """PEP 517 hook: whool's wheel of the staged files; returns its file name."""
    wheel_directory = os.path.abspath(wheel_directory)
    with tempfile.TemporaryDirectory() as tmp:
        stage = Path(tmp, ADDON)
        _stage(Path.cwd(), stage, with_backend=False)
        with _chdir(stage):
            return whool.build_wheel(wheel_directory, config_settings)


def build_sdist(sdist_directory, config_settings=None):
    """PEP 517 hook: whool's sdist of the staged files and this backend."""
    sdist_directory = os.path.abspath(sdist_directory)
    with tempfile.TemporaryDirectory() as tmp:
        stage = Path(tmp, ADDON)
        _stage(Path.cwd(), stage, with_backend=True)
        with _chdir(stage):
            return whool.build_sdist(sdist_directory, config_settings)
