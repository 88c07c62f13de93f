#!/usr/bin/env bash
# `rubric graph`: DOT, Mermaid and SVG of the LBP guideline; with the seed
# patient (55 years, 12 weeks, no red flags, no therapy) the path to variant 2
# is highlighted; output is deterministic; without Graphviz, svg says so.
# Usage: tests/cli/graph_cli.sh RUBRIC_BINARY [BUILD_DIR]   (run from the project root)
set -uo pipefail
rubric="$1"
lbp=guidelines/acr/low_back_pain.rubric
seed=guidelines/acr/cases/seed-55yo.json
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0
check() { if eval "$2"; then echo "ok   $1"; else echo "FAIL $1"; fail=1; fi; }

"$rubric" graph "$lbp" --format dot > "$tmp/plain.dot"; rc=$?
check "dot exits 0" '[ $rc -eq 0 ]'
check "dot has 7 guards" '[ $(grep -c "applies when" "$tmp/plain.dot") -eq 7 ]'
check "guards follow the selection order 4, 7, 6, 5, 3, 2, 1" \
  '[ "$(grep -o "[0-9]\. Variant [0-9] applies when" "$tmp/plain.dot" | tr -d "\n")" = "1. Variant 4 applies when2. Variant 7 applies when3. Variant 6 applies when4. Variant 5 applies when5. Variant 3 applies when6. Variant 2 applies when7. Variant 1 applies when" ]'
"$rubric" graph "$lbp" --format dot > "$tmp/plain2.dot"
check "output is deterministic" 'cmp -s "$tmp/plain.dot" "$tmp/plain2.dot"'

"$rubric" graph "$lbp" --format dot --patient "$seed" > "$tmp/seed.dot"; rc=$?
check "dot with --patient exits 0" '[ $rc -eq 0 ]'
check "the start node says matched: variant 2" 'grep -q "matched: variant 2" "$tmp/seed.dot"'
# Variant 2 is variants[1] (declared second): its node and yes-edge are bold green.
check "variant 2 is highlighted" 'grep -q "^  v1 \[label=<<TABLE BORDER=\"3\"[^>]*COLOR=\"#1b7f3b\"" "$tmp/seed.dot"'
check "the yes edge into variant 2 is highlighted" 'grep -q "^  g1 -> v1 \[label=\"yes\", color=\"#1b7f3b\".*penwidth=3" "$tmp/seed.dot"'
check "variant 1 (tried after) is dimmed" 'grep -q "^  g0 \[label=<<TABLE BORDER=\"1\"[^>]*COLOR=\"#c4c4c4\"" "$tmp/seed.dot"'
check "criteria are marked true, false and unknown" 'grep -q "✓ true" "$tmp/seed.dot" && grep -q "✗ false" "$tmp/seed.dot" && grep -q "? unknown" "$tmp/seed.dot"'

"$rubric" graph "$lbp" --format mermaid --patient "$seed" > "$tmp/seed.mmd"; rc=$?
check "mermaid exits 0" '[ $rc -eq 0 ] && head -1 "$tmp/seed.mmd" | grep -q "^flowchart TD"'
check "mermaid marks the path" 'grep -q "^  class start,g1,v1 taken$" "$tmp/seed.mmd"'

if command -v dot >/dev/null; then
  "$rubric" graph "$lbp" --format svg --patient "$seed" -o "$tmp/seed.svg"; rc=$?
  check "svg exits 0 and writes -o" '[ $rc -eq 0 ] && grep -q "<svg" "$tmp/seed.svg"'
  check "svg text has the chosen variant" 'grep -q "matched: variant 2" "$tmp/seed.svg"'
else
  echo "skip svg rendering: Graphviz dot not installed"
fi
# Without Graphviz on PATH: a clear message, exit 1.
PATH=/nonexistent "$rubric" graph "$lbp" --format svg > /dev/null 2> "$tmp/err.txt"; rc=$?
check "svg without Graphviz exits 1 with a clear message" '[ $rc -eq 1 ] && grep -q "Graphviz \`dot\` was not found on PATH; install the Debian package \`graphviz\`" "$tmp/err.txt"'

echo '{"age": "twelve"}' > "$tmp/bad.json"
"$rubric" graph "$lbp" --patient "$tmp/bad.json" > /dev/null 2> "$tmp/err.txt"; rc=$?
check "a bad patient file exits 1 naming the fact" '[ $rc -eq 1 ] && grep -q "age" "$tmp/err.txt"'
"$rubric" graph "$lbp" --format png > /dev/null 2>&1; rc=$?
check "an unknown format is a usage error" '[ $rc -eq 2 ]'

[ $fail -eq 0 ] && echo "graph_cli: all passed" || echo "graph_cli: FAILED"
exit $fail
