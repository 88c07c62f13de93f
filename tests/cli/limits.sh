#!/usr/bin/env bash
# Issue 19's reproducers, at sizes that run in seconds, each with the bound it
# checks (time and peak memory from /usr/bin/time; the bounds are blow-up
# guards, many times what a linear run needs even under ASan in a Debug
# build, not speed targets; the issue's full sizes are in docs/limits.md):
# 1. a syntax error followed by an over-long `scale` name (a 228-byte file
#    aborted every command): a diagnostic and exit 1, and `fmt DIR` goes on;
# 2. a compiled graph whose guard chains 20,000 `and` (40,000 `not`) nodes:
#    the loader refuses it (depth limit); a chain at the limit explains;
# 3. criterion k naming criterion k-1: 5,000 deep (the issue's 115,000-deep
#    file behaves the same, in proportion) is R0125, 1,000 deep
#    evaluates and explains with output linear in the chain;
# 4. one guard over 2,000 facts checks (verification included), and an
#    all-unknown patient over 10,000 facts evaluates in batch;
# 5. directories given as inputs are named, with exit 2.
# Usage: limits.sh RUBRIC_BINARY [BUILD_DIR]   (run from the source root)
set -u
rubric="$(cd "$(dirname "$1")" && pwd)/$(basename "$1")"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }
contains() { grep -qF -- "$2" <<<"$1" || fail "missing: $2"; }

# bounded MAX_SECONDS MAX_MB NAME CMD… — runs CMD (stdout to $tmp/out, stderr
# to $tmp/err), records its status in $status and fails past either bound.
bounded() {
  local max_s="$1" max_mb="$2" name="$3"
  shift 3
  /usr/bin/time -f '%e %M' -o "$tmp/time" "$@" >"$tmp/out" 2>"$tmp/err"
  status=$?
  local secs kb
  # The last line holds the figures (a failing command adds a line before it).
  read -r secs kb < <(tail -n 1 "$tmp/time") || { secs=0; kb=0; }
  echo "  $name: exit $status, ${secs} s, $((kb / 1024)) MB peak"
  awk -v s="$secs" -v m="$max_s" 'BEGIN { exit !(s <= m) }' || fail "$name took ${secs} s (bound ${max_s} s)"
  [ $((kb / 1024)) -le "$max_mb" ] || fail "$name peaked at $((kb / 1024)) MB (bound ${max_mb} MB)"
}

# --- 1. an exception escaping the parser's resume probe ---------------------------------
mkdir -p "$tmp/fmtdir"
python3 - "$tmp" <<'PY'
import sys
d = sys.argv[1]
src = 'guideline probe "Probe"\nlet x =\nscale ' + "a" * 201 + "\n"
open(d + "/probe.rubric", "w").write(src)
open(d + "/fmtdir/a_probe.rubric", "w").write(src)
open(d + "/fmtdir/b_later.rubric", "w").write('guideline b_later "Not formatted"\nlet x=3\n')
PY
for cmd in check compile fmt lint; do
  bounded 10 500 "$cmd probe.rubric" "$rubric" "$cmd" --color=never "$tmp/probe.rubric"
  [ "$status" -eq 1 ] || fail "$cmd on the probe file exits $status, expected 1"
  contains "$(cat "$tmp/err" "$tmp/out")" "probe.rubric:2:8: error[R0121]"
done
for cmd in eval explain; do
  bounded 10 500 "$cmd probe.rubric" "$rubric" "$cmd" "$tmp/probe.rubric" --patient guidelines/acr/cases/seed-55yo.json --color never
  [ "$status" -eq 1 ] || fail "$cmd on the probe file exits $status, expected 1"
  contains "$(cat "$tmp/err")" "probe.rubric:2:8: error[R0121]"
done
bounded 10 500 "fmt --check DIR" "$rubric" fmt --check "$tmp/fmtdir"
[ "$status" -eq 1 ] || fail "fmt --check over a folder with the probe file exits $status, expected 1"
contains "$(cat "$tmp/err" "$tmp/out")" "b_later.rubric"  # the file after the probe file is still checked

# --- 2. deep compiled graphs ---------------------------------------------------------
"$rubric" compile guidelines/acr/low_back_pain.rubric -o "$tmp/lbp.json" 2>/dev/null || fail "compile lbp"
python3 - "$tmp" <<'PY'
import json, sys
d = sys.argv[1]
base = json.load(open(d + "/lbp.json"))
def deepen(kind, n, name):
    g = json.loads(json.dumps(base))
    v = g["variants"][g["order"][0]]
    prev = v["guard"]
    for _ in range(n):
        g["nodes"].append({"kind": kind, "op": "eq", "constant": "unknown", "slot": -1, "slot2": -1, "number": 0,
                           "mask": 0, "first": len(g["children"]), "count": 1, "criterion": -1, "text": kind,
                           "at": [0, 1, 1, 1, 1]})
        g["children"].append(prev)
        prev = len(g["nodes"]) - 1
    v["guard"] = prev
    json.dump(g, open(d + "/" + name, "w"))
deepen("and", 20000, "and20000.json")
deepen("not", 40000, "not40000.json")
deepen("and", 1000, "and1000.json")
PY
for g in and20000 not40000; do
  bounded 60 1000 "explain $g" "$rubric" explain "$tmp/$g.json" --patient guidelines/acr/cases/seed-55yo.json --color never
  [ "$status" -eq 1 ] || fail "explain $g exits $status, expected 1"
  contains "$(cat "$tmp/err")" "more than the limit of 1024 (docs/limits.md)"
done
bounded 20 500 "explain and1000" "$rubric" explain "$tmp/and1000.json" --patient guidelines/acr/cases/variant4-cauda-equina.json --color never
[ "$status" -eq 0 ] || fail "explain and1000 exits $status: $(head -3 "$tmp/err")"

# --- 3. chains of criteria -----------------------------------------------------------
python3 - "$tmp" <<'PY'
import sys
d = sys.argv[1]
def chain(n, name):
    lines = ['guideline %s "Chain"' % name, "", "patient", '  flag : bool "A flag"', "",
             'criterion c0 "C0":', "  flag"]
    for k in range(1, n):
        lines += ['criterion c%d "C%d":' % (k, k), "  c%d" % (k - 1)]
    lines += ["", 'variant 1 "Chained"', "  when c%d" % (n - 1), "", 'otherwise "Not chained"', ""]
    open("%s/%s.rubric" % (d, name), "w").write("\n".join(lines))
chain(5000, "chain5000")
chain(1000, "chain1000")
open(d + "/flag.json", "w").write('{"flag": true}')
PY
echo "  chain5000.rubric: $(wc -c <"$tmp/chain5000.rubric") bytes"
bounded 60 1000 "check chain5000" "$rubric" check --color=never "$tmp/chain5000.rubric"
[ "$status" -eq 1 ] || fail "check chain5000 exits $status, expected 1"
contains "$(cat "$tmp/out" "$tmp/err")" "error[R0125]: criterion \`c1023\` nests 1025 levels deep once the criteria it uses are expanded, more than the limit of 1024"
bounded 60 1000 "eval chain5000" "$rubric" eval "$tmp/chain5000.rubric" --patient "$tmp/flag.json" --color never
[ "$status" -eq 1 ] || fail "eval chain5000 exits $status, expected 1"
bounded 20 500 "eval chain1000" "$rubric" eval "$tmp/chain1000.rubric" --patient "$tmp/flag.json" --color never
[ "$status" -eq 0 ] || fail "eval chain1000 exits $status: $(head -3 "$tmp/err")"
contains "$(cat "$tmp/out")" "matched: variant 1"
bounded 20 500 "explain chain1000" "$rubric" explain "$tmp/chain1000.rubric" --patient "$tmp/flag.json" --color never
[ "$status" -eq 0 ] || fail "explain chain1000 exits $status: $(head -3 "$tmp/err")"
# Linear: a line and a detail line per criterion, indentation capped at 16
# levels, where the quadratic wrote megabytes.
size=$(wc -c <"$tmp/out")
echo "  explain chain1000 wrote $size bytes"
[ "$size" -lt 1000000 ] || fail "explain chain1000 wrote $size bytes (bound 1 MB)"

# --- 4. many facts -------------------------------------------------------------------
python3 - "$tmp" <<'PY'
import sys
d = sys.argv[1]
def wide(n, name):
    lines = ['guideline %s "Wide"' % name, "", "patient"] + ['  f%d : bool "F%d"' % (i, i) for i in range(n)]
    lines += ["", 'variant 1 "All"', "  when " + " and ".join("f%d" % i for i in range(n)), "", 'otherwise "Not all"', ""]
    open("%s/%s.rubric" % (d, name), "w").write("\n".join(lines))
wide(2000, "wide2000")
wide(10000, "wide10000")
open(d + "/unknown.ndjson", "w").write("{}\n" * 20)
PY
bounded 120 1500 "check wide2000" "$rubric" check --color=never "$tmp/wide2000.rubric"
[ "$status" -eq 0 ] || fail "check wide2000 exits $status: $(head -3 "$tmp/err" "$tmp/out")"
bounded 60 1500 "compile --no-verify wide10000" "$rubric" compile --no-verify "$tmp/wide10000.rubric" -o "$tmp/wide10000.json"
[ "$status" -eq 0 ] || fail "compile wide10000 exits $status"
bounded 30 1000 "eval 20 unknown patients over 10,000 facts" \
  "$rubric" eval "$tmp/wide10000.json" --patients "$tmp/unknown.ndjson" --format ndjson --no-progress
[ "$status" -eq 0 ] || fail "batch over wide10000 exits $status"
[ "$(wc -l <"$tmp/out")" -eq 20 ] || fail "batch over wide10000: $(wc -l <"$tmp/out") lines out, expected 20"
contains "$(head -1 "$tmp/out")" '"status":"undetermined"'
contains "$(head -1 "$tmp/out")" '"f9999"'

# --- 5. directories as inputs ----------------------------------------------------------
mkdir -p "$tmp/dir.rubric" "$tmp/patients"
for args in "eval $tmp/patients --patient guidelines/acr/cases/seed-55yo.json" \
            "eval $tmp/dir.rubric --patient guidelines/acr/cases/seed-55yo.json" \
            "eval guidelines/acr/low_back_pain.rubric --patient $tmp/patients" \
            "eval guidelines/acr/low_back_pain.rubric --patients $tmp/patients --format ndjson" \
            "explain guidelines/acr/low_back_pain.rubric --patient $tmp/patients"; do
  # shellcheck disable=SC2086
  err=$("$rubric" $args 2>&1 >/dev/null)
  st=$?
  [ "$st" -eq 2 ] || fail "rubric $args exits $st, expected 2"
  grep -qF "is a directory; give a file" <<<"$err" || fail "rubric $args: no message naming the folder: $err"
  grep -qF "$tmp/" <<<"$err" || fail "rubric $args: the message does not name the folder: $err"
done

if [ $failures -ne 0 ]; then echo "$failures failure(s)"; exit 1; fi
echo "limits: all checks passed"
