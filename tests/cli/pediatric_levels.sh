#!/usr/bin/env bash
# Children get the pediatric radiation level and dose (issue 10, item 4), on
# tests/fixtures/pediatric: a 2-month-old is shown the catalog's pediatric
# entry (☢☢☢☢ 3-10 mSv for CT), an adult the adult one (☢☢☢ 1-10 mSv), a
# patient of unknown age both — in eval text, JSON and NDJSON (`rrl`),
# explain, and doc (both columns, and who counts as a child) in Markdown and
# HTML. Without a `pediatric when` line, patients under 18 years are children.
# Usage: pediatric_levels.sh RUBRIC_BINARY   (run from the source root)
set -u
rubric=$1
failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }
contains() { grep -qF -- "$2" <<<"$1" || fail "missing: $2"; }
lacks() { ! grep -qF -- "$2" <<<"$1" || fail "unexpected: $2"; }
dir=tests/fixtures/pediatric
g=$dir/peds.rubric
ct="CT lumbar spine without IV contrast"

line() { "$rubric" eval "$1" --patient "$dir/$2.patient.json" --color never 2>&1 | grep -F "$ct"; }
grep -qE "^  $ct +Usually appropriate +☢☢☢☢ +3-10 mSv$" <<<"$(line "$g" infant)" || fail "infant text: $(line "$g" infant)"
grep -qE "^  $ct +Usually appropriate +☢☢☢ +1-10 mSv$" <<<"$(line "$g" adult)" || fail "adult text: $(line "$g" adult)"
grep -qE "^  $ct +Usually appropriate +☢☢☢ / ☢☢☢☢ +1-10 mSv adult / 3-10 mSv pediatric$" <<<"$(line "$g" ageless)" ||
  fail "unknown age text: $(line "$g" ageless)"
grep -qE "☢☢☢☢ +3-10 mSv$" <<<"$(line "$dir/peds_default.rubric" infant)" || fail "default rule: $(line "$dir/peds_default.rubric" infant)"
grep -qE "☢☢☢ +1-10 mSv$" <<<"$(line "$dir/peds_default.rubric" adult)" || fail "default rule, adult"

ex=$("$rubric" explain "$g" --patient "$dir/infant.patient.json" --color never 2>&1)
contains "$ex" "Pediatric dose"
grep -qE "^  $ct +Usually appropriate +☢☢☢☢ +3-10 mSv$" <<<"$ex" || fail "explain infant row"
ex=$("$rubric" explain "$g" --patient "$dir/ageless.patient.json" --color never 2>&1)
contains "$ex" "Dose (adult / pediatric)"

json=$("$rubric" eval "$g" --patient "$dir/infant.patient.json" --format json 2>&1)
got=$(python3 -c '
import json, sys
r = [r for r in json.load(sys.stdin)["ratings"] if r["procedure"].startswith("CT")][0]
print(r["rrl"], r["dose"], r["patient_group"], r["adult_rrl"], r["adult_dose"], r["pediatric_rrl"], r["pediatric_dose"])
' <<<"$json")
[ "$got" = "☢☢☢☢ 3-10 mSv pediatric ☢☢☢ 1-10 mSv ☢☢☢☢ 3-10 mSv" ] || fail "JSON infant: $got"

nd=$(cat "$dir"/infant.patient.json "$dir"/adult.patient.json "$dir"/ageless.patient.json |
     "$rubric" eval "$g" --format ndjson --no-progress 2>&1)
contains "$(sed -n 1p <<<"$nd")" '{"procedure":"CT lumbar spine without IV contrast","category":"usually_appropriate","label":"Usually appropriate","rrl":"☢☢☢☢"}'
contains "$(sed -n 2p <<<"$nd")" '{"procedure":"CT lumbar spine without IV contrast","category":"usually_appropriate","label":"Usually appropriate","rrl":"☢☢☢"}'
contains "$(sed -n 3p <<<"$nd")" '{"procedure":"CT lumbar spine without IV contrast","category":"usually_appropriate","label":"Usually appropriate","rrl":null,"adult_rrl":"☢☢☢","pediatric_rrl":"☢☢☢☢"}'

md=$("$rubric" doc "$g" 2>&1)
contains "$md" "| $ct | Usually appropriate | ☢☢☢ 1-10 mSv | ☢☢☢☢ 3-10 mSv |"
contains "$md" "Age is less than 18 years"
html=$("$rubric" doc "$g" --format html 2>&1)
contains "$html" "☢☢☢☢ 3-10 mSv"
contains "$html" "Age is less than 18 years"

# A procedure the catalog gives no level (no source states one for CTA triple
# rule out) says so: never a blank or a dash that reads as "no radiation".
pe=guidelines/acr/suspected_pe.rubric
out=$("$rubric" eval "$pe" --patient guidelines/acr/cases/suspected_pe/variant2-positive-ddimer.json --color never 2>&1)
grep -qE "^  CTA triple rule out +May be appropriate +\? +RRL not stated in the source$" <<<"$out" ||
  fail "unstated RRL in eval: $(grep -F 'triple' <<<"$out")"
md=$("$rubric" doc "$pe" --format md 2>&1)
contains "$md" "| CTA triple rule out | May be appropriate (caveat 2) | not stated | not stated |"
lacks "$md" "| CTA triple rule out | May be appropriate (caveat 2) | — |"

[ $failures -eq 0 ] && echo "pediatric levels: ok"
exit $((failures > 0))
