#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# usage: browser_test.sh FIXTURE_WRITER CATALOGUE_DIR
# Renders the committee report (with the catalogue's commentary, and again
# with hostile text everywhere) and loads each page in headless Chromium:
# no console message may be logged, the page must have one report card per
# exception, and no <script> element may exist in the DOM.
set -euo pipefail
writer=$1
catalogue=$2
chromium=${CHROMIUM:-$(command -v chromium || command -v chromium-browser || true)}
if [[ -z "$chromium" ]]; then
  echo "SKIP: chromium is not installed"
  exit 77
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

fail() { echo "FAIL: $*" >&2; exit 1; }

# Loads $1 and writes its DOM to $2 and Chromium's log to $3.
load() {
  timeout 120 "$chromium" --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
    --disable-background-networking --disable-component-update --disable-sync \
    --user-data-dir="$work/profile" --enable-logging=stderr --v=0 \
    --virtual-time-budget=5000 --dump-dom "file://$1" >"$2" 2>"$3" ||
    { cat "$3" >&2; fail "chromium could not load $1"; }
}

check_page() {
  local page=$1 expected_cards=$2 label=$3
  load "$page" "$work/dom.html" "$work/log.txt"
  # Chromium reports page console messages (errors, CSP violations, failed
  # loads) as lines containing "CONSOLE".
  if grep -E 'CONSOLE|Refused to|Failed to load' "$work/log.txt" >&2; then
    fail "$label: the page logged console messages"
  fi
  local cards
  cards=$(grep -o '<article class="card"' "$work/dom.html" | wc -l)
  [[ $cards -eq $expected_cards ]] || fail "$label: expected $expected_cards report cards, found $cards"
  if grep -qi '<script' "$work/dom.html"; then fail "$label: the DOM holds a <script> element"; fi
  if grep -qi '<img src="x"' "$work/dom.html"; then fail "$label: hostile markup became an element"; fi
  grep -q '<svg xmlns="http://www.w3.org/2000/svg" class="chart"' "$work/dom.html" ||
    fail "$label: no chart in the page"
  echo "ok: $label ($cards cards)"
}

"$writer" "$work/plain" --commentary "$catalogue" >/dev/null
check_page "$work/plain/committee-report-2017-03.html" 5 "committee report"
check_page "$work/plain/cards/dtoc_social_care_per_100k-2017-03.html" 1 "card page"

"$writer" "$work/hostile" --commentary "$catalogue" --hostile >/dev/null
check_page "$work/hostile/committee-report-2017-03.html" 5 "committee report with hostile text"
grep -q "&lt;script&gt;console.error(&#39;escaped?&#39;)&lt;/script&gt;" \
  "$work/hostile/committee-report-2017-03.html" || fail "hostile title not escaped as expected"
