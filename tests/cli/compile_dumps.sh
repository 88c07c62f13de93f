#!/usr/bin/env bash
# Golden dumps: `rubric compile tests/compile/NAME.rubric --dump-after=PASS`
# must equal tests/compile/NAME.PASS.expected for every pass. With --update
# the expectations are rewritten (review the diff before committing).
# Usage: compile_dumps.sh RUBRIC [BUILD_DIR] [--update]   (from the source tree)
set -u
rubric="$(cd "$(dirname "$1")" && pwd)/$(basename "$1")"
update=0
for arg in "$@"; do [[ "$arg" == "--update" ]] && update=1; done
cd "$(dirname "${BASH_SOURCE[0]}")/../compile" || exit 2
failed=0
for input in *.rubric; do
  name="${input%.rubric}"
  for pass in parse typecheck check lower; do
    actual="$("$rubric" compile "$input" --no-verify --dump-after=$pass 2>&1)"
    expected_file="$name.$pass.expected"
    if ((update)); then
      printf '%s\n' "$actual" > "$expected_file"
      continue
    fi
    if [[ "$(cat "$expected_file" 2>/dev/null)" != "$actual" ]]; then
      echo "FAIL $name after $pass"
      diff <(cat "$expected_file" 2>/dev/null) <(printf '%s\n' "$actual") | head -30
      failed=$((failed + 1))
    fi
  done
done
((update)) && { echo "expectations rewritten"; exit 0; }
echo "compile_dumps: $failed failure(s)"
((failed == 0))
