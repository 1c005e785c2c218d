#!/usr/bin/env bash
# Runs TLC's distributed mode on the spec `mommie tla` emits for one program:
# one tlc2.tool.distributed.TLCServer and two tlc2.tool.distributed.TLCWorker
# processes, all on 127.0.0.1, and checks that the distinct-state count the
# server reports equals `mommie check --no-symmetry`'s.
#
#   tlc_distributed.sh MOMMIE FILE.mom
#
# Exits 77 (CTest SKIP_RETURN_CODE) when TLA2TOOLS_JAR is unset. Every Java
# process is bounded by TLC_TIMEOUT seconds (default 300) and killed on exit.
# The RMI registry port is TLC_DIST_PORT if set, else a free one picked in
# 20000-59999 (TLC's default, 10997, may be in use by another run).
set -uo pipefail
source "$(dirname "$0")/tlc_lib.sh"
mommie=$(realpath "$1") file=$(realpath "$2")
require_tlc_jar
jar=$(realpath "$TLA2TOOLS_JAR")
limit=${TLC_TIMEOUT:-300}
dir=$(mktemp -d)
pids=()
cleanup() {
  # Only the processes started here (each a `timeout` that forwards the
  # signal to its java child).
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null; done
  for p in "${pids[@]}"; do wait "$p" 2>/dev/null; done
  rm -rf "$dir"
}
trap cleanup EXIT
trap 'exit 1' INT TERM
elapsed() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", b - a }'; }

"$mommie" tla "$file" -o "$dir/spec" > "$dir/tla.log" 2>&1 ||
  { cat "$dir/tla.log"; echo "FAIL: mommie tla exited with an error"; exit 1; }

# The module to check: the one named after the protocol (Foo.tla + Foo.cfg),
# else MC.tla + MC.cfg (the tlaplus/Examples layout).
module=
for cfg in "$dir"/spec/*.cfg; do
  m=$(basename "$cfg" .cfg)
  if [ "$m" != MC ] && [ -f "$dir/spec/$m.tla" ]; then module=$m; break; fi
done
if [ -z "$module" ] && [ -f "$dir/spec/MC.cfg" ] && [ -f "$dir/spec/MC.tla" ]; then
  module=MC
fi
if [ -z "$module" ]; then
  ls -l "$dir/spec"
  echo "FAIL: no Foo.tla/Foo.cfg (or MC.tla/MC.cfg) pair in the output of mommie tla"
  exit 1
fi
# Compared with --no-symmetry, so SYMMETRY goes; distributed TLC does not
# check liveness, so PROPERTY goes too. Everything else is kept as emitted.
awk '
  /^(CONSTANTS?|SPECIFICATION|INIT|NEXT|INVARIANTS?|PROPERTY|PROPERTIES|CONSTRAINTS?|ACTION_CONSTRAINTS?|SYMMETRY|VIEW|ALIAS|POSTCONDITION|CHECK_DEADLOCK)([^A-Za-z0-9_]|$)/ {
    drop = ($1 == "SYMMETRY" || $1 == "PROPERTY" || $1 == "PROPERTIES")
  }
  !drop' "$dir/spec/$module.cfg" > "$dir/spec/Distributed.cfg"
echo "spec: $module.tla, config: $module.cfg (without SYMMETRY and PROPERTY)"

port=${TLC_DIST_PORT:-}
if [ -z "$port" ]; then
  for _ in $(seq 50); do
    p=$((20000 + RANDOM % 40000))
    # Nothing listening on 127.0.0.1:$p -> free.
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then port=$p; break; fi
  done
fi
[ -n "$port" ] || { echo "FAIL: found no free port"; exit 1; }

# Both sides: the registry port, and the address put into RMI stubs.
jvm=(-XX:+UseParallelGC -Djava.io.tmpdir="$dir"
     -Djava.rmi.server.hostname=127.0.0.1
     -Dtlc2.tool.distributed.TLCServer.port="$port")
cd "$dir/spec"
start=$EPOCHREALTIME
timeout "$limit" java "${jvm[@]}" -cp "$jar" tlc2.tool.distributed.TLCServer \
  -checkpoint 0 -metadir "$dir/states" -config Distributed.cfg "$module.tla" \
  > "$dir/server.log" 2>&1 &
server=$!
pids+=("$server")
for w in 1 2; do
  timeout "$limit" java "${jvm[@]}" -Dtlc2.tool.distributed.TLCWorker.threadCount=1 \
    -cp "$jar" tlc2.tool.distributed.TLCWorker 127.0.0.1 > "$dir/worker$w.log" 2>&1 &
  pids+=("$!")
done
wait "$server"
rc=$?
end=$EPOCHREALTIME
# The server tells the workers to exit; give them a moment, the trap kills
# any that remain.
for _ in $(seq 20); do
  alive=0
  for p in "${pids[@]:1}"; do kill -0 "$p" 2>/dev/null && alive=1; done
  [ $alive = 0 ] && break
  sleep 0.5
done

if [ $rc -eq 124 ]; then
  tail -20 "$dir/server.log"
  echo "FAIL: the TLC server did not finish within ${limit}s"
  exit 1
fi
if [ $rc -ne 0 ] || ! grep -q "No error has been found" "$dir/server.log"; then
  cat "$dir/server.log"
  for w in 1 2; do echo "--- worker $w"; tail -20 "$dir/worker$w.log"; done
  echo "FAIL: the TLC server exited $rc without 'No error has been found'"
  exit 1
fi
registered=$(grep -c "^Registration for worker" "$dir/server.log")
if [ "$registered" != 2 ]; then
  cat "$dir/server.log"
  echo "FAIL: $registered workers registered with the server, expected 2"
  exit 1
fi
grep "^Worker: " "$dir/server.log"
tlc=$(grep -oE "[0-9,]+ distinct states found" "$dir/server.log" | tail -1 |
      awk '{print $1}' | tr -d ,)
[ -n "$tlc" ] || { cat "$dir/server.log"; echo "FAIL: no distinct-state count"; exit 1; }
printf 'distributed TLC (server + 2 workers on 127.0.0.1:%s): %s distinct states, %.1f s wall\n' \
  "$port" "$tlc" "$(elapsed "$start" "$end")"

start=$EPOCHREALTIME
timeout "$limit" "$mommie" check "$file" --no-symmetry -q > "$dir/check.log" 2>&1
crc=$?
end=$EPOCHREALTIME
mc=$(grep -oE "distinct states: [0-9,]+" "$dir/check.log" | tail -1 | awk '{print $3}' | tr -d ,)
if [ -z "$mc" ]; then
  cat "$dir/check.log"
  echo "FAIL: mommie check (exit $crc) printed no 'distinct states: N'"
  exit 1
fi
printf 'mommie check --no-symmetry: %s distinct states, %.1f s wall\n' \
  "$mc" "$(elapsed "$start" "$end")"
if [ "$mc" != "$tlc" ]; then
  echo "FAIL: distributed TLC found $tlc distinct states, mommie check $mc"
  exit 1
fi
echo "ok: distributed TLC and mommie check agree: $tlc distinct states"
