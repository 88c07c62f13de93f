#!/usr/bin/env bash
# `select all` (issue 10, item 1): a patient in two variants gets both, with
# each variant's ratings, advice and next steps, in every output — eval text,
# JSON and NDJSON, explain, why-not, rubric test, graph --patient, doc and
# lint (no shadowing under `all`). NDJSON under `first` stays byte-identical
# to tests/cli/data/lbp_first.ndjson.
# Usage: select_all.sh RUBRIC_BINARY   (run from the source root)
set -u
rubric=$1
failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }
contains() { grep -qF -- "$2" <<<"$1" || fail "missing: $2"; }
lacks() { ! grep -qF -- "$2" <<<"$1" || fail "unexpected: $2"; }
dir=tests/fixtures/select_all
sa=$dir/sa.rubric
both=$dir/both.patient.json
mri="MRI lumbar spine without IV contrast"

# --- eval text: both variants, each with its ratings and advice ----------------------
out=$("$rubric" eval "$sa" --patient "$both" --color never 2>&1) || fail "eval exited $?"
contains "$out" "matched: variant 1 — A"
contains "$out" "also matched: variant 2 — B"
contains "$out" "advice: Advice from A."
contains "$out" "advice: Advice from B."
lacks "$out" "Advice from B when C."  # c = false
grep -qE "^  $mri +Usually appropriate " <<<"$out" || fail "variant 2's MRI rating in eval text"
grep -qE "^  $mri +Usually not appropriate " <<<"$out" || fail "variant 1's MRI rating in eval text"

# --- eval JSON: `matched` holds every variant with its own ratings ---------------------------
json=$("$rubric" eval "$sa" --patient "$both" --format json 2>&1) || fail "eval json exited $?"
got=$(python3 -c '
import json, sys
x = json.load(sys.stdin)
for m in x["matched"]:
    print(m["variant"]["id"], "|".join(r["procedure"] + "=" + r["category"] for r in m["ratings"]), "|".join(m["advice"]), len(m["next"]))
' <<<"$json")
want="1 Radiography lumbar spine=usually_appropriate|$mri=usually_not_appropriate Advice from A. 1
2 $mri=usually_appropriate Advice from B. 0"
[ "$got" = "$want" ] || fail "JSON matched: $got"

# --- NDJSON: "variants" with each variant's ratings, advice and next steps -----------------------
nd=$("$rubric" eval "$sa" --patients "$both" --format ndjson --no-progress 2>/dev/null) || fail "ndjson exited $?"
want_nd='{"id":"p1","status":"matched","variants":[{"variant":{"id":"1","title":"A"},"ratings":[{"procedure":"Radiography lumbar spine","category":"usually_appropriate","label":"Usually appropriate","rrl":"☢☢☢"},{"procedure":"MRI lumbar spine without IV contrast","category":"usually_not_appropriate","label":"Usually not appropriate","rrl":"O"}],"advice":["Advice from A."],"next":[{"variant":"2","label":"B appears","urgent":false}]},{"variant":{"id":"2","title":"B"},"ratings":[{"procedure":"MRI lumbar spine without IV contrast","category":"usually_appropriate","label":"Usually appropriate","rrl":"O"}],"advice":["Advice from B."],"next":[]}],"advice":[],"missing":[],"candidates":[],"otherwise":null,"warnings":[],"error":null}'
[ "$nd" = "$want_nd" ] || fail "NDJSON under all: $nd"
one=$("$rubric" eval "$sa" --patient "$both" --format ndjson 2>&1)
[ "$one" = "$want_nd" ] || fail "eval --patient --format ndjson differs from the batch line: $one"
# An error line under `all` has the `all` shape.
err=$(echo 'not json' | "$rubric" eval "$sa" --format ndjson --no-progress 2>/dev/null)
contains "$err" '"status":"error","variants":[],"advice":[],"missing":[]'

# --- NDJSON under `first` stays byte-identical -------------------------------------------------
for f in tests/explanations/*.patient.json; do tr -d '\n' <"$f"; echo; done |
  "$rubric" eval guidelines/acr/low_back_pain.rubric --format ndjson --no-progress >"${TMPDIR:-/tmp}/lbp_first.$$" 2>/dev/null
cmp -s "${TMPDIR:-/tmp}/lbp_first.$$" tests/cli/data/lbp_first.ndjson || fail "NDJSON under select first changed: $(diff "${TMPDIR:-/tmp}/lbp_first.$$" tests/cli/data/lbp_first.ndjson | head -5)"
rm -f "${TMPDIR:-/tmp}/lbp_first.$$"

# --- explain: why each variant, its ratings, advice and next steps ----------------------------------
ex=$("$rubric" explain "$sa" --patient "$both" --color never --why-not "$mri" 2>&1) || fail "explain exited $?"
contains "$ex" "Why variant 1"
contains "$ex" "Why variant 2"
contains "$ex" "Ratings in variant 1"
contains "$ex" "Ratings in variant 2"
contains "$ex" "Advice from variant 1"
contains "$ex" "Advice from variant 2"
contains "$ex" "Next steps from variant 1"
# Variant 2 already gives the MRI its best category: moving there is no improvement,
# and why-not knows the patient already has it.
lacks "$ex" "would be Usually appropriate"
contains "$ex" "now: Usually appropriate in variant 2"
contains "$ex" "it is already in the most favourable category"
# why-not for a patient in variant 1 only: adding B improves the MRI (variant 2 rates it better).
wn=$("$rubric" explain "$sa" --patient "$dir/only_a.patient.json" --color never --why-not "$mri" 2>&1)
contains "$wn" "b = true → variant 2, Usually appropriate"

# --- rubric test: every matched variant answers `expect variant` and rating expectations -------------
t=$("$rubric" test "$sa" 2>&1) || fail "rubric test: $t"
contains "$t" "2 passed, 0 failed"

# --- graph --patient: both paths lit ----------------------------------------------------------
gr=$("$rubric" graph "$sa" --format mermaid --patient "$both" 2>&1) || fail "graph exited $?"
contains "$gr" "matched: variant 1, 2"
contains "$gr" "class start,g0,v0,g1,v1 taken"

# --- doc: says that every variant that applies gives its ratings ----------------------------------
doc=$("$rubric" doc "$sa" 2>&1) || fail "doc exited $?"
contains "$doc" "Every variant whose conditions hold applies: the patient gets the ratings, advice and next steps of each."

# --- lint: overlaps are the point of `all`: no shadowing or overlap findings ----------------------
li=$("$rubric" lint "$sa" 2>&1)
lacks "$li" "R0502"
lacks "$li" "R0505"
lacks "$li" "R0503"

[ $failures -eq 0 ] && echo "select all: ok"
exit $((failures > 0))
