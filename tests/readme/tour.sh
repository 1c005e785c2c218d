#!/usr/bin/env bash
# The README's five-minute tour, run verbatim (issue 15): the first fenced
# block after "## A five-minute tour" that starts with `M=` is extracted and
# run by bash -e in a temporary directory whose `build` and `examples` are
# links to the real ones, so the tour can never rot.
#
#   tour.sh SOURCE_DIR BUILD_DIR
set -uo pipefail
src=$(realpath "$1") build=$(realpath "$2")
dir=$(mktemp -d)
pids_file="$dir/.pids"
cleanup() {
  # Any node the tour left running is stopped.
  pkill -P $$ 2> /dev/null || true
  rm -rf "$dir"
}
trap cleanup EXIT

awk '/^## A five-minute tour/ { tour = 1 }
     tour && /^```/ { if (inblock && keep) exit; inblock = !inblock; first = 1; next }
     tour && inblock && first { keep = /^M=/; first = 0 }
     tour && inblock && keep { print }' "$src/README.md" > "$dir/tour.sh"
if ! head -1 "$dir/tour.sh" | grep -q '^M='; then
  cat "$dir/tour.sh"
  echo "FAIL: no command block starting with M= after '## A five-minute tour' in README.md"
  exit 1
fi
ln -s "$build" "$dir/build"
ln -s "$src/examples" "$dir/examples"
cd "$dir"
echo "== the tour ($(wc -l < tour.sh) lines)"
cat tour.sh
if ! timeout 900 bash -e tour.sh > tour.log 2>&1; then
  tail -40 tour.log
  echo "FAIL: the README tour failed (log above)"
  exit 1
fi
# What the tour promises, checked on its output.
grep -q "No error has been found" tour.log || { echo "FAIL: check found an error"; exit 1; }
grep -qE "C0: 1000 completed" tour.log || { tail -20 tour.log; echo "FAIL: the client did not complete 1000 requests"; exit 1; }
grep -qE "^ok: [0-9]+ steps conform" tour.log || { tail -20 tour.log; echo "FAIL: conform did not accept the traces"; exit 1; }
[ -f out/PrimaryBackup.tla ] && [ -f out/MC.cfg ] || { echo "FAIL: mommie tla wrote no spec"; exit 1; }
echo "ok: the README tour runs as written"
