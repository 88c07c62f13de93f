#!/usr/bin/env bash
# Data nobody here wrote: every Patient, Condition, Observation, Procedure,
# ServiceRequest, QuestionnaireResponse, MedicationRequest and
# MedicationStatement example of the HL7 FHIR R4 specification (npm
# hl7.fhir.r4.examples, pinned in tests/fhir/), each in a Bundle with an order,
# and every example Bundle as published, through `rubric eval --fhir-bundles`
# for each guideline with a `fhir` block: no crash, one result per Bundle in
# order, no error line (the one Bundle over the size limit gets exactly the
# limit's message). Skipped, with a message, only where Node.js/npm are absent.
# Usage: tests/cli/fhir_hl7_examples.sh RUBRIC_BINARY BUILD_DIR   (from the project root)
set -uo pipefail
rubric="$1"
dir=tests/fhir
if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
  echo "SKIP fhir_hl7_examples: Node.js/npm not installed (apt-get install nodejs npm to run this test)"
  exit 0
fi
bash "$dir/install.sh" || exit 1
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
node "$dir/hl7_examples.mjs" bundles "$out/examples.ndjson" || exit 1

guidelines=$(grep -l '^fhir ' guidelines/*/*.rubric)
[ -n "$guidelines" ] || { echo "fhir_hl7_examples: no guideline has a fhir block" >&2; exit 1; }
for guideline in $guidelines; do
  echo "== $guideline"
  "$rubric" eval "$guideline" --fhir-bundles "$out/examples.ndjson" --format ndjson > "$out/results.ndjson" 2> "$out/stderr"
  rc=$?
  # Exit 1 (not a crash, not 0) because of the one Bundle over the size limit.
  if [ "$rc" -ne 1 ]; then
    echo "fhir_hl7_examples: $guideline exited $rc (expected 1: one Bundle over the size limit)" >&2
    cat "$out/stderr" >&2
    exit 1
  fi
  node "$dir/hl7_examples.mjs" check "$out/examples.ndjson" "$out/results.ndjson" || exit 1
done

# The check must be able to fail: a Condition whose onset is not a FHIR date is an error line.
sed '0,/"onsetDateTime":"[^"]*"/s//"onsetDateTime":"yesterday"/' "$out/examples.ndjson" > "$out/broken.ndjson"
cp "$out/examples.ndjson.manifest.json" "$out/broken.ndjson.manifest.json"
"$rubric" eval guidelines/acr/low_back_pain.rubric --fhir-bundles "$out/broken.ndjson" --format ndjson > "$out/results.ndjson" 2>/dev/null
if node "$dir/hl7_examples.mjs" check "$out/broken.ndjson" "$out/results.ndjson" > "$out/broken.log" 2>&1; then
  echo "fhir_hl7_examples: the check accepted a Bundle with an onset of \"yesterday\"" >&2
  exit 1
fi
grep -q 'onsetDateTime: \\"yesterday\\" is not a FHIR date' "$out/broken.log" || { echo "fhir_hl7_examples: unexpected failure:" >&2; cat "$out/broken.log" >&2; exit 1; }
