// SPDX-License-Identifier: Apache-2.0
// The bundled Norfolk example end to end: CSV plugin -> store -> Lua rules.
// The council's June 2017 paper reported exactly these five indicators as
// exceptions for March 2017, all "(off target)".
#include <vitals/engine.hpp>
#include <vitals/report.hpp>
#include <vitals/risk_report.hpp>
#include <vitals/year_end.hpp>

#include <filesystem>
#include <map>
#include <set>
#include <sstream>
#include <string>

#include "catch.hpp"
#include "engine/engine_test_support.hpp"
#include "support/temp_dir.hpp"

using namespace vitals;
using vitals::testing::TempDir;

TEST_CASE("the Norfolk example reports the council's five exceptions for March 2017",
          "[engine][example]") {
  TempDir dir;
  Engine engine = vitals::testing::open_with_plugins(dir.path());
  REQUIRE(engine.load_catalogue(std::string(VITALS_SOURCE_DIR) + "/examples/norfolk").is_ok());
  CHECK_FALSE(has_errors(engine.diagnostics()));
  REQUIRE(engine.catalogue().indicators.size() == 15);

  auto ingested = engine.ingest();
  REQUIRE(ingested.ok());
  CHECK(ingested->diagnostics.empty());
  CHECK(ingested->sources == 4);  // the dashboard, budget, savings and the risk register
  CHECK(ingested->series == 15);
  CHECK(ingested->records == 26 + 9 + 19);  // budget P10 and P13, savings, risks

  auto report = engine.evaluate(Period::month(2017, 3));
  REQUIRE(report.ok());
  CHECK_FALSE(has_errors(report->diagnostics));

  std::set<std::string> off_target;
  std::set<std::string> deteriorating;
  std::set<std::string> budget;
  std::set<std::string> risk;
  for (const IndicatorResult* r : report->exceptions()) {
    for (const RuleOutcome* o : r->reasons()) {
      if (o->criterion == "off_target") off_target.insert(r->indicator_id);
      if (o->criterion == "deterioration") deteriorating.insert(r->indicator_id);
      if (o->criterion == "budget_impact") budget.insert(r->indicator_id);
      if (o->criterion == "risk_impact") risk.insert(r->indicator_id);
    }
  }
  CHECK(off_target == std::set<std::string>{"admissions_18_64_per_100k", "admissions_65_plus_per_100k",
                                            "dtoc_social_care_per_100k", "ld_paid_employment_pct",
                                            "mh_paid_employment_pct"});
  CHECK(deteriorating == std::set<std::string>{"dtoc_social_care_per_100k"});
  CHECK(report->exceptions().size() == 5);

  // Criterion 3 attaches to none: each of the five has a cost driver, and in
  // March, the year's last month, no weeks remain for the gap to cost
  // anything (the council reported all five "(off target)"). Criterion 4 only to delayed
  // transfers: its link states that a rise in delays is a consequence of the
  // hospital pressures risk, and delays rose four months running. The
  // admissions' link to RM14079 counts only when they rise three months
  // running; the employment rates link to no risk.
  CHECK(budget.empty());
  CHECK(risk == std::set<std::string>{"dtoc_social_care_per_100k"});
  int checked = 0;
  for (const IndicatorResult* r : report->exceptions()) {
    for (const RuleOutcome* o : r->reasons()) {
      if (r->indicator_id == "dtoc_social_care_per_100k" && o->criterion == "risk_impact") {
        ++checked;
        CHECK(o->message ==
              "linked risk ASC-HOSP Hospital admissions and discharges and pressure on acute "
              "services scores 16 (High, 4 x 4), prospects amber: this indicator measures its "
              "consequence 'rise in Delayed Transfers of Care (DTOCS)'; worse for 3 "
              "consecutive months: 3.20 → 3.40 → 3.50 → 3.56");
        REQUIRE(o->evidence.contains("mechanisms"));
        CHECK(o->evidence.at("mechanisms") ==
              EvidenceValue{std::string("ASC-HOSP measures its consequence 'rise in Delayed "
                                        "Transfers of Care (DTOCS)' when deteriorating")});
      }
    }
    for (const RuleOutcome& o : r->outcomes) {
      if (r->indicator_id == "admissions_65_plus_per_100k" && o.criterion == "budget_impact") {
        ++checked;
        CHECK(o.status == RuleOutcome::Status::kOk);
        CHECK(o.message ==
              "the gap to target costs Older People £0, 0% of its £103.7m budget, below the 1% "
              "that is material (60 per 100,000 over target × 213,765 aged 65+ / 100,000 = "
              "128.26 admissions × £520 a week (illustrative) × 0 weeks left in the financial "
              "year = £0)");
        CHECK(o.evidence.at("illustrative") == EvidenceValue{std::string("unit_cost")});
      }
      if (r->indicator_id == "admissions_18_64_per_100k" && o.criterion == "risk_impact") {
        ++checked;
        CHECK(o.status == RuleOutcome::Status::kOk);
        CHECK(o.message ==
              "linked risk RM14079 Failure to meet the long term needs of Norfolk citizens "
              "scores 20 (High, 4 x 5), prospects amber: this indicator measures progress on "
              "its mitigation 'reductions in residential care'; not worse for 3 consecutive "
              "months (1 in a row: 16.4 → 18.5 → 18.1 → 19.3)");
      }
    }
  }
  CHECK(checked == 3);

  // The exceptions in the council's order, the rows of its dashboard.
  std::vector<std::string> order;
  for (const IndicatorResult* r : report->exceptions()) order.push_back(r->indicator_id);
  CHECK(order == std::vector<std::string>{"admissions_18_64_per_100k", "admissions_65_plus_per_100k",
                                          "dtoc_social_care_per_100k", "ld_paid_employment_pct",
                                          "mh_paid_employment_pct"});

  // The first run: every exception is new, except the one accepted.toml accepts.
  for (const IndicatorResult* r : report->exceptions()) {
    INFO(r->indicator_id);
    CHECK(r->lifecycle.first_reported == Period::month(2017, 3));
    CHECK(r->lifecycle.periods_reported == 1);
    if (r->indicator_id == "mh_paid_employment_pct") {
      CHECK(r->lifecycle.state == ExceptionState::kAccepted);
      REQUIRE(r->lifecycle.acceptance);
      CHECK(r->lifecycle.acceptance->until == "2017-06-30");
      CHECK(r->lifecycle.acceptance->approver == "Director of Community Social Work");
    } else {
      CHECK(r->lifecycle.state == ExceptionState::kNew);
    }
  }
  // Two indicators have no figures for March beyond their allowed lag.
  std::set<std::string> late;
  for (const IndicatorResult* r : report->late_data()) late.insert(r->indicator_id);
  CHECK(late.count("cqc_good_or_above_pct") == 1);
  CHECK(report->manifest.data_hash.size() == 64);

  // The risk report: the whole register of 19 risks, 4 High, 14 Medium and
  // 1 Low (000:1427), of which the council's rule (score 12 or more with
  // prospects red or amber, 000:1412) selects 13.
  auto risks = engine.risk_report(Period::month(2017, 3));
  REQUIRE(risks.ok());
  CHECK(risks->register_risks.size() == 19);
  RiskBandCounts bands = count_risk_bands(risks->register_risks);
  CHECK(bands.high == 4);
  CHECK(bands.medium == 14);
  CHECK(bands.low == 1);
  CHECK(risks->exceptions.size() == 13);
  std::set<std::string> not_reported;
  for (const Risk& r : risks->register_risks) not_reported.insert(r.id);
  for (const Risk& r : risks->exceptions) not_reported.erase(r.id);
  // The six the paper's domain notes name: RM019 (15, Green), data
  // protection (12, Green), integration (10), carers (6), Care Act (5),
  // safeguarding (10).
  CHECK(not_reported == std::set<std::string>{"RM019", "ASC-DATA", "ASC-INTEG", "RM14238",
                                              "RM14149", "ASC-SAFEG"});
  CHECK(risks->exceptions.front().id == "ASC-SAVINGS");  // 20, then by id
  CHECK_FALSE(risks->previous_period);
  // The indicators weakening each risk in March 2017: delayed transfers
  // weaken ASC-HOSP (its consequence, deteriorating); the admissions rates
  // are linked to RM14079 (its mitigation, when deteriorating) but do not.
  REQUIRE(risks->indicators_evaluated);
  auto weakening = links_of_risk(risks->indicator_links, "ASC-HOSP", true);
  REQUIRE(weakening.size() == 1);
  CHECK(weakening[0]->indicator_id == "dtoc_social_care_per_100k");
  REQUIRE(weakening[0]->mechanism);
  CHECK(weakening[0]->mechanism->measures == RiskMechanism::Measures::kConsequence);
  CHECK(weakening[0]->state == "worse for 3 consecutive months: 3.20 → 3.40 → 3.50 → 3.56");
  CHECK(links_of_risk(risks->indicator_links, "RM14079", true).empty());
  std::set<std::string> linked;
  for (const RiskIndicatorLink* l : links_of_risk(risks->indicator_links, "RM14079", false)) {
    linked.insert(l->indicator_id);
  }
  CHECK(linked.count("admissions_18_64_per_100k") == 1);
  CHECK(linked.count("admissions_65_plus_per_100k") == 1);
  // Its evaluation is not recorded as a run.
  auto runs = engine.runs();
  REQUIRE(runs.ok());
  const std::size_t recorded = runs->size();
  REQUIRE(engine.risk_report(Period::month(2017, 3)).ok());
  CHECK(engine.runs()->size() == recorded);

  // The year-end summary of the example's own evaluation (profiled targets
  // and all) groups the vital signs the council's summary names as it does
  // (paper 000, lines 1024-1053).
  YearEndSummary year = summarise_year(*report, engine.catalogue().year_end);
  std::map<std::string, YearEndGroup> group;
  for (const YearEndEntry& e : year.entries) group[e.indicator_id] = e.group;
  CHECK(group["home_91_days_after_reablement"] == YearEndGroup::kSustainedGood);
  CHECK(group["admissions_18_64_per_100k"] == YearEndGroup::kImproved);
  CHECK(group["cqc_good_or_above_pct"] == YearEndGroup::kImproved);
  CHECK(group["service_users_65_plus_per_100k"] == YearEndGroup::kImproved);
  CHECK(group["dtoc_social_care_per_100k"] == YearEndGroup::kWorsened);
  CHECK(group["admissions_65_plus_per_100k"] == YearEndGroup::kWorsened);
  CHECK(group["ld_paid_employment_pct"] == YearEndGroup::kStillChallenging);
  CHECK(group["mh_paid_employment_pct"] == YearEndGroup::kStillChallenging);

  // Re-ingesting the same file changes nothing.
  auto again = engine.ingest();
  REQUIRE(again.ok());
  CHECK(again->inserted == 0);
  CHECK(again->revised == 0);
  CHECK(again->unchanged == ingested->inserted);
}

TEST_CASE("the Norfolk example's accepted exception expires after June 2017",
          "[engine][example][accepted]") {
  // The catalogue as shipped, with the acceptance ending before March instead.
  TempDir dir;
  const std::filesystem::path source = std::string(VITALS_SOURCE_DIR) + "/examples/norfolk";
  std::filesystem::copy(source, dir / "norfolk", std::filesystem::copy_options::recursive);
  std::string catalogue = vitals::testing::read_file(dir / "norfolk/catalogue.toml");
  const std::string rules = "rule_dirs = [\"../../rules/council\"]";
  REQUIRE(catalogue.find(rules) != std::string::npos);
  catalogue.replace(catalogue.find(rules), rules.size(),
                    "rule_dirs = [\"" + std::string(VITALS_SOURCE_DIR) + "/rules/council\"]");
  dir.write("norfolk/catalogue.toml", catalogue);
  std::string accepted = vitals::testing::read_file(dir / "norfolk/accepted.toml");
  REQUIRE(accepted.find("until = 2017-06-30") != std::string::npos);

  Engine engine = vitals::testing::open_with_plugins(dir.path());
  auto state_of_mh = [&](const std::string& until) {
    std::string text = accepted;
    text.replace(text.find("until = 2017-06-30"), 18, "until = " + until);
    dir.write("norfolk/accepted.toml", text);
    REQUIRE(engine.load_catalogue(dir / "norfolk").is_ok());
    REQUIRE(engine.ingest().ok());
    auto report = engine.evaluate(Period::month(2017, 3));
    REQUIRE(report.ok());
    for (const IndicatorResult& r : report->indicators) {
      if (r.indicator_id == "mh_paid_employment_pct") return r.lifecycle.state;
    }
    FAIL("no mh_paid_employment_pct");
    return ExceptionState::kNone;
  };
  CHECK(state_of_mh("2017-06-30") == ExceptionState::kAccepted);
  CHECK(state_of_mh("2017-03-31") == ExceptionState::kAccepted);
  CHECK(state_of_mh("2017-03-30") == ExceptionState::kNew);  // expired: reported as before
}

TEST_CASE("a period of another frequency than the Norfolk indicators' is refused, not recorded",
          "[engine][example]") {
  TempDir dir;
  Engine engine = vitals::testing::open_with_plugins(dir.path());
  REQUIRE(engine.load_catalogue(std::string(VITALS_SOURCE_DIR) + "/examples/norfolk").is_ok());
  REQUIRE(engine.ingest().ok());
  auto year = engine.evaluate(*Period::parse("2016/17"));
  REQUIRE_FALSE(year.ok());
  CHECK(year.status().code() == StatusCode::kInvalidArgument);
  CHECK(year.status().message().find("they are monthly (15)") != std::string::npos);
  auto quarter = engine.evaluate(*Period::parse("2017-Q1"));
  CHECK(quarter.status().code() == StatusCode::kInvalidArgument);
  auto runs = engine.runs();
  REQUIRE(runs.ok());
  CHECK(runs->empty());
  CHECK(engine.evaluate(Period::month(2017, 3)).ok());
}

TEST_CASE("a recorded Norfolk run read back shows its figures with the catalogue's decimals",
          "[engine][example][runs]") {
  TempDir dir;
  Engine engine = vitals::testing::open_with_plugins(dir.path());
  REQUIRE(engine.load_catalogue(std::string(VITALS_SOURCE_DIR) + "/examples/norfolk").is_ok());
  REQUIRE(engine.ingest().ok());
  auto live = engine.evaluate(Period::month(2017, 3));
  REQUIRE(live.ok());
  REQUIRE(live->run_id != 0);
  auto stored = engine.load_run(live->run_id);
  REQUIRE(stored.ok());
  REQUIRE(stored->indicators.size() == live->indicators.size());
  for (std::size_t i = 0; i < live->indicators.size(); ++i) {
    INFO(live->indicators[i].indicator_id);
    CHECK(stored->indicators[i].decimals == live->indicators[i].decimals);
  }
  // Delayed transfers: the catalogue's decimals = 2, where the unit's default is 1.
  auto row_of = [](const EvaluationReport& report) {
    std::ostringstream out;
    REQUIRE(render(report, ReportFormat::kMarkdown, out).is_ok());
    const std::string text = out.str();
    const std::size_t at = text.find("\n| Number of days delay in transfers of care");
    REQUIRE(at != std::string::npos);
    return text.substr(at + 1, text.find('\n', at + 1) - at - 1);
  };
  const std::string live_row = row_of(*live);
  CHECK(live_row.find("| Mar 2017 | 3.56 | 1.50 | red |") != std::string::npos);
  CHECK(row_of(*stored) == live_row);
}
