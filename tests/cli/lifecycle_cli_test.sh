#!/usr/bin/env bash
# Usage: lifecycle_cli_test.sh SCENARIO VITALS_BINARY SOURCE_DIR
# The run history (vitals runs, vitals diff) and the risk report (vitals risks).
set -euo pipefail
scenario=$1
vitals=$2
src=$3
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
norfolk="$src/examples/norfolk"

evaluate() {  # evaluate PERIOD [CATALOGUE]
  run "$vitals" evaluate --catalogue "${2:-$norfolk}" --period "$1" --store "$work/v.db"
  [ "$rc" -eq 0 ] || { cat "$work/err"; fail "evaluate $1: exit code $rc"; }
}

case "$scenario" in
  runs_list)
    evaluate 2017-02
    evaluate 2017-03
    evaluate 2017-03  # a re-run replaces the first March run
    run "$vitals" runs --store "$work/v.db"
    [ "$rc" -eq 0 ] || { cat "$work/err"; fail "exit code $rc"; }
    expect_contains "$work/out" "run 3: Adult Social Care, Mar 2017 (2017-03), recorded "
    expect_contains "$work/out" "run 2: Adult Social Care, Mar 2017 (2017-03), recorded "
    expect_contains "$work/out" "run 1: Adult Social Care, Feb 2017 (2017-02), recorded "
    # The one diagnostic: the LD card's stated 5% against the catalogue's 4.0%.
    expect_contains "$work/out" "  5 exceptions of 15 indicators, 1 diagnostic; replaced by run 3"
    [ "$(grep -c '; current$' "$work/out")" -eq 2 ] || { cat "$work/out"; fail "expected 2 current runs"; }
    grep -qE '^  engine [0-9.]+; catalogue [0-9a-f]{12}; rules [0-9a-f]{12}; plugins [0-9a-f]{12}; data [0-9a-f]{12}$' \
        "$work/out" || { cat "$work/out"; fail "no manifest line"; }
    # The newest first.
    [ "$(head -1 "$work/out" | cut -d: -f1)" = "run 3" ] || fail "runs are not newest first"

    run "$vitals" runs --store "$work/v.db" --format json
    [ "$rc" -eq 0 ] || fail "json: exit code $rc"
    /usr/bin/python3 - "$work/out" <<'PY' || fail "runs JSON"
import json, sys
d = json.load(open(sys.argv[1]))
assert d["format"] == "vitals.runs/1"
runs = {r["id"]: r for r in d["runs"]}
assert runs[2]["replaced_by"] == 3 and runs[3]["replaced_by"] is None
for r in d["runs"]:
    m = r["manifest"]
    assert all(len(m[k]) == 64 for k in ["catalogue_hash", "rules_hash", "plugins_hash", "data_hash"]), m
assert runs[2]["manifest"] == runs[3]["manifest"]          # same inputs, same manifest
assert runs[1]["manifest"]["data_hash"] != runs[3]["manifest"]["data_hash"]
PY
    ;;
  runs_filtered)
    evaluate 2017-03
    copy_example
    sed -i 's/^name = "Adult Social Care"/name = "Another Committee"/' "$work/norfolk/catalogue.toml"
    evaluate 2017-03 "$work/norfolk"
    run "$vitals" runs --store "$work/v.db" --catalogue "$norfolk"
    [ "$rc" -eq 0 ] || { cat "$work/err"; fail "exit code $rc"; }
    expect_contains "$work/out" "run 1: Adult Social Care"
    expect_not_contains "$work/out" "Another Committee"
    run "$vitals" runs --store "$work/empty.db"
    expect_contains "$work/out" "No runs are recorded in this store."
    ;;
  diff_runs)
    evaluate 2017-02
    evaluate 2017-03
    run "$vitals" diff 1 2 --store "$work/v.db"
    [ "$rc" -eq 0 ] || { cat "$work/err"; fail "exit code $rc"; }
    expect_contains "$work/out" "From run 1 (Adult Social Care, Feb 2017) to run 2 (Adult Social Care, Mar 2017):"
    expect_contains "$work/out" "  ~ dtoc_social_care_per_100k (Number of days delay in transfers of care per 100,000 population (attributable to social care)): new -> continuing"
    expect_contains "$work/out" "  - carers_supported_community_per_100k ("
    expect_contains "$work/out" "  manifest data_hash: "
    run "$vitals" diff 2 2 --store "$work/v.db" --format json
    [ "$rc" -eq 0 ] || fail "json: exit code $rc"
    /usr/bin/python3 -c "
import json, sys
d = json.load(open(sys.argv[1]))
assert d['format'] == 'vitals.run_diff/1'
assert d['added'] == d['removed'] == d['changed'] == d['manifest'] == []
" "$work/out" || fail "diff JSON"
    ;;
  diff_usage)
    evaluate 2017-03
    run "$vitals" diff 1 --store "$work/v.db"
    [ "$rc" -eq 2 ] || fail "one id: exit code $rc, expected 2"
    expect_contains "$work/err" "diff needs two run ids"
    run "$vitals" diff 1 x --store "$work/v.db"
    [ "$rc" -eq 2 ] || fail "bad id: exit code $rc, expected 2"
    expect_contains "$work/err" "'x' is not a run id"
    run "$vitals" diff 1 9 --store "$work/v.db"
    [ "$rc" -eq 2 ] || fail "unknown run: exit code $rc, expected 2"
    expect_contains "$work/err" "there is no run 9 in the store"
    ;;
  risks_report)
    run "$vitals" risks --catalogue "$norfolk" --period 2017-03 --store "$work/v.db"
    [ "$rc" -eq 0 ] || { cat "$work/err"; fail "exit code $rc"; }
    expect_contains "$work/out" "Adult Social Care Committee: risk management report, Mar 2017"
    # The whole register (19 risks) in the council's bands: "four risks are
    # reported as High ... 14 as Medium ... and one as Low" (000:1427).
    expect_contains "$work/out" "Summary of all risks on the register: 19; 4 High (16-25), 14 Medium (6-15) and 1 Low (1-5), by current score."
    expect_contains "$work/out" "  4 Likely            20: ASC-SAVINGS, RM14079"
    # The council's rule (000:1412) selects 13 of the 19.
    expect_contains "$work/out" "Risks reported by exception (current score 12 or more, prospects red or amber): 13"
    expect_contains "$work/out" "  b. RM14079 Failure to meet the long term needs of Norfolk citizens"
    expect_contains "$work/out" "     score 20 (High): likelihood 4 x impact 5; target 8 by 2030-03-31; prospects Amber; owner James Bullion"
    expect_not_contains "$work/out" ". RM14238 "   # scores 6
    expect_not_contains "$work/out" ". RM019 "     # scores 15, prospects green
    expect_contains "$work/out" "no earlier register to reconcile with. Next review due: September 2017."
    # The vital signs weakening each risk now (the risk_impact findings of
    # March 2017's evaluation) and those linked that do not.
    expect_contains "$work/out" "Vital signs linked to the register's risks, as evaluated for Mar 2017:"
    expect_contains "$work/out" "  ASC-HOSP: weakened now by dtoc_social_care_per_100k; linked, not weakening it now: home_91_days_after_reablement"
    expect_contains "$work/out" "  RM14079: linked, not weakening it now: admissions_18_64_per_100k, admissions_65_plus_per_100k, service_users_65_plus_per_100k"
    expect_contains "$work/out" "     weakened now by Number of days delay in transfers of care per 100,000 population (attributable to social care) (dtoc_social_care_per_100k), which measures its consequence 'rise in Delayed Transfers of Care (DTOCS)' and weakens the risk when deteriorating; now: worse for 3 consecutive months: 3.20 → 3.40 → 3.50 → 3.56"
    expect_contains "$work/out" "     linked, not weakening it now: Decreasing the rate of admissions of people to residential and nursing care per 100,000 population (65+ years) (admissions_65_plus_per_100k), which measures progress on its mitigation 'reductions in residential care' and weakens the risk when deteriorating"
    # The evaluation behind it is not recorded as a run.
    run "$vitals" runs --store "$work/v.db"
    expect_contains "$work/out" "No runs are recorded in this store."
    run "$vitals" risks --catalogue "$norfolk" --period 2017-03 --store "$work/v.db" --no-ingest --no-indicators
    [ "$rc" -eq 0 ] || { cat "$work/err"; fail "no-indicators: exit code $rc"; }
    expect_not_contains "$work/out" "Vital signs linked"
    expect_not_contains "$work/out" "weakened now by"
    run "$vitals" risks --catalogue "$norfolk" --period 2017-03 --store "$work/v.db" --format json --no-ingest
    [ "$rc" -eq 0 ] || { cat "$work/err"; fail "json: exit code $rc"; }
    /usr/bin/python3 - "$work/out" <<'PY' || fail "json links"
import json, sys
doc = json.load(open(sys.argv[1]))
assert doc["indicators_evaluated"] is True
risks = {r["id"]: r for r in doc["register"]}
assert risks["ASC-HOSP"]["weakened_by"] == ["dtoc_social_care_per_100k"], risks["ASC-HOSP"]
assert risks["RM14079"]["weakened_by"] == [], risks["RM14079"]
assert risks["RM14079"]["linked_not_weakening"][:2] == ["admissions_18_64_per_100k", "admissions_65_plus_per_100k"]
link = [l for l in doc["indicator_links"] if l["risk"] == "ASC-HOSP" and l["weakens"]]
assert link == [{"risk": "ASC-HOSP", "indicator": "dtoc_social_care_per_100k",
                 "title": "Number of days delay in transfers of care per 100,000 population (attributable to social care)",
                 "weakens": True,
                 "mechanism": {"measures": "consequence", "quote": "rise in Delayed Transfers of Care (DTOCS)", "when": "deteriorating"},
                 "state": "worse for 3 consecutive months: 3.20 → 3.40 → 3.50 → 3.56"}], link
PY
    run "$vitals" risks --catalogue "$norfolk" --period 2017-03 --store "$work/v.db" --threshold 16 --format markdown --no-ingest
    [ "$rc" -eq 0 ] || { cat "$work/err"; fail "markdown: exit code $rc"; }
    expect_contains "$work/out" "## Risks reported by exception (current score 16 or more, prospects red or amber): 4"
    expect_contains "$work/out" "### d. ASC-HOSP Hospital admissions and discharges and pressure on acute services"
    expect_contains "$work/out" "- **Current score**: 16 (High, 4 x 4)"
    expect_contains "$work/out" "| ASC-HOSP | Departmental (Hospital teams) | Hospital admissions and discharges and pressure on acute services | 12 (Medium) | 16 (High) | 6 by 2018-03-31 | Amber | James Bullion | weakened now by dtoc\\_social\\_care\\_per\\_100k; linked, not weakening it now: home\\_91\\_days\\_after\\_reablement |"
    expect_contains "$work/out" "- **Vital signs weakening it now**:"
    expect_contains "$work/out" "  - Number of days delay in transfers of care per 100,000 population (attributable to social care) (dtoc\\_social\\_care\\_per\\_100k), which measures its consequence 'rise in Delayed Transfers of Care (DTOCS)' and weakens the risk when deteriorating; now: worse for 3 consecutive months: 3.20 → 3.40 → 3.50 → 3.56"
    run "$vitals" risks --catalogue "$norfolk" --period 2017-03 --store "$work/v.db" --format html --output "$work/risks.html" --no-ingest
    [ "$rc" -eq 0 ] || { cat "$work/err"; fail "html: exit code $rc"; }
    expect_contains "$work/risks.html" "<h1>Risk management report</h1>"
    expect_contains "$work/risks.html" "<dt>Vital signs weakening it now</dt><dd><ul>"
    expect_contains "$work/risks.html" "<td class=\"band-high\"><span class=\"score\">16 <span class=\"sr\">(High)</span></span><span class=\"id\">ASC-DOLS</span>, <span class=\"id\">ASC-HOSP</span></td>"
    run "$vitals" risks --catalogue "$norfolk" --period 2017-03 --store "$work/v.db" --format pdf --no-ingest
    [ "$rc" -eq 2 ] || fail "format pdf: exit code $rc, expected 2"
    expect_contains "$work/err" "--format is 'pdf'; expected text, markdown, html or json"
    run "$vitals" risks --catalogue "$norfolk" --period 2017-03 --threshold 0 --store "$work/v.db"
    [ "$rc" -eq 2 ] || fail "threshold 0: exit code $rc, expected 2"
    ;;
  risks_reconciliation)
    copy_example
    run "$vitals" risks --catalogue "$work/norfolk" --period 2017-03 --store "$work/v.db"
    [ "$rc" -eq 0 ] || { cat "$work/err"; fail "first: exit code $rc"; }
    # June's register: RM13925 closed, RM14247 rescored, ASC-JR reworded, a new risk.
    /usr/bin/python3 - "$work/norfolk/data/risks.csv" "$work/risks-june.csv" <<'PY' || fail "June register"
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1], newline="")))
june = []
for r in rows:
    if r["risk_id"] == "RM13925":
        continue
    if r["risk_id"] == "RM14247":
        r.update(current_likelihood="4", current_impact="4", prospects="red")
    if r["risk_id"] == "ASC-JR":
        r["title"] = "Judicial Review into the fee uplift"
    r["last_review"] = "2017-08-31"
    june.append(r)
new = dict(rows[0])
new.update(risk_id="ASC-NEW", level="D", title="Failure of a home care provider", description="",
           current_likelihood="3", current_impact="4", prospects="amber")
june.append(new)
with open(sys.argv[2], "w", newline="") as f:
    w = csv.DictWriter(f, fieldnames=list(rows[0].keys()))
    w.writeheader()
    w.writerows(june)
PY
    mv "$work/risks-june.csv" "$work/norfolk/data/risks.csv"
    sed -i '/^\[sources.risks\]/,/^$/ s/^period = "2017-03"/period = "2017-06"/' "$work/norfolk/catalogue.toml"
    run "$vitals" risks --catalogue "$work/norfolk" --period 2017-06 --store "$work/v.db" --format json
    [ "$rc" -eq 0 ] || { cat "$work/err"; fail "second: exit code $rc"; }
    /usr/bin/python3 - "$work/out" <<'PY' || fail "reconciliation JSON"
import json, sys
d = json.load(open(sys.argv[1]))
assert d["register_period"] == "2017-06" and d["previous_period"] == "2017-03", d
changes = [(c["risk"], c["kind"]) for c in d["changes"]]
assert changes == [("ASC-JR", "title_changed"), ("ASC-NEW", "new"), ("RM13925", "closed"),
                   ("RM14247", "score_changed")], changes
rescored = [c for c in d["changes"] if c["kind"] == "score_changed"][0]
assert (rescored["score_before"], rescored["score_after"]) == (12, 16), rescored
top = d["exceptions"][0]
assert top["id"] == "ASC-SAVINGS", top
care = [r for r in d["register"] if r["id"] == "RM14247"][0]
assert care["previous_score"] == 12 and care["current"]["band"] == "high", care
PY
    # The March report is still reproducible from the store.
    run "$vitals" risks --catalogue "$work/norfolk" --period 2017-03 --store "$work/v.db" --no-ingest
    expect_contains "$work/out" "Risk register as at Mar 2017; no earlier register to reconcile with."
    ;;
  rerun_from_store)
    evaluate 2017-02
    run "$vitals" evaluate --catalogue "$norfolk" --period 2017-03 --store "$work/v.db" --format json --no-ingest
    [ "$rc" -eq 0 ] || { cat "$work/err"; fail "exit code $rc"; }
    /usr/bin/python3 -c "import json,sys; d=json.load(open(sys.argv[1])); assert len(d['exceptions']) == 5" \
        "$work/out" || fail "five exceptions"
    ;;
  *)
    fail "unknown scenario $scenario"
    ;;
esac
echo PASS
