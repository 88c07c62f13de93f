#!/usr/bin/env bash
# `rubric eval` / `rubric explain` end to end:
# 1. one patient as text and JSON, from the .rubric file and from a compiled graph;
# 2. NDJSON batches: N lines in, N lines out, input order, error lines naming
#    the problem, stdin, --threads, --on-error (exit codes, the stderr
#    summary), compact lines (--fields, --procedure, --procedure-key);
# 3. `rubric explain` with --why-not for the seed patient, and its errors;
# 4. corrupt and wrong-version graphs are clear errors.
# Usage: eval_batch.sh RUBRIC_BINARY [BUILD_DIR]   (run from the source root)
set -u
rubric=$1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }
contains() { grep -qF -- "$2" <<<"$1" || fail "missing: $2"; }
lbp=guidelines/acr/low_back_pain.rubric
seed=tests/explanations/variant2_seed.patient.json

# --- 1. one patient ------------------------------------------------------------
out=$("$rubric" eval "$lbp" --patient "$seed" --color never 2>&1) || fail "eval seed exited $?"
contains "$out" "matched: variant 2 — Subacute or chronic low back pain with or without radiculopathy. No red flags. No prior management. Initial imaging."
grep -qE '^  MRI lumbar spine without IV contrast +Usually not appropriate +O +0 mSv$' <<<"$out" || fail "MRI rating line"
"$rubric" compile "$lbp" -o "$tmp/lbp.json" || fail "compile exited $?"
out_json=$("$rubric" eval "$tmp/lbp.json" --patient "$seed" --format json 2>&1) || fail "eval json exited $?"
contains "$out_json" '"status": "matched"'
contains "$out_json" '"id": "2"'
contains "$out_json" '"category": "usually_not_appropriate"'

# --- 2. NDJSON batch -------------------------------------------------------------
{
  for f in tests/explanations/*.patient.json; do tr -d '\n' <"$f"; echo; done
  echo '{"id": "bad-duration", "age": "fifty-five years"}'
  echo 'this is not json'
  echo ''
  echo '{"id": "bad-member", "red_flags": ["headache"]}'
  echo '{"id": "neg", "symptom_duration": {"value": -2, "unit": "wk"}}'
  printf '{"id": "last-no-newline", "age": "40 years", "symptom_duration": "2 weeks", "red_flags": [], "conservative_therapy": "0 weeks", "prior_lumbar_surgery": false, "new_or_progressing_symptoms": false}'
} >"$tmp/in.ndjson"
n_in=$(($(wc -l <"$tmp/in.ndjson") + 1))
"$rubric" eval "$lbp" --patients "$tmp/in.ndjson" --format ndjson >"$tmp/out1.ndjson" 2>"$tmp/err1"
rc=$?
[ $rc -eq 0 ] || fail "a batch with error lines exits 0 under the default --on-error=line (got $rc)"
n_out=$(wc -l <"$tmp/out1.ndjson")
[ "$n_in" -eq "$n_out" ] || fail "$n_in lines in, $n_out lines out"
ids=$(grep -o '^{"id":[^,]*' "$tmp/out1.ndjson" | cut -d: -f2 | tr '\n' ' ')
want='"no-criteria-improved" "undetermined-surgery-unknown" "variant1-acute" "seed-55yo" "variant3-failed-therapy" "variant4-cauda-equina" "variant5-after-surgery" "variant6-elderly" "variant7-cancer" "warnings" "bad-duration" null null "bad-member" "neg" "last-no-newline" '
[ "$ids" = "$want" ] || fail "output order/ids: $ids"
out=$(cat "$tmp/out1.ndjson")
contains "$out" '"error":"line 11: `age`: \"fifty-five years\" is not a duration; write a number and a unit, e.g. \"12 weeks\""'
contains "$out" '"error":"line 12: malformed JSON: expected an object {…} with one key per fact"'
contains "$out" '"error":"line 13: empty line; expected a JSON object with one key per fact"'
contains "$out" '"error":"line 14: `red_flags`: \"headache\" is not a member of `stdlib.spine.red_flag`'
contains "$out" '"error":"line 15: `symptom_duration`: -2 is negative; a duration cannot be negative"'
contains "$out" '{"id":"seed-55yo","status":"matched","variant":{"id":"2","title":"Subacute or chronic low back pain with or without radiculopathy. No red flags. No prior management. Initial imaging."},"ratings":[{"procedure":"Radiography lumbar spine","category":"usually_not_appropriate","label":"Usually not appropriate","rrl":"☢☢☢"}'
contains "$out" '"id":"undetermined-surgery-unknown","status":"undetermined","variant":null,"ratings":[],"advice":[],"next":[],"missing":["prior_lumbar_surgery"],"candidates":["5","2"]'
contains "$out" '"id":"no-criteria-improved","status":"no_criteria_apply","variant":null'
[ "$(cat "$tmp/err1")" = "16 patients: 8 matched, 1 undetermined, 2 no criteria apply, 5 errors
first error: line 11: \`age\`: \"fifty-five years\" is not a duration; write a number and a unit, e.g. \"12 weeks\"" ] ||
  fail "summary on stderr: $(cat "$tmp/err1")"
# --on-error=fail: the first error line is the last line written; exit 1.
"$rubric" eval "$lbp" --patients "$tmp/in.ndjson" --format ndjson --on-error=fail >"$tmp/fail.ndjson" 2>"$tmp/errfail"
rc=$?
[ $rc -eq 1 ] || fail "--on-error=fail exits 1 (got $rc)"
cmp -s "$tmp/fail.ndjson" <(head -n 11 "$tmp/out1.ndjson") || fail "--on-error=fail writes lines 1-11 only"
contains "$(cat "$tmp/errfail")" "11 patients: 7 matched, 1 undetermined, 2 no criteria apply, 1 errors"
contains "$(cat "$tmp/errfail")" "error: stopped at the first malformed record (--on-error=fail)"
err=$("$rubric" eval "$lbp" --patients "$tmp/in.ndjson" --format ndjson --on-error=skip 2>&1 >/dev/null)
[ $? -eq 2 ] || fail "--on-error=skip is a usage error"
# Compact lines: only the fields asked, with the ordered procedure's category.
"$rubric" eval "$lbp" --patients "$tmp/in.ndjson" --format ndjson --fields id,status,variant,ordered \
  --procedure "MRI lumbar spine without IV contrast" >"$tmp/compact.ndjson" 2>/dev/null || fail "compact exit $?"
[ "$(wc -l <"$tmp/compact.ndjson")" -eq 16 ] || fail "compact: 16 lines"
contains "$(cat "$tmp/compact.ndjson")" '{"id":"seed-55yo","status":"matched","variant":"2","ordered":"usually_not_appropriate"}'
contains "$(cat "$tmp/compact.ndjson")" '{"id":"variant4-cauda-equina","status":"matched","variant":"4","ordered":"usually_appropriate"}'
contains "$(cat "$tmp/compact.ndjson")" '{"id":"bad-duration","status":"error","variant":null,"ordered":null}'
printf '{"id":1,"cpt":"MRI lumbar spine without IV contrast","age":"55 years","symptom_duration":"12 weeks","radiculopathy":true,"red_flags":[],"conservative_therapy":"0 weeks","prior_lumbar_surgery":false,"new_or_progressing_symptoms":false}\n{"id":2,"cpt":"Bone scan of the knee"}\n' |
  "$rubric" eval "$lbp" --format ndjson --fields id,procedure,ordered,error --procedure-key cpt >"$tmp/col.ndjson" 2>/dev/null
[ "$(cat "$tmp/col.ndjson")" = '{"id":1,"procedure":"MRI lumbar spine without IV contrast","ordered":"usually_not_appropriate","error":null}
{"id":2,"procedure":null,"ordered":null,"error":"line 2: \"Bone scan of the knee\" is not a procedure of this guideline (give its name, id or a code)"}' ] ||
  fail "procedure column: $(cat "$tmp/col.ndjson")"
err=$("$rubric" eval "$lbp" --format ndjson --fields id,shoe_size </dev/null 2>&1)
[ $? -eq 2 ] || fail "unknown field exits 2"
contains "$err" "error: --fields: unknown field \`shoe_size\`; the fields are id, status, variant, title, ratings, advice, next, missing, candidates, otherwise, warnings, error, procedure, ordered"
err=$("$rubric" eval "$lbp" --format ndjson --fields id,ordered </dev/null 2>&1)
[ $? -eq 2 ] || fail "ordered without a procedure exits 2"
contains "$err" "error: --fields ordered/procedure need --procedure NAME or --procedure-key KEY"
err=$("$rubric" eval "$lbp" --format ndjson --procedure "MRI of the knee" </dev/null 2>&1)
[ $? -eq 2 ] || fail "unknown --procedure exits 2"
contains "$err" "error: --procedure: \`MRI of the knee\` is not a procedure of this guideline"
# stdin (no --patients, and --patients -) and threads give the same lines.
"$rubric" eval "$tmp/lbp.json" --format ndjson <"$tmp/in.ndjson" >"$tmp/out2.ndjson" 2>/dev/null
cmp -s "$tmp/out1.ndjson" "$tmp/out2.ndjson" || fail "stdin output differs"
"$rubric" eval "$lbp" --patients - --format ndjson --threads 3 <"$tmp/in.ndjson" >"$tmp/out3.ndjson" 2>/dev/null
cmp -s "$tmp/out1.ndjson" "$tmp/out3.ndjson" || fail "--threads 3 output differs"
# A larger batch keeps N in / N out and order across threads.
for i in $(seq 1 3000); do echo "{\"id\": $i, \"age\": \"50 years\", \"symptom_duration\": \"$((i % 12)) weeks\", \"red_flags\": [], \"conservative_therapy\": \"0 weeks\", \"prior_lumbar_surgery\": false, \"new_or_progressing_symptoms\": false}"; done >"$tmp/big.ndjson"
"$rubric" eval "$tmp/lbp.json" --patients "$tmp/big.ndjson" --format ndjson --threads 4 >"$tmp/big.out" 2>/dev/null || fail "big batch exited $?"
[ "$(wc -l <"$tmp/big.out")" -eq 3000 ] || fail "big batch: 3000 in, $(wc -l <"$tmp/big.out") out"
[ "$(grep -o '^{"id":[0-9]*' "$tmp/big.out" | cut -d: -f2 | tr '\n' ' ')" = "$(seq 1 3000 | tr '\n' ' ')" ] || fail "big batch order"
# A clean batch exits 0; stderr carries the summary line alone.
head -n 3 "$tmp/big.ndjson" | "$rubric" eval "$tmp/lbp.json" --format ndjson >/dev/null 2>"$tmp/err4" || fail "clean batch exit"
[ "$(cat "$tmp/err4")" = "3 patients: 3 matched, 0 undetermined, 0 no criteria apply, 0 errors" ] ||
  fail "clean batch stderr: $(cat "$tmp/err4")"

# --- 3. explain and why-not -----------------------------------------------------
out=$("$rubric" explain "$lbp" --patient "$seed" --why-not "MRI lumbar spine without IV contrast" --color never) || fail "explain exited $?"
contains "$out" "Why variant 2"
contains "$out" "  ✓ No red flags: yes"
contains "$out" "  • conservative_therapy ≥ 6 weeks, improved_with_therapy = false, intervention_candidate = true → variant 3, Usually appropriate"
out=$("$rubric" explain "$lbp" --patient "$seed" --why-not "MRI lumbar spine without IV contrast" --format json) || fail "explain json exited $?"
contains "$out" '"why_not": {"procedure":"MRI lumbar spine without IV contrast","current":"usually_not_appropriate"'
python3 -c 'import json,sys; json.load(sys.stdin)' <<<"$out" || fail "explain --format json is not valid JSON"
err=$("$rubric" explain "$lbp" --patient "$seed" --why-not "MRI of the knee" 2>&1 >/dev/null)
[ $? -eq 1 ] || fail "unknown why-not procedure exits 1"
contains "$err" 'error: `MRI of the knee` is not a procedure of this guideline'
echo '{"age": "fifty"}' >"$tmp/bad.json"
err=$("$rubric" explain "$lbp" --patient "$tmp/bad.json" 2>&1 >/dev/null)
[ $? -eq 1 ] || fail "bad patient exits 1"
contains "$err" "error: $tmp/bad.json: \`age\`: \"fifty\" is not a duration; write a number and a unit, e.g. \"12 weeks\""

# --- 4. broken graphs -------------------------------------------------------------
sed 's/"version": 4/"version": 7/' "$tmp/lbp.json" >"$tmp/v7.json"
err=$("$rubric" eval "$tmp/v7.json" --patient "$seed" 2>&1)
[ $? -eq 1 ] || fail "wrong version exits 1"
contains "$err" "unsupported decision graph version 7 (this runtime reads versions 1 to 4); recompile the guideline with this rubric"
head -c 5000 "$tmp/lbp.json" >"$tmp/cut.json"
err=$("$rubric" eval "$tmp/cut.json" --patient "$seed" 2>&1)
[ $? -eq 1 ] || fail "truncated graph exits 1"
contains "$err" "the decision graph is not valid JSON (truncated or corrupt?)"
err=$("$rubric" eval "$tmp/lbp.json" --patient /nonexistent.json 2>&1)
[ $? -eq 2 ] || fail "missing patient file exits 2"

if [ $failures -ne 0 ]; then echo "$failures failure(s)"; exit 1; fi
echo "eval_batch: all checks passed"
