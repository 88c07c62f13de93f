#!/usr/bin/env bash
# Batch memory is bounded overall, not per input chunk (issue 19, bug 6):
# the peak RSS of `rubric eval --format ndjson`, measured by /usr/bin/time -v,
# stays under the bound of docs/limits.md (64 MiB) for 4 MB of bare newlines
# (4 million error lines) and for 2 million `{}` lines (every one
# undetermined, through the reference evaluator), with 1 and 2 threads — and
# is flat: 2 million `{}` lines take no more than 8 MiB over 100,000.
# Usage: batch_memory.sh RUBRIC_BINARY [BUILD_DIR]   (run from the source root)
set -u
rubric=$1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }
[ -x /usr/bin/time ] || { echo "FAIL: /usr/bin/time is missing (Debian package \`time\`; scripts/setup-deps.sh installs it)"; exit 1; }
"$rubric" compile guidelines/acr/low_back_pain.rubric --no-verify -o "$tmp/lbp.json" || exit 1
bound_kb=$((64 * 1024))
# Under AddressSanitizer, RSS measures the sanitizer's shadow and quarantine:
# the runs still check N lines in, N lines out, at a tenth of the size.
sanitized=0
[ -n "${2:-}" ] && grep -q '^RUBRIC_SANITIZE:BOOL=ON' "$2/CMakeCache.txt" 2>/dev/null && sanitized=1
scale=1
[ $sanitized -eq 1 ] && scale=10

# Peak RSS in KiB of one batch run over FILE; checks N lines out.
peak() {
  local file=$1 threads=$2 lines=$3
  /usr/bin/time -v -o "$tmp/time" "$rubric" eval "$tmp/lbp.json" --patients "$file" --format ndjson \
    --threads "$threads" >"$tmp/out" 2>/dev/null
  local out_lines
  out_lines=$(wc -l <"$tmp/out")
  [ "$out_lines" -eq "$lines" ] || fail "$file: $lines lines in, $out_lines out"
  sed -n 's/^\s*Maximum resident set size (kbytes): //p' "$tmp/time"
}

newlines=$((4000000 / scale)) empties=$((2000000 / scale))
head -c "$newlines" /dev/zero | tr '\0' '\n' >"$tmp/newlines"
yes '{}' | head -n "$empties" >"$tmp/empty2m"
head -n $((100000 / scale)) "$tmp/empty2m" >"$tmp/empty100k"
for threads in 1 2; do
  kb=$(peak "$tmp/newlines" "$threads" "$newlines")
  if [ $sanitized -eq 1 ]; then
    peak "$tmp/empty2m" "$threads" "$empties" >/dev/null
    echo "sanitizer build: RSS bounds not checked"
    continue
  fi
  echo "4 MB of newlines, $threads thread(s): ${kb} KiB"
  [ "$kb" -lt "$bound_kb" ] || fail "4 MB of newlines with $threads thread(s): peak RSS ${kb} KiB ≥ ${bound_kb} KiB"
  big=$(peak "$tmp/empty2m" "$threads" "$empties")
  small=$(peak "$tmp/empty100k" "$threads" $((100000 / scale)))
  echo "2,000,000 {} lines, $threads thread(s): ${big} KiB (100,000: ${small} KiB)"
  [ "$big" -lt "$bound_kb" ] || fail "2M {} lines with $threads thread(s): peak RSS ${big} KiB ≥ ${bound_kb} KiB"
  [ "$big" -le $((small + 8192)) ] || fail "RSS grows with input: ${small} KiB for 100k lines, ${big} KiB for 2M"
done

if [ $failures -ne 0 ]; then echo "$failures failure(s)"; exit 1; fi
echo "batch_memory: all checks passed"
