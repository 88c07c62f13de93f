#!/usr/bin/env bash
# `rubric fmt`: --check prints a unified diff and exits 1 without touching the
# file; in-place rewriting; `-` as a stdin→stdout filter; a file with a syntax
# error is never rewritten; folders are searched recursively.
# Usage: tests/cli/fmt_cli.sh RUBRIC_BINARY [BUILD_DIR]   (run from the project root)
set -uo pipefail
rubric="$1"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0
check() { if eval "$2"; then echo "ok   $1"; else echo "FAIL $1"; fail=1; fi; }

cat > "$tmp/messy.rubric" <<'R'
guideline acr.messy "Messy"
  select first   # the order written
criterion a "A":
    x >= 6 weeks
variant 1 "One"
  when a
  rate "MRI lumbar spine without IV contrast" usually appropriate
  rate "CT" usually not appropriate
R
cp "$tmp/messy.rubric" "$tmp/orig.rubric"

"$rubric" fmt --check "$tmp/messy.rubric" > "$tmp/diff.txt" 2> "$tmp/err.txt"; rc=$?
check "--check exits 1 on an unformatted file" '[ $rc -eq 1 ]'
check "--check prints a unified diff" 'grep -q "^--- $tmp/messy.rubric" "$tmp/diff.txt" && grep -q "^+++ $tmp/messy.rubric" "$tmp/diff.txt" && grep -q "^@@ " "$tmp/diff.txt"'
check "--check shows the aligned rating line" 'grep -qF "+  rate \"CT\"                                   usually not appropriate" "$tmp/diff.txt"'
check "--check names the files to format" 'grep -q "1 of 1 file is not formatted" "$tmp/err.txt"'
check "--check does not touch the file" 'cmp -s "$tmp/messy.rubric" "$tmp/orig.rubric"'
# The diff applies: patch turns the original into what fmt writes.
"$rubric" fmt - < "$tmp/orig.rubric" > "$tmp/stdout.rubric"; rc=$?
check "stdin to stdout exits 0" '[ $rc -eq 0 ]'
if command -v patch >/dev/null; then
  cp "$tmp/orig.rubric" "$tmp/patched.rubric"
  patch -s "$tmp/patched.rubric" < "$tmp/diff.txt"
  check "the --check diff applies with patch(1)" 'cmp -s "$tmp/patched.rubric" "$tmp/stdout.rubric"'
fi

"$rubric" fmt "$tmp/messy.rubric" 2> "$tmp/err.txt"; rc=$?
check "in place exits 0" '[ $rc -eq 0 ]'
check "in place says what it formatted" 'grep -q "formatted $tmp/messy.rubric" "$tmp/err.txt"'
check "in place writes what the filter prints" 'cmp -s "$tmp/messy.rubric" "$tmp/stdout.rubric"'
check "comments survive" 'grep -qF "  select    first  # the order written" "$tmp/messy.rubric"'
"$rubric" fmt --check "$tmp/messy.rubric" > "$tmp/diff2.txt"; rc=$?
check "--check passes after formatting (idempotent)" '[ $rc -eq 0 ] && [ ! -s "$tmp/diff2.txt" ]'

# A syntax error: diagnostics, exit 1, file untouched, filter passes input through.
printf 'guideline acr.bad "Bad"\nvariant 1 "One"\n  rate "MRI"\n' > "$tmp/bad.rubric"
cp "$tmp/bad.rubric" "$tmp/bad.orig"
"$rubric" fmt --color=never "$tmp/bad.rubric" 2> "$tmp/err.txt"; rc=$?
check "syntax error exits 1" '[ $rc -eq 1 ]'
check "syntax error is reported with file:line:col" 'grep -q "bad.rubric:[0-9]*:[0-9]*: error\[R01" "$tmp/err.txt"'
check "syntax error says the file was not formatted" 'grep -q "has syntax errors and was not formatted" "$tmp/err.txt"'
check "a file with a syntax error is never rewritten" 'cmp -s "$tmp/bad.rubric" "$tmp/bad.orig"'
"$rubric" fmt - < "$tmp/bad.rubric" > "$tmp/out.txt" 2>/dev/null; rc=$?
check "filter with a syntax error exits 1 and passes the text through" '[ $rc -eq 1 ] && cmp -s "$tmp/out.txt" "$tmp/bad.orig"'

# Folders: recursive, *.rubric only; build folders skipped.
mkdir -p "$tmp/tree/a/b" "$tmp/tree/build-x"
cp "$tmp/orig.rubric" "$tmp/tree/a/b/one.rubric"
cp "$tmp/orig.rubric" "$tmp/tree/build-x/skip.rubric"
echo "not rubric" > "$tmp/tree/a/notes.txt"
"$rubric" fmt --check "$tmp/tree" > "$tmp/diff3.txt" 2>&1; rc=$?
check "a folder is searched recursively" '[ $rc -eq 1 ] && grep -q "a/b/one.rubric" "$tmp/diff3.txt"'
check "build folders are skipped" '! grep -q "skip.rubric" "$tmp/diff3.txt"'
"$rubric" fmt --check "$tmp/does-not-exist" 2> "$tmp/err.txt"; rc=$?
check "a missing path is a usage error (exit 2)" '[ $rc -eq 2 ] && grep -q "is not a file or folder" "$tmp/err.txt"'

[ $fail -eq 0 ] && echo "fmt_cli: all passed" || echo "fmt_cli: FAILED"
exit $fail
