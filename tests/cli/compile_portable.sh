#!/usr/bin/env bash
# A compiled graph does not depend on the folder the compiler ran in (issue
# 10, item 7): source paths are recorded under their search root
# (`stdlib/acr.rubric`, `acr/low_back_pain.rubric`), so compiling the same
# guideline from two folders gives byte-identical graphs.
# Usage: compile_portable.sh RUBRIC_BINARY   (run from the source root)
set -u
rubric=$(realpath "$1")
root=$(pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }

"$rubric" compile guidelines/acr/low_back_pain.rubric -o "$tmp/from_root.json" || fail "compile from the source root"
mkdir -p "$tmp/deep/er"
(cd "$tmp/deep/er" && "$rubric" compile "$root/guidelines/acr/low_back_pain.rubric" -o "$tmp/from_tmp.json") ||
  fail "compile from another folder (absolute path)"
(cd tests/cli && "$rubric" compile ../../guidelines/acr/low_back_pain.rubric -o "$tmp/from_tests.json") ||
  fail "compile from tests/cli (relative path)"
cmp -s "$tmp/from_root.json" "$tmp/from_tmp.json" || fail "graphs differ: $(diff "$tmp/from_root.json" "$tmp/from_tmp.json" | head -6)"
cmp -s "$tmp/from_root.json" "$tmp/from_tests.json" || fail "graphs differ: $(diff "$tmp/from_root.json" "$tmp/from_tests.json" | head -6)"
files=$(python3 -c 'import json,sys; print(" ".join(json.load(open(sys.argv[1]))["files"]))' "$tmp/from_root.json")
[ "$files" = "acr/low_back_pain.rubric stdlib/acr.rubric stdlib/spine.rubric" ] || fail "files recorded: $files"
# Locations still point into the author's files: lint's spans come from the graph.
out=$(cd tests/cli && "$rubric" lint --color=never ../verify/unique_overlap.rubric 2>&1)
grep -qE '^\.\./verify/unique_overlap\.rubric:[0-9]+:[0-9]+: error\[R0503\]' <<<"$out" ||
  fail "lint from another folder lost its source spans: $out"

[ $failures -eq 0 ] && echo "portable graphs: ok"
exit $((failures > 0))
