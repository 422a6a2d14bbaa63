#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Runs the Vitals benchmark and prints a table (see bench/README.md).
#
#   bench/run.sh [--scale 5x|full|medium|small] [--build DIR] [--work DIR] [--threads N]
#                [--require-reference]
#
#   5x      750 councils: five times the national workload (~88 million rows,
#           a 3.2 GB CSV; about 15 GB of disk; no pandas reference: see below)
#   full    150 councils x 1,000 indicators x 120 months (~17.6 million rows)
#   medium   30 councils (default; a few minutes on 2 cores)
#   small     5 councils (a quick check)
#
# Needs a Release build with the benchmark:
#   cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=Release -DVITALS_BUILD_BENCH=ON
#   cmake --build build -j2
# and, for the pandas side, Debian's python3-pandas (used through /usr/bin/python3;
# .ci/install-deps installs it). Without it the pandas reference is skipped
# with a loud warning, or, with --require-reference, the run fails at once.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
src=$(dirname "$here")
scale=medium
build=$src/build
work=${TMPDIR:-/tmp}/vitals-bench
threads=2
require_reference=no
while [ $# -gt 0 ]; do
  case $1 in
    --scale) scale=$2; shift 2 ;;
    --build) build=$2; shift 2 ;;
    --work) work=$2; shift 2 ;;
    --threads) threads=$2; shift 2 ;;
    --require-reference) require_reference=yes; shift ;;
    -h|--help) sed -n '3,20p' "$0"; exit 0 ;;
    *) echo "run.sh: unknown argument $1" >&2; exit 2 ;;
  esac
done
case $scale in
  5x) councils=750 ;;
  full) councils=150 ;;
  medium) councils=30 ;;
  small) councils=5 ;;
  *) echo "run.sh: --scale is 5x, full, medium or small" >&2; exit 2 ;;
esac
for exe in bench/vitals_bench bench/vitals_bench_generate vitals; do
  [ -x "$build/$exe" ] || { echo "run.sh: build $build/$exe first (see above)" >&2; exit 2; }
done
have_pandas=no
if [ $scale = 5x ]; then
  # pandas holds the whole file in memory: 4.4 GiB at 1x, so about 22 GiB here.
  warning="pandas reference skipped: at 5x it would need about 22 GiB of memory (results are compared across 1 and $threads threads only)"
elif /usr/bin/python3 -c "import pandas" 2>/dev/null; then
  have_pandas=yes
else
  warning="pandas reference skipped: /usr/bin/python3 has no pandas (apt-get install python3-pandas, listed in .ci/install-deps)"
fi
if [ $have_pandas = no ]; then
  if [ $require_reference = yes ]; then
    echo "run.sh: $warning, and --require-reference was given" >&2
    exit 2
  fi
  printf '\n********************************************************************\n' >&2
  printf '*** WARNING: %s\n' "$warning" >&2
  printf '********************************************************************\n\n' >&2
fi

period=2025-03
w=$work/$scale
mkdir -p "$work"
log=$work/$scale.log
: > "$log"
run() { echo "+ $*" >> "$log"; "$@" | tee -a "$log"; }

echo "Vitals benchmark, scale $scale ($councils councils x 1000 indicators x 120 months)," \
     "$(nproc) cores, $(date -u +%Y-%m-%d)"
run "$build/bench/vitals_bench_generate" --out "$w" --councils $councils --rules "$src/rules"
run "$build/bench/vitals_bench" ingest --workload "$w" --store "$w.db"
run "$build/bench/vitals_bench" evaluate --workload "$w" --store "$w.db" --period $period \
  --threads 1 --repeat 3 --results "$w.ours1.csv"
run "$build/bench/vitals_bench" evaluate --workload "$w" --store "$w.db" --period $period \
  --threads "$threads" --repeat 3 --results "$w.ours$threads.csv" --record
run "$build/bench/vitals_bench" render --workload "$w" --store "$w.db" --period $period \
  --council c001 --out "$w.report"
run "$build/bench/vitals_bench" publish --workload "$w" --store "$w.db" --period $period \
  --council c001 --out "$w.site"
run "$build/bench/vitals_bench" cli --vitals "$build/vitals" --workload "$w" --store "$w.cli.db" \
  --period $period
cmp -s "$w.ours1.csv" "$w.ours$threads.csv" && same_threads=yes || same_threads=NO

pandas="SKIPPED (see the warning)"
if [ $have_pandas = yes ]; then
  run /usr/bin/python3 "$here/pandas_reference.py" --workload "$w" --period $period \
    --out "$w.pandas.csv"
  run /usr/bin/python3 "$here/compare_results.py" "$w.ours1.csv" "$w.pandas.csv" \
    && pandas=identical || pandas=DIFFERENT
fi

value() { awk -v k="$1" '$1 == "RESULT" && $2 == k { v = $3 } END { print v }' "$log"; }
# The second evaluate run (on $threads threads) comes after the first in the log.
value_n() { awk -v k="$1" -v n="$2" '$1 == "RESULT" && $2 == k { i++; if (i == n) print $3 }' "$log"; }
fmt() { awk -v v="$1" -v d="${2:-2}" 'BEGIN { if (v == "") print "-"; else printf "%.*f", d, v }'; }

rows=$(value ingest_rows)
echo
echo "| measure | result |"
echo "|---|---|"
echo "| observations (CSV rows) | $(fmt "$rows" 0) |"
echo "| catalogue load ($((councils * 1000)) indicators) | $(fmt "$(value_n catalogue_load_s 1)") s |"
echo "| CSV ingest into the store, committed | $(fmt "$(value ingest_s)") s = $(fmt "$(value ingest_rows_per_s)" 0) rows/s |"
echo "| pandas.read_csv of the same file | $(fmt "$(value pandas_read_csv_s)") s = $(fmt "$(value pandas_read_csv_rows_per_s)" 0) rows/s |"
echo "| ingest peak memory | $(fmt "$(value ingest_peak_rss_mib)" 0) MiB |"
echo "| evaluate, 1 thread, cold (reads the store) | $(fmt "$(value_n evaluate_cold_s 1)") s |"
echo "| evaluate, 1 thread, warm (median of 3) | $(fmt "$(value_n evaluate_warm_s 1)") s = $(fmt "$(value_n evaluate_series_rules_per_s 1)" 0) series x rules/s |"
echo "| evaluate, $threads threads, cold | $(fmt "$(value_n evaluate_cold_s 2)") s |"
echo "| evaluate, $threads threads, warm (median of 3) | $(fmt "$(value_n evaluate_warm_s 2)") s = $(fmt "$(value_n evaluate_series_rules_per_s 2)" 0) series x rules/s |"
echo "| evaluate and record the run, $threads threads | $(fmt "$(value evaluate_and_record_s)") s |"
echo "| evaluation peak memory ($threads threads) | $(fmt "$(value_n evaluate_peak_rss_mib 2)" 0) MiB |"
echo "| pandas: both criteria, data in memory | $(fmt "$(value pandas_criteria_s)") s |"
echo "| pandas: read_csv + criteria, peak memory | $(fmt "$(value pandas_total_s)") s, $(fmt "$(value pandas_peak_rss_mib)" 0) MiB |"
echo "| render one council's committee report (HTML) | $(fmt "$(value render_html_s)" 3) s ($(fmt "$(value render_indicators)" 0) indicators) |"
echo "| publish one council's site (vitals publish) | $(fmt "$(value publish_s)" 3) s ($(fmt "$(value publish_indicators)" 0) indicators, $(fmt "$(value publish_files)" 0) files, $(fmt "$(value publish_mib)" 0) MiB) |"
cli() { echo "$(fmt "$(value "$1_s")") s wall, $(fmt "$(value "$1_cpu_s")") s CPU, $(fmt "$(value "$1_peak_rss_mib")" 0) MiB peak"; }
echo "| \`vitals ingest\` into a new store (process) | $(cli cli_ingest_new) |"
echo "| \`vitals ingest\` again, nothing changed | $(cli cli_ingest_unchanged) |"
echo "| \`vitals evaluate --no-ingest\`, text summary ($(fmt "$(value cli_evaluate_text_stdout_mib)") MiB) | $(cli cli_evaluate_text) |"
echo "| the same with \`--json\` ($(fmt "$(value cli_evaluate_json_mib)") MiB of JSON) | $(cli cli_evaluate_json) |"
echo "| the same with \`--json --compact\` ($(fmt "$(value cli_evaluate_compact_json_mib)") MiB of JSON) | $(cli cli_evaluate_compact) |"
echo "| the same with \`--all\`, text summary ($(fmt "$(value cli_evaluate_all_stdout_mib)") MiB) | $(cli cli_evaluate_all) |"
echo "| 1 and $threads threads give identical results | $same_threads |"
echo "| our results = pandas reference | $pandas |"
echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
echo
echo "full log: $log"
[ $have_pandas = yes ] || printf '\n*** WARNING: %s\n' "$warning" >&2
[ "$same_threads" = yes ] && [ "$pandas" != DIFFERENT ]
