#!/usr/bin/env bash
# make lint: ruff (check + format --check), pylint with the pylint-odoo plugin
# (.pylintrc: the OCA mandatory checks), and the OCA pre-commit hooks
# oca-checks-odoo-module / oca-checks-po. Every linter runs; non-zero exit if
# any of them reports a finding.
set -euo pipefail

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
MODULE=erp_key_user
cd "$REPO"
PY=$("$REPO/tools/odoo_python.sh")
"$REPO/tools/addons_path.sh" "$PY" >/dev/null  # creates .addons/erp_key_user

failed=()
run() {  # name, command...
    local name=$1
    shift
    echo "== $name"
    if "$@"; then echo "   ok"; else failed+=("$name"); fi
}

run "README.rst built from readme/" "$PY" tools/gen_readme.py --check
run "ruff check" "$PY" -m ruff check --no-fix .
run "ruff format --check" "$PY" -m ruff format --check --diff .
# From .addons/, so that pylint names the package erp_key_user (not "main").
run "pylint (pylint-odoo)" bash -c 'cd .addons && "$1" -m pylint --rcfile=../.pylintrc "$2"' \
    _ "$PY" "$MODULE"
# The OCA hooks name the addon after the real directory of its manifest (they
# resolve symlinks), and some checks depend on that name (xml-redundant-module-name,
# po files' "module:" comments). So they run on a plain copy named erp_key_user,
# and their output is mapped back to that name.
COPY_PARENT="$REPO/build/lint"
rm -rf "$COPY_PARENT"
mkdir -p "$COPY_PARENT/$MODULE"
tar -C "$REPO" --exclude=./.git --exclude=./.venv --exclude=./.addons --exclude=./.pgdata \
    --exclude=./build --exclude=./bench/.cache --exclude=./node_modules --exclude='__pycache__' -cf - . \
    | tar -C "$COPY_PARENT/$MODULE" -xf -
oca_hook() {  # python module of the hook, arguments...
    local mod=$1 rc=0
    shift
    (cd "$COPY_PARENT" && "$PY" -c "import sys; from oca_pre_commit_hooks.$mod import main; sys.exit(main())" "$@") \
        >"$COPY_PARENT/out.txt" 2>&1 || rc=$?
    sed -e "s|[^ ]*build/lint/$MODULE/|$MODULE/|g" "$COPY_PARENT/out.txt"
    return "$rc"
}
run "oca-checks-odoo-module" oca_hook cli "$MODULE"

mapfile -t po_files < <(cd "$COPY_PARENT" && find "$MODULE" -name '*.po' -o -name '*.pot' | sort)
if [ ${#po_files[@]} -gt 0 ]; then
    run "oca-checks-po" oca_hook cli_po "${po_files[@]}"
else
    echo "== oca-checks-po: no .po/.pot file yet"
fi

if [ ${#failed[@]} -gt 0 ]; then
    (IFS=','; echo "lint FAILED: ${failed[*]}" >&2)
    exit 1
fi
echo "lint: all checks passed"
