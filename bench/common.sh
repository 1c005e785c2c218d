# shellcheck shell=bash
# Shell functions shared by the benchmarks; sourced, not run.
#
#   bench_freeports N       N free loopback ports, space-separated (bound to
#                           port 0, then released)
#   bench_scratch PREFIX    makes TMP a fresh scratch directory
#                           ($TMPDIR or /tmp)/PREFIX-XXXXXX and PIDS an empty
#                           array, and installs the cleanup: on exit (or
#                           SIGINT / SIGTERM, exit 130) every process in PIDS
#                           gets SIGTERM, an etcd cluster in $TMP/etcd
#                           (bench/etcd/cluster.sh) is stopped, and TMP is
#                           removed. Needs ROOT (the source tree).

bench_freeports() { # n
  python3 -c '
import socket, sys
ss = [socket.socket() for _ in range(int(sys.argv[1]))]
for s in ss: s.bind(("127.0.0.1", 0))
print(" ".join(str(s.getsockname()[1]) for s in ss))
for s in ss: s.close()' "$1"
}

bench_cleanup() {
  for p in "${PIDS[@]}"; do kill -TERM "$p" 2> /dev/null || true; done
  "$ROOT/bench/etcd/cluster.sh" stop "$TMP/etcd" 2> /dev/null || true
  wait 2> /dev/null || true
  rm -rf "$TMP"
}

bench_scratch() { # prefix
  TMP=$(mktemp -d "${TMPDIR:-/tmp}/$1-XXXXXX")
  PIDS=()
  trap bench_cleanup EXIT
  trap 'exit 130' INT TERM
}
