#!/usr/bin/env bash
# The long run of the agreement fuzzer (tests/agree, docs/checker.md "The
# agreement fuzzer"): random programs through mommie check, TLC (when
# TLA2TOOLS_JAR is set), mommie prove and mommie sim, and random
# expressions through the checker and the SMT encoding, for MINUTES
# minutes (default 10) from seed SEED (default: the time).
#
#   TLA2TOOLS_JAR=/work/tla/tla2tools.jar bench/agree/run.sh [BUILD_DIR] [MINUTES] [SEED]
#
# Builds mommie and mommie_agree in BUILD_DIR (default build), writes under
# /tmp/agree-long-SEED (the programs of disagreements are kept there, the
# rest removed), prints one line per disagreement and the summary line.
# Exit 0 when everything agreed, 1 otherwise.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
build=${1:-$root/build}
minutes=${2:-10}
seed=${3:-$(date +%s)}
ninja -C "$build" mommie mommie_agree > /dev/null
dir=/tmp/agree-long-$seed
mkdir -p "$dir"
tlc="off (TLA2TOOLS_JAR unset)"
[ -n "${TLA2TOOLS_JAR:-}" ] && tlc="on ($TLA2TOOLS_JAR)"
echo "mommie_agree: seed $seed, $minutes min, TLC $tlc, in $dir"
set +e
"$build/tests/mommie_agree" --mommie "$build/tools/mommie" --seed "$seed" \
  --time-limit $((minutes * 60)) --sim-every "${SIM_EVERY:-8}" --dir "$dir"
rc=$?
rm -rf "$dir/sim-cache"
exit $rc
