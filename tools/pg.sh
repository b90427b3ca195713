#!/usr/bin/env bash
# Make sure a PostgreSQL server answers, and write the settings to use it to
# <repo>/.pgdata/env (`source .pgdata/env` exports PGHOST, PGPORT, PGUSER).
#
# 1. A server that already answers with the usual libpq settings (PGHOST, PGPORT,
#    PGUSER or their defaults) and lets the current user connect is used as is.
# 2. Otherwise a private cluster is started (and created the first time):
#    data in .pgdata/data, socket in .pgdata/run, listening only on 127.0.0.1,
#    port ${PGPORT:-5433} or the next free one, trust authentication (a private
#    dev/test cluster). As root, the server runs as the `postgres` system user
#    (PostgreSQL refuses to run as root) and a superuser role `root` is created.
# Idempotent: a second run finds the running cluster.  Stop it with
#   runuser -u postgres -- pg_ctl -D .pgdata/data stop     (as root)
set -euo pipefail

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
PGDIR="$REPO/.pgdata"
ENV_FILE="$PGDIR/env"

log() { echo "pg: $*" >&2; }

# Newest Debian PostgreSQL server binaries (/usr/lib/postgresql/<major>/bin).
BIN=""
for d in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -t/ -k5,5n); do
    [ -x "$d/initdb" ] && [ -x "$d/pg_ctl" ] && BIN="$d"
done
if [ -z "$BIN" ] && command -v pg_ctl >/dev/null 2>&1 && command -v initdb >/dev/null 2>&1; then
    BIN=$(dirname "$(command -v pg_ctl)")
fi
# Client tools: from the server bin dir if there, else from PATH.
client() {
    if [ -n "$BIN" ] && [ -x "$BIN/$1" ]; then echo "$BIN/$1"; else command -v "$1" || true; fi
}
PG_ISREADY=$(client pg_isready)
PSQL=$(client psql)

server_usable() {  # with the current PG* environment
    [ -n "$PG_ISREADY" ] && [ -n "$PSQL" ] || return 1
    "$PG_ISREADY" -q -t 3 >/dev/null 2>&1 || return 1
    "$PSQL" -X -q -d postgres -Atc 'select 1' >/dev/null 2>&1
}

write_env() {  # host port user
    mkdir -p "$PGDIR"
    printf 'export PGHOST=%s PGPORT=%s PGUSER=%s\n' "$1" "$2" "$3" >"$ENV_FILE"
    log "using PostgreSQL at host=$1 port=$2 user=$3 (settings in .pgdata/env)"
}

# 1. The private cluster of an earlier run, if it still answers.
# shellcheck disable=SC1090
if [ -f "$ENV_FILE" ] && (set +u; source "$ENV_FILE"; server_usable); then
    # shellcheck disable=SC1090
    (set +u; source "$ENV_FILE"; log "using PostgreSQL at host=$PGHOST port=$PGPORT user=$PGUSER (settings in .pgdata/env)")
    exit 0
fi

# 2. A server reachable with the usual settings.
if server_usable; then
    write_env "${PGHOST:-/var/run/postgresql}" "${PGPORT:-5432}" "${PGUSER:-$(id -un)}"
    exit 0
fi

# 3. The private cluster.
if [ -z "$BIN" ]; then
    cat >&2 <<'MSG'
ERROR: no PostgreSQL server answers and no PostgreSQL server binaries (initdb, pg_ctl)
are installed to start a private one. Install them, e.g. on Debian/Ubuntu:
    apt-get update && apt-get install -y postgresql
or point PGHOST/PGPORT/PGUSER at a server you can connect to.
MSG
    exit 1
fi

AS=()
SERVER_USER=$(id -un)
if [ "$(id -u)" = 0 ]; then
    SERVER_USER=postgres
    id postgres >/dev/null 2>&1 || {
        log "ERROR: running as root and there is no 'postgres' system user to run the server"
        exit 1
    }
    AS=(runuser -u postgres --)
    # The postgres user must be able to reach the data directory. If the repository
    # lies where it cannot (e.g. under /root), keep the cluster in /var/tmp and
    # make .pgdata a symlink to it.
    if [ ! -e "$PGDIR" ] && ! runuser -u postgres -- test -x "$REPO"; then
        ext="/var/tmp/erp_key_user-pgdata-$(printf '%s' "$REPO" | cksum | cut -d' ' -f1)"
        mkdir -p "$ext"
        ln -sfn "$ext" "$PGDIR"
        log "$REPO is not reachable by user postgres: cluster kept in $ext"
    fi
fi
mkdir -p "$PGDIR"
PGDIR_REAL=$(cd "$PGDIR" && pwd -P)
DATA="$PGDIR_REAL/data"
RUN="$PGDIR_REAL/run"
LOGFILE="$PGDIR_REAL/server.log"
mkdir -p "$DATA" "$RUN"
chmod 700 "$DATA"
cd /  # every path below is absolute, and the postgres user may not enter $PWD
[ "$SERVER_USER" = postgres ] && chown postgres: "$DATA" "$RUN" && touch "$LOGFILE" && chown postgres: "$LOGFILE"

if [ ! -f "$DATA/PG_VERSION" ]; then
    log "creating a private PostgreSQL cluster in $DATA ($BIN)"
    "${AS[@]}" "$BIN/initdb" -D "$DATA" -U "$SERVER_USER" --auth=trust -E UTF8 \
        --locale=C.UTF-8 >"$PGDIR_REAL/initdb.log" 2>&1 || {
        cat "$PGDIR_REAL/initdb.log" >&2
        log "ERROR: initdb failed"
        exit 1
    }
    cat >>"$DATA/postgresql.conf" <<CONF

# erp_key_user private dev/test cluster (tools/pg.sh)
listen_addresses = '127.0.0.1'
unix_socket_directories = '$RUN'
fsync = off
synchronous_commit = off
full_page_writes = off
CONF
fi

port_in_use() {
    (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0
    [ -e "$RUN/.s.PGSQL.$1" ]
}

if "${AS[@]}" "$BIN/pg_ctl" -D "$DATA" status >/dev/null 2>&1; then
    # Running (e.g. started by hand or the env file was removed): its port is
    # line 4 of postmaster.pid.
    PORT=$(sed -n 4p "$DATA/postmaster.pid")
else
    PORT=${PGPORT:-5433}
    while port_in_use "$PORT"; do PORT=$((PORT + 1)); done
    log "starting the private cluster on 127.0.0.1:$PORT (log: $LOGFILE)"
    "${AS[@]}" "$BIN/pg_ctl" -D "$DATA" -l "$LOGFILE" -w -t 60 \
        -o "-p $PORT" start >/dev/null || {  # address and socket dir: postgresql.conf
        tail -n 20 "$LOGFILE" >&2
        log "ERROR: the private cluster did not start"
        exit 1
    }
fi

# The role the tools connect as: the current user, superuser (Odoo creates and
# drops databases). The superuser made by initdb is $SERVER_USER.
ME=$(id -un)
if [ "$ME" != "$SERVER_USER" ]; then
    exists=$("${AS[@]}" "$PSQL" -X -h "$RUN" -p "$PORT" -U "$SERVER_USER" -d postgres -Atc \
        "select 1 from pg_roles where rolname = '$ME'")
    if [ "$exists" != 1 ]; then
        "${AS[@]}" "$PSQL" -X -q -h "$RUN" -p "$PORT" -U "$SERVER_USER" -d postgres \
            -c "create role \"$ME\" login superuser"
    fi
fi

export PGHOST=127.0.0.1 PGPORT=$PORT PGUSER=$ME
if ! server_usable; then
    log "ERROR: the private cluster runs but $ME cannot connect to 127.0.0.1:$PORT"
    exit 1
fi
write_env 127.0.0.1 "$PORT" "$ME"
