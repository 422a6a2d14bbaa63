#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Runs docs/periods.md: every row of its table of period forms, and every error it shows.

Each row becomes a catalogue whose csv source declares the row's period_form and
writes the row's text; `vitals evaluate` must read it as the row's period, with
the csv plugin in-process and in its own process (isolation = "process"). The
error blocks are what `vitals check` and `vitals evaluate` print for the
catalogues and data they describe.

Usage: period_forms_test.py VITALS_BINARY SOURCE_DIR WORK_DIR
"""
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

vitals, src, work = sys.argv[1], Path(sys.argv[2]), Path(sys.argv[3])
work.mkdir(parents=True, exist_ok=True)
doc_path = src / "docs" / "periods.md"
doc = doc_path.read_text(encoding="utf-8")
failures = []


def run(*args):
    return subprocess.run([vitals, *args], capture_output=True, text=True, cwd=work)


def code_blocks(lang):
    return re.findall(r"^```" + lang + r"\n(.*?)^```$", doc, re.S | re.M)


def make_catalogue(source_toml, indicator_id, frequency, rows, extra_source=""):
    """my_catalogue/ with the source, one indicator reading it and data/returns.csv."""
    cat = work / "my_catalogue"
    shutil.rmtree(cat, ignore_errors=True)
    (cat / "indicators").mkdir(parents=True)
    (cat / "data").mkdir()
    (cat / "catalogue.toml").write_text(
        '[catalogue]\nname = "Periods"\n\n# The source, as docs/periods.md declares it.\n\n'
        + source_toml + extra_source, encoding="utf-8")
    (cat / "indicators" / f"{indicator_id}.toml").write_text(
        f'[[indicator]]\nid = "{indicator_id}"\ntitle = "A measure"\npolarity = "bigger"\n'
        f'unit = "number"\nfrequency = "{frequency}"\ntarget = 3\nsource = "returns"\n',
        encoding="utf-8")
    lines = ["indicator_id,period,value"] + [f"{indicator_id},{p},{v}" for p, v in rows]
    (cat / "data" / "returns.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return cat


# The declaration the doc shows, with the form of each row swapped in.
declaration = code_blocks("toml")[0]
if 'period_form = "financial_quarter"' not in declaration:
    failures.append("periods.md: the first toml block no longer declares period_form")

table = re.findall(r"^\| `([a-z_]+)` \| `([^`]+)` \| `([^`]+)` \| ([a-z_]+) \|$", doc, re.M)
if len(table) < 15:
    failures.append(f"periods.md: only {len(table)} rows of the forms table were found")
for form, written, meant, frequency in table:
    for isolation in ["none", "process"]:
        source = declaration.replace('"financial_quarter"', f'"{form}"')
        source += f'isolation = "{isolation}"\n'
        make_catalogue(source, "measure", frequency, [(written, 4)])
        done = run("evaluate", "--catalogue", "my_catalogue", "--period", meant, "--store",
                   str(work / f"{form}.db"), "--format", "json")
        what = f"periods.md: {form} {written!r} (isolation {isolation})"
        if done.returncode != 0:
            failures.append(f"{what}: exit {done.returncode}: {done.stderr}")
            continue
        result = json.loads(done.stdout)
        got = [r["period"] for r in result["indicators"]]
        if [r["frequency"] for r in result["indicators"]] != [frequency]:
            failures.append(f"{what}: the JSON gives the frequency as "
                            f"{[r['frequency'] for r in result['indicators']]}")
        if got != [meant] or not result["complete"]:
            failures.append(f"{what}: read as {got}, complete {result['complete']}, "
                            f"the doc says {meant}; {result['incomplete']}")
        (work / f"{form}.db").unlink(missing_ok=True)

# The error examples, in order: a period no indicator is reported at (the
# Norfolk example's monthly indicators evaluated for a financial year), a
# misspelt form, a form that contradicts the indicator, a bad period in the
# data (in-process and isolated alike).
errors = code_blocks("text")
if len(errors) != 4:
    failures.append(f"periods.md: expected 4 error examples, found {len(errors)}")
else:
    refused, misspelt, mismatch, bad_data = (e.strip() for e in errors)
    done = run("evaluate", "--catalogue", str(src / "examples" / "norfolk"), "--period", "2016/17",
               "--store", str(work / "refused.db"))
    if done.returncode != 2 or done.stderr.strip() != refused:
        failures.append(f"periods.md: period of another frequency: exit {done.returncode}, "
                        f"vitals printed\n{done.stderr}")
    errors = errors[1:]
    make_catalogue(declaration.replace('"financial_quarter"', '"financial_quarters"'),
                   "delayed_transfers", "financial_quarterly", [("2017/18-Q1", 4)])
    done = run("check", "--catalogue", "my_catalogue")
    if done.returncode == 0 or misspelt not in done.stderr.splitlines():
        failures.append(f"periods.md: misspelt form: vitals check printed\n{done.stderr}")

    make_catalogue(declaration.replace('"financial_quarter"', '"month_name"'),
                   "delayed_transfers", "financial_quarterly", [("Mar-17", 4)])
    done = run("check", "--catalogue", "my_catalogue")
    if done.returncode == 0 or mismatch not in done.stderr.splitlines():
        failures.append(f"periods.md: contradicting form: vitals check printed\n{done.stderr}")

    for isolation in ["none", "process"]:
        make_catalogue(declaration + f'isolation = "{isolation}"\n', "delayed_transfers",
                       "financial_quarterly", [("Q1 2017/18", 4), ("Q5 2017/18", 5)])
        store = work / "bad.db"
        store.unlink(missing_ok=True)
        done = run("evaluate", "--catalogue", "my_catalogue", "--period", "2017/18-Q1",
                   "--store", str(store), "--format", "json")
        printed = done.stderr.replace(str(work) + "/", "").splitlines()
        if any(line not in printed for line in bad_data.splitlines()):
            failures.append(f"periods.md: bad period (isolation {isolation}): vitals printed\n"
                            f"{done.stderr}")
        elif done.returncode == 0 or json.loads(done.stdout)["complete"]:
            failures.append(f"periods.md: bad period (isolation {isolation}): the run is "
                            f"complete (exit {done.returncode})")

# Every form the catalogue accepts is in the doc, and no other.
documented = {form for form, *_ in table}
for name in re.findall(r"'([a-z_]+)'", errors[0] if errors else ""):
    if name not in documented and name != "financial_quarters":
        failures.append(f"periods.md: form '{name}' has no example in the table")

for f in failures:
    print("FAIL:", f)
sys.exit(1 if failures else 0)
