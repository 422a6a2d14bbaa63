// SPDX-License-Identifier: Apache-2.0
// The Norfolk example's finance monitoring equals the council's June 2017
// outturn report (paper 000): the headline (000:596-602), the departmental
// summary with the variance at Period 10 (000:640-645), the Services to
// Users and Commissioned Services tables (000:662-670, 695-702) and the
// savings summary grouped Red or Amber against on target (000:723-725).
#include "catch.hpp"
#include "engine/engine_test_support.hpp"
#include "support/temp_dir.hpp"

#include <vitals/engine.hpp>
#include <vitals/report.hpp>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

using namespace vitals;
using vitals::testing::TempDir;

namespace {

struct Printed {
  double budget;
  double outturn;
  double variance;
  std::optional<double> at_p10;
};

// £m as printed, by line id.
const std::map<std::string, Printed>& paper() {
  static const std::map<std::string, Printed> kPaper = {
      {"business_development", {10.863, 10.392, -0.471, -0.323}},
      {"commissioned_services", {69.477, 69.600, 0.123, 1.753}},
      {"early_help_prevention", {6.219, 5.492, -0.727, -0.704}},
      {"services_to_users_net", {155.272, 168.243, 12.971, 15.962}},
      {"management_finance_hr", {8.561, 1.064, -7.497, -7.083}},
      {"total_net_expenditure", {250.392, 254.791, 4.399, 9.629}},
      {"older_people", {103.677, 111.914, 8.238, std::nullopt}},
      {"physical_disabilities", {22.039, 23.246, 1.207, std::nullopt}},
      {"learning_disabilities", {83.408, 94.527, 11.119, std::nullopt}},
      {"mental_health", {12.907, 13.174, 0.267, std::nullopt}},
      {"hired_transport", {3.672, 6.746, 3.074, std::nullopt}},
      {"care_assessment_other_staff_costs", {10.338, 9.144, -1.194, std::nullopt}},
      {"service_user_income", {-80.769, -90.508, -9.739, std::nullopt}},
      {"commissioning_team", {1.474, 1.185, -0.289, std::nullopt}},
      {"service_level_agreements", {11.157, 10.361, -0.795, std::nullopt}},
      {"integrated_community_equipment_service", {2.602, 2.184, -0.418, std::nullopt}},
      {"norsecare", {30.024, 33.280, 3.257, std::nullopt}},
      {"housing_related_support", {9.494, 8.323, -1.172, std::nullopt}},
      {"independence_matters", {13.345, 13.114, -0.244, std::nullopt}},
      {"other_commissioning", {1.369, 1.153, -0.216, std::nullopt}},
  };
  return kPaper;
}

double thousands(double pounds) { return std::round(pounds / 1e3); }

struct Norfolk {
  TempDir dir;
  Engine engine = vitals::testing::open_with_plugins(dir.path());
  Norfolk() {
    REQUIRE(engine.load_catalogue(std::string(VITALS_SOURCE_DIR) + "/examples/norfolk").is_ok());
    auto ingested = engine.ingest();
    REQUIRE(ingested.ok());
    REQUIRE(ingested->diagnostics.empty());
  }
};

}  // namespace

TEST_CASE("the Norfolk finance monitoring for March 2017 is the outturn report's",
          "[engine][example][finance]") {
  Norfolk n;
  auto report = n.engine.evaluate(Period::month(2017, 3));
  REQUIRE(report.ok());
  const FinanceMonitoring& f = report->finance;
  REQUIRE(f.period == Period::month(2017, 3));
  CHECK(f.finance_period == 13);
  CHECK(f.previous_period == Period::month(2017, 1));
  CHECK(f.previous_finance_period == 10);
  REQUIRE(f.lines.size() == paper().size());
  CHECK(f.lines.front().id == "total_net_expenditure");
  for (const BudgetLine& line : f.lines) {
    INFO(line.id);
    const Printed& p = paper().at(line.id);
    REQUIRE(line.budget.has_value());
    CHECK(thousands(*line.budget) == Approx(p.budget * 1e3));
    CHECK(thousands(*line.forecast) == Approx(p.outturn * 1e3));
    CHECK(thousands(*line.variance) == Approx(p.variance * 1e3));
    if (p.at_p10) {
      // From the Period 10 snapshot in the store, not only the typed column.
      REQUIRE(line.previous_variance.has_value());
      CHECK(thousands(*line.previous_variance) == Approx(*p.at_p10 * 1e3));
      CHECK(line.previous_period == Period::month(2017, 1));
      CHECK(line.previous_finance_period == 10);
    } else {
      CHECK_FALSE(line.previous_variance.has_value());
    }
    CHECK(line.basis == (line.id == "mental_health" ? BudgetBasis::kGross : BudgetBasis::kNet));
  }
  // 000:645 prints the total's percentage without its sign, 1.76.
  CHECK(std::round(*f.lines.front().variance_pct * 100) / 100 == Approx(1.76));

  // 000:723-725: (9.458) (5.721) 3.737; (1.468) (1.468) 0.000; (10.926) (7.189) 3.737.
  REQUIRE(f.savings.size() == 9);
  double planned[2] = {0, 0};
  double delivered[2] = {0, 0};
  for (const Saving& s : f.savings) {
    INFO(s.id);
    CHECK((s.rag == Rag::kGreen || s.red_or_amber));
    const int g = s.red_or_amber ? 0 : 1;
    planned[g] += *s.planned;
    delivered[g] += *s.forecast;
  }
  CHECK(thousands(planned[0]) == 9458);
  CHECK(thousands(delivered[0]) == 5721);
  CHECK(thousands(planned[1]) == 1468);
  CHECK(thousands(delivered[1]) == 1468);
  CHECK(thousands(planned[0] + planned[1]) == 10926);
  CHECK(thousands(delivered[0] + delivered[1]) == 7189);
  CHECK(thousands(planned[0] + planned[1] - delivered[0] - delivered[1]) == 3737);

  std::ostringstream md;
  ReportInputs inputs{n.engine.catalogue(), *report, n.engine.commentary()};
  REQUIRE(render_committee_report(inputs, DocumentFormat::kMarkdown, md).is_ok());
  const std::string text = md.str();
  // 000:596: "a decrease of £5.230m on the position reported at the end of Period 10".
  CHECK(text.find("Outturn £254.791m against a budget of £250.392m: an overspend of £4.399m "
                  "(1.76%), a decrease of £5.230m on the position reported at the end of "
                  "Period 10.") != std::string::npos);
  CHECK(text.find("| Savings not or partly achieved (Red or Amber) | 9.458 | 5.721 | 3.737 |") !=
        std::string::npos);
  CHECK(text.find("| Savings on target | 1.468 | 1.468 | 0.000 |") != std::string::npos);
  CHECK(text.find("| **Total savings** | 10.926 | 7.189 | 3.737 |") != std::string::npos);
  CHECK(text.find("| **Total Net Expenditure** | 250.392 | 254.791 | 4.399 | 1.8% | 9.629 |") !=
        std::string::npos);
  CHECK(text.find("| Mental Health (gross) | 12.907 | 13.174 | 0.267 | 2.1% |") !=
        std::string::npos);
}

TEST_CASE("the Norfolk Period 10 snapshot is the budget reading from January 2017",
          "[engine][example][finance]") {
  Norfolk n;
  for (Period month : {Period::month(2017, 1), Period::month(2017, 2)}) {
    INFO(month.to_string());
    auto report = n.engine.evaluate(month);
    REQUIRE(report.ok());
    const FinanceMonitoring& f = report->finance;
    REQUIRE(f.period == Period::month(2017, 1));
    CHECK(f.finance_period == 10);
    CHECK_FALSE(f.previous_period.has_value());
    REQUIRE(f.lines.size() == 6);
    CHECK(f.lines.front().id == "total_net_expenditure");
    CHECK(thousands(*f.lines.front().variance) == 9629);
    CHECK_FALSE(f.lines.front().budget.has_value());
    CHECK(f.savings.empty());
  }
  auto december = n.engine.evaluate(Period::month(2016, 12));
  REQUIRE(december.ok());
  CHECK_FALSE(december->finance.period.has_value());
}

TEST_CASE("the Mental Health line's gross overspend is not reported as a budget pressure",
          "[engine][example][finance]") {
  Norfolk n;
  auto report = n.engine.evaluate(Period::month(2017, 3));
  REQUIRE(report.ok());
  for (const IndicatorResult& r : report->indicators) {
    for (const RuleOutcome& o : r.outcomes) {
      if (o.criterion != "budget_impact") continue;
      INFO(r.indicator_id << ": " << o.message);
      CHECK(o.message.find("Mental Health forecasts") == std::string::npos);
    }
  }
}

TEST_CASE(
    "a printed variance at the previous report that the stored snapshot contradicts is a "
    "warning, and the snapshot's is used",
    "[engine][example][finance]") {
  namespace fs = std::filesystem;
  TempDir dir;
  const fs::path copy = dir.path() / "norfolk";
  fs::copy(fs::path(VITALS_SOURCE_DIR) / "examples/norfolk", copy, fs::copy_options::recursive);
  auto edit = [](const fs::path& file, const std::string& from, const std::string& to) {
    std::ifstream in(file);
    std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    const auto at = text.find(from);
    REQUIRE(at != std::string::npos);
    text.replace(at, from.size(), to);
    std::ofstream(file) << text;
  };
  // 9.629 printed; 9.129 typed: £500k apart. 9.6294 would be rounding.
  edit(copy / "data/budget.csv", "250.392,254.791,4.399,9.629", "250.392,254.791,4.399,9.129");
  edit(copy / "data/budget.csv", "10.863,10.392,-0.471,-0.323", "10.863,10.392,-0.471,-0.3234");
  edit(copy / "catalogue.toml", "rule_dirs = [\"../../rules/council\"]",
       "rule_dirs = [\"" + std::string(VITALS_SOURCE_DIR) + "/rules/council\"]");
  Engine engine = vitals::testing::open_with_plugins(dir.path());
  REQUIRE(engine.load_catalogue(copy.string()).is_ok());
  REQUIRE(engine.ingest().ok());
  auto report = engine.evaluate(Period::month(2017, 3));
  REQUIRE(report.ok());
  std::vector<std::string> differ;
  for (const Diagnostic& d : report->diagnostics) {
    if (d.code == "records.previous_variance_differs") differ.push_back(d.message);
  }
  CHECK(differ == std::vector<std::string>{
                      "budget line 'total_net_expenditure': the variance at the previous report "
                      "is 9.629 (£m) in the 2017-01 snapshot but 9.129 (£m) as its source prints "
                      "it for 2017-03; the snapshot's is used"});
  CHECK(thousands(*report->finance.lines.front().previous_variance) == 9629);
}
