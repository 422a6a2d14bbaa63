# SPDX-License-Identifier: Apache-2.0
"""Embeds Vitals in a Python program through ctypes, with no plugin: reads
the Norfolk dashboard CSV itself, pushes the observations into an in-memory
store, evaluates March 2017 and prints the exceptions with their reasons.

    /usr/bin/python3 examples/python/norfolk_example.py \
        --lib build/libvitals.so --catalogue examples/norfolk [--card out.html]

Only the standard library is used (ctypes, csv, json, argparse).
"""

import argparse
import csv
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from vitals_ctypes import Vitals, VitalsError  # noqa: E402


def number(text):
    text = text.strip()
    return float(text) if text else None


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lib", default=os.environ.get("VITALS_LIBRARY", "libvitals.so"),
                        help="path of libvitals.so (default: $VITALS_LIBRARY)")
    parser.add_argument("--catalogue", required=True, help="the Norfolk catalogue directory")
    parser.add_argument("--period", default="2017-03")
    parser.add_argument("--card", help="also write the first exception's report card (HTML) here")
    args = parser.parse_args()

    vitals = Vitals(args.lib)
    print(f"libvitals {vitals.version}")
    with vitals.open_engine(store=":memory:", threads=2) as engine:
        engine.load_catalogue(args.catalogue)
        print(f"catalogue: {len(engine.indicators())} indicators")

        # The rows a council system would hand over: here, the dashboard export.
        rows = []
        with open(os.path.join(args.catalogue, "data", "dashboard.csv"), newline="",
                  encoding="utf-8-sig") as f:
            for r in csv.DictReader(f):
                rows.append((r["indicator_id"], r["period"], number(r["value"]),
                             number(r["numerator"]), number(r["denominator"]),
                             number(r["target"])))
        summary = engine.ingest("dashboard", rows)
        print(f"pushed {summary['inserted']} observations of {summary['series']} series")

        report = engine.evaluate(args.period, record_run=False)
        result = report.json()
        if not report.complete:  # never publish a partial run as a whole one
            print("INCOMPLETE RUN: results are missing:")
            for reason in report.incomplete:
                print(f"  {reason}")
        print(f"{report.exception_count} of {report.indicator_count} indicators reported by "
              f"exception for {result['period']}:")
        for e in result["exceptions"]:
            reasons = "; ".join(f"{r['criterion']}: {r['message']}" for r in e["reasons"])
            print(f"- {e['indicator']}: {reasons}")

        if args.card and result["exceptions"]:
            first = result["exceptions"][0]["indicator"]
            with open(args.card, "w", encoding="utf-8") as out:
                out.write(report.card(first, "html"))
            print(f"wrote the report card of {first} to {args.card}")

        # Errors come back as exceptions carrying the library's status and message.
        try:
            engine.evaluate("2017-13")
        except VitalsError as e:
            print(f"a bad period is refused: {e.status}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
