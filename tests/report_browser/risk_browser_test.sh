#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# usage: risk_browser_test.sh VITALS_CLI CATALOGUE_DIR
# Writes the Norfolk risk report as HTML (and again with a register whose
# title, tasks and area hold markup) and loads it in headless Chromium: no
# console message may be logged, the page has one entry per risk reported by
# exception (13) and no <script> or hostile element exists in the DOM.
set -euo pipefail
vitals=$1
catalogue=$2
source "$(dirname "${BASH_SOURCE[0]}")/chromium.sh"

check_page() {
  local page=$1 label=$2
  load_page "$page" "$work/dom.html" "$work/log.txt"
  check_console "$label" "$work/log.txt"
  local entries
  entries=$(grep -o '<article class="risk"' "$work/dom.html" | wc -l)
  [[ $entries -eq 13 ]] || fail "$label: expected 13 risk entries, found $entries"
  grep -q '<table class="risk-matrix">' "$work/dom.html" || fail "$label: no risk matrix"
  if grep -qi '<script' "$work/dom.html"; then fail "$label: the DOM holds a <script> element"; fi
  if grep -qi '<img src="x"' "$work/dom.html"; then fail "$label: hostile markup became an element"; fi
  echo "ok: $label ($entries entries)"
}

"$vitals" risks --catalogue "$catalogue" --period 2017-03 --store "$work/plain.db" \
  --format html --output "$work/risks.html" >/dev/null
check_page "$work/risks.html" "risk report"

cp -r "$catalogue" "$work/hostile"
rules=$(cd "$catalogue/../../rules/council" && pwd)
sed -i "s|^rule_dirs = .*|rule_dirs = [\"$rules\"]|" "$work/hostile/catalogue.toml"
/usr/bin/python3 - "$work/hostile/data/risks.csv" <<'PY'
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1], newline="")))
hostile = "<script>console.error('escaped?')</script><img src=x onerror=console.error(1)>"
for r in rows:
    r["title"] += " " + hostile
    r["mitigation"] = hostile + r["mitigation"]
    r["area"] = hostile
with open(sys.argv[1], "w", newline="") as f:
    w = csv.DictWriter(f, fieldnames=list(rows[0].keys()))
    w.writeheader()
    w.writerows(rows)
PY
"$vitals" risks --catalogue "$work/hostile" --period 2017-03 --store "$work/hostile.db" \
  --format html --output "$work/hostile.html" >/dev/null
check_page "$work/hostile.html" "risk report with hostile text"
grep -q "&lt;script&gt;console.error(&#39;escaped?&#39;)&lt;/script&gt;" "$work/hostile.html" ||
  fail "hostile title not escaped as expected"
