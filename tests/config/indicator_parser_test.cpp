// SPDX-License-Identifier: Apache-2.0
// Risk links that state their mechanism (indicator_parser.cpp, read_risk_links).
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
