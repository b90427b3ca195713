#!/usr/bin/env bash
# Print (on stdout, nothing else) the path of a Python interpreter that imports
# Odoo 19 and has the test and lint tools installed. Every message goes to stderr.
#
# Search order:
#   1. $PYTHON (default python3) if it imports Odoo 19;
#   2. <repo>/.venv/bin/python if it imports Odoo 19;
#   3. otherwise create <repo>/.venv and `pip install "$ODOO_SOURCE"` (Odoo is not
#      on PyPI; its setup.py install_requires pull its Python dependencies).
# No Odoo and no way to install it is an error that says what to do, never a skip.
#
# Environment: PYTHON, ODOO_SOURCE (any path or URL pip accepts),
#              ODOO_PYTHON_NO_TOOLS=1 to skip the test/lint tools check.
set -euo pipefail
export PIP_ROOT_USER_ACTION=ignore PIP_DISABLE_PIP_VERSION_CHECK=1

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
PYTHON=${PYTHON:-python3}
ODOO_SOURCE=${ODOO_SOURCE:-https://nightly.odoo.com/19.0/nightly/src/odoo_19.0.latest.tar.gz}
VENV="$REPO/.venv"

log() { echo "odoo_python: $*" >&2; }

has_odoo19() {
    "$1" -c 'import odoo.release as r; assert r.version_info[0] == 19' >/dev/null 2>&1
}

die_no_odoo() {
    cat >&2 <<MSG
ERROR: no Python interpreter that imports Odoo 19 was found, and installing it failed.
  Tried: PYTHON=$PYTHON, $VENV/bin/python, and 'pip install $ODOO_SOURCE' into $VENV.
  Do one of:
    * set PYTHON to an interpreter that imports Odoo 19
        (check: \$PYTHON -c 'import odoo.release as r; print(r.version)'),
        e.g.  make test PYTHON=/path/to/venv/bin/python
    * set ODOO_SOURCE to a reachable Odoo 19.0 source archive or a local source
      checkout (any path or URL pip accepts), e.g.
        make test ODOO_SOURCE=/path/to/odoo_19.0.latest.tar.gz
    * on Debian, building psycopg2 needs: apt-get install -y libpq-dev build-essential
  Then run the command again (remove $VENV first if it is broken).
MSG
    exit 1
}

PY=""
if has_odoo19 "$PYTHON"; then
    PY=$("$PYTHON" -c 'import sys; print(sys.executable)')
elif [ -x "$VENV/bin/python" ] && has_odoo19 "$VENV/bin/python"; then
    PY="$VENV/bin/python"
else
    log "'$PYTHON' cannot import Odoo 19; installing Odoo 19 into $VENV from $ODOO_SOURCE"
    if ! command -v "$PYTHON" >/dev/null 2>&1 && [ ! -x "$PYTHON" ]; then
        log "'$PYTHON' is not an executable"
        die_no_odoo
    fi
    if [ ! -x "$VENV/bin/python" ]; then
        "$PYTHON" -m venv "$VENV" >&2 || die_no_odoo
    fi
    "$VENV/bin/python" -m pip install -q --upgrade pip setuptools wheel >&2 || die_no_odoo
    # A source checkout (git layout: core addons in <checkout>/addons, which a
    # regular install would not ship) is installed in editable mode; an archive
    # such as the official one (all addons inside odoo/addons) is installed as is.
    if [ -d "$ODOO_SOURCE" ]; then
        "$VENV/bin/python" -m pip install -e "$ODOO_SOURCE" >&2 || die_no_odoo
    else
        "$VENV/bin/python" -m pip install "$ODOO_SOURCE" >&2 || die_no_odoo
    fi
    has_odoo19 "$VENV/bin/python" || die_no_odoo
    PY="$VENV/bin/python"
fi

if [ "${ODOO_PYTHON_NO_TOOLS:-0}" != 1 ]; then
    # pip name -> import name; install only what the interpreter cannot import.
    missing=$("$PY" - <<'PYEOF'
import importlib.util
wanted = {
    "pytest": "pytest",
    "pytest-odoo": "pytest_odoo",
    "odoo-test-helper": "odoo_test_helper",
    "websocket-client": "websocket",  # Odoo's browser tests (HttpCase tours) need it
    "freezegun": "freezegun",  # odoo.tests imports it (Odoo's tests_require)
    "hypothesis": "hypothesis",
    "ruff": "ruff",
    "pylint-odoo": "pylint_odoo",
    "oca-odoo-pre-commit-hooks": "oca_pre_commit_hooks",
    "whool": "whool",  # tools/check_wheel.py builds the wheel with --no-build-isolation
}
print(" ".join(p for p, m in wanted.items() if importlib.util.find_spec(m) is None))
PYEOF
)
    if [ -n "$missing" ]; then
        log "installing into $PY: $missing"
        # shellcheck disable=SC2086
        if ! "$PY" -m pip install -q $missing >&2; then
            log "ERROR: could not pip-install: $missing (into $PY)"
            exit 1
        fi
    fi
fi

echo "$PY"
