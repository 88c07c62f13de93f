#!/usr/bin/env bash
# Speed of `rubric serve` (issue 15 §7), a benchmark and not a test: in the
# same run, wrk drives order-select calls at 64 connections against
#   1. serve_http_baseline: a bare cpp-httplib endpoint with a fixed body;
#   2. `rubric serve` with ES384 client tokens (the CDS Hooks default);
#   3. `rubric serve` with RS384 (RSA 2048) client tokens;
# each for BENCH_SECONDS (10), one fresh signed token per call (the service
# refuses replays), and prints requests/s, p50 and p99, and the ratios.
# Both servers get one worker thread per connection (cpp-httplib serves a
# connection on one thread until it closes).
# Goal: service throughput at least half the baseline's, p99 under 10 ms.
# Usage: bench/serve/serve_bench.sh [BUILD_DIR]   (from the project root)
set -uo pipefail
build=$(cd "${1:-build}" && pwd)
root=$(pwd)
seconds=${BENCH_SECONDS:-10}
connections=${BENCH_CONNECTIONS:-64}
tokens=${BENCH_TOKENS:-60000}  # per service run: more than it can answer in BENCH_SECONDS
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

# drive NAME PORT TOKENS: one wrk run; prints its summary line.
drive() {
  RUBRIC_LOAD_TOKENS="$3" RUBRIC_LOAD_BODY="$root/tests/load/order_select.json" \
  RUBRIC_LOAD_PATH=/cds-services/order-select RUBRIC_LOAD_THREADS=2 \
    wrk -t2 -c"$connections" -d"${seconds}s" --timeout 5s -s "$root/tests/load/order_select.lua" \
    "http://127.0.0.1:$2" | grep '^{"order_select"' | sed "s/^{/{\"name\":\"$1\",/"
}

baseline_port=$(free_port)
"$build/bench/serve_http_baseline" "$baseline_port" "$connections" & pids+=($!)
wait_up "$baseline_port"
yes x | head -n $((tokens * 20)) > "$tmp/none.tokens"  # the baseline reads no token; it is faster
results=$(drive baseline "$baseline_port" "$tmp/none.tokens")

for alg in ES384 RS384; do
  port=$(free_port)
  node "$node_dir/tokens.mjs" keys "$tmp/$alg" https://ehr.bench.test "$alg"
  node "$node_dir/tokens.mjs" sign "$tmp/$alg" https://ehr.bench.test \
    "http://127.0.0.1:$port/cds-services/order-select" "$tokens" "$tmp/$alg.tokens"
  "$build/rubric" serve --catalog guidelines/acr --listen "127.0.0.1:$port" --threads "$connections" \
    --auth-config "$tmp/$alg/auth.json" \
    --feedback-db "$tmp/feedback.sqlite" --log /dev/null & pids+=($!)
  wait_up "$port"
  results+=$'\n'$(drive "service-$alg" "$port" "$tmp/$alg.tokens")
  kill -TERM "${pids[-1]}"
done

python3 - "$connections" "$seconds" <<PY
import json, sys
rows = [json.loads(l) for l in """$results""".splitlines() if l.strip()]
base = rows[0]
print(f"order-select at {sys.argv[1]} connections, {sys.argv[2]} s each (wrk -t2; 2-core machine, shared with wrk)")
print(f"{'endpoint':<16}{'req/s':>10}{'p50 ms':>10}{'p99 ms':>10}{'non-2xx':>9}{'vs base':>9}")
for r in rows:
    note = " (tokens ran out)" if r["health_fillers"] else ""
    print(f"{r['name']:<16}{r['rps']:>10.0f}{r['p50_ms']:>10.2f}{r['p99_ms']:>10.2f}{r['non_2xx']:>9}{r['rps'] / base['rps']:>9.2f}{note}")
PY
