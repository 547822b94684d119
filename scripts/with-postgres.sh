#!/usr/bin/env bash
# Usage: scripts/with-postgres.sh COMMAND [ARGS...]
#
# Starts a throwaway PostgreSQL 15 cluster in a temporary folder, creates the
# database "yogasite", runs COMMAND with DATABASE_URL pointing at it, and always
# stops the cluster and removes the folder afterwards. COMMAND's exit code is
# the script's. A cluster that does not start fails the run; a PostgreSQL that
# cannot be installed fails it with CI=true, and elsewhere skips COMMAND with a warning.
set -euo pipefail

if [ "$#" -eq 0 ]; then
    echo "usage: $0 COMMAND [ARGS...]" >&2
    exit 2
fi

COMMAND=("$@")

unavailable() {
    if [ "${CI:-}" = "true" ]; then
        echo "error: $1" >&2
        exit 1
    fi
    echo "warning: $1; skipping: ${COMMAND[*]}" >&2
    exit 0
}

find_pg_bin() {
    local dir
    for dir in "${PG_BIN:-}" /usr/lib/postgresql/15/bin; do
        if [ -n "$dir" ] && [ -x "$dir/postgres" ] && [ -x "$dir/initdb" ]; then
            echo "$dir"
            return 0
        fi
    done
    if command -v postgres >/dev/null && command -v initdb >/dev/null; then
        dirname "$(readlink -f "$(command -v postgres)")"
        return 0
    fi
    return 1
}

install_postgres() {
    [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null || return 1
    echo "Installing PostgreSQL 15 (apt-get)..."
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -q </dev/null
    local package=postgresql-15
    apt-cache policy postgresql-15 | grep -q 'Candidate: [0-9]' || package=postgresql
    apt-get install -y -q "$package" </dev/null
}

PG_BIN_DIR="$(find_pg_bin)" || true
if [ -z "$PG_BIN_DIR" ] || { [ "$(id -u)" -eq 0 ] && ! id postgres >/dev/null 2>&1; }; then
    install_postgres || unavailable "PostgreSQL 15 is not installed and could not be installed"
    PG_BIN_DIR="$(find_pg_bin)" || unavailable "PostgreSQL binaries are still missing after installing them"
fi

# PostgreSQL refuses to run as root, so root runs it as the postgres user.
as_postgres=()
if [ "$(id -u)" -eq 0 ]; then
    id postgres >/dev/null 2>&1 || unavailable "there is no postgres user to run PostgreSQL as"
    as_postgres=(setpriv --reuid=postgres --regid=postgres --init-groups --)
fi

TMP_DIR="$(mktemp -d "${TMPDIR:-/tmp}/yogasite-pg.XXXXXX")"
PG_PID=""

cleanup() {
    local status=$?
    if [ -n "$PG_PID" ] && kill -0 "$PG_PID" 2>/dev/null; then
        # SIGINT is PostgreSQL's "fast" shutdown: roll back sessions and stop.
        kill -INT "$PG_PID" 2>/dev/null || true
        for _ in $(seq 1 60); do
            kill -0 "$PG_PID" 2>/dev/null || break
            sleep 0.5
        done
        kill -KILL "$PG_PID" 2>/dev/null || true
        wait "$PG_PID" 2>/dev/null || true
    fi
    rm -rf "$TMP_DIR"
    exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

if [ "$(id -u)" -eq 0 ]; then
    chown postgres:postgres "$TMP_DIR"
fi
chmod 700 "$TMP_DIR"

PORT="$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"

(cd "$TMP_DIR" && "${as_postgres[@]}" "$PG_BIN_DIR/initdb" -D "$TMP_DIR/data" -U postgres \
    --auth=trust --encoding=UTF8 --locale=C >"$TMP_DIR/initdb.log" 2>&1) || {
    cat "$TMP_DIR/initdb.log" >&2
    echo "error: initdb failed" >&2
    exit 1
}

# A cluster that lives for one test run: durability settings off for speed.
cd "$TMP_DIR"
"${as_postgres[@]}" "$PG_BIN_DIR/postgres" -D "$TMP_DIR/data" -k "$TMP_DIR" -p "$PORT" \
    -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off \
    >"$TMP_DIR/postgres.log" 2>&1 &
PG_PID=$!
cd - >/dev/null

ready=""
for _ in $(seq 1 120); do
    if ! kill -0 "$PG_PID" 2>/dev/null; then
        break
    fi
    if "$PG_BIN_DIR/pg_isready" -q -h 127.0.0.1 -p "$PORT"; then
        ready=yes
        break
    fi
    sleep 0.25
done
if [ -z "$ready" ]; then
    cat "$TMP_DIR/postgres.log" >&2
    echo "error: PostgreSQL did not start" >&2
    exit 1
fi

"$PG_BIN_DIR/createdb" -h 127.0.0.1 -p "$PORT" -U postgres yogasite
echo "PostgreSQL $("$PG_BIN_DIR/postgres" --version | awk '{print $3}') on 127.0.0.1:$PORT (pid $PG_PID, data in $TMP_DIR)"

export DATABASE_URL="postgres://postgres@127.0.0.1:$PORT/yogasite"
"$@"
