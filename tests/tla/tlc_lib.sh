# Shared by the TLC test scripts (tlc.sh, tlc_params.sh, tlc_distributed.sh);
# sourced, not run.

# Exits 77 (CTest SKIP_RETURN_CODE) when TLA2TOOLS_JAR is unset, 1 when it
# names no file.
require_tlc_jar() {
  if [ -z "${TLA2TOOLS_JAR:-}" ]; then
    echo "TLA2TOOLS_JAR is not set: skipping"
    exit 77
  fi
  if [ ! -f "$TLA2TOOLS_JAR" ]; then
    echo "FAIL: TLA2TOOLS_JAR=$TLA2TOOLS_JAR does not exist"
    exit 1
  fi
}

# The protocol module `mommie tla` wrote into DIR (its .cfg other than MC.cfg).
protocol_module() {
  basename "$(ls "$1"/*.cfg | grep -v '/MC.cfg$')" .cfg
}

# One TLC run of $1.tla with $1.cfg in the current directory, bounded by
# $limit seconds; sets tlc (its distinct-state count) and rc.
run_tlc() {
  timeout "$limit" java -XX:+UseParallelGC -cp "$TLA2TOOLS_JAR" tlc2.TLC \
    -workers 1 -config "$1.cfg" "$1.tla" > tlc.log 2>&1
  rc=$?
  if [ $rc -eq 124 ]; then
    tail -5 tlc.log
    echo "FAIL: TLC did not finish within ${limit}s"
    exit 1
  fi
  tlc=$(grep -oE "[0-9]+ distinct states found" tlc.log | tail -1 | awk '{print $1}')
}

# Fails unless the last TLC run found no error.
require_tlc_ok() {
  if [ $rc -ne 0 ] || ! grep -q "No error has been found" tlc.log; then
    tail -60 tlc.log
    echo "FAIL: TLC exited $rc ($*)"
    exit 1
  fi
}

# `mommie check FILE ARGS...` (bounded by $limit); sets mc to its
# distinct-state count, or fails.
mommie_count() {
  local file=$1
  shift
  timeout "$limit" "$mommie" check "$file" "$@" > check.log 2>&1
  local crc=$?
  mc=$(grep -oE "distinct states: [0-9,]+" check.log | tail -1 | awk '{print $3}' | tr -d ,)
  if [ -z "$mc" ]; then
    cat check.log
    echo "FAIL: mommie check $* (exit $crc) printed no 'distinct states: N'"
    exit 1
  fi
}
