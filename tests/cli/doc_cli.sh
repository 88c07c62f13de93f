#!/usr/bin/env bash
# `rubric doc`: Markdown and HTML of the LBP guideline from the command line,
# -o, a compiled graph as input, and errors.
# Usage: tests/cli/doc_cli.sh RUBRIC_BINARY [BUILD_DIR]   (run from the project root)
set -uo pipefail
rubric="$1"
lbp=guidelines/acr/low_back_pain.rubric
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0
check() { if eval "$2"; then echo "ok   $1"; else echo "FAIL $1"; fail=1; fi; }

"$rubric" doc "$lbp" > "$tmp/lbp.md"; rc=$?
check "doc defaults to Markdown and exits 0" '[ $rc -eq 0 ] && head -1 "$tmp/lbp.md" | grep -qx "# Low Back Pain"'
check "7 variant sections" '[ $(grep -c "^## Variant [0-9]: " "$tmp/lbp.md") -eq 7 ]'
check "77 rating rows" '[ $(grep -cE "^\| .* \| (Usually appropriate|May be appropriate|May be appropriate \(Disagreement\)|Usually not appropriate) \| .* \| .* \|$" "$tmp/lbp.md") -eq 77 ]'
check "ACR layout header" 'grep -qx "| Procedure | ACR Appropriateness Category | Adult RRL | Peds RRL |" "$tmp/lbp.md"'
check "variant 3 lists usually appropriate first" \
  '[ "$(awk "/^## Variant 3:/{f=1} /^## Variant 4:/{f=0} f && /^\| /" "$tmp/lbp.md" | sed -n 2p)" = "| MRI lumbar spine without IV contrast | Usually appropriate | O 0 mSv | O 0 mSv |" ]'
check "citation and licence" 'grep -q "^\*\*Citation:\*\* Hutchins TA" "$tmp/lbp.md" && grep -q "^\*\*Licence:\*\* ACR content" "$tmp/lbp.md"'
check "the graph as a Mermaid block" 'grep -qx "\`\`\`mermaid" "$tmp/lbp.md"'
check "data requirements" 'grep -q "^## Data requirements" "$tmp/lbp.md" && grep -q "^| symptom_duration | How long this episode" "$tmp/lbp.md"'
check "examples table" 'grep -q "^| Example | Given | Expected |" "$tmp/lbp.md" && grep -q "^| 55-year-old, 3 months of pain" "$tmp/lbp.md"'

"$rubric" doc "$lbp" --format html -o "$tmp/lbp.html"; rc=$?
check "html -o exits 0" '[ $rc -eq 0 ] && head -1 "$tmp/lbp.html" | grep -qx "<!DOCTYPE html>"'
check "html is self-contained" '! grep -q "<script\|<link\|src=\"http" "$tmp/lbp.html"'
check "html has 77 rating rows" '[ $(grep -o "<tr class=\"rating\">" "$tmp/lbp.html" | wc -l) -eq 77 ]'

"$rubric" compile "$lbp" -o "$tmp/lbp.json" >/dev/null 2>&1
if [ -s "$tmp/lbp.json" ]; then
  "$rubric" doc "$tmp/lbp.json" --format md > "$tmp/from-json.md"; rc=$?
  check "a compiled graph works too (without examples)" '[ $rc -eq 0 ] && [ $(grep -c "^## Variant " "$tmp/from-json.md") -eq 7 ] && ! grep -q "^## Examples" "$tmp/from-json.md"'
fi
printf 'guideline acr.bad "Bad"\nvariant 1 "One"\n  rate "MRI"\n' > "$tmp/bad.rubric"
"$rubric" doc "$tmp/bad.rubric" --color=never > /dev/null 2> "$tmp/err.txt"; rc=$?
check "a guideline with errors exits 1 with diagnostics" '[ $rc -eq 1 ] && grep -q "bad.rubric:3:" "$tmp/err.txt"'
"$rubric" doc "$lbp" --format pdf > /dev/null 2>&1; rc=$?
check "an unknown format is a usage error" '[ $rc -eq 2 ]'
[ $fail -eq 0 ] && echo "doc_cli: all passed" || echo "doc_cli: FAILED"
exit $fail
