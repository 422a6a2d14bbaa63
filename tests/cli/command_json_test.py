#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""`--format json` of `vitals check`, `vitals explain` and `vitals rules test`:
each prints one JSON document (no duplicate keys) with the documented keys and
the exit status of its text output, and the doc's example is what check prints.

Usage: command_json_test.py VITALS_BINARY SOURCE_DIR WORK_DIR
"""
import json
import shutil
import subprocess
import sys
from pathlib import Path

vitals, src, work = sys.argv[1], Path(sys.argv[2]), Path(sys.argv[3])
shutil.rmtree(work, ignore_errors=True)
work.mkdir(parents=True)
failures = []
norfolk = src / "examples" / "norfolk"


def no_duplicates(pairs):
    keys = [k for k, _ in pairs]
    dupes = sorted({k for k in keys if keys.count(k) > 1})
    if dupes:
        failures.append(f"duplicate keys {dupes} in one object")
    return dict(pairs)


def run(*args, status=0):
    done = subprocess.run([vitals, *args], capture_output=True, text=True, cwd=work)
    if done.returncode != status:
        failures.append(f"vitals {' '.join(args)} exited {done.returncode}, expected {status}: "
                        f"{done.stderr}")
    try:
        return json.loads(done.stdout, object_pairs_hook=no_duplicates)
    except json.JSONDecodeError as e:
        failures.append(f"vitals {' '.join(args)} printed no JSON ({e}):\n{done.stdout}")
        return {}


def expect(what, actual, wanted):
    if actual != wanted:
        failures.append(f"{what}: {actual!r}, expected {wanted!r}")


# check: a good catalogue.
good = run("check", "--catalogue", str(norfolk), "--format", "json")
expect("check format", good.get("format"), "vitals.check/1")
expect("check ok", good.get("ok"), True)
expect("check counts", [good.get(k) for k in ("indicators", "sources", "rules")], [15, 4, 4])
with_modules = run("check", "--catalogue", str(norfolk), "--format", "json", "--modules")
if not any(m["module"] == "vitals.series" for m in with_modules.get("modules", [])):
    failures.append(f"check --modules lists no vitals.series: {with_modules.get('modules')}")

# check: the doc's example, a misspelt key in a copy of the example.
mine = work / "my-committee"
shutil.copytree(norfolk, mine)
catalogue = (mine / "catalogue.toml").read_text(encoding="utf-8")
(mine / "catalogue.toml").write_text(
    catalogue.replace('"../../rules/council"', '"vitals:council"'), encoding="utf-8")
carers = (mine / "indicators" / "carers.toml").read_text(encoding="utf-8")
(mine / "indicators" / "carers.toml").write_text(carers.replace("\nunit = ", "\nunits = ", 1),
                                                  encoding="utf-8")
bad = run("check", "--catalogue", "my-committee", "--format", "json", status=2)
doc = (src / "docs" / "report-format.md").read_text(encoding="utf-8")
blocks = [b.split("```", 1)[0] for b in doc.split("```json\n")[1:]]
shown = [b for b in blocks if '"vitals.check/1"' in b]
if not shown:
    failures.append("report-format.md: no vitals.check/1 example")
else:
    example = json.loads(shown[0])
    example["vitals_version"] = bad.get("vitals_version")
    expect("report-format.md's check example", bad, example)

# A format that is neither text nor json is a usage error.
done = subprocess.run([vitals, "check", "--catalogue", str(norfolk), "--format", "xml"],
                      capture_output=True, text=True, cwd=work)
expect("check --format xml exit", done.returncode, 2)

# explain: one indicator, rule by rule, with the catalogue's settings.
explained = run("explain", "--catalogue", str(norfolk), "--store", str(work / "e.db"),
                "--indicator", "dtoc_social_care_per_100k", "--period", "2017-03", "--format", "json")
expect("explain format", explained.get("format"), "vitals.explain/1")
expect("explain period", explained.get("period"), "2017-03")
result = explained.get("result", {})
expect("explain indicator", result.get("indicator"), "dtoc_social_care_per_100k")
expect("explain exception", result.get("exception"), True)
rules = {o["rule"]: o for o in result.get("outcomes", [])}
expect("explain rules", sorted(rules), ["budget_impact", "deterioration", "off_target", "risk_impact"])
expect("explain off_target status", rules.get("off_target", {}).get("status"), "exception")
expect("explain budget settings", rules.get("budget_impact", {}).get("settings", {}).get("materiality_pct"), 1)
expect("explain history length", len(result.get("history", [])) > 0, True)
expect("explain derived_from", result.get("derived_from"), [])

# rules test: the shipped pack passes; a failing test is reported at its line.
passed = run("rules", "test", "vitals:council", "--format", "json")
expect("rules test format", passed.get("format"), "vitals.rule_tests/1")
expect("rules test ok", passed.get("ok"), True)
expect("rules test files", sorted(f["rule"] for f in passed.get("files", [])),
       ["budget_impact", "deterioration", "off_target", "risk_impact"])
if passed.get("tests", 0) < 20 or passed.get("failed") != 0:
    failures.append(f"rules test counts: {passed.get('tests')} tests, {passed.get('failed')} failed")

mine_rules = work / "my-rules"
mine_rules.mkdir()
shutil.copy(src / "rules/council/off_target.lua", mine_rules / "off_target.lua")
(mine_rules / "off_target.test.toml").write_text('''[[test]]
name = "a wrong expectation"
series = "90"
target = 100

expect = "ok"
''', encoding="utf-8")
failed = run("rules", "test", str(mine_rules), "--format", "json", status=1)
expect("failing rules test ok", failed.get("ok"), False)
expect("failing rules test counts", [failed.get("tests"), failed.get("failed")], [1, 1])
cases = [c for f in failed.get("files", []) for c in f["tests"]]
mismatch = cases[0]["mismatches"][0] if cases and cases[0]["mismatches"] else {}
expect("the mismatch", [mismatch.get(k) for k in ("what", "expected", "actual", "line")],
       ["status", "ok", "exception", 6])

if failures:
    print("\n".join(failures))
    sys.exit(1)
print("command JSON test passed")
