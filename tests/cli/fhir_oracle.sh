#!/usr/bin/env bash
# The FHIRPath oracle (tests/fhir/): 10,000 seeded Low Back Pain Bundles
# (tests/fhir/generate.mjs) through the runtime's decoder (fhir_facts_dump);
# every fact and set member it derives must equal what FHIRPath expressions
# evaluated by the npm `fhirpath` package give (tests/fhir/oracle.mjs), then
# 2,000 more with another seed, where red_flags must be decided as a whole
# in some (the generated red-flag screens answer night pain, which no code
# can). Skipped, with a message,
# only where Node.js and npm are absent.
# Usage: tests/cli/fhir_oracle.sh RUBRIC_BINARY BUILD_DIR   (from the project root)
set -uo pipefail
rubric="$1"
build="$2"
dir=tests/fhir
if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
  echo "SKIP fhir_oracle: Node.js/npm not installed (apt-get install nodejs npm to run this test)"
  exit 0
fi
bash "$dir/install.sh" || exit 1
dump="$build/tests/fhir_facts_dump"
[ -x "$dump" ] || { echo "fhir_oracle: $dump not built" >&2; exit 1; }
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
"$rubric" compile guidelines/acr/low_back_pain.rubric --no-verify -o "$out/lbp.graph.json" || exit 1

check() {  # GRAPH SEED COUNT
  node "$dir/generate.mjs" "$1" "$2" "$3" > "$out/bundles.ndjson" || exit 1
  "$dump" "$1" < "$out/bundles.ndjson" > "$out/facts.ndjson" || exit 1
  node "$dir/oracle.mjs" "$1" "$out/bundles.ndjson" "$out/facts.ndjson" || exit 1
}
check "$out/lbp.graph.json" 20261130 10000

# The generator adds red-flag screens (QuestionnaireResponses), so red_flags
# is decided as a whole in some Bundles: by the problem list or the screen.
check "$out/lbp.graph.json" 7 2000
grep -q '"red_flags":\[' "$out/facts.ndjson" || { echo "fhir_oracle: no Bundle had red_flags decided" >&2; exit 1; }

# The comparison must be able to fail: one age a quarter day off is caught.
node -e '
  const fs = require("fs");
  const lines = fs.readFileSync(process.argv[1], "utf8").split("\n");
  const i = lines.findIndex((l) => /"age":[0-9]/.test(l));
  lines[i] = lines[i].replace(/"age":([0-9.]+)/, (_, v) => `"age":${Number(v) + 0.25}`);
  fs.writeFileSync(process.argv[2], lines.join("\n"));
' "$out/facts.ndjson" "$out/broken.ndjson" || exit 1
if ORACLE_SHOW=0 node "$dir/oracle.mjs" "$out/lbp.graph.json" "$out/bundles.ndjson" "$out/broken.ndjson" > "$out/broken.log" 2>&1; then
  echo "fhir_oracle: the oracle accepted a wrong age" >&2
  exit 1
fi
grep -q ", 1 disagreements" "$out/broken.log" || { echo "fhir_oracle: expected exactly one disagreement:" >&2; cat "$out/broken.log" >&2; exit 1; }
