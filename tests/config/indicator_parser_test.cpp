// SPDX-License-Identifier: Apache-2.0
// Risk links that state their mechanism (indicator_parser.cpp, read_risk_links)
// and cost drivers (read_cost_driver).
#include "config/indicator_parser.hpp"

#include "catch.hpp"
#include "config/config_fixtures.hpp"
#include "support/temp_dir.hpp"

#include <string>

using namespace vitals;
using vitals::detail::LoadedCatalogue;
using vitals::testing::describe;
using vitals::testing::file_in;
using vitals::testing::kMinimalCatalogue;
using vitals::testing::kMinimalIndicator;
using vitals::testing::load_with;
using vitals::testing::TempDir;

namespace {

// kMinimalCatalogue with a second risk to link to.
const std::string kCatalogue = std::string(kMinimalCatalogue) + R"toml(
[risks.ASC-HOSP]
title = "Hospital admissions and discharges and pressure on acute services"
)toml";

// An indicator "a", a rate per 100,000 linked to Older People, then `driver`
// (lines 10 onwards).
std::string indicator_with(const std::string& driver, const std::string& unit = "per_100k") {
  return R"toml([[indicator]]
id = "a"
title = "Indicator A"
polarity = "smaller"
unit = ")toml" +
         unit + R"toml("
frequency = "monthly"
source = "dashboard"
budget_lines = ["older_people"]

)toml" + driver;
}

// A valid cost driver table (lines 10-14 of indicator_with's file) with the
// first `from` replaced by `to`.
std::string driver_with(const std::string& from = "", const std::string& to = "") {
  std::string text = R"toml([indicator.cost_driver]
budget_line = "older_people"
unit_cost = 520
per = "week"
population = 213765
)toml";
  if (!from.empty()) text.replace(text.find(from), from.size(), to);
  return text;
}

// Requires exactly one error diagnostic, located and worded as given.
void require_error(const LoadedCatalogue& loaded, const std::string& code, int line, int column,
                   const std::string& message, const TempDir& dir) {
  INFO(describe(loaded.diagnostics));
  REQUIRE(loaded.diagnostics.size() == 1);
  const Diagnostic& d = loaded.diagnostics[0];
  CHECK(d.severity == Severity::kError);
  CHECK(d.code == code);
  CHECK(d.location == std::optional<SourceLocation>(
                          SourceLocation{file_in(dir, "indicators/a.toml"), line, column}));
  CHECK(d.message == message);
  CHECK(d.indicator_id == "a");
  CHECK_FALSE(loaded.catalogue);
}

}  // namespace

TEST_CASE("risk links may be ids or tables stating their mechanism, in link order", "[config]") {
  TempDir dir;
  auto loaded = load_with(dir, kCatalogue, std::string(kMinimalIndicator) + R"toml(risks = [
  "RM14079",
  { id = "ASC-HOSP", measures = "consequence", quote = "rise in Delayed Transfers of Care (DTOCS)", when = "deteriorating" },
]

)toml");
  INFO(describe(loaded.diagnostics));
  REQUIRE(loaded.catalogue);
  const IndicatorDefinition& def = *loaded.catalogue->find_indicator("a");
  CHECK(def.risks == std::vector<std::string>{"RM14079", "ASC-HOSP"});
  REQUIRE(def.risk_mechanisms.size() == 1);
  const RiskMechanism& m = def.risk_mechanisms[0];
  CHECK(m.risk_id == "ASC-HOSP");
  CHECK(m.measures == RiskMechanism::Measures::kConsequence);
  CHECK(m.quote == "rise in Delayed Transfers of Care (DTOCS)");
  CHECK(m.when == RiskMechanism::When::kDeteriorating);
  CHECK(m.location.line == 10);
}

TEST_CASE("a risk link can be written as an [[indicator.risks]] table with a threshold",
          "[config]") {
  TempDir dir;
  auto loaded = load_with(dir, kCatalogue, std::string(kMinimalIndicator) + R"toml(
[[indicator.risks]]
id = "RM14079"
measures = "mitigation"
quote = "reductions in residential care"
when = "threshold"
threshold = 640

)toml");
  INFO(describe(loaded.diagnostics));
  REQUIRE(loaded.catalogue);
  const IndicatorDefinition& def = *loaded.catalogue->find_indicator("a");
  CHECK(def.risks == std::vector<std::string>{"RM14079"});
  REQUIRE(def.risk_mechanisms.size() == 1);
  CHECK(def.risk_mechanisms[0].measures == RiskMechanism::Measures::kMitigation);
  CHECK(def.risk_mechanisms[0].when == RiskMechanism::When::kThreshold);
  CHECK(def.risk_mechanisms[0].threshold == 640.0);
  CHECK(std::string(risk_measures_name(def.risk_mechanisms[0].measures)) == "mitigation");
  CHECK(std::string(risk_when_name(def.risk_mechanisms[0].when)) == "threshold");
}

TEST_CASE("an unknown when is located at its value, with the accepted values", "[config]") {
  TempDir dir;
  auto loaded = load_with(dir, kCatalogue, std::string(kMinimalIndicator) + R"toml(
[[indicator.risks]]
id = "RM14079"
measures = "cause"
quote = "increased demand for services"
when = "off-target"

)toml");
  require_error(loaded, "config.bad_value", 13, 8,
                "when must be one of 'off_target', 'deteriorating' or 'threshold', found "
                "'off-target'; did you mean 'off_target'?",
                dir);
}

TEST_CASE("an unknown measures is located at its value", "[config]") {
  TempDir dir;
  auto loaded = load_with(dir, kCatalogue, std::string(kMinimalIndicator) +
                                               "risks = [{ id = \"RM14079\", measures = "
                                               "\"effect\", quote = \"x\", when = \"off_target\" }]\n");
  require_error(loaded, "config.bad_value", 8, 39,
                "measures must be one of 'cause', 'consequence' or 'mitigation', found 'effect'",
                dir);
}

TEST_CASE("when = threshold without a threshold is located at when", "[config]") {
  TempDir dir;
  auto loaded = load_with(dir, kCatalogue, std::string(kMinimalIndicator) + R"toml(
[[indicator.risks]]
id = "RM14079"
measures = "cause"
quote = "increased demand for services"
when = "threshold"

)toml");
  require_error(loaded, "config.missing_key", 13, 8,
                "risks[1] has when = \"threshold\" but no threshold: give the value at or beyond "
                "which the indicator worsens the risk",
                dir);
}

TEST_CASE("a threshold with another when is a conflict located at the key", "[config]") {
  TempDir dir;
  auto loaded = load_with(dir, kCatalogue, std::string(kMinimalIndicator) + R"toml(
[[indicator.risks]]
id = "RM14079"
measures = "cause"
quote = "increased demand for services"
when = "off_target"
threshold = 3

)toml");
  require_error(loaded, "config.conflict", 14, 1,
                "risks[1].threshold is only used with when = \"threshold\", not when = "
                "\"off_target\"",
                dir);
}

TEST_CASE("a risk link table must say what it measures and when", "[config]") {
  TempDir dir;
  auto loaded = load_with(dir, kCatalogue, std::string(kMinimalIndicator) + R"toml(
[[indicator.risks]]
id = "RM14079"
measures = "cause"
quote = "increased demand for services"

)toml");
  require_error(loaded, "config.missing_key", 9, 1,
                "risks[1] is missing required key 'when': a risk link written as a table says "
                "what in the risk the indicator measures (measures, quote) and when its state "
                "worsens the risk (when)",
                dir);
}

TEST_CASE("an unknown risk id in a link table is located at the id", "[config]") {
  TempDir dir;
  auto loaded = load_with(dir, kCatalogue, std::string(kMinimalIndicator) + R"toml(
[[indicator.risks]]
id = "ASC-HOSPITAL"
measures = "consequence"
quote = "rise in Delayed Transfers of Care (DTOCS)"
when = "deteriorating"

)toml");
  require_error(loaded, "config.unknown_reference", 10, 6,
                "unknown risk 'ASC-HOSPITAL'; did you mean 'ASC-HOSP'?", dir);
}

TEST_CASE("a risk linked twice, once as an id and once as a table, is an error", "[config]") {
  TempDir dir;
  auto loaded = load_with(dir, kCatalogue, std::string(kMinimalIndicator) +
                                               "risks = [\"RM14079\", { id = \"RM14079\", "
                                               "measures = \"cause\", quote = \"x\", when = "
                                               "\"off_target\" }]\n");
  require_error(loaded, "config.bad_value", 8, 28, "risk 'RM14079' is listed more than once",
                dir);
}

TEST_CASE("a risk link that is neither an id nor a table is a type error", "[config]") {
  TempDir dir;
  auto loaded = load_with(dir, kCatalogue, std::string(kMinimalIndicator) + "risks = [12]\n");
  require_error(loaded, "config.type", 8, 10,
                "risks[1] must be a risk id or a table (id, measures, quote, when), found integer",
                dir);
}

TEST_CASE("a cost driver is read with its figures and what is illustrative", "[config]") {
  TempDir dir;
  auto loaded = load_with(dir, kMinimalCatalogue,
                          indicator_with(driver_with() + R"toml(population_label = "aged 65+"
unit_label = "admissions"
illustrative = ["unit_cost"]
source = "ASCOF 2A(2)"
)toml"));
  INFO(describe(loaded.diagnostics));
  REQUIRE(loaded.catalogue);
  const IndicatorDefinition& def = *loaded.catalogue->find_indicator("a");
  REQUIRE(def.cost_driver);
  const CostDriver& d = *def.cost_driver;
  CHECK(d.budget_line == "older_people");
  CHECK(d.unit_cost == 520);
  CHECK(d.per == CostDriver::Per::kWeek);
  CHECK(d.population == std::optional<double>(213765));
  CHECK(d.population_label == "aged 65+");
  CHECK(d.unit_label == "admissions");
  CHECK(d.unit_cost_illustrative);
  CHECK_FALSE(d.population_illustrative);
  CHECK(d.source == "ASCOF 2A(2)");
  CHECK(d.location.line == 10);
}

TEST_CASE("an indicator without a cost driver has none", "[config]") {
  TempDir dir;
  auto loaded = load_with(dir, kMinimalCatalogue, indicator_with(""));
  REQUIRE(loaded.catalogue);
  CHECK_FALSE(loaded.catalogue->find_indicator("a")->cost_driver);
}

TEST_CASE("a rate's cost driver without a population is located at the table", "[config]") {
  TempDir dir;
  auto loaded = load_with(dir, kMinimalCatalogue, indicator_with(R"toml([indicator.cost_driver]
budget_line = "older_people"
unit_cost = 520
per = "week"
)toml"));
  require_error(loaded, "config.missing_key", 10, 1,
                "[indicator.cost_driver] is missing required key 'population': the indicator is "
                "a rate per 100,000, and the population turns its gap to target into people",
                dir);
}

TEST_CASE("a count's cost driver refuses a population, at the key", "[config]") {
  TempDir dir;
  auto loaded = load_with(dir, kMinimalCatalogue,
                          indicator_with(R"toml([indicator.cost_driver]
budget_line = "older_people"
unit_cost = 80
per = "day"
population = 1000
)toml",
                                         "count"));
  require_error(loaded, "config.conflict", 14, 1,
                "cost_driver.population is only used for a rate per 100,000 or a percentage, and "
                "the indicator's unit is \"count\"",
                dir);
}

TEST_CASE("a cost driver's line must be one the indicator is linked to", "[config]") {
  TempDir dir;
  auto loaded = load_with(dir, kMinimalCatalogue,
                          indicator_with(driver_with("budget_line = \"older_people\"",
                                                     "budget_line = \"older_peple\"")));
  require_error(loaded, "config.unknown_reference", 11, 15,
                "cost_driver.budget_line 'older_peple' is not one of the indicator's "
                "budget_lines (the line the gap to target is charged to must be linked); did "
                "you mean 'older_people'?",
                dir);
}

TEST_CASE("a unit cost of 0 and an unknown per are located at their values", "[config]") {
  TempDir dir;
  SECTION("unit cost") {
    auto loaded = load_with(dir, kMinimalCatalogue,
                            indicator_with(driver_with("unit_cost = 520", "unit_cost = 0")));
    require_error(loaded, "config.bad_value", 12, 13,
                  "cost_driver.unit_cost must be more than 0, found 0", dir);
  }
  SECTION("per") {
    auto loaded = load_with(dir, kMinimalCatalogue,
                            indicator_with(driver_with("per = \"week\"", "per = \"weekly\"")));
    INFO(describe(loaded.diagnostics));
    REQUIRE(loaded.diagnostics.size() == 1);
    CHECK(loaded.diagnostics[0].code == "config.bad_value");
    CHECK(loaded.diagnostics[0].location->line == 13);
    CHECK(loaded.diagnostics[0].location->column == 7);
  }
}

TEST_CASE("illustrative names only the unit cost and the population", "[config]") {
  TempDir dir;
  auto loaded =
      load_with(dir, kMinimalCatalogue,
                indicator_with(driver_with() + R"toml(illustrative = ["unit_cost", "budget"]
)toml"));
  require_error(loaded, "config.bad_value", 15, 30,
                "cost_driver.illustrative names the figures not taken from the papers: "
                "\"unit_cost\" or \"population\", found 'budget'",
                dir);
}

TEST_CASE("an unknown key in a cost driver is located with a suggestion", "[config]") {
  TempDir dir;
  auto loaded = load_with(dir, kMinimalCatalogue,
                          indicator_with(driver_with("unit_cost = 520", "unit_costs = 520")));
  INFO(describe(loaded.diagnostics));
  REQUIRE_FALSE(loaded.catalogue);
  bool located = false;
  for (const Diagnostic& d : loaded.diagnostics) {
    if (d.code == "config.unknown_key" && d.location && d.location->line == 12) located = true;
  }
  CHECK(located);
}

TEST_CASE("the time left in the financial year after a period", "[config]") {
  using Per = CostDriver::Per;
  // December 2016: January, February and March remain (31 + 28 + 31 days).
  CHECK(cost_periods_remaining(Per::kMonth, Period::month(2016, 12)) == 3);
  CHECK(cost_periods_remaining(Per::kDay, Period::month(2016, 12)) == 90);
  CHECK(cost_periods_remaining(Per::kWeek, Period::month(2016, 12)) == Approx(90.0 / 7));
  // A leap year's February counts 29 days.
  CHECK(cost_periods_remaining(Per::kDay, Period::month(2015, 12)) == 91);
  // April: eleven months remain; March: none.
  CHECK(cost_periods_remaining(Per::kMonth, Period::month(2016, 4)) == 11);
  CHECK(cost_periods_remaining(Per::kWeek, Period::month(2017, 3)) == 0);
  CHECK(cost_periods_remaining(Per::kDay, Period::financial_year(2016)) == 0);
  CHECK(cost_periods_remaining(Per::kMonth, Period::financial_quarter(2016, 3)) == 3);
  // A one-off cost counts once, whenever.
  CHECK(cost_periods_remaining(Per::kOnce, Period::month(2017, 3)) == 1);
}

TEST_CASE("decimals set how many decimals an indicator's figures are shown with", "[config]") {
  TempDir dir;
  SECTION("set in the indicator") {
    auto loaded = load_with(dir, kCatalogue, std::string(kMinimalIndicator) + "decimals = 2\n");
    INFO(describe(loaded.diagnostics));
    REQUIRE(loaded.catalogue);
    const IndicatorDefinition* a = loaded.catalogue->find_indicator("a");
    REQUIRE(a != nullptr);
    CHECK(a->decimals == std::optional<int>(2));
    CHECK(shown_decimals(a->unit, a->decimals) == 2);
  }
  SECTION("left out, the unit decides") {
    auto loaded = load_with(dir, kCatalogue, kMinimalIndicator);
    REQUIRE(loaded.catalogue);
    const IndicatorDefinition* a = loaded.catalogue->find_indicator("a");
    REQUIRE(a != nullptr);
    CHECK_FALSE(a->decimals.has_value());
    CHECK(shown_decimals(a->unit, a->decimals) == 1);  // a percentage
  }
  SECTION("0 and 6 are the bounds") {
    for (int d : {0, 6}) {
      auto loaded = load_with(dir, kCatalogue,
                              std::string(kMinimalIndicator) + "decimals = " + std::to_string(d) + "\n");
      REQUIRE(loaded.catalogue);
      CHECK(loaded.catalogue->find_indicator("a")->decimals == std::optional<int>(d));
    }
  }
}

TEST_CASE("a bad decimals is located at its value", "[config]") {
  TempDir dir;
  SECTION("more than 6") {
    auto loaded = load_with(dir, kCatalogue, std::string(kMinimalIndicator) + "decimals = 7\n");
    require_error(loaded, "config.bad_value", 8, 12, "decimals must be from 0 to 6, found 7", dir);
  }
  SECTION("negative") {
    auto loaded = load_with(dir, kCatalogue, std::string(kMinimalIndicator) + "decimals = -1\n");
    require_error(loaded, "config.bad_value", 8, 12, "decimals must be from 0 to 6, found -1", dir);
  }
  SECTION("a float") {
    auto loaded = load_with(dir, kCatalogue, std::string(kMinimalIndicator) + "decimals = 1.5\n");
    require_error(loaded, "config.type", 8, 12,
                  "decimals must be an integer from 0 to 6, found float", dir);
  }
  SECTION("a string") {
    auto loaded = load_with(dir, kCatalogue, std::string(kMinimalIndicator) + "decimals = \"1\"\n");
    require_error(loaded, "config.type", 8, 12,
                  "decimals must be an integer from 0 to 6, found string", dir);
  }
  SECTION("misspelt") {
    auto loaded = load_with(dir, kCatalogue, std::string(kMinimalIndicator) + "decimal = 1\n");
    require_error(loaded, "config.unknown_key", 8, 1,
                  "unknown key 'decimal' in [[indicator]]; did you mean 'decimals'?", dir);
  }
}
