#!/usr/bin/env bash
# The Head Trauma-Child bindings (guidelines/acr/head_trauma_child.rubric,
# docs/fhir.md): the example Bundle
# guidelines/acr/cases/head_trauma_child/variant2-vomiting.bundle.json — a
# 3-year-old, GCS 15 (LOINC 9269-2), seen 2 hours after a 2-foot fall, who
# vomited and has no other PECARN finding, for a head CT without contrast
# (CPT 70450) — gives variant 2 (intermediate risk from 2 years: vomiting),
# with the CT rated "May be appropriate" and leading the ratings. The form's
# durations and the fall height are valueQuantity answers converted through
# the unit table; without the form, PECARN's findings are unknown.
# Usage: eval_fhir_head_trauma.sh RUBRIC_BINARY   (run from the source root)
source "$(dirname "$0")/lib/fhir_setup.sh"
ht=guidelines/acr/head_trauma_child.rubric
case=guidelines/acr/cases/head_trauma_child/variant2-vomiting.bundle.json

out=$("$rubric" eval "$ht" --fhir "$case" --color never 2>&1) || fail "eval --fhir exited $?: $out"
contains "$out" "matched: variant 2 — Child. Minor acute blunt head trauma. Intermediate risk"
contains "$out" "  order: ServiceRequest/ct (CPT 70450), authored 2025-06-02T14:20:00Z → CT head without IV contrast"
contains "$out" "  age = 3 years 84 days: Patient/ht3 birthDate 2022-03-10, at the order ServiceRequest/ct authoredOn 2025-06-02T14:20:00Z"
contains "$out" "  time_since_injury = 2 hours: QuestionnaireResponse/head-injury-form item time-since-injury answered 2 h, authored 2025-06-02T14:10:00Z"
contains "$out" "  loss_of_consciousness = 0 days: QuestionnaireResponse/head-injury-form item loss-of-consciousness answered 0 s"
contains "$out" "  fall_height = 0.6096 m: QuestionnaireResponse/head-injury-form item fall-height answered 2 [ft_i]"
contains "$out" "  gcs = 15: Observation/gcs (LOINC 9269-2 Glasgow coma score total) = 15, effective 2025-06-02T14:05:00Z"
contains "$out" "  vomiting = true: QuestionnaireResponse/head-injury-form item vomiting answered yes"
contains "$out" "  suspected_abuse = false: no Condition in \`stdlib.codes.head_trauma.child_physical_abuse\`, and conditions are declared complete; QuestionnaireResponse/head-injury-form item suspected-abuse answered no"
# The ordered CT leads the ratings, with variant 2's rating.
first=$(grep -A2 "^matched:" <<<"$out" | sed -n 3p)
contains "$first" "CT head without IV contrast"
contains "$first" "May be appropriate"

# The batch line says the same as the single-Bundle JSON.
"$rubric" eval "$ht" --fhir "$case" --format json >"$tmp/single.json" 2>&1 || fail "--format json exited $?"
python3 -c 'import json,sys; print(json.dumps(json.load(open(sys.argv[1]))))' "$case" >"$tmp/one.ndjson"
"$rubric" eval "$ht" --fhir-bundles "$tmp/one.ndjson" --format ndjson >"$tmp/batch.ndjson" 2>&1 || fail "--fhir-bundles exited $?"
python3 - "$tmp/single.json" "$tmp/batch.ndjson" <<'PY' || fail "JSON and batch line"
import json, sys
single = json.load(open(sys.argv[1]))
batch = json.loads(open(sys.argv[2]).readline())
for d in (single, batch):
    assert d["status"] == "matched" and d["variant"]["id"] == "2", d["variant"]
    assert d["fhir"]["ordered_procedure"] == "CT head without IV contrast", d["fhir"]
    assert d["fhir"]["ordered_rating"] == "May be appropriate", d["fhir"]
PY

# Without the form: PECARN's findings are unknown, so the child is undetermined.
python3 - "$case" "$tmp/no-form.json" <<'PY'
import json, sys
b = json.load(open(sys.argv[1]))
b["entry"] = [e for e in b["entry"] if e["resource"]["resourceType"] != "QuestionnaireResponse"]
json.dump(b, open(sys.argv[2], "w"))
PY
out=$("$rubric" eval "$ht" --fhir "$tmp/no-form.json" --color never 2>&1)
contains "$out" "undetermined"
contains "$out" "  time_since_injury = unknown: no completed QuestionnaireResponse to \`http://example.org/rubric/Questionnaire/head-trauma-child\` in the window"

# A duration answered in a unit of length is unknown, with a data-quality warning.
python3 - "$case" "$tmp/bad-unit.json" <<'PY'
import json, sys
b = json.load(open(sys.argv[1]))
for e in b["entry"]:
    r = e["resource"]
    if r["resourceType"] == "QuestionnaireResponse":
        q = r["item"][0]["item"][0]["answer"][0]["valueQuantity"]
        assert r["item"][0]["item"][0]["linkId"] == "time-since-injury"
        q.update({"value": 2, "unit": "cm", "code": "cm"})
json.dump(b, open(sys.argv[2], "w"))
PY
out=$("$rubric" eval "$ht" --fhir "$tmp/bad-unit.json" --color never 2>&1)
contains "$out" "data quality: QuestionnaireResponse/head-injury-form item time-since-injury has value 2 cm:"
contains "$out" "  time_since_injury = unknown: QuestionnaireResponse/head-injury-form item time-since-injury answered 2 cm, which does not convert to \`time_since_injury\`"

finish eval_fhir_head_trauma
