#!/usr/bin/env bash
# `rubric compile`: writes versioned graph JSON for a guideline, checks a
# library without writing, reports errors with exit 1 and no output, exit 2 on
# usage errors, and prints stable dumps after each pass.
# Usage: compile_graph.sh RUBRIC_BINARY BUILD_DIR   (run from the source tree)
set -u
rubric="$1"
out="${2:-/tmp}/compile_graph_test"
rm -rf "$out" && mkdir -p "$out"
failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }

# A guideline compiles to JSON that starts with the format name and version.
"$rubric" compile guidelines/acr/low_back_pain.rubric -o "$out/lbp.json" 2>"$out/err.txt"
[ $? -eq 0 ] || fail "low_back_pain should compile: $(cat "$out/err.txt")"
grep -q '"rubric.decision-graph"' "$out/lbp.json" || fail "graph JSON lacks the format name"
grep -q '"version": 4' "$out/lbp.json" || fail "graph JSON lacks the version"
[ "$(grep -c '"procedure":' "$out/lbp.json")" -ge 77 ] || fail "graph JSON should hold 77 ratings"

# The runtime-only test binary loads a graph compiled from the real guideline;
# it must be what the compiler produces today.
fixture=tests/runtime_only/data/low_back_pain.graph.json
if [ -f "$fixture" ] && ! cmp -s "$out/lbp.json" "$fixture"; then
  fail "$fixture is stale: regenerate it with \`rubric compile guidelines/acr/low_back_pain.rubric -o $fixture\`"
fi

# Without -o the graph goes to stdout.
"$rubric" compile guidelines/acr/low_back_pain.rubric --no-verify >"$out/stdout.json" 2>/dev/null || fail "compile to stdout"
cmp -s "$out/lbp.json" "$out/stdout.json" || true  # --no-verify keeps the guard-only requires_facts
grep -q '"rubric.decision-graph"' "$out/stdout.json" || fail "stdout graph lacks the format name"

# A library checks and writes nothing.
"$rubric" compile stdlib/spine.rubric -o "$out/spine.json" 2>"$out/err.txt"
[ $? -eq 0 ] || fail "stdlib.spine should check clean"
[ ! -e "$out/spine.json" ] || fail "a library must not produce a graph file"
grep -q 'is a library module' "$out/err.txt" || fail "library message missing"

# Errors: exit 1, diagnostics on stderr, no graph written.
"$rubric" compile tests/diagnostics/semantic_all_errors.rubric -o "$out/bad.json" --color=never 2>"$out/err.txt"
[ $? -eq 1 ] || fail "a file with errors must exit 1"
[ ! -e "$out/bad.json" ] || fail "no graph may be written on errors"
for code in R0204 R0301 R0400 R0401 R0406; do
  grep -q "error\[$code\]" "$out/err.txt" || fail "expected $code in the diagnostics"
done
grep -q '^5 errors$' "$out/err.txt" || fail "expected exactly 5 errors: $(tail -1 "$out/err.txt")"

# Usage errors: exit 2.
"$rubric" compile does/not/exist.rubric 2>/dev/null
[ $? -eq 2 ] || fail "a missing file must exit 2"
"$rubric" compile guidelines/acr/low_back_pain.rubric --dump-after=nonsense >/dev/null 2>&1
[ $? -eq 2 ] || fail "an unknown pass must exit 2"

# Dumps: every pass prints something, twice the same.
for pass in parse resolve typecheck check lower verify; do
  "$rubric" compile guidelines/acr/low_back_pain.rubric --no-verify --dump-after=$pass >"$out/d1.txt" 2>/dev/null || fail "dump after $pass"
  "$rubric" compile guidelines/acr/low_back_pain.rubric --no-verify --dump-after=$pass >"$out/d2.txt" 2>/dev/null
  [ -s "$out/d1.txt" ] || fail "empty dump after $pass"
  cmp -s "$out/d1.txt" "$out/d2.txt" || fail "dump after $pass is not stable"
done
"$rubric" compile guidelines/acr/low_back_pain.rubric --no-verify --dump-after=typecheck 2>/dev/null |
  grep -q 'symptom_duration{patient fact duration} subacute{let duration}' || fail "typecheck dump lacks resolved names"
"$rubric" compile guidelines/acr/low_back_pain.rubric --no-verify --dump-after=lower 2>/dev/null |
  grep -q 'compare slot 1 >= 42' || fail "lower dump lacks the 6-week threshold in days"

if [ $failures -ne 0 ]; then
  echo "$failures failure(s)"
  exit 1
fi
echo "compile_graph: all passed"
