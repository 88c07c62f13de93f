#!/usr/bin/env bash
# `rubric diff` (issue 18): the golden change report of a synthetic pair of
# Low Back Pain versions (tests/diff/lbp_old.rubric → lbp_new.rubric: the
# acute period ends at 4 weeks instead of 6, variant 3 rates radiography
# worse), in text and Markdown; the JSON form; every witness patient replayed
# by `rubric eval` in both versions; --fail-on worse, --procedure, --rename
# and bad arguments.
# Usage: tests/cli/diff_golden.sh RUBRIC_BINARY [BUILD_DIR] [--update]
set -uo pipefail
rubric="$1"
update=0
for a in "$@"; do [ "$a" = "--update" ] && update=1; done
old=tests/diff/lbp_old.rubric
new=tests/diff/lbp_new.rubric
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0
check() { if eval "$2"; then echo "ok   $1"; else echo "FAIL $1"; fail=1; fi; }
golden() {  # NAME FILE: compare FILE with tests/diff/NAME (or rewrite it with --update)
  if [ $update = 1 ]; then cp "$2" "tests/diff/$1"; echo "updated tests/diff/$1"; return; fi
  if diff -u "tests/diff/$1" "$2"; then echo "ok   golden $1"; else echo "FAIL golden $1"; fail=1; fi
}

"$rubric" diff "$old" "$new" > "$tmp/lbp.txt"; rc=$?
check "diff exits 0 without --fail-on" '[ $rc -eq 0 ]'
golden lbp.expected.txt "$tmp/lbp.txt"
"$rubric" diff "$old" "$new" --format md > "$tmp/lbp.md"
golden lbp.expected.md "$tmp/lbp.md"
check "the threshold moved is reported with the patients between" \
  'grep -q "criterion \`persistent_pain\`: symptom_duration >= subacute: 6 weeks → 4 weeks (the patients with 4 weeks <= symptom_duration < 6 weeks)" "$tmp/lbp.txt"'
check "acute pain of 4 to 6 weeks moves from variant 1 to variant 2" 'grep -q "^  1. variant 1 → variant 2$" "$tmp/lbp.txt"'
check "radiography in variant 3 gets worse" \
  'grep -q "\"Radiography lumbar spine\": May be appropriate → Usually not appropriate (worse, region" "$tmp/lbp.txt"'
"$rubric" diff "$old" "$new" > "$tmp/again.txt"
check "the report is deterministic" 'cmp -s "$tmp/lbp.txt" "$tmp/again.txt"'

# Every witness, replayed with `rubric eval`, gives what the report says.
"$rubric" diff "$old" "$new" --format json > "$tmp/lbp.json"; rc=$?
check "json exits 0" '[ $rc -eq 0 ]'
python3 - "$tmp/lbp.json" "$tmp" <<'PY' > "$tmp/witnesses.txt"
import json, sys
d = json.load(open(sys.argv[1]))
for i, c in enumerate(d["changes"]):
    assert c["confirmed"], c
    path = f"{sys.argv[2]}/w{i}.json"
    json.dump(c["patient"], open(path, "w"))
    print(path, c["before"], "|", c["after"])
PY
check "json parses and every change is confirmed" '[ -s "$tmp/witnesses.txt" ]'
words() {  # the first line of `rubric eval` as the report's words
  case "$1" in
    "matched: variant "*) echo "$1" | sed -E 's/^matched: (variant [^ ]+) .*/\1/' ;;
    "no criteria apply"*) echo "no variant applies" ;;
    "undetermined"*|"Undetermined"*) echo "undetermined" ;;
    *) echo "$1" ;;
  esac
}
replayed=0
while IFS= read -r line; do
  file="${line%% *}"; rest="${line#* }"; before="${rest%% | *}"; after="${rest#* | }"
  got_old="$(words "$("$rubric" eval "$old" --patient "$file" | head -1)")"
  got_new="$(words "$("$rubric" eval "$new" --patient "$file" | head -1)")"
  if [ "$got_old" = "$before" ] && [ "$got_new" = "$after" ]; then replayed=$((replayed + 1));
  else echo "  $file: report says $before → $after, eval says $got_old → $got_new"; fi
done < "$tmp/witnesses.txt"
check "every witness replays through rubric eval in both versions ($replayed)" \
  '[ "$replayed" -eq "$(wc -l < "$tmp/witnesses.txt")" ]'

"$rubric" diff "$old" "$new" --fail-on worse > /dev/null 2> "$tmp/err.txt"; rc=$?
check "--fail-on worse exits 1 when radiography gets worse" \
  '[ $rc -eq 1 ] && grep -q "some procedure is rated worse for some patients" "$tmp/err.txt"'
"$rubric" diff "$new" "$old" --fail-on worse > /dev/null; rc=$?
check "--fail-on worse exits 0 the other way round (it gets better)" '[ $rc -eq 0 ]'
"$rubric" diff "$old" "$old" > "$tmp/same.txt"; rc=$?
check "a version against itself: no change" '[ $rc -eq 0 ] && grep -q "none: every patient gets the same variant and the same ratings" "$tmp/same.txt"'
"$rubric" diff "$old" "$new" --procedure "MRI lumbar spine without IV contrast" > "$tmp/mri.txt"; rc=$?
check "--procedure with an unchanged procedure reports no region" '[ $rc -eq 0 ] && grep -q "^0 regions" "$tmp/mri.txt"'
"$rubric" diff "$old" "$new" --procedure "Radiography lumbar spine" > "$tmp/xr.txt"; rc=$?
check "--procedure radiography reports only its rating regions" \
  '[ $rc -eq 0 ] && ! grep -q "variant 1 → variant 2" "$tmp/xr.txt" && grep -q "(worse)" "$tmp/xr.txt"'
"$rubric" diff "$old" "$new" --procedure "MRI lumbar spin" > /dev/null 2> "$tmp/err.txt"; rc=$?
check "an unknown --procedure exits 2 naming it" '[ $rc -eq 2 ] && grep -q "\`MRI lumbar spin\` is not a procedure of either version" "$tmp/err.txt"'
"$rubric" diff "$old" "$new" --rename "oops" > /dev/null 2> "$tmp/err.txt"; rc=$?
check "a malformed --rename exits 2" '[ $rc -eq 2 ] && grep -q "needs the form OLD=NEW" "$tmp/err.txt"'
"$rubric" diff "$old" missing.rubric > /dev/null 2> "$tmp/err.txt"; rc=$?
check "a missing file exits 2" '[ $rc -eq 2 ] && grep -q "no such file" "$tmp/err.txt"'

# A compiled graph works as either side.
"$rubric" compile "$old" -o "$tmp/old.json" > /dev/null 2>&1
"$rubric" diff "$tmp/old.json" "$new" > "$tmp/from_json.txt"; rc=$?
check "a compiled graph as OLD gives the same report" '[ $rc -eq 0 ] && cmp -s "$tmp/lbp.txt" "$tmp/from_json.txt"'
exit $fail
