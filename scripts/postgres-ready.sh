#!/usr/bin/env bash
# Exit 0 when the PostgreSQL URL given as $1 accepts connections.
set -u
url="$1"
if command -v pg_isready >/dev/null 2>&1; then
  pg_isready -q -d "$url" -t 3
else
  hostport=${url#*@}; hostport=${hostport%%/*}
  timeout 3 bash -c "exec 3<>/dev/tcp/${hostport%%:*}/${hostport##*:}" 2>/dev/null
fi
