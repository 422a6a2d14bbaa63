#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""Makes the xlsx plugin's test workbooks with real spreadsheet software.

    /usr/bin/python3 tests/plugin/xlsx/make_workbooks.py

openpyxl (python3-openpyxl) writes the *.xlsx here; LibreOffice
(libreoffice-calc-nogui, headless) converts CSV files into the
*_libreoffice.xlsx ones, so that both writers' ways are covered. Run it when
the workbooks need to change and commit what it writes: the tests read the
committed files and do not need LibreOffice. The hostile files (zip bomb,
entity expansion, damaged archive, other formats renamed .xlsx) are made
here too, from workbooks the two programs wrote.
"""

import csv
import datetime
import io
import os
import shutil
import subprocess
import sys
import tempfile
import zipfile

import openpyxl
from openpyxl.styles import Font
from openpyxl.utils.datetime import CALENDAR_MAC_1904

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(HERE)))
NORFOLK = os.path.join(ROOT, "examples", "norfolk", "data", "dashboard.csv")


def out(name):
    return os.path.join(HERE, name)


def norfolk_rows():
    with open(NORFOLK, newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def norfolk_wide():
    """The dashboard as the committee sees it: one row per indicator and
    figure (value, numerator, denominator), one column per month."""
    rows = norfolk_rows()
    months = sorted({r["period"] for r in rows})
    indicators = []
    by_id = {}
    for r in rows:
        if r["indicator_id"] not in by_id:
            by_id[r["indicator_id"]] = {"title": r["title"], "target": r["target"], "figures": {}}
            indicators.append(r["indicator_id"])
        by_id[r["indicator_id"]]["figures"][r["period"]] = r
    lines = []  # (id, title, measure, target, {month: text})
    for i in indicators:
        d = by_id[i]
        measures = ["value"]
        if any(f["numerator"] for f in d["figures"].values()):
            measures += ["numerator", "denominator"]
        for m in measures:
            lines.append((i, d["title"], m, d["target"] if m == "value" else "",
                          {p: f[m] for p, f in d["figures"].items()}))
    return months, lines


def number(text):
    return None if text == "" else (int(text) if text.isdigit() else float(text))


def month_date(period):
    return datetime.datetime(int(period[:4]), int(period[5:7]), 1)


def dashboard_openpyxl():
    months, lines = norfolk_wide()
    wb = openpyxl.Workbook()
    cover = wb.active
    cover.title = "Cover"
    cover["A1"] = "Adult Social Care Committee: performance dashboard 2016/17"
    ws = wb.create_sheet("Dashboard")
    ws["A1"] = "Vital signs, monthly"
    ws.merge_cells("A1:F1")
    ws["A1"].font = Font(bold=True)
    header = ["Indicator", "Title", "Measure", "Target"]
    ws.append([])
    ws.append(header + [month_date(m) for m in months])
    for cell in ws[3][len(header):]:
        cell.number_format = "mmm-yy"  # shown as Mar-16; stored as a date serial
    first_row = {}
    for i, title, measure, target, figures in lines:
        ws.append([i if i not in first_row else None, title if i not in first_row else None,
                   measure.capitalize() if measure != "value" else "Value", number(target)] +
                  [number(figures.get(m, "")) for m in months])
        first_row.setdefault(i, [ws.max_row, ws.max_row])[1] = ws.max_row
    # The indicator's id and title span its rows, as on the printed dashboard.
    for i, (top, bottom) in first_row.items():
        if bottom > top:
            ws.merge_cells(start_row=top, start_column=1, end_row=bottom, end_column=1)
            ws.merge_cells(start_row=top, start_column=2, end_row=bottom, end_column=2)
    for row in ws.iter_rows(min_row=4, min_col=5):
        for cell in row:
            cell.number_format = "0.0"  # shown rounded; stored in full
    lookup = wb.create_sheet("Lookup")
    lookup["A1"] = "hidden sheet"
    lookup.sheet_state = "hidden"
    wb.save(out("norfolk_dashboard.xlsx"))


def month_names_openpyxl():
    """The dashboard with its month headings typed as text, as councils type
    them (Mar-16, Apr-16, ...), for a source with period_form = "month_name"."""
    months, lines = norfolk_wide()
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Dashboard"
    ws.append(["Indicator", "Title", "Measure", "Target"] +
              [month_date(m).strftime("%b-%y") for m in months])
    for i, title, measure, target, figures in lines:
        ws.append([i, title, measure.capitalize(), number(target)] +
                  [number(figures.get(m, "")) for m in months])
    wb.save(out("norfolk_dashboard_month_names.xlsx"))


def financial_quarters_openpyxl():
    """A quarterly return headed by financial quarters as text (Q1 2017/18),
    for a source with period_form = "financial_quarter"; the sheet "Typed"
    has headings as they get mistyped."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Quarters"
    ws.append(["Indicator", "Title", "Q1 2017/18", "Q2 2017/18", "2017/18 Q3", "Q4 2017-18"])
    ws.append(["delayed_transfers", "Delayed transfers of care", 4, 6, 3.5, 5])
    typed = wb.create_sheet("Typed")
    typed.append(["Indicator", "Q1 2017/18", "Q2 2017/18", "Q5 2017/18"])
    typed.append(["delayed_transfers", 4, 6, 7])
    wb.save(out("financial_quarters.xlsx"))


def norfolk_long_openpyxl():
    """The dashboard in the csv plugin's long layout, one row per indicator
    and month, as a council's export sheet holds it."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Data"
    header = ["indicator_id", "title", "polarity", "unit", "period", "value", "numerator",
              "denominator", "target"]
    ws.append(header)
    for r in norfolk_rows():
        ws.append([r[h] if h in ("indicator_id", "title", "polarity", "unit", "period")
                   else number(r[h]) for h in header])
    wb.save(out("norfolk_long.xlsx"))


def write_csv(path, rows):
    with open(path, "w", newline="", encoding="utf-8") as f:
        csv.writer(f).writerows(rows)


def libreoffice(csv_path, target, kind="xlsx"):
    """Converts `csv_path` (its name becomes the sheet's) with LibreOffice;
    `kind` "xlsm" makes a macro-enabled workbook."""
    with tempfile.TemporaryDirectory() as work:
        profile = "file://" + os.path.join(work, "profile")
        subprocess.run(["soffice", "-env:UserInstallation=" + profile, "--headless",
                        "--convert-to",
                        "xlsm:Calc MS Excel 2007 VBA XML" if kind == "xlsm" else "xlsx", "--outdir", work, csv_path],
                       check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                       timeout=300)
        made = os.path.join(work, os.path.splitext(os.path.basename(csv_path))[0] + "." + kind)
        shutil.copyfile(made, out(target))


def dashboard_libreoffice(work):
    months, lines = norfolk_wide()
    rows = [["Indicator", "Title", "Measure", "Target"] + [m + "-01" for m in months]]
    for i, title, measure, target, figures in lines:
        rows.append([i, title, measure, target] + [figures.get(m, "") for m in months])
    path = os.path.join(work, "Dashboard.csv")
    write_csv(path, rows)
    libreoffice(path, "norfolk_dashboard_libreoffice.xlsx")


LONG_HEADER = ["indicator_id", "title", "period", "value", "numerator", "denominator", "target"]


def long_openpyxl():
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Data"
    ws.append(LONG_HEADER)
    ws.append(["a", "Text period", "2017-03", 86.3, 334, 387, None])
    # Shown as 67% and 1,234,568; stored as 0.6666666666666666 and
    # 1234567.891011121 (openpyxl writes 16 significant digits).
    ws.append(["a", "Date period", datetime.datetime(2017, 4, 1), 2 / 3, None, None, 90])
    ws["D3"].number_format = "0%"
    ws.append(["a", "Number shown rounded", "2017-05", 1234567.891011121, None, None, None])
    ws["D4"].number_format = "#,##0"
    ws.append(["b", "Quarter", "2017-Q1", "12.5", None, None, None])  # a number stored as text
    ws.append(["b", "Year as a number", 2017, -0.5, None, None, None])
    ws.append(["b", "Financial year", " 2016/17 ", 3e-7, None, None, None])
    ws.append([None] * 7)  # a blank row
    ws.append([42, "Numeric id", "2017-03", 7, None, None, None])
    wb.save(out("long.xlsx"))


def long_libreoffice(work):
    path = os.path.join(work, "Data.csv")
    write_csv(path, [LONG_HEADER,
                     ["a", "Text period", "2017-03-01", "86.3", "334", "387", ""],
                     ["a", "Date period", "2017-04-01", "0.6666666666666666", "", "", "90"],
                     ["b", "Financial year", "2016/17", "-0.5", "", "", ""]])
    libreoffice(path, "long_libreoffice.xlsx")
    libreoffice(path, "long_libreoffice.xlsm", "xlsm")


def cells_openpyxl():
    """Cells that are not plain figures: error values, a formula openpyxl
    cannot calculate (so stores no value), booleans, and dates in both
    date systems."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Problems"
    ws.append(LONG_HEADER)
    ws.append(["a", "n/a", "2017-03", "#N/A", None, None, None])
    ws.append(["a", "div0", "2017-04", "#DIV/0!", None, None, None])
    ws.append(["a", "formula", "2017-05", "=1+1", None, None, None])
    ws.append(["a", "boolean", "2017-06", True, None, None, None])
    ws.append(["a", "text", "2017-07", "n/a", None, None, None])
    ws.append(["a", "plain number period", 42795, 1, None, None, None])
    dates = wb.create_sheet("Dates1900")
    # 31 January, the fictitious 29 February and 1 March 1900, and a date with a time.
    dates.append(["id", 31, 60, 61, datetime.datetime(2017, 3, 31, 12, 0)])
    for cell in dates[1][1:]:
        cell.number_format = "mmm-yy"
    dates.append(["x", 1, 2, 3, 4])
    merged = wb.create_sheet("MergedHeader")
    merged.append(["id", datetime.datetime(2017, 3, 1), None, datetime.datetime(2017, 4, 1)])
    merged.merge_cells("B1:C1")
    merged.append(["x", 1, 2, 3])
    wb.save(out("cells.xlsx"))

    mac = openpyxl.Workbook()
    mac.epoch = CALENDAR_MAC_1904
    ws = mac.active
    ws.title = "Dates1904"
    ws.append(["id", datetime.datetime(2017, 3, 1), datetime.datetime(1904, 1, 1)])
    for cell in ws[1][1:]:
        cell.number_format = "mmm-yy"
    ws.append(["x", 1, 2])
    mac.save(out("dates1904.xlsx"))


def many_errors_openpyxl():
    """150 months of #N/A: more warnings than are listed one by one."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Data"
    ws.append(["indicator_id", "period", "value"])
    for month in range(150):
        ws.append(["a", "%04d-%02d" % (2005 + month // 12, month % 12 + 1), "#N/A"])
    wb.save(out("many_errors.xlsx"))


def iso_dates_openpyxl():
    """Month headings as ISO 8601 date cells (t="d"), as openpyxl writes
    dates when asked to (iso_dates) and as Excel's strict format does."""
    wb = openpyxl.Workbook(iso_dates=True)
    ws = wb.active
    ws.title = "Dashboard"
    ws.append(["id", datetime.datetime(2017, 3, 1), datetime.datetime(2017, 4, 15, 9, 30)])
    ws.append(["x", 1.5, 2.5])
    wb.save(out("iso_dates.xlsx"))


def formulas_libreoffice(work):
    """Formulas LibreOffice calculated and saved: a percentage of two cells,
    and one whose result is the error value #N/A."""
    path = os.path.join(work, "Formulas.csv")
    write_csv(path, [["indicator_id", "period", "value", "numerator", "denominator"],
                     ["a", "2017-03", "=D2/E2*100", "334", "387"],
                     ["b", "2017-03", "=NA()", "1", "2"]])
    libreoffice(path, "formulas_libreoffice.xlsx")


def rewrite(source, target, changes):
    """Copies workbook `source` to `target` with parts replaced: changes maps
    a part name to a function of its text."""
    with zipfile.ZipFile(out(source)) as zin, zipfile.ZipFile(out(target), "w",
                                                              zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            data = zin.read(item.filename)
            if item.filename in changes:
                data = changes[item.filename](data.decode("utf-8")).encode("utf-8")
            zout.writestr(item, data, zipfile.ZIP_DEFLATED)


def rich_text():
    """Rich text: runs of differently formatted text in one cell. openpyxl
    writes strings inline (<is>), LibreOffice in the shared strings table;
    in each workbook one id is split into runs (with a phonetic reading in
    the shared one), as Excel writes a cell with a bold word in it."""
    runs = '<r><rPr><b/></rPr><t>rea</t></r><r><t xml:space="preserve">ble </t></r>'
    rewrite("long.xlsx", "rich_inline.xlsx",
            {"xl/worksheets/sheet1.xml": lambda xml: xml.replace(
                '<c r="A5" t="inlineStr"><is><t>b</t></is></c>',
                '<c r="A5" t="inlineStr"><is>' + runs + '</is></c>')})
    rewrite("long_libreoffice.xlsx", "rich_shared.xlsx",
            {"xl/sharedStrings.xml": lambda xml: xml.replace(
                "<si><t xml:space=\"preserve\">b</t></si>",
                "<si>" + runs + "<rPh sb=\"0\" eb=\"1\"><t>phonetic</t></rPh></si>")})


def hostile():
    # Entity expansion ("billion laughs") in a worksheet.
    laughs = ('<!DOCTYPE lolz [<!ENTITY lol "lol">'
              + "".join('<!ENTITY lol%d "%s">' % (i, ("&lol%s;" % (i - 1 if i > 1 else "")) * 10)
                        for i in range(1, 10))
              + ']>\n')
    rewrite("long.xlsx", "billion_laughs.xlsx",
            {"xl/worksheets/sheet1.xml":
             lambda xml: laughs + xml.replace("<v>86.3</v>", "<v>&lol9;</v>")})
    # A zip bomb: a worksheet inflating 64 MiB of blanks from about 64 KiB.
    with zipfile.ZipFile(out("long.xlsx")) as zin, zipfile.ZipFile(out("zip_bomb.xlsx"), "w",
                                                                   zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            data = zin.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                text = data.decode("utf-8")
                at = text.index("<sheetData>") + len("<sheetData>")
                data = (text[:at] + " " * (64 << 20) + text[at:]).encode("utf-8")
            zout.writestr(item.filename, data, zipfile.ZIP_DEFLATED, compresslevel=9)
    # A worksheet whose directory entries understate its inflated size (1 KiB).
    with open(out("long.xlsx"), "rb") as f:
        data = bytearray(f.read())
    name = b"xl/worksheets/sheet1.xml"
    for signature, size_at in ((b"PK\x03\x04", 22), (b"PK\x01\x02", 24)):
        at = data.find(signature)
        while at >= 0:
            name_at = at + (30 if signature == b"PK\x03\x04" else 46)
            if data[name_at:name_at + len(name)] == name:
                data[at + size_at:at + size_at + 4] = (1024).to_bytes(4, "little")
            at = data.find(signature, at + 4)
    with open(out("understated_size.xlsx"), "wb") as f:
        f.write(data)
    # A damaged archive: the workbook cut short.
    with open(out("long.xlsx"), "rb") as f:
        data = f.read()
    with open(out("truncated.xlsx"), "wb") as f:
        f.write(data[: len(data) // 2])
    # Other files saved with the wrong extension.
    with open(out("csv_renamed.xlsx"), "w", encoding="utf-8") as f:
        f.write("indicator_id,period,value\na,2017-03,1\n")
    with open(out("xls_renamed.xlsx"), "wb") as f:
        f.write(bytes([0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]) + bytes(504))


def fuzz_seeds():
    """Seeds for the xlsx_plugin fuzz harness (tests/fuzz/xlsx_plugin_fuzz.cpp)
    cut from the workbooks above: a flag byte (1: wide layout, 2: the whole
    file), then the workbook's XML parts separated by NUL bytes."""
    folder = os.path.join(ROOT, "tests", "fuzz", "corpus", "xlsx_plugin")
    os.makedirs(folder, exist_ok=True)
    parts = ["xl/workbook.xml", "xl/_rels/workbook.xml.rels", "xl/worksheets/sheet1.xml",
             "xl/sharedStrings.xml", "xl/styles.xml"]
    wide = {"norfolk_dashboard.xlsx", "norfolk_dashboard_libreoffice.xlsx",
            "norfolk_dashboard_month_names.xlsx", "financial_quarters.xlsx"}
    for name in ["long.xlsx", "long_libreoffice.xlsx", "cells.xlsx", "dates1904.xlsx",
                 "rich_inline.xlsx", "rich_shared.xlsx", "many_errors.xlsx",
                 "formulas_libreoffice.xlsx"] + sorted(wide):
        with zipfile.ZipFile(out(name)) as z:
            names = set(z.namelist())
            data = b"\0".join(z.read(p) if p in names else b"" for p in parts)
        with open(os.path.join(folder, os.path.splitext(name)[0]), "wb") as f:
            f.write(bytes([1 if name in wide else 0]) + data)
    for name in ["long.xlsx", "truncated.xlsx"]:
        with open(out(name), "rb") as f, \
                open(os.path.join(folder, "file_" + os.path.splitext(name)[0]), "wb") as g:
            g.write(bytes([2]) + f.read())


def main():
    with tempfile.TemporaryDirectory() as work:
        dashboard_openpyxl()
        norfolk_long_openpyxl()
        month_names_openpyxl()
        financial_quarters_openpyxl()
        long_openpyxl()
        cells_openpyxl()
        many_errors_openpyxl()
        iso_dates_openpyxl()
        hostile()
        if shutil.which("soffice") is None:
            sys.exit("make_workbooks.py: LibreOffice (soffice) is needed for the *_libreoffice.xlsx")
        dashboard_libreoffice(work)
        long_libreoffice(work)
        formulas_libreoffice(work)
        rich_text()
    fuzz_seeds()


if __name__ == "__main__":
    main()
