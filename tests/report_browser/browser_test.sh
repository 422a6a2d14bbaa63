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
source "$(dirname "${BASH_SOURCE[0]}")/chromium.sh"

check_page() {
  local page=$1 expected_cards=$2 label=$3
  load_page "$page" "$work/dom.html" "$work/log.txt"
  check_console "$label" "$work/log.txt"
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
