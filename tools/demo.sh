#!/usr/bin/env bash
# make demo: a database with erp_key_user and its demo data, served on
# http://localhost:$DEMO_PORT (default 8069). Creates the database the first
# time (or when an earlier install did not finish); later runs update the module
# to the current code before serving. Ctrl-C stops the server.
set -euo pipefail

# shellcheck source=tools/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
DEMO_DB=${DEMO_DB:-erp_key_user_demo}
DEMO_PORT=${DEMO_PORT:-8069}
DEMO_INTERFACE=${DEMO_INTERFACE:-127.0.0.1}  # 0.0.0.0 to serve other machines

module_state() {
    "$PSQL" -X -d "$DEMO_DB" -Atc \
        "select state from ir_module_module where name = '$MODULE'" 2>/dev/null || true
}

update=(-u "$MODULE")
if ! db_exists "$DEMO_DB" || [ "$(module_state)" != installed ]; then
    log="$LOG_DIR/demo-install.log"
    echo "== creating $DEMO_DB with $MODULE and demo data (log: ${log#"$REPO"/})"
    drop_db "$DEMO_DB"
    : >"$log"
    if ! odoo_cli -d "$DEMO_DB" -i "$MODULE" --with-demo --stop-after-init --no-http \
        --http-interface="$DEMO_INTERFACE" --logfile="$log" 2>>"$log"; then
        tail -n 40 "$log" >&2
        echo "FAILED: installing $MODULE into $DEMO_DB" >&2
        exit 1
    fi
    update=()  # just installed: nothing to update
fi

cat <<MSG

  erp_key_user demo: http://localhost:$DEMO_PORT/web/login   (database $DEMO_DB)
  Demo logins (login / password):
$(sed 's/^/    /' "$REPO/tools/demo_logins.txt")

  Stop the server with Ctrl-C.
MSG
odoo_cli -d "$DEMO_DB" "${update[@]}" --http-interface="$DEMO_INTERFACE" --http-port="$DEMO_PORT" \
    --db-filter="^${DEMO_DB}\$"
