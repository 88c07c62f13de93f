#!/usr/bin/env bash
# Drives the real `rubric lsp` with a real LSP client: the Node.js suite in
# tests/lsp/ (node --test, npm vscode-jsonrpc + vscode-languageserver-protocol,
# pinned by tests/lsp/package-lock.json and installed with `npm ci`). It runs
# the editor scenario of docs/editor.md and the robustness cases. Skipped, with
# a message, only where Node.js or npm is absent.
# Usage: tests/cli/lsp_client.sh RUBRIC_BINARY   (run from the project root)
set -uo pipefail
rubric="$(cd "$(dirname "$1")" && pwd)/$(basename "$1")"
dir=tests/lsp
if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  echo "SKIP lsp_client: Node.js/npm not installed (apt-get install nodejs npm to run this test)"
  exit 0
fi
if [ ! -d "$dir/node_modules/vscode-jsonrpc" ] || [ ! -d "$dir/node_modules/vscode-languageserver-protocol" ]; then
  # `npm ci` installs exactly the locked versions; retry once for a flaky registry.
  if ! (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error >/dev/null 2>npm-ci.log); then
    sleep 2
    if ! (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error >/dev/null 2>npm-ci.log); then
      echo "FAIL lsp_client: npm ci could not install the LSP client packages:" >&2
      cat "$dir/npm-ci.log" >&2; rm -f "$dir/npm-ci.log"; exit 1
    fi
  fi
  rm -f "$dir/npm-ci.log"
fi
RUBRIC="$rubric" node --test --test-concurrency=1 "$dir"/*.test.mjs
