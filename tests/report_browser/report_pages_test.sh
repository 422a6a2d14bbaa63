#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# usage: report_pages_test.sh NODE_DIR WHICH FIXTURE_WRITER VITALS_CLI CATALOGUE_DIR
# Writes report pages and runs page_check on all of them (no console message,
# no failed or external request, no broken link, no WCAG 2.1 AA violation
# found by axe-core). WHICH is one of:
#   committee  the committee report and its card pages (report_fixture_writer)
#   hostile    the same with markup and script in every title and section
#   risks      the Norfolk risk report (vitals risks --format html)
#   published  the Norfolk site from vitals publish: Feb 2017 and Q4 2016/17,
#              each with its dashboard and all 15 vital signs' pages, and the
#              landing page listing both (33 pages)
#   spc        the Norfolk committee report and its card pages with the SPC
#              rule pack on (vitals report), its charts and icons included
set -euo pipefail
node_dir=$1
which=$2
writer=$3
vitals=$4
catalogue=$5
here=$(dirname "${BASH_SOURCE[0]}")
source "$here/chromium.sh"
source "$here/page_check.sh"

case "$which" in
  committee)
    "$writer" "$work/site" --commentary "$catalogue" >/dev/null
    page_check "$node_dir" --expect-pages 6 "$work/site" ;;
  hostile)
    "$writer" "$work/site" --commentary "$catalogue" --hostile >/dev/null
    page_check "$node_dir" --expect-pages 6 "$work/site" ;;
  risks)
    mkdir "$work/site"
    "$vitals" risks --catalogue "$catalogue" --period 2017-03 --store "$work/risks.db" \
      --format html --output "$work/site/risks.html" >/dev/null
    page_check "$node_dir" --expect-pages 1 "$work/site" ;;
  published)
    for period in 2017-02 2016/17-Q4; do
      "$vitals" publish --catalogue "$catalogue" --store "$work/site.db" --period "$period" \
        --out "$work/site" >/dev/null
    done
    page_check "$node_dir" --expect-pages 33 "$work/site" ;;
  spc)
    cp -r "$catalogue" "$work/spc-catalogue"
    sed -i 's|^rule_dirs = .*|rule_dirs = ["vitals:council", "vitals:spc"]|' "$work/spc-catalogue/catalogue.toml"
    "$vitals" report --catalogue "$work/spc-catalogue" --period 2017-03 --store "$work/spc.db" \
      --out "$work/site" >/dev/null
    grep -qF 'class="spc-icon-variation"' "$work/site/committee-report-2017-03.html" ||
      fail "the SPC report has no variation icon"
    page_check "$node_dir" --expect-pages 7 "$work/site" ;;
  *) fail "unknown page set $which" ;;
esac
