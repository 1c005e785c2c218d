# shellcheck shell=bash
# Sourced by bench/runtime/run.sh and soak.sh: building
# examples/primary_backup.mom for 4 replicas + 1 client and writing its
# loopback deploy file.

PB_NODES=(R0 R1 R2 R3 C0)

# shellcheck source=bench/common.sh
. "$ROOT/bench/common.sh"

# freePorts N: N free loopback ports (bench/common.sh).
freePorts() { bench_freeports "$1"; }

# buildPb MOMMIE SRC REQUESTS DIR: builds SRC into DIR/pb (log DIR/build.log,
# printed on failure: exit 2) at the program's own parameters: NumReq only
# bounds the model (request ids are `int model` ranges), so a node serves any
# number of requests. PB_DEFINES holds the -D flags used (none).
buildPb() {
  local mommie=$1 src=$2 requests=$3 dir=$4
  PB_DEFINES=()
  : "$requests"
  local i=1
  {
    echo "[Hosts]"
    for n in "${PB_NODES[@]}"; do echo "$n = 127.0.0.1:$i" && i=$((i + 1)); done
  } > "$dir/build.conf"
  timeout 600 "$mommie" build "$src" "${PB_DEFINES[@]}" --deploy "$dir/build.conf" -o "$dir/pb" \
    > "$dir/build.log" 2>&1 || { cat "$dir/build.log"; exit 2; }
}

# writeDeploy FILE: a PLAINTEXT deploy file for R0..R3 and C0 on free
# loopback ports.
writeDeploy() {
  local ports i=0
  read -r -a ports <<< "$(freePorts "${#PB_NODES[@]}")"
  {
    echo "[Hosts]"
    for n in "${PB_NODES[@]}"; do echo "$n = 127.0.0.1:${ports[$i]}" && i=$((i + 1)); done
    printf '[Authentication]\n* <-> * : PLAINTEXT\n'
  } > "$1"
}
