#!/usr/bin/env bash
# The runtime against etcd on loopback, side by side in one run:
# examples/primary_backup.mom (4 replicas + 1 client, PLAINTEXT, built once,
# with -D NumReq=REQUESTS while the program has that parameter) and a 3-member etcd cluster (bench/etcd/cluster.sh,
# --unsafe-no-fsync) driven over gRPC by bench/etcd/etcd_grpc_put.cpp
# (32-byte puts, as etcd's `benchmark put`). At each concurrency C the
# primary-backup client runs with `--requests REQUESTS --concurrency C` and
# the put client with C clients (one put outstanding each) multiplexed over
# min(C, ETCD_CONNECTIONS) gRPC connections to the leader (`--target-leader`;
# default 1 connection: on 2 cores this gave etcd its best req/s, see
# results.md); the two alternate (C=1: pb, etcd; C=16: pb, etcd; ...) so
# that load from elsewhere on the machine hits both alike. With ROUNDS > 1
# each cell is the median run (by req/s) of ROUNDS. The put client is built
# by bench/etcd/build_client.sh (Debian libgrpc++-dev, protobuf-compiler,
# protobuf-compiler-grpc, golang-etcd-server-dev), or taken from $ETCD_PUT
# or from MOMMIE's build tree (bench/etcd/etcd_grpc_put).
#
#   bench/runtime/run.sh [MOMMIE] [REQUESTS] [CONCURRENCIES] [ROUNDS]
#   defaults: build/tools/mommie, 5000, "1 16 64", 1
#
# Prints one table (requests/s, p50 and p99 latency in ms, completed and
# failed, CPU time per request: primary_backup all five nodes, etcd its
# three members, not the put client), then the target per concurrency (issue 6): primary-backup at
# least etcd's requests/s and a lower p99. Every process is bounded
# (timeout, --run-for, the cluster's lifetime) and stopped on exit.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
MOMMIE=${1:-$ROOT/build/tools/mommie}
REQUESTS=${2:-5000}
CONCURRENCIES=${3:-"1 16 64"}
ROUNDS=${4:-1}
ETCD_CONNECTIONS=${ETCD_CONNECTIONS:-1}
# shellcheck source=bench/common.sh
. "$ROOT/bench/common.sh"
bench_scratch mommie-bench-runtime

# --- build ---
# shellcheck source=bench/runtime/pb.sh
. "$ROOT/bench/runtime/pb.sh"
buildPb "$MOMMIE" "$ROOT/examples/primary_backup.mom" "$REQUESTS" "$TMP"
PUT=$("$ROOT/bench/etcd/build_client.sh" "$TMP/etcd-client" "$(dirname "$(dirname "$MOMMIE")")")

# One primary-backup run: prints the client's workload JSON.
pb() { # concurrency run-dir
  local c=$1 dir=$2
  mkdir -p "$dir"
  writeDeploy "$dir/deploy.conf"
  local reps=()
  for r in R0 R1 R2 R3; do
    timeout 200 "$TMP/pb" --id "$r" --deploy "$dir/deploy.conf" --log-level error --run-for 180000 \
      > "$dir/$r.out" 2> "$dir/$r.err" &
    reps+=($!)
    PIDS+=($!)
  done
  timeout 200 "$TMP/pb" --id C0 --deploy "$dir/deploy.conf" --log-level warn --run-for 180000 \
    --requests "$REQUESTS" --concurrency "$c" --json > "$dir/C0.out" 2> "$dir/C0.err" || true
  kill -TERM "${reps[@]}" 2> /dev/null || true
  wait "${reps[@]}" 2> /dev/null || true
  PIDS=()
  python3 -c '
import json, sys
try:
    o = json.loads(open(sys.argv[1] + "/C0.out").read())
    w = o["workload"]
    cpu = 0
    for n in ["R0", "R1", "R2", "R3", "C0"]:
        x = o if n == "C0" else json.loads(open(sys.argv[1] + "/" + n + ".out").read())
        cpu += x["cpu_user_us"] + x["cpu_sys_us"]
    w["cpu_us_per_req"] = cpu / max(w["completed"], 1)
    print(json.dumps(w))
except Exception as e:
    print(json.dumps({"completed": 0, "failed": -1, "req_per_s": 0, "p50_us": 0, "p99_us": 0, "error": str(e)}))
' "$dir"
}

# CPU time (user + system, µs) of the etcd members so far, from /proc.
etcdcpu() {
  local total=0 child
  for w in $(cat "$TMP/etcd/pids"); do
    for child in $(cat "/proc/$w/task/$w/children" 2> /dev/null); do
      total=$((total + $(awk '{print $14 + $15}' "/proc/$child/stat")))
    done
  done
  echo $((total * 1000000 / $(getconf CLK_TCK)))
}

etcd() { # concurrency
  local before after
  before=$(etcdcpu)
  local conns=$(($1 < ETCD_CONNECTIONS ? $1 : ETCD_CONNECTIONS))
  timeout 200 "$PUT" --endpoints "$(cat "$TMP/etcd/endpoints")" --clients "$1" --connections "$conns" \
    --target-leader --requests "$REQUESTS" --value-size 32 --max-seconds 150 --json > "$TMP/put.json" || true
  after=$(etcdcpu)
  python3 -c '
import json, sys
w = json.loads(open(sys.argv[1]).read())
w["cpu_us_per_req"] = (int(sys.argv[3]) - int(sys.argv[2])) / max(w["completed"], 1)
print(json.dumps(w))' "$TMP/put.json" "$before" "$after"
}

median() { # JSON lines on stdin -> the median by req_per_s
  python3 -c '
import json, sys
rows = sorted((json.loads(l) for l in sys.stdin if l.strip()), key=lambda r: r.get("req_per_s", 0))
print(json.dumps(rows[len(rows) // 2]))'
}

"$ROOT/bench/etcd/cluster.sh" start "$TMP/etcd" 1800 > /dev/null
# One put run before measuring (leader elected, connections warm).
timeout 60 "$PUT" --endpoints "$(cat "$TMP/etcd/endpoints")" --connections 4 --requests 500 \
  --max-seconds 30 > /dev/null || true

: > "$TMP/results"
for c in $CONCURRENCIES; do
  for r in $(seq "$ROUNDS"); do
    pb "$c" "$TMP/pb-$c-$r" >> "$TMP/pb-$c.jsonl"
    etcd "$c" >> "$TMP/etcd-$c.jsonl"
  done
  echo "pb $c $(median < "$TMP/pb-$c.jsonl")" >> "$TMP/results"
  echo "etcd $c $(median < "$TMP/etcd-$c.jsonl")" >> "$TMP/results"
done

python3 - "$TMP/results" "$REQUESTS" "$ROUNDS" "$(nproc)" <<'PY'
import json, sys
rows = {}
for line in open(sys.argv[1]):
    system, c, js = line.split(" ", 2)
    rows[(system, int(c))] = json.loads(js)
n, rounds, cores = sys.argv[2], sys.argv[3], sys.argv[4]
print(f"{n} requests per run, loopback, {cores} cores, median of {rounds} run(s) per cell")
print()
print("| system | concurrency | req/s | p50 ms | p99 ms | completed | failed | server CPU µs/req |")
print("|---|---:|---:|---:|---:|---:|---:|---:|")
names = {"pb": "primary_backup (4 replicas)", "etcd": "etcd 3.4 (3 members, gRPC)"}
cs = sorted({c for _, c in rows})
for c in cs:
    for s in ("pb", "etcd"):
        r = rows.get((s, c))
        if r is None:
            continue
        print(f"| {names[s]} | {c} | {r['req_per_s']:.0f} | {r['p50_us'] / 1000:.2f} | {r['p99_us'] / 1000:.2f} "
              f"| {r['completed']} | {r['failed']} | {r.get('cpu_us_per_req', 0):.0f} |")
print()
for c in cs:
    p, e = rows.get(("pb", c)), rows.get(("etcd", c))
    if not p or not e:
        continue
    tput = p["req_per_s"] >= e["req_per_s"]
    lat = p["p99_us"] < e["p99_us"]
    print(f"concurrency {c}: req/s {p['req_per_s']:.0f} vs {e['req_per_s']:.0f} ({'met' if tput else 'NOT met'}), "
          f"p99 {p['p99_us'] / 1000:.2f} vs {e['p99_us'] / 1000:.2f} ms ({'met' if lat else 'NOT met'})")
PY
