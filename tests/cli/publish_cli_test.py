#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Runs every command of docs/publishing.md with the vitals command.

Each `sh` block's commands run in order in a fresh folder (with examples/
and rules/ linked in); a plain block right after one is what the command prints:
its stdout, or, when it starts with "vitals:", its stderr and exit code 2.
Then the site the doc describes is checked: the files it lists, the CSV
columns it names, the landing pages, and that the refused publication and
the second site's earlier publication were left as they were.

Usage: publish_cli_test.py VITALS_BINARY SOURCE_DIR WORK_DIR
"""
import csv
import hashlib
import io
import shutil
import subprocess
import sys
from pathlib import Path

vitals, src, work = sys.argv[1], Path(sys.argv[2]), Path(sys.argv[3])
sys.path.insert(0, str(src / "tests" / "support"))
from norfolk_example import is_standing_warning  # noqa: E402
shutil.rmtree(work, ignore_errors=True)
work.mkdir(parents=True)
(work / "examples").symlink_to(src / "examples")
(work / "rules").symlink_to(src / "rules")  # the example's rule_dirs, ../../rules
doc = (src / "docs" / "publishing.md").read_text(encoding="utf-8")
failures = []


def code_blocks(text):
    """The fenced code blocks of `text`, in order, as (info string, text)."""
    found, current, info = [], None, None
    for line in text.splitlines():
        if line.startswith("```"):
            if current is None:
                current, info = [], line[3:].strip()
            else:
                found.append((info, "\n".join(current) + "\n"))
                current = None
        elif current is not None:
            current.append(line)
    return found


def tree(folder):
    """Every file under `folder`: relative path -> sha256."""
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


blocks = code_blocks(doc)
commands = 0
snapshots = {}
for i, (info, text) in enumerate(blocks):
    if info != "sh":
        continue
    following = blocks[i + 1] if i + 1 < len(blocks) and blocks[i + 1][0] == "" else None
    lines = [line for line in text.splitlines() if line.startswith("vitals ")]
    for n, line in enumerate(lines):
        args = line.split()[1:]
        out = args[args.index("--out") + 1]
        before = tree(work / out) if (work / out).exists() else None
        if "site2" == out and "2016/17-Q4" in args:
            snapshots["site2/2017-02"] = tree(work / "site2" / "2017-02")
        done = subprocess.run([vitals, *args], capture_output=True, text=True, cwd=work)
        commands += 1
        last = n == len(lines) - 1
        refused = last and following is not None and following[1].startswith("vitals:")
        if refused:
            # The example's standing warning is printed before the refusal;
            # the doc shows the refusal.
            said = "".join(line for line in done.stderr.splitlines(True)
                           if not is_standing_warning(line))
            if done.returncode != 2 or said != following[1]:
                failures.append(f"{line}: exited {done.returncode}, printed {done.stderr!r}, "
                                f"the doc shows {following[1]!r}")
            if tree(work / out) != before:
                failures.append(f"{line}: the refused publication changed files in {out}")
            continue
        if done.returncode != 0:
            failures.append(f"{line}: exited {done.returncode}: {done.stderr}")
        if last and following is not None and done.stdout != following[1]:
            failures.append(f"{line}: printed {done.stdout!r}, the doc shows {following[1]!r}")

if failures:
    print("\n".join(failures))
    sys.exit(1)
if commands != 5:
    failures.append(f"expected the doc's 5 commands, ran {commands}")

# The files the doc lists.
listing = next(text for info, text in blocks if info == "" and text.startswith("site/index.html"))
for line in listing.splitlines():
    path = line.split()[0].replace("<id>", "admissions_65_plus_per_100k")
    if not (work / path).is_file():
        failures.append(f"publishing.md lists {path}, which was not written")
pages = list((work / "site" / "2016-17-q4" / "indicators").glob("*.html"))
if len(pages) != 15:
    failures.append(f"expected 15 indicator pages, found {len(pages)}")
# A card shows the committee's previous decision from the example's meeting files.
dtoc = (work / "site" / "2016-17-q4" / "indicators" / "dtoc_social_care_per_100k.html")
dtoc = dtoc.read_text(encoding="utf-8") if dtoc.is_file() else ""
if "The committee's previous decision" not in dtoc or "6 March 2017: <strong>Approve actions</strong>" not in dtoc:
    failures.append("the delayed transfers page does not show the committee's decision of 6 March 2017")

# The CSV columns the doc names, and one row per vital sign in the dashboard.
downloads = work / "site" / "2016-17-q4" / "downloads"
series = list(csv.reader(io.StringIO((downloads / "series.csv").read_text(encoding="utf-8-sig"))))
for column in series[0]:
    if f"`{column}`" not in doc:
        failures.append(f"series.csv column {column} is not in publishing.md")
dashboard = list(csv.reader(io.StringIO((downloads / "dashboard.csv").read_text(encoding="utf-8-sig"))))
if len(dashboard) != 16:
    failures.append(f"dashboard.csv has {len(dashboard)} rows, expected a header and 15")
if sum(1 for row in dashboard[1:] if row[dashboard[0].index("exception")] == "yes") != 5:
    failures.append("dashboard.csv does not mark the five exceptions")

# The landing pages; the second site's February publication untouched by Q4's.
landing = (work / "site2" / "index.html").read_text(encoding="utf-8")
q4, feb = landing.find('href="2016-17-q4/index.html"'), landing.find('href="2017-02/index.html"')
if q4 < 0 or feb < 0 or q4 > feb:
    failures.append("site2/index.html does not list Q4 2016/17 before Feb 2017")
if tree(work / "site2" / "2017-02") != snapshots.get("site2/2017-02"):
    failures.append("publishing Q4 2016/17 changed the Feb 2017 publication")

# Usage errors.
done = subprocess.run([vitals, "publish", "--catalogue", "examples/norfolk", "--period", "2017-03"],
                      capture_output=True, text=True, cwd=work)
if done.returncode != 2 or "--out" not in done.stderr:
    failures.append(f"publish without --out: exited {done.returncode}: {done.stderr}")
done = subprocess.run([vitals, "publish", "--help"], capture_output=True, text=True, cwd=work)
if done.returncode != 0 or "--replace" not in done.stdout:
    failures.append(f"publish --help: exited {done.returncode}: {done.stdout}")

if failures:
    print("\n".join(failures))
    sys.exit(1)
print(f"publishing.md: {commands} commands run, the site checked")
