#!/usr/bin/env bash
# Builds the gRPC put client (etcd_grpc_put.cpp, bench/etcd/CMakeLists.txt)
# for the bench scripts and prints the path of the binary.
#
#   bench/etcd/build_client.sh DIR [BUILD_TREE]
#
# $ETCD_PUT, if set, is that binary (nothing is built); else BUILD_TREE's
# bench/etcd/etcd_grpc_put if that exists (the project's own build, e.g.
# the one beside MOMMIE); else bench/etcd is configured and built on its
# own in DIR (about a minute: etcd's rpc.proto makes a large stub; ccache
# is used if installed). Exit 2 with the missing Debian packages named if
# it cannot be built.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
DIR=${1:?DIR}
TREE=${2:-}
if [ -n "${ETCD_PUT:-}" ]; then
  echo "$ETCD_PUT"
  exit 0
fi
if [ -n "$TREE" ] && [ -x "$TREE/bench/etcd/etcd_grpc_put" ]; then
  echo "$TREE/bench/etcd/etcd_grpc_put"
  exit 0
fi
launcher=()
command -v ccache > /dev/null && launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
generator=()
command -v ninja > /dev/null && generator=(-G Ninja)
mkdir -p "$DIR"
timeout 120 cmake -S "$HERE" -B "$DIR" "${generator[@]}" -DCMAKE_BUILD_TYPE=Release "${launcher[@]}" \
  > "$DIR/configure.log" 2>&1 || { cat "$DIR/configure.log" >&2; exit 2; }
timeout 900 cmake --build "$DIR" -j2 > "$DIR/build.log" 2>&1 || { tail -30 "$DIR/build.log" >&2; exit 2; }
if [ ! -x "$DIR/etcd_grpc_put" ]; then
  grep 'skipped' "$DIR/configure.log" >&2 || true
  exit 2
fi
echo "$DIR/etcd_grpc_put"
