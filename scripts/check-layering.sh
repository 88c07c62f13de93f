#!/usr/bin/env bash
# The compiler's stages, lowest first. A file in a stage may include headers of
# its own stage and of the stages before it, never of a later one; lint and
# tools sit side by side on top and do not include each other. The runtime and
# the grammar include nothing of the compiler, nor does the service (it
# links the runtime; the CLI compiles catalogs at the edge). A header named *_internal.hpp
# (a split class's declaration) is private to its own folder.
#   bash scripts/check-layering.sh [ROOT]     exit 1 and one line per violation
set -u
root="${1:-$(cd "$(dirname "$0")/.." && pwd)}"
rank() {
  case "$1" in
    diagnostics) echo 0 ;; syntax) echo 1 ;; sema) echo 2 ;; lower) echo 3 ;;
    verify) echo 4 ;; pipeline) echo 5 ;; lint|tools) echo 6 ;; *) echo 99 ;;
  esac
}
bad=0
while IFS= read -r -d '' file; do
  rel="${file#"$root"/}"
  stage="$(echo "$rel" | cut -d/ -f2)"
  mine=$(rank "$stage")
  if [ "$mine" = 99 ]; then echo "$rel: not in a stage folder (compiler/STAGE/)"; bad=1; continue; fi
  while IFS=: read -r line inc; do
    other="$(echo "$inc" | sed -E 's#.*"compiler/([a-z_]+)/.*#\1#')"
    theirs=$(rank "$other")
    if [ "$theirs" -gt "$mine" ] || { [ "$theirs" = "$mine" ] && [ "$other" != "$stage" ]; }; then
      echo "$rel:$line: $stage/ includes compiler/$other/, a later stage"; bad=1
    elif [ "$other" != "$stage" ] && [[ "$inc" == *_internal.hpp\"* ]]; then
      echo "$rel:$line: $stage/ includes an internal header of compiler/$other/"; bad=1
    fi
  done < <(grep -n '#include "compiler/' "$file" | cut -d: -f1,2)
done < <(find "$root/compiler" -name '*.[ch]pp' -print0 -o -name '*.def' -print0)
for dir in runtime grammar service; do
  hits="$(grep -rn '#include "compiler/' "$root/$dir" 2>/dev/null)"
  if [ -n "$hits" ]; then echo "$hits" | sed "s#^$root/##; s#\$#   ($dir/ must not include the compiler)#"; bad=1; fi
done
exit $bad
