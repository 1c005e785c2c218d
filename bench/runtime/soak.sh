#!/usr/bin/env bash
# A long run of examples/primary_backup.mom (4 replicas + 1 client on
# loopback, PLAINTEXT, as bench/runtime/run.sh), watched window by window:
# does throughput hold and does the replicas' memory stay flat?
#
#   bench/runtime/soak.sh [MOMMIE] [REQUESTS] [CONCURRENCY] [WINDOW]
#   defaults: build/tools/mommie, 1000000, 64, 100000
#
# The program is built with -D NumReq=REQUESTS if it declares
# `param NumReq`, as is otherwise. The client runs `--requests REQUESTS
# --concurrency CONCURRENCY --progress-every WINDOW --json` and prints one
# line per WINDOW completed requests,
#   {"progress":{"completed":N,"seconds":S,"req_per_s":R,"p50_us":A,"p99_us":B}}
# (R, A, B of that window only); at each such line the script reads VmRSS
# of every replica (/proc/PID/status). It prints one row per window, then
# the targets: the last window's req/s at least 0.9 x the first's, and
# every replica's RSS at the last window at most 1.2 x its RSS at the first.
# Exit 0 if both are met, 1 if not (or the run failed), 2 on bad setup.
#
# Every process is bounded by SOAK_SECONDS (default 1800: `timeout` and
# --run-for) and stopped on exit.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
MOMMIE=${1:-$ROOT/build/tools/mommie}
REQUESTS=${2:-1000000}
CONCURRENCY=${3:-64}
WINDOW=${4:-100000}
LIMIT=${SOAK_SECONDS:-1800}
SRC=$ROOT/examples/primary_backup.mom
TMP=$(mktemp -d /tmp/mommie-bench-soak-XXXXXX)
PIDS=()
cleanup() {
  for p in "${PIDS[@]}"; do kill -TERM "$p" 2> /dev/null || true; done
  wait 2> /dev/null || true
  rm -rf "$TMP"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

for n in "$REQUESTS" "$CONCURRENCY" "$WINDOW" "$LIMIT"; do
  [[ $n =~ ^[1-9][0-9]*$ ]] || { echo "soak.sh: '$n' is not a positive count" >&2; exit 2; }
done

# --- build ---
# shellcheck source=bench/runtime/pb.sh
. "$ROOT/bench/runtime/pb.sh"
buildPb "$MOMMIE" "$SRC" "$REQUESTS" "$TMP"
if ! "$TMP/pb" --help 2>&1 | grep -q -- '--progress-every'; then
  echo "soak.sh: the node binary has no --progress-every flag (runtime/Workload must print one JSON" \
    "progress line per N completed requests); nothing to measure" >&2
  exit 2
fi

writeDeploy "$TMP/deploy.conf"

# --- run ---
runFor=$((LIMIT * 1000))
replicas=() # the replica processes themselves (children of `timeout`)
for r in R0 R1 R2 R3; do
  timeout "$((LIMIT + 20))" "$TMP/pb" --id "$r" --deploy "$TMP/deploy.conf" --log-level error \
    --run-for "$runFor" > "$TMP/$r.out" 2> "$TMP/$r.err" &
  PIDS+=($!)
  child=
  for _ in $(seq 50); do
    child=$(cat "/proc/$!/task/$!/children" 2> /dev/null || true)
    [ -n "$child" ] && break
    sleep 0.1
  done
  [ -n "$child" ] || { echo "soak.sh: replica $r did not start" >&2; exit 2; }
  replicas+=("${child%% *}")
done
rss() { # the replicas' VmRSS in kB, space-separated (0 for one that exited)
  local out=() kb
  for p in "${replicas[@]}"; do
    kb=$(awk '/^VmRSS:/ {print $2}' "/proc/$p/status" 2> /dev/null || true)
    out+=("${kb:-0}")
  done
  echo "${out[*]}"
}

row() { # window "kB kB kB kB" progress-line -> one table row
  python3 - "$@" << 'PY'
import json, sys
w, sizes, p = sys.argv[1], sys.argv[2].split(), json.loads(sys.argv[3])["progress"]
mb = " | ".join(f"{int(kb) / 1024:.1f}" for kb in sizes)
print(f"| {w} | {p['completed']} | {p['seconds']:.1f} | {p['req_per_s']:.0f} | {p['p50_us'] / 1000:.2f} "
      f"| {p['p99_us'] / 1000:.2f} | {mb} |")
PY
}

echo "primary_backup soak: $REQUESTS requests, concurrency $CONCURRENCY, windows of $WINDOW," \
  "${PB_DEFINES[*]:-no -D}, $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo "RSS before the run (MB, R0..R3): $(rss | awk '{for (i = 1; i <= NF; i++) printf "%.1f ", $i / 1024}')"
echo
echo "| window | completed | seconds | req/s | p50 ms | p99 ms | RSS R0 MB | RSS R1 MB | RSS R2 MB | RSS R3 MB |"
echo "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
exec 3< <(timeout "$((LIMIT + 10))" "$TMP/pb" --id C0 --deploy "$TMP/deploy.conf" --log-level warn \
  --run-for "$runFor" --requests "$REQUESTS" --concurrency "$CONCURRENCY" --progress-every "$WINDOW" --json \
  2> "$TMP/C0.err")
PIDS+=($!)
: > "$TMP/windows"
: > "$TMP/C0.out"
window=0
while IFS= read -r -u 3 line; do
  if [[ $line == '{"progress"'* ]]; then
    sizes=$(rss)
    window=$((window + 1))
    echo "$window $sizes $line" >> "$TMP/windows"
    row "$window" "$sizes" "$line"
  else
    echo "$line" >> "$TMP/C0.out"
  fi
done
exec 3<&-
for p in "${PIDS[@]}"; do kill -TERM "$p" 2> /dev/null || true; done
wait 2> /dev/null || true
PIDS=()

python3 - "$TMP/windows" "$TMP/C0.out" "$TMP/C0.err" <<'PY'
import json, sys
windows = []
for line in open(sys.argv[1]):
    parts = line.split(" ", 5)
    windows.append(([int(kb) for kb in parts[1:5]], json.loads(parts[5])["progress"]))
print()
try:
    w = json.loads(open(sys.argv[2]).read().strip().splitlines()[-1])["workload"]
    print(f"client: {w['completed']} completed, {w['failed']} failed in {w['seconds']:.1f} s: "
          f"{w['req_per_s']:.0f} req/s, p50 {w['p50_us'] / 1000:.2f} ms, p99 {w['p99_us'] / 1000:.2f} ms")
except Exception:
    print("client: no workload summary; its stderr:")
    sys.stdout.write(open(sys.argv[3]).read()[-2000:])
if len(windows) < 2:
    print(f"targets: NOT judged ({len(windows)} window(s); at least 2 needed)")
    sys.exit(1)
(rss0, first), (rssN, last) = windows[0], windows[-1]
tput = last["req_per_s"] >= 0.9 * first["req_per_s"]
print(f"throughput: last window {last['req_per_s']:.0f} req/s vs first {first['req_per_s']:.0f} "
      f"(>= 90%: {'met' if tput else 'NOT met'})")
mem = True
for name, a, b in zip(["R0", "R1", "R2", "R3"], rss0, rssN):
    ok = a > 0 and b <= 1.2 * a
    mem = mem and ok
    growth = (b / a - 1) * 100 if a > 0 else float("nan")
    print(f"RSS {name}: {a / 1024:.1f} MB after window 1, {b / 1024:.1f} MB after window {len(windows)} "
          f"({growth:+.1f}%, <= +20%: {'met' if ok else 'NOT met'})")
print(f"soak targets: {'met' if tput and mem else 'NOT met'}")
sys.exit(0 if tput and mem else 1)
PY
