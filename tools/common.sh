# shellcheck shell=bash
# Sourced by tools/test.sh and tools/demo.sh: finds Odoo, PostgreSQL and the
# addons path, and defines the helpers they share.
#   REPO ODOO_PY ADDONS_PATH PGHOST PGPORT PGUSER, odoo_cli, db_exists, drop_db,
#   install_module, run_pytest

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# shellcheck disable=SC2034  # used by the scripts that source this file
MODULE=erp_key_user
LOG_DIR="$REPO/build/logs"
mkdir -p "$LOG_DIR"

ODOO_PY=$("$REPO/tools/odoo_python.sh")
"$REPO/tools/pg.sh"
# shellcheck disable=SC1091
source "$REPO/.pgdata/env"
ADDONS_PATH=$("$REPO/tools/addons_path.sh" "$ODOO_PY")
export ODOO_PY ADDONS_PATH

# psql from the newest Debian server bin dir, else from PATH.
PSQL=$(ls -d /usr/lib/postgresql/*/bin/psql 2>/dev/null | sort -t/ -k5,5n | tail -n 1)
PSQL=${PSQL:-psql}

# The Odoo CLI with this repository's addons path and database connection.
odoo_cli() {
    local cmd=()
    # Subcommands (db, shell...) go first; the server is the default command.
    if [ $# -gt 0 ] && [[ "$1" != -* ]]; then cmd=("$1"); shift; fi
    "$ODOO_PY" -m odoo "${cmd[@]}" --addons-path="$ADDONS_PATH" \
        --db_host="$PGHOST" --db_port="$PGPORT" --db_user="$PGUSER" "$@"
}

db_exists() {
    [ "$("$PSQL" -X -d postgres -Atc "select 1 from pg_database where datname = '$1'")" = 1 ]
}

# Drop a database and its filestore (Odoo's own `db drop`).
drop_db() {
    local out
    if db_exists "$1"; then
        out=$(odoo_cli db drop "$1" 2>&1) || {
            echo "$out" >&2
            return 1
        }
    fi
}

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

# pytest (pytest-odoo, with an HTTP server for the HttpCase tours) on the tests of
# the addon found in addons directory $2 (which holds an erp_key_user/): db,
# addons directory, extra pytest arguments...
#
# The tests must be imported as odoo.addons.erp_key_user.tests.* (under any other
# name the addon's models would be loaded a second time and Odoo refuses them).
# pytest-odoo gives them that name only for files it imports after its start-up,
# while pytest imports the conftest.py of the directories named on its command
# line (and of their test* subdirectories) before that. So the tests are named as
# a package (--pyargs: found through odoo.addons, e.g. the .addons/erp_key_user
# symlink) from the addons directory, where no conftest.py is loaded early;
# tests/conftest.py is then imported during collection, under its odoo.addons name.
run_pytest() {
    local db=$1 addons_dir=$2
    shift 2
    (
        cd "$addons_dir"
        "$ODOO_PY" -m pytest --pyargs "odoo.addons.$MODULE.tests" \
            --confcutdir="$addons_dir" \
            -p no:cacheprovider \
            --odoo-database="$db" \
            --odoo-addons-path="$ADDONS_PATH" \
            --odoo-http \
            --odoo-extra=http-interface=127.0.0.1 \
            --odoo-log-level=warn \
            --odoo-extra="db_host=$PGHOST" \
            --odoo-extra="db_port=$PGPORT" \
            --odoo-extra="db_user=$PGUSER" \
            "$@"
    )
}

# The commit before the one that set the manifest version to $1: the module as
# it was before that version (its migration scripts then run on upgrade).
commit_before_version() {
    local bump
    bump=$(git -C "$REPO" log --reverse --format=%H -S"\"version\": \"$1\"" -- __manifest__.py | sed -n 1p)
    [ -n "$bump" ] || return 1
    git -C "$REPO" rev-parse --verify "$bump^"
}

# Upgrade check: install the module as it was at commit $2 (git archive, into
# build/upgrade) into database $1, run `python3 $3 prepare STATE` with that
# code, update the module to the working tree's code (-u; the log must be
# clean), then run `python3 $3 check STATE` with it. Returns non-zero, saying
# why, when a step fails. db, old commit, check script
upgrade_check() {
    local db=$1 old_commit=$2 script=$3
    local dir="$REPO/build/upgrade/$db" log="$LOG_DIR/upgrade-$db.log"
    rm -rf "$dir"
    mkdir -p "$dir/src/$MODULE"
    git -C "$REPO" archive "$old_commit" | tar -x -C "$dir/src/$MODULE"
    local old_addons_path=${ADDONS_PATH/"$REPO/.addons"/"$dir/src"}
    ADDONS_PATH=$old_addons_path install_module "$db" "$LOG_DIR/upgrade-install-$db.log" || return 1
    _upgrade_step() {  # step, addons path
        "$ODOO_PY" "$REPO/$script" "$1" "$dir/state.json" \
            -d "$db" --addons-path="$2" \
            --db_host="$PGHOST" --db_port="$PGPORT" --db_user="$PGUSER" \
            --http-interface=127.0.0.1 --log-level=warn --logfile="$LOG_DIR/upgrade-$1-$db.log"
    }
    _upgrade_step prepare "$old_addons_path" || return 1
    echo "   updating to the working tree's code (log: ${log#"$REPO"/})"
    : >"$log"
    local rc=0 bad
    odoo_cli -d "$db" -u "$MODULE" --stop-after-init --no-http --http-interface=127.0.0.1 \
        --logfile="$log" 2>>"$log" || rc=$?
    bad=$(bad_log_records "$log")
    if [ "$rc" != 0 ] || [ -n "$bad" ]; then
        echo "FAILED: upgrading $MODULE in $db (exit code $rc):" >&2
        if [ -n "$bad" ]; then echo "$bad" >&2; else tail -n 30 "$log" >&2; fi
        return 1
    fi
    UPGRADE_LOG="$log" _upgrade_step check "$ADDONS_PATH" || return 1
    drop_db "$db"
}
