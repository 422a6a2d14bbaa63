#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Sourced by the browser tests: finds headless Chromium (or skips the test with
# exit code 77 when it is not installed), makes a scratch folder $work that is
# removed on exit, and loads pages with the flags every browser test uses.
#
#   source chromium.sh
#   load_page FILE DOM_OUT LOG_OUT     # DOM after load, Chromium's log
#   check_console LABEL LOG            # fails when the page logged anything
#
# The flags keep Chromium off the network and work when run by root in CI
# (no sandbox).

fail() { echo "FAIL: $*" >&2; exit 1; }

chromium=${CHROMIUM:-$(command -v chromium || command -v chromium-browser || true)}
if [[ -z "$chromium" ]]; then
  echo "SKIP: chromium is not installed"
  exit 77
fi

# The command-line flags, one a line in chromium.flags (page_check.mjs reads
# them too).
mapfile -t chromium_flags <"$(dirname "${BASH_SOURCE[0]}")/chromium.flags"

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# Loads $1 and writes its DOM to $2 and Chromium's log to $3.
load_page() {
  timeout 120 "$chromium" "${chromium_flags[@]}" \
    --user-data-dir="$work/profile" --enable-logging=stderr --v=0 \
    --virtual-time-budget=5000 --dump-dom "file://$1" >"$2" 2>"$3" ||
    { cat "$3" >&2; fail "chromium could not load $1"; }
}

# Chromium reports page console messages (errors, CSP violations, failed
# loads) as lines containing "CONSOLE".
check_console() {
  if grep -E 'CONSOLE|Refused to|Failed to load' "$2" >&2; then
    fail "$1: the page logged console messages"
  fi
}
