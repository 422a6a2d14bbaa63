#!/usr/bin/env bash
# Usage: cli_test.sh SCENARIO VITALS_BINARY SOURCE_DIR
set -euo pipefail
scenario=$1
vitals=$2
src=$3
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

case "$scenario" in
  norfolk_summary)
    run "$vitals" evaluate --catalogue "$src/examples/norfolk" --period 2017-03 --store "$work/v.db"
    [ "$rc" -eq 0 ] || { cat "$work/err"; fail "exit code $rc"; }
    expect_contains "$work/out" "The following indicators are reported as exceptions on this occasion:"
    # Delayed transfers meets three criteria (in whichever order the summary
    # lists them); in March its gap to target costs nothing more this year.
    grep -F "Number of days delay in transfers of care" "$work/out" | head -1 > "$work/dtoc"
    for reason in "off target" "deteriorating" "affecting a corporate risk"; do
      expect_contains "$work/dtoc" "$reason"
    done
    expect_not_contains "$work/out" "affecting the budget"
    for title in "Number of days delay in transfers of care" "Learning Disabilities services in paid employment" \
                 "Mental Health services in paid employment"; do
      expect_contains "$work/out" "$title"
    done
    [ "$(grep -cE '^  [a-z]\. ' "$work/out")" -eq 5 ] || { cat "$work/out"; fail "expected 5 exceptions"; }
    ;;
  large_run_summary)
    # 60 indicators in two files, every one off target: more than the 50 the
    # summary lists one by one.
    mkdir -p "$work/big/indicators"
    printf '[catalogue]\nname = "Big"\nrule_dirs = ["%s/rules/council"]\n\n[sources.dashboard]\nplugin = "csv"\npath = "data.csv"\n' \
      "$src" > "$work/big/catalogue.toml"
    echo "indicator_id,period,value,target" > "$work/big/data.csv"
    for group in groupa groupb; do
      for i in $(seq 1 30); do
        printf '[[indicator]]\nid = "%s_%02d"\ntitle = "%s indicator %d"\npolarity = "bigger"\nunit = "count"\nfrequency = "monthly"\nsource = "dashboard"\n\n' \
          "$group" "$i" "$group" "$i" >> "$work/big/indicators/$group.toml"
        for m in 01 02 03; do echo "${group}_$(printf %02d "$i"),2017-$m,10,20" >> "$work/big/data.csv"; done
      done
    done
    run "$vitals" evaluate --catalogue "$work/big" --period 2017-03 --store "$work/big.db" \
      --json "$work/compact.json" --compact
    [ "$rc" -eq 0 ] || { cat "$work/err"; fail "exit code $rc"; }
    expect_contains "$work/out" "60 indicators are reported as exceptions on this occasion, too many to list here; by group, with how many for each reason:"
    expect_contains "$work/out" "  groupa: 30 (off target 30)"
    expect_contains "$work/out" "  groupb: 30 (off target 30)"
    expect_not_contains "$work/out" "groupa indicator 1 "
    expect_contains "$work/err" "60 exceptions are counted by indicators file; give --all to list every one"
    expect_contains "$work/compact.json" '"format": "vitals.results/1",'
    expect_contains "$work/compact.json" '"exceptions": 60,'
    expect_contains "$work/compact.json" '    {"indicator": "groupa_01", "status": "exception",'
    expect_not_contains "$work/compact.json" '"history"'
    [ "$(grep -c '^    {"indicator": ' "$work/compact.json")" -eq 60 ] || fail "expected one line per indicator"
    python3 -c "import json, sys; json.load(open(sys.argv[1]))" "$work/compact.json" || fail "compact JSON does not parse"

    run "$vitals" evaluate --catalogue "$work/big" --period 2017-03 --store "$work/big.db" --no-ingest \
      --all --format markdown --json "$work/history.json" --compact --json-history
    [ "$rc" -eq 0 ] || { cat "$work/err"; fail "exit code $rc"; }
    expect_contains "$work/out" "The following indicators are reported as exceptions on this occasion:"
    [ "$(grep -c '(off target)' "$work/out")" -ge 60 ] || fail "--all lists every exception"
    expect_contains "$work/out" "| Indicator |"
    expect_not_contains "$work/err" "give --all"
    [ "$(grep -c '"history": \[{"period": "2016-03"' "$work/history.json")" -eq 60 ] || { grep -m1 history "$work/history.json"; fail "--json-history"; }

    # The full report JSON is unchanged by default.
    run "$vitals" evaluate --catalogue "$work/big" --period 2017-03 --store "$work/big.db" --no-ingest \
      --json "$work/full.json"
    expect_contains "$work/full.json" '"format": "vitals.report/1",'
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
    # Once, for all 15 indicators the rule could not evaluate.
    expect_contains "$work/err" "parameter 'runn' is not declared by the rule (its parameters: 'run') (and 14 more indicators) [rule.bad_param]"
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
    # A valid period of another frequency than the (monthly) indicators' is an
    # error before anything is fetched or recorded, not a run that silently
    # reports March 2017 under "2016/17".
    refused="the period 2016/17 is a financial year, but no indicator is reported at that frequency: they are monthly (15). Evaluate a monthly period such as 2017-03, or give the indicators that frequency"
    run "$vitals" evaluate --catalogue "$src/examples/norfolk" --period 2016/17 --store "$work/v.db" --output "$work/out.txt"
    [ "$rc" -eq 2 ] || fail "evaluate 2016/17: exit code $rc, expected 2"
    expect_contains "$work/err" "$refused"
    run "$vitals" report --catalogue "$src/examples/norfolk" --period 2016/17 --store "$work/v.db" --out "$work/report"
    [ "$rc" -eq 2 ] || fail "report 2016/17: exit code $rc, expected 2"
    expect_contains "$work/err" "$refused"
    [ ! -e "$work/out.txt" ] || fail "a summary was written for a refused period"
    [ ! -e "$work/report" ] || fail "a report was written for a refused period"
    # Nothing was fetched or recorded: the store holds no run and no data.
    run "$vitals" runs --store "$work/v.db"
    expect_contains "$work/out" "No runs are recorded in this store."
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
    # A later run without an ingest of its own keeps the history, and says
    # that the last ingest of the source failed (the figures may be out of date).
    run "$vitals" evaluate --catalogue "$work/norfolk" --period 2017-03 --store "$work/v.db" --no-ingest
    [ "$rc" -eq 1 ] || { cat "$work/err"; fail "evaluate after a rejected ingest: exit code $rc, expected 1"; }
    [ "$(grep -cE '^  [a-z]\. ' "$work/out")" -eq 5 ] || fail "history lost after a rejected ingest"
    head -3 "$work/out" | grep -qF "*** INCOMPLETE RUN" || { cat "$work/out"; fail "no incomplete warning"; }
    expect_contains "$work/out" "at the last ingest"
    run "$vitals" runs --store "$work/v.db"
    expect_contains "$work/out" "INCOMPLETE: it could not read or evaluate everything"
    # The file repaired and ingested again: the next run is complete.
    sed -i '5s/,8x9.9,/,89.9,/' "$work/norfolk/data/dashboard.csv"
    run "$vitals" ingest --catalogue "$work/norfolk" --store "$work/v.db"
    [ "$rc" -eq 0 ] || { cat "$work/err"; fail "ingest of the repaired file: exit code $rc"; }
    run "$vitals" evaluate --catalogue "$work/norfolk" --period 2017-03 --store "$work/v.db" --no-ingest
    [ "$rc" -eq 0 ] || { cat "$work/out"; fail "evaluate after a repaired ingest: exit code $rc"; }
    expect_not_contains "$work/out" "INCOMPLETE"
    ;;
  report_warnings)
    # report and publish write documents, not a summary: the run's warnings
    # (the Norfolk LD card states a target the catalogue does not have) are
    # printed on stderr, once; --quiet keeps stderr to errors.
    warning="examples/norfolk/commentary/ld_paid_employment_pct.toml:10:20: warning: the commentary states a target"
    for cmd in report publish; do
      run "$vitals" "$cmd" --catalogue "$src/examples/norfolk" --period 2017-03 --store "$work/v.db" --out "$work/$cmd"
      [ "$rc" -eq 0 ] || { cat "$work/err"; fail "$cmd: exit code $rc"; }
      [ "$(grep -cF -- "$warning" "$work/err")" -eq 1 ] || { cat "$work/err"; fail "$cmd: the warning is not printed once"; }
      expect_not_contains "$work/out" "$warning"
      run "$vitals" "$cmd" --catalogue "$src/examples/norfolk" --period 2017-03 --store "$work/v.db" \
          --out "$work/$cmd-quiet" -q
      [ "$rc" -eq 0 ] || { cat "$work/err"; fail "$cmd -q: exit code $rc"; }
      expect_not_contains "$work/err" "$warning"
    done
    ;;
  output_in_place)
    # --output follows a symbolic link (the link stays, its target gets the
    # summary) and writes a device or a pipe in place, never replacing it.
    mkdir "$work/share"
    echo old > "$work/share/latest.txt"
    ln -s "$work/share/latest.txt" "$work/link.txt"
    run "$vitals" evaluate --catalogue "$src/examples/norfolk" --period 2017-03 --store "$work/v.db" \
        --output "$work/link.txt"
    [ "$rc" -eq 0 ] || { cat "$work/err"; fail "symlink: exit code $rc"; }
    [ -L "$work/link.txt" ] || fail "the symbolic link was replaced by a file"
    expect_contains "$work/share/latest.txt" "reported as exceptions on this occasion"
    # /dev/null stays a device (some containers have a plain file there, which
    # is then replaced like any file).
    null_before=$(stat -c '%F' /dev/null)
    run "$vitals" evaluate --catalogue "$src/examples/norfolk" --period 2017-03 --store "$work/v.db" \
        --no-ingest --output /dev/null
    [ "$rc" -eq 0 ] || { cat "$work/err"; fail "/dev/null: exit code $rc"; }
    [ "$(stat -c '%F' /dev/null)" = "$null_before" ] || fail "/dev/null, a $null_before, was replaced"
    mkfifo "$work/pipe"
    cat "$work/pipe" > "$work/from-pipe" &
    reader=$!
    run "$vitals" evaluate --catalogue "$src/examples/norfolk" --period 2017-03 --store "$work/v.db" \
        --no-ingest --output "$work/pipe"
    wait "$reader"
    [ "$rc" -eq 0 ] || { cat "$work/err"; fail "pipe: exit code $rc"; }
    [ -p "$work/pipe" ] || fail "the pipe was replaced"
    expect_contains "$work/from-pipe" "reported as exceptions on this occasion"
    ;;
  incomplete_report_refused)
    # A misspelt data file: the source fails, so the run is incomplete and
    # `report` writes nothing unless told to.
    copy_example
    sed -i 's|^path = "data/dashboard.csv"|path = "data/dashbord.csv"|' "$work/norfolk/catalogue.toml"
    run "$vitals" report --catalogue "$work/norfolk" --period 2017-03 --store "$work/v.db" --out "$work/out-dir"
    [ "$rc" -eq 1 ] || { cat "$work/err"; fail "exit code $rc, expected 1"; }
    [ ! -e "$work/out-dir" ] || { ls -R "$work/out-dir"; fail "an incomplete report was written"; }
    expect_contains "$work/err" "vitals: the run is incomplete:"
    expect_contains "$work/err" "Source 'dashboard' could not be read, so 15 indicators have no result"
    expect_contains "$work/err" "no report was written"
    expect_contains "$work/err" "--allow-incomplete"
    # The text summary of `evaluate` says so first.
    run "$vitals" evaluate --catalogue "$work/norfolk" --period 2017-03 --store "$work/v.db"
    [ "$rc" -eq 1 ] || { cat "$work/err"; fail "evaluate: exit code $rc, expected 1"; }
    head -3 "$work/out" | grep -qF "*** INCOMPLETE RUN: This report is incomplete: results are missing ***" \
        || { cat "$work/out"; fail "the summary does not open with the incomplete warning"; }
    expect_contains "$work/out" "No result: source 'dashboard' failed"
    expect_not_contains "$work/out" "Late data"
    ;;
  incomplete_report_allowed)
    copy_example
    sed -i 's|^path = "data/dashboard.csv"|path = "data/dashbord.csv"|' "$work/norfolk/catalogue.toml"
    for format in html markdown json; do
      run "$vitals" report --catalogue "$work/norfolk" --period 2017-03 --store "$work/v.db" \
          --out "$work/$format" --format "$format" --allow-incomplete
      [ "$rc" -eq 1 ] || { cat "$work/err"; fail "$format: exit code $rc, expected 1"; }
      [ -n "$(ls "$work/$format")" ] || fail "$format: nothing written"
    done
    html="$work/html/committee-report-2017-03.html"
    expect_contains "$html" '<div class="incomplete" role="alert">'
    expect_contains "$html" "This report is incomplete: results are missing"
    expect_contains "$html" "No result: source &#39;dashboard&#39; failed"
    # Issue 12 case 1: no "No indicators are reported as exceptions" over a partial run.
    expect_contains "$html" "No exceptions were found among the indicators that have a result"
    expect_not_contains "$html" "No indicators are reported as exceptions on this occasion"
    # The banner opens the page: before the exceptions and the dashboard.
    banner=$(grep -n 'class="incomplete"' "$html" | head -1 | cut -d: -f1)
    summary=$(grep -n 'id="summary-heading"' "$html" | head -1 | cut -d: -f1)
    [ "$banner" -lt "$summary" ] || fail "the banner is not above the summary"
    expect_contains "$work/markdown/committee-report-2017-03.md" "> **This report is incomplete: results are missing.**"
    /usr/bin/python3 - "$work/json/committee-report-2017-03.json" <<'PY' || fail "JSON complete/incomplete fields"
import json, sys
d = json.load(open(sys.argv[1]))
assert d["complete"] is False, d["complete"]
kinds = [r["kind"] for r in d["incomplete"]]
assert kinds == ["source_failed"], kinds
assert d["incomplete"][0]["source"] == "dashboard"
assert len(d["incomplete"][0]["indicators"]) == 15
assert all(i["incomplete"] == ["source 'dashboard' failed"] for i in d["indicators"])
assert d["late_data"] == [], d["late_data"]
PY
    ;;
  unknown_series)
    # A mis-keyed row: the id with a capital and the id with a no-break space.
    copy_example
    csv="$work/norfolk/data/dashboard.csv"
    sed -i 's/^mh_paid_employment_pct,/MH_Paid_Employment_Pct,/' "$csv"
    run "$vitals" ingest --catalogue "$work/norfolk" --store "$work/v.db"
    [ "$rc" -eq 1 ] || { cat "$work/err"; fail "ingest: exit code $rc, expected 1"; }
    expect_contains "$work/err" "error: source 'dashboard' delivered 13 rows for series 'MH_Paid_Employment_Pct', which no indicator of the catalogue reads; did you mean 'mh_paid_employment_pct'? (the rows are stored but not used) [data.unknown_series]"
    expect_contains "$work/out" "1 series no indicator reads"
    run "$vitals" report --catalogue "$work/norfolk" --period 2017-03 --store "$work/v.db" --out "$work/r"
    [ "$rc" -eq 1 ] || { cat "$work/err"; fail "report: exit code $rc, expected 1"; }
    [ ! -e "$work/r" ] || fail "an incomplete report was written"
    expect_contains "$work/err" "for series 'MH_Paid_Employment_Pct', which no indicator reads, while mh_paid_employment_pct has no current data"
    # A no-break space after the id is shown, not hidden.
    copy_nbsp=$(printf 'mh_paid_employment_pct\302\240,')
    cp "$src/examples/norfolk/data/dashboard.csv" "$csv"
    sed -i "s/^mh_paid_employment_pct,/$copy_nbsp/" "$csv"
    run "$vitals" evaluate --catalogue "$work/norfolk" --period 2017-03 --store "$work/v2.db"
    [ "$rc" -eq 1 ] || { cat "$work/err"; fail "nbsp: exit code $rc, expected 1"; }
    expect_contains "$work/err" "for series 'mh_paid_employment_pct\u00a0', which no indicator of the catalogue reads; did you mean 'mh_paid_employment_pct'?"
    ;;
  unchanged_reingest)
    # An unchanged csv file is not read again, and the ingest says what the
    # read said (a mis-keyed row's error, at the same row), plus a note.
    copy_example
    csv="$work/norfolk/data/dashboard.csv"
    sed -i 's/^mh_paid_employment_pct,/MH_Paid_Employment_Pct,/' "$csv"
    run "$vitals" ingest --catalogue "$work/norfolk" --store "$work/v.db"
    [ "$rc" -eq 1 ] || { cat "$work/err"; fail "first ingest: exit code $rc, expected 1"; }
    cp "$work/err" "$work/err.first"
    expect_not_contains "$work/out" "not read again"
    run "$vitals" ingest --catalogue "$work/norfolk" --store "$work/v.db"
    [ "$rc" -eq 1 ] || { cat "$work/err"; fail "second ingest: exit code $rc, expected 1"; }
    expect_contains "$work/out" "1 source unchanged since last read, not read again (source.unchanged)"
    expect_contains "$work/out" "1 series no indicator reads"
    expect_contains "$work/err" "note: source 'dashboard' was not read again: its files, plugin, settings and series mapping are unchanged since it was read at "
    grep -vF '[source.unchanged]' "$work/err" > "$work/err.second"
    diff "$work/err.first" "$work/err.second" || fail "the unchanged source's diagnostics differ from its read's"
    run "$vitals" ingest --catalogue "$work/norfolk" --store "$work/v.db" -vv
    expect_contains "$work/err" "debug: source 'dashboard': its files, plugin, settings and series mapping hashed in"
    expect_contains "$work/err" "info: source 'dashboard' unchanged since it was read at "
    # The records_csv sources are read every time: their plugin declares no files.
    expect_contains "$work/err" "is read whatever it holds: its plugin 'records_csv' does not declare that it reads only files"
    # One byte changed: read again.
    sed -i 's/^MH_Paid_Employment_Pct,/MH_Paid_Employment_PcT,/' "$csv"
    run "$vitals" ingest --catalogue "$work/norfolk" --store "$work/v.db"
    expect_not_contains "$work/out" "not read again"
    expect_contains "$work/err" "series 'MH_Paid_Employment_PcT'"
    ;;
  quarter_end_months)
    # Quarterly data written as the quarters' end months.
    copy_example
    cat >> "$work/norfolk/catalogue.toml" <<'TOML'

[sources.quarterly]
plugin = "csv"
path = "data/quarterly.csv"
TOML
    printf 'indicator_id,period,value\nq_ind,2016-12,4\nq_ind,2017-03,5\n' > "$work/norfolk/data/quarterly.csv"
    printf '[[indicator]]\nid = "q_ind"\ntitle = "A quarterly measure"\npolarity = "bigger"\nunit = "number"\nfrequency = "quarterly"\ntarget = 3\nsource = "quarterly"\n' \
        > "$work/norfolk/indicators/zz_quarterly.toml"
    run "$vitals" evaluate --catalogue "$work/norfolk" --period 2017-03 --store "$work/v.db" --json "$work/r.json"
    [ "$rc" -eq 1 ] || { cat "$work/err"; fail "exit code $rc, expected 1"; }
    expect_contains "$work/err" "zz_quarterly.toml:1:1: error: 2 observation(s) of 'q_ind' (series 'q_ind' of source 'quarterly', e.g. 2016-12) are monthly periods, but 'q_ind' is quarterly; they were left out, so it has no data; 2016-12 looks like the end month of 2016-Q4: write 2016-Q4, or give the source period_form = \"quarter_end_month\" [data.frequency_mismatch]"
    /usr/bin/python3 -c "import json,sys; d=json.load(open(sys.argv[1])); assert not d['complete']; assert [r['kind'] for r in d['incomplete']] == ['no_data_for_frequency'], d['incomplete']" \
        "$work/r.json" || fail "JSON does not say the run is incomplete"
    # Declared, the same file is read as quarters, in-process and isolated.
    for isolation in none process; do
      sed -i '/^period_form\|^isolation = "[a-z]*" # quarterly/d' "$work/norfolk/catalogue.toml"
      printf 'period_form = "quarter_end_month"\nisolation = "%s" # quarterly\n' "$isolation" >> "$work/norfolk/catalogue.toml"
      run "$vitals" evaluate --catalogue "$work/norfolk" --period 2017-03 --store "$work/$isolation.db" --json "$work/r.json"
      [ "$rc" -eq 0 ] || { cat "$work/err"; fail "declared ($isolation): exit code $rc, expected 0"; }
      /usr/bin/python3 -c "import json,sys; d=json.load(open(sys.argv[1])); assert d['complete'], d['incomplete']; q=[r for r in d['indicators'] if r['indicator']=='q_ind'][0]; assert (q['period'], q['value']) == ('2017-Q1', 5), q" \
          "$work/r.json" || fail "quarter_end_month ($isolation): not read as quarters"
    done
    ;;
  store_refused)
    copy_example
    run "$vitals" ingest --catalogue "$work/norfolk" --store "$work/v.db"
    [ "$rc" -eq 0 ] || { cat "$work/err"; fail "first ingest: exit code $rc"; }
    # A store cut short is refused, not replaced by a new, empty one.
    for size in 0 1; do
      cp "$work/v.db" "$work/cut.db"
      truncate -s "$size" "$work/cut.db"
      run "$vitals" ingest --catalogue "$work/norfolk" --store "$work/cut.db"
      [ "$rc" -ne 0 ] || fail "a store of $size byte(s) was accepted"
      expect_contains "$work/err" "store '$work/cut.db': is "
      expect_contains "$work/err" "so it is not a Vitals store"
      [ "$(stat -c %s "$work/cut.db")" -eq "$size" ] || fail "the $size-byte store was changed"
      [ ! -e "$work/cut.db-wal" ] || fail "a -wal file was made beside the refused store"
    done
    printf 'indicator,period,value\n' > "$work/notes.csv"
    run "$vitals" evaluate --catalogue "$work/norfolk" --period 2017-03 --store "$work/notes.csv"
    [ "$rc" -ne 0 ] || fail "a CSV file was accepted as a store"
    expect_contains "$work/err" "so it is not a Vitals store"
    # A store in a folder that does not exist is an error; no folder is made.
    run "$vitals" ingest --catalogue "$work/norfolk" --store "$work/no/such/v.db"
    [ "$rc" -ne 0 ] || fail "a store in a missing folder was accepted"
    expect_contains "$work/err" "the folder '$work/no/such' does not exist"
    [ ! -e "$work/no" ] || fail "a folder was created for the store"
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
