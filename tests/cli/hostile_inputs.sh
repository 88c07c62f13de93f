#!/usr/bin/env bash
# Hostile inputs: `rubric check` answers each with exit 1 and one
# `file:line:col: error[CODE]` diagnostic, never a crash or a hang (a 10 s
# guard; CI runs this again in the sanitizer build). A BOM and CRLF
# line ends are accepted when the text is otherwise valid.
#   bash tests/cli/hostile_inputs.sh RUBRIC [BUILD_DIR]
set -u
rubric="$(cd "$(dirname "$1")" && pwd)/$(basename "$1")"  # absolute: the tests change folder
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
failed=0

# expect NAME STATUS CODE LOCATION — runs `rubric check NAME.rubric` in $work.
expect() {
  local name="$1" want_status="$2" code="$3" location="$4"
  local start end ms out status
  start=$(date +%s%N)
  out="$(cd "$work" && timeout 10 "$rubric" check --color=never "$name.rubric" 2>&1)"
  status=$?
  end=$(date +%s%N)
  ms=$(((end - start) / 1000000))
  if ((status != want_status)); then
    echo "FAIL $name: exit status $status, expected $want_status"; echo "$out" | head -5; failed=$((failed + 1)); return
  fi
  if [[ -n "$code" ]] && ! grep -q "^$name.rubric:$location: error\[$code\]" <<<"$out"; then
    echo "FAIL $name: no \`$name.rubric:$location: error[$code]\` in:"; echo "$out" | head -5; failed=$((failed + 1)); return
  fi
  if [[ -n "$code" ]] && (($(grep -c 'error\[' <<<"$out") != 1)); then
    echo "FAIL $name: more than one error:"; echo "$out" | grep 'error\['; failed=$((failed + 1)); return
  fi
  # No timed assertion (speed is measured in bench/): `timeout 10` above is the
  # hang guard, and a hang shows as exit status 124, not the expected status.
  echo "ok   $name (${ms} ms)"
}

python3 - "$work" <<'PY'
import os, random, sys
w = sys.argv[1]
def put(name, data):
    with open(os.path.join(w, name + ".rubric"), "wb") as f:
        f.write(data if isinstance(data, bytes) else data.encode())
head = 'guideline hostile "Hostile input"\n'
put("invalid_utf8", head.encode() + b'variant 1 "Caf\xe9"\n')
put("nul_byte", head.encode() + b'let x = 3\x00\n')
put("bom_crlf", b'\xef\xbb\xbfguideline bom_crlf "A BOM and CRLF line ends"\r\n' +
    b'let subacute = 6 weeks  # a comment\r\ncriterion c "C":\r\n  true\r\n')
random.seed(7)
put("random_bytes", bytes(random.getrandbits(8) for _ in range(65536)))
put("nested_parens", head + 'criterion c "C": ' + "(" * 200000 + "true" + ")" * 200000 + "\n")
put("chained_not", head + 'criterion c "C": ' + "not " * 100000 + "true\n")
put("long_identifier", head + "let " + "a" * (1 << 20) + " = 3\n")
put("long_number", head + "let x = " + "9" * 5000 + "\n")
put("unterminated_string", head + 'let x = "never closed\n')
line = 'criterion c "C": true and false or not (true)\n'
put("ten_megabytes", head + line * (10 * 1024 * 1024 // len(line) + 1))
PY

expect invalid_utf8        1 R0101 "2:15"
expect nul_byte            1 R0102 "2:10"
expect bom_crlf            0 ""    ""
expect random_bytes        1 R0101 "[0-9]*:[0-9]*"
expect nested_parens       1 R0104 "2:275"
expect chained_not         1 R0104 "2:1046"
expect long_identifier     1 R0105 "2:5"
expect long_number         1 R0106 "2:9"
expect unterminated_string 1 R0107 "2:9"
expect ten_megabytes       1 R0103 "1:1"

if ((failed)); then echo "$failed hostile input(s) failed"; exit 1; fi
echo "all hostile inputs handled"
