#!/usr/bin/env bash
# Every Rubric snippet in docs/*.md either compiles or says it is a fragment
# (issue 10, item 7). A fenced block tagged ```rubric is a whole file: it is
# written out under its module's path and must pass `rubric check`. A block
# tagged ```rubric fragment is an excerpt (a clause, a wrong-and-right pair)
# and is not compiled. An untagged block that holds Rubric declarations fails:
# tag it one way or the other. docs/tutorial.md's blocks together form one
# file, which tests/cli/tutorial_snippets.sh checks.
# Usage: docs_snippets.sh RUBRIC_BINARY   (run from the source root)
set -u
rubric=$(realpath "$1")
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
failures=0
compiled=0

# Splits every block into $tmp/blocks/N with a header line "FILE:LINE INFO".
mkdir -p "$tmp/blocks"
for doc in docs/*.md; do
  stem=$(basename "$doc" .md)
  awk -v doc="$doc" -v prefix="$tmp/blocks/$stem" '
    /^```/ {
      if (!inb) { inb = 1; file = sprintf("%s.%04d", prefix, ++n); print doc ":" NR " " substr($0, 4) > file; next }
      inb = 0; close(file); next
    }
    inb { print > file }
  ' "$doc"
done

# Rubric declarations a reader would recognise (keywords with their shapes).
looks_like_rubric() {
  grep -qE '^(guideline|library) [A-Za-z_.]+ "|^import [A-Za-z_.]+$|^(criterion|variant|enum|scale|procedure) [A-Za-z0-9_]+( "|:)|^patient$|^let [A-Za-z_]+ = |^(otherwise|assume|example) |^  (rate|advise|next|when|given|expect) ' "$1"
}

for block in "$tmp"/blocks/*; do
  read -r where info < "$block"
  doc=${where%%:*}
  body="$block.body"
  tail -n +2 "$block" > "$body"
  case "$info" in
    "rubric fragment") continue ;;
    rubric)
      [ "$doc" = docs/tutorial.md ] && continue
      name=$(grep -m1 -oE '^(guideline|library) [A-Za-z_.]+' "$body" | awk '{ print $2 }')
      if [ -z "$name" ]; then
        echo "FAIL: $where: a \`\`\`rubric block is a whole file and needs a \`guideline\` or \`library\` line (or tag it \`\`\`rubric fragment)"
        failures=$((failures + 1)); continue
      fi
      dest="$tmp/src/${name//.//}.rubric"
      mkdir -p "$(dirname "$dest")"
      cp "$body" "$dest"
      if ! out=$(cd "$tmp/src" && "$rubric" check --color=never "${name//.//}.rubric" 2>&1); then
        echo "FAIL: $where: the snippet does not compile"; echo "$out" | sed 's/^/  | /'
        failures=$((failures + 1))
      fi
      rm -rf "$tmp/src"
      compiled=$((compiled + 1))
      ;;
    "")
      if looks_like_rubric "$body"; then
        echo "FAIL: $where: an untagged block holds Rubric; tag it \`\`\`rubric (a whole file that compiles) or \`\`\`rubric fragment"
        failures=$((failures + 1))
      fi
      ;;
    *) ;;  # console, json, …: not Rubric
  esac
done

# The fact declarations written inline in docs/language.md (the Types table):
# together, in a guideline that declares the enum they use, they compile.
decls=$(grep -ohE '`[a-z_]+ : [a-z_ ]+`' docs/language.md | tr -d '`' | sort -u)
mkdir -p "$tmp/inline"
{
  printf 'guideline inline_facts "Inline facts"\n  scale stdlib.acr.appropriateness\nimport stdlib.acr\nimport stdlib.spine\n'
  printf 'enum laterality "Side"\n  left "Left"\n  right "Right"\npatient\n'
  sed 's/^/  /' <<<"$decls"
} > "$tmp/inline/inline_facts.rubric"
if [ -z "$decls" ]; then
  echo "FAIL: no inline fact declarations found in docs/language.md"; failures=$((failures + 1))
elif ! out=$(cd "$tmp/inline" && "$rubric" check --color=never inline_facts.rubric 2>&1); then
  echo "FAIL: the fact declarations written in docs/language.md do not compile"; echo "$out" | sed 's/^/  | /'
  failures=$((failures + 1))
fi

[ "$compiled" -gt 0 ] || { echo "FAIL: no whole-file \`\`\`rubric snippets found in docs/*.md"; failures=$((failures + 1)); }
[ $failures -eq 0 ] && echo "docs snippets: ok ($compiled compiled)"
exit $((failures > 0))
