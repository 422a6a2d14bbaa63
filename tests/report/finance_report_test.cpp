// SPDX-License-Identifier: Apache-2.0
// The committee report's "Finance monitoring" section: amounts as the
// council prints them, the headline's wording at each boundary, the savings
// groups, and the JSON object (core/report/finance_report.cpp).
#include "report/finance_report.hpp"

#include "catch.hpp"
#include "report/json_writer.hpp"

#include <sstream>

using namespace vitals;
using namespace vitals::detail;

namespace {

BudgetLine total(double budget_m, double forecast_m, std::optional<double> previous_m) {
  BudgetLine l;
  l.id = "total";
  l.title = "Total Net Expenditure";
  l.period = Period::month(2017, 3);
  l.budget = budget_m * 1e6;
  l.forecast = forecast_m * 1e6;
  l.variance = *l.forecast - *l.budget;
  l.variance_pct = *l.variance / *l.budget * 100;
  if (previous_m) l.previous_variance = *previous_m * 1e6;
  return l;
}

FinanceMonitoring at(int finance_period, BudgetLine line) {
  FinanceMonitoring f;
  f.period = Period::month(2017, finance_period_month(finance_period));
  f.finance_period = finance_period;
  if (line.previous_variance) {
    f.previous_period = Period::month(2017, 1);
    f.previous_finance_period = 10;
  }
  f.lines.push_back(std::move(line));
  return f;
}

Saving saving(const char* id, double planned_m, double delivered_m, Rag rag, bool grouped) {
  Saving s;
  s.id = id;
  s.name = id;
  s.planned = planned_m * 1e6;
  s.forecast = delivered_m * 1e6;
  s.rag = rag;
  s.red_or_amber = grouped;
  return s;
}

std::string json_of(const FinanceMonitoring& f) {
  std::ostringstream out;
  JsonWriter w(out);
  w.begin_object();
  write_finance_json(w, f);
  w.end_object();
  return out.str();
}

}  // namespace

TEST_CASE("finance amounts print in £m to three decimals, an underspend in brackets",
          "[report][finance]") {
  CHECK(finance_amount_text(4399000.0) == "4.399");
  CHECK(finance_amount_text(-471000.0) == "(0.471)");
  CHECK(finance_amount_text(0.0) == "0.000");
  CHECK(finance_amount_text(-400.0) == "0.000");  // rounds to nothing: no "(0.000)" or "-0.000"
  CHECK(finance_amount_text(-500.0) == "(0.001)");
  CHECK(finance_amount_text(1234567.0) == "1.235");
  CHECK(finance_amount_text(std::nullopt).empty());
}

TEST_CASE("the finance headline says the change since the previous report, as the paper does",
          "[report][finance]") {
  CHECK(finance_headline_text(at(13, total(250.392, 254.791, 9.629))) ==
        "Outturn £254.791m against a budget of £250.392m: an overspend of £4.399m (1.76%), a "
        "decrease of £5.230m on the position reported at the end of Period 10.");
  CHECK(finance_headline_text(at(13, total(250.392, 254.791, 4.398))) ==
        "Outturn £254.791m against a budget of £250.392m: an overspend of £4.399m (1.76%), an "
        "increase of £0.001m on the position reported at the end of Period 10.");
  CHECK(finance_headline_text(at(13, total(250.392, 254.791, 4.399))) ==
        "Outturn £254.791m against a budget of £250.392m: an overspend of £4.399m (1.76%), no "
        "change on the position reported at the end of Period 10.");
  // Before P12 the figure is a forecast; without a previous report, no change is given.
  CHECK(finance_headline_text(at(11, total(100, 99, std::nullopt))) ==
        "Forecast outturn £99.000m against a budget of £100.000m: an underspend of £1.000m "
        "(1.00%).");
  CHECK(finance_headline_text(at(12, total(100, 100, std::nullopt))) ==
        "Outturn £100.000m against a budget of £100.000m: on budget.");
  FinanceMonitoring none;
  CHECK(finance_headline_text(none).empty());
}

TEST_CASE("a period that printed only the variance has a headline without budget or forecast",
          "[report][finance]") {
  BudgetLine l;
  l.id = "total";
  l.title = "Total Net Expenditure";
  l.variance = 9629000.0;
  FinanceMonitoring f = at(10, l);
  CHECK(finance_headline_text(f) == "An overspend of £9.629m.");
  TemplateValue v = finance_part(f);
  CHECK(v.find("has_finance")->flag());
  CHECK(v.find("heading")->str() == "Finance monitoring: Period 10, Jan 2017");
  CHECK(v.find("forecast_heading")->str() == "Forecast outturn");
  CHECK_FALSE(v.find("has_tables")->truthy());  // one line, nothing under it
}

TEST_CASE("savings are grouped Red or Amber against on target, the not rated apart",
          "[report][finance]") {
  FinanceMonitoring f = at(13, total(250.392, 254.791, 9.629));
  f.savings = {
      saving("A", 3.158, 2.067, Rag::kAmber, true), saving("B", 1.5, 0.6, Rag::kRed, false),
      saving("C", 1.258, 1.258, Rag::kGreen, false), saving("D", 0.1, 0.05, Rag::kNone, false)};
  TemplateValue v = finance_part(f);
  const auto& groups = v.find("savings_groups")->items();
  REQUIRE(groups.size() == 3);
  CHECK(groups[0].find("label")->str() == "Savings not or partly achieved (Red or Amber)");
  CHECK(groups[0].find("savings")->items().size() == 2);
  CHECK(groups[0].find("totals")->find("planned")->str() == "4.658");
  CHECK(groups[0].find("totals")->find("shortfall")->str() == "1.991");
  CHECK(groups[1].find("label")->str() == "Savings on target");
  CHECK(groups[2].find("label")->str() == "Savings not rated");
  CHECK(v.find("savings_total")->find("forecast")->str() == "3.975");

  std::string json;
  for (char c : json_of(f)) {
    if (c != '\n' && !(c == ' ' && !json.empty() && (json.back() == ' ' || json.back() == ',')))
      json += c;
  }
  CHECK(json.find("\"format\": \"vitals.finance/1\"") != std::string::npos);
  CHECK(json.find("\"group\": \"red_or_amber\",\"rag\": \"red_or_amber\"") != std::string::npos);
  CHECK(json.find("\"group\": \"red_or_amber\",\"rag\": \"red\"") != std::string::npos);
  CHECK(json.find("\"group\": \"not_rated\"") != std::string::npos);
}

TEST_CASE("a run without budget figures has no finance section and a null finance key",
          "[report][finance]") {
  FinanceMonitoring none;
  CHECK_FALSE(finance_part(none).find("has_finance")->flag());
  CHECK(json_of(none) == "{\n  \"finance\": null\n}\n");
}

TEST_CASE("a gross line is marked and explained", "[report][finance]") {
  FinanceMonitoring f = at(13, total(250.392, 254.791, 9.629));
  BudgetLine mh = total(12.907, 13.174, std::nullopt);
  mh.id = "mental_health";
  mh.title = "Mental Health";
  mh.parent = "Total Net Expenditure";
  mh.basis = BudgetBasis::kGross;
  f.lines.push_back(mh);
  TemplateValue v = finance_part(f);
  REQUIRE(v.find("tables")->items().size() == 1);
  const TemplateValue& row = v.find("tables")->items()[0].find("rows")->items()[0];
  CHECK(row.find("is_gross")->flag());
  CHECK(row.find("variance")->str() == "0.267");
  REQUIRE(v.find("notes")->items().size() == 1);
  CHECK(v.find("notes")->items()[0].str() ==
        "Mental Health is gross spend before income: its variance is not an overspend of the net "
        "budget.");
  CHECK(json_of(f).find("\"basis\": \"gross\"") != std::string::npos);
}
