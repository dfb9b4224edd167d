#!/usr/bin/env bash
# Soak: SOAK (60 s) at 64 connections on the ARR endpoint after a warm-up;
# reports non-2xx responses and the server's RSS growth from the end of the
# warm-up. Server on core 0, wrk on core 1.
set -euo pipefail
cd "$(dirname "$0")/.."
SOAK=${SOAK:-60s}
PORT=${PORT:-18580}
OUT=${OUT:-$(mktemp -d)}
cargo build --release -q -p infraval-server
target=${CARGO_TARGET_DIR:-target}/release
INFRAVAL_LOG_FORMAT=json taskset -c 0 "$target/infraval" serve --addr "127.0.0.1:$PORT" > "$OUT/infraval.log" 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null || true' EXIT
sleep 1
printf 'wrk.method = "POST"\nwrk.headers["Content-Type"] = "application/json"\nwrk.body = [[%s]]\n' "$(cat bench/bodies/arr.json)" > "$OUT/arr.lua"
taskset -c 1 wrk -t1 -c64 -d10s -s "$OUT/arr.lua" "http://127.0.0.1:$PORT/v1/colocation/arr" > /dev/null
rss_warm=$(awk '/VmRSS/ {print $2}' /proc/$pid/status)
report=$(taskset -c 1 wrk -t1 -c64 -d"$SOAK" --latency -s "$OUT/arr.lua" "http://127.0.0.1:$PORT/v1/colocation/arr")
rss_end=$(awk '/VmRSS/ {print $2}' /proc/$pid/status)
echo "$report"
bad=$(awk '/Non-2xx/ {print $NF}' <<< "$report"); bad=${bad:-0}
errors=$(awk '/Socket errors/' <<< "$report")
echo "non-2xx responses: $bad ${errors:+($errors)}"
awk -v a="$rss_warm" -v b="$rss_end" 'BEGIN { printf "RSS after warm-up %d KiB, after soak %d KiB, growth %.1f%%\n", a, b, (b - a) * 100 / a }'
