#!/usr/bin/env bash
# Checker benchmark (not a test).
#
# Part 1, with TLA2TOOLS_JAR set: for each spec below, emits the TLA+ module
# (`mommie tla`), runs TLC on it (-workers 1, default JVM flags plus
# -XX:+UseParallelGC) and `mommie check --no-symmetry --workers 1` on the
# same program and parameters, checks that the distinct state counts are
# equal, and prints each one's distinct states per second of wall time
# (process start to exit, JVM start-up included for TLC) and the ratio,
# of the safety search (temporal properties are left out on both sides),
# then the CPU seconds (user + system) of each and the ratio per CPU second,
# which a loaded machine distorts less.
#
# Part 2: one mommie-only run of at least 10 million distinct states, with
# its peak resident memory (from /usr/bin/time -v) and bytes per distinct
# state.
#
# usage: bench/checker/run.sh [MOMMIE_BINARY]
#   TLA2TOOLS_JAR=path/to/tla2tools.jar   enables part 1 (the jar is never committed)
#   TIME_LIMIT=S                          per run (default 900)
#   SKIP_BIG=1                            skips parts 2 and 3
#
# Part 3: the large run again with 2 workers (speed-up over 1) and with
# symmetry (states per second against the run without).
set -uo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
MOMMIE="${1:-$ROOT/build/tools/mommie}"
LIMIT="${TIME_LIMIT:-900}"
OUT="$(mktemp -d)"
trap 'rm -rf "$OUT"' EXIT

# program | -D parameters: every example, at a size where TLC runs 10 s or
# more on an idle core where one is practical (failure_detector and
# pbft_normal_case jump from seconds to hours with the next size up).
# Round programs: flood_min, one_third_rule, last_voting, failure_detector.
CASES=(
  "examples/two_phase_commit.mom|-D N=4"
  "examples/primary_backup.mom|"
  "examples/paxos.mom|"
  "examples/pbft_normal_case.mom|"
  "examples/last_voting.mom|"
  "examples/one_third_rule.mom|-D N=5 -D V=3"
  "examples/flood_min.mom|-D N=6 -D F=2 -D V=3"
  "examples/failure_detector.mom|-D MaxPhase=6"
)
# The mommie-only memory run (>= 10M distinct states).
BIG="examples/two_phase_commit.mom|-D N=5"

now() { date +%s.%N; }

# Runs mommie; prints "distinct wall_seconds peak_rss_bytes verdict".
# Extra check flags in MOMMIE_FLAGS (default: --no-symmetry --workers 1).
run_mommie() {
  local file="$1" params="$2" json="$OUT/mommie.json" timing="$OUT/time.txt"
  local start end
  start=$(now)
  /usr/bin/time -v -o "$timing" timeout "$LIMIT" "$MOMMIE" check "$ROOT/$file" $params \
    ${MOMMIE_FLAGS:---no-symmetry --workers 1} --no-liveness --json -q > "$json" 2>/dev/null
  end=$(now)
  python3 - "$json" "$timing" "$start" "$end" <<'PY'
import json, re, sys
j = json.load(open(sys.argv[1]))
rss = 0
for line in open(sys.argv[2]):
    m = re.search(r"Maximum resident set size \(kbytes\): (\d+)", line)
    if m:
        rss = int(m.group(1)) * 1024
cpu = 0.0
for line in open(sys.argv[2]):
    m = re.search(r"(User|System) time \(seconds\): ([0-9.]+)", line)
    if m:
        cpu += float(m.group(2))
print(j["distinct"], float(sys.argv[4]) - float(sys.argv[3]), rss, j["verdict"], cpu)
PY
}

if [ -n "${TLA2TOOLS_JAR:-}" ]; then
  echo "== mommie check vs TLC (1 worker each, distinct states per second of wall time)"
  printf "%-18s %-12s %11s %11s %6s %9s %12s %9s %12s %7s\n" program params \
    distinct tlc-distinct equal mommie-s mommie-st/s tlc-s tlc-st/s ratio
  for c in "${CASES[@]}"; do
    file="${c%%|*}"; params="${c#*|}"
    name="$(basename "$file" .mom)"
    read -r distinct msecs _ verdict mcpu < <(run_mommie "$file" "$params")
    dir="$OUT/tla_$name"
    "$MOMMIE" tla "$ROOT/$file" $params -o "$dir" >/dev/null 2>&1
    spec="$(ls "$dir"/*.tla | grep -v MommiePool | grep -v '/MC.tla$' | head -1)"
    # Safety only, as mommie's side runs (--no-liveness).
    cfg="${spec%.tla}.cfg"
    awk '/^PROPERTY/ { skip = 1; next } skip && /^  / { next } { skip = 0; print }' \
      "$cfg" > "$cfg.tmp" && mv "$cfg.tmp" "$cfg"
    start=$(now)
    (cd "$dir" && /usr/bin/time -v -o tlc.time timeout "$LIMIT" java -XX:+UseParallelGC \
      -cp "$TLA2TOOLS_JAR" tlc2.TLC -workers 1 -deadlock "$(basename "$spec")" > tlc.out 2>&1)
    tcpu="$(python3 -c '
import re, sys
print(sum(float(m.group(2)) for m in re.finditer(r"(User|System) time \(seconds\): ([0-9.]+)", open(sys.argv[1]).read())))' "$dir/tlc.time")"
    end=$(now)
    tlcDistinct="$(grep -o '[0-9,]* distinct states found' "$dir/tlc.out" | tail -1 | tr -d ',' | cut -d' ' -f1)"
    python3 - "$name" "${params:--}" "$distinct" "${tlcDistinct:-0}" "$msecs" "$start" "$end" "$verdict" "$mcpu" "$tcpu" <<'PY'
import sys
name, params, d, t, ms, s, e, verdict, mc, tc = sys.argv[1:]
d, t, ms, mc, tc = int(d), int(t), float(ms), float(mc), float(tc)
ts = float(e) - float(s)
mr, tr = d / max(ms, 1e-9), t / max(ts, 1e-9)
eq = "yes" if d == t and d > 0 else "NO"
print(f"{name:<18} {params:<12} {d:>11} {t:>11} {eq:>6} {ms:>9.2f} {mr:>12,.0f} {ts:>9.2f} {tr:>12,.0f} {mr / max(tr, 1e-9):>6.1f}x"
      + f"   (cpu s: mommie {mc:.2f}, tlc {tc:.2f}; per cpu s {(d / max(mc, 1e-9)) / max(t / max(tc, 1e-9), 1e-9):.1f}x)"
      + ("" if verdict == "ok" else f"  (mommie verdict: {verdict})"))
PY
  done
else
  echo "(TLA2TOOLS_JAR not set: skipping the comparison with TLC)"
fi

if [ -z "${SKIP_BIG:-}" ]; then
  echo
  echo "== mommie memory on a large run (1 worker, --no-symmetry)"
  file="${BIG%%|*}"; params="${BIG#*|}"
  read -r distinct secs rss verdict _ < <(run_mommie "$file" "$params")
  python3 - "$(basename "$file" .mom)" "$params" "$distinct" "$secs" "$rss" "$verdict" <<'PY'
import sys
name, params, d, s, rss, verdict = sys.argv[1:]
d, s, rss = int(d), float(s), int(rss)
print(f"{name} {params}: {d:,} distinct states in {s:.1f} s ({d / max(s, 1e-9):,.0f}/s), "
      f"verdict {verdict}, peak RSS {rss / 2**20:.1f} MiB = {rss / max(d, 1):.1f} bytes/state")
PY
fi

if [ -z "${SKIP_BIG:-}" ]; then
  echo
  echo "== workers and symmetry on the large run"
  file="${BIG%%|*}"; params="${BIG#*|}"
  read -r d1 s1 _ v1 _ < <(run_mommie "$file" "$params")
  read -r d2 s2 _ v2 _ < <(MOMMIE_FLAGS="--no-symmetry --workers 2" run_mommie "$file" "$params")
  read -r ds ss _ vs _ < <(MOMMIE_FLAGS="--workers 1" run_mommie "$file" "$params")
  python3 - "$(basename "$file" .mom) $params" "$d1" "$s1" "$d2" "$s2" "$ds" "$ss" "$v1/$v2/$vs" <<'PY'
import sys
name = sys.argv[1]
d1, s1, d2, s2, ds, ss = (float(x) for x in sys.argv[2:8])
r1, r2, rs = d1 / max(s1, 1e-9), d2 / max(s2, 1e-9), ds / max(ss, 1e-9)
print(f"{name}, no symmetry: 1 worker {r1:,.0f} states/s ({s1:.1f} s), "
      f"2 workers {r2:,.0f} states/s ({s2:.1f} s): speed-up {r2 / max(r1, 1e-9):.2f}x")
print(f"{name}, symmetry, 1 worker: {int(ds):,} orbits in {ss:.1f} s = {rs:,.0f} states/s, "
      f"{r1 / max(rs, 1e-9):.2f}x slower per state than without")
print(f"verdicts (1 worker / 2 workers / symmetry): {sys.argv[8]}")
PY
fi
