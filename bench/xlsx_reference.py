#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""Reads the xlsx benchmark's workbook as Python programs do, for comparison
with the xlsx plugin (bench/README.md, "Reading workbooks").

    /usr/bin/python3 bench/xlsx_reference.py WORKBOOK

Prints the rows per second of pandas.read_excel with the openpyxl engine
(when python3-pandas is installed) and of openpyxl's own streaming
(read-only) reader, which pandas uses underneath, so it is the faster of the
two. Prints name=value lines like vitals_bench.
"""

import resource
import sys
import time

import openpyxl

path = sys.argv[1]


def peak_mib():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


started = time.monotonic()
wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
rows = 0
for row in wb.worksheets[0].iter_rows(min_row=2, values_only=True):
    rows += 1
took = time.monotonic() - started
print("openpyxl_rows=%d" % rows)
print("openpyxl_s=%.2f" % took)
print("openpyxl_rows_per_s=%.0f" % (rows / took))
print("openpyxl_peak_rss_mib=%.0f" % peak_mib())

try:
    import pandas
except ImportError:
    warning = ("*** WARNING: pandas.read_excel was NOT measured: python3-pandas is not "
               "installed (run with /usr/bin/python3); only openpyxl's reader was ***")
    print(warning)
    print(warning, file=sys.stderr)
    sys.exit(0)
started = time.monotonic()
frame = pandas.read_excel(path, engine="openpyxl")
took = time.monotonic() - started
print("pandas_rows=%d" % len(frame))
print("pandas_s=%.2f" % took)
print("pandas_rows_per_s=%.0f" % (len(frame) / took))
print("pandas_peak_rss_mib=%.0f" % peak_mib())
