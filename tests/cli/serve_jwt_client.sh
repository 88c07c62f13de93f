#!/usr/bin/env bash
# Every JWT rejection of CDS Hooks 2.0 §Trusting CDS Clients against the real
# `rubric serve`: the Node.js suite tests/serve_security/jwt.test.mjs
# (node:test; jose, pinned by tests/serve_security/package-lock.json and
# installed with `npm ci`, signs the tokens and a node http server on
# 127.0.0.1 serves a JWK Set as the allow-listed `jku`). Skipped, with a
# message, only where Node.js or npm is absent.
# Usage: tests/cli/serve_jwt_client.sh RUBRIC_BINARY   (run from the project root)
set -uo pipefail
rubric="$(cd "$(dirname "$1")" && pwd)/$(basename "$1")"
dir=tests/serve_security
if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  echo "SKIP serve_jwt_client: Node.js/npm not installed (apt-get install nodejs npm to run this test)"
  exit 0
fi
if [ ! -d "$dir/node_modules/jose" ]; then
  # `npm ci` installs exactly the locked versions; retry once for a flaky registry.
  if ! (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error >/dev/null 2>npm-ci.log); then
    sleep 2
    if ! (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error >/dev/null 2>npm-ci.log); then
      echo "FAIL serve_jwt_client: npm ci could not install jose:" >&2
      cat "$dir/npm-ci.log" >&2; rm -f "$dir/npm-ci.log"; exit 1
    fi
  fi
  rm -f "$dir/npm-ci.log"
fi
RUBRIC="$rubric" node --test --test-concurrency=1 "$dir"/*.test.mjs
