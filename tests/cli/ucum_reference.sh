#!/usr/bin/env bash
# Every conversion factor of the unit table (runtime/units_table.cpp), over
# every pair of supported units of one dimension, agrees with the reference
# UCUM implementation, npm @lhncbc/ucum-lhc (pinned in tests/ucum/). Skipped,
# with a message, only where Node.js and npm are absent; exactness itself is
# checked by the runtime_only tests.
# Usage: tests/cli/ucum_reference.sh RUBRIC_BINARY BUILD_DIR   (from the project root)
set -uo pipefail
build="$2"
dir=tests/ucum
if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
  echo "ucum_reference: SKIPPED — Node.js/npm not installed; exactness is still checked by runtime_units_test"
  exit 0
fi
if [ ! -d "$dir/node_modules/@lhncbc/ucum-lhc" ]; then
  (cd "$dir" && npm ci --no-audit --no-fund --silent) || { echo "ucum_reference: npm ci failed" >&2; exit 1; }
fi
dump="$build/tests/units_dump"
[ -x "$dump" ] || { echo "ucum_reference: $dump not built" >&2; exit 1; }
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
"$dump" > "$out/table.jsonl" || { cat "$out/table.jsonl" >&2; echo "ucum_reference: units_dump failed" >&2; exit 1; }
node "$dir/compare.js" < "$out/table.jsonl" || exit 1
# The comparison must be able to fail: a wrong factor (an inch of 2.56 cm) is caught.
sed 's/"from": "\[in_i\]", "to": "cm", "factor": [0-9.e+-]*/"from": "[in_i]", "to": "cm", "factor": 2.56/' \
  "$out/table.jsonl" > "$out/broken.jsonl"
cmp -s "$out/table.jsonl" "$out/broken.jsonl" && { echo "ucum_reference: could not plant a wrong factor" >&2; exit 1; }
if node "$dir/compare.js" < "$out/broken.jsonl" >/dev/null 2>&1; then
  echo "ucum_reference: the comparison accepted a wrong factor" >&2
  exit 1
fi
