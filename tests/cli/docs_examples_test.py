#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Checks that the output examples in the README and docs are what Vitals prints.

Usage: docs_examples_test.py VITALS_BINARY SOURCE_DIR WORK_DIR
"""
import json
import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

vitals, src, work = sys.argv[1], Path(sys.argv[2]), Path(sys.argv[3])
work.mkdir(parents=True, exist_ok=True)
failures = []


def run(*args):
    done = subprocess.run([vitals, *args], capture_output=True, text=True, cwd=work)
    if done.returncode != 0:
        failures.append(f"vitals {' '.join(args)} exited {done.returncode}: {done.stderr}")
    return done.stdout


def all_code_blocks(path):
    """The fenced code blocks of a Markdown file, in order, as (info string, text)."""
    blocks, current, info = [], None, None
    for line in (src / path).read_text(encoding="utf-8").splitlines():
        if line.startswith("```"):
            if current is None:
                current, info = [], line[3:].strip()
            else:
                blocks.append((info, "\n".join(current) + "\n"))
                current = None
        elif current is not None:
            current.append(line)
    return blocks


def code_blocks(path, lang=""):
    """The fenced code blocks of a Markdown file whose info string is `lang`."""
    return [text for info, text in all_code_blocks(path) if info == lang]


norfolk = str(src / "examples" / "norfolk")
store = str(work / "docs.db")
summary = run("evaluate", "--catalogue", norfolk, "--period", "2017-03", "--store", store)
result = json.loads(run("evaluate", "--catalogue", norfolk, "--period", "2017-03", "--store",
                        store, "--format", "json", "--no-ingest"))

# Sample summaries: every line shown (but the "..." elision) is printed as shown.
for doc in ["README.md", "docs/getting-started.md"]:
    samples = [b for b in code_blocks(doc) if "reported as exceptions on this occasion" in b]
    if not samples:
        failures.append(f"{doc}: no sample summary found")
    for block in samples:
        for line in block.splitlines():
            if line.strip() and line.strip() != "..." and line not in summary.splitlines():
                failures.append(f"{doc}: sample line not in the output: {line!r}")

# The JSON example: its exception entry matches the real one field by field.
example = json.loads(code_blocks("docs/report-format.md", "json")[0])
for key in ["format", "catalogue", "committee", "period", "complete", "incomplete"]:
    if example[key] != result[key]:
        failures.append(f"report-format.md: {key} is {result[key]!r}, the doc says {example[key]!r}")
actual = {e["indicator"]: e for e in result["exceptions"]}
for shown in example["exceptions"]:
    real = actual.get(shown["indicator"])
    if real is None:
        failures.append(f"report-format.md: {shown['indicator']} is not an exception")
    elif real != shown:
        failures.append(f"report-format.md: the entry for {shown['indicator']} differs:\n"
                        f"doc:    {json.dumps(shown, ensure_ascii=False)}\n"
                        f"actual: {json.dumps(real, ensure_ascii=False)}")

# A store cut to nothing is refused with the message getting-started.md shows.
(work / "out").mkdir(exist_ok=True)
(work / "out" / "norfolk.db").write_bytes(b"")
refused = subprocess.run([vitals, "ingest", "--catalogue", norfolk, "--store", "out/norfolk.db"],
                         capture_output=True, text=True, cwd=work)
shown = [b for b in code_blocks("docs/getting-started.md") if "is not a Vitals store" in b]
if refused.returncode == 0 or not shown or refused.stderr != shown[0]:
    failures.append(f"getting-started.md: an empty store gives\n{refused.stderr}the doc says\n"
                    f"{shown[0] if shown else '(no example)'}")

# A source path out of the catalogue folder is refused as indicator-format.md
# shows (the example's catalogue lives in /srv/asc and reads /etc/shadow).
outside = work / "asc"
shutil.rmtree(outside, ignore_errors=True)
shutil.copytree(norfolk, outside)
toml = (outside / "catalogue.toml").read_text(encoding="utf-8")
toml = toml.replace('rule_dirs = ["../../rules/council"]', f'rule_dirs = ["{src}/rules/council"]')
# As many '..' as lead from this folder to /etc/shadow.
climb = os.path.relpath("/etc/shadow", outside)
toml = toml.replace('path = "data/dashboard.csv"', f'path = "{climb}"')
(outside / "catalogue.toml").write_text(toml, encoding="utf-8")
leaked = subprocess.run([vitals, "ingest", "--catalogue", str(outside), "--store", "paths.db"],
                        capture_output=True, text=True, cwd=work)
doc_line = [line.strip() for line in (src / "docs/indicator-format.md").read_text(
    encoding="utf-8").splitlines() if "leads to /etc/shadow" in line]
expected = doc_line[0].replace("/srv/asc", str(outside)) if doc_line else "(no example)"
expected = expected.replace("../../../../etc/shadow", climb)
expected = expected.replace("catalogue.toml:9:1", f"catalogue.toml:{toml.splitlines().index('[sources.dashboard]') + 1}:1")
if expected not in leaked.stderr or "root:" in leaked.stderr:
    failures.append(f"indicator-format.md: a path out of the catalogue gives\n{leaked.stderr}"
                    f"the doc says\n{expected}")

# SQL examples: each query, run on the store, prints the text block after it
# as the sqlite3 command does (columns separated by "|", NULL empty).
blocks = all_code_blocks("docs/getting-started.md")
queries = [i for i, (info, _) in enumerate(blocks) if info == "sql"]
if not queries:
    failures.append("getting-started.md: no SQL example found")
for i in queries:
    query, shown = blocks[i][1], blocks[i + 1][1] if i + 1 < len(blocks) else ""
    with sqlite3.connect(f"file:{store}?mode=ro", uri=True) as db:
        rows = db.execute(query).fetchall()
    printed = "".join("|".join("" if v is None else str(v) for v in row) + "\n" for row in rows)
    if printed != shown:
        failures.append(f"getting-started.md: the query prints\n{printed}the doc says\n{shown}")

# comparators.md: its file sample is the start of the Norfolk example's file,
# its catalogue blocks are in the example's catalogue.toml (but the last,
# which switches the benchmark rule on and is run below), and its figures are
# in the example's JSON report.
comparators_doc = "docs/comparators.md"
norfolk_catalogue = (src / "examples/norfolk/catalogue.toml").read_text(encoding="utf-8")
national = (src / "examples/norfolk/data/ascof_2015_16_all_councils.csv").read_text(encoding="utf-8")
for block in code_blocks(comparators_doc, "csv"):
    if not national.startswith(block):
        failures.append(f"{comparators_doc}: the file sample is not how the Norfolk file starts:\n{block}")
toml_blocks = code_blocks(comparators_doc, "toml")
if len(toml_blocks) != 3:
    failures.append(f"{comparators_doc}: expected 3 toml blocks, found {len(toml_blocks)}")
for block in toml_blocks[:-1]:
    if block not in norfolk_catalogue:
        failures.append(f"{comparators_doc}: not in examples/norfolk/catalogue.toml:\n{block}")
with_comparators = {r["indicator"]: r["comparators"] for r in result["indicators"] if r["comparators"]}
if sorted(with_comparators) != sorted(["ld_paid_employment_pct", "admissions_18_64_per_100k",
                                       "admissions_65_plus_per_100k", "home_91_days_after_reablement",
                                       "reablement_no_ongoing_service"]):
    failures.append(f"{comparators_doc}: the Norfolk report has comparators for {sorted(with_comparators)}")
# The benchmark rule switched on as the doc shows: its example message is the one printed.
bench_catalogue = work / "norfolk-benchmark"
if bench_catalogue.exists():
    shutil.rmtree(bench_catalogue)
shutil.copytree(src / "examples/norfolk", bench_catalogue)
switch_on = toml_blocks[-1] if toml_blocks else ""
rules_line = 'rule_dirs = ["../../rules/council"]'
text = norfolk_catalogue.replace(rules_line, f'rule_dirs = ["{src}/rules/council", "{src}/rules/benchmark"]')
text = text.replace("[rules.deterioration]", switch_on.split("\n", 2)[2] + "\n[rules.deterioration]")
(bench_catalogue / "catalogue.toml").write_text(text, encoding="utf-8")
bench = json.loads(run("evaluate", "--catalogue", str(bench_catalogue), "--period", "2017-03",
                       "--store", str(work / "bench.db"), "--format", "json"))
messages = [o["message"] for r in bench["indicators"] for o in r["outcomes"] if o["rule"] == "benchmark"]
doc_text = (src / comparators_doc).read_text(encoding="utf-8")
quoted = doc_text.split('Its message reads, for example, "', 1)[1].split('"', 1)[0]
if " ".join(quoted.split()) not in messages:
    failures.append(f"{comparators_doc}: the benchmark rule does not say {quoted!r}; it says {messages}")
# ... and the summary names its criterion with the rule's label, as the doc shows.
bench_summary = run("evaluate", "--catalogue", str(bench_catalogue), "--period", "2017-03",
                    "--store", str(work / "bench.db"), "--no-ingest")
brackets = " ".join(doc_text.split()).split('the summary names the criterion "worse than comparators" ("', 1)
shown_brackets = brackets[1].split('")', 1)[0] if len(brackets) == 2 else "(no example)"
if shown_brackets not in bench_summary:
    failures.append(f"{comparators_doc}: the summary does not show {shown_brackets!r}:\n{bench_summary}")

# indicator-format.md: [report] reasons = "first" gives the first criterion
# alone in the brackets, as the doc says, while the JSON keeps every reason.
first_catalogue = work / "norfolk-first-reason"
if first_catalogue.exists():
    shutil.rmtree(first_catalogue)
shutil.copytree(src / "examples/norfolk", first_catalogue)
text = norfolk_catalogue.replace(rules_line, f'rule_dirs = ["{src}/rules/council"]')
text = text.replace("[report]\n", '[report]\nreasons = "first"\n', 1)
(first_catalogue / "catalogue.toml").write_text(text, encoding="utf-8")
first_store = str(work / "first.db")
first_summary = run("evaluate", "--catalogue", str(first_catalogue), "--period", "2017-03",
                    "--store", first_store)
dtoc_lines = [line for line in first_summary.splitlines() if "days delay in transfers of care" in line]
if not dtoc_lines or not dtoc_lines[0].endswith("(off target)"):
    failures.append(f"indicator-format.md: with reasons = \"first\" the summary reads {dtoc_lines}")
first_json = json.loads(run("evaluate", "--catalogue", str(first_catalogue), "--period", "2017-03",
                            "--store", first_store, "--format", "json", "--no-ingest"))
dtoc = [e for e in first_json["exceptions"] if e["indicator"] == "dtoc_social_care_per_100k"]
if not dtoc or len(dtoc[0]["reasons"]) != 3:
    failures.append(f"with reasons = \"first\" the JSON does not keep DTOC's three reasons: {dtoc}")

# docs/budget-risks-lifecycle.md: each "affecting the budget" example is the
# message of a test of the shipped rule (run by `vitals rules test`), and the
# cost driver shown is the Norfolk example's.
import tomllib
budget_doc = "docs/budget-risks-lifecycle.md"
rule_tests = tomllib.loads((src / "rules/council/budget_impact.test.toml").read_text(encoding="utf-8"))
tested = {t["message"] for t in rule_tests["test"] if "message" in t}
budget_examples = [b for b in code_blocks(budget_doc, "text") if b.startswith("affecting the budget: ")]
if len(budget_examples) < 2:
    failures.append(f"{budget_doc}: expected the quantified and the weaker budget examples")
for block in budget_examples:
    message = " ".join(block.split())[len("affecting the budget: "):]
    if message not in tested:
        failures.append(f"{budget_doc}: no test of budget_impact says {message!r}")
norfolk_residential = (src / "examples/norfolk/indicators/residential_care.toml").read_text(encoding="utf-8")
drivers = [b for b in code_blocks(budget_doc, "toml") if b.startswith("[indicator.cost_driver]")]
if not drivers or any(b not in norfolk_residential for b in drivers):
    failures.append(f"{budget_doc}: the cost driver shown is not the Norfolk example's")


# docs/year-end-summary.md: the Norfolk groups and sample lines are what the
# March 2017 report prints, the [year_end] block shown gives the same report
# (it holds the defaults), and --year-end summarises the year so far.
year_end_doc = "docs/year-end-summary.md"


def report_markdown(catalogue, period, *extra, name="report"):
    out_dir = work / f"year-end-{name}"
    if out_dir.exists():
        shutil.rmtree(out_dir)
    run("report", "--catalogue", catalogue, "--period", period, "--store", str(work / f"{name}.db"),
        "--out", str(out_dir), "--format", "markdown", *extra)
    files = list(out_dir.glob("committee-report-*.md"))
    return files[0].read_text(encoding="utf-8") if files else ""


year_end_report = report_markdown(norfolk, "2017-03")
ids_by_title = {r["title"]: r["indicator"] for r in result["indicators"]}
printed_groups, heading = {}, None
for line in year_end_report.split("## Summary of performance", 1)[-1].split("\n## ", 1)[0].splitlines():
    if line.startswith("### "):
        heading = line[4:]
        printed_groups[heading] = []
    elif line.startswith("- **") and heading:
        printed_groups[heading].append(ids_by_title.get(line[4:].split("**", 1)[0], "?"))
doc_groups = {}
for block in code_blocks(year_end_doc, "text"):
    for line in block.splitlines():
        group, ids = line.split(": ", 1)
        doc_groups[group] = ids.split(", ")
printed_groups = {g: ids for g, ids in printed_groups.items() if ids}
if doc_groups != printed_groups:
    failures.append(f"{year_end_doc}: the doc's groups\n{doc_groups}\nthe report's\n{printed_groups}")
for block in code_blocks(year_end_doc, "markdown"):
    for line in block.splitlines():
        if line not in year_end_report.splitlines():
            failures.append(f"{year_end_doc}: the report does not print\n{line}")
settings_blocks = code_blocks(year_end_doc, "toml")
if len(settings_blocks) != 1:
    failures.append(f"{year_end_doc}: expected one toml block, found {len(settings_blocks)}")
else:
    with_settings = work / "norfolk-year-end"
    if with_settings.exists():
        shutil.rmtree(with_settings)
    shutil.copytree(src / "examples/norfolk", with_settings)
    rules_line = 'rule_dirs = ["../../rules/council"]'
    text = norfolk_catalogue.replace(rules_line, f'rule_dirs = ["{src}/rules/council"]')
    (with_settings / "catalogue.toml").write_text(text + "\n" + settings_blocks[0], encoding="utf-8")
    if report_markdown(str(with_settings), "2017-03", name="settings") != year_end_report:
        failures.append(f"{year_end_doc}: the [year_end] block shown does not give the default report")
so_far = report_markdown(norfolk, "2016-12", "--year-end", name="so-far")
if "## Summary of performance 2016/17 so far (to Dec 2016)\n" not in so_far:
    failures.append(f"{year_end_doc}: --year-end for 2016-12 does not print the year so far")
if "Summary of performance" in report_markdown(norfolk, "2016-12", name="december"):
    failures.append(f"{year_end_doc}: a December report carries the summary without --year-end")

# budget-risks-lifecycle.md: the risk report's sample entry is what `vitals risks` prints.
risks_out = run("risks", "--catalogue", norfolk, "--period", "2017-03", "--store", store, "--no-ingest")
risk_samples = [b for b in code_blocks(budget_doc, "text") if b.startswith("  d. ASC-HOSP")]
if not risk_samples:
    failures.append(f"{budget_doc}: no sample risk entry found")
for block in risk_samples:
    for line in block.splitlines():
        if line not in risks_out.splitlines():
            failures.append(f"{budget_doc}: vitals risks does not print\n{line}")

# docs/budget-risks-lifecycle.md, "Finance monitoring": the file sample is in
# the Norfolk example's budget.csv, the report's lines are in the Norfolk
# committee report, and the misfiled period is the message `vitals` prints.
norfolk_budget = (src / "examples/norfolk/data/budget.csv").read_text(encoding="utf-8")
for block in code_blocks(budget_doc, "csv"):
    lines = block.splitlines()
    if not norfolk_budget.startswith(lines[0] + "\n") or any(l + "\n" not in norfolk_budget for l in lines):
        failures.append(f"{budget_doc}: the budget sample is not in the Norfolk example's budget.csv:\n{block}")
report_dir = work / "finance-report"
run("report", "--catalogue", norfolk, "--period", "2017-03", "--store", str(work / "finance.db"),
    "--out", str(report_dir), "--format", "markdown")
report_md = (report_dir / "committee-report-2017-03.md").read_text(encoding="utf-8") \
    if (report_dir / "committee-report-2017-03.md").exists() else ""
finance_blocks = code_blocks(budget_doc, "markdown")
if len(finance_blocks) < 2:
    failures.append(f"{budget_doc}: expected the headline and the savings total")
for block in finance_blocks:
    if block not in report_md:
        failures.append(f"{budget_doc}: not in the Norfolk committee report for 2017-03:\n{block}")
misfiled = work / "norfolk-misfiled"
if misfiled.exists():
    shutil.rmtree(misfiled)
shutil.copytree(src / "examples/norfolk", misfiled)
budget_text = norfolk_budget.replace("Services to Users (net),Total Net Expenditure,net,2017-03,P13",
                                     "Services to Users (net),Total Net Expenditure,net,2017-03,P10")
(misfiled / "data/budget.csv").write_text(budget_text, encoding="utf-8")
(misfiled / "catalogue.toml").write_text(
    norfolk_catalogue.replace('rule_dirs = ["../../rules/council"]', f'rule_dirs = ["{src}/rules/council"]'),
    encoding="utf-8")
done = subprocess.run([vitals, "ingest", "--catalogue", str(misfiled), "--store", str(work / "misfiled.db")],
                      capture_output=True, text=True, cwd=work)
said = " ".join((done.stdout + done.stderr).split())
shown = [b for b in code_blocks(budget_doc, "text") if "is filed under" in b]
if not shown or " ".join(shown[0].split()) not in said:
    failures.append(f"{budget_doc}: vitals ingest of a misfiled period says:\n{done.stdout}{done.stderr}")

# report-cards.md: its commentary files are the Norfolk example's, and the
# stated-target warning it shows is what `vitals check` prints for them.
cards_doc = "docs/report-cards.md"
for lang, path in [("toml", "commentary/dtoc_social_care_per_100k.toml"),
                   ("markdown", "commentary/mh_paid_employment_pct/2017-03.md")]:
    shown = [b for b in code_blocks(cards_doc, lang) if b.startswith("# ")]
    actual = (src / "examples/norfolk" / path).read_text(encoding="utf-8")
    if actual not in shown:
        failures.append(f"{cards_doc}: no {lang} block is the example's {path}")
stated_copy = work / "my-committee"
if stated_copy.exists():
    shutil.rmtree(stated_copy)
shutil.copytree(src / "examples/norfolk", stated_copy)
(stated_copy / "catalogue.toml").write_text(
    norfolk_catalogue.replace('rule_dirs = ["../../rules/council"]', 'rule_dirs = ["vitals:council"]'),
    encoding="utf-8")
checked = subprocess.run([vitals, "check", "--catalogue", "my-committee"], capture_output=True,
                         text=True, cwd=work)
warned = [b.strip() for b in code_blocks(cards_doc) if "commentary.target_conflict" in b]
if not warned or warned[0] not in checked.stdout.splitlines():
    failures.append(f"{cards_doc}: vitals check prints\n{checked.stdout}the doc says {warned}")

for f in failures:
    print("FAIL:", f)
print("PASS" if not failures else f"{len(failures)} failure(s)")
sys.exit(1 if failures else 0)
