#!/usr/bin/env bash
# Tokenizes .rubric files with the VS Code TextMate engine (npm vscode-textmate +
# vscode-oniguruma, pinned by editors/vscode/package-lock.json) and checks scopes:
# a sample with every construct against expected scopes, and every guideline and
# stdlib file for rating lines with procedure and category scopes and no invalid
# tokens. Skipped, with a message, where Node.js or npm is absent.
# Usage: tests/cli/editor_tokens.sh RUBRIC_BINARY [BUILD_DIR]   (run from the project root)
set -euo pipefail
cd "$(dirname "$0")/../.."
if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  echo "SKIP editor_tokens: Node.js/npm not installed (apt-get install nodejs npm to run this test)"
  exit 0
fi
cd editors/vscode
# `npm ci` installs exactly the locked versions (once: the extension's packaging
# tools make it slow); retry once for a flaky registry.
if [ -d node_modules/vscode-textmate ] && [ -d node_modules/vscode-oniguruma ]; then
  :
elif ! npm ci --no-audit --no-fund --loglevel=error >/dev/null 2>npm-ci.log; then
  sleep 2
  if ! npm ci --no-audit --no-fund --loglevel=error >/dev/null 2>npm-ci.log; then
    echo "FAIL editor_tokens: npm ci could not install vscode-textmate and vscode-oniguruma:" >&2
    cat npm-ci.log >&2; rm -f npm-ci.log; exit 1
  fi
fi
rm -f npm-ci.log
mapfile -t files < <(find ../../guidelines ../../stdlib -name '*.rubric' 2>/dev/null | sort)
node test/scopes_test.js "${files[@]}"
