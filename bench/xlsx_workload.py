#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""Writes the first rows of the benchmark workload's observations as a CSV
file and as an Excel workbook, for the xlsx plugin's benchmark
(bench/README.md, "Reading workbooks").

    /usr/bin/python3 bench/xlsx_workload.py WORKLOAD_DIR OUT_DIR [ROWS]

Reads WORKLOAD_DIR/catalogue (made by vitals_bench_generate) and writes two
copies of it: OUT_DIR/csv/catalogue, whose csv source reads the first ROWS
observations (default 1,000,000; a sheet holds at most 1,048,575 below its
header), and OUT_DIR/xlsx/catalogue, whose xlsx source reads the same rows
from data/observations.xlsx, one long-format sheet written by openpyxl in its
streaming (write-only) mode, numbers as numbers and blanks as empty cells.
"""

import csv
import os
import shutil
import sys
import time

import openpyxl

workload, out = sys.argv[1], sys.argv[2]
limit = int(sys.argv[3]) if len(sys.argv) > 3 else 1000000
if limit > 1048575:
    sys.exit("xlsx_workload.py: a sheet holds at most 1,048,575 rows below its header")
src = os.path.join(workload, "catalogue")
CSV_SOURCE = 'plugin = "csv"\npath = "data/observations.csv"\n'


def copy_catalogue(kind, source):
    dst = os.path.join(out, kind, "catalogue")
    if os.path.exists(dst):
        shutil.rmtree(dst)
    shutil.copytree(src, dst, ignore=shutil.ignore_patterns("observations.csv"))
    with open(os.path.join(dst, "catalogue.toml"), encoding="utf-8") as f:
        toml = f.read()
    if CSV_SOURCE not in toml:
        sys.exit("xlsx_workload.py: the workload's catalogue has no csv source to replace")
    with open(os.path.join(dst, "catalogue.toml"), "w", encoding="utf-8") as f:
        f.write(toml.replace(CSV_SOURCE, source))
    return os.path.join(dst, "data")


csv_dir = copy_catalogue("csv", CSV_SOURCE)
xlsx_dir = copy_catalogue("xlsx", 'plugin = "xlsx"\npath = "data/observations.xlsx"\n')

started = time.monotonic()
wb = openpyxl.Workbook(write_only=True)
ws = wb.create_sheet("Data")
rows = 0
with open(os.path.join(src, "data", "observations.csv"), newline="", encoding="utf-8") as f, \
        open(os.path.join(csv_dir, "observations.csv"), "w", newline="",
             encoding="utf-8") as copy:
    reader = csv.reader(f)
    writer = csv.writer(copy, lineterminator="\n")
    header = next(reader)
    ws.append(header)
    writer.writerow(header)
    text = {header.index("indicator_id"), header.index("period")}
    for row in reader:
        if rows == limit:
            break
        ws.append([v if i in text else (float(v) if v else None) for i, v in enumerate(row)])
        writer.writerow(row)
        rows += 1
wb.save(os.path.join(xlsx_dir, "observations.xlsx"))
print("wrote %d rows to %s in %.1f s" % (rows, os.path.join(xlsx_dir, "observations.xlsx"),
                                        time.monotonic() - started))
