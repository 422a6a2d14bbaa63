#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""The odbc plugin reading about a million rows from PostgreSQL, against the
csv plugin reading the same rows from a file and (when python3-pandas and
python3-psycopg2 are installed) pandas.read_sql of the same query.

    bench/odbc_bench.py [--build DIR] [--councils 8] [--work DIR] [--check]

--check (the ctest): fails unless both sources store the same rows and the
odbc source's peak memory stays within 64 MiB of the csv source's (a driver
holding the whole result would need far more); exits 77 when no PostgreSQL
server can start here.

Needs the benchmark programs (VITALS_BUILD_BENCH=ON, see bench/README.md) and
the PostgreSQL server and psqlODBC packages; the server is a private one
started here (tests/support/pg_server.py). The ingest phase of vitals_bench
runs each source into a new store, so the figures include the store's
commit; the pandas figure is reading into a DataFrame only.
"""

import argparse
import os
import re
import shutil
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
SRC = os.path.dirname(HERE)
sys.path.insert(0, os.path.join(SRC, "tests", "support"))
from pg_server import PASSWORD, USER, PgServer, ServerUnavailable  # noqa: E402

QUERY = ("SELECT indicator_id, period, value, numerator, denominator, target "
         "FROM observations ORDER BY indicator_id, period")


def results(output):
    return {m.group(1): float(m.group(2))
            for m in re.finditer(r"^RESULT (\S+) (\S+)", output, flags=re.M)}


def ingest(build, workload, store, env):
    run = subprocess.run([os.path.join(build, "bench", "vitals_bench"), "ingest", "--workload",
                          workload, "--store", store, "--plugin-dir",
                          os.path.join(build, "plugins")],
                         capture_output=True, text=True, env=env)
    if run.returncode != 0:
        sys.exit("vitals_bench failed:\n" + run.stdout + run.stderr)
    return results(run.stdout)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--build", default=os.path.join(SRC, "build"))
    ap.add_argument("--councils", type=int, default=8)
    ap.add_argument("--work", default=os.path.join(os.environ.get("TMPDIR", "/tmp"),
                                                   "vitals-odbc-bench"))
    ap.add_argument("--check", action="store_true")
    ap.add_argument("--connection-options", default="UseDeclareFetch=1;Fetch=10000")
    a = ap.parse_args()
    shutil.rmtree(a.work, ignore_errors=True)
    os.makedirs(a.work)
    workload = os.path.join(a.work, "workload")
    subprocess.run([os.path.join(a.build, "bench", "vitals_bench_generate"), "--out", workload,
                    "--councils", str(a.councils), "--rules",
                    os.path.join(SRC, "rules")], check=True, stdout=subprocess.DEVNULL)
    csv = os.path.join(workload, "catalogue", "data", "observations.csv")
    try:
        server = PgServer().start()
    except ServerUnavailable as e:
        print("SKIP: no PostgreSQL server can start here: %s" % e)
        sys.exit(77)
    with server as pg:
        pg.sql("CREATE TABLE observations (indicator_id text, period text, value double precision,"
               " numerator double precision, denominator double precision,"
               " target double precision)")
        pg.copy_csv("observations", csv)
        pg.sql("VACUUM ANALYZE observations")
        rows = int(pg.sql("SELECT count(*) FROM observations").split()[2])
        env = dict(os.environ, **pg.env())

        figures = {"csv": ingest(a.build, workload, os.path.join(a.work, "csv.db"), env)}
        catalogue = os.path.join(workload, "catalogue", "catalogue.toml")
        with open(catalogue, encoding="utf-8") as f:
            text = f.read()
        odbc = ('[sources.national]\nplugin = "odbc"\nconnection = "%s;%s"\nquery = "%s"\n'
                'block_rows = 10000\n' % (pg.connection_string(), a.connection_options, QUERY))
        text = re.sub(r'\[sources\.national\]\nplugin = "csv"\npath = "data/observations.csv"\n',
                      lambda _: odbc, text)
        with open(catalogue, "w", encoding="utf-8") as f:
            f.write(text)
        figures["odbc"] = ingest(a.build, workload, os.path.join(a.work, "odbc.db"), env)

        pandas = "not measured: python3-pandas and python3-psycopg2 are not installed"
        try:
            import pandas as pd
            import psycopg2
            start = time.monotonic()
            with psycopg2.connect(host="127.0.0.1", port=pg.port, user=USER, password=PASSWORD,
                                  dbname=pg.database) as connection:
                frame = pd.read_sql(QUERY, connection)
            took = time.monotonic() - start
            pandas = "%.2f s = %.0f rows/s (%d rows, into a DataFrame only)" % (
                took, len(frame) / took, len(frame))
        except ImportError:
            pass

    print("| %d rows from PostgreSQL | time | rows/s | peak RSS |" % rows)
    print("|---|---|---|---|")
    for name, label in (("csv", "csv plugin, same rows from a file, into the store"),
                        ("odbc", "odbc plugin, into the store")):
        f = figures[name]
        print("| %s | %.2f s | %.0f | %.0f MiB |" % (label, f["ingest_s"], f["ingest_rows_per_s"],
                                                   f["ingest_peak_rss_mib"]))
    print("| pandas.read_sql (psycopg2) | %s | | |" % pandas)
    shutil.rmtree(a.work, ignore_errors=True)
    if a.check:
        csv_f, odbc_f = figures["csv"], figures["odbc"]
        if csv_f["ingest_rows"] != odbc_f["ingest_rows"] or odbc_f["ingest_rows"] != rows:
            sys.exit("FAIL: rows stored: csv %d, odbc %d, table %d"
                     % (csv_f["ingest_rows"], odbc_f["ingest_rows"], rows))
        extra = odbc_f["ingest_peak_rss_mib"] - csv_f["ingest_peak_rss_mib"]
        if extra > 64:
            sys.exit("FAIL: the odbc source needed %.0f MiB more than the csv source" % extra)
        print("odbc check passed: %d rows, %.0f MiB above the csv source" % (rows, extra))


if __name__ == "__main__":
    main()
