#!/usr/bin/env bash
# The long Jepsen-style run of the KV store (docs/jepsen.md): RUNS seeded
# runs of SECONDS each, 8 clients on 8 keys, nemesis pauses and kill -9 +
# restart (one replica, the leader, or a majority, on their data
# directories; NEMESIS to change), 10 % link loss between replicas (LOSS);
# every history checked for linearizability. Prints one line per run and
# the summary (count, seeds, violations).
#
# usage: bench/jepsen/run.sh [BUILD_DIR]   (RUNS=100 SECONDS_PER_RUN=20 SEED=1 DIR=...)
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
BUILD="${1:-$ROOT/build}"
exec "$BUILD/tests/mommie_jepsen" --mommie "$BUILD/tools/mommie" --seed "${SEED:-1}" --runs "${RUNS:-100}" \
  --seconds "${SECONDS_PER_RUN:-20}" --clients 8 --keys 8 --nemesis "${NEMESIS:-pause,restart}" --loss "${LOSS:-10}" \
  --dir "${DIR:-/tmp/mommie-jepsen}"
