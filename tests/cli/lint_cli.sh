#!/usr/bin/env bash
# `rubric lint` end to end: exit codes (0 clean, 1 on errors, 1 on warnings
# only with --strict, 2 on usage errors), folders linted recursively, the
# summary line on stderr, JSON and SARIF output that parse, and the Low Back
# Pain guideline linting clean with --strict.
# Usage: lint_cli.sh RUBRIC_BINARY [BUILD_DIR]   (run from the source tree)
set -u
rubric="$1"
out="${2:-/tmp}/lint_cli_test"
rm -rf "$out" && mkdir -p "$out"
failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }
expect_exit() {  # expected-code description command…
  local want="$1" what="$2"; shift 2
  "$@" >"$out/stdout" 2>"$out/stderr"
  local got=$?
  [ "$got" -eq "$want" ] || fail "$what: exit $got, expected $want ($(head -3 "$out/stderr"))"
}

expect_exit 0 "the Low Back Pain guideline lints clean with --strict" \
  "$rubric" lint --strict --color=never guidelines/acr/low_back_pain.rubric
grep -q '^1 file linted: ' "$out/stderr" || fail "summary line missing: $(cat "$out/stderr")"
grep -q 'warning\[\|error\[' "$out/stdout" && fail "low_back_pain should have no warnings or errors"

expect_exit 0 "guidelines and stdlib lint clean with --strict" "$rubric" lint --strict guidelines stdlib
files=$(find guidelines stdlib -name '*.rubric' | wc -l)
grep -q "^$files files linted: " "$out/stderr" || fail "folders are searched recursively ($files files): $(cat "$out/stderr")"

expect_exit 1 "an error-level finding exits 1" "$rubric" lint tests/verify/guard_never_holds.rubric
grep -q 'error\[R0501\]' "$out/stdout" || fail "R0501 not printed"
expect_exit 0 "warnings alone exit 0" "$rubric" lint tests/verify/coverage_gap.rubric
expect_exit 1 "warnings exit 1 with --strict" "$rubric" lint --strict tests/verify/coverage_gap.rubric
expect_exit 2 "a missing file is a usage error" "$rubric" lint no/such/file.rubric
grep -q 'does not exist' "$out/stderr" || fail "missing-file message"
expect_exit 2 "an unknown format is a usage error" "$rubric" lint --format xml tests/verify/coverage_gap.rubric

# JSON: one array with every finding, the counterexample in a note.
expect_exit 0 "json format" "$rubric" lint --format json tests/verify/coverage_gap.rubric
grep -q '"code":"R0504"' "$out/stdout" || fail "json lacks R0504"
grep -q 'as patient JSON: ' "$out/stdout" || fail "json lacks the counterexample"
if command -v python3 >/dev/null; then
  python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert isinstance(d, list) and d' "$out/stdout" \
    || fail "json output does not parse"
fi

# SARIF over several files: one run, results pointing at each file.
expect_exit 1 "sarif format" "$rubric" lint --format sarif tests/verify
if command -v python3 >/dev/null; then
  python3 - "$out/stdout" <<'PY' || fail "sarif structure"
import json, sys
log = json.load(open(sys.argv[1]))
assert log["version"] == "2.1.0" and "sarif-schema-2.1.0" in log["$schema"]
run, = log["runs"]
rules = run["tool"]["driver"]["rules"]
assert run["tool"]["driver"]["name"] == "rubric" and rules
ids = [r["id"] for r in rules]
assert len(ids) == len(set(ids))
uris = set()
for r in run["results"]:
    assert rules[r["ruleIndex"]]["id"] == r["ruleId"]
    assert r["level"] in ("error", "warning", "note") and r["message"]["text"]
    loc = r["locations"][0]["physicalLocation"]
    uris.add(loc["artifactLocation"]["uri"])
    assert loc["region"]["startLine"] >= 1 and loc["region"]["startColumn"] >= 1
assert any(u.endswith("guard_never_holds.rubric") for u in uris), uris
assert any(u.endswith("unique_overlap.rubric") for u in uris), uris
PY
fi

if [ "$failures" -gt 0 ]; then echo "$failures failure(s)"; exit 1; fi
echo "lint cli: all pass"
