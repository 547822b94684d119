#!/usr/bin/env bash
# Makes sure the system Chromium the browser tests drive is installed.
# With CI=true a Chromium that cannot be installed fails the run; elsewhere the
# browser tests skip with a reason instead.
set -euo pipefail

CHROMIUM="${CHROMIUM:-/usr/bin/chromium}"

if [ -x "$CHROMIUM" ]; then
    exit 0
fi

unavailable() {
    if [ "${CI:-}" = "true" ]; then
        echo "error: $1" >&2
        exit 1
    fi
    echo "warning: $1; browser tests will be skipped." >&2
    exit 0
}

if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null; then
    unavailable "Chromium is missing at $CHROMIUM; install it with: apt-get install chromium chromium-driver"
fi

echo "Installing Chromium (apt-get)..."
export DEBIAN_FRONTEND=noninteractive
apt-get update -q </dev/null
apt-get install -y -q chromium chromium-driver </dev/null \
    || unavailable "apt-get could not install chromium"

[ -x "$CHROMIUM" ] || unavailable "Chromium is still missing at $CHROMIUM after installing it"
"$CHROMIUM" --version
