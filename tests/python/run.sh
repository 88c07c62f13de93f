#!/usr/bin/env bash
# Runs a Python suite with Debian's /usr/bin/python3 and pytest against the
# module built in PYTHON_DIR: `python` (tests/python/test_binding.py) or `dask`
# (tests/python/test_dask.py). Exits 77 (ctest: skipped) with a message when
# the module was not built or a Debian package is missing; scripts/setup-deps.sh
# installs them (python3-dev python3-pybind11 python3-pytest python3-pandas python3-distributed).
# Usage: run.sh SUITE PYTHON_DIR RUBRIC_BINARY BUILD_DIR [SANITIZE]
set -u
suite=$1 pydir=$2 rubric=$3 build=$4 sanitize=${5:-}
python=/usr/bin/python3
skip() { echo "SKIPPED: $*"; exit 77; }
[ -x "$python" ] || skip "no /usr/bin/python3"
[ -n "$pydir" ] && [ -d "$pydir/rubric" ] || skip "the Python module was not built (install python3-dev and python3-pybind11, then reconfigure)"
need=(pytest pandas)
[ "$suite" = dask ] && need+=(dask distributed)
for m in "${need[@]}"; do
  "$python" -c "import $m" 2>/dev/null || skip "Python package \`$m\` is missing (Debian: python3-$([ "$m" = pytest ] && echo pytest || echo "$m"))"
done
export PYTHONPATH="$pydir" RUBRIC_BINARY="$rubric" RUBRIC_SOURCE_DIR="$PWD" RUBRIC_BUILD_DIR="$build"
if [ "$sanitize" = ON ]; then
  # The extension is built with ASan/UBSan: load the runtimes first. Python
  # itself keeps memory until exit, so leak reports would be noise.
  export LD_PRELOAD="$(gcc -print-file-name=libasan.so) $(gcc -print-file-name=libubsan.so)"
  export ASAN_OPTIONS=detect_leaks=0 RUBRIC_SANITIZED=1
fi
file=tests/python/test_binding.py
[ "$suite" = dask ] && file=tests/python/test_dask.py
exec "$python" -m pytest -q -p no:cacheprovider "$file"
