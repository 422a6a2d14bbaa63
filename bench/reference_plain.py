# SPDX-License-Identifier: Apache-2.0
"""The two exception criteria of the benchmark in plain Python (standard
library only), for the smoke test on small workloads: the same semantics as
bench/pandas_reference.py and as the shipped Lua rules.

    python3 bench/reference_plain.py --workload DIR --period 2025-03 --out results.csv

Criteria (docs/rule-authoring.md):
  off_target     latest value at or before the period vs the target in force
                 for its month (catalogue target, else the one in the data):
                 exception when the adverse variance reaches the rule's
                 threshold (variance_pct) or the indicator's red tolerance.
  deterioration  the latest `run` period-on-period changes all worse, judged
                 only on current data (within allowed_lag) and only with a
                 value for each of the run + 1 periods.
"""

import argparse
import csv
import os
import sys

EPSILON = 1e-9


def month_index(period):
    return int(period[:4]) * 12 + int(period[5:7]) - 1


def load_meta(workload):
    meta = {}
    with open(os.path.join(workload, "reference", "indicators.csv"), newline="") as f:
        for r in csv.DictReader(f):
            meta[r["indicator_id"]] = {
                "bigger": r["polarity"] == "bigger",
                "red": float(r["red_variance_pct"]),
                "lag": int(r["allowed_lag"]),
                "threshold": float(r["variance_pct"]),
                "run": int(r["run"]),
                "fixed": float(r["fixed_target"]) if r["fixed_target"] else None,
                "profile": [],
            }
    with open(os.path.join(workload, "reference", "target_profile.csv"), newline="") as f:
        for r in csv.DictReader(f):
            meta[r["indicator_id"]]["profile"].append((month_index(r["from_period"]),
                                                       float(r["target"])))
    for m in meta.values():
        m["profile"].sort()
    return meta


def catalogue_target(m, month):
    if m["fixed"] is not None:
        return m["fixed"]
    in_force = None
    for start, value in m["profile"]:
        if start > month:
            break
        in_force = value
    return in_force


def off_target(m, latest):
    if latest is None:
        return "insufficient_data"
    month, value, data_target = latest
    target = catalogue_target(m, month)
    if target is None:
        target = data_target
    if target is None:
        return "ok"
    adverse = target - value if m["bigger"] else value - target
    if target == 0.0:
        return "exception" if adverse > 0 else "ok"
    variance = adverse / abs(target) * 100.0
    red = variance > EPSILON and variance >= m["red"] - EPSILON
    over = variance >= m["threshold"] - EPSILON
    return "exception" if over or red else "ok"


def deterioration(m, latest, values, period_month):
    if latest is None:
        return "insufficient_data"
    if period_month - latest[0] > m["lag"]:
        return "insufficient_data"
    run = m["run"]
    chain = []
    for back in range(run + 1):
        v = values.get(latest[0] - back)
        if v is None:
            return "insufficient_data"
        chain.append(v)  # newest first
    for k in range(run):
        new, old = chain[k], chain[k + 1]
        worse = new < old if m["bigger"] else new > old
        if not worse:
            return "ok"
    return "exception"


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--workload", required=True)
    parser.add_argument("--period", required=True)
    parser.add_argument("--out", required=True)
    args = parser.parse_args()
    period_month = month_index(args.period)
    meta = load_meta(args.workload)

    series = {}  # id -> {month: (value or None, data target or None)}
    path = os.path.join(args.workload, "catalogue", "data", "observations.csv")
    with open(path, newline="") as f:
        for r in csv.DictReader(f):
            month = month_index(r["period"])
            if month > period_month:
                continue
            value = float(r["value"]) if r["value"] else None
            target = float(r["target"]) if r["target"] else None
            series.setdefault(r["indicator_id"], {})[month] = (value, target)

    with open(args.out, "w", newline="") as out:
        out.write("indicator_id,off_target,deterioration\n")
        for indicator_id in sorted(meta):
            points = series.get(indicator_id, {})
            values = {mo: v for mo, (v, _) in points.items() if v is not None}
            latest = None
            if values:
                month = max(values)
                latest = (month, values[month], points[month][1])
            m = meta[indicator_id]
            out.write(f"{indicator_id},{off_target(m, latest)},"
                      f"{deterioration(m, latest, values, period_month)}\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
