// SPDX-License-Identifier: Apache-2.0
// The shipped rule rules/council/deterioration.lua (criterion 2: worse for three
// consecutive months, quarters or years).
#include "lua/shipped_rules.hpp"

#include <string>

namespace vitals::testing {
namespace {

using detail::RuleSet;
using Status = RuleOutcome::Status;

RuleOutcome deterioration(RuleSet& set, const IndicatorDefinition& indicator,
                          std::vector<SeriesPoint> series,
                          std::optional<std::string> reporting = std::nullopt) {
  return run_rule(set, "deterioration",
                  make_input(indicator, std::move(series), std::move(reporting)));
}

// Norfolk's "Number of days delay in transfers of care per 100,000 population
// (attributable to social care)", Mar 2016 to Mar 2017, target 1.5.
std::vector<SeriesPoint> norfolk_dtoc() {
  return make_series("2016-03", {1.5, 2.9, 2.6, 2.4, 2.6, 3.0, 3.1, 3.1, 3.1, 3.2, 3.4, 3.5, 3.56},
                     1.5, Polarity::kSmallerIsBetter);
}

TEST_CASE("deterioration: Norfolk delayed transfers of care got worse for three months",
          "[lua][rules][deterioration]") {
  RuleSet set = load_shipped_rules();
  IndicatorDefinition dtoc =
      make_indicator("dtoc_social_care_per_100k", Polarity::kSmallerIsBetter);
  dtoc.unit = Unit::kPer100k;  // shown with two decimals, as the Norfolk example does
  dtoc.decimals = 2;
  RuleOutcome o = deterioration(set, dtoc, norfolk_dtoc());
  CHECK(o.status == Status::kException);
  CHECK(o.criterion == "deterioration");
  CHECK(o.message == "worse for 3 consecutive months: 3.20 → 3.40 → 3.50 → 3.56");
  CHECK(std::get<double>(o.evidence.at("run")) == 3);
  CHECK(std::get<double>(o.evidence.at("adverse_changes")) == 3);
  CHECK(std::get<std::string>(o.evidence.at("from_period")) == "2016-12");
  CHECK(std::get<std::string>(o.evidence.at("to_period")) == "2017-03");
  CHECK(std::get<std::string>(o.evidence.at("values")) == "3.20 → 3.40 → 3.50 → 3.56");
}

TEST_CASE("deterioration: a trend in late data is not reported",
          "[lua][rules][deterioration]") {
  // Norfolk's assessments resulting in information and guidance only fell for
  // three months to January 2017, but had no figures for February or March.
  RuleSet set = load_shipped_rules();
  IndicatorDefinition assessments =
      make_indicator("assessments_info_guidance_only_pct", Polarity::kBiggerIsBetter);
  auto input = make_input(assessments,
                          make_series("2016-10", {13.5, 11.5, 11.3, 8.1}, std::nullopt,
                                      Polarity::kBiggerIsBetter),
                          "2017-03");
  RuleOutcome current = run_rule(set, "deterioration", input);
  CHECK(current.status == Status::kException);
  input.data_state = DataState::kStale;
  RuleOutcome late = run_rule(set, "deterioration", input);
  CHECK(late.status == Status::kInsufficientData);
  CHECK(late.message ==
        "latest figure is for Jan 2017, later than the allowed lag; trends are judged on current "
        "data only");
}

TEST_CASE("deterioration: the run length comes from the parameters",
          "[lua][rules][deterioration]") {
  RuleSet set = load_shipped_rules();
  IndicatorDefinition dtoc =
      make_indicator("dtoc_social_care_per_100k", Polarity::kSmallerIsBetter);
  dtoc.unit = Unit::kPer100k;  // shown with two decimals, as the Norfolk example does
  dtoc.decimals = 2;
  dtoc.rule_params["deterioration"]["run"] = std::int64_t{2};
  CHECK(deterioration(set, dtoc, norfolk_dtoc()).message ==
        "worse for 2 consecutive months: 3.40 → 3.50 → 3.56");
  dtoc.rule_params["deterioration"]["run"] = std::int64_t{4};
  RuleOutcome four = deterioration(set, dtoc, norfolk_dtoc());
  CHECK(four.status == Status::kException);
  CHECK(four.message == "worse for 4 consecutive months: 3.10 → 3.20 → 3.40 → 3.50 → 3.56");
  // Oct to Nov 2016 stayed at 3.1: a tie breaks a run of five.
  dtoc.rule_params["deterioration"]["run"] = std::int64_t{5};
  RuleOutcome five = deterioration(set, dtoc, norfolk_dtoc());
  CHECK(five.status == Status::kOk);
  CHECK(five.message == "not worse for 5 consecutive months: 3.10 → 3.10 → 3.20 → 3.40 → 3.50 → 3.56");
  CHECK(std::get<double>(five.evidence.at("adverse_changes")) == 4);
  dtoc.rule_params["deterioration"]["run"] = 1.0;  // a whole number written as a decimal
  CHECK(deterioration(set, dtoc, norfolk_dtoc()).message ==
        "worse for 1 consecutive month: 3.50 → 3.56");
}

TEST_CASE("deterioration: equal neighbours are not a deterioration",
          "[lua][rules][deterioration]") {
  RuleSet set = load_shipped_rules();
  IndicatorDefinition indicator = make_indicator("i", Polarity::kSmallerIsBetter);
  RuleOutcome latest_tie = deterioration(
      set, indicator,
      make_series("2016-12", {3.1, 3.2, 3.3, 3.3}, std::nullopt, Polarity::kSmallerIsBetter));
  CHECK(latest_tie.status == Status::kOk);
  CHECK(latest_tie.message == "not worse for 3 consecutive months: 3.1% → 3.2% → 3.3% → 3.3%");
  RuleOutcome early_tie = deterioration(
      set, indicator,
      make_series("2016-12", {3.1, 3.1, 3.2, 3.3}, std::nullopt, Polarity::kSmallerIsBetter));
  CHECK(early_tie.status == Status::kOk);
  CHECK(early_tie.message == "not worse for 3 consecutive months: 3.1% → 3.1% → 3.2% → 3.3%");
}

TEST_CASE("deterioration: bigger-is-better indicators deteriorate downwards",
          "[lua][rules][deterioration]") {
  RuleSet set = load_shipped_rules();
  IndicatorDefinition indicator = make_indicator("reablement", Polarity::kBiggerIsBetter);
  RuleOutcome falling = deterioration(
      set, indicator, make_series("2016-12", {90, 88, 85, 80}, 90, Polarity::kBiggerIsBetter));
  CHECK(falling.status == Status::kException);
  CHECK(falling.message == "worse for 3 consecutive months: 90.0% → 88.0% → 85.0% → 80.0%");
  RuleOutcome rising = deterioration(
      set, indicator, make_series("2016-12", {80, 85, 88, 90}, 90, Polarity::kBiggerIsBetter));
  CHECK(rising.status == Status::kOk);
  RuleOutcome recovered = deterioration(
      set, indicator, make_series("2016-12", {90, 88, 89, 80}, 90, Polarity::kBiggerIsBetter));
  CHECK(recovered.status == Status::kOk);
  CHECK(recovered.message == "not worse for 3 consecutive months: 90.0% → 88.0% → 89.0% → 80.0%");
}

TEST_CASE("deterioration: a gap or a blank in the run is insufficient data",
          "[lua][rules][deterioration]") {
  RuleSet set = load_shipped_rules();
  IndicatorDefinition indicator = make_indicator("i", Polarity::kSmallerIsBetter);
  // January 2017 is missing altogether.
  std::vector<SeriesPoint> gap = {make_point("2016-11", 3.0, 1.5, Polarity::kSmallerIsBetter),
                                  make_point("2016-12", 3.2, 1.5, Polarity::kSmallerIsBetter),
                                  make_point("2017-02", 3.5, 1.5, Polarity::kSmallerIsBetter),
                                  make_point("2017-03", 3.56, 1.5, Polarity::kSmallerIsBetter)};
  RuleOutcome o = deterioration(set, indicator, gap);
  CHECK(o.status == Status::kInsufficientData);
  CHECK(o.message == "no value for Jan 2017 (needs Dec 2016 to Mar 2017)");
  CHECK(std::get<std::string>(o.evidence.at("missing_period")) == "2017-01");
  // February 2017 is in the series but blank.
  RuleOutcome blank = deterioration(
      set, indicator,
      make_series("2016-12", {3.2, 3.4, std::nullopt, 3.56}, 1.5, Polarity::kSmallerIsBetter));
  CHECK(blank.status == Status::kInsufficientData);
  CHECK(blank.message == "no value for Feb 2017 (needs Dec 2016 to Mar 2017)");
  // Too short a history.
  RuleOutcome short_history = deterioration(
      set, indicator, make_series("2017-01", {3.4, 3.5, 3.56}, 1.5, Polarity::kSmallerIsBetter));
  CHECK(short_history.status == Status::kInsufficientData);
  CHECK(short_history.message == "no value for Dec 2016 (needs Dec 2016 to Mar 2017)");
  // The latest value itself is blank.
  RuleOutcome latest_blank = deterioration(
      set, indicator,
      make_series("2016-12", {3.2, 3.4, 3.5, std::nullopt}, 1.5, Polarity::kSmallerIsBetter));
  CHECK(latest_blank.message == "no value for Mar 2017 (needs Dec 2016 to Mar 2017)");
}

TEST_CASE("deterioration: no data at all is insufficient data", "[lua][rules][deterioration]") {
  RuleSet set = load_shipped_rules();
  IndicatorDefinition indicator = make_indicator("i", Polarity::kSmallerIsBetter);
  RuleOutcome o = deterioration(set, indicator, {}, "2017-03");
  CHECK(o.status == Status::kInsufficientData);
  CHECK(o.message == "no data up to Mar 2017");
}

TEST_CASE("deterioration: quarterly series count quarters", "[lua][rules][deterioration]") {
  RuleSet set = load_shipped_rules();
  IndicatorDefinition indicator =
      make_indicator("q", Polarity::kSmallerIsBetter, Frequency::kQuarterly);
  RuleOutcome o = deterioration(
      set, indicator,
      make_series("2016-Q1", {10, 11, 12, 13, 14}, std::nullopt, Polarity::kSmallerIsBetter));
  CHECK(o.status == Status::kException);
  CHECK(o.message == "worse for 3 consecutive quarters: 11.0% → 12.0% → 13.0% → 14.0%");
  CHECK(std::get<std::string>(o.evidence.at("from_period")) == "2016-Q2");
  std::vector<SeriesPoint> gap = {
      make_point("2016-Q2", 11, std::nullopt, Polarity::kSmallerIsBetter),
      make_point("2016-Q3", 12, std::nullopt, Polarity::kSmallerIsBetter),
      make_point("2017-Q1", 14, std::nullopt, Polarity::kSmallerIsBetter)};
  RuleOutcome missing = deterioration(set, indicator, gap);
  CHECK(missing.status == Status::kInsufficientData);
  CHECK(missing.message == "no value for Q4 2016 (needs Q2 2016 to Q1 2017)");
}

TEST_CASE("deterioration: annual and financial-year series count years",
          "[lua][rules][deterioration]") {
  RuleSet set = load_shipped_rules();
  IndicatorDefinition annual = make_indicator("a", Polarity::kBiggerIsBetter, Frequency::kAnnual);
  RuleOutcome o = deterioration(
      set, annual,
      make_series("2014", {70.1, 69.5, 68, 67.25}, std::nullopt, Polarity::kBiggerIsBetter));
  CHECK(o.status == Status::kException);
  CHECK(o.message == "worse for 3 consecutive years: 70.1% → 69.5% → 68.0% → 67.2%");
  IndicatorDefinition financial =
      make_indicator("f", Polarity::kBiggerIsBetter, Frequency::kFinancialYear);
  RuleOutcome fy = deterioration(
      set, financial,
      make_series("2013/14", {70.1, 69.5, 69.5, 67.25}, std::nullopt, Polarity::kBiggerIsBetter));
  CHECK(fy.status == Status::kOk);
  CHECK(fy.message == "not worse for 3 consecutive years: 70.1% → 69.5% → 69.5% → 67.2%");
  RuleOutcome gap =
      deterioration(set, financial,
                    {make_point("2014/15", 69.5, std::nullopt, Polarity::kBiggerIsBetter),
                     make_point("2016/17", 67.25, std::nullopt, Polarity::kBiggerIsBetter)});
  CHECK(gap.message == "no value for 2015/16 (needs 2013/14 to 2016/17)");
}

TEST_CASE("deterioration: a bad run parameter is refused by the host before the rule runs",
          "[lua][rules][deterioration]") {
  RuleSet set = load_shipped_rules();
  IndicatorDefinition indicator = make_indicator("i", Polarity::kSmallerIsBetter);
  for (const ParamValue& bad :
       {ParamValue{std::int64_t{0}}, ParamValue{2.5}, ParamValue{std::string("three")}}) {
    indicator.rule_params["deterioration"]["run"] = bad;
    std::vector<Diagnostic> diagnostics;
    RuleOutcome o =
        run_rule(set, "deterioration", make_input(indicator, norfolk_dtoc()), &diagnostics);
    CHECK(o.status == Status::kError);
    CHECK(o.message.rfind(
              "could not evaluate: parameter run must be a whole number of at least 1, found ", 0) ==
          0);
    REQUIRE(diagnostics.size() == 1);
    CHECK(diagnostics[0].code == "rule.bad_param");
    CHECK(diagnostics[0].rule_id == "deterioration");
  }
  // A misspelt parameter is not silently ignored (the run would stay 3).
  indicator.rule_params["deterioration"] = {{"runn", ParamValue{std::int64_t{4}}}};
  std::vector<Diagnostic> diagnostics;
  RuleOutcome o = run_rule(set, "deterioration", make_input(indicator, norfolk_dtoc()), &diagnostics);
  CHECK(o.status == Status::kError);
  CHECK(o.message ==
        "could not evaluate: parameter 'runn' is not declared by the rule (its parameters: 'run')");
}

}  // namespace
}  // namespace vitals::testing
