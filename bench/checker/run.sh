#!/usr/bin/env bash
# Checker benchmark (not a test): runs `mommie check --no-symmetry` with one
# worker on programs with large parameters and prints distinct states,
# states/s and peak bytes per distinct state; with TLA2TOOLS_JAR set, also
# emits the TLA+ spec (`mommie tla`) and runs TLC (-workers 1,
# -XX:+UseParallelGC) on it, printing TLC's counts and the speed ratio.
#
# usage: bench/checker/run.sh [MOMMIE_BINARY]   (TIME_LIMIT=S per run, default 120)
set -uo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
MOMMIE="${1:-$ROOT/build/tools/mommie}"
LIMIT="${TIME_LIMIT:-120}"
OUT="$(mktemp -d)"

# program | -D parameters
CASES=(
  "examples/two_phase_commit.mom|-D N=5"
  "examples/one_third_rule.mom|-D MaxPhase=3"
  "examples/failure_detector.mom|"
  "examples/primary_backup.mom|"
)

printf "%-28s %-14s %12s %12s %10s %12s %12s %8s\n" program params distinct \
  states/s B/state tlc-distinct tlc-states/s ratio
for c in "${CASES[@]}"; do
  file="${c%%|*}"; params="${c#*|}"
  name="$(basename "$file" .mom)"
  json="$OUT/$name.json"
  timeout $((LIMIT + 30)) "$MOMMIE" check "$ROOT/$file" $params --no-symmetry \
    --workers 1 --json -q --time-limit "$LIMIT" > "$json" 2>/dev/null
  read -r distinct rate bps < <(python3 - "$json" <<'PY'
import json, sys
j = json.load(open(sys.argv[1]))
d = j["distinct"]; s = max(j["seconds"], 1e-9)
print(d, int(d / s), int(j["peakMemoryBytes"] / max(d, 1)))
PY
)
  tlcDistinct="-"; tlcRate="-"; ratio="-"
  if [ -n "${TLA2TOOLS_JAR:-}" ]; then
    dir="$OUT/tla_$name"
    "$MOMMIE" tla "$ROOT/$file" $params -o "$dir" >/dev/null 2>&1
    spec="$(ls "$dir"/*.tla | grep -v MommiePool | head -1)"
    start=$(date +%s.%N)
    (cd "$dir" && timeout $((LIMIT * 4)) java -XX:+UseParallelGC -cp "$TLA2TOOLS_JAR" \
      tlc2.TLC -workers 1 -deadlock "$(basename "$spec")" > tlc.out 2>&1)
    end=$(date +%s.%N)
    tlcDistinct="$(grep -o '[0-9,]* distinct states found' "$dir/tlc.out" | tail -1 | tr -d ',' | cut -d' ' -f1)"
    if [ -n "$tlcDistinct" ]; then
      tlcRate="$(python3 -c "print(int($tlcDistinct / max($end - $start, 1e-9)))")"
      ratio="$(python3 -c "print(round($rate / max($tlcRate, 1), 1))")"
    fi
  fi
  printf "%-28s %-14s %12s %12s %10s %12s %12s %8s\n" "$name" "${params:--}" \
    "$distinct" "$rate" "$bps" "${tlcDistinct:--}" "$tlcRate" "$ratio"
done
rm -rf "$OUT"
