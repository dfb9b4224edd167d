#!/usr/bin/env bash
# Throughput and latency of infraval against a minimal actix-web baseline.
#
# Builds both in release mode, pins each server to core 0 and wrk to core 1,
# and drives them in turn (A B A B …, ROUNDS rounds) on loopback with bounded
# time and connections. Prints req/s, p50 and p99 per target and round, then
# the medians and the ratio of each infraval endpoint to the baseline.
#
# With a second infraval binary (an earlier build), its heavy endpoints are
# driven in the same rounds, and the medians compare each with it.
#
#   bench/run.sh                 # 3 rounds of 10 s at 64 connections
#   ROUNDS=5 DURATION=20s bench/run.sh
#   bench/run.sh /path/to/earlier/infraval
#
# Needs wrk (Debian: apt-get install wrk) and taskset (util-linux).
set -euo pipefail
cd "$(dirname "$0")/.."

ROUNDS=${ROUNDS:-3}
DURATION=${DURATION:-10s}
CONNECTIONS=${CONNECTIONS:-64}
WARMUP=${WARMUP:-3s}
INFRAVAL_PORT=${INFRAVAL_PORT:-18480}
BASELINE_PORT=${BASELINE_PORT:-18490}
BEFORE_PORT=${BEFORE_PORT:-18470}
BEFORE=${1:-}
OUT=${OUT:-$(mktemp -d)}

command -v wrk >/dev/null || { echo "wrk is needed: apt-get install wrk" >&2; exit 1; }
cargo build --release -q -p infraval-server -p infraval-bench-baseline
target=${CARGO_TARGET_DIR:-target}/release

# A server left running on either port would be measured instead.
for port in "$INFRAVAL_PORT" "$BASELINE_PORT" ${BEFORE:+"$BEFORE_PORT"}; do
  if (echo > "/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
    echo "port $port is already in use; stop what listens there first" >&2
    exit 1
  fi
done

# The server's default configuration, request logging included, to a file.
INFRAVAL_LOG_FORMAT=json taskset -c 0 "$target/infraval" serve --addr "127.0.0.1:$INFRAVAL_PORT" \
  > "$OUT/infraval.log" 2>&1 &
infraval_pid=$!
taskset -c 0 "$target/infraval-bench-baseline" "127.0.0.1:$BASELINE_PORT" > "$OUT/baseline.log" 2>&1 &
baseline_pid=$!
pids="$infraval_pid $baseline_pid"
if [ -n "$BEFORE" ]; then
  INFRAVAL_LOG_FORMAT=json taskset -c 0 "$BEFORE" serve --addr "127.0.0.1:$BEFORE_PORT" \
    > "$OUT/before.log" 2>&1 &
  pids="$pids $!"
fi
trap 'kill $pids 2>/dev/null || true' EXIT
sleep 1
for pid in $pids; do
  kill -0 "$pid" 2>/dev/null || { echo "a server failed to start: see $OUT/*.log" >&2; exit 1; }
done

# name|port|path|body file
targets=(
  "baseline|$BASELINE_PORT|/compute|bench/bodies/baseline.json"
  "arr|$INFRAVAL_PORT|/v1/colocation/arr|bench/bodies/arr.json"
  "convertible_price_1000|$INFRAVAL_PORT|/v1/convertibles/price|bench/bodies/convertible_price.json"
  "project_20y|$INFRAVAL_PORT|/v1/colocation/project|bench/bodies/project.json"
  "sum_of_parts|$INFRAVAL_PORT|/v1/valuations/sum-of-parts|bench/bodies/sum_of_parts.json"
)
if [ -n "$BEFORE" ]; then
  targets+=(
    "before_arr|$BEFORE_PORT|/v1/colocation/arr|bench/bodies/arr.json"
    "before_price_1000|$BEFORE_PORT|/v1/convertibles/price|bench/bodies/convertible_price.json"
    "before_project_20y|$BEFORE_PORT|/v1/colocation/project|bench/bodies/project.json"
    "before_sum_of_parts|$BEFORE_PORT|/v1/valuations/sum-of-parts|bench/bodies/sum_of_parts.json"
  )
fi

lua() { # body file -> wrk script
  printf 'wrk.method = "POST"\nwrk.headers["Content-Type"] = "application/json"\nwrk.body = [[%s]]\n' "$(cat "$1")" > "$2"
}

ms() { # wrk latency ("1.23ms", "850.00us", "1.02s") -> milliseconds
  awk -v v="$1" 'BEGIN { n = v + 0; if (v ~ /us$/) n /= 1000; else if (v ~ /ms$/) n = n; else if (v ~ /s$/) n *= 1000; printf "%.3f", n }'
}

declare -A usable
for t in "${targets[@]}"; do
  IFS='|' read -r name port path body <<< "$t"
  [ -f "$body" ] || { echo "skip $name: no $body"; continue; }
  lua "$body" "$OUT/$name.lua"
  code=$(curl -s -o /dev/null -w '%{http_code}' -H 'content-type: application/json' --data @"$body" "http://127.0.0.1:$port$path")
  if [ "$code" != 200 ]; then echo "skip $name: answered $code"; continue; fi
  usable[$name]=1
  taskset -c 1 wrk -t1 -c"$CONNECTIONS" -d"$WARMUP" -s "$OUT/$name.lua" "http://127.0.0.1:$port$path" > /dev/null
done

printf '%-24s %5s %12s %10s %10s %8s\n' target round req_per_s p50_ms p99_ms non2xx
for round in $(seq "$ROUNDS"); do
  for t in "${targets[@]}"; do
    IFS='|' read -r name port path body <<< "$t"
    [ -n "${usable[$name]:-}" ] || continue
    report=$(taskset -c 1 wrk -t1 -c"$CONNECTIONS" -d"$DURATION" --latency -s "$OUT/$name.lua" "http://127.0.0.1:$port$path")
    rps=$(awk '/^Requests\/sec/ {print $2}' <<< "$report")
    p50=$(ms "$(awk '$1 == "50%" {print $2}' <<< "$report")")
    p99=$(ms "$(awk '$1 == "99%" {print $2}' <<< "$report")")
    bad=$(awk '/Non-2xx/ {print $NF}' <<< "$report"); bad=${bad:-0}
    printf '%-24s %5s %12s %10s %10s %8s\n' "$name" "$round" "$rps" "$p50" "$p99" "$bad" | tee -a "$OUT/rounds.txt"
  done
done

echo
echo "medians over $ROUNDS rounds ($DURATION each, $CONNECTIONS connections, server on core 0, wrk on core 1):"
median() { sort -n | awk '{ a[NR] = $1 } END { if (NR % 2) print a[(NR + 1) / 2]; else print (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }
base=$(awk '$1 == "baseline" {print $3}' "$OUT/rounds.txt" | median)
# The earlier build's target for each endpoint, for the now/before column.
declare -A before_of=(
  [arr]=before_arr [convertible_price_1000]=before_price_1000
  [project_20y]=before_project_20y [sum_of_parts]=before_sum_of_parts
)
printf '%-24s %12s %10s %10s %8s %11s\n' target req_per_s p50_ms p99_ms ratio now/before
for t in "${targets[@]}"; do
  IFS='|' read -r name _ <<< "$t"
  [ -n "${usable[$name]:-}" ] || continue
  rps=$(awk -v n="$name" '$1 == n {print $3}' "$OUT/rounds.txt" | median)
  p50=$(awk -v n="$name" '$1 == n {print $4}' "$OUT/rounds.txt" | median)
  p99=$(awk -v n="$name" '$1 == n {print $5}' "$OUT/rounds.txt" | median)
  vs=-
  b=${before_of[$name]:-}
  if [ -n "$b" ] && [ -n "${usable[$b]:-}" ]; then
    was=$(awk -v n="$b" '$1 == n {print $3}' "$OUT/rounds.txt" | median)
    vs=$(awk -v a="$rps" -v b="$was" 'BEGIN { printf "%.3f", a / b }')
  fi
  printf '%-24s %12.0f %10.3f %10.3f %8.3f %11s\n' "$name" "$rps" "$p50" "$p99" "$(awk -v a="$rps" -v b="$base" 'BEGIN { print a / b }')" "$vs"
done
echo "logs and raw rounds: $OUT"
