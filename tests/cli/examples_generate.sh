#!/usr/bin/env bash
# `rubric examples --generate` (issue 18) on a copy of the Low Back Pain
# guideline: the MC/DC examples appended with --into all pass `rubric test`
# and bring criterion MC/DC coverage to 100% (the one condition the solver
# proves can never decide its criterion alone is named, not counted); a
# second --into adds nothing; the file stays `rubric fmt`-clean; boundary
# and regions examples, printed, also all pass.
# Usage: tests/cli/examples_generate.sh RUBRIC_BINARY [BUILD_DIR]
set -uo pipefail
rubric="$1"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0
check() { if eval "$2"; then echo "ok   $1"; else echo "FAIL $1"; fail=1; fi; }
mkdir -p "$tmp/acr"
lbp="$tmp/acr/low_back_pain.rubric"
cp guidelines/acr/low_back_pain.rubric "$lbp"

"$rubric" test --coverage "$lbp" > "$tmp/before.txt"
check "the guideline's own examples leave MC/DC gaps" 'grep -qE "^  MC/DC      ([0-9]+)/([0-9]+) " "$tmp/before.txt" && ! grep -qE "^  MC/DC      ([0-9]+)/\1 " "$tmp/before.txt"'

"$rubric" examples --generate "$lbp" --strategy mcdc --into "$lbp" 2> "$tmp/err.txt"; rc=$?
check "mcdc --into exits 0" '[ $rc -eq 0 ]'
check "it says how many examples it wrote" 'grep -qE "^[1-9][0-9]* examples? written to" "$tmp/err.txt"'
check "it notes the condition no pair can show" \
  'grep -q "no pair of patients shows \`persistent_pain\` deciding criterion \`failed_therapy_in_candidate\` alone (the solver proves none exists)" "$tmp/err.txt"'
"$rubric" test --coverage "$lbp" > "$tmp/after.txt"; rc=$?
check "every example passes rubric test" '[ $rc -eq 0 ] && grep -qE "^[0-9]+ passed, 0 failed$" "$tmp/after.txt"'
check "criterion MC/DC coverage is 100%" 'grep -qE "^  MC/DC      ([0-9]+)/\1 conditions of criteria shown to decide their criterion alone$" "$tmp/after.txt"'
check "the proved-impossible condition is named" \
  'grep -qF "    \`persistent_pain\` of \`failed_therapy_in_candidate\` cannot decide it alone for any patient keeping every \`assume\` (proved)" "$tmp/after.txt"'
check "no MC/DC gap is left" '! grep -q "conditions no pair of examples shows" "$tmp/after.txt"'
check "generated examples are titled by criterion and condition" 'grep -q "^example \"MC/DC \`new_symptoms_after_surgery\`: \`prior_lumbar_surgery\` true makes it true\"$" "$lbp"'
"$rubric" fmt --check "$lbp" > /dev/null; rc=$?
check "the file stays rubric fmt-clean" '[ $rc -eq 0 ]'
cp "$lbp" "$tmp/once.rubric"
"$rubric" examples --generate "$lbp" --strategy mcdc --into "$lbp" 2> "$tmp/err2.txt"
check "a second --into adds nothing" 'cmp -s "$lbp" "$tmp/once.rubric" && grep -q "^0 examples written" "$tmp/err2.txt"'

for strategy in boundary regions; do
  cp guidelines/acr/low_back_pain.rubric "$lbp"
  "$rubric" examples --generate "$lbp" --strategy $strategy > "$tmp/$strategy.txt" 2>/dev/null; rc=$?
  check "$strategy prints examples" '[ $rc -eq 0 ] && grep -q "^example " "$tmp/$strategy.txt"'
  cat "$tmp/$strategy.txt" >> "$lbp"
  "$rubric" test "$lbp" > "$tmp/$strategy.out"; rc=$?
  check "$strategy examples all pass rubric test" '[ $rc -eq 0 ]'
done
check "boundary: just below, at and just above 6 weeks of symptoms" \
  'grep -q "^example \"Boundary: \`symptom_duration\` = 5 weeks (just below 6 weeks" "$tmp/boundary.txt" &&
   grep -q "^example \"Boundary: \`symptom_duration\` = 6 weeks (at 6 weeks" "$tmp/boundary.txt" &&
   grep -q "^example \"Boundary: \`symptom_duration\` = 7 weeks (just above 6 weeks" "$tmp/boundary.txt"'
check "boundary: the same patient gets variant 1 at 5 weeks and variant 2 at 6 weeks" \
  '[ "$(grep -A2 "^example \"Boundary: \`symptom_duration\` = 5 weeks" "$tmp/boundary.txt" | tail -1)" = "  expect variant 1" ] &&
   [ "$(grep -A2 "^example \"Boundary: \`symptom_duration\` = 6 weeks" "$tmp/boundary.txt" | tail -1)" = "  expect variant 2" ]'
check "boundary: age in years around 70" 'grep -q "^example \"Boundary: \`age\` = 71 years (just above 70 years" "$tmp/boundary.txt"'
check "regions: every variant has a patient" '[ "$(grep -c "^example \"Variant [0-9] (generated)\"$" "$tmp/regions.txt")" -eq 7 ]'
check "regions: unknown-fact patients are undetermined" 'grep -q "^example \"Unknown \`" "$tmp/regions.txt" && grep -q "expect status undetermined" "$tmp/regions.txt"'
check "regions: the otherwise advice has a patient" 'grep -q "^example \"No variant applies" "$tmp/regions.txt"'

"$rubric" examples --generate stdlib/spine.rubric > /dev/null 2> "$tmp/err.txt"; rc=$?
check "a library is refused" '[ $rc -eq 1 ] && grep -q "is a library" "$tmp/err.txt"'
"$rubric" examples --generate missing.rubric > /dev/null 2> "$tmp/err.txt"; rc=$?
check "a missing file exits 2" '[ $rc -eq 2 ]'
exit $fail
