#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Crash safety of the store, shown rather than assumed.

Usage: crash_safety_test.py VITALS_BINARY SOURCE_DIR [SEED]

On a generated catalogue large enough that a run takes a while:
  - `vitals ingest` and `vitals evaluate` are killed with SIGKILL at random
    moments (seeded; the seed is printed and can be given to repeat a run);
    after each kill the store must pass PRAGMA integrity_check, every row
    committed before the kill must still be there, and Vitals must open it;
  - a full disk (a file size limit on the process, and a small tmpfs when the
    test may mount one) and a read-only store (file, and folder) must give a
    clear error and leave the store's content exactly as it was.
"""
import os
import random
import resource
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

vitals, src = sys.argv[1], Path(sys.argv[2])
seed = int(sys.argv[3]) if len(sys.argv) > 3 else int(os.environ.get("VITALS_CRASH_SEED", "2026"))
rng = random.Random(seed)
print(f"seed {seed}")

KILLS = 24  # half ingest, half evaluate
MONTHS = 96
PERIOD = "2023-12"
MIN_SECONDS = 0.4  # a run at least this long, so that most kills land mid-run
indicators = 400  # doubled until a run takes MIN_SECONDS

work = Path(tempfile.mkdtemp(prefix="vitals-crash-"))
os.chmod(work, 0o755)  # readable by the unprivileged user of the read-only case
failures = []


def fail(message):
    failures.append(message)
    print("FAIL:", message)


def month(i):
    return f"{2016 + i // 12}-{i % 12 + 1:02d}"


def write_catalogue(cat):
    (cat / "indicators").mkdir(parents=True)
    (cat / "data").mkdir()
    (cat / "catalogue.toml").write_text(
        '[catalogue]\nname = "Generated"\n'
        f'rule_dirs = ["{src}/rules/council"]\n\n'
        '[sources.gen]\nplugin = "csv"\npath = "data/gen.csv"\n')
    with open(cat / "indicators" / "gen.toml", "w") as out:
        for n in range(indicators):
            out.write(f'[[indicator]]\nid = "ind_{n:04d}"\ntitle = "Indicator {n}"\n'
                      'polarity = "bigger"\nunit = "percent"\nfrequency = "monthly"\n'
                      'target = 50.0\nsource = "gen"\n\n')


def write_data(cat, version):
    """Every figure differs from the last version's, so an ingest writes every series."""
    with open(cat / "data" / "gen.csv", "w") as out:
        out.write("indicator_id,period,value\n")
        for n in range(indicators):
            for m in range(MONTHS):
                out.write(f"ind_{n:04d},{month(m)},{40 + (n * 7 + m * 3 + version) % 25}.{version % 10}\n")


def vitals_args(command, store, cat):
    args = [vitals, command, "--catalogue", str(cat), "--store", str(store)]
    if command == "evaluate":
        args += ["--period", PERIOD, "--no-ingest", "--format", "json", "--output", os.devnull]
    return args


def run(command, store, cat, **kw):
    return subprocess.run(vitals_args(command, store, cat), capture_output=True, text=True, **kw)


# What the store remembers of each source's last read (schema versions 7 and 12) is
# forgotten on purpose before a source is read again, and written anew after.
REMEMBERED_READS = ("source_reads", "source_read_diagnostics", "source_read_unknown_series",
                    "source_read_files")


def committed(store):
    """Every row of every table, as sets; a run's replaced_by is set later by
    design, and the remembered reads are replaced by design."""
    db = sqlite3.connect(f"file:{store}?mode=ro", uri=True)
    try:
        tables = [r[0] for r in db.execute(
            "SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name")
            if r[0] not in REMEMBERED_READS]
        rows = {}
        for t in tables:
            cols = [r[1] for r in db.execute(f"PRAGMA table_info({t})") if r[1] != "replaced_by"]
            rows[t] = set(db.execute(f"SELECT {', '.join(cols)} FROM {t}"))
        return rows
    finally:
        db.close()


def integrity(store):
    db = sqlite3.connect(str(store))
    try:
        return db.execute("PRAGMA integrity_check").fetchone()[0]
    finally:
        db.close()


def dump(store):
    """The store's content as SQL, except which sources failed at the last
    ingest (source_failures): a failed ingest records that on purpose; and
    the remembered reads, which a read forgets before it starts."""
    skipped = ('INSERT INTO "source_failures"',) + tuple(
        f'INSERT INTO "{t}"' for t in REMEMBERED_READS)
    db = sqlite3.connect(f"file:{store}?mode=ro", uri=True)
    try:
        return "\n".join(line for line in db.iterdump() if not line.startswith(skipped))
    finally:
        db.close()


def checkpoint(store):
    """Folds the WAL into the file and removes it, so the store is one file."""
    db = sqlite3.connect(str(store))
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db.close()


def timed(command, store, cat):
    start = time.monotonic()
    done = run(command, store, cat)
    if done.returncode != 0:
        fail(f"{command} exited {done.returncode}: {done.stderr[-2000:]}")
    return time.monotonic() - start


try:
    cat = work / "catalogue"
    store = work / "v.db"
    while True:
        shutil.rmtree(cat, ignore_errors=True)
        for f in work.glob("v.db*"):
            f.unlink()
        write_catalogue(cat)
        write_data(cat, 0)
        t_ingest = timed("ingest", store, cat)
        t_evaluate = timed("evaluate", store, cat)
        print(f"ingest {t_ingest:.2f} s, evaluate {t_evaluate:.2f} s "
              f"({indicators} indicators x {MONTHS} months)")
        if failures:
            raise SystemExit(1)
        if min(t_ingest, t_evaluate) >= MIN_SECONDS or indicators >= 6400:
            break
        indicators *= 2

    # SIGKILL at random moments.
    landed = {"ingest": 0, "evaluate": 0}
    for i in range(KILLS):
        command = "ingest" if i % 2 == 0 else "evaluate"
        if command == "ingest":
            write_data(cat, i + 1)
        before = committed(store)
        delay = rng.uniform(0.0, 1.1 * (t_ingest if command == "ingest" else t_evaluate))
        child = subprocess.Popen(vitals_args(command, store, cat),
                                 stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(delay)
        if child.poll() is None:
            landed[command] += 1
        child.send_signal(signal.SIGKILL)
        child.wait()
        check = integrity(store)
        if check != "ok":
            fail(f"kill {i} ({command} after {delay:.3f} s): integrity_check says {check}")
        after = committed(store)
        for table, rows in before.items():
            lost = rows - after.get(table, set())
            if lost:
                fail(f"kill {i} ({command} after {delay:.3f} s): {len(lost)} committed rows of "
                     f"{table} lost, e.g. {sorted(lost)[:1]}")
        opened = subprocess.run([vitals, "runs", "--store", str(store)],
                                capture_output=True, text=True)
        if opened.returncode != 0:
            fail(f"kill {i}: vitals runs cannot open the store: {opened.stderr}")
    print(f"killed mid-run: {landed['ingest']} ingests, {landed['evaluate']} evaluations "
          f"of {KILLS // 2} each")
    if landed["ingest"] < KILLS // 6 or landed["evaluate"] < KILLS // 6:
        fail(f"too few kills landed mid-run ({landed}); the runs are too quick to test")
    # Whatever was interrupted can be done again.
    timed("ingest", store, cat)
    timed("evaluate", store, cat)

    # A full disk: writes beyond a file size limit fail (EFBIG) in the child.
    # Each case below ingests figures the store does not hold yet, so that the
    # ingest has to write. The WAL, where a transaction goes, starts empty and
    # may not grow past the limit.
    write_data(cat, 1000)
    checkpoint(store)
    before = dump(store)
    limit = 256 * 1024

    def limited():
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    done = subprocess.run(vitals_args("ingest", store, cat), capture_output=True, text=True,
                          preexec_fn=limited)
    if done.returncode == 0:
        fail("an ingest past the file size limit succeeded")
    elif "file size limit" not in done.stderr or str(store) not in done.stderr:
        fail(f"a full disk does not give a clear error naming the store: {done.stderr[-2000:]}")
    else:
        print(f"file size limit: {done.stderr.strip().splitlines()[-1]}")
    if dump(store) != before:
        fail("the store changed after an ingest that ran out of space")
    if integrity(store) != "ok":
        fail("the store is damaged after an ingest that ran out of space")

    # A full disk for real, when this test may mount a small tmpfs.
    small = work / "small"
    small.mkdir()
    size_kib = store.stat().st_size // 1024 + 256
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size_kib}k", "tmpfs",
                              str(small)], capture_output=True, text=True)
    if mounted.returncode != 0:
        print(f"SKIP full tmpfs: mounting one is not permitted here ({mounted.stderr.strip()}); "
              "the file size limit above stands in for it")
    else:
        try:
            shutil.copy(store, small / "v.db")
            write_data(cat, 2001)
            done = run("ingest", small / "v.db", cat)
            if done.returncode == 0:
                fail("an ingest into a full tmpfs succeeded")
            elif "disk is full" not in done.stderr:
                fail(f"a full tmpfs does not give a clear error: {done.stderr[-2000:]}")
            elif dump(small / "v.db") != before:
                fail("the store on a full tmpfs changed")
            else:
                print("full tmpfs: refused, store unchanged")
        finally:
            subprocess.run(["umount", str(small)])

    # A read-only store, and a store in a read-only folder. As root, the
    # permissions are tested by running Vitals as an unprivileged user.
    as_root = os.geteuid() == 0
    nobody = 65534

    def unprivileged():
        if as_root:
            os.setgid(nobody)
            os.setgroups([])
            os.setuid(nobody)

    for version, case in ((3002, "file"), (4003, "folder")):
        write_data(cat, version)
        folder = work / f"ro_{case}"
        folder.mkdir()
        checkpoint(store)
        before_ro = dump(store)
        shutil.copy(store, folder / "v.db")  # one file: the WAL was folded in
        if case == "file":
            os.chmod(folder / "v.db", 0o444)
            if as_root:
                os.chown(folder, nobody, nobody)
        else:
            os.chmod(folder, 0o555)
            if as_root:
                os.chown(folder / "v.db", nobody, nobody)
        done = subprocess.run(vitals_args("ingest", folder / "v.db", cat), capture_output=True,
                              text=True, preexec_fn=unprivileged)
        if done.returncode == 0:
            fail(f"an ingest into a read-only {case} succeeded")
        elif str(folder / "v.db") not in done.stderr or "read-only" not in done.stderr:
            fail(f"a read-only {case} does not give a clear error: {done.stderr[-2000:]}")
        else:
            print(f"read-only {case}: {done.stderr.strip().splitlines()[-1]}")
        os.chmod(folder, 0o755)
        if dump(folder / "v.db") != before_ro:
            fail(f"the store in a read-only {case} changed")
finally:
    shutil.rmtree(work, ignore_errors=True)

if failures:
    print(f"{len(failures)} failure(s); seed {seed}")
    sys.exit(1)
print("PASS")
