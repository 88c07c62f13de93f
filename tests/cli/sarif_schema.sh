#!/usr/bin/env bash
# `rubric lint --format sarif` validates against the official SARIF 2.1.0 JSON
# schema (the copy shipped in the npm package @microsoft/jest-sarif), checked
# with ajv. Skipped, with a message, only where Node.js and npm are absent.
# Usage: tests/cli/sarif_schema.sh RUBRIC_BINARY   (run from the project root)
set -uo pipefail
rubric="$1"
dir=tests/sarif
if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
  echo "sarif_schema: SKIPPED — Node.js/npm not installed; SARIF structure is still checked by lint_sarif_test"
  exit 0
fi
if [ ! -d "$dir/node_modules/ajv" ] || [ ! -d "$dir/node_modules/@microsoft/jest-sarif" ]; then
  (cd "$dir" && npm ci --no-audit --no-fund --silent) || { echo "sarif_schema: npm ci failed" >&2; exit 1; }
fi
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
"$rubric" lint --format sarif guidelines/acr/low_back_pain.rubric > "$out/guideline.sarif" 2>/dev/null
"$rubric" lint --format sarif tests/verify > "$out/findings.sarif" 2>/dev/null
"$rubric" lint --format sarif tests/lint > "$out/lints.sarif" 2>/dev/null
node "$dir/validate.js" "$out/guideline.sarif" "$out/findings.sarif" "$out/lints.sarif" || exit 1
# The validator must reject what the schema forbids, or the check above proves nothing.
node -e '
const fs = require("fs");
const log = JSON.parse(fs.readFileSync(process.argv[1], "utf8"));
log.runs[0].results[0].level = "fatal";
fs.writeFileSync(process.argv[2], JSON.stringify(log));' "$out/findings.sarif" "$out/broken.sarif"
if node "$dir/validate.js" "$out/broken.sarif" >/dev/null 2>&1; then
  echo "sarif_schema: the validator accepted an invalid level" >&2
  exit 1
fi
echo "sarif_schema: SARIF output is valid against the 2.1.0 schema"
