#!/usr/bin/env bash
# Load and fault test of the tested deployment (docs/serve.md, "Deployment
# behind nginx"): nginx with deploy/nginx.conf (unprivileged, its own prefix
# in a temp folder) in front of two `rubric serve` replicas on 127.0.0.1,
# driven by wrk with realistic order-select calls, one signed ES384 token per
# call. Three phases, each LOAD_SECONDS long (4 by default) with at most
# LOAD_TOKENS calls (8000: one token each):
#   steady  — plain load;
#   reload  — both replicas get SIGHUP (catalog reload) twice mid-run;
#   kill    — one replica gets SIGKILL mid-run (nginx proxy_next_upstream).
# Each must end with every order-select answered 2xx and no socket error,
# and the fault must land while wrk runs; p50/p99 are printed. Everything
# started here is stopped on exit. The kill phase passes because replicas
# send each answer whole or not at all (docs/serve.md, "A replica killed
# mid-answer"): nginx retries a call only while nothing of its answer came.
# Usage: tests/load/run.sh RUBRIC_BINARY   (from the project root; exit 77: skipped)
set -uo pipefail
rubric="$(cd "$(dirname "$1")" && pwd)/$(basename "$1")"
root=$(pwd)
requests=${LOAD_TOKENS:-8000}
seconds=${LOAD_SECONDS:-4}
for tool in nginx wrk node npm curl; do
  if ! command -v "$tool" >/dev/null 2>&1; then
    echo "SKIP load: $tool is not installed (scripts/setup-deps.sh installs it)"
    exit 77
  fi
done

tmp=$(mktemp -d /tmp/rubric-load.XXXXXX)
chmod 755 "$tmp"
pids=()
nginx_prefix="$tmp/nginx"
cleanup() {
  [ -f "$nginx_prefix/logs/nginx.pid" ] && kill -QUIT "$(cat "$nginx_prefix/logs/nginx.pid")" 2>/dev/null
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null; done
  sleep 0.5
  for pid in "${pids[@]}"; do kill -KILL "$pid" 2>/dev/null; done
  [ -f "$nginx_prefix/logs/nginx.pid" ] && kill -KILL "$(cat "$nginx_prefix/logs/nginx.pid")" 2>/dev/null
  wait 2>/dev/null
  if [ -n "${LOAD_KEEP:-}" ]; then echo "load: kept $tmp"; else rm -rf "$tmp"; fi
}
trap cleanup EXIT
fail() { echo "FAIL load: $*" >&2; exit 1; }

# The pinned jose (tests/serve_security/package-lock.json) signs the tokens.
node_dir="$root/tests/serve_security"
if [ ! -d "$node_dir/node_modules/jose" ]; then
  (cd "$node_dir" && npm ci --no-audit --no-fund --loglevel=error >/dev/null) ||
    { sleep 2; (cd "$node_dir" && npm ci --no-audit --no-fund --loglevel=error >/dev/null); } ||
    fail "npm ci could not install jose"
fi

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
front=$(free_port); port1=$(free_port); port2=$(free_port)
public="http://127.0.0.1:$front"
issuer="https://ehr.load.test"
hook_path="/cds-services/order-select"
node "$node_dir/tokens.mjs" keys "$tmp/keys" "$issuer" || fail "cannot make keys"
# Every phase's tokens are signed in the background while the replicas start
# and the earlier phases run (a token lives 4 minutes): signing is the
# slowest step on a loaded machine. Each file appears whole (mv) or not at all.
(for phase in steady reload kill; do
   node "$node_dir/tokens.mjs" sign "$tmp/keys" "$issuer" "$public$hook_path" "$requests" "$tmp/$phase.part" &&
     mv "$tmp/$phase.part" "$tmp/$phase.tokens" || { echo "cannot sign the $phase tokens" > "$tmp/sign.failed"; exit 1; }
 done) &
pids+=($!)

start_replica() {  # NAME PORT
  "$rubric" serve --catalog guidelines/acr --listen "127.0.0.1:$2" --threads 32 --auth-config "$tmp/keys/auth.json" \
    --public-url "$public" --feedback-db "$tmp/feedback.sqlite" --log "$tmp/$1.log" 2>"$tmp/$1.err" &
  pids+=($!)
  eval "pid_$1=$!"
}
start_replica r1 "$port1"
start_replica r2 "$port2"
for port in "$port1" "$port2"; do
  # Up to 60 s: a sanitizer build compiles the catalog slowly.
  for _ in $(seq 600); do curl -sf "http://127.0.0.1:$port/readyz" >/dev/null && break; sleep 0.1; done
  curl -sf "http://127.0.0.1:$port/readyz" >/dev/null || { cat "$tmp"/*.err >&2; fail "replica on $port not ready"; }
done

mkdir -p "$nginx_prefix/logs" "$nginx_prefix/tmp"
sed -e "s/127\.0\.0\.1:8080/127.0.0.1:$front/; s/127\.0\.0\.1:8081/127.0.0.1:$port1/; s/127\.0\.0\.1:8082/127.0.0.1:$port2/" \
  deploy/nginx.conf > "$nginx_prefix/nginx.conf"
grep -q "127.0.0.1:$port2" "$nginx_prefix/nginx.conf" || fail "deploy/nginx.conf no longer has the ports 8080/8081/8082"
as_user=()
if [ "$(id -u)" -eq 0 ]; then  # never run nginx as root: drop to nobody
  chown -R nobody:nogroup "$nginx_prefix"
  as_user=(setpriv --reuid=nobody --regid=nogroup --clear-groups)
fi
"${as_user[@]}" nginx -p "$nginx_prefix" -c "$nginx_prefix/nginx.conf" -e "$nginx_prefix/logs/error.log" ||
  fail "nginx did not start: $(cat "$nginx_prefix/logs/error.log")"
for _ in $(seq 50); do curl -sf "$public/readyz" >/dev/null && break; sleep 0.1; done
curl -sf "$public/readyz" >/dev/null || fail "nginx does not reach the replicas"

answered_by() { grep -c '"event":"hook"' "$tmp/$1.log" 2>/dev/null || true; }

# run_phase NAME ACTION: signs the phase's tokens, runs wrk, runs ACTION
# meanwhile, and checks wrk's summary line.
run_phase() {
  local name=$1 action=$2
  for _ in $(seq 1200); do [ -f "$tmp/$name.tokens" ] || [ -f "$tmp/sign.failed" ] && break; sleep 0.1; done
  [ -f "$tmp/$name.tokens" ] || fail "$name: tokens not signed: $(cat "$tmp/sign.failed" 2>/dev/null || echo 'still signing after 120 s')"
  RUBRIC_LOAD_TOKENS="$tmp/$name.tokens" RUBRIC_LOAD_BODY="$root/tests/load/order_select.json" \
  RUBRIC_LOAD_PATH="$hook_path" RUBRIC_LOAD_THREADS=2 \
    timeout 60 wrk -t2 -c16 -d${seconds}s --timeout 5s -s tests/load/order_select.lua "$public" >"$tmp/$name.wrk" 2>&1 &
  local wrk_pid=$!
  $action
  kill -0 "$wrk_pid" 2>/dev/null || fail "$name: the load ended before the fault was injected"
  wait "$wrk_pid" || fail "$name: wrk failed: $(cat "$tmp/$name.wrk")"
  local line
  line=$(grep '^{"order_select"' "$tmp/$name.wrk") || fail "$name: no summary from wrk: $(cat "$tmp/$name.wrk")"
  echo "load $name: $line"
  python3 - "$name" "$requests" "$line" <<'PY' || exit 1
import json, sys
name, expected, s = sys.argv[1], int(sys.argv[2]), json.loads(sys.argv[3])
problems = []
if s["order_select"] < 100: problems.append(f"only {s['order_select']} order-select calls answered")
if s["non_2xx"]: problems.append(f"{s['non_2xx']} non-2xx answers (for example {s['example_bad']})")
if s["socket_errors"]: problems.append(f"{s['socket_errors']} socket errors")
if problems: sys.exit(f"FAIL load {name}: " + "; ".join(problems))
print(f"load {name}: {s['order_select']} order-select calls in {s['seconds']:.1f} s, 0 failed; "
      f"p50 {s['p50_ms']:.2f} ms, p99 {s['p99_ms']:.2f} ms, {s['rps']:.0f}/s")
if s["health_fillers"]:
    print(f"load {name}: note: the {expected} tokens ran out; {s['health_fillers']} health checks filled the rest")
PY
}

# Waits until replica NAME has answered at least N calls in all, but at most
# about a third of a phase: on a machine busy with other tests the calls come
# slowly, and the fault must still land while wrk runs (twice in a phase).
wait_answers() {
  local deadline=$(( $(date +%s%N) + seconds * 300000000 ))
  while [ "$(date +%s%N)" -lt "$deadline" ]; do [ "$(answered_by "$1")" -ge "$2" ] && return 0; sleep 0.02; done
}

no_action() { :; }
reload_both() {
  wait_answers r1 $(( $(answered_by r1) + 100 ))
  kill -HUP "$pid_r1" "$pid_r2"
  wait_answers r1 $(( $(answered_by r1) + 100 ))
  kill -HUP "$pid_r1" "$pid_r2"
}
kill_one() {
  wait_answers r1 $(( $(answered_by r1) + 100 ))
  kill -KILL "$pid_r1"
  killed_at=$(answered_by r2)
}

run_phase steady no_action
run_phase reload reload_both
reloads=$(grep -c '"event":"reload"' "$tmp/r1.log" || true)
[ "$reloads" -ge 2 ] || fail "replica r1 logged $reloads reloads, expected 2"
run_phase kill kill_one
[ "$(answered_by r2)" -gt "${killed_at:-0}" ] || fail "replica r2 answered nothing after r1 was killed"
echo "load: 3 phases passed (nginx + 2 replicas, ${seconds} s each)"
