#!/usr/bin/env bash
# An etcd cluster (3 members unless ETCD_MEMBERS says otherwise) on loopback for the benchmarks (Debian's
# etcd-server, /usr/bin/etcd 3.4), in a directory of its own, with a
# bounded lifetime: every member runs under `timeout LIFETIME`.
#
#   bench/etcd/cluster.sh start DIR [LIFETIME_SECONDS]   # default 600
#       starts the members (data in DIR/m1..mN, logs DIR/m*.log), waits
#       (at most 30 s) until every member is healthy, writes the client
#       endpoints to DIR/endpoints (host:port,host:port,...) and prints
#       them; exit 1 if the cluster did not come up (then stopped)
#   bench/etcd/cluster.sh stop DIR
#       stops the members (SIGTERM, then SIGKILL after 5 s) and removes
#       their data directories
#
# Members use ports the kernel hands out for port 0 and log at error
# level. The environment (read by `start`):
#   ETCD_MEMBERS=N     members (default 3; 1 to 9)
#   ETCD_FSYNC=off|on  off (default): --unsafe-no-fsync (the node binaries
#                      do not fsync either); on: etcd's default, its WAL
#                      and backend fsynced before a write is acknowledged
#   ETCD / ETCDCTL     the binaries (default /usr/bin/etcd, /usr/bin/etcdctl)
set -euo pipefail
# shellcheck source=bench/common.sh
. "$(cd "$(dirname "$0")/.." && pwd)/common.sh"
ETCD=${ETCD:-/usr/bin/etcd}
ETCDCTL=${ETCDCTL:-/usr/bin/etcdctl}
MEMBERS=${ETCD_MEMBERS:-3}
FSYNC=${ETCD_FSYNC:-off}

stop() {
  local dir=$1
  [ -f "$dir/pids" ] || return 0
  local pids
  pids=$(cat "$dir/pids")
  for p in $pids; do kill -TERM "$p" 2> /dev/null || true; done
  for _ in $(seq 50); do
    local alive=0
    for p in $pids; do kill -0 "$p" 2> /dev/null && alive=1; done
    [ $alive = 0 ] && break
    sleep 0.1
  done
  for p in $pids; do kill -KILL "$p" 2> /dev/null || true; done
  rm -f "$dir/pids"
  rm -rf "$dir"/m[0-9]
}

start() {
  local dir=$1 lifetime=${2:-600}
  [[ $MEMBERS =~ ^[1-9]$ ]] || { echo "cluster.sh: ETCD_MEMBERS must be 1 to 9, not '$MEMBERS'" >&2; exit 2; }
  local nofsync=()
  case $FSYNC in
  off) nofsync=(--unsafe-no-fsync) ;;
  on) ;;
  *) echo "cluster.sh: ETCD_FSYNC must be on or off, not '$FSYNC'" >&2; exit 2 ;;
  esac
  mkdir -p "$dir"
  [ -x "$ETCD" ] || { echo "cluster.sh: $ETCD not found (Debian package etcd-server)" >&2; exit 2; }
  # Two free loopback ports per member.
  read -r -a ports <<< "$(bench_freeports $((2 * MEMBERS)))"
  local cluster="" endpoints=""
  for ((i = 1; i <= MEMBERS; i++)); do
    cluster+="${cluster:+,}m$i=http://127.0.0.1:${ports[$((2 * i - 1))]}"
    endpoints+="${endpoints:+,}127.0.0.1:${ports[$((2 * i - 2))]}"
  done
  : > "$dir/pids"
  for ((i = 1; i <= MEMBERS; i++)); do
    local cport=${ports[$((2 * i - 2))]} pport=${ports[$((2 * i - 1))]}
    timeout -s KILL "$lifetime" "$ETCD" --name "m$i" --data-dir "$dir/m$i" \
      --listen-client-urls "http://127.0.0.1:$cport" --advertise-client-urls "http://127.0.0.1:$cport" \
      --listen-peer-urls "http://127.0.0.1:$pport" --initial-advertise-peer-urls "http://127.0.0.1:$pport" \
      --initial-cluster "$cluster" --initial-cluster-state new --initial-cluster-token "bench-$$" \
      ${nofsync[@]+"${nofsync[@]}"} --logger zap --log-level error > "$dir/m$i.log" 2>&1 &
    echo $! >> "$dir/pids"
  done
  echo "$endpoints" > "$dir/endpoints"
  for _ in $(seq 300); do
    if ETCDCTL_API=3 timeout 5 "$ETCDCTL" --endpoints "$endpoints" endpoint health > /dev/null 2>&1; then
      echo "$endpoints"
      return 0
    fi
    sleep 0.1
  done
  echo "cluster.sh: the etcd cluster did not become healthy in 30 s; logs in $dir/m*.log" >&2
  stop "$dir"
  exit 1
}

case "${1:-}" in
start) start "${2:?DIR}" "${3:-600}" ;;
stop) stop "${2:?DIR}" ;;
*)
  echo "usage: $0 start DIR [LIFETIME_SECONDS] | stop DIR" >&2
  exit 2
  ;;
esac
