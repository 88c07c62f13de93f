# Sourced by the FHIR CLI tests (tests/cli/eval_fhir*.sh, fhir_*.sh), never
# run itself (it is outside the cli/*.sh glob): the driver from $1, a count
# of failures, `fail` and `contains`, a temporary folder removed on exit, and
# `finish NAME` to report and exit. Run from the source root.
set -u
rubric=$1
failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }
contains() { grep -qF -- "$2" <<<"$1" || fail "missing: $2"; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
finish() {
  [ $failures -eq 0 ] && echo "$1: all checks passed"
  exit $((failures > 0))
}
