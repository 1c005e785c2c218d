#!/usr/bin/env bash
# The emitted spec is parametric: emit it once, edit parameters in
# <Module>.cfg to other legal values, run TLC, and compare its distinct-state
# count with `mommie check -D PARAM=VALUE ... --no-symmetry` (issue 14).
#
#   tlc_params.sh MOMMIE FILE.mom PARAM=VALUE [PARAM=VALUE ...]
#
# Exits 77 (CTest SKIP_RETURN_CODE) when TLA2TOOLS_JAR is unset. Bounded by
# TLC_TIMEOUT seconds (default 900).
set -uo pipefail
mommie=$(realpath "$1") file=$(realpath "$2")
shift 2
edits=("$@")
if [ -z "${TLA2TOOLS_JAR:-}" ]; then
  echo "TLA2TOOLS_JAR is not set: skipping"
  exit 77
fi
limit=${TLC_TIMEOUT:-900}
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT

"$mommie" tla "$file" -o "$dir" 2> /dev/null || { echo "FAIL: mommie tla exited $?"; exit 1; }
cfg=$(ls "$dir"/*.cfg | grep -v '/MC.cfg$')
module=$(basename "$cfg" .cfg)
cd "$dir"
defines=()
for edit in "${edits[@]}"; do
  param=${edit%%=*} value=${edit#*=}
  if ! grep -qE "^  $param = -?[0-9]+$" "$module.cfg"; then
    cat "$module.cfg"
    echo "FAIL: $module.cfg assigns no parameter $param"
    exit 1
  fi
  sed -i -E "s/^  $param = -?[0-9]+$/  $param = $value/" "$module.cfg"
  defines+=(-D "$edit")
done

timeout "$limit" java -XX:+UseParallelGC -cp "$TLA2TOOLS_JAR" tlc2.TLC \
  -workers 1 -config "$module.cfg" "$module.tla" > tlc.log 2>&1
rc=$?
if [ $rc -ne 0 ] || ! grep -q "No error has been found" tlc.log; then
  tail -40 tlc.log
  echo "FAIL: TLC exited $rc with ${edits[*]}"
  exit 1
fi
tlc=$(grep -oE "[0-9]+ distinct states found" tlc.log | tail -1 | awk '{print $1}')

timeout "$limit" "$mommie" check "$file" "${defines[@]}" --no-symmetry > check.log 2>&1
mc=$(grep -oE "distinct states: [0-9]+" check.log | tail -1 | awk '{print $3}')
if [ -z "$mc" ]; then
  cat check.log
  echo "FAIL: mommie check ${defines[*]} printed no 'distinct states: N'"
  exit 1
fi
if [ "$mc" != "$tlc" ]; then
  echo "FAIL: with ${edits[*]} TLC found $tlc distinct states, mommie check $mc"
  exit 1
fi
echo "ok: ${edits[*]} edited in $module.cfg: TLC and mommie check agree on $tlc distinct states"
