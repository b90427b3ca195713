#!/usr/bin/env bash
# make test: the whole suite against fresh databases.
#   1. install erp_key_user with demo data into $DB (dropped first) and without
#      demo data into ${DB}_nodemo; an install that fails, or logs an ERROR, or a
#      WARNING from or about erp_key_user, fails the run; then uninstall it from
#      ${DB}_nodemo, check that nothing is left behind, and install it again;
#   2. upgrade checks: install the module as it was before a version with
#      migration scripts (git archive of that commit), prepare data, update to
#      the working tree's code and check the data. 19.0.1.2.0, the customers:
#      upgrade_check (tools/common.sh) in ${DB}_upgrade_customers with
#      tools/check_upgrade_customers.py; 19.0.1.3.0, the self-help texts filled
#      in SQL: in ${DB}_upgrade_self_help with tools/check_upgrade_self_help.py;
#      from 19.0.1.0.0, the guides (inline
#      below): in ${DB}_upgrade, publish guides, upgrade, check the published
#      versions with tools/check_upgrade.py;
#   3. build the wheel and the sdist and check what they hold (tools/check_wheel.py:
#      the addon, none of the development tooling); a wrong wheel fails the run,
#      after pytest has run;
#   4. the supplier's platform for the connector tests: ${DB}_platform with
#      the module (and rpc, auto-installed), set up by tools/setup_platform.py (a second Odoo
#      server serves it during pytest: tests/platform_server.py);
#   5. pytest (pytest-odoo, with an HTTP server for HttpCase tours in headless
#      Chromium) on the tests collected as odoo.addons.erp_key_user.tests.*;
#      its closing line gives the counts ("N failed, N passed in ...").
# Exits non-zero on any failure, including "no tests collected" and a skipped
# test (tests/conftest.py). Extra arguments go to pytest: tools/test.sh -k portal
set -euo pipefail

# shellcheck source=tools/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
DB=${DB:-erp_key_user_test}
NODEMO_DB="${DB}_nodemo"

CUSTOMERS_UPGRADE_DB="${DB}_upgrade_customers"
SELF_HELP_UPGRADE_DB="${DB}_upgrade_self_help"
PLATFORM_DB="${DB}_platform"
cleanup() {
    drop_db "$PLATFORM_DB" || true
    drop_db "$NODEMO_DB" || true
    drop_db "${DB}_upgrade" || true
    drop_db "$CUSTOMERS_UPGRADE_DB" || true
    drop_db "$SELF_HELP_UPGRADE_DB" || true
}
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

echo "== upgrading $MODULE to 19.0.1.2.0 (customers) in $CUSTOMERS_UPGRADE_DB"
old_commit=$(commit_before_version 19.0.1.2.0) || {
    echo "FAILED: the upgrade check needs the git history of the module" >&2
    exit 1
}
upgrade_check "$CUSTOMERS_UPGRADE_DB" "$old_commit" tools/check_upgrade_customers.py

echo "== upgrading $MODULE to 19.0.1.3.0 (self-help texts) in $SELF_HELP_UPGRADE_DB"
# the search came in several commits before the version bump: the version
# before is the parent of the commit that added the search's mixin
added=$(git -C "$REPO" log --reverse --format=%H --diff-filter=A -- models/erp_self_help_mixin.py | sed -n 1p)
old_commit=$(git -C "$REPO" rev-parse --verify "${added:-HEAD}${added:+^}") || {
    echo "FAILED: the upgrade check needs the git history of the module" >&2
    exit 1
}
if ! git -C "$REPO" show "$old_commit:__manifest__.py" | grep -q '"version": "19.0.1.2.0"'; then
    echo "FAILED: commit $old_commit is not version 19.0.1.2.0 of the module" >&2
    exit 1
fi
upgrade_check "$SELF_HELP_UPGRADE_DB" "$old_commit" tools/check_upgrade_self_help.py

echo "== building and checking the wheel"
wheel_rc=0
"$ODOO_PY" "$REPO/tools/check_wheel.py" || wheel_rc=$?

# Upgrade from 19.0.1.0.0, the last version that kept the published versions of
# a guide in the HTML field history: install the module as it was at the last
# commit with that version (git archive of it, into build/), publish guides
# there, upgrade to the working tree's code and check that every published
# version became an erp.process.guide.version with its own text.
UPGRADE_DB="${DB}_upgrade"
UPGRADE_DIR="$REPO/build/upgrade"
echo "== upgrading $MODULE from 19.0.1.0.0 in $UPGRADE_DB"
# sed, not head: head would stop reading, and git log, killed by SIGPIPE,
# would fail the pipeline (pipefail) once two commits match (19.0.1.2.0 removed
# this version string)
bump=$(git -C "$REPO" log --reverse --format=%H -S'"version": "19.0.1.1.0"' -- __manifest__.py | sed -n 1p)
old_commit=$(git -C "$REPO" rev-parse --verify "${bump:-HEAD}${bump:+^}") || {
    echo "FAILED: the upgrade check needs the git history of the module" >&2
    exit 1
}
if ! git -C "$REPO" show "$old_commit:__manifest__.py" | grep -q '"version": "19.0.1.0.0"'; then
    echo "FAILED: commit $old_commit is not version 19.0.1.0.0 of the module" >&2
    exit 1
fi
rm -rf "$UPGRADE_DIR"
mkdir -p "$UPGRADE_DIR/src/$MODULE"
git -C "$REPO" archive "$old_commit" | tar -x -C "$UPGRADE_DIR/src/$MODULE"
OLD_ADDONS_PATH=${ADDONS_PATH/"$REPO/.addons"/"$UPGRADE_DIR/src"}
ADDONS_PATH=$OLD_ADDONS_PATH install_module "$UPGRADE_DB" "$LOG_DIR/upgrade-install-1.0.log"
upgrade_step() {  # step (publish/check), addons path
    "$ODOO_PY" "$REPO/tools/check_upgrade.py" "$1" "$UPGRADE_DIR/expected.json" \
        -d "$UPGRADE_DB" --addons-path="$2" \
        --db_host="$PGHOST" --db_port="$PGPORT" --db_user="$PGUSER" \
        --http-interface=127.0.0.1 --log-level=warn --logfile="$LOG_DIR/upgrade-$1.log"
}
upgrade_step publish "$OLD_ADDONS_PATH"
echo "   updating to the working tree's code (log: build/logs/upgrade.log)"
: >"$LOG_DIR/upgrade.log"
rc=0
odoo_cli -d "$UPGRADE_DB" -u "$MODULE" --stop-after-init --no-http --http-interface=127.0.0.1 \
    --logfile="$LOG_DIR/upgrade.log" 2>>"$LOG_DIR/upgrade.log" || rc=$?
bad=$(bad_log_records "$LOG_DIR/upgrade.log")
if [ "$rc" != 0 ] || [ -n "$bad" ]; then
    echo "FAILED: upgrading $MODULE in $UPGRADE_DB (exit code $rc):" >&2
    if [ -n "$bad" ]; then echo "$bad" >&2; else tail -n 30 "$LOG_DIR/upgrade.log" >&2; fi
    exit 1
fi
upgrade_step check "$ADDONS_PATH"
drop_db "$UPGRADE_DB"

# The supplier's platform for the connector tests (tests/test_connector.py):
# a second database with the module (and rpc, JSON-2) and the hosted setup
# of tools/setup_platform.py; tests/conftest.py serves it with a second Odoo
# server during the pytest session.
# (rpc is auto-installed with base; tools/setup_platform.py checks it is there)
install_module "$PLATFORM_DB" "$LOG_DIR/install-platform.log"
PLATFORM_STATE="$REPO/build/platform/$PLATFORM_DB.json"
mkdir -p "$(dirname "$PLATFORM_STATE")"
"$ODOO_PY" "$REPO/tools/setup_platform.py" "$PLATFORM_STATE" -d "$PLATFORM_DB" \
    --addons-path="$ADDONS_PATH" --db_host="$PGHOST" --db_port="$PGPORT" --db_user="$PGUSER" \
    --log-level=warn --logfile="$LOG_DIR/setup-platform.log"
export ERP_KEY_USER_PLATFORM_DB="$PLATFORM_DB" ERP_KEY_USER_PLATFORM_STATE="$PLATFORM_STATE" \
    ERP_KEY_USER_LOG_DIR="$LOG_DIR" PGHOST PGPORT PGUSER

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
