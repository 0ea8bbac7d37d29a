#!/usr/bin/env bash
# Instructions the server runs per page (valgrind's callgrind counts them):
# unlike throughput, the count does not move with whatever else the machine
# is doing, so two builds can be compared on a noisy VM, even while
# something compiles. It leaves out the kernel (thread hand-offs, sockets)
# and what an instruction costs (cache misses), so it complements
# `pages.mjs`; it does not replace it.
#
#   bench/instructions.sh [binary=$EKO_BIN or dist/eko/eko] [requests=100]
# Prints one line per page: /dashboard (resident), /admin (staff), /healthz.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
bin=$(realpath "${1:-${EKO_BIN:-$here/../dist/eko/eko}}")
requests=${2:-100}
port=${EKO_BENCH_PORT:-3190}
command -v valgrind >/dev/null || { echo "needs valgrind (apt-get install valgrind)" >&2; exit 1; }

dir=$(mktemp -d)
trap 'kill "$server" 2>/dev/null || true; rm -rf "$dir"' EXIT
export DATABASE_URL="sqlite://$dir/eko.db?mode=rwc" EKO_LISTEN="127.0.0.1:$port" \
  EKO_TRUSTED_PROXIES=127.0.0.1 EKO_MAIL_OUTBOX="$dir/outbox" RUST_LOG=error
"$bin" demo >/dev/null
valgrind --tool=callgrind --callgrind-out-file="$dir/cg.out" "$bin" serve >"$dir/valgrind.log" 2>&1 &
server=$!
base="http://127.0.0.1:$port"
for _ in $(seq 600); do curl -sf "$base/readyz" >/dev/null && break; sleep 0.2; done
cookie() {
  node --input-type=module -e "
    import { signIn, DEMO_RESIDENT, DEMO_STAFF } from '$here/server.mjs';
    console.log(await signIn('$base', '$1', ...('$1' === 'admin' ? DEMO_STAFF : DEMO_RESIDENT)));"
}
resident=$(cookie user)
staff=$(cookie admin)

count() { # path cookie
  for _ in $(seq 20); do curl -s -o /dev/null -H "Cookie: $2" "$base$1"; done # warm
  callgrind_control -z "$server" >/dev/null 2>&1
  for _ in $(seq "$requests"); do curl -s -o /dev/null -H "Cookie: $2" "$base$1"; done
  rm -f "$dir"/cg.out.*
  callgrind_control -d "$server" >/dev/null 2>&1
  local total
  total=$(awk '/^summary:/ { print $2 }' "$dir"/cg.out.*)
  printf '| %s | %s |\n' "$1" "$((total / requests))"
}
echo "| page ($requests requests, one connection) | instructions per request |"
echo "|---|---|"
count /dashboard "$resident"
count /admin "$staff"
count /healthz ""
