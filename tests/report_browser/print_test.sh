#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# usage: print_test.sh NODE_DIR VITALS_CLI CATALOGUE_DIR SPC_RULES_DIR
# Writes the Norfolk committee report with the council's rules, and again
# with the SPC rule pack added, prints both to A4 PDF (portrait and
# landscape) and checks the paper with print_check.mjs: every word inside the
# page box, nothing under 8pt. Then prints it as users are told to
# (chromium --print-to-pdf) and checks the running footer on every page.
set -euo pipefail
node_dir=$1
vitals=$2
catalogue=$3
spc=$4
here=$(dirname "${BASH_SOURCE[0]}")
source "$here/chromium.sh"
source "$here/page_check.sh"

"$vitals" report --catalogue "$catalogue" --period 2017-03 --store "$work/plain.db" \
  --out "$work/plain" >/dev/null
cp -r "$catalogue" "$work/spc-catalogue"
council=$(cd "$catalogue/../../rules/council" && pwd)
spc=$(cd "$spc" && pwd)
sed -i "s|^rule_dirs = .*|rule_dirs = [\"$council\", \"$spc\"]|" "$work/spc-catalogue/catalogue.toml"
"$vitals" report --catalogue "$work/spc-catalogue" --period 2017-03 --store "$work/spc.db" \
  --out "$work/spc" >/dev/null
mv "$work/spc/committee-report-2017-03.html" "$work/spc/committee-report-2017-03-spc.html"
grep -qi "special cause" "$work/spc/committee-report-2017-03-spc.html" ||
  fail "the SPC rule pack reported nothing"
# The charts draw the rule's findings: limits, marked points and the icons.
for part in 'class="spc-mean"' 'class="spc-upper"' 'fill="#ed8b00"' 'class="spc-icon-variation"' \
  'class="spc-icon-assurance"'; do
  grep -qF "$part" "$work/spc/committee-report-2017-03-spc.html" || fail "the SPC report's charts lack $part"
done
grep -qF 'class="spc' "$work/plain/committee-report-2017-03.html" && fail "the plain report's charts draw SPC"
print_check "$node_dir" --out "$work/pdf" \
  "$work/plain/committee-report-2017-03.html" "$work/spc/committee-report-2017-03-spc.html"

# Printed as docs/report-cards.md tells users to: every page has the running
# footer, with the report's title and period and "Page N of M".
timeout 120 "$chromium" "${chromium_flags[@]}" --user-data-dir="$work/profile" --no-pdf-header-footer \
  --print-to-pdf="$work/cli.pdf" "file://$work/plain/committee-report-2017-03.html" >/dev/null 2>&1 ||
  fail "chromium --print-to-pdf failed"
pages=$(pdfinfo "$work/cli.pdf" | awk '/^Pages:/ {print $2}')
pdftotext -layout "$work/cli.pdf" "$work/cli.txt"
footers=$(grep -cE "Adult Social Care Committee: vital signs exception report, Mar 2017 +Page [0-9]+ of $pages\$" "$work/cli.txt" || true)
[[ $footers -eq $pages ]] || fail "$footers of $pages printed pages have the running footer"
echo "ok: running footer on all $pages pages printed by chromium --print-to-pdf"
