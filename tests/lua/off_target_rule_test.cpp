// SPDX-License-Identifier: Apache-2.0
// The shipped rule rules/council/off_target.lua (criterion 1: performance is off target).
#include "lua/shipped_rules.hpp"

#include <string>

namespace vitals::testing {
namespace {

using detail::RuleSet;
using Status = RuleOutcome::Status;

RuleOutcome off_target(RuleSet& set, const IndicatorDefinition& indicator,
                       std::vector<SeriesPoint> series,
                       std::optional<std::string> reporting = std::nullopt) {
  return run_rule(set, "off_target",
                  make_input(indicator, std::move(series), std::move(reporting)));
}

TEST_CASE("the shipped rules load without diagnostics", "[lua][rules]") {
  RuleSet set = load_shipped_rules();
  auto rule = [&](const std::string& id) -> const detail::RuleInfo* {
    for (const detail::RuleInfo& info : set.rules()) {
      if (info.id == id) return &info;
    }
    return nullptr;
  };
  const detail::RuleInfo* worse = rule("deterioration");
  REQUIRE(worse != nullptr);
  CHECK(worse->criterion == "deterioration");
  const detail::RuleInfo* target = rule("off_target");
  REQUIRE(target != nullptr);
  CHECK(target->criterion == "off_target");
  CHECK(target->version == "1.0");
  CHECK(target->file == std::filesystem::path(VITALS_SOURCE_DIR "/rules/council/off_target.lua"));
  // The statistical process control pack is not a council criterion.
  CHECK(rule("spc") == nullptr);
}

TEST_CASE("off_target: Norfolk delayed transfers of care are an exception",
          "[lua][rules][off_target]") {
  RuleSet set = load_shipped_rules();
  IndicatorDefinition dtoc =
      make_indicator("dtoc_social_care_per_100k", Polarity::kSmallerIsBetter);
  dtoc.unit = Unit::kPer100k;  // shown with two decimals, as the Norfolk example does
  dtoc.decimals = 2;
  RuleOutcome o = off_target(
      set, dtoc, make_series("2016-12", {3.2, 3.4, 3.5, 3.56}, 1.5, Polarity::kSmallerIsBetter));
  CHECK(o.status == Status::kException);
  CHECK(o.criterion == "off_target");
  CHECK(o.message == "3.56 against a target of 1.50: 137% worse than target, tolerance 5%");
  CHECK(std::get<double>(o.evidence.at("value")) == 3.56);
  CHECK(std::get<double>(o.evidence.at("target")) == 1.5);
  CHECK(std::get<double>(o.evidence.at("variance_pct")) == Approx(137.333).epsilon(1e-4));
  CHECK(std::get<double>(o.evidence.at("threshold_pct")) == 5);
  CHECK(std::get<std::string>(o.evidence.at("rag")) == "red");
  CHECK(std::get<std::string>(o.evidence.at("period")) == "2017-03");
}

TEST_CASE("off_target: bigger-is-better results below target", "[lua][rules][off_target]") {
  RuleSet set = load_shipped_rules();
  IndicatorDefinition employment = make_indicator("ld_paid_employment", Polarity::kBiggerIsBetter);
  CHECK(off_target(set, employment, {make_point("2017-03", 92.5, 100, Polarity::kBiggerIsBetter)})
            .message == "92.5% against a target of 100.0%: 7.5% worse than target, tolerance 5%");
  RuleOutcome fine =
      off_target(set, employment, {make_point("2017-03", 94.2, 90, Polarity::kBiggerIsBetter)});
  CHECK(fine.status == Status::kOk);
  CHECK(fine.message == "94.2% against a target of 90.0%: on target");
  RuleOutcome met =
      off_target(set, employment, {make_point("2017-03", 90, 90, Polarity::kBiggerIsBetter)});
  CHECK(met.status == Status::kOk);
  CHECK(met.message == "90.0% against a target of 90.0%: on target");
}

TEST_CASE("off_target: smaller-is-better results above and below target",
          "[lua][rules][off_target]") {
  RuleSet set = load_shipped_rules();
  IndicatorDefinition admissions = make_indicator("res_admissions_65", Polarity::kSmallerIsBetter);
  admissions.unit = Unit::kCount;  // whole numbers, thousands separated
  RuleOutcome over =
      off_target(set, admissions, {make_point("2017-03", 3523, 3000, Polarity::kSmallerIsBetter)});
  CHECK(over.status == Status::kException);
  CHECK(over.message == "3,523 against a target of 3,000: 17% worse than target, tolerance 5%");
  RuleOutcome under =
      off_target(set, admissions, {make_point("2017-03", 2900, 3000, Polarity::kSmallerIsBetter)});
  CHECK(under.status == Status::kOk);
  CHECK(under.message == "2,900 against a target of 3,000: on target");
}

TEST_CASE("off_target: exactly 5% worse is an exception, just under is not",
          "[lua][rules][off_target]") {
  RuleSet set = load_shipped_rules();
  IndicatorDefinition bigger = make_indicator("b", Polarity::kBiggerIsBetter);
  IndicatorDefinition smaller = make_indicator("s", Polarity::kSmallerIsBetter);
  RuleOutcome b =
      off_target(set, bigger, {make_point("2017-03", 95, 100, Polarity::kBiggerIsBetter)});
  CHECK(b.status == Status::kException);
  CHECK(b.message == "95.0% against a target of 100.0%: 5% worse than target, tolerance 5%");
  // 105 against 100 gives 5.000000000000001 in floating point; 5% is 5%.
  RuleOutcome s =
      off_target(set, smaller, {make_point("2017-03", 105, 100, Polarity::kSmallerIsBetter)});
  CHECK(s.status == Status::kException);
  CHECK(s.message == "105.0% against a target of 100.0%: 5% worse than target, tolerance 5%");
  RuleOutcome under =
      off_target(set, bigger, {make_point("2017-03", 95.1, 100, Polarity::kBiggerIsBetter)});
  CHECK(under.status == Status::kOk);
  CHECK(under.message ==
        "95.1% against a target of 100.0%: 4.9% worse than target, within tolerance 5%");
}

TEST_CASE("off_target: the variance threshold comes from the rule's parameters",
          "[lua][rules][off_target]") {
  RuleSet set = load_shipped_rules();
  IndicatorDefinition indicator = make_indicator("i", Polarity::kBiggerIsBetter);
  Tolerance lenient{10.0, 0.0};
  indicator.tolerance = lenient;
  indicator.rule_params["off_target"]["variance_pct"] = std::int64_t{10};
  RuleOutcome within = off_target(
      set, indicator, {make_point("2017-03", 92.5, 100, Polarity::kBiggerIsBetter, lenient)});
  CHECK(within.status == Status::kOk);
  CHECK(within.message ==
        "92.5% against a target of 100.0%: 7.5% worse than target, within tolerance 10%");
  RuleOutcome beyond = off_target(
      set, indicator, {make_point("2017-03", 88, 100, Polarity::kBiggerIsBetter, lenient)});
  CHECK(beyond.status == Status::kException);
  CHECK(beyond.message == "88.0% against a target of 100.0%: 12% worse than target, tolerance 10%");
  indicator.rule_params["off_target"]["variance_pct"] = 2.5;
  RuleOutcome strict = off_target(
      set, indicator, {make_point("2017-03", 97, 100, Polarity::kBiggerIsBetter, lenient)});
  CHECK(strict.status == Status::kException);
  CHECK(strict.message == "97.0% against a target of 100.0%: 3% worse than target, tolerance 2.5%");
}

TEST_CASE("off_target: a Red rating is an exception even under the threshold",
          "[lua][rules][off_target]") {
  RuleSet set = load_shipped_rules();
  IndicatorDefinition indicator = make_indicator("i", Polarity::kBiggerIsBetter);
  Tolerance tight{3.0, 1.0};
  indicator.tolerance = tight;
  RuleOutcome o = off_target(set, indicator,
                             {make_point("2017-03", 96, 100, Polarity::kBiggerIsBetter, tight)});
  CHECK(o.status == Status::kException);
  CHECK(o.message == "96.0% against a target of 100.0%: 4% worse than target, tolerance 3%");
}

TEST_CASE("off_target: profiled targets are judged month by month", "[lua][rules][off_target]") {
  RuleSet set = load_shipped_rules();
  IndicatorDefinition indicator = make_indicator("reablement", Polarity::kBiggerIsBetter);
  // The result stays at 84 while the target steps up from 80 to 90.
  std::vector<SeriesPoint> series = {make_point("2017-01", 84, 80, Polarity::kBiggerIsBetter),
                                     make_point("2017-02", 84, 85, Polarity::kBiggerIsBetter)};
  RuleOutcome february = off_target(set, indicator, series);
  CHECK(february.status == Status::kOk);
  CHECK(february.message ==
        "84.0% against a target of 85.0%: 1.2% worse than target, within tolerance 5%");
  series.push_back(make_point("2017-03", 84, 90, Polarity::kBiggerIsBetter));
  RuleOutcome march = off_target(set, indicator, series);
  CHECK(march.status == Status::kException);
  CHECK(march.message == "84.0% against a target of 90.0%: 6.7% worse than target, tolerance 5%");
}

TEST_CASE("off_target: no target means nothing to be off", "[lua][rules][off_target]") {
  RuleSet set = load_shipped_rules();
  IndicatorDefinition indicator = make_indicator("i", Polarity::kBiggerIsBetter);
  RuleOutcome o = off_target(set, indicator,
                             {make_point("2017-03", 42, std::nullopt, Polarity::kBiggerIsBetter)});
  CHECK(o.status == Status::kOk);
  CHECK(o.message == "no target set");
}

TEST_CASE("off_target: a zero target is missed without a percentage", "[lua][rules][off_target]") {
  RuleSet set = load_shipped_rules();
  IndicatorDefinition indicator = make_indicator("i", Polarity::kSmallerIsBetter);
  RuleOutcome o =
      off_target(set, indicator, {make_point("2017-03", 2, 0, Polarity::kSmallerIsBetter)});
  CHECK(o.status == Status::kException);
  CHECK(o.message == "2.0% against a target of 0.0%: worse than target");
}

TEST_CASE("off_target: no data is insufficient data", "[lua][rules][off_target]") {
  RuleSet set = load_shipped_rules();
  IndicatorDefinition indicator = make_indicator("i", Polarity::kBiggerIsBetter);
  RuleOutcome none = off_target(set, indicator, {}, "2017-03");
  CHECK(none.status == Status::kInsufficientData);
  CHECK(none.message == "no data up to Mar 2017");
  RuleOutcome blank = off_target(
      set, indicator, {make_point("2017-03", std::nullopt, 90, Polarity::kBiggerIsBetter)});
  CHECK(blank.status == Status::kInsufficientData);
  CHECK(blank.message == "no value for Mar 2017");
}

TEST_CASE("off_target: a bad threshold parameter is refused before the rule runs",
          "[lua][rules][off_target]") {
  RuleSet set = load_shipped_rules();
  IndicatorDefinition indicator = make_indicator("i", Polarity::kBiggerIsBetter);
  indicator.rule_params["off_target"]["variance_pct"] = std::string("ten");
  std::vector<Diagnostic> diagnostics;
  RuleOutcome o =
      run_rule(set, "off_target",
               make_input(indicator, {make_point("2017-03", 90, 90, Polarity::kBiggerIsBetter)}),
               &diagnostics);
  CHECK(o.status == Status::kError);
  CHECK(o.message ==
        "could not evaluate: parameter variance_pct must be a number of at least 0, found 'ten'");
  REQUIRE(diagnostics.size() == 1);
  CHECK(diagnostics[0].code == "rule.bad_param");
  CHECK(diagnostics[0].rule_id == "off_target");
  CHECK(diagnostics[0].indicator_id == "i");
}

TEST_CASE("off_target: the declared default threshold of 5% applies when none is set",
          "[lua][rules][off_target]") {
  RuleSet set = load_shipped_rules();
  IndicatorDefinition indicator = make_indicator("i", Polarity::kBiggerIsBetter);
  RuleOutcome o =
      run_rule(set, "off_target",
               make_input(indicator, {make_point("2017-03", 95, 100, Polarity::kBiggerIsBetter)}));
  CHECK(o.status == Status::kException);
  CHECK(std::get<double>(o.evidence.at("threshold_pct")) == 5);
}

}  // namespace
}  // namespace vitals::testing
