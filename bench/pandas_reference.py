# SPDX-License-Identifier: Apache-2.0
"""The benchmark's reference implementation of the two exception criteria
(off target, three-period deterioration) in pandas, written the way an
analyst would: vectorised, no Python loop over indicators. Semantics are those
of the shipped Lua rules (see bench/reference_plain.py for the plain reading).

    /usr/bin/python3 bench/pandas_reference.py --workload DIR --period 2025-03 \
        --out results.csv

Prints RESULT lines (seconds, peak memory) for bench/run.sh:
  pandas_read_csv_s      pandas.read_csv of the observations file alone
  pandas_criteria_s      both criteria over the DataFrame already in memory
  pandas_total_s         read_csv + indicator definitions + criteria
  pandas_peak_rss_mib    the process's peak resident memory
Needs Debian's python3-pandas (run with /usr/bin/python3).
"""

import argparse
import os
import resource
import sys
import time

import numpy as np
import pandas as pd

EPSILON = 1e-9


def month_index(periods):
    """'YYYY-MM' strings to months since January of year 0."""
    s = periods.astype(str)
    return s.str.slice(0, 4).astype(np.int32) * 12 + s.str.slice(5, 7).astype(np.int32) - 1


def read_observations(path):
    return pd.read_csv(path, dtype={"indicator_id": str, "period": str, "value": np.float64,
                                    "numerator": np.float64, "denominator": np.float64,
                                    "target": np.float64})


def evaluate(obs, meta, profile, period_month):
    obs = obs[["indicator_id", "period", "value", "target"]].copy()
    obs["month"] = month_index(obs["period"])
    obs = obs[obs["month"] <= period_month]
    valued = obs[obs["value"].notna()]

    # The latest value at or before the period, per indicator.
    latest = valued.loc[valued.groupby("indicator_id", sort=False)["month"].idxmax(),
                        ["indicator_id", "month", "value", "target"]]
    latest = latest.rename(columns={"target": "data_target"})
    df = meta.merge(latest, on="indicator_id", how="left")

    # The catalogue's target for the latest month: fixed, or the profile step in force.
    df["target"] = df["fixed_target"]
    profiled = df[df["month"].notna() & df["fixed_target"].isna()][["indicator_id", "month"]]
    if len(profiled) and len(profile):
        profiled = profiled.assign(month=profiled["month"].astype(np.int64)).sort_values("month")
        steps = profile.sort_values("from_month")
        stepped = pd.merge_asof(profiled, steps, left_on="month", right_on="from_month",
                                by="indicator_id", direction="backward")
        df = df.merge(stepped[["indicator_id", "step_target"]], on="indicator_id", how="left")
        df["target"] = df["target"].fillna(df["step_target"])
    df["target"] = df["target"].fillna(df["data_target"])

    # Off target.
    has_latest = df["month"].notna()
    bigger = df["polarity"] == "bigger"
    adverse = np.where(bigger, df["target"] - df["value"], df["value"] - df["target"])
    with np.errstate(divide="ignore", invalid="ignore"):
        variance = adverse / np.abs(df["target"]) * 100.0
    zero = df["target"] == 0.0
    red = (variance > EPSILON) & (variance >= df["red_variance_pct"] - EPSILON)
    over = variance >= df["variance_pct"] - EPSILON
    off = (over | red) & ~zero | (zero & (adverse > 0))
    df["off_target"] = np.where(~has_latest, "insufficient_data",
                                np.where(df["target"].isna(), "ok",
                                         np.where(off, "exception", "ok")))

    # Deterioration: the value for each of the run + 1 months ending at the latest.
    values = valued.set_index(["indicator_id", "month"])["value"]
    max_run = int(df["run"].max()) if len(df) else 0
    chain = []
    for back in range(max_run + 1):
        key = pd.MultiIndex.from_arrays([df["indicator_id"],
                                         df["month"].fillna(-10**6).astype(np.int64) - back])
        chain.append(values.reindex(key).to_numpy())
    run = df["run"].to_numpy()
    current = has_latest & (period_month - df["month"] <= df["allowed_lag"])
    complete = np.ones(len(df), dtype=bool)
    all_worse = np.ones(len(df), dtype=bool)
    for back in range(max_run + 1):
        in_run = back <= run
        complete &= ~in_run | ~np.isnan(chain[back])
        if back < max_run:
            newer, older = chain[back], chain[back + 1]
            worse = np.where(bigger, newer < older, newer > older)
            all_worse &= ~(back < run) | worse
    df["deterioration"] = np.where(~current | ~complete, "insufficient_data",
                                   np.where(all_worse, "exception", "ok"))
    return df.sort_values("indicator_id")[["indicator_id", "off_target", "deterioration"]]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--workload", required=True)
    parser.add_argument("--period", required=True)
    parser.add_argument("--out", required=True)
    args = parser.parse_args()
    period_month = int(args.period[:4]) * 12 + int(args.period[5:7]) - 1
    data = os.path.join(args.workload, "catalogue", "data", "observations.csv")

    start = time.perf_counter()
    obs = read_observations(data)
    read_s = time.perf_counter() - start
    print(f"pandas.read_csv: {len(obs)} rows in {read_s:.2f} s ({len(obs) / read_s:,.0f} rows/s)")

    meta = pd.read_csv(os.path.join(args.workload, "reference", "indicators.csv"),
                       dtype={"indicator_id": str, "polarity": str})
    profile = pd.read_csv(os.path.join(args.workload, "reference", "target_profile.csv"),
                          dtype={"indicator_id": str, "from_period": str})
    profile["from_month"] = month_index(profile["from_period"]).astype(np.int64)
    profile = profile.rename(columns={"target": "step_target"})[
        ["indicator_id", "from_month", "step_target"]]

    start = time.perf_counter()
    result = evaluate(obs, meta, profile, period_month)
    criteria_s = time.perf_counter() - start
    total_s = time.perf_counter() - start + read_s
    result.to_csv(args.out, index=False)
    exceptions = ((result["off_target"] == "exception") |
                  (result["deterioration"] == "exception")).sum()
    print(f"pandas criteria: {len(result)} indicators, {exceptions} exceptions in "
          f"{criteria_s:.2f} s")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0
    for name, value, unit in [("pandas_read_csv_s", read_s, "s"),
                              ("pandas_read_csv_rows_per_s", len(obs) / read_s, "rows/s"),
                              ("pandas_criteria_s", criteria_s, "s"),
                              ("pandas_total_s", total_s, "s"),
                              ("pandas_peak_rss_mib", peak, "MiB")]:
        print(f"RESULT {name} {value} {unit}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
