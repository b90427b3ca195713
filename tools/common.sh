# shellcheck shell=bash
# Sourced by tools/test.sh and tools/demo.sh: finds Odoo, PostgreSQL and the
# addons path, and defines the helpers they share.
#   REPO ODOO_PY ADDONS_PATH PGHOST PGPORT PGUSER, odoo_cli, db_exists, drop_db

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
