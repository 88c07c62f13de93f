#!/usr/bin/env bash
# The README's example guideline stays valid Rubric: it is extracted, checked
# (exit 0), and linted, where the solver must find the gaps it leaves open
# (the excerpt has one variant and no `otherwise`).
# Usage: tests/cli/readme_example.sh RUBRIC_BINARY   (run from the project root)
set -uo pipefail
rubric="$1"
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
mkdir -p "$dir/demo"
awk '/^```rubric$/{on=1; next} /^```$/{if(on) exit} on' README.md > "$dir/demo/back_pain.rubric"
[ -s "$dir/demo/back_pain.rubric" ] || { echo "readme_example: no \`\`\`rubric block in README.md" >&2; exit 1; }
"$rubric" check --color=never "$dir/demo/back_pain.rubric" || { echo "readme_example: the README example does not check clean" >&2; exit 1; }
lint=$("$rubric" lint --color=never "$dir/demo/back_pain.rubric" 2>&1)
grep -q 'warning\[R0504\]: no variant covers patients where `not persistent_pain`' <<<"$lint" \
  || { echo "readme_example: expected the gap finding, got:" >&2; echo "$lint" >&2; exit 1; }
echo "readme_example: the README example checks clean and lints as documented"
