#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Runs docs/derived.md's worked example end to end with the vitals command.

The example's catalogue, indicators and data are the doc's code blocks. The
test checks that `vitals check` accepts it, that `vitals evaluate` gives the
derived percentage and rate the doc shows (with numerators and denominators)
and the warning it shows, that a restated input revises the derived value,
that the doc's SQL and `vitals explain` show the provenance it prints, and that the doc's
`vitals check` error is what Vitals prints for the misspelt input.

Usage: derived_cli_test.py VITALS_BINARY SOURCE_DIR WORK_DIR
"""
import datetime
import json
import re
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

vitals, src, work = sys.argv[1], Path(sys.argv[2]), Path(sys.argv[3])
shutil.rmtree(work, ignore_errors=True)
work.mkdir(parents=True)
doc = (src / "docs" / "derived.md").read_text(encoding="utf-8")
failures = []


def run(*args):
    return subprocess.run([vitals, *args], capture_output=True, text=True, cwd=work)


def blocks(lang, text=doc):
    """The fenced code blocks of `text` whose info string is `lang`, in order."""
    found, current, info = [], None, None
    for line in text.splitlines():
        if line.startswith("```"):
            if current is None:
                current, info = [], line[3:].strip()
            else:
                if info == lang:
                    found.append("\n".join(current) + "\n")
                current = None
        elif current is not None:
            current.append(line)
    return found


toml, csv, plain = blocks("toml"), blocks("csv"), blocks("")
catalogue_toml = next(b for b in toml if b.startswith("[catalogue]"))
indicators_toml = next(b for b in toml if 'id = "carers_assessed"' in b)
dashboard_csv, population_csv = csv[0], csv[1]

cat = work / "my_catalogue"
(cat / "indicators").mkdir(parents=True)
(cat / "data").mkdir()
(cat / "catalogue.toml").write_text(catalogue_toml, encoding="utf-8")
(cat / "indicators" / "carers.toml").write_text(indicators_toml, encoding="utf-8")
(cat / "data" / "dashboard.csv").write_text(dashboard_csv, encoding="utf-8")
(cat / "data" / "population.csv").write_text(population_csv, encoding="utf-8")

# vitals check: nothing wrong.
done = run("check", "--catalogue", "my_catalogue")
if done.returncode != 0:
    failures.append(f"vitals check of the example exited {done.returncode}: {done.stdout}{done.stderr}")

# vitals evaluate, as the doc says; the JSON holds the lines the doc shows.
command = next(b for b in plain if b.startswith("vitals evaluate")).split()
done = run(*command[1:])
if done.returncode != 0:
    failures.append(f"{' '.join(command)} exited {done.returncode}: {done.stderr}")
    print("\n".join(failures))
    sys.exit(1)
report = json.loads(done.stdout)
by_id = {r["indicator"]: r for r in report["indicators"]}
expected = [json.loads(line) for line in blocks("json")[0].splitlines() if line.strip()]
for want in expected:
    got = by_id.get(want["indicator"], {})
    for key in ["value", "numerator", "denominator"]:
        if got.get(key) != want[key]:
            failures.append(f"derived.md: {want['indicator']} {key} is {got.get(key)}, "
                            f"the doc says {want[key]}")
if not report["complete"]:
    failures.append(f"the example's report is incomplete: {report['incomplete']}")

# The warning the doc shows is in the evaluation's diagnostics.
warning = next(b for b in plain if "[data.derived_missing]" in b).strip()
shown = [d for d in report["diagnostics"] if d["code"] == "data.derived_missing"]
if len(shown) != 1:
    failures.append(f"expected one data.derived_missing diagnostic, got {shown}")
else:
    d = shown[0]
    line = (f"{d['file']}:{d['line']}:{d['column']}: "
            f"{d['severity']}: {d['message']} [{d['code']}]")
    if line != warning:
        failures.append(f"derived.md shows\n  {warning}\nVitals says\n  {line}")

# A restated input revises the derived value; the old one stays as history.
(cat / "data" / "dashboard.csv").write_text(
    dashboard_csv.replace("carers_assessed,2017-03,60", "carers_assessed,2017-03,64"),
    encoding="utf-8")
done = run(*command[1:])
revised = {r["indicator"]: r for r in json.loads(done.stdout)["indicators"]}
if revised["carers_assessed_pct"]["value"] != 80:
    failures.append(f"after the restatement the percentage is "
                    f"{revised['carers_assessed_pct']['value']}, the doc says 80")
db = sqlite3.connect(work / "vitals.db")
history = db.execute(
    "SELECT value FROM observations WHERE source = 'vitals:derived'"
    " AND series = 'carers_assessed_pct' AND period = '2017-03' ORDER BY block_id").fetchall()
if [v for (v,) in history] != [75, 80]:
    failures.append(f"the stored revisions of the percentage are {history}, expected 75 then 80")

# The doc's provenance query prints what the doc shows.
query = blocks("sql")[0]
rows = "\n".join("|".join(str(c) for c in row) for row in db.execute(query).fetchall())
shown_rows = next(b for b in plain if b.startswith("2017-03|")).strip()
if rows != shown_rows:
    failures.append(f"derived.md's query shows\n{shown_rows}\nthe store gives\n{rows}")
times = db.execute(
    "SELECT d.input_ingested_at = o.ingested_at FROM derived_inputs d JOIN observations o"
    " ON o.source = d.input_source AND o.series = d.input_series AND o.period = d.input_period"
    " WHERE d.series = 'carers_assessed_pct' AND d.period = '2017-03' AND o.superseded_at IS NULL"
    " AND d.ingested_at = (SELECT max(ingested_at) FROM derived_inputs"
    " WHERE series = 'carers_assessed_pct' AND period = '2017-03')").fetchall()
if times != [(1,), (1,)]:
    failures.append(f"the latest percentage's inputs are not the current revisions: {times}")
db.close()

# vitals explain lists the stored inputs of the latest value, as the doc shows
# (the ingest times differ: they are checked against the store instead).
command = next(b for b in plain if b.startswith("vitals explain")).split()
done = run(*command[1:])
shown = next(b for b in plain if b.startswith("Derived (")).strip().splitlines()
said = done.stdout.strip().splitlines()
stamp = re.compile(r"stored \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC$")
if done.returncode != 0 or len(said) < len(shown):
    failures.append(f"{' '.join(command)} exited {done.returncode}: {done.stdout}{done.stderr}")
else:
    tail = said[-len(shown):]
    if [stamp.sub("stored T", l) for l in tail] != [stamp.sub("stored T", l) for l in shown]:
        failures.append(f"derived.md shows\n{chr(10).join(shown)}\nvitals explain says\n"
                        f"{chr(10).join(tail)}")
    db = sqlite3.connect(work / "vitals.db")
    stored = sorted(datetime.datetime.fromtimestamp(t, datetime.timezone.utc)
                    .strftime("stored %Y-%m-%d %H:%M:%S UTC")
                    for (t,) in db.execute(
                        "SELECT ingested_at FROM observations WHERE source = 'dashboard'"
                        " AND series IN ('carers_assessed', 'carers_known')"
                        " AND period = '2017-03' AND superseded_at IS NULL"
                        " ORDER BY series").fetchall())
    db.close()
    if sorted(l[l.index("stored "):] for l in tail[1:]) != stored:
        failures.append(f"vitals explain's input times {tail} are not the stored ones {stored}")

# The error the doc shows, for the misspelt numerator.
error = next(b for b in plain if "[config.unknown_reference]" in b).strip()
(cat / "indicators" / "carers.toml").write_text(
    indicators_toml.replace('numerator = "carers_assessed"', 'numerator = "carers_asessed"'),
    encoding="utf-8")
done = run("check", "--catalogue", "my_catalogue")
if done.returncode == 0 or error not in (done.stdout + done.stderr).splitlines():
    failures.append(f"derived.md shows\n  {error}\nvitals check printed (exit {done.returncode})\n"
                    f"{done.stdout}{done.stderr}")

# indicator-format.md's one-line example is the worked example's.
fmt = (src / "docs" / "indicator-format.md").read_text(encoding="utf-8")
for block in blocks("toml", fmt):
    line = block.strip()
    if line.startswith("derived = ") and line not in indicators_toml.splitlines():
        failures.append(f"indicator-format.md's example {line!r} is not derived.md's")
if "derived = {" not in fmt:
    failures.append("indicator-format.md no longer shows a derived table")

if failures:
    print("\n".join(failures))
    sys.exit(1)
print("derived.md: worked example, revision, provenance and error checked")
