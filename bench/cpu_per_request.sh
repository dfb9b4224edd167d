#!/usr/bin/env bash
# Server CPU time per request under load: steadier than req/s on a shared machine.
#
# Reads the server's utime+stime from /proc/PID/stat around a wrk run on core 1
# and divides by the requests served. Start the server pinned first, e.g.
#   INFRAVAL_LOG_FORMAT=json taskset -c 0 target/release/infraval serve --addr 127.0.0.1:18480 > /tmp/log &
#   bench/cpu_per_request.sh $! http://127.0.0.1:18480/v1/colocation/arr bench/bodies/arr.json
#
# Usage: bench/cpu_per_request.sh PID URL BODY_FILE [SECONDS] [CONNECTIONS]
set -euo pipefail
pid=$1 url=$2 body=$3 seconds=${4:-5} connections=${5:-64}
lua=$(mktemp)
trap 'rm -f "$lua"' EXIT
printf 'wrk.method = "POST"\nwrk.headers["Content-Type"] = "application/json"\nwrk.body = [[%s]]\n' "$(cat "$body")" > "$lua"
ticks() { awk '{print $14, $15}' "/proc/$pid/stat"; }
hz=$(getconf CLK_TCK)
before=$(ticks)
served=$(taskset -c 1 wrk -t1 -c"$connections" -d"${seconds}s" -s "$lua" "$url" | awk '/requests in/ {print $1}')
after=$(ticks)
echo "$before $after $served $seconds $hz" | awk '{
  user = ($3 - $1) / $7 * 1e6 / $5; sys = ($4 - $2) / $7 * 1e6 / $5
  printf "user %.1f us  sys %.1f us  total %.1f us per request  (%.0f req/s)\n", user, sys, user + sys, $5 / $6 }'
