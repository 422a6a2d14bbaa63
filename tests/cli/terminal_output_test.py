#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""What `vitals` prints only on a terminal: the progress bar and colour.

Runs `vitals evaluate` on a generated catalogue of 5,000 indicators with
standard error on a pseudo-terminal and checks the progress bar is drawn
there with its counts and cleared; with --quiet, -q, or standard error on a
pipe, nothing of it is printed. Runs `vitals rules test` on a failing and a
passing test with standard output on a pseudo-terminal: PASS is green and
FAIL red, and there is no colour with NO_COLOR, --color=never or a pipe
(and colour with --color=always on a pipe). A catalogue error printed on a
terminal has "error" in red.

Usage: terminal_output_test.py VITALS_BINARY SOURCE_DIR WORK_DIR
"""
import fcntl
import json
import os
import pty
import re
import select
import shutil
import struct
import subprocess
import sys
import termios
from pathlib import Path

vitals, src, work = sys.argv[1], Path(sys.argv[2]), Path(sys.argv[3])
shutil.rmtree(work, ignore_errors=True)
work.mkdir(parents=True)
failures = []
INDICATORS = 5000
GREEN, RED, RESET = "\033[32m", "\033[31m", "\033[0m"


def run(args, tty, env_extra=None, columns=120):
    """Runs vitals with `tty` ("stdout", "stderr" or None) on a pseudo-terminal
    `columns` wide; returns (exit code, stdout, stderr) as text."""
    env = dict(os.environ)
    env.pop("NO_COLOR", None)
    env.update(env_extra or {})
    master = slave = None
    stdout = stderr = subprocess.PIPE
    if tty is not None:
        master, slave = pty.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 24, columns, 0, 0))
        if tty == "stdout":
            stdout = slave
        else:
            stderr = slave
    proc = subprocess.Popen([vitals, *args], stdout=stdout, stderr=stderr, cwd=work, env=env)
    if slave is not None:
        os.close(slave)
    streams = {}
    if proc.stdout:
        streams[proc.stdout.fileno()] = "stdout"
    if proc.stderr:
        streams[proc.stderr.fileno()] = "stderr"
    if master is not None:
        streams[master] = tty
    got = {"stdout": b"", "stderr": b""}
    while streams:
        ready, _, _ = select.select(list(streams), [], [], 120)
        if not ready:
            proc.kill()
            failures.append(f"vitals {' '.join(args)} did not finish")
            break
        for fd in ready:
            try:
                data = os.read(fd, 65536)
            except OSError:  # EIO: the terminal's last writer has gone
                data = b""
            if data:
                got[streams[fd]] += data
            else:
                del streams[fd]
    proc.wait()
    if master is not None:
        os.close(master)
    # A terminal turns "\n" into "\r\n".
    text = {k: v.decode("utf-8", "replace").replace("\r\n", "\n") for k, v in got.items()}
    return proc.returncode, text["stdout"], text["stderr"]


# A catalogue of INDICATORS monthly indicators, each with a year of data.
cat = work / "catalogue"
(cat / "indicators").mkdir(parents=True)
(cat / "data").mkdir()
(cat / "catalogue.toml").write_text(
    '[catalogue]\nname = "Progress"\nrule_dirs = ["vitals:council"]\n\n'
    '[sources.dashboard]\nplugin = "csv"\npath = "data/dashboard.csv"\n',
    encoding="utf-8")
indicators, rows = [], ["indicator_id,period,value"]
for i in range(INDICATORS):
    indicators.append(f'[[indicator]]\nid = "i{i:05d}"\ntitle = "Indicator {i}"\n'
                      f'polarity = "bigger"\nunit = "count"\nfrequency = "monthly"\n'
                      f'source = "dashboard"\ntarget = 50\n')
    for month in range(1, 13):
        rows.append(f"i{i:05d},2017-{month:02d},{40 + (i + month) % 20}")
(cat / "indicators" / "all.toml").write_text("\n".join(indicators), encoding="utf-8")
(cat / "data" / "dashboard.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")

evaluate = ["evaluate", "--catalogue", "catalogue", "--period", "2017-12", "--format", "json"]

# On a terminal: the bar, with the counts, redrawn with \r and cleared.
code, out, err = run(evaluate, "stderr")
if code != 0:
    failures.append(f"evaluate on a terminal exited {code}: {err}")
if f"/{INDICATORS:,} indicators" not in err or "evaluating  [" not in err:
    failures.append(f"no evaluation progress bar with its counts on the terminal: {err!r}")
if f"{INDICATORS:,}/{INDICATORS:,} indicators" not in err and "0/5,000" not in err:
    failures.append(f"the bar does not count the indicators: {err!r}")
if "\r" not in err or not err.endswith("\033[K"):
    failures.append(f"the bar is not redrawn with \\r and cleared at the end: {err!r}")


def indicator_count(text):
    try:
        return len(json.loads(text)["indicators"])
    except (ValueError, KeyError) as e:
        return f"no report ({e})"


if indicator_count(out) != INDICATORS:
    failures.append(f"the report on standard output has {indicator_count(out)} indicators")

# Every line the bar drew has the form docs/getting-started.md shows.
BAR = re.compile(r"^evaluating  \[[#.]{24}\] [\d,]+/[\d,]+ indicators(  [\d,]+/s  ETA \d+:\d\d)?$")
# Ingest has no known total: a count and a rate, drawn only when it lasts long
# enough for a report (on a slow machine, or a sanitizer build).
INGEST = re.compile(r"^ingesting  [\d,]+ series(  [\d,]+/s)?$")
drawn = [line.replace("\033[K", "") for line in err.split("\r")]
drawn = [line for line in drawn if line]
if not drawn or not all(BAR.match(line) or INGEST.match(line) for line in drawn):
    failures.append(f"the bar's lines are not of the documented form: {drawn!r}")
doc = (src / "docs" / "getting-started.md").read_text(encoding="utf-8")
shown = [line for line in doc.splitlines() if line.startswith("evaluating  [")]
if len(shown) != 1 or not BAR.match(shown[0]) or "ETA" not in shown[0]:
    failures.append(f"getting-started.md's bar is not what vitals draws: {shown!r}")

# On a narrow terminal the bar gives up cells so that its line never wraps.
code, out, err = run(evaluate, "stderr", columns=50)
drawn = [line.replace("\033[K", "") for line in err.split("\r")]
if not any(drawn) or any(len(line) >= 50 for line in drawn):
    failures.append(f"on a terminal 50 columns wide the bar wraps: {drawn!r}")

# With -v the engine's log lines are as on a pipe ("vitals: info: ...") and
# never follow the bar on its line: it is cleared first (\r, erase line).
code, out, err = run([*evaluate, "-v"], "stderr")
logged = [line for line in err.split("\n") if "vitals: " in line]
if not logged:
    failures.append(f"with -v on a terminal, no log lines: {err!r}")
for line in logged:
    before = line[:line.index("vitals: ")]
    if before not in ("", "\r\033[K") and not before.endswith("\r\033[K"):
        failures.append(f"with -v, a log line follows the bar: {line!r}")
    if not line[line.index("vitals: "):].startswith("vitals: info: "):
        failures.append(f"with -v, a log line is not as on a pipe: {line!r}")
if not any(f"{INDICATORS:,} indicators" in line for line in logged):
    failures.append(f"the run's log line does not count with separators: {logged!r}")

# --quiet and -q: nothing on the terminal.
for quiet in ["--quiet", "-q"]:
    code, out, err = run([*evaluate, quiet], "stderr")
    if code != 0 or err != "":
        failures.append(f"evaluate {quiet} on a terminal printed {err!r} (exit {code})")
    if indicator_count(out) != INDICATORS:
        failures.append(f"evaluate {quiet}: the report has {indicator_count(out)} indicators")

# A pipe (as in CI): nothing either.
code, out, err = run(evaluate, None)
if code != 0 or err != "":
    failures.append(f"evaluate with standard error on a pipe printed {err!r} (exit {code})")

# Rule tests: one passes, one fails.
rules = work / "rules"
rules.mkdir()
(rules / "latest.lua").write_text(
    'return { id = "latest", version = "1", description = "says the latest value",\n'
    '  evaluate = function(ctx)\n'
    '    return { status = "ok", message = "latest is " .. vitals.format(ctx.latest.value) }\n'
    '  end }\n', encoding="utf-8")
(rules / "latest.test.toml").write_text(
    '[[test]]\nname = "passes"\nseries = "1 2 3"\nexpect = "ok"\nmessage = "latest is 3"\n\n'
    '[[test]]\nname = "fails"\nseries = "1 2 3"\nexpect = "exception"\n', encoding="utf-8")


def rules_test(extra, tty="stdout", env=None):
    return run(["rules", "test", "rules", *extra], tty, env)


code, out, err = rules_test([])
if code != 1:
    failures.append(f"rules test on a terminal exited {code}: {out}{err}")
if f"  {GREEN}PASS{RESET}  passes" not in out:
    failures.append(f"PASS is not green on a terminal: {out!r}")
if f"  {RED}FAIL{RESET}  fails" not in out:
    failures.append(f"FAIL is not red on a terminal: {out!r}")
for label, extra, tty, env in [("NO_COLOR=1", [], "stdout", {"NO_COLOR": "1"}),
                               ("--color=never", ["--color=never"], "stdout", None),
                               ("a pipe", [], None, None)]:
    code, out, err = rules_test(extra, tty, env)
    if "\033[" in out or "  PASS  passes" not in out or "  FAIL  fails" not in out:
        failures.append(f"with {label}, rules test has colour or lacks PASS/FAIL: {out!r}")
# NO_COLOR set but empty does not turn colour off (no-color.org).
code, out, err = rules_test([], "stdout", {"NO_COLOR": ""})
if GREEN not in out:
    failures.append(f"an empty NO_COLOR turned colour off: {out!r}")
code, out, err = rules_test(["--color", "always"], None)
if f"  {GREEN}PASS{RESET}  passes" not in out or f"  {RED}FAIL{RESET}  fails" not in out:
    failures.append(f"--color always on a pipe has no colour: {out!r}")
code, out, err = rules_test(["--color=sometimes"], None)
if code != 2 or "--color must be always, never or auto" not in err:
    failures.append(f"--color=sometimes: exit {code}, {err!r}")

# A catalogue error on a terminal: "error" in red, plain with NO_COLOR.
bad = work / "bad"
shutil.copytree(cat, bad)
(bad / "indicators" / "all.toml").write_text(
    '[[indicator]]\nid = "x"\ntitle = "X"\npolarity = "sideways"\nunit = "count"\n'
    'frequency = "monthly"\nsource = "dashboard"\n', encoding="utf-8")
code, out, err = run(["check", "--catalogue", "bad"], "stderr")
code2, out2, err2 = run(["check", "--catalogue", "bad"], "stdout")
shown = err + out2
if f"{RED}error{RESET}:" not in shown:
    failures.append(f"a catalogue error on a terminal has no red 'error': {err!r} {out2!r}")
code, out, err = run(["check", "--catalogue", "bad"], "stdout", {"NO_COLOR": "x"})
if "\033[" in out + err or "error:" not in out + err:
    failures.append(f"with NO_COLOR the catalogue error has colour: {out!r} {err!r}")

if failures:
    print("\n".join(failures))
    sys.exit(1)
print("terminal output: progress bar, --quiet, pipes and colour as documented")
