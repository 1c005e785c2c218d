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
source "$(dirname "$0")/tlc_lib.sh"
mommie=$(realpath "$1") file=$(realpath "$2")
shift 2
edits=("$@")
require_tlc_jar
limit=${TLC_TIMEOUT:-900}
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT

"$mommie" tla "$file" -o "$dir" 2> /dev/null || { echo "FAIL: mommie tla exited $?"; exit 1; }
module=$(protocol_module "$dir")
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

run_tlc "$module"
require_tlc_ok "with ${edits[*]}"
mommie_count "$file" "${defines[@]}" --no-symmetry
if [ "$mc" != "$tlc" ]; then
  echo "FAIL: with ${edits[*]} TLC found $tlc distinct states, mommie check $mc"
  exit 1
fi
echo "ok: ${edits[*]} edited in $module.cfg: TLC and mommie check agree on $tlc distinct states"
