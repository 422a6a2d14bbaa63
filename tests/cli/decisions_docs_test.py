#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Runs the examples of docs/committee-decisions.md on a copy of the Norfolk example.

Its meeting files are written into the copy's meetings folder; `vitals check`
accepts them; the committee report shows what the page says; the file with
mistakes gets exactly the errors the page shows.

Usage: decisions_docs_test.py VITALS_BINARY SOURCE_DIR WORK_DIR
"""
import shutil
import subprocess
import sys
from pathlib import Path

vitals, src, work = str(Path(sys.argv[1]).resolve()), Path(sys.argv[2]), Path(sys.argv[3])
sys.path.insert(0, str(src / "tests" / "support"))
from norfolk_example import is_standing_warning  # noqa: E402
failures = []


def blocks(path):
    """The fenced code blocks of a Markdown file, in order, as (info string, text)."""
    out, current, info = [], None, None
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("```"):
            if current is None:
                current, info = [], line[3:].strip()
            else:
                out.append((info, "\n".join(current) + "\n"))
                current = None
        elif current is not None:
            current.append(line)
    return out


def run(*args):
    return subprocess.run([vitals, *args], capture_output=True, text=True, cwd=work)


doc = blocks(src / "docs" / "committee-decisions.md")
tomls = [text for info, text in doc if info == "toml"]
texts = [text for info, text in doc if info == "text"]
meeting_files = [t for t in tomls if t.startswith("# meetings/")]
if len(meeting_files) != 3 or len(texts) != 3:
    sys.exit(f"expected three meeting files and three outputs in the page, found {len(meeting_files)} and "
             f"{len(texts)}")
good, bad = meeting_files[:2], meeting_files[2]

# The page's catalogue.toml settings are those of the Norfolk example.
settings = tomls[0]
catalogue_toml = (src / "examples" / "norfolk" / "catalogue.toml").read_text(encoding="utf-8")
settings_lines = [line.split("#")[0].strip() for line in catalogue_toml.splitlines()]
for line in settings.splitlines()[1:]:
    if line.strip() not in settings_lines:
        failures.append(f"the page's catalogue setting {line!r} is not in examples/norfolk/catalogue.toml")

if work.exists():
    shutil.rmtree(work)
shutil.copytree(src / "rules", work / "rules")
catalogue = work / "examples" / "norfolk"
shutil.copytree(src / "examples" / "norfolk", catalogue)
shutil.rmtree(catalogue / "meetings")
(catalogue / "meetings").mkdir()
for text in good:
    name = text.splitlines()[0][2:]
    (catalogue / name).write_text(text, encoding="utf-8")

done = run("check", "--catalogue", str(catalogue))
if done.returncode != 0:
    failures.append(f"vitals check refused the page's meeting files ({done.returncode}):\n{done.stdout}{done.stderr}")

out = work / "out"
done = run("report", "--catalogue", str(catalogue), "--period", "2017-03", "--out", str(out), "--format",
           "markdown", "--store", str(work / "docs.db"))
if done.returncode != 0:
    failures.append(f"vitals report exited {done.returncode}:\n{done.stderr}")
else:
    report = (out / "committee-report-2017-03.md").read_text(encoding="utf-8")
    for shown in texts[:2]:
        if shown not in report:
            failures.append(f"the report does not show, as the page does:\n{shown}")

# --meeting names another meeting: the day after 19 June 2017, the page's
# report-backs of that meeting count (one done, one carried forward). A date
# that is not a date is refused.
out_later = work / "out-later"
done = run("report", "--catalogue", str(catalogue), "--period", "2017-03", "--out", str(out_later), "--format",
           "markdown", "--store", str(work / "docs.db"), "--no-ingest", "--meeting", "2017-06-20")
if done.returncode != 0:
    failures.append(f"vitals report --meeting 2017-06-20 exited {done.returncode}:\n{done.stderr}")
else:
    later = (out_later / "committee-report-2017-03.md").read_text(encoding="utf-8")
    for part in ["to be reported back at the meeting of 20 June 2017:\n\n- None.\n",
                 "report back on 4 September 2017 by Director of Community Social Work, carried forward once.",
                 "Report back on 19 June 2017 (Director of Integrated Care): reported back as done."]:
        if part not in later:
            failures.append(f"with --meeting 2017-06-20 the report lacks {part!r}")
done = run("report", "--catalogue", str(catalogue), "--period", "2017-03", "--out", str(work / "out-bad"),
           "--store", str(work / "docs.db"), "--no-ingest", "--meeting", "2017-06-31")
if done.returncode != 2 or "--meeting must be a date such as 2017-06-19, not '2017-06-31'" not in done.stderr:
    failures.append(f"--meeting 2017-06-31 was not refused as a usage error ({done.returncode}): {done.stderr}")

name = bad.splitlines()[0][2:]
(catalogue / name).write_text(bad, encoding="utf-8")
done = run("check", "--catalogue", str(catalogue))
if done.returncode != 2:
    failures.append(f"vitals check exited {done.returncode} on the file with mistakes, not 2")
errors = [line for line in (done.stdout + done.stderr).splitlines()
          if (": error: " in line or ": warning: " in line) and not is_standing_warning(line)]
expected = texts[2].splitlines()
if len(errors) != len(expected):
    failures.append("vitals check printed other errors than the page shows:\n" + "\n".join(errors))
for line in expected:
    if not any(e.endswith(line) and e[: -len(line)].endswith(str(catalogue) + "/") for e in errors):
        failures.append(f"not printed by vitals check: {line!r}\nprinted:\n" + "\n".join(errors))

if failures:
    print("\n\n".join(failures))
    sys.exit(1)
print("docs/committee-decisions.md: examples run as shown")
