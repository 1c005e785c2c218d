#!/usr/bin/env bash
# Checks the runtime's layering (docs/runtime.md, "Layers"):
#  - every source of runtime/ is in exactly one layer folder (the folder's
#    library globs its *.cpp; no CMake file names a runtime source, so none
#    is compiled into two libraries);
#  - a layer includes only its own headers and those of the layers its
#    CMakeLists.txt links (mommie_rt_<layer>), never a compiler header
#    (ir/, frontend/, checker/, backends/, proofs/, tools/) or an
#    application's (apps/);
#  - an application (apps/NAME) includes no compiler header.
# Usage: layers.sh SOURCE_DIR. Exit 0, or 1 with one line per violation.
set -uo pipefail
src=${1:-$(dirname "$0")/../..}
cd "$src" || exit 2
bad=0
fail() { echo "layers: $*"; bad=1; }

for f in runtime/*.cpp runtime/*.h runtime/*/*/*; do
  [ -e "$f" ] && fail "$f: not in a layer folder (runtime/LAYER/)"
done
if grep -rnE 'runtime/[A-Za-z/]*\.cpp' --include=CMakeLists.txt --include='*.cmake' . \
     | grep -v '^./build' | grep -v '^./tests/runtime/layers.sh'; then
  fail "a CMake file names a runtime source (each layer globs its own folder)"
fi

for dir in runtime/*/; do
  layer=$(basename "$dir")
  cml="$dir/CMakeLists.txt"
  [ -f "$cml" ] || { fail "$dir: no CMakeLists.txt"; continue; }
  allowed=" $layer $(grep -o 'mommie_rt_[a-z]*' "$cml" | sed 's/mommie_rt_//' | tr '\n' ' ')"
  for f in "$dir"*.h "$dir"*.cpp; do
    [ -e "$f" ] || continue
    while IFS= read -r inc; do
      case "$inc" in
        runtime/*/*)
          dep=${inc#runtime/}
          dep=${dep%%/*}
          [[ "$allowed" == *" $dep "* ]] || fail "$f includes $inc: layer $layer does not link mommie_rt_$dep"
          ;;
        ir/* | frontend/* | checker/* | backends/* | proofs/* | tools/* | apps/*)
          fail "$f includes $inc: the runtime includes no compiler or application header" ;;
      esac
    done < <(sed -n 's/^#include "\([^"]*\)".*/\1/p' "$f")
  done
done

for f in apps/*/*.h apps/*/*.cpp; do
  [ -e "$f" ] || continue
  if grep -nE '^#include "(ir|frontend|checker|backends|proofs|tools)/' "$f"; then
    fail "$f: an application includes no compiler header"
  fi
done
exit $bad
