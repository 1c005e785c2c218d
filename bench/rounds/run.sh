#!/usr/bin/env bash
# The replicated KV store on examples/last_voting.mom (apps/kv/KvReplica.h:
# multi-Paxos, one LastVoting instance per slot, window of 20, batches of at
# most 32 KB) on loopback, all in one bounded run:
#   (a) throughput (MB/s of values) and latency with 3, 5 and 7 replicas,
#       message accumulator (Collect and Ack also go ahead once the
#       coordinator has a majority, as in bench/rounds/lastvoting.sh);
#   (b) 3 replicas, the same program with timeout-only accumulators (PSync
#       style: every round lasts its timeout), a sweep of timeouts; the best
#       one that applies every request, against (a)'s 3-replica row;
#   (c) a 3-member etcd cluster (bench/etcd/cluster.sh, --unsafe-no-fsync)
#       doing the same puts (count, value size, concurrency) over gRPC with
#       bench/etcd/etcd_grpc_put.cpp (CONCURRENCY clients on
#       min(CONCURRENCY, ETCD_CONNECTIONS) connections to the leader,
#       default 1, as bench/runtime/run.sh; built by
#       bench/etcd/build_client.sh, or $ETCD_PUT).
#
#   bench/rounds/run.sh [MOMMIE] [REQUESTS] [VALUE_SIZE] [CONCURRENCY]
#
# Defaults: 20000 puts of 4096-byte values (80 MB), 256 outstanding. A run
# counts only if every put completed and the replicas' log and state
# digests agree. Every process is bounded (timeout / --max-seconds).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
MOMMIE=${1:-$ROOT/build/tools/mommie}
REQUESTS=${2:-20000}
VALUE=${3:-4096}
CONC=${4:-256}
TIMEOUTS=${TIMEOUTS:-"1 2 5 10 20"}
ETCD_CONNECTIONS=${ETCD_CONNECTIONS:-1}
# shellcheck source=bench/common.sh
. "$ROOT/bench/common.sh"
bench_scratch mommie-bench-kv

# shellcheck source-path=SCRIPTDIR source=../kv/lib.sh
. "$ROOT/bench/kv/lib.sh"
SRC=$ROOT/examples/last_voting.mom
kv_message_variant "$SRC" "$TMP/message.mom"
for t in $TIMEOUTS; do
  sed -e "s/progress timeout(50ms), catchUp, goAhead when coord(phaseNo) in dom(mbox);/progress timeout(${t}ms);/" \
    -e "s/progress timeout(50ms), catchUp;/progress timeout(${t}ms);/" "$SRC" > "$TMP/timeout$t.mom"
  [ "$(grep -c "progress timeout(${t}ms);" "$TMP/timeout$t.mom")" = 4 ] || { echo "error: rewrite failed" >&2; exit 2; }
done

# One KV run: n replicas of binary $TMP/<variant>-<n>; prints one JSON line
# (the load generator's outcome plus agreement and batch figures).
kvrun() { # variant n
  local bin=$TMP/$1-$2 dir=$TMP/run-$1-$2
  kv_start "$bin" "$dir" "$2"
  timeout 100 "$bin" --kv-load --servers "$KV_SERVERS" --requests "$REQUESTS" --concurrency "$CONC" \
    --value-size "$VALUE" --max-seconds 60 --json > "$dir/load.json" 2> "$dir/load.err" || true
  # Replicas other than the client's may apply the last slots a bit later.
  kv_sync "$bin" "$dir"
  kv_stop
  kv_outcome "$dir" "$2" "$REQUESTS" "$dir/load.json"
}

echo "building..." >&2
for n in 3 5 7; do kv_build message "$n"; done
for t in $TIMEOUTS; do kv_build "timeout$t" 3; done
PUT=$("$ROOT/bench/etcd/build_client.sh" "$TMP/etcd-client" "$(dirname "$(dirname "$MOMMIE")")")

: > "$TMP/results"
for n in 3 5 7; do
  echo "kv message $n ..." >&2
  echo "message $n $(kvrun message "$n")" >> "$TMP/results"
done
for t in $TIMEOUTS; do
  echo "kv timeout ${t}ms 3 ..." >&2
  echo "timeout$t 3 $(kvrun "timeout$t" 3)" >> "$TMP/results"
done

echo "etcd ..." >&2
echo '{}' > "$TMP/etcd.json"
if "$ROOT/bench/etcd/cluster.sh" start "$TMP/etcd" 300 > /dev/null; then
  timeout 60 "$PUT" --endpoints "$(cat "$TMP/etcd/endpoints")" --clients 16 --connections 4 --requests 500 \
    --value-size "$VALUE" > /dev/null 2>&1 || true # warm-up
  timeout 100 "$PUT" --endpoints "$(cat "$TMP/etcd/endpoints")" --clients "$CONC" \
    --connections "$((CONC < ETCD_CONNECTIONS ? CONC : ETCD_CONNECTIONS))" --target-leader \
    --requests "$REQUESTS" --value-size "$VALUE" --key-space 1000 --max-seconds 60 --json > "$TMP/etcd.json" || true
  "$ROOT/bench/etcd/cluster.sh" stop "$TMP/etcd"
else
  echo "etcd did not start: its row is empty" >&2
fi
echo "etcd 3 $(cat "$TMP/etcd.json")" >> "$TMP/results"

python3 - "$TMP/results" "$REQUESTS" "$VALUE" "$CONC" << 'PY'
import json, sys
rows = []
for line in open(sys.argv[1]):
    name, n, js = line.split(" ", 2)
    try:
        rows.append((name, int(n), json.loads(js)))
    except Exception:
        rows.append((name, int(n), {}))
req, val, conc = sys.argv[2:5]
print(f"{req} puts of {val}-byte values ({int(req) * int(val) / 1e6:.0f} MB), {conc} outstanding, loopback\n")
print("| system | replicas | MB/s | req/s | p50 ms | p99 ms | avg batch | all applied, same log |")
print("|---|---|---|---|---|---|---|---|")
def mbs(r):
    if "mb_per_s" in r:
        return r["mb_per_s"]
    return r.get("completed", 0) * int(val) / r["seconds"] / 1e6 if r.get("seconds") else 0
for name, n, r in rows:
    if name == "etcd":
        ok = r.get("failed") == 0 and r.get("completed") == int(req)
        p50, p99 = r.get("p50_us", 0) / 1000, r.get("p99_us", 0) / 1000
        print(f"| etcd 3.4 (--unsafe-no-fsync) | {n} | {mbs(r):.1f} | {r.get('req_per_s', 0):.0f} | {p50:.2f} | {p99:.2f} | - | {'yes' if ok else 'NO'} |")
        continue
    label = "KV, message accumulator" if name == "message" else f"KV, timeout-only {name[7:]} ms"
    print(f"| {label} | {n} | {mbs(r):.1f} | {r.get('req_per_s', 0):.0f} | {r.get('p50_ms', 0):.2f} | "
          f"{r.get('p99_ms', 0):.2f} | {r.get('batch_kb', 0):.1f} KB | {'yes' if r.get('ok') else 'NO'} |")
msg3 = next((r for name, n, r in rows if name == "message" and n == 3), {})
best = max(((mbs(r), name) for name, n, r in rows if name.startswith("timeout") and r.get("ok")), default=None)
etcd = next((r for name, n, r in rows if name == "etcd"), {})
print()
if best and msg3.get("ok"):
    print(f"(b) message accumulator / best timeout-only ({best[1][7:]} ms): {mbs(msg3) / best[0]:.1f}x")
else:
    print("(b) no timeout-only run applied every request" if msg3.get("ok") else "(b) the message run failed")
if etcd.get("completed") and msg3.get("ok"):
    print(f"(c) KV (3 replicas) / etcd (3 members): {mbs(msg3) / mbs(etcd):.2f}x")
PY
