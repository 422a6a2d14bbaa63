#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# End-to-end checks of `vitals rules test`, `vitals explain` and `vitals backtest`.
# Usage: rules_cli_test.sh SCENARIO VITALS_BINARY SOURCE_DIR
set -euo pipefail
scenario=$1
vitals=$2
src=$3
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

# A rule that reports the latest value, and a test file for it with one passing
# and one failing test.
write_failing_tests() {
  mkdir -p "$work/rules"
  cat > "$work/rules/latest.lua" <<'LUA'
return { id = "latest", version = "1", description = "says the latest value",
  evaluate = function(ctx)
    return { status = "ok", message = "latest is " .. vitals.format(ctx.latest.value) }
  end }
LUA
  cat > "$work/rules/latest.test.toml" <<'TOML'
[[test]]
name = "passes"
series = "1 2 3"
expect = "ok"
message = "latest is 3"

[[test]]
name = "fails on purpose <&>"
series = "1 2 3.5"
expect = "exception"
message = "latest is 3.4"
TOML
}

case "$scenario" in
  rules_failing)
    write_failing_tests
    run "$vitals" rules test "$work/rules" --junit "$work/junit.xml"
    [ "$rc" -eq 1 ] || { cat "$work/out" "$work/err"; fail "exit code $rc, expected 1"; }
    expect_contains "$work/out" "  PASS  passes"
    expect_contains "$work/out" "  FAIL  fails on purpose <&>  [rules/latest.test.toml:7:1]"
    expect_contains "$work/out" "        2016-06 status: expected exception, got ok (rules/latest.test.toml:10:10)"
    expect_contains "$work/out" "        2016-06 message differs at character 13 (rules/latest.test.toml:11:11):"
    expect_contains "$work/out" "          expected: latest is 3.4"
    expect_contains "$work/out" "          actual:   latest is 3.5"
    expect_contains "$work/out" "                               ^"
    expect_contains "$work/out" "2 tests: 1 passed, 1 failed"
    /usr/bin/python3 - "$work/junit.xml" <<'PY' || fail "the JUnit XML is not what CI servers read"
import sys
import xml.etree.ElementTree as ET
root = ET.parse(sys.argv[1]).getroot()
assert root.tag == "testsuites", root.tag
assert root.get("tests") == "2" and root.get("failures") == "1" and root.get("errors") == "0", root.attrib
suites = root.findall("testsuite")
assert len(suites) == 1 and suites[0].get("name") == "rules/latest.test.toml"
cases = suites[0].findall("testcase")
assert [c.get("name") for c in cases] == ["passes", "fails on purpose <&>"], [c.get("name") for c in cases]
assert cases[0].find("failure") is None
failure = cases[1].find("failure")
assert failure is not None and "expected exception, got ok" in failure.get("message")
assert "actual:   latest is 3.5" in failure.text
PY
    # The passing test alone passes.
    /usr/bin/python3 - "$work/rules/latest.test.toml" <<'PY'
import sys
path = sys.argv[1]
text = open(path).read()
open(path, "w").write(text[:text.index("\n[[test]]\nname = \"fails")] + "\n")
PY
    run "$vitals" rules test "$work/rules"
    [ "$rc" -eq 0 ] || { cat "$work/out"; fail "exit code $rc after removing the failing test"; }
    expect_contains "$work/out" "1 test: 1 passed, 0 failed"
    ;;
  rules_select)
    write_failing_tests
    # One file named, and one test of it selected by name: the failing one is not run.
    run "$vitals" rules test "$work/rules/latest.test.toml" --run '^pass'
    [ "$rc" -eq 0 ] || { cat "$work/out" "$work/err"; fail "exit code $rc"; }
    expect_contains "$work/out" "  PASS  passes"
    expect_not_contains "$work/out" "fails on purpose"
    expect_contains "$work/out" "1 test: 1 passed, 0 failed"
    run "$vitals" rules test "$work/rules" --run 'on purpose'
    [ "$rc" -eq 1 ] || fail "the selected failing test: exit code $rc"
    expect_contains "$work/out" "1 test: 0 passed, 1 failed"
    # A selection that runs nothing fails, so a CI job cannot pass by running no test.
    run "$vitals" rules test "$work/rules" --run 'no such test'
    [ "$rc" -eq 1 ] || fail "nothing selected: exit code $rc"
    expect_contains "$work/err" "no test's name matches --run 'no such test'"
    ;;
  rules_bad_file)
    write_failing_tests
    printf '[[test]]\nname = "typo"\nseries = "1 2 z"\nexpcet = "ok"\n' > "$work/rules/latest.test.toml"
    run "$vitals" rules test "$work/rules" --coverage
    [ "$rc" -eq 1 ] || { cat "$work/out"; fail "exit code $rc, expected 1"; }
    expect_contains "$work/out" "rules/latest.test.toml:3:15: error: series: 'z' is not a number"
    expect_contains "$work/out" "rules/latest.test.toml:4:1: error: unknown key 'expcet' in [[test]]; did you mean 'expect'? [config.unknown_key]"
    expect_contains "$work/out" "Rules without tests:"
    expect_contains "$work/out" "  rules/latest.lua"
    expect_contains "$work/out" "0 tests: 0 passed, 0 failed, 2 errors in test files"
    ;;
  rules_coverage)
    mkdir -p "$work/rules"
    cat > "$work/rules/limit.lua" <<'LUA'
return { id = "limit", version = "1", description = "compares the latest value with 10",
  evaluate = function(ctx)
    if ctx.latest.value > 10 then
      return { status = "exception", message = "over 10" }
    end
    return { status = "ok", message = "within 10" }
  end }
LUA
    printf '[[test]]\nname = "within"\nseries = "1 2"\nexpect = "ok"\n' > "$work/rules/limit.test.toml"
    run "$vitals" rules test "$work/rules" --coverage
    [ "$rc" -eq 0 ] || { cat "$work/out" "$work/err"; fail "--coverage: exit code $rc"; }
    expect_contains "$work/out" "Line coverage:"
    expect_contains "$work/out" "  rules/limit.lua 80.0% (missed 4)"
    expect_contains "$work/out" "  total 80.0% (4 of 5 lines)"
    # At the minimum passes; above it fails with both figures named.
    run "$vitals" rules test "$work/rules" --coverage-min 80
    [ "$rc" -eq 0 ] || { cat "$work/out" "$work/err"; fail "--coverage-min 80: exit code $rc"; }
    expect_not_contains "$work/out" "Line coverage:"
    run "$vitals" rules test "$work/rules" --coverage-min 80.5
    [ "$rc" -eq 1 ] || { cat "$work/out" "$work/err"; fail "--coverage-min 80.5: exit code $rc"; }
    expect_contains "$work/err" "vitals: line coverage 80.0% is below the minimum of 80.5% (4 of 5 lines run by the tests)"
    expect_contains "$work/out" "1 test: 1 passed, 0 failed"
    run "$vitals" rules test "$work/rules" --coverage --coverage-min=100 --format json
    [ "$rc" -eq 1 ] || fail "--coverage-min=100 --format json: exit code $rc"
    /usr/bin/python3 - "$work/out" <<'PY' || fail "the JSON coverage section"
import json, sys
doc = json.load(open(sys.argv[1]))
c = doc["coverage"]
assert (c["lines"], c["hit"], c["percent"]) == (5, 4, 80.0), c
assert c["files"] == [{"file": "rules/limit.lua", "lines": 5, "hit": 4, "percent": 80.0, "missed": [4]}], c
PY
    # A test for the other branch: 100%.
    printf '\n[[test]]\nname = "over"\nseries = "11"\nexpect = "exception"\n' >> "$work/rules/limit.test.toml"
    run "$vitals" rules test "$work/rules" --coverage --coverage-min 100
    [ "$rc" -eq 0 ] || { cat "$work/out" "$work/err"; fail "full coverage: exit code $rc"; }
    expect_contains "$work/out" "  rules/limit.lua 100.0%"
    # Enough coverage does not hide a failing test.
    printf '\n[[test]]\nname = "wrong"\nseries = "11"\nexpect = "ok"\n' >> "$work/rules/limit.test.toml"
    run "$vitals" rules test "$work/rules" --coverage-min 50
    [ "$rc" -eq 1 ] || fail "failing test with enough coverage: exit code $rc"
    # A minimum that is not a percentage is a usage error.
    for bad in abc -1 101 '' 50%; do
      run "$vitals" rules test "$work/rules" --coverage-min "$bad"
      [ "$rc" -eq 2 ] || fail "--coverage-min '$bad': exit code $rc"
      expect_contains "$work/err" "--coverage-min must be a percentage from 0 to 100, not '$bad'"
    done
    ;;
  rules_usage)
    run "$vitals" rules
    [ "$rc" -eq 2 ] || fail "no subcommand: exit code $rc"
    expect_contains "$work/err" "vitals rules test [DIR or FILE...]"
    run "$vitals" rules test "$work/absent"
    [ "$rc" -eq 2 ] || fail "missing folder: exit code $rc"
    expect_contains "$work/err" "rule folder or test file '$work/absent' does not exist"
    run "$vitals" rules test "$work" --run '('
    [ "$rc" -eq 2 ] || fail "bad --run: exit code $rc"
    expect_contains "$work/err" "'(' is not a regular expression"
    run "$vitals" rules test "$work" --colour
    [ "$rc" -eq 2 ] || fail "unknown option: exit code $rc"
    expect_contains "$work/err" "unknown option '--colour'"
    run "$vitals" rules --help
    [ "$rc" -eq 0 ] || fail "help: exit code $rc"
    expect_contains "$work/out" "--junit FILE"
    ;;
  explain_norfolk)
    run "$vitals" explain --catalogue "$src/examples/norfolk" --indicator dtoc_social_care_per_100k \
        --period 2017-03 --store "$work/v.db"
    [ "$rc" -eq 0 ] || { cat "$work/out" "$work/err"; fail "exit code $rc"; }
    expect_contains "$work/out" "Number of days delay in transfers of care per 100,000 population (attributable to social care) (dtoc_social_care_per_100k), Mar 2017"
    expect_contains "$work/out" "Smaller is better; monthly; latest result 3.56 for Mar 2017 against a target of 1.50; data current"
    expect_contains "$work/out" "Reported by exception."
    expect_contains "$work/out" "off_target: FIRED: report by exception"
    expect_contains "$work/out" "  3.56 against a target of 1.50: 137% worse than target, tolerance 5%"
    expect_contains "$work/out" "  compared: period 2017-03; rag red; target 1.5; threshold_pct 5; value 3.56; variance_pct 137.33"
    expect_contains "$work/out" "deterioration: FIRED: report by exception"
    expect_contains "$work/out" "  settings: run = 3"
    # Nothing is recorded: the store holds no run.
    /usr/bin/python3 -c "import sqlite3,sys; c=sqlite3.connect(sys.argv[1]); n=c.execute('select count(*) from runs').fetchone()[0]; sys.exit(0 if n == 0 else 1)" "$work/v.db" \
        || fail "explain recorded a run"
    # A period where the rule did not fire says why not.
    run "$vitals" explain --catalogue "$src/examples/norfolk" --indicator home_91_days_after_reablement \
        --period 2017-03 --store "$work/v.db" --no-ingest
    [ "$rc" -eq 0 ] || { cat "$work/err"; fail "exit code $rc"; }
    expect_contains "$work/out" "Not reported by exception."
    expect_contains "$work/out" "off_target: did not fire"
    expect_contains "$work/out" "  94.2% against a target of 90.0%: on target"
    run "$vitals" explain --catalogue "$src/examples/norfolk" --indicator nope --period 2017-03 --store "$work/v.db"
    [ "$rc" -eq 2 ] || fail "unknown indicator: exit code $rc"
    expect_contains "$work/err" "unknown indicator 'nope'"
    run "$vitals" explain --catalogue "$src/examples/norfolk" --period 2017-03 --store "$work/v.db"
    [ "$rc" -eq 2 ] || fail "no indicator: exit code $rc"
    expect_contains "$work/err" "explain needs --indicator ID"
    ;;
  explain_spc)
    # A catalogue that opts in to the SPC pack gets its verdict; Norfolk's own does not.
    copy_example
    sed -i "s|^rule_dirs = .*|rule_dirs = [\"$src/rules/council\", \"$src/rules/spc\"]|" "$work/norfolk/catalogue.toml"
    run "$vitals" explain --catalogue "$work/norfolk" --indicator dtoc_social_care_per_100k \
        --period 2017-03 --store "$work/v.db"
    [ "$rc" -eq 0 ] || { cat "$work/out" "$work/err"; fail "exit code $rc"; }
    expect_contains "$work/out" "spc (special_cause_concern): FIRED: report by exception"
    expect_contains "$work/out" "  special cause concern: 8 points in a row above the mean of 2.92; 3 of the last 3 points above 3.37 (2 sigma); mean 2.92, process limits 2.24 to 3.60 (limits from 13 points, Mar 2016 to Mar 2017); target 1.50 is below the lower process limit: consistently failing"
    run "$vitals" explain --catalogue "$src/examples/norfolk" --indicator dtoc_social_care_per_100k \
        --period 2017-03 --store "$work/v2.db"
    expect_not_contains "$work/out" "spc"
    ;;
  backtest_added)
    copy_example
    /usr/bin/python3 - "$work/norfolk/indicators/employment.toml" "$src/docs/examples/england_average.toml" <<'PY'
import sys
path, snippet = sys.argv[1], open(sys.argv[2]).read()
text = open(path).read()
anchor = 'source = "dashboard"\n'
at = text.index(anchor) + len(anchor)
open(path, "w").write(text[:at] + "\n" + snippet + text[at:])
PY
    run "$vitals" backtest --catalogue "$work/norfolk" --rules "$src/rules/council" --rules "$src/docs/examples/rules" \
        --from 2016-04 --to 2017-03 --store "$work/v.db"
    [ "$rc" -eq 0 ] || { cat "$work/out" "$work/err"; fail "exit code $rc"; }
    expect_contains "$work/out" "Apr 2016: no change (4 indicators reported by exception)"
    expect_contains "$work/out" "  + ld_paid_employment_pct (below england average): below the England average of 5.8 for two quarters running: Q2 2016 3.27, Q3 2016 3.27"
    expect_contains "$work/out" "Total: 7 added, 0 removed, in 7 of 12 periods"
    run "$vitals" backtest --catalogue "$work/norfolk" --rules "$src/rules/council" --rules "$src/docs/examples/rules" \
        --from 2016-04 --to 2017-03 --store "$work/v.db" --no-ingest --format json
    [ "$rc" -eq 0 ] || { cat "$work/err"; fail "json: exit code $rc"; }
    /usr/bin/python3 - "$work/out" <<'PY' || fail "the JSON backtest is wrong"
import json, sys
d = json.load(open(sys.argv[1]))
assert d["from"] == "2016-04" and d["to"] == "2017-03", d
assert len(d["periods"]) == 12 and d["added"] == 7 and d["removed"] == 0, d
last = d["periods"][-1]
assert last["period"] == "2017-03"
assert last["added"][0]["indicator"] == "ld_paid_employment_pct"
assert last["added"][0]["criterion"] == "below_england_average"
assert last["added"][0]["rule"] == "below_england"
assert "Q4 2016 3.3, Q1 2017 3.3" in last["added"][0]["message"]
PY
    ;;
  backtest_removed)
    # Proposing off_target alone removes the deterioration exceptions.
    mkdir -p "$work/proposed"
    cp "$src/rules/council/off_target.lua" "$work/proposed/"
    run "$vitals" backtest --catalogue "$src/examples/norfolk" --rules "$work/proposed" \
        --from 2017-01 --to 2017-03 --store "$work/v.db"
    [ "$rc" -eq 0 ] || { cat "$work/out" "$work/err"; fail "exit code $rc"; }
    expect_contains "$work/out" "  - dtoc_social_care_per_100k (deterioration): worse for 3 consecutive months: 3.20 → 3.40 → 3.50 → 3.56"
    expect_not_contains "$work/out" "  + "
    ;;
  backtest_usage)
    run "$vitals" backtest --catalogue "$src/examples/norfolk" --from 2016-04 --to 2017-03 --store "$work/v.db"
    [ "$rc" -eq 2 ] || fail "no rules: exit code $rc"
    expect_contains "$work/err" "backtest needs --rules DIR"
    run "$vitals" backtest --catalogue "$src/examples/norfolk" --rules "$src/rules/council" --from 2017-04 --to 2017-03 --store "$work/v.db"
    [ "$rc" -eq 2 ] || fail "reversed: exit code $rc"
    expect_contains "$work/err" "--to 2017-03 is before --from 2017-04"
    run "$vitals" backtest --catalogue "$src/examples/norfolk" --rules "$src/rules/council" --from 2016-04 --to 2017-Q1 --store "$work/v.db"
    [ "$rc" -eq 2 ] || fail "mixed lengths: exit code $rc"
    expect_contains "$work/err" "must be periods of the same length"
    run "$vitals" backtest --catalogue "$src/examples/norfolk" --rules "$src/rules/council" --from 2016-04 --to 2017-03 --format xml --store "$work/v.db"
    [ "$rc" -eq 2 ] || fail "bad format: exit code $rc"
    # A proposed folder that does not exist is a diagnostic, and the run still completes.
    run "$vitals" backtest --catalogue "$src/examples/norfolk" --rules "$work/absent" --from 2017-03 --to 2017-03 --store "$work/v.db"
    [ "$rc" -eq 1 ] || fail "missing proposed folder: exit code $rc"
    expect_contains "$work/err" "[rule.load_error]"
    ;;
  *) fail "unknown scenario $scenario" ;;
esac
echo "PASS: $scenario"
