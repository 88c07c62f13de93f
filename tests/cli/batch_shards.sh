#!/usr/bin/env bash
# Shards without a cluster (docs/scale.md): `split` an NDJSON file into
# shards at line boundaries, run `rubric eval` on each in parallel, and
# concatenate: exactly the bytes of one run over the whole file — the recipe
# for Spark RDD.pipe() and Hadoop Streaming. Also: --threads 2 gives the same
# bytes, and a bad record in one shard does not fail that shard (exit 0).
# Usage: batch_shards.sh RUBRIC_BINARY [BUILD_DIR]   (run from the source root)
set -u
rubric=$1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }
"$rubric" compile guidelines/acr/low_back_pain.rubric --no-verify -o "$tmp/lbp.json" || exit 1

# 40,000 patients from the Python generator shared with the Dask test, one bad line.
python3 -c 'import sys; sys.path.insert(0, "tests/python"); import patients; sys.stdout.write("".join(patients.patient_lines(40000, seed=7)))' >"$tmp/all.ndjson"
sed -i '5000s/.*/{"id": "broken", "age": "fifty"}/' "$tmp/all.ndjson"
"$rubric" eval "$tmp/lbp.json" --patients "$tmp/all.ndjson" --format ndjson >"$tmp/single.ndjson" 2>/dev/null ||
  fail "single run exited $?"

split -n l/4 -d "$tmp/all.ndjson" "$tmp/shard-"
[ "$(ls "$tmp"/shard-* | wc -l)" -eq 4 ] || fail "split made $(ls "$tmp"/shard-* | wc -l) shards"
pids=()
for s in "$tmp"/shard-??; do
  "$rubric" eval "$tmp/lbp.json" --patients "$s" --format ndjson >"$s.out" 2>"$s.err" &
  pids+=($!)
done
for p in "${pids[@]}"; do wait "$p" || fail "a shard exited $?"; done
cat "$tmp"/shard-??.out >"$tmp/merged.ndjson"
# Error lines name their line within the input they were given: the bad
# record (line 5,000) is in the first shard, where the numbers agree.
cmp -s "$tmp/merged.ndjson" "$tmp/single.ndjson" || fail "shards concatenated differ from the single run"
"$rubric" eval "$tmp/lbp.json" --patients "$tmp/all.ndjson" --format ndjson --threads 2 2>/dev/null |
  cmp -s - "$tmp/single.ndjson" || fail "--threads 2 differs from one thread"
grep -q '"id":"broken","status":"error"' "$tmp/single.ndjson" || fail "the bad record's error line"

if [ $failures -ne 0 ]; then echo "$failures failure(s)"; exit 1; fi
echo "batch_shards: all checks passed"
