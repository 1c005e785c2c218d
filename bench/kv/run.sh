#!/usr/bin/env bash
# The replicated KV store (apps/kv on examples/last_voting.mom, the message
# accumulator variant of bench/rounds/run.sh) against etcd (Debian's
# etcd-server 3.4, over gRPC, bench/etcd/etcd_grpc_put.cpp), each run as a
# user would run it, on loopback:
#   fsync on  (KV: --data-dir DIR --fresh --fsync on; etcd: its default)
#   fsync off (KV: --data-dir DIR --fresh --fsync off; etcd: --unsafe-no-fsync)
# times 3 and 5 replicas / members. Each cluster life does
#   puts: REQUESTS puts of VALUE-byte values, CONC outstanding, keys
#         k0..k<KEYS-1> (KV: --kv-load --concurrency CONC --value-size VALUE;
#         etcd: CONC clients on min(CONC, ETCD_CONNECTIONS) connections to
#         the leader, after a warm-up of 500 puts)
#   gets: then READS gets of those keys, all present, CONC outstanding
#         (KV: --kv-load --get-percent 100, linearizable gets through
#         its read index; etcd: --get-percent 100, Range requests with its
#         default linearizable consistency, a ReadIndex at the leader)
# RUNS times over, the configurations interleaved; the table keeps each
# configuration's best run (highest req/s) and gives KV/etcd ratios of it.
#
#   bench/kv/run.sh [MOMMIE] [REQUESTS] [RUNS]
#
# Defaults: build/tools/mommie, 20000 puts (80 MB), 3 runs. Environment:
# VALUE (4096), CONC (256), KEYS (1000), READS (REQUESTS), SIZES ("3 5"),
# FSYNCS ("on off"), ETCD_CONNECTIONS (16), ETCD_PUT (the client binary),
# KV_FLAGS (more replica flags, e.g. "--window 40"; say them with the results),
# SYSTEMS ("kv etcd"; one of them for a quick look, no ratios then).
# A KV run counts only if every request completed, every get found its key
# and all replicas report the same log and state digests with every request
# applied; an etcd run if every request returned OK and found its key. Data
# directories are under $TMPDIR (default /tmp); everything in one
# mktemp directory removed on exit. Every process is bounded in time.
# Prints the commands and a Markdown table.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
MOMMIE=${1:-$ROOT/build/tools/mommie}
REQUESTS=${2:-20000}
RUNS=${3:-3}
VALUE=${VALUE:-4096}
CONC=${CONC:-256}
KEYS=${KEYS:-1000}
READS=${READS:-$REQUESTS}
SIZES=${SIZES:-"3 5"}
FSYNCS=${FSYNCS:-"on off"}
ETCD_CONNECTIONS=${ETCD_CONNECTIONS:-16}
LOAD_SECONDS=90
# shellcheck disable=SC2034 # read by lib.sh: a replica outlives both loads and syncs
KV_REPLICA_SECONDS=$((3 * LOAD_SECONDS + 60))
# shellcheck source=bench/common.sh
. "$ROOT/bench/common.sh"
bench_scratch mommie-bench-kv
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$ROOT/bench/kv/lib.sh"

echo "building..." >&2
kv_message_variant "$ROOT/examples/last_voting.mom" "$TMP/message.mom"
for n in $SIZES; do kv_build message "$n"; done
PUT=$("$ROOT/bench/etcd/build_client.sh" "$TMP/etcd-client" "$(dirname "$(dirname "$MOMMIE")")")
ETCD_CONNS=$((CONC < ETCD_CONNECTIONS ? CONC : ETCD_CONNECTIONS))
KV_LOAD=(--concurrency "$CONC" --value-size "$VALUE" --key-space "$KEYS" --max-seconds "$LOAD_SECONDS" --json)
ETCD_LOAD=(--clients "$CONC" --connections "$ETCD_CONNS" --target-leader --value-size "$VALUE" --key-space "$KEYS"
  --max-seconds "$LOAD_SECONDS" --json)

# One KV cluster life: prints "put JSON" and "get JSON" lines.
kvrun() { # n fsync
  local n=$1 bin=$TMP/message-$1 dir=$TMP/kv
  # shellcheck disable=SC2086 # KV_FLAGS is a list of flags
  kv_start "$bin" "$dir" "$n" --data-dir "$dir/@ID" --fresh --fsync "$2" ${KV_FLAGS:-}
  timeout $((LOAD_SECONDS + 30)) "$bin" --kv-load --servers "$KV_SERVERS" --requests "$REQUESTS" "${KV_LOAD[@]}" \
    > "$dir/put.json" 2> "$dir/put.err" || true
  kv_sync "$bin" "$dir"
  timeout $((LOAD_SECONDS + 30)) "$bin" --kv-load --servers "$KV_SERVERS" --requests "$READS" --get-percent 100 \
    "${KV_LOAD[@]}" > "$dir/get.json" 2> "$dir/get.err" || true
  kv_sync "$bin" "$dir"
  kv_stop
  echo "put $(kv_outcome "$dir" "$n" "$REQUESTS" "$dir/put.json")"
  echo "get $(kv_outcome "$dir" "$n" "$REQUESTS" "$dir/get.json")"
  rm -rf "$dir"
}

# One etcd cluster life: the same two lines.
etcdrun() { # n fsync
  local dir=$TMP/etcd endpoints
  echo '{}' > "$TMP/put.json"
  echo '{}' > "$TMP/get.json"
  if endpoints=$(ETCD_MEMBERS=$1 ETCD_FSYNC=$2 "$ROOT/bench/etcd/cluster.sh" start "$dir" $((3 * LOAD_SECONDS + 60))); then
    timeout 60 "$PUT" --endpoints "$endpoints" --clients 16 --connections 4 --requests 500 --value-size "$VALUE" \
      > /dev/null 2>&1 || true # warm-up
    timeout $((LOAD_SECONDS + 30)) "$PUT" --endpoints "$endpoints" --requests "$REQUESTS" "${ETCD_LOAD[@]}" \
      > "$TMP/put.json" 2> /dev/null || true
    timeout $((LOAD_SECONDS + 30)) "$PUT" --endpoints "$endpoints" --requests "$READS" --get-percent 100 \
      "${ETCD_LOAD[@]}" > "$TMP/get.json" 2> /dev/null || true
    "$ROOT/bench/etcd/cluster.sh" stop "$dir"
  else
    echo "etcd ($1 members, fsync $2) did not start: its run is empty" >&2
  fi
  echo "put $(cat "$TMP/put.json")"
  echo "get $(cat "$TMP/get.json")"
  rm -rf "$dir"
}

: > "$TMP/results"
for ((run = 1; run <= RUNS; run++)); do
  for f in $FSYNCS; do
    for n in $SIZES; do
      for sys in ${SYSTEMS:-kv etcd}; do
        echo "run $run: $sys, $n replicas, fsync $f ..." >&2
        "${sys}run" "$n" "$f" > "$TMP/run.out" # not in a pipeline: PIDS stays ours
        sed "s/^/$sys $n $f /" "$TMP/run.out" >> "$TMP/results"
      done
    done
  done
done

cat << EOF
Commands (\`BIN\` is the KV binary \`mommie build\` makes of the message accumulator variant of
examples/last_voting.mom with \`--app kv -D N=n -D V=n -D MaxPhase=100\`; \`FSYNC\` is on or off):

    BIN --kv --id Pi --deploy deploy.conf --client-port PORT --data-dir DIR/Pi --fresh --fsync FSYNC ${KV_FLAGS:-}  # each replica
    BIN --kv-load --servers S --requests $REQUESTS ${KV_LOAD[*]}
    BIN --kv-load --servers S --requests $READS --get-percent 100 ${KV_LOAD[*]}
    ETCD_MEMBERS=n ETCD_FSYNC=FSYNC bench/etcd/cluster.sh start DIR   # FSYNC off: --unsafe-no-fsync
    etcd_grpc_put --endpoints E --requests $REQUESTS ${ETCD_LOAD[*]}
    etcd_grpc_put --endpoints E --requests $READS --get-percent 100 ${ETCD_LOAD[*]}

EOF
python3 - "$TMP/results" "$REQUESTS" "$READS" "$VALUE" "$CONC" "$RUNS" << 'PY'
import json, sys
path, req, reads, val, conc, runs = sys.argv[1], *map(int, sys.argv[2:])
runsby = {}
for line in open(path):
    sysname, n, f, op, js = line.split(" ", 4)
    try:
        r = json.loads(js)
    except Exception:
        r = {}
    want = req if op == "put" else reads
    if sysname == "kv":
        ok = bool(r.get("ok")) and r.get("completed") == want
        p50, p99 = r.get("p50_ms", 0), r.get("p99_ms", 0)
    else:
        ok = r.get("failed") == 0 and r.get("completed") == want
        p50, p99 = r.get("p50_us", 0) / 1000, r.get("p99_us", 0) / 1000
    ok = ok and r.get("not_found", 0) == 0
    secs = r.get("seconds") or 0
    mbs = r.get("completed", 0) * val / secs / 1e6 if secs else 0  # value bytes written or read
    runsby.setdefault((op, f, int(n), sysname), []).append(
        dict(ok=ok, mbs=mbs, rps=r.get("req_per_s", 0), p50=p50, p99=p99))
def best(key):
    rs = runsby.get(key, [])
    good = [r for r in rs if r["ok"]]
    b = max(good or rs, key=lambda r: r["rps"], default=None)
    return b, len(good), len(rs)
print(f"{req} puts of {val}-byte values ({req * val / 1e6:.0f} MB), then {reads} gets of them, {conc} outstanding, "
      f"loopback; best of {runs} run(s) by req/s; MB/s counts value bytes\n")
print("| op | fsync | replicas | system | MB/s | req/s | p50 ms | p99 ms | KV/etcd req/s | runs ok |")
print("|---|---|---|---|---|---|---|---|---|---|")
for op, f, n, _ in sorted({k for k in runsby if k[3] == "kv"}, key=lambda k: (k[0] != "put", k[1] != "on", k[2])):
    kv, kvok, kvn = best((op, f, n, "kv"))
    et, etok, etn = best((op, f, n, "etcd"))
    ratio = f"{kv['rps'] / et['rps']:.2f}x" if kv and et and kvok and etok and et["rps"] else "-"
    for name, b, k, m, rt in (("KV", kv, kvok, kvn, ratio), ("etcd 3.4", et, etok, etn, "")):
        if b is None:
            continue
        print(f"| {op} | {f} | {n} | {name} | {b['mbs']:.1f} | {b['rps']:.0f} | {b['p50']:.2f} | {b['p99']:.2f} | "
              f"{rt} | {k}/{m} |")
PY
