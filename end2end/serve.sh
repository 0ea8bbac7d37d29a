#!/usr/bin/env bash
# Starts a throw-away Eko for the browser tests: fresh SQLite database, one
# super admin made with the CLI, cheap password hashing, port $1. It runs the
# release folder that `make release` writes (what a city deploys); EKO_BIN
# points elsewhere, e.g. EKO_BIN=target/debug/eko with LEPTOS_SITE_ROOT=target/site.
set -euo pipefail
cd "$(dirname "$0")/.."
port="${1:-3100}"
state=end2end/.state
mkdir -p "$state"
# EKO_E2E_KEEP_DB=1 keeps the database (a restart, not a fresh start).
if [ -z "${EKO_E2E_KEEP_DB:-}" ]; then rm -rf "$state"/e2e-"$port".db* "$state/outbox-$port"; fi
export DATABASE_URL="sqlite://$state/e2e-$port.db?mode=rwc"
export EKO_LISTEN="127.0.0.1:$port"
export EKO_SITE_URL="http://127.0.0.1:$port"
# Mail lands here as .eml files; the reset tests read their links from it.
export EKO_MAIL_OUTBOX="$state/outbox-$port"
export EKO_ARGON2_MEMORY_KIB=1024 EKO_ARGON2_ITERATIONS=1
# Every test registers its residents from 127.0.0.1.
export EKO_THROTTLE_REGISTER_ADDRESS_ATTEMPTS=100000
# Restart tests start the next server at once on the same port.
export EKO_SHUTDOWN_DRAIN=200ms
export EKO_USER_IDLE_TIMEOUT="${EKO_USER_IDLE_TIMEOUT:-24h}"
export EKO_ADMIN_IDLE_TIMEOUT="${EKO_ADMIN_IDLE_TIMEOUT:-30m}"
bin="${EKO_BIN:-dist/eko/eko}"
if [ -z "${EKO_E2E_KEEP_DB:-}" ]; then
  EKO_ADMIN_PASSWORD='console password for tests' "$bin" create-admin \
    --email chief@cenro.example.ph --name "Carmen Reyes" >/dev/null
fi
exec "$bin" serve
