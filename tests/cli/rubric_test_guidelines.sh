#!/usr/bin/env bash
# `rubric test` end to end:
# 1. `rubric test --coverage guidelines/ stdlib/` passes, the seed patient's
#    example is among the passes, and in every guideline (Low Back Pain, Head
#    Trauma-Child, Suspected PE 2022 and 2016) the examples reach every
#    variant, rating and criterion (both true and false);
# 2. tests/fixtures/failing_examples.rubric, whose examples fail on purpose,
#    exits 1 and prints each failure's expectation, outcome and explanation.
# Usage: rubric_test_guidelines.sh RUBRIC_BINARY [BUILD_DIR]   (run from the source root)
set -u
rubric=$1
failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }
# expect_line OUTPUT LINE: LINE must be one whole line of OUTPUT.
expect_line() { grep -qxF -- "$2" <<<"$1" || fail "missing line: $2"; }

# --- 1. the real content passes, with full coverage --------------------------
out=$("$rubric" test --color=never --coverage guidelines/ stdlib/ 2>&1)
rc=$?
[ $rc -eq 0 ] || fail "rubric test guidelines/ stdlib/ exited $rc"
grep -qE '^PASS  55-year-old, 3 months of pain radiating to the thigh, OTC analgesics only  guidelines/acr/low_back_pain\.rubric:[0-9]+$' <<<"$out" \
  || fail "the seed patient's example did not pass"
grep -q '^FAIL' <<<"$out" && fail "some example failed"
expect_line "$out" "ok    stdlib/acr.rubric (compiles; no examples)"
expect_line "$out" "ok    stdlib/spine.rubric (compiles; no examples)"
expect_line "$out" "ok    stdlib/chest.rubric (compiles; no examples)"
expect_line "$out" "ok    stdlib/head.rubric (compiles; no examples)"
# Each guideline's coverage block, in full: every variant, rating and criterion.
# expect_coverage FILE VARIANTS RATINGS CRITERIA
expect_coverage() {
  local block
  block=$(awk -v head="coverage of $1 " 'index($0, head) == 1 {on = 1} on {print} on && /^not reached/ {exit}' <<<"$out")
  expect_line "$block" "  variants   $2/$2 selected by an example"
  expect_line "$block" "  ratings    $3/$3 reached ($3 checked by an \`expect\`)"
  expect_line "$block" "  criteria   $4/$4 seen both true and false"
  expect_line "$block" "not reached by any example: nothing"
}
expect_coverage guidelines/acr/low_back_pain.rubric 7 77 14
expect_coverage guidelines/acr/head_trauma_child.rubric 6 64 22
expect_coverage guidelines/acr/suspected_pe.rubric 4 52 8
expect_coverage guidelines/acr/history/suspected_pe_2016.rubric 3 39 5
[ "$(grep -c '^not reached by any example: nothing$' <<<"$out")" -eq "$(grep -c '^coverage of ' <<<"$out")" ] \
  || fail "some guideline has something no example reaches"
last=$(tail -n 1 <<<"$out")
[[ $last =~ ^[0-9]+\ passed,\ 0\ failed$ ]] || fail "closing line is '$last'"
passed=${last%% *}
[ "$passed" -ge 117 ] || fail "only $passed examples ran"  # 35 + 40 + 30 + 12
[ $failures -eq 0 ] || printf '%s\n' "$out" | sed 's/^/  | /'

# --- 2. failing examples fail, and say why -------------------------------------
fixture=tests/fixtures/failing_examples.rubric
out=$("$rubric" test --color=never "$fixture" 2>&1)
rc=$?
[ $rc -eq 1 ] || fail "failing examples: exit code $rc, expected 1"
expect_line "$out" "PASS  passes: 2 weeks without red flags is early pain  $fixture:40"
expect_line "$out" "FAIL  fails: 8 weeks is not early pain  $fixture:44"
expect_line "$out" "      at $fixture:46"
expect_line "$out" "        expected  variant early"
expect_line "$out" "        got       variant late \"Persistent pain without red flags\""
expect_line "$out" "FAIL  fails: the wrong category for MRI  $fixture:48"
expect_line "$out" "      at $fixture:51"
expect_line "$out" "        expected  \"MRI lumbar spine without IV contrast\" Usually not appropriate"
expect_line "$out" "        got       Usually appropriate in variant late"
expect_line "$out" "FAIL  fails: the wrong missing fact  $fixture:53"
expect_line "$out" "      at $fixture:56"
expect_line "$out" "        expected  missing red_flags"
expect_line "$out" "        got       missing symptom_duration"
[ "$(grep -c '^      explanation:$' <<<"$out")" -eq 3 ] || fail "each failure should show an explanation"
expect_line "$out" "1 passed, 3 failed"
[ "$(tail -n 1 <<<"$out")" = "1 passed, 3 failed" ] || fail "the closing line is not last"
[ $failures -eq 0 ] || printf '%s\n' "$out" | sed 's/^/  | /'

# --- 3. usage errors -------------------------------------------------------------
"$rubric" test does/not/exist >/dev/null 2>&1
rc=$?
[ $rc -eq 2 ] || fail "a missing path should exit 2, got $rc"

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
printf 'guideline broken "Broken"\nvariant 1 "x"\n  rate "Radiography lumbar spine"\n' > "$tmp/broken.rubric"
out=$("$rubric" test --color=never "$tmp/broken.rubric" 2>&1)
rc=$?
[ $rc -eq 1 ] || fail "a file that does not compile should exit 1, got $rc"
expect_line "$out" "FAIL  $tmp/broken.rubric does not compile"
grep -qE "^      $tmp/broken.rubric:[0-9]+:[0-9]+: error\[R[0-9]+\]: " <<<"$out" || fail "the compile error is not shown"
[ "$(tail -n 1 <<<"$out")" = "0 passed, 1 failed" ] || fail "broken file: closing line is '$(tail -n 1 <<<"$out")'"

[ $failures -eq 0 ] && echo "rubric test: ok"
exit $((failures > 0))
