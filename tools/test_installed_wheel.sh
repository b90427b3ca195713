#!/usr/bin/env bash
# make test-wheel: the shipped tests pass from the installed wheel, without this
# checkout (what an integrator runs after `pip install odoo-addon-erp_key_user`).
#   1. build the wheel and check it (tools/check_wheel.py);
#   2. pip install it, --no-deps (Odoo is this machine's), into a scratch
#      directory put on PYTHONPATH: the addon is then <dir>/odoo/addons/erp_key_user,
#      a portion of the odoo.addons namespace package as in a site-packages, and
#      the addons path names Odoo's own addons only, not this checkout;
#   3. install the module with demo data into ${DB}_wheel from there, then pytest
#      on the installed tests. Extra arguments go to pytest, e.g. -k constraints.
set -euo pipefail

# shellcheck source=tools/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
WHEEL_DB="${DB:-erp_key_user_test}_wheel"
SCRATCH=$(mktemp -d "${TMPDIR:-/tmp}/erp_key_user_wheel.XXXXXX")

cleanup() {
    drop_db "$WHEEL_DB" || true
    rm -rf "$SCRATCH"
}
trap cleanup EXIT

echo "== building and checking the wheel"
"$ODOO_PY" "$REPO/tools/check_wheel.py" --keep "$SCRATCH/dist"
wheel=$(ls "$SCRATCH"/dist/*.whl)

echo "== installing ${wheel##*/} into $SCRATCH/site"
PIP_ROOT_USER_ACTION=ignore "$ODOO_PY" -m pip install -q --no-deps --no-index \
    --disable-pip-version-check \
    --target "$SCRATCH/site" "$wheel"
export PYTHONPATH="$SCRATCH/site${PYTHONPATH:+:$PYTHONPATH}"
ADDONS_PATH=${ADDONS_PATH#"$REPO/.addons,"}  # Odoo's addons only
case ",$ADDONS_PATH," in
*",$REPO/"*) echo "FAILED: the addons path still names $REPO: $ADDONS_PATH" >&2; exit 1 ;;
esac
installed=$(cd "$SCRATCH" && "$ODOO_PY" -c "import importlib.util as u; \
print(*u.find_spec('odoo.addons.$MODULE').submodule_search_locations)")
if [ "$installed" != "$SCRATCH/site/odoo/addons/$MODULE" ]; then
    echo "FAILED: odoo.addons.$MODULE is imported from $installed, not from the wheel" >&2
    exit 1
fi
echo "   odoo.addons.$MODULE is $installed"

install_module "$WHEEL_DB" "$LOG_DIR/install-wheel.log" --with-demo

echo "== pytest on $WHEEL_DB, tests from the installed wheel"
rc=0
run_pytest "$WHEEL_DB" "$SCRATCH/site/odoo/addons" "$@" || rc=$?
if [ "$rc" = 5 ]; then
    echo "FAILED: pytest collected no test in the installed odoo.addons.$MODULE.tests" >&2
fi
exit "$rc"
