#!/usr/bin/env bash
# The reference pages stay true to the code: docs/cli.md and docs/diagnostics.md
# are the joined per-command and per-area pages (scripts/assemble-docs.py), and
# every diagnostic code declared in compiler/diagnostics/codes_*.def has a catalog entry,
# and every file docs/architecture.md names exists.
# Usage: tests/cli/docs_reference.sh RUBRIC_BINARY   (run from the project root)
set -uo pipefail
rubric="$1"
fail=0
python3 scripts/assemble-docs.py --check || fail=1
for code in $(grep -ho 'RUBRIC_DIAGNOSTIC(R[0-9]\{4\}' compiler/diagnostics/codes_*.def | cut -c19-); do
  if ! grep -q "$code" docs/diagnostics.md; then
    echo "docs_reference: $code has no entry in docs/diagnostics.md" >&2
    fail=1
  fi
done
for code in $(grep -ho 'RUBRIC_DIAGNOSTIC(R06[0-9]\{2\}' compiler/diagnostics/codes_lint.def | cut -c19-); do
  grep -q "$code" docs/lints.md || { echo "docs_reference: lint $code is not in docs/lints.md" >&2; fail=1; }
done
# Every subcommand the driver offers has a section in docs/cli.md.
for cmd in $("$rubric" --help | sed -n '/^Subcommands:/,$p' | awk 'NR>1 && NF {print $1}'); do
  grep -q "^## \`rubric $cmd" docs/cli.md || { echo "docs_reference: \`rubric $cmd\` has no section in docs/cli.md" >&2; fail=1; }
done
# The architecture page's recipes name real files: every `path/with/slash` exists.
for path in $(grep -o '`[a-z_.]*/[A-Za-z0-9_./-]*`' docs/architecture.md | tr -d '`' | sort -u); do
  case "$path" in *NAME*|*'<'*|*'*'*) continue ;; esac
  [ -e "$path" ] || { echo "docs_reference: docs/architecture.md names $path, which does not exist" >&2; fail=1; }
done
[ $fail -eq 0 ] && echo "docs_reference: docs/cli.md and docs/diagnostics.md are complete and up to date"
exit $fail
