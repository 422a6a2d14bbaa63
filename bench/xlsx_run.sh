#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# The xlsx plugin's benchmark (bench/README.md, "Reading workbooks"): the
# first ROWS of the workload's long-format observations ingested from a CSV
# file (csv plugin) and from the same rows in a workbook (xlsx plugin), and
# the workbook read by openpyxl (and pandas.read_excel when installed) in the
# same run.
#
#   bench/xlsx_run.sh [--rows N] [--build DIR] [--work DIR]
#
# The default is 1,000,000 rows (from 9 councils' 1.06 million).
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
src=$(dirname "$here")
rows=1000000
build=$src/build
work=${TMPDIR:-/tmp}/vitals-bench-xlsx
while [ $# -gt 0 ]; do
  case $1 in
    --rows) rows=$2; shift 2 ;;
    --build) build=$2; shift 2 ;;
    --work) work=$2; shift 2 ;;
    -h|--help) sed -n '3,12p' "$0"; exit 0 ;;
    *) echo "xlsx_run.sh: unknown argument $1" >&2; exit 2 ;;
  esac
done
for exe in vitals_bench vitals_bench_generate; do
  [ -x "$build/bench/$exe" ] || { echo "xlsx_run.sh: build $build/bench/$exe first" >&2; exit 2; }
done

councils=$(( (rows + 117647) / 117648 ))  # each council has 117,648 observations
g=$work/generated
w=$work/csv
x=$work/xlsx
rm -rf "$work"
mkdir -p "$work"
echo "xlsx benchmark: $rows rows, $(nproc) cores, $(date -u +%Y-%m-%d)"
"$build/bench/vitals_bench_generate" --out "$g" --councils "$councils" --rules "$src/rules"
/usr/bin/python3 "$here/xlsx_workload.py" "$g" "$work" "$rows"
ls -l "$w/catalogue/data/observations.csv" "$x/catalogue/data/observations.xlsx"
echo "--- csv plugin"
"$build/bench/vitals_bench" ingest --workload "$w" --store "$w.db"
echo "--- xlsx plugin"
"$build/bench/vitals_bench" ingest --workload "$x" --store "$x.db" | tee "$work/xlsx.out"
echo "--- openpyxl / pandas"
/usr/bin/python3 "$here/xlsx_reference.py" "$x/catalogue/data/observations.xlsx" |
  tee "$work/reference.out"
ours=$(awk '$1 == "RESULT" && $2 == "ingest_rows_per_s" {print $3}' "$work/xlsx.out")
for ref in pandas openpyxl; do
  theirs=$(awk -F= -v k="${ref}_rows_per_s" '$1 == k {print $2}' "$work/reference.out")
  [ -n "$theirs" ] && awk -v a="$ours" -v b="$theirs" -v r="$ref" \
    'BEGIN {printf "xlsx plugin against %s: %.1fx the rows per second\n", r, a / b}'
done
