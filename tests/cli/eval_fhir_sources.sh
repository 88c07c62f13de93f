#!/usr/bin/env bash
# FHIR sources beyond conditions and procedures (docs/fhir.md), on the test
# guideline tests/fixtures/fhir_sources.rubric: the latest final Observation's
# valueQuantity converted to the fact's unit (0.45 mg/L → 450 ng/mL), a
# preliminary one ignored, a dataAbsentReason unknown, a unit of another
# dimension unknown with a data-quality warning naming the resource and the
# value; a count known only in a complete record; a medication from a
# MedicationRequest or MedicationStatement by status; a questionnaire answer
# from either of two questionnaires (`or`); and the Suspected PE bindings on
# guidelines/acr/cases/suspected_pe/wells3-ddimer600.bundle.json (variant 1,
# as the guideline's example of the same patient).
# Usage: eval_fhir_sources.sh RUBRIC_BINARY   (run from the source root)
source "$(dirname "$0")/lib/fhir_setup.sh"
guideline=tests/fixtures/fhir_sources.rubric

# A Bundle: the order (CPT 72148, 2025-06-02) plus the entries given.
bundle() {
  local extra=$1
  echo '{"resourceType":"Bundle","id":"b","entry":[{"resource":{"resourceType":"Patient","id":"p","birthDate":"1970-06-02"}},{"resource":{"resourceType":"ServiceRequest","id":"mri","authoredOn":"2025-06-02","code":{"coding":[{"system":"http://www.ama-assn.org/go/cpt","code":"72148"}]}}}'"${extra:+,$extra}"']}'
}
obs() {  # id status date code value-json
  echo '{"resource":{"resourceType":"Observation","id":"'"$1"'","status":"'"$2"'","effectiveDateTime":"'"$3"'","code":{"coding":[{"system":"http://loinc.org","code":"'"$4"'"}]},'"$5"'}}'
}
condition() { echo '{"resource":{"resourceType":"Condition","id":"'"$1"'","code":{"coding":[{"system":"http://hl7.org/fhir/sid/icd-10-cm","code":"'"$2"'"}]}}}'; }
medication() {  # type id status
  local date='"authoredOn":"2025-05-01"'
  [ "$1" = MedicationStatement ] && date='"effectivePeriod":{"start":"2025-01-01"}'
  echo '{"resource":{"resourceType":"'"$1"'","id":"'"$2"'","status":"'"$3"'",'"$date"',"medicationCodeableConcept":{"coding":[{"system":"http://www.nlm.nih.gov/research/umls/rxnorm","code":"11289"}]}}}'
}
screen() {  # questionnaire answer
  echo '{"resource":{"resourceType":"QuestionnaireResponse","id":"s","questionnaire":"'"$1"'","status":"completed","authored":"2025-06-01","item":[{"linkId":"night-pain","answer":[{"valueBoolean":'"$2"'}]}]}}'
}
run() { bundle "$1" >"$tmp/b.json"; "$rubric" eval "$guideline" --fhir "$tmp/b.json" --color never 2>&1; }

# --- every source gives its value, with provenance ------------------------------------------
hr_old=$(obs hr1 final 2025-06-01T08:00:00Z 8867-4 '"valueQuantity":{"value":130,"unit":"beats/minute","system":"http://unitsofmeasure.org","code":"/min"}')
hr_new=$(obs hr2 final 2025-06-02T09:00:00Z 8867-4 '"valueQuantity":{"value":88,"unit":"beats/minute","system":"http://unitsofmeasure.org","code":"/min"}')
hr_pre=$(obs hr3 preliminary 2025-06-02T10:00:00Z 8867-4 '"valueQuantity":{"value":150,"unit":"/min"}')
dd=$(obs dd final 2025-06-02 48065-7 '"valueQuantity":{"value":0.45,"unit":"mg/L","system":"http://unitsofmeasure.org","code":"mg/L"}')
out=$(run "$hr_old,$hr_new,$hr_pre,$dd,$(condition c1 M54.50),$(condition c2 M54.59),$(condition c3 I10),$(medication MedicationRequest w active),$(screen http://example.org/q2 false)")
contains "$out" "variant 2"
contains "$out" "  heart_rate = 88 /min: Observation/hr2 (LOINC 8867-4) = 88 /min, effective 2025-06-02T09:00:00Z"
contains "$out" "  d_dimer = 450 ng/mL: Observation/dd (LOINC 48065-7) = 0.45 mg/L, effective 2025-06-02"
contains "$out" "  back_pain = 2: 2 (Condition/c1, Condition/c2)"
contains "$out" "  on_warfarin = true: MedicationRequest/w (RxNorm 11289, an unverified code), dated 2025-05-01"
# `or` is Kleene OR: no from one questionnaire and nothing from the other is unknown.
contains "$out" "  night_pain = unknown: no completed QuestionnaireResponse to \`http://example.org/q\`; QuestionnaireResponse/s item night-pain answered no, authored 2025-06-01"

# --- unknowns, honestly -------------------------------------------------------------------
absent=$(obs hr final 2025-06-02 8867-4 '"dataAbsentReason":{"coding":[{"code":"not-performed"}]}')
kg=$(obs dd final 2025-06-02 48065-7 '"valueQuantity":{"value":80,"unit":"kg","system":"http://unitsofmeasure.org","code":"kg"}')
out=$(run "$absent,$kg,$(medication MedicationStatement w stopped)")
contains "$out" "  heart_rate = unknown: Observation/hr (LOINC 8867-4) has no value (dataAbsentReason), effective 2025-06-02"
contains "$out" "  d_dimer = unknown: Observation/dd (LOINC 48065-7) has value 80 kg, which does not convert to \`d_dimer\`"
contains "$out" "data quality: Observation/dd has value 80 kg: \`d_dimer\`:"
contains "$out" "  back_pain = 0: no Condition in \`fhir_sources.low_back_pain\`"
contains "$out" "  on_warfarin = false: no MedicationRequest or MedicationStatement in"
contains "$out" "  night_pain = unknown: no completed QuestionnaireResponse to \`http://example.org/q\`; no completed QuestionnaireResponse to \`http://example.org/q2\`"
out=$(run "$(obs hr final 2025-05-20 8867-4 '"valueQuantity":{"value":70,"code":"/min","system":"http://unitsofmeasure.org"}')")
contains "$out" "  heart_rate = unknown: no final Observation in"
out=$(run "$(screen http://example.org/q true)")
contains "$out" "  night_pain = true: QuestionnaireResponse/s item night-pain answered yes, authored 2025-06-01"

# --- Suspected PE: vital signs, the D-dimer, the problem list and the work-up form -------------
pe=$("$rubric" eval guidelines/acr/suspected_pe.rubric --fhir guidelines/acr/cases/suspected_pe/wells3-ddimer600.bundle.json --color never 2>&1) ||
  fail "eval suspected_pe --fhir exited $?"
contains "$pe" "matched: variant 1 "
contains "$pe" "  order: ServiceRequest/cta (CPT 71275), authored 2025-06-02 → CTA pulmonary arteries with IV contrast"
contains "$pe" "  heart_rate = 108 /min: Observation/hr (LOINC 8867-4 Heart rate) = 108 /min, effective 2025-06-02T08:40:00Z"
contains "$pe" "  d_dimer = 600 ng/mL: Observation/ddimer (LOINC 48065-7 Fibrin D-dimer FEU [Mass/volume] in Platelet poor plasma) = 0.6 mg/L, effective 2025-06-02T09:15:00Z"
contains "$pe" "  prior_dvt_or_pe = true: Condition/old-pe (ICD-10-CM Z86.711 Personal history of pulmonary embolism), onset 2019-11-04"
contains "$pe" "  pregnant = false: QuestionnaireResponse/workup item pregnant answered no, authored 2025-06-02"
grep -qF "pretest_probability =" <<<"$pe" && fail "pretest_probability is deliberately unbound"

# `latest observation` is an Observation binding in the graph (it was once
# stored as a Condition binding, so why-not and the prefetch check named the
# wrong resource).
"$rubric" compile "$guideline" --no-verify -o "$tmp/g.json" >/dev/null 2>&1 || fail "compile $guideline"
python3 -c 'import json,sys; b=[x for x in json.load(open(sys.argv[1]))["fhir"]["bindings"] if x["source"]=="observation_value"]; assert b and all(x["resource"]=="observation" for x in b), b' "$tmp/g.json" \
  || fail "observation_value bindings are not Observation bindings in the graph"

finish eval_fhir_sources
