#!/usr/bin/env bash
# Golden diagnostics: for every tests/diagnostics/NAME.rubric, the output of
# `rubric check --color=never NAME.rubric` (run from tests/diagnostics, stdout
# and stderr together) must equal NAME.expected byte for byte, and the exit
# status must be 1 when the expectation shows an error, 0 otherwise. Then a
# coverage check: every code declared in compiler/diagnostics/codes_*.def must appear as
# `[CODE]` in some .expected file, or be listed in tests/diagnostics/exempt.txt
# with a reason.
#
#   bash tests/cli/golden_diagnostics.sh RUBRIC [BUILD_DIR] [--update] [NAME…]
#
# --update rewrites the .expected files (review the diff before committing);
# NAME… limits the run to those tests.
set -u
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
rubric=""
update=0
only=()
for arg in "$@"; do
  case "$arg" in
    --update) update=1 ;;
    *)
      if [[ -z "$rubric" ]]; then rubric="$(cd "$(dirname "$arg")" && pwd)/$(basename "$arg")"
      elif [[ -d "$arg" ]]; then :  # the build folder ctest passes; not needed
      else only+=("${arg%.rubric}"); fi ;;
  esac
done
if [[ -z "$rubric" || ! -x "$rubric" ]]; then
  echo "usage: golden_diagnostics.sh RUBRIC [BUILD_DIR] [--update] [NAME…]" >&2
  exit 2
fi

cd "$here/tests/diagnostics" || exit 2
failed=0
checked=0
updated=0
for input in *.rubric; do
  name="${input%.rubric}"
  if ((${#only[@]})); then
    keep=0
    for o in "${only[@]}"; do [[ "$o" == "$name" ]] && keep=1; done
    ((keep)) || continue
  fi
  actual="$(timeout 20 "$rubric" check --color=never "$input" 2>&1)"
  status=$?
  checked=$((checked + 1))
  if ((update)); then
    if [[ ! -f "$name.expected" ]] || [[ "$(cat "$name.expected")" != "$actual" ]]; then
      printf '%s\n' "$actual" > "$name.expected"
      echo "updated $name.expected"
      updated=$((updated + 1))
    fi
    continue
  fi
  if [[ ! -f "$name.expected" ]]; then
    echo "FAIL $name: no $name.expected (run with --update to create it)"
    failed=$((failed + 1))
    continue
  fi
  expected="$(cat "$name.expected")"
  if [[ "$expected" != "$actual" ]]; then
    echo "FAIL $name: output differs from $name.expected"
    diff <(printf '%s\n' "$expected") <(printf '%s\n' "$actual") | head -40
    failed=$((failed + 1))
    continue
  fi
  want=0
  grep -q 'error\[R[0-9]*\]' "$name.expected" && want=1
  if ((status != want)); then
    echo "FAIL $name: exit status $status, expected $want"
    failed=$((failed + 1))
  fi
done

if ((update)); then
  echo "$checked golden tests run, $updated expectation(s) rewritten"
  exit 0
fi

# Coverage: every declared code has a golden test or a reasoned exemption.
missing=0
if ((${#only[@]} == 0)); then
  codes="$(grep -ho 'RUBRIC_DIAGNOSTIC(R[0-9]*' "$here"/compiler/diagnostics/codes_*.def | sed 's/RUBRIC_DIAGNOSTIC(//' | sort -u)"
  for code in $codes; do
    if grep -qF "[$code]" ./*.expected 2>/dev/null; then continue; fi
    if [[ -f exempt.txt ]] && grep -qE "^$code[[:space:]]+[^[:space:]]" exempt.txt; then continue; fi
    echo "FAIL coverage: $code has no golden test in tests/diagnostics (no .expected mentions [$code]) and no reason in exempt.txt"
    missing=$((missing + 1))
  done
fi

echo "$checked golden tests, $failed failed; $missing code(s) without a golden test"
((failed == 0 && missing == 0))
