#!/usr/bin/env bash
# The compiler's folders are its stages (diagnostics ← syntax ← sema ← lower ←
# verify ← pipeline ← lint, tools): the tree passes the layering check, and the
# check fails when a sema/ file includes a verify/ header or a file includes
# another folder's *_internal.hpp.
#   bash tests/cli/layering.sh RUBRIC [BUILD_DIR]
set -u
here="$(cd "$(dirname "$0")/../.." && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
failed=0

out="$(bash "$here/scripts/check-layering.sh" "$here")" || { echo "FAIL: the tree breaks the layering:"; echo "$out"; failed=1; }

# A copy with one backward include must fail, naming the file and the stage.
mkdir -p "$work/tree"
cp -r "$here/compiler" "$here/runtime" "$here/grammar" "$work/tree/"
sed -i '1i #include "compiler/verify/verify.hpp"' "$work/tree/compiler/sema/resolve.cpp"
out="$(bash "$here/scripts/check-layering.sh" "$work/tree")"
status=$?
if [ $status -ne 1 ]; then echo "FAIL: a sema/ → verify/ include passed the check (exit $status)"; failed=1; fi
case "$out" in
  *"compiler/sema/resolve.cpp:1: sema/ includes compiler/verify/, a later stage"*) ;;
  *) echo "FAIL: unexpected report: $out"; failed=1 ;;
esac

# A split class's *_internal.hpp is private to its folder.
mkdir -p "$work/t3"; cp -r "$here/compiler" "$here/grammar" "$here/runtime" "$work/t3/"
sed -i '1i #include "compiler/lower/lower_internal.hpp"' "$work/t3/compiler/verify/verify_gaps.cpp"
out="$(bash "$here/scripts/check-layering.sh" "$work/t3")" && { echo "FAIL: an include of another folder's internal header passed"; failed=1; }
case "$out" in *"compiler/verify/verify_gaps.cpp:1: verify/ includes an internal header of compiler/lower/"*) ;; *) echo "FAIL: internal-header report: $out"; failed=1 ;; esac

# The runtime must not include the compiler either.
mkdir -p "$work/t2"; cp -r "$here/compiler" "$here/grammar" "$here/runtime" "$work/t2/"
sed -i '1i #include "compiler/syntax/ast.hpp"' "$work/t2/runtime/evaluate.cpp"
out="$(bash "$here/scripts/check-layering.sh" "$work/t2")" && { echo "FAIL: runtime → compiler include passed"; failed=1; }
case "$out" in *"runtime/evaluate.cpp:1:"*"runtime/ must not include the compiler"*) ;; *) echo "FAIL: runtime report: $out"; failed=1 ;; esac

[ $failed -eq 0 ] && echo "layering: ok"
exit $failed
