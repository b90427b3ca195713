#!/usr/bin/env bash
# Print the Odoo addons path for this repository, for the interpreter given as $1
# (default: $PYTHON or python3).
#
# The repository root IS the addon, but Odoo finds addons by directory name, so
# the root is exposed as <repo>/.addons/erp_key_user (a symlink, gitignored).
# The core addons directories are computed from the interpreter's odoo package:
# odoo/addons inside the package (base, and all addons for a pip-installed Odoo)
# and <source tree>/addons when Odoo runs from a source checkout such as /opt/odoo19.
set -euo pipefail

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
PY=${1:-${PYTHON:-python3}}

mkdir -p "$REPO/.addons"
ln -sfn .. "$REPO/.addons/erp_key_user"  # relative: survives moving the repo

core=$("$PY" - <<'PYEOF'
import os
import odoo

dirs = []
for pkg_dir in odoo.__path__:  # odoo is a namespace package in 19.0
    for d in (os.path.join(pkg_dir, "addons"),
              os.path.join(os.path.dirname(pkg_dir), "addons")):
        d = os.path.realpath(d)
        is_addons_dir = any(os.path.isdir(os.path.join(d, m)) for m in ("base", "web"))
        if is_addons_dir and d not in dirs:
            dirs.append(d)
print(",".join(dirs))
PYEOF
)
if [ -z "$core" ]; then
    echo "addons_path: ERROR: no Odoo core addons directory found for $PY" >&2
    exit 1
fi
echo "$REPO/.addons,$core"
