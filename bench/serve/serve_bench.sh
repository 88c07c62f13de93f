#!/usr/bin/env bash
# Speed of `rubric serve` (issue 15 §7), a benchmark and not a test: in the
# same run, wrk drives order-select calls at 64 connections against
#   1. serve_http_baseline: a bare cpp-httplib endpoint with a fixed body;
#   2. `rubric serve --insecure-no-auth`: the hook alone, no JWT;
#   3. `rubric serve` with RS384 (RSA 2048) client tokens;
#   4. `rubric serve` with ES384 (P-384) client tokens (the CDS Hooks default);
# each for BENCH_SECONDS (10), one fresh signed token per call (the service
# refuses replays), and prints requests/s, p50 and p99, the ratio to the
# baseline, and each server's CPU time (user + system) per answered call.
# Both servers get one worker thread per connection (cpp-httplib serves a
# connection on one thread until it closes). Tokens are signed before the
# clock starts (node + jose; RS384 signing costs ~1 ms of CPU a token).
# Goal: service throughput at least half the baseline's, p99 under 10 ms
# ("goal" column: met when both hold and every call was answered 2xx).
# Usage: bench/serve/serve_bench.sh [BUILD_DIR]   (from the project root)
set -uo pipefail
build=$(cd "${1:-build}" && pwd)
root=$(pwd)
seconds=${BENCH_SECONDS:-10}
connections=${BENCH_CONNECTIONS:-64}
# Tokens per service run: more than it can answer in BENCH_SECONDS.
es_tokens=${BENCH_ES384_TOKENS:-30000}
rs_tokens=${BENCH_RS384_TOKENS:-120000}
node_dir="$root/tests/serve_security"
[ -d "$node_dir/node_modules/jose" ] || (cd "$node_dir" && npm ci --no-audit --no-fund --loglevel=error >/dev/null)

tmp=$(mktemp -d /tmp/rubric-bench.XXXXXX)
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null; done
  wait 2>/dev/null
  rm -rf "$tmp"
}
trap cleanup EXIT
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
wait_up() { for _ in $(seq 100); do curl -s -o /dev/null "http://127.0.0.1:$1/" && return 0; sleep 0.1; done; return 1; }

# cpu_ms PID: user + system CPU time the process has used so far, in ms.
cpu_ms() { awk -v hz="$(getconf CLK_TCK)" '{ print ($14 + $15) * 1000 / hz }' "/proc/$1/stat"; }

# drive NAME PORT TOKENS PID: one wrk run; prints its summary line with the
# server's CPU time per answered call.
drive() {
  local before after line
  before=$(cpu_ms "$4")
  line=$(RUBRIC_LOAD_TOKENS="$3" RUBRIC_LOAD_BODY="$root/tests/load/order_select.json" \
    RUBRIC_LOAD_PATH=/cds-services/order-select RUBRIC_LOAD_THREADS=2 \
    wrk -t2 -c"$connections" -d"${seconds}s" --timeout 5s -s "$root/tests/load/order_select.lua" \
    "http://127.0.0.1:$2" | grep '^{"order_select"')
  after=$(cpu_ms "$4")
  echo "$line" | sed "s/^{/{\"name\":\"$1\",\"server_cpu_ms\":$(echo "$after - $before" | bc),/"
}

baseline_port=$(free_port)
"$build/bench/serve_http_baseline" "$baseline_port" "$connections" & pids+=($!)
wait_up "$baseline_port"
yes x | head -n 2000000 > "$tmp/none.tokens"  # read by no one: enough for any rate
load_before=$(cut -d' ' -f1-3 /proc/loadavg)
results=$(drive baseline "$baseline_port" "$tmp/none.tokens" "${pids[-1]}")
kill -TERM "${pids[-1]}"

# serve NAME PORT TOKENS ARGS...: one `rubric serve` run.
serve() {
  local name=$1 port=$2 tokens_file=$3
  shift 3
  "$build/rubric" serve --catalog guidelines/acr --listen "127.0.0.1:$port" --threads "$connections" \
    --feedback-db "$tmp/feedback.sqlite" --log /dev/null "$@" & pids+=($!)
  wait_up "$port"
  results+=$'\n'$(drive "$name" "$port" "$tokens_file" "${pids[-1]}")
  kill -TERM "${pids[-1]}"
}

port=$(free_port)
serve service-no-auth "$port" "$tmp/none.tokens" --insecure-no-auth
for alg in RS384 ES384; do
  port=$(free_port)
  count=$rs_tokens
  [ "$alg" = ES384 ] && count=$es_tokens
  node "$node_dir/tokens.mjs" keys "$tmp/$alg" https://ehr.bench.test "$alg"
  node "$node_dir/tokens.mjs" sign "$tmp/$alg" https://ehr.bench.test \
    "http://127.0.0.1:$port/cds-services/order-select" "$count" "$tmp/$alg.tokens"
  serve "service-$alg" "$port" "$tmp/$alg.tokens" --auth-config "$tmp/$alg/auth.json"
done
load_after=$(cut -d' ' -f1-3 /proc/loadavg)

python3 - "$connections" "$seconds" "$load_before" "$load_after" <<PY
import json, sys
rows = [json.loads(l) for l in """$results""".splitlines() if l.strip()]
base = rows[0]
print(f"order-select at {sys.argv[1]} connections, {sys.argv[2]} s each (wrk -t2; 2-core machine, shared with wrk)")
print(f"load average (1, 5, 15 min) before: {sys.argv[3]}, after: {sys.argv[4]}")
print(f"{'endpoint':<17}{'req/s':>9}{'p50 ms':>9}{'p99 ms':>9}{'non-2xx':>9}{'vs base':>9}{'CPU us/call':>13}  goal")
for r in rows:
    note = " (tokens ran out)" if r["health_fillers"] else ""
    ratio = r["rps"] / base["rps"]
    cpu = r["server_cpu_ms"] * 1000 / max(r["order_select"], 1)
    goal = "-" if r is base else ("met" if ratio >= 0.5 and r["p99_ms"] < 10 and r["non_2xx"] == 0 else "not met")
    print(f"{r['name']:<17}{r['rps']:>9.0f}{r['p50_ms']:>9.2f}{r['p99_ms']:>9.2f}{r['non_2xx']:>9}{ratio:>9.2f}{cpu:>13.0f}  {goal}{note}")
PY
