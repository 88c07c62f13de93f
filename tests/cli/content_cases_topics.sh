#!/usr/bin/env bash
# The patient cases of the Head Trauma-Child and Suspected Pulmonary Embolism
# guidelines (guidelines/acr/cases/head_trauma_child/, …/suspected_pe/)
# evaluate as their names say, and the two cases of issue 13 get the answers
# the facts files and the published rules give:
# - a 9-month-old with an occipital scalp hematoma, GCS 15, otherwise normal:
#   PECARN intermediate risk under 2 years → variant 2, CT head without IV
#   contrast "May be appropriate", every other study "Usually not
#   appropriate", with the pediatric radiation levels and doses;
# - a 70-year-old with a Wells score of 3 and a D-dimer of 600 ng/mL:
#   intermediate probability, below the age-adjusted cut-off of 700 ng/mL →
#   variant 1 (no imaging), the cut-off shown in the explanation; variant 1 of
#   the 2016 table too.
# Usage: content_cases_topics.sh RUBRIC_BINARY [BUILD_DIR]   (run from the source root)
set -u
rubric=$1
head_trauma=guidelines/acr/head_trauma_child.rubric
pe=guidelines/acr/suspected_pe.rubric
pe_2016=guidelines/acr/history/suspected_pe_2016.rubric
cases=guidelines/acr/cases
failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }

# expect_outcome GUIDELINE CASE STATUS [VARIANT]: `eval --format json` gives that status (and variant).
expect_outcome() {
  local out
  out=$("$rubric" eval "$1" --patient "$cases/$2" --format json 2>&1)
  out=$(tr -d ' \n' <<<"$out")  # pretty-printed JSON: match it without layout
  grep -q "\"status\":\"$3\"" <<<"$out" || fail "$2 against $1: status is not $3"
  if [ $# -ge 4 ]; then grep -q "\"variant\":{\"id\":\"$4\"" <<<"$out" || fail "$2 against $1: not variant $4"; fi
}

# --- Head Trauma-Child -----------------------------------------------------------------
expect_outcome $head_trauma head_trauma_child/infant-9mo-occipital-hematoma.json matched 2
expect_outcome $head_trauma head_trauma_child/variant1-very-low-risk.json matched 1
expect_outcome $head_trauma head_trauma_child/variant3-gcs14.json matched 3
expect_outcome $head_trauma head_trauma_child/variant4-gcs11.json matched 4
expect_outcome $head_trauma head_trauma_child/variant5-subacute.json matched 5
expect_outcome $head_trauma head_trauma_child/variant6-chronic.json matched 6
expect_outcome $head_trauma head_trauma_child/fall-36-inches-fhir.json matched 2
expect_outcome $head_trauma head_trauma_child/excluded-suspected-abuse.json no_criteria_apply
expect_outcome $head_trauma head_trauma_child/undetermined-vomiting-unknown.json undetermined

out=$("$rubric" eval $head_trauma --patient $cases/head_trauma_child/excluded-suspected-abuse.json --format json 2>&1)
grep -q "Suspected Physical Abuse-Child" <<<"$out" || fail "abuse: the advice does not name ACR's separate topic"
# A 6-year-old with every other PECARN finding for 2 years and older absent:
# vomiting alone decides intermediate (2) against very low risk (1); the
# under-2 findings left unknown (hematoma, palpable fracture, acting normally)
# cannot matter at 6 and must not be asked for.
out=$("$rubric" eval $head_trauma --patient $cases/head_trauma_child/undetermined-vomiting-unknown.json --format json 2>&1)
grep -q '"missing":\["vomiting"\]' <<<"$(tr -d ' \n' <<<"$out")" || fail "vomiting unknown: not the one missing fact"

# The 9-month-old: the ratings, with pediatric radiation levels and doses.
out=$("$rubric" explain $head_trauma --patient $cases/head_trauma_child/infant-9mo-occipital-hematoma.json --color=never 2>&1)
grep -q "matched variant 2" <<<"$out" || fail "infant: not variant 2"
grep -qE "^  CT head without IV contrast +May be appropriate " <<<"$out" || fail "infant: CT head without IV contrast is not May be appropriate"
[ "$(grep -cE '^  .+  +Usually not appropriate ' <<<"$out")" -eq 9 ] || fail "infant: not 9 usually not appropriate"
grep -qE "^  Radiography skull +Usually not appropriate +☢☢ +0\.03-0\.3 mSv" <<<"$out" \
  || fail "infant: skull radiography without its pediatric level ☢☢ and dose 0.03-0.3 mSv"
grep -qE "^  Arteriography cerebral +Usually not appropriate +☢☢☢☢ +3-10 mSv" <<<"$out" \
  || fail "infant: cerebral arteriography without its pediatric level ☢☢☢☢ and dose 3-10 mSv"
grep -q "scalp_hematoma = {occipital}" <<<"$out" || fail "infant: the explanation does not name the hematoma"

# --- Suspected Pulmonary Embolism ------------------------------------------------------
expect_outcome $pe suspected_pe/adult-70yo-wells3-ddimer600.json matched 1
expect_outcome $pe suspected_pe/variant2-positive-ddimer.json matched 2
expect_outcome $pe suspected_pe/variant3-high-wells.json matched 3
expect_outcome $pe suspected_pe/variant4-pregnant.json matched 4
expect_outcome $pe suspected_pe/perc-negative-low.json no_criteria_apply
expect_outcome $pe suspected_pe/cds-hooks-78yo-no-ddimer.json undetermined
expect_outcome $pe_2016 suspected_pe/adult-70yo-wells3-ddimer600.json matched 1
expect_outcome $pe_2016 suspected_pe/variant4-pregnant.json matched 3

out=$("$rubric" eval $pe --patient $cases/suspected_pe/perc-negative-low.json --format json 2>&1)
grep -q "neither a D-dimer nor imaging is needed" <<<"$out" || fail "PERC negative: the advice is missing"
# The 78-year-old: Wells 0 (low), PERC positive (age, one swollen leg), so
# only the D-dimer can decide; the unknown PERC items cannot change that.
out=$("$rubric" eval $pe --patient $cases/suspected_pe/cds-hooks-78yo-no-ddimer.json --format json 2>&1)
grep -q '"missing":\["d_dimer"\]' <<<"$(tr -d ' \n' <<<"$out")" || fail "78-year-old without D-dimer: d_dimer is not the one missing fact"

# The 70-year-old: no imaging, and the explanation shows the age-adjusted cut-off.
out=$("$rubric" explain $pe --patient $cases/suspected_pe/adult-70yo-wells3-ddimer600.json --color=never 2>&1)
grep -q "matched variant 1" <<<"$out" || fail "70-year-old: not variant 1"
[ "$(grep -cE '^  .+  +Usually not appropriate ' <<<"$out")" -eq 12 ] || fail "70-year-old: not all 12 usually not appropriate"
grep -q "700 ng/mL" <<<"$out" || fail "70-year-old: the age-adjusted cut-off of 700 ng/mL is not shown"
grep -q "600 ng/mL" <<<"$out" || fail "70-year-old: the D-dimer of 600 ng/mL is not shown"
grep -qi "wells.*3" <<<"$out" || fail "70-year-old: the Wells score of 3 is not shown"
grep -q "caveat: Procedure unresolved" <<<"$out" || fail "70-year-old: the unresolved row's caveat is not shown"

[ $failures -eq 0 ] && echo "content cases (head trauma, suspected PE): ok"
[ $failures -eq 0 ] || printf '%s\n' "$out" | sed 's/^/  | /'
exit $((failures > 0))
