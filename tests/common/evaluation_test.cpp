// SPDX-License-Identifier: Apache-2.0
#include <vitals/evaluation.hpp>

#include <string>
#include <vector>

#include "catch.hpp"

using namespace vitals;

namespace {

RuleOutcome outcome(std::string rule_id, std::string criterion,
                    RuleOutcome::Status status = RuleOutcome::Status::kException) {
  RuleOutcome o;
  o.rule_id = std::move(rule_id);
  o.criterion = std::move(criterion);
  o.status = status;
  return o;
}

std::vector<std::string> reason_rules(const IndicatorResult& r) {
  std::vector<std::string> out;
  for (const RuleOutcome* o : r.reasons()) out.push_back(o->rule_id);
  return out;
}

}  // namespace

TEST_CASE("reasons follow the council's criterion order, not rule id order", "[common][evaluation]") {
  IndicatorResult r;
  // Outcomes arrive in rule id order, as the evaluator stores them.
  r.outcomes = {outcome("budget_impact", "budget_impact"), outcome("deterioration", "deterioration"),
                outcome("off_target", "off_target"), outcome("risk_impact", "risk_impact")};
  CHECK(reason_rules(r) ==
        std::vector<std::string>{"off_target", "deterioration", "budget_impact", "risk_impact"});
}

TEST_CASE("reasons leave out outcomes that are not exceptions", "[common][evaluation]") {
  IndicatorResult r;
  r.outcomes = {outcome("budget_impact", "budget_impact"),
                outcome("deterioration", "deterioration", RuleOutcome::Status::kInsufficientData),
                outcome("mdc", "special_cause", RuleOutcome::Status::kOk),
                outcome("off_target", "off_target", RuleOutcome::Status::kError),
                outcome("risk_impact", "risk_impact")};
  CHECK(reason_rules(r) == std::vector<std::string>{"budget_impact", "risk_impact"});
  IndicatorResult none;
  none.outcomes = {outcome("off_target", "off_target", RuleOutcome::Status::kOk)};
  CHECK(none.reasons().empty());
}

TEST_CASE("criteria a rule author defines come after the council's four, by criterion then rule id",
          "[common][evaluation]") {
  IndicatorResult r;
  r.outcomes = {outcome("a_trend", "shift"),           outcome("b_spc", "astronomical_point"),
                outcome("c_spc", "shift"),             outcome("deterioration", "deterioration"),
                outcome("risk_impact", "risk_impact"), outcome("z_target", "off_target")};
  CHECK(reason_rules(r) == std::vector<std::string>{"z_target", "deterioration", "risk_impact",
                                                    "b_spc", "a_trend", "c_spc"});
}

TEST_CASE("two rules on the same criterion keep rule id order", "[common][evaluation]") {
  IndicatorResult r;
  r.outcomes = {outcome("deterioration", "deterioration"), outcome("off_target", "off_target"),
                outcome("off_target_local", "off_target")};
  CHECK(reason_rules(r) ==
        std::vector<std::string>{"off_target", "off_target_local", "deterioration"});
}
