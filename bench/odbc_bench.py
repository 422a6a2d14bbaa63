#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""The odbc plugin reading about a million rows from PostgreSQL, against the
csv plugin reading the same rows from a file and pandas.read_sql of the same
query, in the same run.

    bench/odbc_bench.py [--build DIR] [--councils 9] [--work DIR] [--check]
                        [--connection-options "UseDeclareFetch=1;Fetch=10000" ...]

--check (the ctest; it measures the first connection options only and not
pandas): fails unless both sources store the same rows and the
odbc source's peak memory stays within 64 MiB of the csv source's (a driver
holding the whole result would need far more); exits 77 when no PostgreSQL
server can start here.

Needs the benchmark programs (VITALS_BUILD_BENCH=ON, see bench/README.md) and
the PostgreSQL server and psqlODBC packages; the server is a private one
started here (tests/support/pg_server.py). The ingest phase of vitals_bench
runs each source into a new store, so the figures include the store's
commit; the pandas figure is reading into a DataFrame only (through
SQLAlchemy and psycopg2, as pandas documents). The reference needs Debian's
python3-pandas, python3-sqlalchemy and python3-psycopg2 (run with
/usr/bin/python3); without them it is skipped with a warning that says so.
The server's own time for the query (COPY of it to nowhere, through psql)
is the floor under every client.
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


def server_time(pg):
    """Seconds the server takes to run the query and send its rows to psql,
    which throws them away: the floor under any client."""
    psql = os.path.join(pg.bin, "psql")
    start = time.monotonic()
    subprocess.run([psql, "-X", "-q", "-h", "127.0.0.1", "-p", str(pg.port), "-U", USER, "-d",
                    pg.database, "-c", "COPY (%s) TO STDOUT" % QUERY],
                   env=pg.psql_env(), stdout=subprocess.DEVNULL, check=True)
    return time.monotonic() - start


def read_sql(pg, how):
    """pandas.read_sql of the query into a DataFrame, in a process of its own
    (for its peak memory): (seconds, peak MiB, rows, None), or (None, None,
    None, what is missing)."""
    probe = subprocess.run([sys.executable, "-c", "import pandas, sqlalchemy, psycopg2"],
                           capture_output=True, text=True)
    if probe.returncode != 0:
        found = re.search(r"No module named '(\w+)'", probe.stderr)
        return None, None, None, found.group(1) if found else probe.stderr.strip()
    # Through SQLAlchemy (what pandas documents), or straight on a psycopg2
    # connection (faster; pandas warns that it is untested).
    connect = {
        "sqlalchemy": ("import sqlalchemy\n"
                       "c = sqlalchemy.create_engine(sys.argv[1]).connect()\n"
                       "query = sqlalchemy.text(sys.argv[2])\n"),
        "psycopg2": ("import psycopg2, warnings\n"
                     "warnings.simplefilter('ignore')\n"
                     "c = psycopg2.connect(sys.argv[3])\n"
                     "query = sys.argv[2]\n"),
    }[how]
    code = (
        "import resource, sys, time\n"
        "import pandas\n"
        "start = time.monotonic()\n" + connect +
        "frame = pandas.read_sql(query, c)\n"
        "took = time.monotonic() - start\n"
        "print(took, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, len(frame))\n")
    url = "postgresql+psycopg2://%s:%s@127.0.0.1:%d/%s" % (USER, PASSWORD, pg.port, pg.database)
    dsn = "host=127.0.0.1 port=%d user=%s password=%s dbname=%s" % (pg.port, USER, PASSWORD,
                                                                   pg.database)
    run = subprocess.run([sys.executable, "-c", code, url, QUERY, dsn], capture_output=True,
                         text=True, check=True)
    took, rss, n = run.stdout.split()
    return float(took), float(rss), int(n), None


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--build", default=os.path.join(SRC, "build"))
    ap.add_argument("--councils", type=int, default=9)
    ap.add_argument("--work", default=os.path.join(os.environ.get("TMPDIR", "/tmp"),
                                                   "vitals-odbc-bench"))
    ap.add_argument("--check", action="store_true")
    ap.add_argument("--connection-options", nargs="+",
                    default=["UseDeclareFetch=1;Fetch=10000", "UseDeclareFetch=0"],
                    help="psqlODBC settings to measure, one odbc ingest each (the first is "
                    "the one --check checks)")
    a = ap.parse_args()
    if a.check:  # the test checks rows and memory; it times nothing
        a.connection_options = a.connection_options[:1]
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
            csv_catalogue = f.read()
        for i, options in enumerate(a.connection_options):
            odbc = ('[sources.national]\nplugin = "odbc"\nconnection = "%s;%s"\nquery = "%s"\n'
                    'block_rows = 10000\n' % (pg.connection_string(), options, QUERY))
            text = re.sub(r'\[sources\.national\]\nplugin = "csv"\n'
                          r'path = "data/observations.csv"\n', lambda _: odbc, csv_catalogue)
            with open(catalogue, "w", encoding="utf-8") as f:
                f.write(text)
            figures["odbc%d" % i] = ingest(a.build, workload,
                                           os.path.join(a.work, "odbc%d.db" % i), env)
        server_s = server_time(pg)
        pandas = {}
        missing = None
        if not a.check:
            for how in ("sqlalchemy", "psycopg2"):
                took, rss, n, missing = read_sql(pg, how)
                if took is not None:
                    pandas[how] = (took, rss, n)

    print("| %d rows from PostgreSQL | time | rows/s | peak RSS |" % rows)
    print("|---|---|---|---|")
    print("| csv plugin, same rows from a file, into the store | %.2f s | %.0f | %.0f MiB |"
          % (figures["csv"]["ingest_s"], figures["csv"]["ingest_rows_per_s"],
             figures["csv"]["ingest_peak_rss_mib"]))
    for i, options in enumerate(a.connection_options):
        f = figures["odbc%d" % i]
        print("| odbc plugin, `%s`, into the store | %.2f s | %.0f | %.0f MiB |"
              % (options, f["ingest_s"], f["ingest_rows_per_s"], f["ingest_peak_rss_mib"]))
    print("| the server alone: psql COPY of the query to /dev/null | %.2f s | %.0f | |"
          % (server_s, rows / server_s))
    if a.check:
        print("| pandas.read_sql | not measured by --check | | |")
    elif not pandas:
        print("| pandas.read_sql | SKIPPED | | |")
        print("\n*** WARNING: pandas.read_sql was NOT measured: %s is not installed (Debian's "
              "python3-pandas, python3-sqlalchemy, python3-psycopg2; run with /usr/bin/python3)"
              " ***" % missing)
    else:
        for how, label in (("sqlalchemy", "SQLAlchemy engine"), ("psycopg2", "psycopg2 connection")):
            took, rss, n = pandas[how]
            print("| pandas.read_sql, %s, into a DataFrame only | %.2f s | %.0f | %.0f MiB |"
                  % (label, took, n / took, rss))
        fastest = min(took for took, _, _ in pandas.values())
        for i, options in enumerate(a.connection_options):
            f = figures["odbc%d" % i]
            print("odbc plugin (`%s`) against the faster pandas.read_sql: %.2fx"
                  % (options, fastest / f["ingest_s"]))
        print("5x the faster pandas.read_sql would be %.2f s; the server alone took %.2f s"
              % (fastest / 5, server_s))
    shutil.rmtree(a.work, ignore_errors=True)
    if a.check:
        csv_f, odbc_f = figures["csv"], figures["odbc0"]
        if csv_f["ingest_rows"] != odbc_f["ingest_rows"] or odbc_f["ingest_rows"] != rows:
            sys.exit("FAIL: rows stored: csv %d, odbc %d, table %d"
                     % (csv_f["ingest_rows"], odbc_f["ingest_rows"], rows))
        extra = odbc_f["ingest_peak_rss_mib"] - csv_f["ingest_peak_rss_mib"]
        if extra > 64:
            sys.exit("FAIL: the odbc source needed %.0f MiB more than the csv source" % extra)
        print("odbc check passed: %d rows, %.0f MiB above the csv source" % (rows, extra))


if __name__ == "__main__":
    main()
