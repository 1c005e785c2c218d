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
TMP=$(mktemp -d /tmp/mommie-bench-kv-XXXXXX)
PIDS=()
cleanup() {
  for p in "${PIDS[@]}"; do kill -TERM "$p" 2> /dev/null || true; done
  "$ROOT/bench/etcd/cluster.sh" stop "$TMP/etcd" 2> /dev/null || true
  wait 2> /dev/null || true
  rm -rf "$TMP"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

SRC=$ROOT/examples/last_voting.mom
MA='progress timeout(50ms), catchUp, goAhead when ME != coord(phaseNo) || 2 * card(dom(mbox)) > N;'
sed -e "/round Collect/,/send/ s/progress timeout(50ms), catchUp;/$MA/" \
  -e "/round Ack/,/send/ s/progress timeout(50ms), catchUp;/$MA/" "$SRC" > "$TMP/message.mom"
[ "$(grep -c goAhead "$TMP/message.mom")" = 4 ] || { echo "error: variant rewrite failed" >&2; exit 2; }
for t in $TIMEOUTS; do
  sed -e "s/progress timeout(50ms), catchUp, goAhead when coord(phaseNo) in dom(mbox);/progress timeout(${t}ms);/" \
    -e "s/progress timeout(50ms), catchUp;/progress timeout(${t}ms);/" "$SRC" > "$TMP/timeout$t.mom"
  [ "$(grep -c "progress timeout(${t}ms);" "$TMP/timeout$t.mom")" = 4 ] || { echo "error: rewrite failed" >&2; exit 2; }
done

freeports() { # n
  python3 -c '
import socket, sys
ss = [socket.socket() for _ in range(int(sys.argv[1]))]
for s in ss: s.bind(("127.0.0.1", 0))
print(" ".join(str(s.getsockname()[1]) for s in ss))
for s in ss: s.close()' "$1"
}

build() { # variant n -> $TMP/<variant>-<n>
  local v=$1 n=$2
  {
    echo "[Hosts]"
    for ((i = 0; i < n; i++)); do echo "P$i = 127.0.0.1:$((30000 + i))"; done
  } > "$TMP/build-$n.conf"
  timeout 300 "$MOMMIE" build "$TMP/$v.mom" --deploy "$TMP/build-$n.conf" -o "$TMP/$v-$n" --app kv -D N="$n" -D V="$n" \
    -D MaxPhase=100 > "$TMP/build-$v-$n.log" 2>&1 || { cat "$TMP/build-$v-$n.log" >&2; exit 2; }
}

# One KV run: n replicas of binary $TMP/<variant>-<n>; prints one JSON line
# (the load generator's outcome plus agreement and batch figures).
kvrun() { # variant n
  local v=$1 n=$2 bin=$TMP/$1-$2 dir=$TMP/run-$1-$2 ports servers=""
  mkdir -p "$dir"
  read -r -a ports <<< "$(freeports $((2 * n)))"
  {
    echo "[Hosts]"
    for ((i = 0; i < n; i++)); do echo "P$i = 127.0.0.1:${ports[$i]}"; done
  } > "$dir/deploy.conf"
  PIDS=()
  for ((i = 0; i < n; i++)); do
    timeout 200 "$bin" --kv --id "P$i" --deploy "$dir/deploy.conf" --client-port "${ports[$((n + i))]}" \
      --run-for 150000 --log-level error > "$dir/P$i.out" 2> "$dir/P$i.log" &
    PIDS+=($!)
    servers+="${servers:+,}127.0.0.1:${ports[$((n + i))]}"
  done
  # Wait (at most 10 s) until every replica takes clients.
  python3 - "$servers" << 'PY'
import socket, sys, time
deadline = time.time() + 10
for ep in sys.argv[1].split(","):
    h, p = ep.split(":")
    while time.time() < deadline:
        try:
            socket.create_connection((h, int(p)), 0.2).close()
            break
        except OSError:
            time.sleep(0.05)
PY
  timeout 100 "$bin" --kv-load --servers "$servers" --requests "$REQUESTS" --concurrency "$CONC" \
    --value-size "$VALUE" --max-seconds 60 --json > "$dir/load.json" 2> "$dir/load.err" || true
  # Replicas other than the client's may apply the last slots a bit later.
  timeout 30 "$bin" --kv-load --sync --servers "$servers" --max-seconds 20 > "$dir/sync.out" 2>&1 || true
  for p in "${PIDS[@]}"; do kill -TERM "$p" 2> /dev/null || true; done
  wait "${PIDS[@]}" 2> /dev/null || true
  PIDS=()
  python3 - "$dir" "$n" "$REQUESTS" << 'PY'
import json, sys
d, n, req = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
try:
    load = json.load(open(f"{d}/load.json"))
except Exception:
    load = {"completed": 0, "mb_per_s": 0, "req_per_s": 0, "p50_ms": 0, "p99_ms": 0}
reps = []
for i in range(n):
    try:
        reps.append(json.loads(open(f"{d}/P{i}.out").read()))
    except Exception:
        pass
same = len(reps) == n and len({(r["log_digest"], r["state_digest"]) for r in reps}) == 1
ok = load.get("completed") == req and same and all(r["requests_applied"] == req + r.get("sessions", 0) for r in reps)
slots = max((r["applied_slots"] for r in reps), default=0)
batch = (reps[0]["bytes_applied"] / max(1, reps[0]["applied_slots"] - reps[0]["empty_batches"])) if reps else 0
load.update(ok=ok, same_log=same, slots=slots, batch_kb=batch / 1024,
            timeouts=sum(r["timeouts"] for r in reps))
print(json.dumps(load))
PY
}

echo "building..." >&2
for n in 3 5 7; do build message "$n"; done
for t in $TIMEOUTS; do build "timeout$t" 3; done
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
