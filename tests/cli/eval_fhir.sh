#!/usr/bin/env bash
# `rubric eval --fhir` and `--fhir-bundles` (issue 14): the seed Bundle gives
# variant 2 — every red flag is absent from the complete problem list and
# answered no in the clinician's red-flag screen (a QuestionnaireResponse) —
# with the ordered procedure (CPT 72148 in the ServiceRequest) leading the
# ratings and every bound fact's provenance in the text and the JSON; without
# the screen, red_flags is unknown (night pain has no code: only the screen
# can answer it); a batch keeps N lines in, N lines out, with an error line
# naming what is wrong in a malformed Bundle; a guideline without bindings is
# a usage error.
# Usage: eval_fhir.sh RUBRIC_BINARY   (run from the source root)
source "$(dirname "$0")/lib/fhir_setup.sh"
lbp=guidelines/acr/low_back_pain.rubric
seed=guidelines/acr/cases/seed-55yo.bundle.json

# --- text: variant 2, every fact's source ---------------------------------------------------
out=$("$rubric" eval "$lbp" --fhir "$seed" --color never 2>&1) || fail "eval --fhir exited $?"
contains "$out" "variant 2"
contains "$out" "MRI lumbar spine without IV contrast"
contains "$out" "  red_flags = {}: from the bound members"
contains "$out" "    excludes nocturnal_pain: QuestionnaireResponse/red-flag-screen item nocturnal-pain answered no, authored 2025-06-02"
contains "$out" "    excludes fever: no Condition in \`stdlib.codes.red_flags.fever\`, and conditions are declared complete; QuestionnaireResponse/red-flag-screen item fever answered no, authored 2025-06-02"
fever='{"resourceType":"Bundle","id":"fever","entry":[{"resource":{"resourceType":"Patient","id":"f","birthDate":"1960-01-01"}},{"resource":{"resourceType":"ServiceRequest","id":"o","authoredOn":"2025-06-02","code":{"coding":[{"system":"http://www.ama-assn.org/go/cpt","code":"72148"}]}}},{"resource":{"resourceType":"Condition","id":"c","code":{"coding":[{"system":"http://snomed.info/sct","code":"386661006"}]},"onsetDateTime":"2025-05-30"}}]}'
echo "$fever" >"$tmp/fever.json"
fout=$("$rubric" eval "$lbp" --fhir "$tmp/fever.json" --color never 2>&1) || fail "eval --fhir fever exited $?"
# Fever is found, but without a screen the other flags stay undecided (one "unknown", not two).
# No screen: every other red flag is undecided, but the fever found rules out
# the no-red-flag variants (a partly known set), leaving cauda equina or variant 7.
contains "$fout" "undetermined: candidates 4, 7; missing red_flags (undecided: saddle_anesthesia, bowel_or_bladder_dysfunction,"
contains "$fout" "  red_flags = {fever} (saddle_anesthesia, bowel_or_bladder_dysfunction,"
contains "$fout" "partly known: undecided saddle_anesthesia (unknown: no Condition in"
contains "$fout" "    includes fever: Condition/c (SNOMED 386661006), onset 2025-05-30"
grep -qF "unknown: unknown" <<<"$fout$out" && fail "a provenance line says \"unknown: unknown\""
contains "$out" "  order: ServiceRequest/mri (CPT 72148), authored 2025-06-02 → MRI lumbar spine without IV contrast"
contains "$out" "  age = 55 years: Patient/seed birthDate 1970-06-02, at the order ServiceRequest/mri authoredOn 2025-06-02"
contains "$out" "  symptom_duration = 12 weeks: Condition/lbp (ICD-10-CM M54.16 Radiculopathy, lumbar region), onset 2025-03-10, 84 days before the order ServiceRequest/mri authoredOn 2025-06-02"
contains "$out" "  radiculopathy = true: Condition/lbp (ICD-10-CM M54.16 Radiculopathy, lumbar region), onset 2025-03-10"
contains "$out" "  conservative_therapy = 0 days: no Procedure in \`stdlib.codes.low_back_pain.conservative_therapy\`, and procedures are declared complete: none"
contains "$out" "  prior_lumbar_surgery = false: no Procedure in \`stdlib.codes.low_back_pain.lumbar_spine_surgery\`, and procedures are declared complete"

# --- JSON: the explanation with a "fhir" key --------------------------------------------------
"$rubric" eval "$lbp" --fhir "$seed" --format json >"$tmp/seed.json" 2>&1 || fail "eval --fhir --format json exited $?"
python3 - "$tmp/seed.json" <<'PY' || fail "JSON provenance"
import json, sys
d = json.load(open(sys.argv[1]))
assert d["status"] == "matched", d
f = d["fhir"]
assert f["ordered_procedure"] == "MRI lumbar spine without IV contrast", f
assert f["ordered_rating"] == "Usually not appropriate", f
facts = {x["fact"]: x for x in f["facts"]}
assert sorted(facts) == ["age", "conservative_therapy", "prior_lumbar_surgery", "radiculopathy", "red_flags", "symptom_duration"], sorted(facts)
assert facts["age"]["value"] == "55 years"
assert facts["symptom_duration"]["source"].startswith("Condition/lbp (ICD-10-CM M54.16"), facts["symptom_duration"]
assert facts["red_flags"]["value"] == "{}", facts["red_flags"]
assert "excludes nocturnal_pain: QuestionnaireResponse/red-flag-screen item nocturnal-pain answered no, authored 2025-06-02" in facts["red_flags"]["source"]
assert all(x["source"] for x in f["facts"])
PY

# --- a compiled graph carries the bindings: the same answer without the compiler ------------------
"$rubric" compile "$lbp" -o "$tmp/lbp.json" >/dev/null 2>&1 || fail "compile"
out2=$("$rubric" eval "$tmp/lbp.json" --fhir "$seed" --color never 2>&1) || fail "eval graph --fhir exited $?"
[ "$out2" = "$out" ] || fail "the compiled graph explains the seed Bundle differently: $(diff <(echo "$out") <(echo "$out2") | head -5)"

# --- batch: N in, N out, in order; a malformed Bundle is an error line ------------------------
{
  python3 -c 'import json,sys; print(json.dumps(json.load(open(sys.argv[1]))))' "$seed"
  echo '{"resourceType": "Bundle", "entry": [3]}'
  echo "$fever"
  echo 'not json'
} >"$tmp/batch.ndjson"
"$rubric" eval "$lbp" --fhir-bundles "$tmp/batch.ndjson" --format ndjson >"$tmp/out.ndjson" 2>"$tmp/err.txt"
[ $? -eq 1 ] || fail "a batch with bad Bundles exits 1"
[ "$(wc -l <"$tmp/out.ndjson")" -eq 4 ] || fail "4 Bundles in, $(wc -l <"$tmp/out.ndjson") lines out"
python3 - "$tmp/out.ndjson" <<'PY' || fail "batch lines"
import json, sys
lines = [json.loads(l) for l in open(sys.argv[1])]
assert lines[0]["id"] == "seed-55yo" and lines[0]["status"] == "matched", lines[0]
assert lines[0]["fhir"]["ordered_procedure"] == "MRI lumbar spine without IV contrast"
assert lines[1]["status"] == "error" and lines[1]["error"] == "line 2: entry[0]: expected an object", lines[1]
assert lines[2]["id"] == "fever" and lines[2]["status"] == "undetermined" and "red_flags" in lines[2]["missing"], lines[2]
assert lines[3]["status"] == "error" and lines[3]["error"].startswith("line 4: not valid JSON"), lines[3]
PY
contains "$(cat "$tmp/err.txt")" "4 Bundles: 2 errors"

# --- usage errors ------------------------------------------------------------------------------
err=$("$rubric" eval guidelines/acr/history/suspected_pe_2016.rubric --fhir "$seed" 2>&1)
[ $? -eq 2 ] || fail "a guideline without bindings exits 2"
contains "$err" "error: guideline \`acr.history.suspected_pe_2016\` has no \`fhir\` block: it does not say how its facts come from FHIR"
err=$("$rubric" eval "$lbp" --fhir "$tmp/missing.json" 2>&1)
[ $? -eq 2 ] || fail "a missing Bundle file exits 2"
err=$("$rubric" eval "$lbp" --fhir-bundles "$tmp/batch.ndjson" --format json 2>&1)
[ $? -eq 2 ] || fail "--fhir-bundles with --format json exits 2"
contains "$err" "error: --fhir-bundles writes NDJSON; use --format ndjson"

# --- explain --fhir --why-not: the resources that would have to exist or change ----------------
out=$("$rubric" explain "$lbp" --fhir "$seed" --why-not "MRI lumbar spine without IV contrast" --color never 2>&1) || fail "explain --fhir exited $?"
contains "$out" "facts from FHIR:"
contains "$out" "  • conservative_therapy ≥ 6 weeks, improved_with_therapy = false, intervention_candidate = true → variant 3, Usually appropriate"
contains "$out" "      intervention_candidate = true: no resource can say so: \`intervention_candidate\` is unbound (the surgeon's or interventionalist's judgement; no code carries it)"
contains "$out" "fever: an active Condition coded in \`stdlib.codes.red_flags.fever\` (ICD-10-CM R50.9 Fever, unspecified, SNOMED 386661006 Fever) with its onset (else its recorded date) within 4 weeks before the order"
json=$("$rubric" explain "$lbp" --fhir "$seed" --why-not "MRI lumbar spine without IV contrast" --format json 2>&1) || fail "explain --fhir --format json exited $?"
python3 -c 'import json,sys; d=json.loads(sys.stdin.read()); assert d["fhir"]["ordered_procedure"]=="MRI lumbar spine without IV contrast"; assert any("is unbound" in c["record"] for o in d["why_not"]["options"] for c in o["changes"])' <<<"$json" || fail "explain --fhir --format json lacks the fhir key or the why-not records"
err=$("$rubric" explain "$lbp" --fhir "$seed" --patient guidelines/acr/cases/seed-55yo.json 2>&1)
[ $? -eq 2 ] || fail "explain with both --fhir and --patient exits 2"
err=$("$rubric" explain "$lbp" 2>&1)
[ $? -eq 2 ] || fail "explain with neither --fhir nor --patient exits 2"
contains "$err" "error: give the patient with --patient FILE.json or --fhir BUNDLE.json"

finish eval_fhir
