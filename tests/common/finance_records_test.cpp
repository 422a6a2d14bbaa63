// SPDX-License-Identifier: Apache-2.0
// Finance periods, a budget line's basis and previous variance, and savings
// grouped "Red or Amber": the checks and typed views of common/records.cpp.
#include "catch.hpp"
#include "common/record_fields.hpp"

#include <vitals/records.hpp>

#include <map>
#include <string>

using namespace vitals;
using vitals::detail::budget_line_from_record;
using vitals::detail::saving_from_record;
using vitals::detail::validate_record;

namespace {

Record budget_line(Period period, std::map<std::string, RecordValue> fields) {
  Record r;
  r.kind = std::string(kBudgetLineRecord);
  r.key = "services_to_users_net";
  r.period = period;
  r.fields = std::move(fields);
  r.location = SourceLocation{"budget.csv", 5, 4};
  return r;
}

Record saving(std::string rag) {
  Record r;
  r.kind = std::string(kSavingRecord);
  r.key = "COM040";
  r.period = Period::month(2017, 3);
  r.fields = {{"name", std::string("Transport")},
              {"budget_line", std::string("hired_transport")},
              {"planned", 1050000.0},
              {"forecast", 246000.0},
              {"rag", std::move(rag)}};
  return r;
}

}  // namespace

TEST_CASE("finance periods run from P1 in April to P12 in March, and P13 is March's year end",
          "[records][finance]") {
  CHECK(finance_period_month(1) == 4);
  CHECK(finance_period_month(9) == 12);
  CHECK(finance_period_month(10) == 1);
  CHECK(finance_period_month(12) == 3);
  CHECK(finance_period_month(13) == 3);
  CHECK(finance_period_month(0) == 0);
  CHECK(finance_period_month(14) == 0);
  CHECK(finance_period_month(-1) == 0);
  CHECK(finance_period_name(10) == "P10");
  CHECK(finance_period_name(14).empty());
}

TEST_CASE("a budget line's finance period must be 1 to 13 and match the month it is filed under",
          "[records][finance]") {
  CHECK(validate_record(budget_line(Period::month(2016, 4), {{"finance_period", 1.0}})).is_ok());
  CHECK(validate_record(budget_line(Period::month(2017, 1), {{"finance_period", 10.0}})).is_ok());
  CHECK(validate_record(budget_line(Period::month(2017, 3), {{"finance_period", 12.0}})).is_ok());
  CHECK(validate_record(budget_line(Period::month(2017, 3), {{"finance_period", 13.0}})).is_ok());

  Status outside = validate_record(budget_line(Period::month(2017, 3), {{"finance_period", 14.0}}));
  CHECK(outside.code() == StatusCode::kInvalidArgument);
  CHECK(outside.message() ==
        "budget_line 'services_to_users_net' for 2017-03: field 'finance_period' is 14; expected a "
        "whole number from 1 (April) to 13 (the year end)");
  CHECK(outside.location() == SourceLocation{"budget.csv", 5, 4});
  CHECK_FALSE(
      validate_record(budget_line(Period::month(2017, 3), {{"finance_period", 0.0}})).is_ok());
  CHECK_FALSE(
      validate_record(budget_line(Period::month(2017, 3), {{"finance_period", 12.5}})).is_ok());

  Status misfiled =
      validate_record(budget_line(Period::month(2017, 3), {{"finance_period", 10.0}}));
  CHECK(misfiled.message() ==
        "budget_line 'services_to_users_net' for 2017-03: finance period P10 is filed under Mar "
        "2017; P10 is the figures for Jan, so file it under that month");
  CHECK_FALSE(
      validate_record(budget_line(Period::month(2016, 5), {{"finance_period", 1.0}})).is_ok());
}

TEST_CASE("a budget line's basis is net or gross", "[records][finance]") {
  CHECK(validate_record(budget_line(Period::month(2017, 3), {{"basis", std::string("Gross")}}))
            .is_ok());
  CHECK(validate_record(budget_line(Period::month(2017, 3), {{"basis", std::string("net")}}))
            .is_ok());
  Status bad =
      validate_record(budget_line(Period::month(2017, 3), {{"basis", std::string("nett")}}));
  CHECK(bad.message() ==
        "budget_line 'services_to_users_net' for 2017-03: field 'basis' is 'nett'; expected net, "
        "gross or nothing");
  CHECK_FALSE(validate_record(budget_line(Period::month(2017, 3), {{"basis", 1.0}})).is_ok());

  BudgetLine gross = budget_line_from_record(
      budget_line(Period::month(2017, 3), {{"basis", std::string("gross")},
                                           {"finance_period", 13.0},
                                           {"budget", 12907000.0},
                                           {"forecast", 13174000.0},
                                           {"previous_variance", 100000.0}}));
  CHECK(gross.basis == BudgetBasis::kGross);
  CHECK(gross.finance_period == 13);
  CHECK(gross.previous_variance == 100000.0);
  CHECK_FALSE(gross.previous_period.has_value());
  CHECK(budget_line_from_record(budget_line(Period::month(2017, 3), {})).basis ==
        BudgetBasis::kNet);
}

TEST_CASE("a saving grouped Red or Amber is at least Amber, without inventing which",
          "[records][finance]") {
  for (const char* text : {"red_or_amber", "Red or Amber", " RED_OR_AMBER "}) {
    INFO(text);
    REQUIRE(validate_record(saving(text)).is_ok());
    Saving s = saving_from_record(saving(text));
    CHECK(s.red_or_amber);
    CHECK(s.rag == Rag::kAmber);
  }
  Saving red = saving_from_record(saving("red"));
  CHECK_FALSE(red.red_or_amber);
  CHECK(red.rag == Rag::kRed);
  Status bad = validate_record(saving("red/amber"));
  CHECK(bad.message() ==
        "saving 'COM040' for 2017-03: field 'rag' is 'red/amber'; expected red, amber, green, "
        "red_or_amber or nothing");
}
