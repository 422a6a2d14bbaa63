#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""The xlsx plugin end to end through `vitals`: the Norfolk example with its
dashboard read from a workbook in the committee's wide layout gives the same
result as the CSV example, and a rejected workbook stores nothing.

Usage: xlsx_cli_test.py SCENARIO VITALS_BINARY SOURCE_DIR
"""

import io
import json
import os
import random
import re
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import zipfile

SCENARIO, VITALS, SRC = sys.argv[1], os.path.abspath(sys.argv[2]), os.path.abspath(sys.argv[3])
WORKBOOKS = os.path.join(SRC, "tests", "plugin", "xlsx")
sys.path.insert(0, os.path.join(SRC, "tests", "support"))
from norfolk_example import CSV_SOURCE, copy_norfolk  # noqa: E402



def fail(message):
    sys.exit("FAIL: " + message)


def copy_example(work, workbook, source):
    """A copy of the Norfolk example whose dashboard source is `source`,
    reading `workbook` (copied into its data folder)."""
    cat = copy_norfolk(SRC, os.path.join(work, "norfolk"), source)
    if source is not None:
        shutil.copyfile(os.path.join(WORKBOOKS, workbook), os.path.join(cat, "data", workbook))
    return cat


def vitals(*args):
    return subprocess.run([VITALS, *args], capture_output=True, text=True, timeout=120)


def evaluate(work, name, cat):
    store = os.path.join(work, name + ".db")
    out = os.path.join(work, name + ".json")
    run = vitals("evaluate", "--catalogue", cat, "--period", "2017-03", "--store", store,
                 "--json", out)
    return run, store, out


def result_without_provenance(path, catalogue):
    """The result without its manifest (hashes of the catalogue, plugins and
    data files), the catalogue's folder in diagnostics' locations written CATALOGUE."""
    with open(path, encoding="utf-8") as f:
        result = json.loads(f.read().replace(catalogue, "CATALOGUE"))
    result.pop("manifest")
    return result


OPENPYXL = """[sources.dashboard]
plugin = "xlsx"
path = "data/norfolk_dashboard.xlsx"
sheet = "Dashboard"
layout = "wide"
header_row = 3
series_column = "Indicator"
"""

LONG = """[sources.dashboard]
plugin = "xlsx"
path = "data/norfolk_long.xlsx"
"""

LIBREOFFICE = """[sources.dashboard]
plugin = "xlsx"
path = "data/norfolk_dashboard_libreoffice.xlsx"
layout = "wide"
"""


MONTH_NAMES = """[sources.dashboard]
plugin = "xlsx"
path = "data/norfolk_dashboard_month_names.xlsx"
layout = "wide"
period_form = "month_name"
"""

QUARTERS = """[sources.returns]
plugin = "xlsx"
path = "data/financial_quarters.xlsx"
sheet = "Quarters"
layout = "wide"
period_form = "financial_quarter"
"""


def quarters_catalogue(work, source):
    """A catalogue with one financial_quarterly indicator read from
    financial_quarters.xlsx by `source`."""
    cat = os.path.join(work, "quarters")
    os.makedirs(os.path.join(cat, "indicators"))
    os.makedirs(os.path.join(cat, "data"))
    shutil.copyfile(os.path.join(WORKBOOKS, "financial_quarters.xlsx"),
                    os.path.join(cat, "data", "financial_quarters.xlsx"))
    with open(os.path.join(cat, "catalogue.toml"), "w", encoding="utf-8") as f:
        f.write('[catalogue]\nname = "Quarters"\n\n' + source)
    with open(os.path.join(cat, "indicators", "delayed_transfers.toml"), "w",
              encoding="utf-8") as f:
        f.write('[[indicator]]\nid = "delayed_transfers"\ntitle = "Delayed transfers"\n'
                'polarity = "smaller"\nunit = "number"\nfrequency = "financial_quarterly"\n'
                'target = 5\nsource = "returns"\n')
    return cat


def financial_quarters():
    """Headings typed as financial quarters (Q1 2017/18, 2017/18 Q3, Q4 2017-18)
    are read as the quarters they name, in-process and isolated."""
    for isolation in ["none", "process"]:
        with tempfile.TemporaryDirectory() as work:
            cat = quarters_catalogue(work, QUARTERS + 'isolation = "%s"\n' % isolation)
            check = vitals("check", "--catalogue", cat)
            if check.returncode != 0:
                fail("check:\n" + check.stdout + check.stderr)
            store = os.path.join(work, "v.db")
            for period, value in [("2017/18-Q1", 4), ("2017/18-Q2", 6), ("2017/18-Q3", 3.5),
                                  ("2017/18-Q4", 5)]:
                run = vitals("evaluate", "--catalogue", cat, "--period", period, "--store", store,
                             "--format", "json")
                if run.returncode != 0:
                    fail("evaluate %s (isolation %s):\n%s" % (period, isolation, run.stderr))
                got = [(r["period"], r["value"]) for r in json.loads(run.stdout)["indicators"]]
                if got != [(period, value)]:
                    fail("isolation %s: %s read as %r" % (isolation, period, got))


def financial_quarters_typed():
    """A heading that is not a financial quarter is an error naming the sheet
    and the cell; the source is not used and nothing is stored."""
    for isolation in ["none", "process"]:
        with tempfile.TemporaryDirectory() as work:
            source = QUARTERS.replace('"Quarters"', '"Typed"') + 'isolation = "%s"\n' % isolation
            cat = quarters_catalogue(work, source)
            store = os.path.join(work, "v.db")
            run = vitals("evaluate", "--catalogue", cat, "--period", "2017/18-Q1", "--store",
                         store, "--format", "json")
            # The message docs/sources.md shows.
            shown = [text for info, text in fenced_blocks(os.path.join(SRC, "docs", "sources.md"))
                     if info == "text" and "/financial_quarters.xlsx:" in text]
            if len(shown) != 1:
                fail("docs/sources.md: expected one sample output for financial_quarters.xlsx")
            says = shown[0].strip().replace("/srv/vitals/asc", cat)
            if run.returncode != 1 or says not in run.stderr.splitlines():
                fail("isolation %s: expected %r, exit 1; got exit %d:\n%s"
                     % (isolation, says, run.returncode, run.stderr))
            if "the stored history is unchanged" not in run.stderr:
                fail("the typed sheet's source was used:\n" + run.stderr)
            with sqlite3.connect(store) as db:
                if db.execute("select count(*) from series").fetchone()[0] != 0:
                    fail("series stored from a sheet with a bad period heading")


def same_as_csv(workbook, source):
    with tempfile.TemporaryDirectory() as work:
        os.makedirs(os.path.join(work, "csv"))
        os.makedirs(os.path.join(work, "xlsx"))
        csv_cat = copy_example(os.path.join(work, "csv"), workbook, None)
        xlsx_cat = copy_example(os.path.join(work, "xlsx"), workbook, source)
        csv_run, _, csv_json = evaluate(work, "csv", csv_cat)
        xlsx_run, _, xlsx_json = evaluate(work, "xlsx", xlsx_cat)
        if csv_run.returncode != 0 or xlsx_run.returncode != 0:
            fail("evaluate failed:\n" + csv_run.stderr + xlsx_run.stderr)
        expected = result_without_provenance(csv_json, csv_cat)
        got = result_without_provenance(xlsx_json, xlsx_cat)
        if len(got["exceptions"]) != 5:
            fail("expected the five March 2017 exceptions, got %d" % len(got["exceptions"]))
        if got != expected:
            fail("the workbook's result differs from the CSV example's")
        if xlsx_run.stdout.replace(xlsx_cat, csv_cat) != csv_run.stdout:
            fail("the printed summaries differ:\n" + xlsx_run.stdout)
        check = vitals("check", "--catalogue", xlsx_cat)
        if check.returncode != 0 or "15 indicators, 4 sources, 4 rules: OK" not in check.stdout:
            fail("check:\n" + check.stdout + check.stderr)


def rejected(workbook, says):
    """A workbook the plugin refuses: the run is incomplete, says why, and
    nothing from the dashboard source is stored."""
    source = LIBREOFFICE.replace("norfolk_dashboard_libreoffice.xlsx", workbook)
    with tempfile.TemporaryDirectory() as work:
        cat = copy_example(work, workbook, source)
        # check validates the settings without reading the workbook.
        check = vitals("check", "--catalogue", cat)
        if check.returncode != 0 or "4 sources, 4 rules: OK" not in check.stdout:
            fail("check read the workbook:\n" + check.stdout + check.stderr)
        run, store, _ = evaluate(work, "v", cat)
        if run.returncode != 1:
            fail("evaluate: exit code %d, expected 1\n%s" % (run.returncode, run.stderr))
        if says not in run.stderr or "the stored history is unchanged" not in run.stderr:
            fail("expected %r in:\n%s" % (says, run.stderr))
        with sqlite3.connect(store) as db:
            stored = db.execute("select count(*) from series").fetchone()[0]
        if stored != 0:
            fail("%d series stored from a rejected workbook" % stored)


def check_settings():
    source = OPENPYXL.replace('layout = "wide"', 'layout = "tall"').replace(
        'sheet = "Dashboard"', 'sheeet = "Dashboard"')
    with tempfile.TemporaryDirectory() as work:
        cat = copy_example(work, "norfolk_dashboard.xlsx", source)
        run = vitals("check", "--catalogue", cat)
        path = os.path.join(cat, "catalogue.toml")
        with open(path, encoding="utf-8") as f:
            lines = f.read().splitlines()
        line = {l.split(" =")[0]: i + 1 for i, l in enumerate(lines) if " = " in l}
        for expected in [
                "%s:%d:1: error: unknown setting 'sheeet' for source 'dashboard'; did you mean "
                "'sheet'? [source.unknown_setting]" % (path, line["sheeet"]),
                "%s:%d:1: error: setting 'layout' is 'tall'; expected one of long, wide "
                "[source.bad_setting]" % (path, line["layout"])]:
            if expected not in run.stdout:
                fail("expected %r in:\n%s%s" % (expected, run.stdout, run.stderr))
        if run.returncode != 1:
            fail("check: exit code %d, expected 1" % run.returncode)


def fenced_blocks(path):
    """The fenced code blocks of a Markdown file, as (info string, text)."""
    blocks, current, info = [], None, None
    with open(path, encoding="utf-8") as f:
        for line in f.read().splitlines():
            if line.startswith("```"):
                if current is None:
                    current, info = [], line[3:].strip()
                else:
                    blocks.append((info, "\n".join(current) + "\n"))
                    current = None
            elif current is not None:
                current.append(line)
    return blocks


def docs_sources():
    """Every example in docs/sources.md is run: each workbook source gives the
    CSV example's result, and the bad cells' messages are as shown."""
    blocks = fenced_blocks(os.path.join(SRC, "docs", "sources.md"))
    sample = [text for info, text in blocks if info == "text" and "/cells.xlsx:" in text]
    if len(sample) != 1 or len([info for info, _ in blocks if info == "text"]) != 2:
        fail("docs/sources.md: expected two sample outputs, the cells' and the typed heading's "
             "(run by financial_quarters_typed)")
    ran = 0
    for info, text in blocks:
        if info != "toml":
            continue
        workbook = os.path.basename(re.search(r'^path = "(.*)"$', text, re.M).group(1))
        if text == CSV_SOURCE:
            ran += 1
        elif workbook.startswith("norfolk_"):
            same_as_csv(workbook, text)
            ran += 1
        elif workbook == "cells.xlsx":
            with tempfile.TemporaryDirectory() as work:
                cat = copy_example(work, workbook, text)
                run, _, _ = evaluate(work, "v", cat)
                # Errors go to standard error; the report's diagnostics list both.
                printed = {l.strip() for l in (run.stdout + run.stderr).splitlines()}
                for line in sample[0].replace("/srv/vitals/asc", cat).splitlines():
                    if line not in printed:
                        fail("docs/sources.md: %r is not printed; vitals printed:\n%s"
                             % (line, run.stderr))
            ran += 1
        else:
            fail("docs/sources.md: no test runs this example:\n" + text)
    if ran != 5:
        fail("docs/sources.md: expected 5 catalogue examples, ran %d" % ran)


INSERTS = [b"<", b">", b'"', b"&amp;", b'<c r="A1" t="s"><v>99999</v></c>', b'<row r="0">',
           b"</row>", b"<v>", b'r="ZZZZ9"', b'<mergeCell ref="A1:XFD1048576"/>', b's="99999"',
           b'<c r="B2" t="e"><v>#REF!</v></c>', b"<f>1+1</f>", b'<sheet name="x" r:id="rId9"/>']


def mutated(data, rng):
    """`data` (a workbook) with bytes of one of its XML parts, or of the
    archive itself, changed, cut or inserted."""
    if rng.random() < 0.3:
        raw = bytearray(data)
        for _ in range(rng.randint(1, 10)):
            raw[rng.randrange(len(raw))] = rng.randrange(256)
        return bytes(raw)
    zin = zipfile.ZipFile(io.BytesIO(data))
    target = rng.choice([i.filename for i in zin.infolist()])
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            part = bytearray(zin.read(item.filename))
            if item.filename == target and part:
                for _ in range(rng.randint(1, 20)):
                    at = rng.randrange(len(part))
                    op = rng.random()
                    if op < 0.4:
                        part[at] = rng.randrange(256)
                    elif op < 0.7:
                        del part[at:at + rng.randint(1, 50)]
                    else:
                        part[at:at] = rng.choice(INSERTS)
            zout.writestr(item.filename, bytes(part))
    return buf.getvalue()


def mutations():
    """Damaged workbooks (bytes changed in the archive or inside its XML) end
    in a result or a clear error, never a crash, a hang, or data stored from
    a workbook with errors."""
    rng = random.Random(14)
    sources = {"norfolk_dashboard.xlsx": OPENPYXL, "norfolk_long.xlsx": LONG,
               "norfolk_dashboard_libreoffice.xlsx": LIBREOFFICE}
    with tempfile.TemporaryDirectory() as work:
        for i in range(40):
            workbook = rng.choice(sorted(sources))
            with open(os.path.join(WORKBOOKS, workbook), "rb") as f:
                data = mutated(f.read(), rng)
            case = os.path.join(work, str(i))
            cat = copy_example(case, workbook, sources[workbook])
            with open(os.path.join(cat, "data", workbook), "wb") as f:
                f.write(data)
            run, store, _ = evaluate(case, "v", cat)
            if run.returncode not in (0, 1) or "crash" in run.stderr:
                fd, kept = tempfile.mkstemp(prefix="xlsx_mutation_", suffix=".xlsx")
                with os.fdopen(fd, "wb") as f:
                    f.write(data)
                fail("case %d (%s, kept as %s): exit code %d\n%s"
                     % (i, workbook, kept, run.returncode, run.stderr))
            if "source 'dashboard' was not ingested" in run.stderr:
                with sqlite3.connect(store) as db:
                    if db.execute("select count(*) from series").fetchone()[0] != 0:
                        fail("case %d: series stored from a refused workbook" % i)


def metadata_mismatch():
    """A long sheet's title, polarity and unit columns are compared with the
    catalogue as the csv plugin's are: the same located warning for both."""
    warnings = {}
    with tempfile.TemporaryDirectory() as work:
        for name, source in (("csv", None), ("xlsx", LONG)):
            os.makedirs(os.path.join(work, name))
            cat = copy_example(os.path.join(work, name), "norfolk_long.xlsx", source)
            toml = os.path.join(cat, "indicators", "promoting_independence.toml")
            with open(toml, encoding="utf-8") as f:
                text = f.read()
            with open(toml, "w", encoding="utf-8") as f:  # the sheets say "bigger"
                f.write(text.replace('polarity = "bigger"', 'polarity = "smaller"', 1))
            run, _, _ = evaluate(work, name, cat)
            if run.returncode != 0:
                fail("%s: evaluate failed:\n%s" % (name, run.stderr))
            found = [line for line in (run.stdout + run.stderr).splitlines()
                     if "polarity column says" in line]
            if len(found) != 1 or "reablement_no_ongoing_service" not in found[0]:
                fail("%s: expected one polarity warning for reablement_no_ongoing_service:\n%s"
                     % (name, run.stderr))
            warnings[name] = found[0]
    if "norfolk_long.xlsx" not in warnings["xlsx"]:
        fail("the xlsx warning is not located in the workbook: " + warnings["xlsx"])
    print("ok: csv: %s\nok: xlsx: %s" % (warnings["csv"], warnings["xlsx"]))


SCENARIOS = {
    "metadata_mismatch": metadata_mismatch,
    "mutations": mutations,
    "docs_sources": docs_sources,
    "norfolk_openpyxl": lambda: same_as_csv("norfolk_dashboard.xlsx", OPENPYXL),
    "norfolk_libreoffice": lambda: same_as_csv("norfolk_dashboard_libreoffice.xlsx", LIBREOFFICE),
    # The plugin in a process of its own (ADR 0004) reads the same.
    "norfolk_isolated": lambda: same_as_csv("norfolk_dashboard.xlsx",
                                            OPENPYXL + 'isolation = "process"\n'),
    "month_names": lambda: same_as_csv("norfolk_dashboard_month_names.xlsx", MONTH_NAMES),
    "month_names_isolated": lambda: same_as_csv("norfolk_dashboard_month_names.xlsx",
                                                MONTH_NAMES + 'isolation = "process"\n'),
    "financial_quarters": financial_quarters,
    "financial_quarters_typed": financial_quarters_typed,
    "check_settings": check_settings,
    "rejected_zip_bomb": lambda: rejected("zip_bomb.xlsx", "(a zip bomb?)"),
    "rejected_entities": lambda: rejected("billion_laughs.xlsx", "declares a document type"),
    "rejected_csv": lambda: rejected("csv_renamed.xlsx", "is not an Excel workbook"),
}

if __name__ == "__main__":
    SCENARIOS[SCENARIO]()
