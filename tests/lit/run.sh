#!/usr/bin/env bash
# Runs the lit text tests of tests/lit/ against a mommie binary:
#   tests/lit/run.sh [MOMMIE] [lit arguments...]
# MOMMIE defaults to $MOMMIE, else build/tools/mommie. Without arguments
# after MOMMIE every case runs; name files to run some:
#   tests/lit/run.sh build/tools/mommie tests/lit/check_summary.mom -v
# lit and FileCheck come from Debian's llvm-14-tools (or $LIT, $FILECHECK,
# or the PATH). Exits 77 (CTest's skip code) when either is missing.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(dirname "$(dirname "$here")")
mommie=${1:-${MOMMIE:-$repo/build/tools/mommie}}
shift || true

find_lit() {
  if [ -n "${LIT:-}" ]; then echo "$LIT"; return; fi
  for c in lit lit.py llvm-lit; do
    if command -v "$c" > /dev/null; then command -v "$c"; return; fi
  done
  for c in /usr/lib/llvm-14/build/utils/lit/lit.py /usr/lib/llvm-*/build/utils/lit/lit.py; do
    if [ -f "$c" ]; then echo "python3 $c"; return; fi
  done
  if python3 -c 'import lit' 2> /dev/null; then echo "python3 -m lit"; fi
}
find_filecheck() {
  if [ -n "${FILECHECK:-}" ]; then echo "$FILECHECK"; return; fi
  for c in FileCheck FileCheck-14 /usr/lib/llvm-14/bin/FileCheck /usr/lib/llvm-*/bin/FileCheck; do
    if command -v "$c" > /dev/null; then command -v "$c"; return; fi
  done
}

lit=$(find_lit)
filecheck=$(find_filecheck)
if [ -z "$lit" ] || [ -z "$filecheck" ]; then
  echo "lit tests skipped: lit or FileCheck not found (Debian: apt-get install llvm-14-tools;" \
       "or set LIT and FILECHECK)"
  exit 77
fi
if [ ! -x "$mommie" ]; then
  echo "tests/lit/run.sh: no mommie binary at '$mommie' (build it, or pass its path)" >&2
  exit 2
fi
mommie=$(cd "$(dirname "$mommie")" && pwd)/$(basename "$mommie")
exec_root=${LIT_EXEC_ROOT:-$(mktemp -d "${TMPDIR:-/tmp}/mommie-lit.XXXXXX")}
args=("$@")
paths=0
for a in "${args[@]}"; do
  [[ "$a" == -* ]] || paths=1
done
[ $paths = 1 ] || args+=("$here")
# shellcheck disable=SC2086 # $lit may be "python3 path/lit.py"
$lit -sv --param mommie="$mommie" --param filecheck="$filecheck" \
  --param exec_root="$exec_root" "${args[@]}"
rc=$?
[ -n "${LIT_EXEC_ROOT:-}" ] || rm -rf "$exec_root"
exit $rc
