#!/usr/bin/env bash
# Golden tests of `rubric lint`: every tests/verify/NAME.rubric (one flawed
# guideline per verification finding) and tests/lint/NAME.rubric (one per style
# lint) is linted from its folder; the output (stdout and stderr) must equal
# NAME.expected. The first line of each fixture says what it expects
# (`# expect R0501: …` or `# expect: clean`), and every R05xx/R06xx code but
# R0510 (a solver time-out, not reproducible in a small file) must have one.
# Usage: lint_golden.sh RUBRIC_BINARY [BUILD_DIR] [--update]   (run from the source tree)
set -u
rubric="$(cd "$(dirname "$1")" && pwd)/$(basename "$1")"
update=0
for a in "$@"; do [ "$a" = "--update" ] && update=1; done
failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }
covered=""
for dir in tests/verify tests/lint; do
  for src in "$dir"/*.rubric; do
    name="$(basename "$src" .rubric)"
    expected="$dir/$name.expected"
    actual="$(cd "$dir" && "$rubric" lint --color=never "$name.rubric" 2>&1)"
    if [ "$update" = 1 ]; then
      printf '%s\n' "$actual" >"$expected"
    elif [ ! -f "$expected" ]; then
      fail "$src has no $name.expected (run with --update and review it)"
      continue
    elif [ "$actual" != "$(cat "$expected")" ]; then
      fail "$src: output differs from $name.expected"
      diff <(printf '%s\n' "$actual") "$expected" | head -20
    fi
    head -1 "$src" | grep -q '^# expect' || fail "$src: first line must be '# expect CODE: why' or '# expect: clean'"
    code="$(head -1 "$src" | sed -n 's/^# expect \(R0[0-9]*\):.*/\1/p')"
    if [ -n "$code" ]; then
      covered="$covered $code"
      grep -q "\[$code\]" "$expected" || fail "$src expects $code but $name.expected does not report it"
    elif head -1 "$src" | grep -q '^# expect: clean'; then
      grep -q 'linted: ' "$expected" && ! grep -q 'warning\[\|error\[' "$expected" || fail "$src should lint clean"
    fi
  done
done
# Every verification and lint code has a fixture.
for code in $(grep -ho '^RUBRIC_DIAGNOSTIC(R0[56][0-9]*' compiler/diagnostics/codes_verify.def compiler/diagnostics/codes_lint.def | sed 's/.*(//'); do
  [ "$code" = R0510 ] && continue
  case " $covered " in *" $code "*) ;; *) fail "no fixture in tests/verify or tests/lint expects $code" ;; esac
done
if [ "$failures" -gt 0 ]; then echo "$failures failure(s)"; exit 1; fi
echo "lint goldens: all pass"
