#!/usr/bin/env bash
# Usage: cli_test.sh SCENARIO VITALS_BINARY SOURCE_DIR
set -euo pipefail
scenario=$1
vitals=$2
src=$3
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

fail() { echo "FAIL: $*" >&2; exit 1; }
expect_contains() { grep -qF -- "$2" "$1" || { echo "--- $1:"; cat "$1"; fail "expected: $2"; }; }
expect_not_contains() { ! grep -qF -- "$2" "$1" || { echo "--- $1:"; cat "$1"; fail "unexpected: $2"; }; }
run() {  # run CMD... ; sets rc, leaves stdout in $work/out and stderr in $work/err
  set +e
  "$@" >"$work/out" 2>"$work/err"
  rc=$?
  set -e
}

# A copy of the Norfolk example whose rule_dirs still point at the shipped council rules.
copy_example() {
  cp -r "$src/examples/norfolk" "$work/norfolk"
  sed -i "s|^rule_dirs = .*|rule_dirs = [\"$src/rules/council\"]|" "$work/norfolk/catalogue.toml"
}

case "$scenario" in
  norfolk_summary)
    run "$vitals" evaluate --catalogue "$src/examples/norfolk" --period 2017-03 --store "$work/v.db"
    [ "$rc" -eq 0 ] || { cat "$work/err"; fail "exit code $rc"; }
    expect_contains "$work/out" "The following indicators are reported as exceptions on this occasion:"
    # Delayed transfers meets all four criteria (in whichever order the summary lists them).
    grep -F "Number of days delay in transfers of care" "$work/out" | head -1 > "$work/dtoc"
    for reason in "off target" "deteriorating" "affecting the budget" "affecting a corporate risk"; do
      expect_contains "$work/dtoc" "$reason"
    done
    expect_contains "$work/out" "linked budget line Older People forecasts £8.2m overspend (7.9%)"
    for title in "Number of days delay in transfers of care" "Learning Disabilities services in paid employment" \
                 "Mental Health services in paid employment"; do
      expect_contains "$work/out" "$title"
    done
    [ "$(grep -cE '^  [a-z]\. ' "$work/out")" -eq 5 ] || { cat "$work/out"; fail "expected 5 exceptions"; }
    ;;
  json_output)
    run "$vitals" evaluate --catalogue "$src/examples/norfolk" --period 2017-03 --store "$work/v.db" \
        --format markdown --output "$work/report.md" --json "$work/sub/result.json"
    [ "$rc" -eq 0 ] || { cat "$work/err"; fail "exit code $rc"; }
    [ ! -s "$work/out" ] || fail "stdout should be empty with --output"
    expect_contains "$work/report.md" "# Adult Social Care Committee: vital signs, Mar 2017"
    expect_contains "$work/sub/result.json" '"period": "2017-03"'
    expect_contains "$work/sub/result.json" '"indicator": "dtoc_social_care_per_100k"'
    /usr/bin/python3 -c "import json,sys; d=json.load(open(sys.argv[1])); assert len(d['exceptions'])==5" \
        "$work/sub/result.json" || fail "JSON does not parse or has the wrong exceptions"
    ;;
  check_ok)
    run "$vitals" check --catalogue "$src/examples/norfolk"
    [ "$rc" -eq 0 ] || { cat "$work/out" "$work/err"; fail "exit code $rc"; }
    expect_contains "$work/out" "15 indicators, 4 sources, 4 rules: OK"
    [ ! -e vitals.db ] || [ vitals.db -ot "$work" ] || fail "check must not create a store"
    ;;
  rule_packs_isolated)
    # A pack listed before the shipped rules, whose lib has its own performance.lua (every
    # change counts as worse), must not change what the council rules require.
    copy_example
    mkdir -p "$work/pack/lib"
    sed 's/if not vitals.is_worse(.*) then break end/-- every change counts/' \
        "$src/rules/lib/performance.lua" > "$work/pack/lib/performance.lua"
    ! cmp -s "$src/rules/lib/performance.lua" "$work/pack/lib/performance.lua" || fail "sed changed nothing"
    printf 'local performance = require "vitals.performance"\nreturn { id = "pack_rule", version = "1", description = "d",\n  evaluate = function(ctx) return { status = "ok", message = "fine" } end }\n' \
        > "$work/pack/pack_rule.lua"
    sed -i "s|^rule_dirs = .*|rule_dirs = [\"$work/pack\", \"$src/rules/council\"]|" "$work/norfolk/catalogue.toml"
    run "$vitals" check --catalogue "$work/norfolk" --modules
    [ "$rc" -eq 0 ] || { cat "$work/out" "$work/err"; fail "exit code $rc"; }
    expect_contains "$work/out" "rules/lib/performance.lua: warning: module 'performance' is defined in both pack/lib/performance.lua and rules/lib/performance.lua"
    expect_contains "$work/out" "[rule.duplicate_module]"
    expect_contains "$work/out" "rule deterioration: vitals.performance from rules/lib/performance.lua"
    expect_contains "$work/out" "rule deterioration: vitals.series from rules/lib/series.lua"
    expect_contains "$work/out" "rule pack_rule: vitals.performance from pack/lib/performance.lua"
    expect_contains "$work/out" "15 indicators, 4 sources, 5 rules: OK"
    run "$vitals" evaluate --catalogue "$work/norfolk" --period 2017-03 --store "$work/v.db"
    [ "$rc" -eq 0 ] || { cat "$work/err"; fail "exit code $rc"; }
    [ "$(grep -cE '^  [a-z]\. ' "$work/out")" -eq 5 ] || { cat "$work/out"; fail "expected the 5 exceptions of the shipped rules"; }
    expect_not_contains "$work/out" "66.4 → 66.7 → 66.6 → 66.6"  # "worse" only to the pack's module
    ;;
  check_bad_catalogue)
    copy_example
    sed -i 's/^polarity = "smaller"/polarity = "lower"/' "$work/norfolk/indicators/"*.toml
    printf '[[indicator]]\nid = "typo"\ntitel = "x"\n' >> "$work/norfolk/indicators/zz_typo.toml"
    run "$vitals" check --catalogue "$work/norfolk"
    [ "$rc" -eq 2 ] || { cat "$work/out" "$work/err"; fail "exit code $rc, expected 2"; }
    expect_contains "$work/err" "zz_typo.toml:3:1: error:"
    expect_contains "$work/err" "[config.unknown_key]"
    expect_contains "$work/err" "[config.bad_value]"
    ;;
  check_bad_accepted)
    copy_example
    acc="$work/norfolk/accepted.toml"
    # Two entries appended: one names an indicator the catalogue lacks, one a day that does not exist.
    cat >> "$acc" <<'TOML'

[[accepted]]
indicator = "dtoc_social_care"
until = 2017-06-30
approver = "Director of Adult Social Services"
rationale = "Winter pressures"

[[accepted]]
indicator = "dtoc_social_care_per_100k"
until = "2017-02-30"
approver = "Director of Adult Social Services"
rationale = "Winter pressures"
TOML
    lines=$(grep -c '' "$acc")
    run "$vitals" check --catalogue "$work/norfolk"
    [ "$rc" -eq 2 ] || { cat "$work/out" "$work/err"; fail "exit code $rc, expected 2"; }
    expect_contains "$work/out" "$acc:$((lines - 9)):13: error: accepted exception for indicator 'dtoc_social_care', which the catalogue does not define"
    expect_contains "$work/out" "[accepted.unknown_indicator]"
    expect_contains "$work/out" "$acc:$((lines - 2)):9: error: accepted.until is '2017-02-30'; expected a date such as 2017-06-30 [config.bad_value]"
    expect_contains "$work/out" "15 indicators, 4 sources, 4 rules: errors found"
    # A TOML syntax error is located as well.
    printf '[[accepted]]\nindicator = "mh_paid_employment_pct\nuntil = 2017-06-30\n' > "$acc"
    run "$vitals" check --catalogue "$work/norfolk"
    [ "$rc" -eq 2 ] || { cat "$work/out" "$work/err"; fail "syntax error: exit code $rc, expected 2"; }
    expect_contains "$work/out" "$acc:2:36: error: TOML syntax error: error while parsing string:"
    expect_contains "$work/out" "[config.syntax]"
    # The example's own accepted.toml is valid.
    cp "$src/examples/norfolk/accepted.toml" "$acc"
    run "$vitals" check --catalogue "$work/norfolk"
    [ "$rc" -eq 0 ] || { cat "$work/out" "$work/err"; fail "valid accepted.toml: exit code $rc"; }
    expect_not_contains "$work/out" "accepted.toml"
    ;;
  bad_period)
    run "$vitals" evaluate --catalogue "$src/examples/norfolk" --period 2017-13 --store "$work/v.db"
    [ "$rc" -eq 2 ] || fail "exit code $rc, expected 2"
    expect_contains "$work/err" "invalid period '2017-13'"
    ;;
  bad_rule_completes)
    copy_example
    mkdir -p "$work/rules"
    printf 'return { id = "boom", version = "1", description = "x",\n  evaluate = function(ctx)\n    local t = {}\n    local s = string.rep("x", 100000)\n    while true do t[#t + 1] = s .. #t end\n  end }\n' > "$work/rules/boom.lua"
    sed -i "s|^rule_dirs = .*|rule_dirs = [\"$src/rules/council\", \"$work/rules\"]|" "$work/norfolk/catalogue.toml"
    run "$vitals" evaluate --catalogue "$work/norfolk" --period 2017-03 --store "$work/v.db" --json "$work/r.json"
    [ "$rc" -eq 1 ] || { cat "$work/err"; fail "exit code $rc, expected 1"; }
    expect_contains "$work/err" "[rule.memory_limit]"
    expect_contains "$work/out" "The following indicators are reported as exceptions on this occasion:"
    [ "$(grep -cE '^  [a-z]\. ' "$work/out")" -eq 5 ] || fail "expected 5 exceptions despite the bad rule"
    ;;
  bad_row_keeps_history)
    copy_example
    run "$vitals" ingest --catalogue "$work/norfolk" --store "$work/v.db"
    [ "$rc" -eq 0 ] || { cat "$work/err"; fail "first ingest: exit code $rc"; }
    expect_contains "$work/out" "195 new"
    # Corrupt one value and add a revision: the whole file is refused, history kept.
    sed -i '5s/,89.9,/,8x9.9,/' "$work/norfolk/data/dashboard.csv"
    sed -i '4s/,91.8,/,91.9,/' "$work/norfolk/data/dashboard.csv"
    run "$vitals" ingest --catalogue "$work/norfolk" --store "$work/v.db"
    [ "$rc" -eq 1 ] || fail "exit code $rc, expected 1"
    expect_contains "$work/err" "dashboard.csv:5:6: error:"
    expect_contains "$work/err" "8x9.9"
    expect_contains "$work/out" "0 new, 0 revised, 0 unchanged"
    run "$vitals" evaluate --catalogue "$work/norfolk" --period 2017-03 --store "$work/v.db" --no-ingest
    [ "$rc" -eq 0 ] || { cat "$work/err"; fail "evaluate after a rejected ingest: exit code $rc"; }
    [ "$(grep -cE '^  [a-z]\. ' "$work/out")" -eq 5 ] || fail "history lost after a rejected ingest"
    ;;
  usage)
    run "$vitals"
    [ "$rc" -eq 2 ] || fail "no command: exit code $rc"
    run "$vitals" evaluate --catalogue x --period 2017-03 --colour
    [ "$rc" -eq 2 ] || fail "unknown option: exit code $rc"
    expect_contains "$work/err" "unknown option '--colour'"
    run "$vitals" evaluate --catalogue "$work/none" --period 2017-03 --store "$work/v.db"
    [ "$rc" -eq 2 ] || fail "missing catalogue: exit code $rc"
    expect_contains "$work/err" "does not exist [config.missing_file]"
    run "$vitals" version
    [ "$rc" -eq 0 ] || fail "version: exit code $rc"
    expect_contains "$work/out" "vitals "
    ;;
  *) fail "unknown scenario $scenario" ;;
esac
echo "PASS: $scenario"
