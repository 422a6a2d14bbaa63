#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# The benchmark at a tiny scale, as a test: generator, ingest, evaluation on
# one and two threads, rendering one council, and our results compared with
# the plain-Python reference and (when /usr/bin/python3 has pandas) the pandas
# one. Times are printed but not checked.
#
# usage: smoke_test.sh BENCH_BIN_DIR SOURCE_DIR WORK_DIR
set -euo pipefail
bin=$1
src=$2
work=$3
rm -rf "$work"
mkdir -p "$work"
period=2025-03

"$bin/vitals_bench_generate" --out "$work/w" --councils 3 --indicators 40 --months 30 \
  --rules "$src/rules"
"$bin/vitals_bench" ingest --workload "$work/w" --store "$work/w.db"
"$bin/vitals_bench" evaluate --workload "$work/w" --store "$work/w.db" --period $period \
  --threads 1 --repeat 1 --results "$work/ours1.csv"
"$bin/vitals_bench" evaluate --workload "$work/w" --store "$work/w.db" --period $period \
  --threads 2 --repeat 1 --results "$work/ours2.csv" --record
"$bin/vitals_bench" render --workload "$work/w" --store "$work/w.db" --period $period \
  --council c001 --out "$work/report"
[ -s "$work/report/committee-report-c001.html" ] || { echo "no committee report"; exit 1; }
rm -rf "$work/site"
"$bin/vitals_bench" publish --workload "$work/w" --store "$work/w.db" --period $period \
  --council c001 --out "$work/site"
[ "$(ls "$work/site/2025-03/indicators" | wc -l)" -eq 40 ] || { echo "expected 40 indicator pages"; exit 1; }
[ -s "$work/site/2025-03/downloads/vital-signs.xlsx" ] || { echo "no workbook"; exit 1; }
# The vitals command itself, as processes (ingest, evaluate, --json, --compact).
"$bin/vitals_bench" cli --vitals "$bin/../vitals" --workload "$work/w" --store "$work/cli.db" \
  --period $period
grep -q '"format": "vitals.results/1"' "$work/cli.db.cli.compact.json" || { echo "no compact JSON"; exit 1; }
cmp "$work/ours1.csv" "$work/ours2.csv" || { echo "1 and 2 threads differ"; exit 1; }
[ "$(wc -l < "$work/ours1.csv")" -eq 121 ] || { echo "expected 120 results"; exit 1; }

python=python3
[ -x /usr/bin/python3 ] && python=/usr/bin/python3
"$python" "$src/bench/reference_plain.py" --workload "$work/w" --period $period \
  --out "$work/plain.csv"
"$python" "$src/bench/compare_results.py" "$work/ours1.csv" "$work/plain.csv"
if /usr/bin/python3 -c "import pandas" 2>/dev/null; then
  /usr/bin/python3 "$src/bench/pandas_reference.py" --workload "$work/w" --period $period \
    --out "$work/pandas.csv"
  /usr/bin/python3 "$src/bench/compare_results.py" "$work/ours1.csv" "$work/pandas.csv"
else
  echo "pandas comparison skipped: /usr/bin/python3 has no pandas (apt-get install python3-pandas)"
fi
echo "smoke test passed"
