# shellcheck shell=bash
# Shell functions shared by the KV store benchmarks (bench/rounds/run.sh,
# bench/kv/run.sh); sourced, not run. The caller sets ROOT (the source
# tree), MOMMIE (the compiler), TMP (a scratch directory it removes) and
# PIDS (an array; kv_stop ends and clears it, its cleanup trap should too:
# bench/common.sh's bench_scratch sets both up; lib.sh uses its
# bench_freeports).
#
#   kv_message_variant SRC OUT   the "message accumulator" variant of
#       examples/last_voting.mom: Collect and Ack also go ahead once the
#       coordinator has a majority (as in bench/rounds/lastvoting.sh)
#   kv_build VARIANT N           $TMP/VARIANT.mom for N replicas, --app kv,
#       into $TMP/VARIANT-N
#   kv_start BIN DIR N [FLAG...] N replicas of BIN on loopback ports the
#       kernel hands out (DIR/deploy.conf), each with FLAG... where the word
#       @ID stands for its principal (e.g. --data-dir DIR/@ID); output in
#       DIR/P<i>.out (its outcome, JSON) and DIR/P<i>.log; sets KV_SERVERS
#       to the client endpoints and waits (at most 10 s) until each accepts
#   kv_sync BIN DIR              waits (at most 20 s) until every replica
#       applied the same log (the client's replica answers first)
#   kv_stop                      SIGTERM to the replicas, then wait
#   kv_outcome DIR N APPLIED LOAD_JSON  prints LOAD_JSON's object with ok
#       (the load completed, every replica wrote its outcome, all with the
#       same log and state digests, each applied APPLIED requests besides
#       its session registrations), same_log, slots, batch_kb, timeouts

KV_REPLICA_SECONDS=${KV_REPLICA_SECONDS:-200}

kv_message_variant() { # src out
  local ma='progress timeout(50ms), catchUp, goAhead when ME != coord(phaseNo) || 2 * card(dom(mbox)) > N;'
  sed -e "/round Collect/,/send/ s/progress timeout(50ms), catchUp;/$ma/" \
    -e "/round Ack/,/send/ s/progress timeout(50ms), catchUp;/$ma/" "$1" > "$2"
  [ "$(grep -c goAhead "$2")" = 4 ] || { echo "error: variant rewrite failed" >&2; exit 2; }
}

kv_build() { # variant n
  local v=$1 n=$2
  {
    echo "[Hosts]"
    for ((i = 0; i < n; i++)); do echo "P$i = 127.0.0.1:$((30000 + i))"; done
  } > "$TMP/build-$n.conf"
  timeout 300 "$MOMMIE" build "$TMP/$v.mom" --deploy "$TMP/build-$n.conf" -o "$TMP/$v-$n" --app kv -D N="$n" -D V="$n" \
    -D MaxPhase=100 > "$TMP/build-$v-$n.log" 2>&1 || { cat "$TMP/build-$v-$n.log" >&2; exit 2; }
}

kv_start() { # bin dir n [flag...]
  local bin=$1 dir=$2 n=$3 ports
  shift 3
  mkdir -p "$dir"
  read -r -a ports <<< "$(bench_freeports $((2 * n)))"
  {
    echo "[Hosts]"
    for ((i = 0; i < n; i++)); do echo "P$i = 127.0.0.1:${ports[$i]}"; done
  } > "$dir/deploy.conf"
  PIDS=()
  KV_SERVERS=""
  for ((i = 0; i < n; i++)); do
    local flags=("${@//@ID/P$i}")
    timeout "$KV_REPLICA_SECONDS" "$bin" --kv --id "P$i" --deploy "$dir/deploy.conf" --client-port "${ports[$((n + i))]}" \
      --run-for $((KV_REPLICA_SECONDS * 750)) --log-level error ${flags[@]+"${flags[@]}"} > "$dir/P$i.out" 2> "$dir/P$i.log" &
    PIDS+=($!)
    KV_SERVERS+="${KV_SERVERS:+,}127.0.0.1:${ports[$((n + i))]}"
  done
  python3 - "$KV_SERVERS" << 'PY'
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
}

kv_sync() { # bin dir
  timeout 30 "$1" --kv-load --sync --servers "$KV_SERVERS" --max-seconds 20 >> "$2/sync.out" 2>&1 || true
}

kv_stop() {
  for p in "${PIDS[@]}"; do kill -TERM "$p" 2> /dev/null || true; done
  wait "${PIDS[@]}" 2> /dev/null || true
  PIDS=()
}

kv_outcome() { # dir n applied load.json
  python3 - "$@" << 'PY'
import json, sys
d, n, applied, path = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
try:
    load = json.load(open(path))
except Exception:
    load = {"completed": 0, "mb_per_s": 0, "req_per_s": 0, "p50_ms": 0, "p99_ms": 0}
reps = []
for i in range(n):
    try:
        reps.append(json.loads(open(f"{d}/P{i}.out").read()))
    except Exception:
        pass
same = len(reps) == n and len({(r["log_digest"], r["state_digest"]) for r in reps}) == 1
ok = load.get("failed", 1) == 0 and same and all(r["requests_applied"] == applied + r.get("sessions", 0) for r in reps)
slots = max((r["applied_slots"] for r in reps), default=0)
batch = (reps[0]["bytes_applied"] / max(1, reps[0]["applied_slots"] - reps[0]["empty_batches"])) if reps else 0
load.update(ok=ok, same_log=same, slots=slots, batch_kb=batch / 1024,
            timeouts=sum(r["timeouts"] for r in reps))
print(json.dumps(load))
PY
}
