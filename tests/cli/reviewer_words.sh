#!/usr/bin/env bash
# What a reviewer reads (issue 10, item 7), on tests/fixtures/reviewer:
# conditional advice and next steps in words (a criterion by its label, other
# conditions in plain words, never code); `doc` titles the category column
# with the rating scale's label; `rubric test --coverage` aligns its columns
# whatever the length of the ids.
# Usage: reviewer_words.sh RUBRIC_BINARY   (run from the source root)
set -u
rubric=$1
failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }
contains() { grep -qF -- "$2" <<<"$1" || fail "missing: $2"; }
lacks() { ! grep -qF -- "$2" <<<"$1" || fail "unexpected: $2"; }
dir=tests/fixtures/reviewer
g=$dir/reviewer.rubric
p=$dir/painful.patient.json

out=$("$rubric" eval "$g" --patient "$p" --color never 2>&1) || fail "eval exited $?"
contains "$out" "advice: Look for exclusions. (if “Exclusions are present”)"
contains "$out" "advice: Ask about radiation. (if Pain radiates; and Pain score is more than 7)"
contains "$out" "next: variant 2 when Pain radiates"
lacks "$out" "has_exclusions_recorded_by_the_examining_physician"

ex=$("$rubric" explain "$g" --patient "$p" --color never 2>&1) || fail "explain exited $?"
contains "$ex" "• Look for exclusions. (if “Exclusions are present”)"
contains "$ex" "• Ask about radiation. (if Pain radiates; and Pain score is more than 7)"
contains "$ex" "→ variant 2 when: Pain radiates (now unknown)"

doc=$("$rubric" doc "$g" 2>&1) || fail "doc exited $?"
contains "$doc" "| Procedure | Panel rating | Adult RRL | Peds RRL |"
lacks "$doc" "Appropriateness Category"

cov=$("$rubric" test --coverage "$g" 2>&1) || fail "test --coverage exited $?"
# The example counts line up under each other, and so do the criteria's columns.
col() { grep -F -- "$1" <<<"$cov" | head -1 | awk -v w="$2" '{ print index($0, w) }'; }
a=$(col "variant first_scenario" " 1 example"); b=$(col "variant 2 " " 1 example")
[ -n "$a" ] && [ "$a" = "$b" ] || fail "variant columns: $a vs $b"$'\n'"$cov"
a=$(col "has_exclusions_recorded_by_the_examining_physician" " true "); b=$(col "calm " " true ")
[ -n "$a" ] && [ "$a" -gt 0 ] && [ "$a" = "$b" ] || fail "criterion columns: $a vs $b"$'\n'"$cov"

[ $failures -eq 0 ] && echo "reviewer words: ok"
exit $((failures > 0))
