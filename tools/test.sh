#!/usr/bin/env bash
# make test: the whole suite against fresh databases.
#   1. install erp_key_user with demo data into $DB (dropped first) and without
#      demo data into ${DB}_nodemo; an install that fails, or logs an ERROR, or a
#      WARNING from or about erp_key_user, fails the run; then uninstall it from
#      ${DB}_nodemo, check that nothing is left behind, and install it again;
#   2. build the wheel and the sdist and check what they hold (tools/check_wheel.py:
#      the addon, none of the development tooling); a wrong wheel fails the run,
#      after pytest has run;
#   3. pytest (pytest-odoo, with an HTTP server for HttpCase tours in headless
#      Chromium) on the tests collected as odoo.addons.erp_key_user.tests.*;
#      its closing line gives the counts ("N failed, N passed in ...").
# Exits non-zero on any failure, including "no tests collected" and a skipped
# test (tests/conftest.py). Extra arguments go to pytest: tools/test.sh -k portal
set -euo pipefail

# shellcheck source=tools/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
DB=${DB:-erp_key_user_test}
NODEMO_DB="${DB}_nodemo"

cleanup() { drop_db "$NODEMO_DB" || true; }
trap cleanup EXIT

install_module "$DB" "$LOG_DIR/install-demo.log" --with-demo
install_module "$NODEMO_DB" "$LOG_DIR/install-nodemo.log"
echo "== uninstalling and reinstalling $MODULE in $NODEMO_DB"
"$ODOO_PY" "$REPO/tools/check_uninstall.py" -d "$NODEMO_DB" --addons-path="$ADDONS_PATH" \
    --db_host="$PGHOST" --db_port="$PGPORT" --db_user="$PGUSER" \
    --http-interface=127.0.0.1 --log-level=warn --logfile="$LOG_DIR/uninstall.log"
bad=$(bad_log_records "$LOG_DIR/uninstall.log")
if [ -n "$bad" ]; then
    echo "FAILED: uninstalling or reinstalling $MODULE logged:" >&2
    echo "$bad" >&2
    exit 1
fi
drop_db "$NODEMO_DB"

echo "== building and checking the wheel"
wheel_rc=0
"$ODOO_PY" "$REPO/tools/check_wheel.py" || wheel_rc=$?

echo "== pytest on $DB"
rc=0
run_pytest "$DB" "$REPO/.addons" "$@" || rc=$?

if [ "$rc" = 5 ]; then
    echo "FAILED: pytest collected no test in odoo.addons.$MODULE.tests (a run without tests is not a pass)" >&2
fi
if [ "$wheel_rc" != 0 ]; then
    echo "FAILED: the wheel holds the wrong files (tools/check_wheel.py, before pytest)" >&2
    [ "$rc" != 0 ] || rc=$wheel_rc
fi
exit "$rc"
