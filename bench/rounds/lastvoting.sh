#!/usr/bin/env bash
# Throughput and latency of examples/last_voting.mom on loopback: the
# message accumulator (goAhead as soon as the round's quorum is in) against
# timeout-only accumulators (PSync style: every round lasts its timeout),
# with a sweep over the timeout. One consensus instance = one phase (4
# rounds); the payloads are the example's small values, not 32 KB batches.
#
#   bench/rounds/lastvoting.sh [MOMMIE] [N] [PHASES]
#
# Prints one line per variant: instances/s over the run, mean ms per
# instance, and whether every node decided (same value).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
MOMMIE=${1:-$ROOT/build/tools/mommie}
N=${2:-3}
PHASES=${3:-200}
TMP=$(mktemp -d /tmp/mommie-bench-rounds-XXXXXX)
trap 'rm -rf "$TMP"' EXIT

# Variants of the example differing only in their progress clauses.
SRC=$ROOT/examples/last_voting.mom
# Message accumulator: Collect and Ack also go ahead once the coordinator has
# a majority (other processes have nothing to wait for).
sed -e '/round Collect/,/send/ s/progress timeout(50ms), catchUp;/progress timeout(50ms), catchUp, goAhead when ME != coord(phaseNo) || 2 * card(dom(mbox)) > N;/' \
    -e '/round Ack/,/send/ s/progress timeout(50ms), catchUp;/progress timeout(50ms), catchUp, goAhead when ME != coord(phaseNo) || 2 * card(dom(mbox)) > N;/' \
    "$SRC" > "$TMP/message.mom"
grep -c "goAhead" "$TMP/message.mom" | grep -q 4 || { echo "error: variant rewrite failed" >&2; exit 2; }

port=$((20000 + RANDOM % 20000))
{
  echo "[Hosts]"
  for ((i = 0; i < N; i++)); do echo "P$i = 127.0.0.1:$((port + i))"; done
} > "$TMP/deploy.conf"

run() { # name file
  local name=$1 file=$2
  timeout 300 "$MOMMIE" build "$file" --deploy "$TMP/deploy.conf" -o "$TMP/$name" -D N="$N" -D MaxPhase="$PHASES" \
    > "$TMP/$name.build" 2>&1 || { echo "$name: build failed"; cat "$TMP/$name.build"; return; }
  local pids=()
  for ((i = 0; i < N; i++)); do
    timeout 120 "$TMP/$name" --id "P$i" --deploy "$TMP/deploy.conf" --start-delay 300 --linger 200 \
      --run-for 100000 --log-level error > "$TMP/$name.P$i.out" 2>/dev/null &
    pids+=($!)
  done
  wait "${pids[@]}" || true
  python3 - "$name" "$PHASES" "$TMP"/"$name".P*.out <<'PY'
import json, sys
name, phases, files = sys.argv[1], int(sys.argv[2]), sys.argv[3:]
outs = [json.loads(open(f).read()) for f in files]
# rounds start 300 ms after launch (--start-delay); last_round_us is since launch
span = max(o["last_round_us"] for o in outs) / 1e6 - 0.3
dec = [json.dumps(o["state"]["decision"]) for o in outs]
ok = all(o["done"] for o in outs) and all('"$some"' in d for d in dec) and len(set(dec)) == 1
print(f"{name:>14}: {phases / span:9.1f} instances/s  {1000 * span / phases:8.3f} ms/instance  "
      f"decided={'yes' if ok else 'NO'} timeouts={sum(o['timeouts'] for o in outs)} jumps={sum(o['jumps'] for o in outs)}")
PY
}

echo "last_voting, N=$N, $PHASES instances, loopback"
run message "$TMP/message.mom"
for t in 1 2 5 10 50; do
  sed -e "s/progress timeout(50ms), catchUp, goAhead when coord(phaseNo) in dom(mbox);/progress timeout(${t}ms);/" \
      -e "s/progress timeout(50ms), catchUp;/progress timeout(${t}ms);/" "$SRC" > "$TMP/timeout$t.mom"
  run "timeout-${t}ms" "$TMP/timeout$t.mom"
done
