"""The peer addons for the comparison: OCA ``helpdesk_mgmt`` 19.0 and the OCA
addons it depends on, unpacked from their PyPI wheels into a cache directory.

Nothing here is committed: the wheels and the unpacked addons live under
``bench/.cache/`` (gitignored)."""

import ast
import glob
import os
import shutil
import subprocess
import sys
import zipfile

PEER_MODULE = "helpdesk_mgmt"
ODOO_SERIES = "19.0"


def _wheel_name(module):
    return "odoo-addon-" + module.replace("_", "-")


def _download(module, wheel_dir, refresh=False):
    """Path of the newest cached 19.0 wheel of ``module``, downloaded with pip
    (its ordinary client: no index is queried when a wheel is cached)."""
    pattern = os.path.join(
        wheel_dir, "odoo_addon_%s-%s.*-py3-none-any.whl" % (module, ODOO_SERIES)
    )
    cached = sorted(glob.glob(pattern))
    if cached and not refresh:
        return cached[-1]
    os.makedirs(wheel_dir, exist_ok=True)
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "download",
            "--quiet",
            "--disable-pip-version-check",
            "--no-deps",
            "--dest",
            wheel_dir,
            "%s==%s.*" % (_wheel_name(module), ODOO_SERIES),
        ],
        check=True,
    )
    cached = sorted(glob.glob(pattern))
    if not cached:
        raise RuntimeError("pip downloaded no %s wheel for %s" % (module, ODOO_SERIES))
    return cached[-1]


def _unpack(wheel, module, addons_dir):
    """Extract ``odoo/addons/<module>`` of ``wheel`` to ``addons_dir/<module>``;
    return the manifest."""
    target = os.path.join(addons_dir, module)
    stamp = os.path.join(target, ".bench_wheel")
    wheel_base = os.path.basename(wheel)
    if not (os.path.exists(stamp) and open(stamp).read() == wheel_base):
        shutil.rmtree(target, ignore_errors=True)
        prefix = "odoo/addons/%s/" % module
        with zipfile.ZipFile(wheel) as archive:
            for member in archive.namelist():
                if not member.startswith(prefix) or member.endswith("/"):
                    continue
                path = os.path.join(target, member[len(prefix) :])
                os.makedirs(os.path.dirname(path), exist_ok=True)
                with archive.open(member) as src, open(path, "wb") as dst:
                    shutil.copyfileobj(src, dst)
        with open(stamp, "w") as handle:
            handle.write(wheel_base)
    with open(os.path.join(target, "__manifest__.py")) as handle:
        return ast.literal_eval(handle.read())


def ensure_peer_addons(cache_dir, core_addons_dirs, refresh=False):
    """Unpack helpdesk_mgmt and, recursively, every dependency that is not a
    core addon. Return (addons dir, {module: version})."""
    wheel_dir = os.path.join(cache_dir, "wheels")
    addons_dir = os.path.join(cache_dir, "addons")
    os.makedirs(addons_dir, exist_ok=True)

    def is_core(module):
        return any(os.path.isdir(os.path.join(d, module)) for d in core_addons_dirs)

    versions = {}
    todo = [PEER_MODULE]
    while todo:
        module = todo.pop()
        if module in versions or is_core(module):
            continue
        manifest = _unpack(_download(module, wheel_dir, refresh), module, addons_dir)
        versions[module] = manifest.get("version", "?")
        todo.extend(manifest.get("depends", []))
    return addons_dir, versions
