#!/usr/bin/env bash
# A streaming read replica of the private cluster of tools/pg.sh, for the load
# run with Odoo's --db_replica_host (bench/load.py):
#   tools/replica.sh start   # pg_basebackup of the primary, started as a hot
#                            # standby on the next free port; its settings go
#                            # to .pgdata/replica.env (REPLICA_HOST, REPLICA_PORT)
#   tools/replica.sh stop    # stop it and remove its data directory
# The replica follows the primary over a replication connection (-R writes
# primary_conninfo and standby.signal); start waits until it has replayed the
# primary's current WAL position, so that what the benchmark just generated is
# there.
set -euo pipefail

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
"$REPO/tools/pg.sh" >/dev/null
# shellcheck disable=SC1091
source "$REPO/.pgdata/env"
PGDIR_REAL=$(cd "$REPO/.pgdata" && pwd -P)
DATA="$PGDIR_REAL/replica"
RUN="$PGDIR_REAL/run"
LOGFILE="$PGDIR_REAL/replica.log"
ENV_FILE="$PGDIR_REAL/replica.env"
BIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -t/ -k5,5n | tail -n 1)
AS=()
[ "$(id -u)" = 0 ] && AS=(runuser -u postgres --)

log() { echo "replica: $*" >&2; }

stop() {
    if [ -f "$DATA/postmaster.pid" ]; then
        "${AS[@]}" "$BIN/pg_ctl" -D "$DATA" -m fast -w stop >/dev/null || true
    fi
    rm -rf "$DATA" "$ENV_FILE"
}

start() {
    stop
    local port=$((PGPORT + 1))
    while (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; do port=$((port + 1)); done
    mkdir -p "$DATA"
    chmod 700 "$DATA"
    [ ${#AS[@]} -gt 0 ] && chown postgres: "$DATA" && touch "$LOGFILE" && chown postgres: "$LOGFILE"
    log "base backup of 127.0.0.1:$PGPORT into $DATA"
    "${AS[@]}" "$BIN/pg_basebackup" -h 127.0.0.1 -p "$PGPORT" -U "$PGUSER" -D "$DATA" \
        -X stream -R --checkpoint=fast
    cat >>"$DATA/postgresql.auto.conf" <<CONF
port = $port
hot_standby = on
unix_socket_directories = '$RUN'
CONF
    log "starting the replica on 127.0.0.1:$port (log: $LOGFILE)"
    "${AS[@]}" "$BIN/pg_ctl" -D "$DATA" -l "$LOGFILE" -w -t 120 start >/dev/null
    local target
    target=$(psql -X -h 127.0.0.1 -p "$PGPORT" -U "$PGUSER" -d postgres -Atc \
        "select pg_current_wal_lsn()")
    for _ in $(seq 1 120); do
        if [ "$(psql -X -h 127.0.0.1 -p "$port" -U "$PGUSER" -d postgres -Atc \
            "select pg_is_in_recovery() and pg_last_wal_replay_lsn() >= '$target'")" = t ]; then
            printf 'export REPLICA_HOST=127.0.0.1 REPLICA_PORT=%s\n' "$port" >"$ENV_FILE"
            log "streaming, caught up with the primary"
            return 0
        fi
        sleep 1
    done
    log "ERROR: the replica did not catch up with the primary"
    exit 1
}

case "${1:-}" in
    start) start ;;
    stop) stop ;;
    *)
        echo "usage: $0 start|stop" >&2
        exit 2
        ;;
esac
