#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""The odbc plugin end to end through `vitals`, against a real PostgreSQL
server the test starts itself (tests/support/pg_server.py) and psqlODBC: the
Norfolk example with its dashboard source read by SQL gives the same result
as the CSV example, and a rejected source is located and stores nothing.

Usage: odbc_cli_test.py SCENARIO VITALS_BINARY SOURCE_DIR
Exits 77 (skipped) with the reason when PostgreSQL or its ODBC driver is not
installed here (never under CI, which installs both).
"""

import json
import os
import re
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time

SCENARIO, VITALS, SRC = sys.argv[1], os.path.abspath(sys.argv[2]), os.path.abspath(sys.argv[3])
sys.path.insert(0, os.path.join(SRC, "tests", "support"))
from norfolk_example import copy_norfolk  # noqa: E402
from pg_server import PASSWORD, PgServer, ServerUnavailable  # noqa: E402

TABLE = """CREATE TABLE dashboard (indicator_id text, title text, polarity text, unit text,
  period text, value numeric, numerator numeric, denominator numeric, target numeric)"""
QUERY = ("SELECT indicator_id, period, value, numerator, denominator, target FROM dashboard "
         "WHERE period <= ? ORDER BY indicator_id, period")


UNCHANGED = r"the stored history is unchanged"


def fail(message):
    sys.exit("FAIL: " + message)


def odbc_source(pg, query=QUERY, extra=""):
    return ('[sources.dashboard]\nplugin = "odbc"\nconnection = "%s"\nquery = "%s"\n'
            'parameter_1 = "2017-03"\n%s' % (pg.connection_string(), query, extra))


def copy_example(work, name, source):
    return copy_norfolk(SRC, os.path.join(work, name), source)


def vitals(env, *args):
    return subprocess.run([VITALS, *args], capture_output=True, text=True, timeout=120,
                          env=env)


def evaluate(env, work, name, cat):
    store = os.path.join(work, name + ".db")
    out = os.path.join(work, name + ".json")
    run = vitals(env, "evaluate", "--catalogue", cat, "--period", "2017-03", "--store", store,
                 "--json", out)
    return run, store, out


def without_provenance(path, catalogue):
    """The result without its manifest (hashes of the catalogue, plugins and
    data files), the catalogue's folder in diagnostics' locations written CATALOGUE."""
    with open(path, encoding="utf-8") as f:
        result = json.loads(f.read().replace(catalogue, "CATALOGUE"))
    result.pop("manifest")
    return result


def stored_series(store):
    with sqlite3.connect(store) as db:
        return db.execute("select count(*) from series").fetchone()[0]


def check_norfolk(pg, env, work):
    """Same exceptions and JSON as the CSV example, in process and isolated."""
    base_cat = copy_example(work, "csv", None)
    base, _, base_json = evaluate(env, work, "csv", base_cat)
    if base.returncode != 0:
        fail("the CSV example failed: " + base.stderr)
    expected = without_provenance(base_json, base_cat)
    for isolation in ("none", "process"):
        cat = copy_example(work, "odbc_" + isolation,
                           odbc_source(pg, extra='isolation = "%s"\n' % isolation))
        check = vitals(env, "check", "--catalogue", cat)
        if check.returncode != 0:
            fail("vitals check refused the odbc catalogue:\n" + check.stdout + check.stderr)
        run, _, out = evaluate(env, work, "odbc_" + isolation, cat)
        if run.returncode != 0:
            fail("evaluate with isolation %s failed:\n%s%s" % (isolation, run.stdout, run.stderr))
        got = without_provenance(out, cat)
        if got != expected:
            fail("isolation %s: the result differs from the CSV example's:\n%s\n---\n%s"
                 % (isolation, json.dumps(got, indent=1)[:3000],
                    json.dumps(expected, indent=1)[:3000]))
        if len(got["exceptions"]) != 5:
            fail("expected the five March 2017 exceptions, got %d" % len(got["exceptions"]))
        if PASSWORD in run.stdout + run.stderr:
            fail("the password was printed")
    print("ok: the odbc source gives the CSV example's five exceptions, in process and isolated")


def expect_rejected(env, work, name, source, wanted, setup_env=None):
    """`source` fails with a message matching every regex of `wanted`; the run
    stores nothing from it and never shows the password."""
    cat = copy_example(work, name, source)
    run, store, _ = evaluate(setup_env or env, work, name, cat)
    text = run.stdout + run.stderr
    if run.returncode != 1:
        fail("%s: exit code %d, expected 1:\n%s" % (name, run.returncode, text))
    for pattern in wanted:
        if not re.search(pattern, text):
            fail("%s: no match for %r in:\n%s" % (name, pattern, text))
    if PASSWORD in text:
        fail("%s: the password was printed:\n%s" % (name, text))
    if stored_series(store) != 0:
        fail("%s: series stored from a rejected source" % name)
    print("ok: %s rejected: %s" % (name, text.strip().splitlines()[-1][:200]))
    return text


def check_bad_input(pg, env, work):
    pg.sql("CREATE TABLE bad_values AS SELECT * FROM dashboard")
    pg.sql("ALTER TABLE bad_values ALTER COLUMN value TYPE text")
    pg.sql("UPDATE bad_values SET value = 'n/a' WHERE indicator_id = 'dtoc_social_care_per_100k' "
           "AND period = '2017-01'")
    wrong = dict(env, VITALS_PG_PASSWORD="not-the-password")
    expect_rejected(env, work, "wrong_password", odbc_source(pg),
                    [r"cannot connect to the database", r"SQLSTATE 28P01|SQLSTATE 08001", UNCHANGED],
                    setup_env=wrong)
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        down = dict(env, VITALS_PG_PORT=str(s.getsockname()[1]))  # nothing listens there
    expect_rejected(env, work, "server_down", odbc_source(pg),
                    [r"cannot connect to the database", r"SQLSTATE 08001", UNCHANGED],
                    setup_env=down)
    expect_rejected(env, work, "unknown_table",
                    odbc_source(pg, query=QUERY.replace("FROM dashboard", "FROM no_such_table")),
                    [r"SQLSTATE 42P01", r"no_such_table", UNCHANGED])
    text = expect_rejected(env, work, "bad_value",
                           odbc_source(pg, query=QUERY.replace("FROM dashboard",
                                                               "FROM bad_values")),
                           [r"row \d+, column 'value': 'n/a' is not a number", UNCHANGED])
    # A double precision column is read as a number: NaN is not a figure.
    expect_rejected(env, work, "nan_value",
                    odbc_source(pg, query=QUERY.replace(
                        "period, value,", "period, CAST('NaN' AS double precision) AS value,")),
                    [r"row \d+, column 'value': 'nan' is not a number", UNCHANGED])
    # The database quotes the password back: the message shows *** instead.
    expect_rejected(
        env, work, "password_in_error",
        odbc_source(pg, query="SELECT CAST('%s' AS integer) AS value WHERE ? <> ''" % PASSWORD),
        [r"SQLSTATE 22P02", r"\*\*\*", UNCHANGED])
    # A query slower than query_timeout_s is cancelled by the driver.
    started = time.monotonic()
    expect_rejected(env, work, "query_timeout",
                    odbc_source(pg, query=QUERY.replace("FROM dashboard",
                                                        "FROM dashboard, pg_sleep(60)"),
                                extra="query_timeout_s = 1\n"),
                    [r"SQLSTATE (HYT00|57014)", UNCHANGED])
    if time.monotonic() - started > 30:
        fail("the query was not cancelled after query_timeout_s")
    missing = dict(env)
    del missing["VITALS_PG_PASSWORD"]
    expect_rejected(env, work, "missing_variable", odbc_source(pg),
                    [r"environment variable 'VITALS_PG_PASSWORD'", r"catalogue.toml:\d+"],
                    setup_env=missing)
    literal = odbc_source(pg).replace("${VITALS_PG_PASSWORD}", PASSWORD)
    expect_rejected(env, work, "literal_password", literal, [r"holds a password"])
    cat = copy_example(work, "bad_setting", odbc_source(pg, extra='period_colum = "period"\n'))
    check = vitals(env, "check", "--catalogue", cat)
    text = check.stdout + check.stderr
    if check.returncode == 0 or not re.search(r"catalogue.toml:\d+.*period_colum", text) or \
            "did you mean 'period_column'" not in text:
        fail("vitals check did not locate the misspelt setting:\n" + text)
    print("ok: vitals check locates a misspelt setting")


def check_nulls(pg, env, work):
    """NULL figures are missing values, never zero; a DATE period column gives its month."""
    pg.sql("CREATE TABLE dated AS SELECT indicator_id, to_date(period, 'YYYY-MM') AS period, "
           "value, numerator, denominator, target FROM dashboard")
    pg.sql("UPDATE dated SET value = NULL, numerator = NULL, denominator = NULL "
           "WHERE period = DATE '2016-12-01'")
    q = ("SELECT indicator_id, period, value, numerator, denominator, target FROM dated "
         "WHERE period <= CAST(? AS date) ORDER BY indicator_id, period")
    cat = copy_example(work, "nulls", odbc_source(pg, query=q).replace(
        'parameter_1 = "2017-03"', 'parameter_1 = "2017-03-31"'))
    run, store, out = evaluate(env, work, "nulls", cat)
    if run.returncode != 0:
        fail("NULLs and dates: evaluate failed:\n" + run.stdout + run.stderr)
    if stored_series(store) == 0:
        fail("NULLs and dates: nothing stored")
    print("ok: NULLs and DATE periods accepted")


def sleeping_queries(pg):
    """How many of the server's sessions are running the slow query."""
    return int(pg.sql("SELECT count(*) FROM pg_stat_activity WHERE state = 'active' AND "
                      "query LIKE '%%pg_sleep(600)%%' AND pid <> pg_backend_pid()").split()[2])


def wait_until(condition, seconds):
    until = time.monotonic() + seconds
    while time.monotonic() < until:
        if condition():
            return True
        time.sleep(0.1)
    return condition()


def check_cancel(pg, env, work):
    """A run stopped while the server is still working on the query (before
    its first row) ends the query on the server too: at the deadline of an
    isolated source, and when `vitals` itself is interrupted."""
    slow = QUERY.replace("FROM dashboard", "FROM dashboard, pg_sleep(600)")
    started = time.monotonic()
    expect_rejected(env, work, "deadline",
                    odbc_source(pg, query=slow, extra='isolation = "process"\ntimeout_s = 2\n'),
                    [r"timeout|deadline|did not reply", UNCHANGED])
    if time.monotonic() - started > 60:
        fail("the isolated source was not stopped at its deadline")
    if not wait_until(lambda: sleeping_queries(pg) == 0, 10):
        fail("the query still runs on the server 10 s after the source's deadline")
    print("ok: the query ends on the server when an isolated source reaches its deadline")

    cat = copy_example(work, "interrupted", odbc_source(pg, query=slow))
    run = subprocess.Popen([VITALS, "evaluate", "--catalogue", cat, "--period", "2017-03",
                            "--store", os.path.join(work, "interrupted.db")],
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
    try:
        if not wait_until(lambda: sleeping_queries(pg) == 1, 30):
            fail("the slow query did not start")
        run.send_signal(signal.SIGINT)
        run.wait(timeout=30)
    finally:
        if run.poll() is None:
            run.kill()
            run.wait()
    if not wait_until(lambda: sleeping_queries(pg) == 0, 10):
        fail("the query still runs on the server 10 s after vitals was interrupted")
    print("ok: the query ends on the server when vitals is interrupted")


def doc_blocks(lang):
    blocks, current = [], None
    with open(os.path.join(SRC, "docs", "sources-odbc.md"), encoding="utf-8") as f:
        for line in f.read().splitlines():
            if line.startswith("```"):
                if current is None:
                    current = [] if line[3:].strip() == lang else False
                else:
                    if current is not False:
                        blocks.append("\n".join(current) + "\n")
                    current = None
            elif isinstance(current, list):
                current.append(line)
    return blocks


def check_docs(pg, env, work):
    """docs/sources-odbc.md: its SQL and PostgreSQL source give the five
    exceptions; its SQL Server sources pass `vitals check`."""
    sql = doc_blocks("sql")
    sources = [b for b in doc_blocks("toml") if 'plugin = "odbc"' in b]
    if len(sql) != 1 or len(sources) != 3:
        fail("expected 1 SQL block and 3 odbc sources in the doc, found %d and %d"
             % (len(sql), len(sources)))
    pg.sql(sql[0])
    pg.sql("INSERT INTO vitals_dashboard SELECT indicator_id, period, value, numerator, "
           "denominator, target FROM dashboard")
    if "Driver=PostgreSQL Unicode" not in sources[0]:
        fail("the first example is not the PostgreSQL one")
    cat = copy_example(work, "docs_pg", sources[0])
    run, _, out = evaluate(env, work, "docs_pg", cat)
    if run.returncode != 0:
        fail("the doc's PostgreSQL example failed:\n" + run.stdout + run.stderr)
    if len(without_provenance(out, cat)["exceptions"]) != 5:
        fail("the doc's PostgreSQL example does not give five exceptions")
    for i, source in enumerate(sources[1:]):
        cat = copy_example(work, "docs_%d" % i, source)
        check = vitals(env, "check", "--catalogue", cat)
        if check.returncode != 0:
            fail("vitals check refused the doc's example:\n%s\n%s%s"
                 % (source, check.stdout, check.stderr))
    print("ok: the doc's examples run")


def main():
    try:
        pg = PgServer().start()
    except ServerUnavailable as e:
        print("SKIP: no PostgreSQL server can start here: %s" % e)
        sys.exit(77)
    work = tempfile.mkdtemp(prefix="vitals-odbc-")
    try:
        pg.sql(TABLE)
        pg.copy_csv("dashboard (indicator_id, title, polarity, unit, period, value, numerator, "
                    "denominator, target)",
                    os.path.join(SRC, "examples", "norfolk", "data", "dashboard.csv"))
        env = dict(os.environ, **pg.env())
        {"norfolk": check_norfolk, "bad_input": check_bad_input,
         "nulls": check_nulls, "docs": check_docs, "cancel": check_cancel}[SCENARIO](pg, env, work)
    finally:
        pg.stop()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
