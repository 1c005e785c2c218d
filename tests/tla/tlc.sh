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
#                                # (or, for "Property that must fail: X",
#                                # that temporal property violated)
#   tlc.sh error MOMMIE FILE.mom # TLC and `mommie check` both stop on the
#                                # evaluation error of the file's "Evaluation
#                                # error: MESSAGE" line, after as many steps
#
# Exits 77 (CTest SKIP_RETURN_CODE) when TLA2TOOLS_JAR is unset. Bounded by
# TLC_TIMEOUT seconds (default 900) for TLC and for mommie check.
set -uo pipefail
source "$(dirname "$0")/tlc_lib.sh"
mode=$1 mommie=$(realpath "$2") file=$(realpath "$3")
require_tlc_jar
limit=${TLC_TIMEOUT:-900}
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT

"$mommie" tla "$file" -o "$dir" || { echo "FAIL: mommie tla exited $?"; exit 1; }
module=$(protocol_module "$dir")
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
  header=$(sed -n '/^\/\//!q;p' "$file" | sed 's#^//##' | tr '\n' ' ' | tr -s ' ')
  prop=$(grep -oE "Property that must fail: [A-Za-z_0-9]+" <<< "$header" | head -1 | awk '{print $NF}')
  inv=$(grep -oE "Invariant that must fail: [A-Za-z_0-9]+" <<< "$header" | head -1 | awk '{print $NF}')
  if [ -n "$prop" ]; then
    # A liveness bug: that temporal property alone, no invariant (they hold).
    section=PROPERTY name=$prop drop='INVARIANT|PROPERTY'
    expect="Temporal properties were violated"
  elif [ -n "$inv" ]; then
    # That invariant alone, so that the report names it (the rest of the
    # cfg, CONSTRAINT included, stays).
    section=INVARIANT name=$inv drop=INVARIANT
    expect="Invariant $inv is violated"
  else
    echo "FAIL: no 'Invariant that must fail: X' or 'Property that must fail: X' line in $file"
    exit 1
  fi
  awk -v drop="^($drop)" '$0 ~ drop { skip = 1; next } skip && /^  / { next } { skip = 0; print }' \
    "$module.cfg" > cfg.tmp && mv cfg.tmp "$module.cfg"
  printf '%s\n  %s\n' "$section" "$name" >> "$module.cfg"
  run_tlc "$module"
  if grep -q "$expect" tlc.log; then
    echo "ok: TLC reports: $expect ($name)"
    exit 0
  fi
  tail -30 tlc.log
  echo "FAIL: TLC did not report a violation of $name"
  exit 1
fi

if [ "$mode" = error ]; then
  msg=$(sed -n '/^\/\//!q;p' "$file" | sed 's#^//##' | tr '\n' ' ' | tr -s ' ' |
        grep -oE "Evaluation error: [^.]+" | head -1 | sed 's/^Evaluation error: //; s/ *$//')
  [ -n "$msg" ] || { echo "FAIL: no 'Evaluation error: MESSAGE.' line in $file"; exit 1; }
  run_tlc "$module"
  grep -qF "$msg" tlc.log || { tail -40 tlc.log; echo "FAIL: TLC did not report '$msg'"; exit 1; }
  # TLC prints the behaviour up to the failing step: states 1..k+1.
  tlc_states=$(grep -cE '^State [0-9]+:' tlc.log)
  timeout "$limit" "$mommie" check "$file" --no-symmetry > check.log 2>&1
  grep -qF "$msg" check.log || { cat check.log; echo "FAIL: mommie check did not report '$msg'"; exit 1; }
  steps=$(grep -oE 'Counterexample \(([0-9]+) steps?\)' check.log | grep -oE '[0-9]+' | head -1)
  if [ "$tlc_states" != "$((steps + 1))" ]; then
    echo "FAIL: TLC's trace has $tlc_states states, mommie check's $steps steps"
    exit 1
  fi
  echo "ok: TLC and mommie check stop on '$msg' after $steps steps"
  exit 0
fi

# TLC's count on module $1 equals mommie check's with the flags after it.
compare() {
  local m=$1
  shift
  run_tlc "$m"
  require_tlc_ok "$m.cfg"
  mommie_count "$file" "$@"
  if [ "$mc" != "$tlc" ]; then
    echo "FAIL: TLC on $m.cfg found $tlc distinct states, mommie check $* $mc"
    exit 1
  fi
  echo "ok: TLC on $m.cfg and mommie check${*:+ $*} agree: $tlc distinct states"
}

compare "$module" --no-symmetry
# MC.cfg leaves SYMMETRY out where the program has temporal properties
# (TLC's liveness checking is unsound under symmetry).
if grep -q '^SYMMETRY' MC.cfg; then
  compare MC
else
  compare MC --no-symmetry
fi
