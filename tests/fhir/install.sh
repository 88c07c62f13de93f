#!/usr/bin/env bash
# Installs the pinned npm packages of tests/fhir/ (package-lock.json) with
# `npm ci` when they are missing; retries once for a flaky registry. Used by
# tests/cli/fhir_oracle.sh and tests/cli/fhir_hl7_examples.sh.
set -uo pipefail
dir="$(cd "$(dirname "$0")" && pwd)"
[ -d "$dir/node_modules/fhirpath" ] && [ -d "$dir/node_modules/hl7.fhir.r4.examples" ] && exit 0
# Two tests may start at once: one installs, the other waits for it.
exec 9>"$dir/.npm-ci.lock"
flock 9
[ -d "$dir/node_modules/fhirpath" ] && [ -d "$dir/node_modules/hl7.fhir.r4.examples" ] && exit 0
for attempt in 1 2; do
  if (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error >/dev/null 2>npm-ci.log); then
    rm -f "$dir/npm-ci.log"
    exit 0
  fi
  sleep 2
done
echo "FAIL: npm ci could not install tests/fhir's packages (fhirpath, hl7.fhir.r4.examples):" >&2
cat "$dir/npm-ci.log" >&2
rm -f "$dir/npm-ci.log"
exit 1
