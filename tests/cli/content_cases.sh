#!/usr/bin/env bash
# The patient case files in guidelines/acr/cases/ evaluate as their names say:
# one JSON file per variant (plus the seed patient in text and FHIR Quantity
# form, and a partly known set of red flags) and an NDJSON batch; and `make run`'s command — the seed patient's
# explanation with the why-not for MRI — shows variant 2, all 11 procedures
# usually not appropriate, and variant 3 as the way to an appropriate MRI.
# Usage: content_cases.sh RUBRIC_BINARY [BUILD_DIR]   (run from the source root)
set -u
rubric=$1
guideline=guidelines/acr/low_back_pain.rubric
cases=guidelines/acr/cases
failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }

# --- one file per variant ----------------------------------------------------------
check_variant() {  # FILE VARIANT
  local out
  out=$("$rubric" eval "$guideline" --patient "$cases/$1" --format json 2>&1) || { fail "$1: exit $?"; echo "$out"; return; }
  out=$(tr -d ' \n' <<<"$out")  # the JSON is pretty-printed: match it without layout
  grep -q '"status":"matched"' <<<"$out" || fail "$1: not matched"
  grep -q "\"variant\":{\"id\":\"$2\"" <<<"$out" || fail "$1: not variant $2"
}
check_variant seed-55yo.json 2
check_variant seed-55yo-fhir-quantity.json 2
check_variant variant1-acute.json 1
check_variant variant3-failed-therapy.json 3
check_variant variant4-cauda-equina.json 4
check_variant variant5-after-surgery.json 5
check_variant variant6-osteoporosis.json 6
check_variant variant7-cancer.json 7
# A partly known set: fever found, night pain not known — still variant 7.
check_variant variant7-fever-partly-known.json 7

# --- the NDJSON batch: one line out per line in, statuses as the ids say ------------
out=$("$rubric" eval "$guideline" --patients "$cases/batch.ndjson" --format ndjson 2>/dev/null)
[ "$(wc -l <<<"$out")" -eq "$(wc -l <"$cases/batch.ndjson")" ] || fail "batch: line count differs"
line_for() { grep "^{\"id\":\"$1\"" <<<"$out"; }
for id in seed-55yo variant1-acute variant3-failed-therapy variant4-cauda-equina variant5-after-surgery \
          variant6-osteoporosis variant7-cancer seed-55yo-fhir-quantity variant7-fever-partly-known; do
  line_for "$id" | grep -q '"status":"matched"' || fail "batch: $id not matched"
done
line_for undetermined-age-unknown | grep -q '"status":"undetermined".*"missing":\["age"\]' \
  || fail "batch: unknown age should be undetermined, missing age"
line_for no-criteria-improved | grep -q '"status":"no_criteria_apply".*no imaging is needed' \
  || fail "batch: improved patient should get no criteria apply with its advice"

# --- make run: the seed patient's explanation and why-not --------------------------
out=$("$rubric" explain "$guideline" --patient "$cases/seed-55yo.json" --why-not "MRI lumbar spine without IV contrast" --color=never 2>&1)
rc=$?
[ $rc -eq 0 ] || fail "explain exited $rc"
grep -q "matched variant 2" <<<"$out" || fail "explain: not variant 2"
[ "$(grep -cE '^  .+  +Usually not appropriate ' <<<"$out")" -eq 11 ] || fail "explain: not all 11 usually not appropriate"
grep -qE "intervention_candidate = true → variant 3, Usually appropriate" <<<"$out" \
  || fail "explain: the why-not does not lead to variant 3"

[ $failures -eq 0 ] && echo "content cases: ok"
[ $failures -eq 0 ] || printf '%s\n' "$out" | sed 's/^/  | /'
exit $((failures > 0))
