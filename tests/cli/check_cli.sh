#!/usr/bin/env bash
# `rubric check` as a user sees it: exit statuses, folders searched
# recursively in sorted order, the summary line on stderr, --format json,
# --color and NO_COLOR, and a clean run on the file that uses every construct.
#   bash tests/cli/check_cli.sh RUBRIC [BUILD_DIR]
set -u
rubric="$(cd "$(dirname "$1")" && pwd)/$(basename "$1")"  # absolute: the tests change folder
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
failed=0
fail() { echo "FAIL $*"; failed=$((failed + 1)); }

mkdir -p "$work/tree/b" "$work/tree/a"
printf 'guideline good "Good"\nlet x = 3\n' > "$work/tree/a/good.rubric"
printf 'guideline bad "Bad"\nlet x =\n' > "$work/tree/b/bad.rubric"
printf 'guideline worse "Worse"\ncriterion c "C" true\n' > "$work/tree/a/worse.rubric"
printf 'not rubric\n' > "$work/tree/a/notes.txt"

# Every construct of the v0 syntax: clean, exit 0, summary on stderr only.
out="$("$rubric" check "$root/tests/fixtures/every_construct.rubric" 2>/dev/null)"; status=$?
err="$("$rubric" check "$root/tests/fixtures/every_construct.rubric" 2>&1 >/dev/null)"
[[ $status == 0 ]] || fail "every_construct: exit $status"
[[ -z "$out" ]] || fail "every_construct: unexpected output: $out"
[[ "$err" == "1 file checked: clean" ]] || fail "every_construct: summary was '$err'"

# A folder: recursive, sorted, .rubric files only; every error reported.
out="$(cd "$work" && "$rubric" check --color=never tree 2>&1)"; status=$?
[[ $status == 1 ]] || fail "folder: exit $status, expected 1"
locations="$(grep -o '^tree/[a-z/]*\.rubric:[0-9]*:[0-9]*: error\[R[0-9]*\]' <<<"$out" | tr '\n' ' ')"
[[ "$locations" == "tree/a/worse.rubric:2:17: error[R0117] tree/b/bad.rubric:2:8: error[R0121] " ]] ||
  fail "folder: diagnostics were: $locations"
[[ "$(tail -1 <<<"$out")" == "3 files checked: 2 errors" ]] || fail "folder: summary was '$(tail -1 <<<"$out")'"

# Usage errors: a missing path is exit 2; so is an unknown option.
"$rubric" check "$work/nope.rubric" >/dev/null 2>&1; status=$?
[[ $status == 2 ]] || fail "missing path: exit $status, expected 2"
"$rubric" check --format=xml "$work/tree" >/dev/null 2>&1; status=$?
[[ $status == 2 ]] || fail "unknown format: exit $status, expected 2"
"$rubric" check >/dev/null 2>&1; status=$?
[[ $status == 2 ]] || fail "no path: exit $status, expected 2"

# JSON: one array on stdout with file, line, column and code.
json="$(cd "$work" && "$rubric" check --format=json tree/b 2>/dev/null)"
python3 - "$json" <<'PY' || fail "json: unexpected shape: $json"
import json, sys
d = json.loads(sys.argv[1])
assert isinstance(d, list) and len(d) == 1, d
x = d[0]
assert x["code"] == "R0121", x
assert x["severity"] == "error", x
text = json.dumps(x)
assert "tree/b/bad.rubric" in text and '"line": 2' in text.replace('":2', '": 2'), x
PY

# Colour: never by default into a pipe; forced with --color=always; NO_COLOR wins over auto.
out="$("$rubric" check "$work/tree/b" 2>&1)"
grep -q $'\x1b\[' <<<"$out" && fail "auto colour into a pipe"
out="$("$rubric" check --color=always "$work/tree/b" 2>&1)"
grep -q $'\x1b\[' <<<"$out" || fail "--color=always has no escape codes"
out="$(NO_COLOR=1 "$rubric" check --color=auto "$work/tree/b" 2>&1)"
grep -q $'\x1b\[' <<<"$out" && fail "NO_COLOR ignored"

# Help names the exit statuses.
"$rubric" check --help | grep -q "Exit status" || fail "check --help does not describe exit statuses"

if ((failed)); then echo "$failed check(s) failed"; exit 1; fi
echo "rubric check behaves"
