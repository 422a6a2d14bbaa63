#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""A private, throwaway PostgreSQL server for tests and benchmarks.

    from pg_server import PgServer, ServerUnavailable
    with PgServer() as pg:            # initdb + postgres on 127.0.0.1:<free port>
        pg.sql("CREATE TABLE t (x int)")
        pg.connection_string()        # for the odbc plugin (psqlODBC by path)

The data directory and the unix socket live in one temporary folder, removed
when the server stops (on leaving the `with`, even after a failure). When run
as root (CI), the server runs as the unprivileged user `nobody` (runuser).
ServerUnavailable says that what a server needs is not installed here (no
binaries, no driver), so that a test can skip with a clear message; under CI
(CI=true, whose install step installs both) it is not raised: the test fails.
A server that is installed but fails to start (initdb or postgres failing)
raises ServerFailed, which fails the test: that is a fault to see, not an
environment to skip.
"""

import glob
import os
import shutil
import socket
import stat
import subprocess
import tempfile
import time

PSQLODBC = "/usr/lib/x86_64-linux-gnu/odbc/psqlodbcw.so"
USER = "vitals"
PASSWORD = "s3cret-Pa55word"  # a throwaway server's; tests check it never shows


class ServerUnavailable(Exception):
    pass


class ServerFailed(RuntimeError):
    pass


def _missing(reason):
    """ServerUnavailable, or under CI (where it is installed) ServerFailed."""
    if os.environ.get("CI", "").lower() in ("true", "1", "yes"):
        return ServerFailed(reason + ", which the CI install step should have installed")
    return ServerUnavailable(reason)


def _bin_dir():
    dirs = sorted(glob.glob("/usr/lib/postgresql/*/bin"), reverse=True)
    for d in dirs:
        if os.path.exists(os.path.join(d, "postgres")):
            return d
    raise _missing("no PostgreSQL server binaries under /usr/lib/postgresql "
                   "(Debian package postgresql)")


def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class PgServer:
    def __init__(self, database="vitals"):
        self.database = database
        self.bin = _bin_dir()
        if not os.path.exists(PSQLODBC):
            raise _missing("no psqlODBC driver at %s (Debian package odbc-postgresql)"
                           % PSQLODBC)
        self.dir = None
        self.port = None
        self.proc = None

    def _as_server_user(self, argv):
        """`argv` as run by the server's user: `nobody` when we are root. Every
        step execs the next, so the process started is the server itself."""
        if os.geteuid() != 0:
            return argv
        drop = ["setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups", "--"]
        if not stat.S_ISCHR(os.stat("/dev/null").st_mode):
            # Some containers have a plain file at /dev/null, which `nobody`
            # cannot write (initdb and postgres do): the server gets a real one
            # in a mount namespace of its own.
            null = os.path.join(self.dir, "null")
            if not os.path.exists(null):
                os.mknod(null, 0o666 | stat.S_IFCHR, os.makedev(1, 3))
                os.chmod(null, 0o666)
            return (["unshare", "-m", "sh", "-c", 'mount --bind "$0" /dev/null && exec "$@"',
                     null] + drop + argv)
        return drop + argv

    def start(self):
        self.dir = tempfile.mkdtemp(prefix="vitals-pg-")
        data = os.path.join(self.dir, "data")
        os.mkdir(data, 0o700)
        pwfile = os.path.join(self.dir, "pw")
        with open(pwfile, "w") as f:
            f.write(PASSWORD + "\n")
        if os.geteuid() == 0:
            os.chmod(self.dir, 0o755)
            shutil.chown(data, "nobody", "nogroup")
            shutil.chown(pwfile, "nobody", "nogroup")
            shutil.chown(self.dir, "nobody", "nogroup")
        init = subprocess.run(self._as_server_user(
            [os.path.join(self.bin, "initdb"), "-D", data, "-U", USER, "--pwfile", pwfile,
             "-A", "scram-sha-256", "-E", "UTF8", "--locale", "C", "--no-sync"]),
            capture_output=True, text=True, cwd=self.dir)
        os.remove(pwfile)
        if init.returncode != 0:
            self.stop()
            raise ServerFailed("initdb failed: " + init.stderr.strip()[-500:])
        for _ in range(5):
            self.port = _free_port()
            self.proc = subprocess.Popen(self._as_server_user(
                [os.path.join(self.bin, "postgres"), "-D", data, "-h", "127.0.0.1",
                 "-p", str(self.port), "-k", self.dir, "-F", "-c", "fsync=off",
                 "-c", "synchronous_commit=off", "-c", "full_page_writes=off"]),
                stdout=subprocess.DEVNULL, stderr=open(os.path.join(self.dir, "log"), "w"),
                cwd=self.dir)
            if self._wait_ready():
                break
            self._kill()
        else:
            log = open(os.path.join(self.dir, "log")).read()[-500:]
            self.stop()
            raise ServerFailed("postgres did not start: " + log)
        self.sql("CREATE DATABASE %s" % self.database, database="postgres")
        return self

    def _wait_ready(self):
        for _ in range(200):
            if self.proc.poll() is not None:
                return False
            r = subprocess.run([os.path.join(self.bin, "pg_isready"), "-q", "-h", "127.0.0.1",
                                "-p", str(self.port)])
            if r.returncode == 0:
                return True
            time.sleep(0.05)
        return False

    def psql_env(self):
        env = dict(os.environ)
        env["PGPASSWORD"] = PASSWORD
        return env

    def sql(self, text, database=None, stdin=None):
        """Runs SQL through psql (ON_ERROR_STOP); returns its output."""
        r = subprocess.run(
            [os.path.join(self.bin, "psql") if os.path.exists(os.path.join(self.bin, "psql"))
             else "psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "-h", "127.0.0.1",
             "-p", str(self.port), "-U", USER, "-d", database or self.database, "-c", text],
            capture_output=True, text=True, env=self.psql_env(), input=stdin)
        if r.returncode != 0:
            raise RuntimeError("psql failed: " + r.stderr)
        return r.stdout

    def copy_csv(self, table, path):
        """Loads a CSV file with a header row into `table` (COPY FROM STDIN)."""
        with open(path, encoding="utf-8") as f:
            self.sql("COPY %s FROM STDIN WITH (FORMAT csv, HEADER true)" % table, stdin=f.read())

    def env(self):
        """The environment variables the documented connection string reads."""
        return {"VITALS_PG_PORT": str(self.port), "VITALS_PG_USER": USER,
                "VITALS_PG_PASSWORD": PASSWORD}

    def connection_string(self):
        return ("Driver=%s;Server=127.0.0.1;Port=${VITALS_PG_PORT};Database=%s;"
                "Uid=${VITALS_PG_USER};Pwd=${VITALS_PG_PASSWORD}" % (PSQLODBC, self.database))

    def _kill(self):
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()  # smart shutdown would wait for clients: use fast
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.proc = None

    def stop(self):
        self._kill()
        if self.dir is not None:
            shutil.rmtree(self.dir, ignore_errors=True)
            self.dir = None

    def __enter__(self):
        return self if self.proc is not None else self.start()

    def __exit__(self, *exc):
        self.stop()
        return False
