# SPDX-License-Identifier: Apache-2.0
"""Compares two benchmark result files (indicator_id,off_target,deterioration)
and exits non-zero, listing the first differences, unless they are equal.

    python3 bench/compare_results.py ours.csv reference.csv
"""

import csv
import sys


def load(path):
    with open(path, newline="") as f:
        return {r["indicator_id"]: (r["off_target"], r["deterioration"]) for r in csv.DictReader(f)}


def main():
    ours, reference = load(sys.argv[1]), load(sys.argv[2])
    differences = []
    for indicator_id in sorted(set(ours) | set(reference)):
        a, b = ours.get(indicator_id), reference.get(indicator_id)
        if a != b:
            differences.append(f"  {indicator_id}: ours {a}, reference {b}")
    if differences:
        print(f"{len(differences)} of {len(reference)} indicators differ between "
              f"{sys.argv[1]} and {sys.argv[2]}:")
        print("\n".join(differences[:20]))
        return 1
    exceptions = sum(1 for v in ours.values() if "exception" in v)
    print(f"identical: {len(ours)} indicators, {exceptions} exceptions "
          f"({sys.argv[1]} = {sys.argv[2]})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
