#!/usr/bin/env bash
# Golden test of the TLA+ backend: `mommie tla FILE -o tmp` must produce
# exactly GOLDEN_DIR/<Module>.tla, GOLDEN_DIR/<Module>.cfg, GOLDEN_DIR/MC.tla,
# GOLDEN_DIR/MC.cfg and
# GOLDEN_DIR/../MommiePool.tla. With UPDATE_GOLDEN=1 it rewrites them
# instead (review the diff).
#
#   golden.sh MOMMIE FILE.mom GOLDEN_DIR
set -uo pipefail
mommie=$(realpath "$1") file=$(realpath "$2") golden=$3
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
"$mommie" tla "$file" -o "$dir" || { echo "FAIL: mommie tla exited $?"; exit 1; }
if [ "${UPDATE_GOLDEN:-0}" = 1 ]; then
  rm -rf "$golden"
  mkdir -p "$golden"
  cp "$dir"/*.tla "$dir"/*.cfg "$golden"/
  mv "$golden/MommiePool.tla" "$golden/../MommiePool.tla"
  echo "updated $golden"
  exit 0
fi
status=0
mv "$dir/MommiePool.tla" "$dir/MommiePool.tla.out"
for f in "$dir"/*.tla "$dir"/*.cfg; do
  name=$(basename "$f")
  if [ ! -f "$golden/$name" ]; then
    echo "FAIL: missing golden file $golden/$name (run with UPDATE_GOLDEN=1)"
    status=1
  elif ! diff -u "$golden/$name" "$f"; then
    echo "FAIL: $name differs from $golden/$name"
    status=1
  fi
done
if ! diff -u "$golden/../MommiePool.tla" "$dir/MommiePool.tla.out"; then
  echo "FAIL: MommiePool.tla differs"
  status=1
fi
n=$(ls "$golden" 2>/dev/null | wc -l)
if [ "$n" -ne 4 ]; then
  echo "FAIL: $golden should hold exactly <Module>.tla/.cfg and MC.tla/.cfg"
  status=1
fi
[ $status -eq 0 ] && echo "ok: $(basename "$file") matches $golden"
exit $status
