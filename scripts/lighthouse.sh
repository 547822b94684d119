#!/usr/bin/env bash
# Usage: scripts/lighthouse.sh
#
# Lighthouse (mobile) scores for performance, accessibility, best practices and SEO of a pose
# page, a routine page and the cheat sheet. Installs Lighthouse (pinned, from npm) under .tools/
# the first time, serves the demo content with gunicorn (production settings, SQLite in a
# temporary folder) on a free port of 127.0.0.1, runs the system Chromium headless, prints a
# table and stops the server. Reports go to test-artifacts/lighthouse/.
set -euo pipefail
cd "$(dirname "$0")/.."

LIGHTHOUSE_VERSION=12.2.3
TOOLS=.tools/lighthouse
CHROME_PATH="${CHROMIUM:-/usr/bin/chromium}"
PY=.venv/bin/python
OUT=test-artifacts/lighthouse

if [ ! -x "$TOOLS/node_modules/.bin/lighthouse" ]; then
    command -v npm >/dev/null || { echo "error: npm is needed to install Lighthouse" >&2; exit 1; }
    mkdir -p "$TOOLS"
    (cd "$TOOLS" && npm init -y >/dev/null && npm i -E --no-audit --no-fund "lighthouse@$LIGHTHOUSE_VERSION" >/dev/null)
fi
[ -x "$CHROME_PATH" ] || { echo "error: Chromium not found at $CHROME_PATH" >&2; exit 1; }

VAR_DIR="$(mktemp -d "${TMPDIR:-/tmp}/yogasite-lighthouse.XXXXXX")"
SERVER_PID=""
cleanup() {
    local status=$?
    if [ -n "$SERVER_PID" ] && kill -0 "$SERVER_PID" 2>/dev/null; then
        kill -TERM "$SERVER_PID" 2>/dev/null || true
        wait "$SERVER_PID" 2>/dev/null || true
    fi
    rm -rf "$VAR_DIR"
    exit "$status"
}
trap cleanup EXIT

export DJANGO_SETTINGS_MODULE=yogasite.settings.production
SECRET_KEY="lighthouse-only-$(head -c 16 /dev/urandom | od -An -tx1 | tr -d ' \n')"
export SECRET_KEY
export DATABASE_URL="sqlite:///$VAR_DIR/db.sqlite3" SECURE_SSL_REDIRECT=false ALLOWED_HOSTS=127.0.0.1
export STATIC_ROOT="$VAR_DIR/static" MEDIA_ROOT="$VAR_DIR/media" SERVE_MEDIA=true YOGASITE_VAR_DIR="$VAR_DIR"
export LOG_LEVEL=WARNING
$PY manage.py migrate --noinput >/dev/null
$PY manage.py collectstatic --noinput >/dev/null
$PY manage.py import_content demo/content.json >/dev/null

PORT="$($PY -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
$PY -m gunicorn yogasite.wsgi:application --bind "127.0.0.1:$PORT" --workers 2 --error-logfile "$VAR_DIR/gunicorn.log" &
SERVER_PID=$!
for _ in $(seq 1 100); do
    curl -fs "http://127.0.0.1:$PORT/healthz" >/dev/null 2>&1 && break
    sleep 0.2
done

mkdir -p "$OUT"
FLAGS="--headless --no-sandbox --disable-gpu --disable-quic --no-first-run --disable-background-networking --disable-component-update --disable-sync"
echo "| page | performance | accessibility | best practices | SEO |"
echo "| --- | ---: | ---: | ---: | ---: |"
for page in /poses/backbend/ /routines/back-strengthening-flow/ /routines/back-strengthening-flow/cheatsheet/; do
    name="$(echo "$page" | tr '/' '-' | sed 's/^-//; s/-$//')"
    CHROME_PATH="$CHROME_PATH" "$TOOLS/node_modules/.bin/lighthouse" "http://127.0.0.1:$PORT$page" \
        --quiet --chrome-flags="$FLAGS" --form-factor=mobile \
        --only-categories=performance,accessibility,best-practices,seo \
        --output=json --output=html --output-path="$OUT/$name" >/dev/null 2>&1 || true
    $PY - "$OUT/$name.report.json" "$page" <<'PY'
import json, sys
try:
    report = json.load(open(sys.argv[1]))
except OSError:
    print(f"| `{sys.argv[2]}` | failed | | | |")
    sys.exit()
c = report["categories"]
scores = [c[k]["score"] for k in ("performance", "accessibility", "best-practices", "seo")]
print(f"| `{sys.argv[2]}` | " + " | ".join("n/a" if s is None else str(round(100 * s)) for s in scores) + " |")
PY
done
