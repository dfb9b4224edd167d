#!/usr/bin/env bash
# Instructions per request of a server under callgrind: exact and repeatable,
# unlike timings on a shared machine. One worker, 2 connections, 5 s after a
# 1 s warm-up; the counters are zeroed after start-up.
#
# Usage: bench/callgrind_per_request.sh URL_PATH BODY_FILE -- SERVER_COMMAND...
#   bench/callgrind_per_request.sh /v1/colocation/arr bench/bodies/arr.json -- \
#     target/release/infraval serve --addr 127.0.0.1:18610 --workers 1
#   bench/callgrind_per_request.sh /compute bench/bodies/baseline.json -- \
#     target/release/infraval-bench-baseline 127.0.0.1:18610
# The server must listen on 127.0.0.1:18610. Needs valgrind and wrk (Debian).
set -euo pipefail
path=$1 body=$2
shift 3
out=$(mktemp -d)
printf 'wrk.method = "POST"\nwrk.headers["Content-Type"] = "application/json"\nwrk.body = [[%s]]\n' "$(cat "$body")" > "$out/body.lua"
INFRAVAL_LOG_FORMAT=json valgrind --tool=callgrind ${CG_OPTS:-} --callgrind-out-file="$out/cg.out" "$@" > "$out/server.log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null || true' EXIT
sleep 7
wrk -t1 -c2 -d1s -s "$out/body.lua" "http://127.0.0.1:18610$path" > /dev/null
callgrind_control -z "$server" > /dev/null 2>&1
served=$(wrk -t1 -c2 -d5s -s "$out/body.lua" "http://127.0.0.1:18610$path" | awk '/requests in/ {print $1}')
callgrind_control -d "$server" > /dev/null 2>&1
sleep 1
total=$(callgrind_annotate "$out/cg.out.1" 2>/dev/null | awk '/PROGRAM TOTALS/ {gsub(",", "", $1); print $1}')
echo "$served requests, $((total / served)) instructions per request (profile: $out/cg.out.1)"
