#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Follows docs/getting-started.md literally in a scratch folder: its install
# command (into a scratch home), then its "Your own catalogue" commands, each
# line as written, with the installed `vitals` on PATH and no
# LD_LIBRARY_PATH; then `vitals rules test` with no folder, from a folder
# with no rules of its own.
#
# usage: getting_started_test.sh BUILD_DIR SOURCE_DIR WORK_DIR
set -euo pipefail

build=$1
src=$2
work=$3
guide=$src/docs/getting-started.md
fail() { echo "FAILED: $*" >&2; exit 1; }
step() { echo "== $*"; }

rm -rf "$work"
mkdir -p "$work/home" "$work/checkout" "$work/elsewhere"
# The project directory the guide starts from: its build and its examples.
ln -s "$build" "$work/checkout/build"
cp -r "$src/examples" "$work/checkout/examples"
unset LD_LIBRARY_PATH
export HOME=$work/home

# The ```sh block of the guide that contains `$1`, one command per line.
block() {
  awk -v want="$1" '
    /^```sh$/ { inside = 1; text = ""; next }
    /^```$/   { if (inside && index(text, want)) printf "%s", text; inside = 0; next }
    inside    { text = text $0 "\n" }
  ' "$guide"
}

# Runs each line of a block in the checkout, as a reader types it; an editor
# line is where the reader edits, so it is left out.
follow() {
  local commands=$1
  [ -n "$commands" ] || fail "the guide has no such block"
  while IFS= read -r line; do
    case "$line" in ''|'$EDITOR'*) continue ;; esac
    step "$line"
    (cd "$work/checkout" && eval "$line") > "$work/last.out" 2>&1 \
      || { cat "$work/last.out"; fail "the guide's command failed: $line"; }
    cat "$work/last.out"
  done <<< "$commands"
}

install_block=$(block "cmake --install build")
follow "$install_block"
# The guide's export line changes PATH for the commands after it.
eval "$(grep '^export PATH=' <<< "$install_block")"
[ "$(command -v vitals)" = "$HOME/.local/bin/vitals" ] || fail "vitals is not the installed one: $(command -v vitals)"
readelf -d "$HOME/.local/bin/vitals" | grep -q 'R.*PATH.*\$ORIGIN' || fail "the installed vitals has no run path"

own_block=$(block "cp -r examples/norfolk my-committee")
follow "$own_block"
grep -q '"vitals:council"' "$work/checkout/my-committee/catalogue.toml" || fail "the copy does not name vitals:council"
grep -q "reported as exceptions on this occasion" "$work/last.out" || fail "the copy's evaluation lists no exceptions"
grep -q "(off target, deteriorating, affecting a corporate risk)" "$work/last.out" \
  || fail "the copy's evaluation is not the council's"

step "the guide's help commands, with the installed manual page"
help_block=$(block "vitals help evaluate")
follow "$help_block"
# Its last line is man vitals: the installed page, found through PATH.
grep -q "vitals rules test" "$work/last.out" || fail "man vitals shows no rules test"
# The misspelt option the guide shows is refused as the guide says.
set +e
vitals evaluate --perod 2017-03 --catalogue examples/norfolk > "$work/typo.out" 2>&1
typo_rc=$?
set -e
[ "$typo_rc" -eq 2 ] || fail "a misspelt option exited $typo_rc"
shown=$(grep -m1 "^vitals: unknown option '--perod'" "$guide")
[ -n "$shown" ] || fail "the guide shows no misspelt option"
grep -qxF "$shown" "$work/typo.out" || { cat "$work/typo.out"; fail "the guide's misspelt option says: $shown"; }
# bash completes vitals from the installed script, as bash-completion would load it.
completion=$HOME/.local/share/bash-completion/completions/vitals
[ -f "$completion" ] || fail "no bash completion installed at $completion"
words=$(bash --norc --noprofile -c 'source "$1"; COMP_WORDS=(vitals evaluate --no-i); COMP_CWORD=2; _vitals; echo "${COMPREPLY[*]}"' \
          complete "$completion")
[ "$words" = "--no-ingest" ] || fail "the installed completion offers '$words' for vitals evaluate --no-i"

step "vitals rules test, from a folder with no rules"
(cd "$work/elsewhere" && vitals rules test) > "$work/rules.out" 2>&1 \
  || { cat "$work/rules.out"; fail "vitals rules test with no folder"; }
grep -q "^rules/council/off_target.test.toml (rule off_target)" "$work/rules.out" \
  || { cat "$work/rules.out"; fail "the council's rules were not tested"; }
grep -Eq "^ +PASS " "$work/rules.out" || fail "no test passed"
grep -Eq "^ +FAIL " "$work/rules.out" && fail "a shipped rule's test failed"
(cd "$work/elsewhere" && vitals rules test vitals:spc) > "$work/spc.out" 2>&1 \
  || { cat "$work/spc.out"; fail "vitals rules test vitals:spc"; }
grep -q "(rule spc)" "$work/spc.out" || { cat "$work/spc.out"; fail "vitals:spc ran no spc test"; }
grep -q "off_target" "$work/spc.out" && fail "vitals:spc ran the council's tests too"
echo "getting-started test passed"
