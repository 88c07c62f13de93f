#!/usr/bin/env bash
# A batch line (`--fhir-bundles F.ndjson --format ndjson`) carries the same
# `fhir.ordered_rating`, variant and ordered procedure as the single-Bundle
# explanation (`--fhir B.json --format json`): the rating of the ordered
# procedure in the matched variant, read from the graph in both paths (it
# used to be null on every batch line). Checked on the seed Low Back Pain
# Bundle and on every Suspected PE example Bundle.
# Usage: fhir_ordered_rating.sh RUBRIC_BINARY   (run from the source root)
source "$(dirname "$0")/lib/fhir_setup.sh"

compare() {  # guideline bundle expected-rating
  local guideline=$1 bundle=$2 expected=$3
  "$rubric" eval "$guideline" --fhir "$bundle" --format json >"$tmp/single.json" 2>"$tmp/err" ||
    { fail "$bundle: --fhir --format json exited $?: $(cat "$tmp/err")"; return; }
  python3 -c 'import json,sys; print(json.dumps(json.load(open(sys.argv[1]))))' "$bundle" >"$tmp/one.ndjson"
  "$rubric" eval "$guideline" --fhir-bundles "$tmp/one.ndjson" --format ndjson >"$tmp/batch.ndjson" 2>"$tmp/err" ||
    { fail "$bundle: --fhir-bundles exited $?: $(cat "$tmp/err")"; return; }
  python3 - "$tmp/single.json" "$tmp/batch.ndjson" "$expected" <<'PY' || fail "$bundle: batch and single-Bundle disagree"
import json, sys
single = json.load(open(sys.argv[1]))
lines = [json.loads(l) for l in open(sys.argv[2])]
assert len(lines) == 1, lines
batch = lines[0]
assert single["status"] == batch["status"] == "matched", (single["status"], batch["status"])
assert single["variant"]["id"] == batch["variant"]["id"], (single["variant"], batch["variant"])
for key in ("ordered_procedure", "ordered_rating"):
    assert single["fhir"][key] == batch["fhir"][key], (key, single["fhir"][key], batch["fhir"][key])
assert batch["fhir"]["ordered_rating"] == sys.argv[3], batch["fhir"]
PY
}

compare guidelines/acr/low_back_pain.rubric guidelines/acr/cases/seed-55yo.bundle.json "Usually not appropriate"
compare guidelines/acr/suspected_pe.rubric guidelines/acr/cases/suspected_pe/wells3-ddimer600.bundle.json "Usually not appropriate"

finish fhir_ordered_rating
