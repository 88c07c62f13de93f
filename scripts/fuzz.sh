#!/usr/bin/env bash
# Builds the libFuzzer harnesses of fuzz/ with clang-14 (ASan + UBSan +
# fuzzer coverage, in build-fuzz/) and runs each for SECONDS. New inputs go
# to build-fuzz/corpus/NAME; fuzz/corpus/NAME holds the committed seeds. Fails
# on any crash, leak, timeout (10 s per input), out-of-memory or sanitizer
# report, and then prints the saved input.
#   scripts/fuzz.sh [SECONDS] [HARNESS…]      (default: 60 s, every harness)
set -uo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-60}"
shift || true
harnesses=("$@")
[ ${#harnesses[@]} -eq 0 ] && harnesses=(compile verify graph patient fmt fhir)
build="${FUZZ_BUILD:-build-fuzz}"
jobs="${JOBS:-2}"

cmake -S . -B "$build" -G Ninja -DRUBRIC_FUZZ=ON -DRUBRIC_BENCH=OFF -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DCMAKE_CXX_COMPILER=clang++-14 -DCMAKE_CXX_COMPILER_LAUNCHER=ccache >/dev/null || exit 1
targets=()
for h in "${harnesses[@]}"; do targets+=("fuzz_$h"); done
cmake --build "$build" -j "$jobs" --target "${targets[@]}" || exit 1

# Which dictionary each harness reads.
dict_of() {
  case "$1" in
    graph) echo fuzz/dict/graph.dict ;;
    patient | fhir) echo fuzz/dict/patient.dict ;;
    *) echo fuzz/dict/rubric.dict ;;
  esac
}

failed=()
for h in "${harnesses[@]}"; do
  work="$build/corpus/$h"
  artifacts="$build/artifacts/$h"
  rm -rf "$artifacts"
  mkdir -p "$work" "$artifacts"
  log="$build/fuzz_$h.log"
  echo "== fuzz_$h: ${seconds} s"
  ASAN_OPTIONS=detect_leaks=1:allocator_may_return_null=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
    "$build/fuzz/fuzz_$h" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2560 -print_final_stats=1 \
    -dict="$(dict_of "$h")" -artifact_prefix="$artifacts/" "$work" "fuzz/corpus/$h" >"$log" 2>&1
  status=$?
  runs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' | tail -1)
  speed=$(grep -o 'stat::average_exec_per_sec: *[0-9]*' "$log" | grep -o '[0-9]*$' | tail -1)
  echo "   ${runs:-?} runs, ${speed:-?} execs/s, corpus $(ls "$work" | wc -l) inputs, exit $status"
  if [ $status -ne 0 ] || [ -n "$(ls -A "$artifacts")" ]; then
    failed+=("$h")
    grep -E 'ERROR|SUMMARY|fuzz property failed|runtime error|==[0-9]+==' "$log" | head -20
    for a in "$artifacts"/*; do
      [ -e "$a" ] || continue
      echo "-- saved input $a ($(wc -c <"$a") bytes):"
      if LC_ALL=C grep -q '[^[:print:][:space:]]' "$a"; then od -A d -c "$a" | head -40; else head -c 4000 "$a"; echo; fi
    done
    echo "-- full log: $log (reproduce: $build/fuzz/fuzz_$h ARTIFACT)"
  fi
done
if [ ${#failed[@]} -gt 0 ]; then
  echo "fuzz: FAILED: ${failed[*]}"
  exit 1
fi
echo "fuzz: ${harnesses[*]}: clean"
