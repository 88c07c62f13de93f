#!/usr/bin/env bash
# Checks every snippet of docs/tutorial.md against the real tools:
# - the ```rubric blocks, in order, form back_pain_tutorial.rubric, which the
#   tutorial's own commands then check, test and explain; the ```rubric score
#   blocks (the second worked example) form wells_tutorial.rubric;
# - the ```json block is seed.json; a ```json NAME.json block is NAME.json;
# - each `$ rubric …` line of a ```console block runs in that folder and must
#   exit 0; the lines shown under it must be its output: exactly, or, when the
#   block contains a `...` line, in order with `...` standing for any lines.
# Usage: tutorial_snippets.sh RUBRIC_BINARY [BUILD_DIR]   (run from the source root)
set -u
rubric=$(realpath "$1")
doc=docs/tutorial.md
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
failures=0

awk -v dir="$tmp" '
  /^```rubric$/  { blk = "rubric"; if (seen++) print "" > (dir "/back_pain_tutorial.rubric"); next }
  /^```rubric score$/ { blk = "score"; if (seen_score++) print "" > (dir "/wells_tutorial.rubric"); next }
  /^```json$/    { blk = "json"; next }
  /^```json [a-z_]+\.json$/ { blk = "jsonfile"; jsonfile = $2; next }
  /^```console$/ { blk = "console"; n++; next }
  /^```/         { blk = ""; next }
  blk == "rubric"  { print > (dir "/back_pain_tutorial.rubric") }
  blk == "score"   { print > (dir "/wells_tutorial.rubric") }
  blk == "json"    { print > (dir "/seed.json") }
  blk == "jsonfile" { print > (dir "/" jsonfile) }
  blk == "console" { print > (dir "/console" sprintf("%02d", n)) }
' "$doc"

[ -s "$tmp/back_pain_tutorial.rubric" ] || { echo "FAIL: no rubric snippets found in $doc"; exit 1; }
[ -s "$tmp/wells_tutorial.rubric" ] || { echo "FAIL: no score snippets (\`\`\`rubric score) found in $doc"; exit 1; }
[ -s "$tmp/seed.json" ] || { echo "FAIL: no json snippet found in $doc"; exit 1; }
ls "$tmp"/console* >/dev/null 2>&1 || { echo "FAIL: no console snippets found in $doc"; exit 1; }

# check_command CMD EXPECTED_FILE: runs CMD (a `rubric …` line) and compares its output.
check_command() {
  local cmd=$1 expected=$2 out rc
  out=$(cd "$tmp" && "$rubric" ${cmd#rubric } 2>&1)
  rc=$?
  if [ $rc -ne 0 ]; then
    echo "FAIL: \`$cmd\` exited $rc"; echo "$out"; failures=$((failures + 1)); return
  fi
  if ! grep -qx '\.\.\.' "$expected"; then
    if [ "$out" != "$(cat "$expected")" ]; then
      echo "FAIL: \`$cmd\` printed something else than the tutorial shows"
      diff <(cat "$expected") <(printf '%s\n' "$out") | sed 's/^/  /'
      failures=$((failures + 1))
    fi
    return
  fi
  # `...` blocks: every other shown line must appear, in order.
  local pos=0 line n
  while IFS= read -r line; do
    [ "$line" = "..." ] && continue
    n=$(printf '%s\n' "$out" | awk -v want="$line" -v from="$pos" 'NR > from && $0 == want { print NR; exit }')
    if [ -z "$n" ]; then
      echo "FAIL: \`$cmd\` did not print (in this order): $line"
      printf '%s\n' "$out" | sed 's/^/  | /'
      failures=$((failures + 1)); return
    fi
    pos=$n
  done < "$expected"
}

for block in "$tmp"/console*; do
  cmd=""
  : > "$tmp/expected"
  while IFS= read -r line; do
    if [[ $line == '$ '* ]]; then
      [ -n "$cmd" ] && check_command "$cmd" "$tmp/expected"
      cmd=${line#\$ }
      : > "$tmp/expected"
    else
      printf '%s\n' "$line" >> "$tmp/expected"
    fi
  done < "$block"
  [ -n "$cmd" ] && check_command "$cmd" "$tmp/expected"
done

if [ $failures -ne 0 ]; then
  echo "the assembled tutorial file was:"; cat -n "$tmp/back_pain_tutorial.rubric"
  exit 1
fi
echo "tutorial snippets: ok"
