# SPDX-License-Identifier: Apache-2.0
# What the command-line test scripts share; sourced after `set -euo pipefail`.
# Makes $work, a fresh directory removed when the script exits.
# copy_example needs $src, the source directory.
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

fail() { echo "FAIL: $*" >&2; exit 1; }
expect_contains() { grep -qF -- "$2" "$1" || { echo "--- $1:"; cat "$1"; fail "expected: $2"; }; }
expect_not_contains() { ! grep -qF -- "$2" "$1" || { echo "--- $1:"; cat "$1"; fail "unexpected: $2"; }; }
run() {  # run CMD... ; sets rc, leaves stdout in $work/out and stderr in $work/err
  set +e
  "$@" >"$work/out" 2>"$work/err"
  rc=$?
  set -e
}

# A copy of the Norfolk example whose rule_dirs still point at the shipped council rules.
copy_example() {
  cp -r "$src/examples/norfolk" "$work/norfolk"
  sed -i "s|^rule_dirs = .*|rule_dirs = [\"$src/rules/council\"]|" "$work/norfolk/catalogue.toml"
}
