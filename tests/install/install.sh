#!/usr/bin/env bash
# `cmake --install` into a temporary prefix, then the installed tool alone
# (issue 21): its version line names the commit and build type, `mommie
# version` says it found the runtime under the prefix (not in the build
# tree), it builds a node binary from the installed headers and archives,
# the man page is roff with every command, and the bash completion script
# completes commands and options.
#
#   install.sh SOURCE_DIR BUILD_DIR
set -uo pipefail
src=$(realpath "$1") build=$(realpath "$2")
prefix=$(mktemp -d)
trap 'rm -rf "$prefix"' EXIT
fail() { echo "FAIL: $*"; exit 1; }

cmake --install "$build" --prefix "$prefix" > "$prefix/install.log" 2>&1 ||
  { cat "$prefix/install.log"; fail "cmake --install"; }
m="$prefix/bin/mommie"
[ -x "$m" ] || fail "no $m"

v=$("$m" --version) || fail "--version"
echo "$v"
[[ "$v" =~ ^mommie\ [0-9.]+\ \(commit\ (unknown|[0-9a-f]+(-dirty)?),\ [A-Za-z]+\ build\)$ ]] ||
  fail "version line '$v'"
"$m" version | grep -q "^runtime: headers $prefix/include/mommie; 8 archives, the top layer $prefix/lib/" ||
  { "$m" version; fail "the installed tool does not use the installed runtime"; }

# A node binary from the installed runtime only.
cd "$prefix"
"$m" build "$src/examples/primary_backup.mom" --deploy "$src/examples/primary_backup.deploy" \
  -D NumReq=3 -o "$prefix/pb" || fail "mommie build with the installed runtime"
"$prefix/pb" --info | grep -q '^protocol PrimaryBackup$' || fail "the built node's --info"

# The man page: roff, one section per command.
man1="$prefix/share/man/man1/mommie.1"
[ -f "$man1" ] || fail "no man page"
head -2 "$man1" | grep -q '^\.TH MOMMIE 1' || fail "man page header"
for c in parse ir tla check prove build sim conform keygen completion manpage; do
  grep -q "^\.SS \"$c" "$man1" || fail "man page lacks command $c"
done
if command -v groff > /dev/null; then
  w=$(groff -man -ww -z "$man1" 2>&1)
  [ -z "$w" ] || fail "groff warns: $w"
fi
grep -q -- '--max-states' "$man1" || grep -q -- '\\-\\-max\\-states' "$man1" || fail "man page lacks check's --max-states"

# The completion script: commands, then a command's options.
comp="$prefix/share/bash-completion/completions/mommie"
[ -f "$comp" ] || fail "no bash completion"
bash -n "$comp" || fail "completion script syntax"
out=$(bash -c "source '$comp'; COMP_WORDS=(mommie ch); COMP_CWORD=1; _mommie; echo \"\${COMPREPLY[*]}\"")
[ "$out" = "check" ] || fail "completing 'mommie ch' gave '$out'"
out=$(bash -c "source '$comp'; COMP_WORDS=(mommie check --max-s); COMP_CWORD=2; _mommie; echo \"\${COMPREPLY[*]}\"")
[ "$out" = "--max-states" ] || fail "completing 'mommie check --max-s' gave '$out'"
echo "ok: installed in $prefix, version, runtime, build, man page and completion"
