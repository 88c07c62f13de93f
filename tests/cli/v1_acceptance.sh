#!/usr/bin/env bash
# Issue 12's acceptance rule, tests/v1/wells.rubric (a 7-item point score, an
# age-adjusted cut-off as a `value`, PERC as `none of`, GCS as `integer 3..15`,
# durations in seconds to hours, a category containing `of`): it compiles,
# lints clean under --strict, all its examples pass (one where an unknown item
# leaves the score an interval that still decides, one where it does not), it
# is formatted canonically, and the explanation shows the score with its parts.
# Usage: v1_acceptance.sh RUBRIC_BINARY [BUILD_DIR]   (run from the source root)
set -u
rubric=$1
rule=tests/v1/wells.rubric
failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }
expect_line() { grep -qxF -- "$2" <<<"$1" || fail "missing line: $2"; }

out=$("$rubric" check --color=never "$rule" 2>&1) || fail "check failed: $out"
out=$("$rubric" lint --strict --color=never "$rule" 2>&1)
[ $? -eq 0 ] || fail "lint --strict is not clean"
grep -qE 'warning|error' <<<"$out" && fail "lint reports warnings or errors"

out=$("$rubric" test --color=never "$rule" 2>&1)
[ $? -eq 0 ] || fail "rubric test failed"
grep -q '^PASS  DVT signs and PE most likely: 6 to 7 points whatever hemoptysis is, so PE is likely' <<<"$out" || fail "interval example"
grep -q '^PASS  DVT signs and malignancy: 4 to 5 points, so hemoptysis decides' <<<"$out" || fail "undetermined example"
grep -q '^PASS  Loss of consciousness for 10 seconds, GCS 15' <<<"$out" || fail "category with of"
[ "$(tail -n 1 <<<"$out")" = "9 passed, 0 failed" ] || fail "closing line is '$(tail -n 1 <<<"$out")'"

"$rubric" fmt --check "$rule" >/dev/null 2>&1 || fail "$rule is not formatted canonically"

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cat >"$tmp/pe.json" <<'JSON'
{"presentation": "suspected_pe", "age": "40 years", "dvt_signs": true, "pe_most_likely": false, "heart_rate": 110,
 "immobilization_or_surgery": false, "previous_dvt_or_pe": false, "hemoptysis": null, "malignancy": false}
JSON
out=$("$rubric" explain --color=never --width 400 "$rule" --patient "$tmp/pe.json" 2>&1)
expect_line "$out" "  Wells score for pulmonary embolism 4.5 to 5.5 (hemoptysis unknown: +0 or +1): dvt signs +3, heart rate 110 /min > 100 /min +1.5"
expect_line "$out" "  Age-adjusted D-dimer cut-off 500 ng/mL: if age (40 years) > 50 years then (age (40 years) in years) * 10 ng/mL else d_dimer_cutoff"
grep -q 'matched variant pe_high' <<<"$out" || fail "the interval 4.5 to 5.5 decides wells > 4"

[ $failures -eq 0 ] && echo "v1 acceptance: ok"
exit $((failures > 0))
