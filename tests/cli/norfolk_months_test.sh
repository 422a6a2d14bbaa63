#!/usr/bin/env bash
# Usage: norfolk_months_test.sh VITALS_BINARY SOURCE_DIR
# The Norfolk example run month by month from March 2016 to March 2017: the
# 18-64 admissions rate, with its profiled target, is within target from April
# to December 2016 and a new exception in January 2017, as the council's card
# says ("above target for the first time in 9 months", paper 000 line 1260).
set -euo pipefail
vitals=$1
src=$2
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
norfolk="$src/examples/norfolk"

months="2016-03 2016-04 2016-05 2016-06 2016-07 2016-08 2016-09 2016-10 2016-11 2016-12 2017-01 2017-02 2017-03"
for period in $months; do
  "$vitals" evaluate --catalogue "$norfolk" --period "$period" --store "$work/v.db" \
      --format json > "$work/$period.json" 2>"$work/err" || { cat "$work/err"; fail "evaluate $period"; }
done

python3 - "$work" $months <<'PY'
import json, sys
work, months = sys.argv[1], sys.argv[2:]
failures = []
for period in months:
    report = json.load(open(f"{work}/{period}.json", encoding="utf-8"))
    [row] = [r for r in report["indicators"] if r["indicator"] == "admissions_18_64_per_100k"]
    off = [o for o in row["outcomes"] if o["rule"] == "off_target"][0]
    exception = row["exception"]
    if "2016-04" <= period <= "2016-12":
        if exception or off["status"] != "ok":
            failures.append(f"{period}: expected within target, got {off['status']}: {off['message']}")
    if period >= "2017-01":
        if not exception or off["status"] != "exception":
            failures.append(f"{period}: expected an exception, got {off['status']}: {off['message']}")
    if period == "2017-01":
        if row.get("lifecycle", {}).get("state") != "new":
            failures.append(f"2017-01: expected a new exception, got {row.get('lifecycle')}")
        if off["message"] != "18.5 against a target of 17.4: 6.3% worse than target, tolerance 5%":
            failures.append(f"2017-01: {off['message']}")
    if period == "2016-12" and off["message"] != "16.4 against a target of 17.8: on target":
        failures.append(f"2016-12: {off['message']}")
for f in failures:
    print("FAIL:", f)
sys.exit(1 if failures else 0)
PY
echo PASS
