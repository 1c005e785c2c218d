#!/usr/bin/env bash
# Runs SANY and TLC on the spec `mommie tla` emits for one program.
#
#   tlc.sh ok  MOMMIE FILE.mom   # TLC finds no error, and its distinct-state
#                                # count equals `mommie check`'s: on
#                                # <Module>.cfg (principals as pairs, no
#                                # symmetry) against `--no-symmetry`, and on
#                                # MC.cfg (model values, SYMMETRY where mommie
#                                # reduces) against mommie's default
#   tlc.sh bug MOMMIE FILE.mom   # TLC reports the invariant named in the
#                                # file's "Invariant that must fail: X" line
#
# Exits 77 (CTest SKIP_RETURN_CODE) when TLA2TOOLS_JAR is unset. Bounded by
# TLC_TIMEOUT seconds (default 900) for TLC and for mommie check.
set -uo pipefail
mode=$1 mommie=$(realpath "$2") file=$(realpath "$3")
if [ -z "${TLA2TOOLS_JAR:-}" ]; then
  echo "TLA2TOOLS_JAR is not set: skipping"
  exit 77
fi
if [ ! -f "$TLA2TOOLS_JAR" ]; then
  echo "FAIL: TLA2TOOLS_JAR=$TLA2TOOLS_JAR does not exist"
  exit 1
fi
limit=${TLC_TIMEOUT:-900}
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT

"$mommie" tla "$file" -o "$dir" || { echo "FAIL: mommie tla exited $?"; exit 1; }
cfg=$(ls "$dir"/*.cfg | grep -v '/MC.cfg$')
module=$(basename "$cfg" .cfg)
cd "$dir"

# SANY: parse and semantic analysis.
timeout 300 java -cp "$TLA2TOOLS_JAR" tla2sany.SANY "$module.tla" > sany.log 2>&1
if grep -qiE "error|abort" sany.log; then
  cat sany.log
  echo "FAIL: SANY reported errors on $module.tla"
  exit 1
fi

if [ "$mode" = bug ]; then
  # The header comment may wrap the sentence over lines.
  inv=$(sed -n '/^\/\//!q;p' "$file" | sed 's#^//##' | tr '\n' ' ' | tr -s ' ' |
        grep -oE "Invariant that must fail: [A-Za-z_0-9]+" | head -1 | awk '{print $NF}')
  [ -n "$inv" ] || { echo "FAIL: no 'Invariant that must fail: X' line in $file"; exit 1; }
  # Check that invariant alone, so that the report names it.
  sed -i '/^INVARIANT/,$d' "$module.cfg"
  printf 'INVARIANT\n  %s\n' "$inv" >> "$module.cfg"
fi

# One TLC run of $1.tla with $1.cfg; sets tlc (distinct states) and rc.
run_tlc() {
  timeout "$limit" java -XX:+UseParallelGC -cp "$TLA2TOOLS_JAR" tlc2.TLC \
    -workers 1 -config "$1.cfg" "$1.tla" > tlc.log 2>&1
  rc=$?
  if [ $rc -eq 124 ]; then
    tail -5 tlc.log
    echo "FAIL: TLC did not finish within ${limit}s"
    exit 1
  fi
  tlc=$(grep -oE "[0-9]+ distinct states found" tlc.log | tail -1 | awk '{print $1}')
}

if [ "$mode" = bug ]; then
  run_tlc "$module"
  if grep -q "Invariant $inv is violated" tlc.log; then
    echo "ok: TLC reports: Invariant $inv is violated"
    exit 0
  fi
  tail -30 tlc.log
  echo "FAIL: TLC did not report a violation of $inv"
  exit 1
fi

# TLC's count on module $1 equals mommie check's with the flags after it.
compare() {
  local m=$1
  shift
  run_tlc "$m"
  if [ $rc -ne 0 ] || ! grep -q "No error has been found" tlc.log; then
    tail -60 tlc.log
    echo "FAIL: TLC exited $rc on $m.cfg"
    exit 1
  fi
  timeout "$limit" "$mommie" check "$file" "$@" > check.log 2>&1
  crc=$?
  mc=$(grep -oE "distinct states: [0-9]+" check.log | tail -1 | awk '{print $3}')
  if [ -z "$mc" ]; then
    cat check.log
    echo "FAIL: mommie check $* (exit $crc) printed no 'distinct states: N'"
    exit 1
  fi
  if [ "$mc" != "$tlc" ]; then
    echo "FAIL: TLC on $m.cfg found $tlc distinct states, mommie check $* $mc"
    exit 1
  fi
  echo "ok: TLC on $m.cfg and mommie check${*:+ $*} agree: $tlc distinct states"
}

compare "$module" --no-symmetry
compare MC
