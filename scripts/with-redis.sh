#!/usr/bin/env bash
# Usage: scripts/with-redis.sh COMMAND [ARGS...]
#
# Starts a throwaway redis-server on a free port of 127.0.0.1 in a temporary folder (nothing
# saved to disk), runs COMMAND with REDIS_URL pointing at it, and always stops the server (by its
# PID) and removes the folder afterwards. COMMAND's exit code is the script's. A server that does
# not start fails the run; a redis-server that cannot be installed (Debian's package) fails it
# with CI=true, and elsewhere runs COMMAND without REDIS_URL, with a warning.
set -euo pipefail

if [ "$#" -eq 0 ]; then
    echo "usage: $0 COMMAND [ARGS...]" >&2
    exit 2
fi

unavailable() {
    if [ "${CI:-}" = "true" ]; then
        echo "error: $1" >&2
        exit 1
    fi
    echo "warning: $1; running without Redis: ${COMMAND[*]}" >&2
    exec "${COMMAND[@]}"
}

COMMAND=("$@")

install_redis() {
    [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null || return 1
    echo "Installing redis-server (apt-get)..."
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -q </dev/null
    apt-get install -y -q redis-server </dev/null
}

REDIS_SERVER="$(command -v redis-server || true)"
if [ -z "$REDIS_SERVER" ]; then
    install_redis || unavailable "redis-server is not installed and could not be installed"
    REDIS_SERVER="$(command -v redis-server)" || unavailable "redis-server is still missing after installing it"
fi

TMP_DIR="$(mktemp -d "${TMPDIR:-/tmp}/yogasite-redis.XXXXXX")"
REDIS_PID=""

cleanup() {
    local status=$?
    if [ -n "$REDIS_PID" ] && kill -0 "$REDIS_PID" 2>/dev/null; then
        kill -TERM "$REDIS_PID" 2>/dev/null || true
        for _ in $(seq 1 40); do
            kill -0 "$REDIS_PID" 2>/dev/null || break
            sleep 0.25
        done
        kill -KILL "$REDIS_PID" 2>/dev/null || true
        wait "$REDIS_PID" 2>/dev/null || true
    fi
    rm -rf "$TMP_DIR"
    exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

PORT="$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"

"$REDIS_SERVER" --port "$PORT" --bind 127.0.0.1 --dir "$TMP_DIR" --save '' --appendonly no \
    --daemonize no --logfile "$TMP_DIR/redis.log" &
REDIS_PID=$!

ready=""
for _ in $(seq 1 80); do
    kill -0 "$REDIS_PID" 2>/dev/null || break
    if python3 - "$PORT" <<'PY' 2>/dev/null
import socket, sys
with socket.create_connection(("127.0.0.1", int(sys.argv[1])), timeout=1) as s:
    s.sendall(b"PING\r\n")
    sys.exit(0 if s.recv(16).startswith(b"+PONG") else 1)
PY
    then
        ready=yes
        break
    fi
    sleep 0.25
done
if [ -z "$ready" ]; then
    cat "$TMP_DIR/redis.log" >&2 || true
    echo "error: redis-server did not start" >&2
    exit 1
fi

echo "Redis $("$REDIS_SERVER" --version | awk '{print $3}' | sed 's/v=//') on 127.0.0.1:$PORT (pid $REDIS_PID, folder $TMP_DIR)"
export REDIS_URL="redis://127.0.0.1:$PORT/0"
"$@"
