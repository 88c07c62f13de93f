#!/usr/bin/env bash
# The project's own .rubric sources are in the canonical layout: what CI's
# `rubric fmt --check` enforces (guidelines, stdlib, the editor sample).
# Test fixtures (tests/) are deliberately odd and are left as written.
# Usage: tests/cli/fmt_project.sh RUBRIC_BINARY [BUILD_DIR]   (run from the project root)
set -uo pipefail
rubric="$1"
if "$rubric" fmt --check guidelines stdlib editors; then
  echo "fmt_project: every project .rubric file is formatted"
else
  echo "fmt_project: FAILED — run \`rubric fmt guidelines stdlib editors\` and review the diff above" >&2
  exit 1
fi
