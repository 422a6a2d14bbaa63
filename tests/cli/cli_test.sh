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
  check_misspelt_rule_params)
    copy_example
    cat="$work/norfolk/catalogue.toml"
    sed -i 's/^run = 3$/runn = 4/' "$cat"
    printf '\n[rules.off_targt]\nvariance_pct = 3\n' >> "$cat"
    sed -i 's/^score = 12$/score = 30/' "$cat"
    ind="$work/norfolk/indicators/carers.toml"
    printf '\n  [indicator.rules.some_rule]\n  limit = 2\n' >> "$ind"
    run "$vitals" check --catalogue "$work/norfolk"
    [ "$rc" -eq 1 ] || { cat "$work/out" "$work/err"; fail "exit code $rc, expected 1"; }
    runn=$(grep -n '^runn = 4' "$cat" | cut -d: -f1)
    score=$(grep -n '^score = 30' "$cat" | cut -d: -f1)
    typo=$(grep -n '^\[rules.off_targt\]' "$cat" | cut -d: -f1)
    rule=$(grep -n 'indicator.rules.some_rule' "$ind" | cut -d: -f1)
    expect_contains "$work/out" "$cat:$runn:1: error: unknown parameter 'runn' for rule 'deterioration'; did you mean 'run'? [config.unknown_rule_param]"
    expect_contains "$work/out" "$cat:$typo:8: error: no rule 'off_targt' is loaded; did you mean 'off_target'? [config.unknown_rule]"
    expect_contains "$work/out" "$cat:$score:9: error: rules.risk_impact.score must be a whole number from 1 to 25, found 30 [config.bad_rule_param]"
    expect_contains "$work/out" "$ind:$rule:20: error: no rule 'some_rule' is loaded; the loaded rules are"
    expect_contains "$work/out" "errors found"
    # evaluate reports them too, and a misspelt parameter never runs with the default.
    run "$vitals" evaluate --catalogue "$work/norfolk" --period 2017-03 --store "$work/v.db"
    [ "$rc" -eq 1 ] || { cat "$work/err"; fail "evaluate: exit code $rc, expected 1"; }
    expect_contains "$work/err" "[config.unknown_rule_param]"
    expect_contains "$work/err" "could not evaluate indicator"
    expect_contains "$work/err" "parameter 'runn' is not declared by the rule (its parameters: 'run') [rule.bad_param]"
    ;;
  check_misspelt_source_setting)
    copy_example
    cat="$work/norfolk/catalogue.toml"
    sed -i 's|^path = "data/dashboard.csv"$|paht = "data/x.csv"|' "$cat"
    sed -i 's|^path = "data/risks.csv"$|path = "data/no_such_file.csv"|' "$cat"
    run "$vitals" check --catalogue "$work/norfolk"
    [ "$rc" -eq 1 ] || { cat "$work/out" "$work/err"; fail "exit code $rc, expected 1"; }
    paht=$(grep -n '^paht = ' "$cat" | cut -d: -f1)
    missing=$(grep -n 'no_such_file' "$cat" | cut -d: -f1)
    header=$(grep -n '^\[sources.dashboard\]' "$cat" | cut -d: -f1)
    expect_contains "$work/out" "$cat:$paht:1: error: unknown setting 'paht' for source 'dashboard'; did you mean 'path'? [source.unknown_setting]"
    expect_contains "$work/out" "$cat:$header:1: error: source 'dashboard' is missing required setting 'path' [source.missing_setting]"
    expect_contains "$work/out" "$cat:$missing:1: error: file not found: $work/norfolk/data/no_such_file.csv [source.missing_file]"
    # evaluate does not fetch a source whose settings are wrong.
    run "$vitals" evaluate --catalogue "$work/norfolk" --period 2017-03 --store "$work/v.db"
    [ "$rc" -eq 1 ] || { cat "$work/err"; fail "evaluate: exit code $rc, expected 1"; }
    expect_contains "$work/err" "source 'dashboard' was not fetched: its settings have errors"
    ;;
  bad_period)
    run "$vitals" evaluate --catalogue "$src/examples/norfolk" --period 2017-13 --store "$work/v.db"
    [ "$rc" -eq 2 ] || fail "exit code $rc, expected 2"
    expect_contains "$work/err" "invalid period '2017-13'"
    ;;
  bad_rule_completes)
    copy_example
    mkdir -p "$work/rules"
    printf 'return { id = "boom", version = "1", description = "x",\n  evaluate = function(ctx)\n    local t = {}\n    while true do t[#t + 1] = string.rep("x", 1000) end\n  end }\n' > "$work/rules/boom.lua"
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
