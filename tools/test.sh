#!/usr/bin/env bash
# make test: the whole suite against fresh databases.
#   1. install erp_key_user with demo data into $DB (dropped first) and without
#      demo data into ${DB}_nodemo; an install that fails, or logs an ERROR, or a
#      WARNING from or about erp_key_user, fails the run; then uninstall it from
#      ${DB}_nodemo, check that nothing is left behind, and install it again;
#   2. pytest (pytest-odoo, with an HTTP server for HttpCase tours in headless
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

# Print the log records (a record = a dated line and its continuation lines,
# e.g. a traceback) that fail an install: any ERROR/CRITICAL, and any WARNING
# whose logger is odoo.addons.erp_key_user.* or whose text names the module
# (e.g. "model ... has no access rules in module erp_key_user", view errors).
# A record is "date time pid LEVEL db logger: text".
bad_log_records() {
    awk -v mod="$MODULE" '
        function flush() {
            if (lvl == "ERROR" || lvl == "CRITICAL" || (lvl == "WARNING" &&
                (index(logger, "odoo.addons." mod) == 1 || index(text, mod) > 0)))
                print rec
            lvl = ""
        }
        /^[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9] [0-9:,]+ [0-9]+ [A-Z]+ / {
            flush()
            rec = $0; lvl = $4; logger = $6; text = $0
            for (i = 1; i <= 6; i++) sub(/^[^ ]+ +/, "", text)  # drop up to the logger
            next
        }
        { rec = rec "\n" $0; text = text "\n" $0 }
        END { flush() }
    ' "$1"
}

install_module() {  # db, log file, extra odoo options...
    local db=$1 log=$2
    shift 2
    echo "== installing $MODULE into $db${*:+ ($*)} (log: ${log#"$REPO"/})"
    drop_db "$db"
    : >"$log"
    local rc=0
    # stderr too goes to the log (docutils and start-up messages print there).
    odoo_cli -d "$db" -i "$MODULE" --stop-after-init --no-http --http-interface=127.0.0.1 \
        --logfile="$log" "$@" 2>>"$log" || rc=$?
    local bad
    bad=$(bad_log_records "$log")
    if [ "$rc" != 0 ] || [ -n "$bad" ]; then
        echo "FAILED: installing $MODULE into $db (exit code $rc). Offending log records:" >&2
        if [ -n "$bad" ]; then echo "$bad" >&2; else tail -n 30 "$log" >&2; fi
        return 1
    fi
    echo "   ok"
}

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

# The tests must be imported as odoo.addons.erp_key_user.tests.* (under any other
# name the addon's models would be loaded a second time and Odoo refuses them).
# pytest-odoo gives them that name only for files it imports after its start-up,
# while pytest imports the conftest.py of the directories named on its command
# line (and of their test* subdirectories) before that. So the tests are named as
# a package (--pyargs: found through odoo.addons, i.e. the .addons/erp_key_user
# symlink) from .addons/, where no conftest.py is loaded early; tests/conftest.py
# is then imported during collection, under its odoo.addons name.
echo "== pytest on $DB"
rc=0
(
    cd "$REPO/.addons"
    "$ODOO_PY" -m pytest --pyargs "odoo.addons.$MODULE.tests" \
        --confcutdir="$REPO/.addons" \
        -p no:cacheprovider \
        --odoo-database="$DB" \
        --odoo-addons-path="$ADDONS_PATH" \
        --odoo-http \
        --odoo-extra=http-interface=127.0.0.1 \
        --odoo-log-level=warn \
        --odoo-extra="db_host=$PGHOST" \
        --odoo-extra="db_port=$PGPORT" \
        --odoo-extra="db_user=$PGUSER" \
        "$@"
) || rc=$?

if [ "$rc" = 5 ]; then
    echo "FAILED: pytest collected no test in odoo.addons.$MODULE.tests (a run without tests is not a pass)" >&2
fi
exit "$rc"
