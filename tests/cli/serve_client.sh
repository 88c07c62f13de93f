#!/usr/bin/env bash
# Drives the real `rubric serve` with a real CDS Hooks client: the Node.js
# suites in tests/serve/ (node:test, built-in fetch, npm ajv for the CDS
# Hooks 2.0 response schema, npm fhir for FHIR R4 validation, npm jose for
# client JWTs; pinned by tests/serve/package-lock.json, installed with
# `npm ci`). Servers bind 127.0.0.1 on a free port and are stopped with
# SIGTERM (they must exit 0). Skipped, with a message, only where Node.js or
# npm is absent.
# Usage: tests/cli/serve_client.sh RUBRIC_BINARY   (run from the project root)
set -uo pipefail
rubric="$(cd "$(dirname "$1")" && pwd)/$(basename "$1")"
dir=tests/serve
if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  echo "SKIP serve_client: Node.js/npm not installed (apt-get install nodejs npm to run this test)"
  exit 0
fi
if [ ! -d "$dir/node_modules/ajv" ] || [ ! -d "$dir/node_modules/fhir" ] || [ ! -d "$dir/node_modules/jose" ]; then
  # `npm ci` installs exactly the locked versions; retry once for a flaky registry.
  if ! (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error >/dev/null 2>npm-ci.log); then
    sleep 2
    if ! (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error >/dev/null 2>npm-ci.log); then
      echo "FAIL serve_client: npm ci could not install the test client packages:" >&2
      cat "$dir/npm-ci.log" >&2; rm -f "$dir/npm-ci.log"; exit 1
    fi
  fi
  rm -f "$dir/npm-ci.log"
fi
RUBRIC="$rubric" timeout 600 node --test --test-concurrency=1 --test-timeout=300000 "$dir"/*.test.mjs
