// SPDX-License-Identifier: Apache-2.0
// [indicator.derived]: reading it, and the catalogue-wide checks of
// config/derived_parser.cpp (unknown inputs, frequencies, cycles).
#include "catch.hpp"
#include "config/config_fixtures.hpp"

using namespace vitals;
using namespace vitals::testing;

namespace {

constexpr const char* kCatalogue = R"([catalogue]
name = "Adult Social Care"

[sources.dashboard]
plugin = "csv"
path = "data/dashboard.csv"

[sources.ons]
plugin = "csv"
path = "data/population.csv"
)";

// Two counts and a derived percentage of them; `derived` is the derived table's body.
std::string with_derived(const std::string& derived, const std::string& frequency = "monthly") {
  return R"([[indicator]]
id = "assessed"
title = "Carers assessed"
polarity = "bigger"
unit = "count"
frequency = "monthly"
source = "dashboard"

[[indicator]]
id = "known"
title = "Carers known"
polarity = "bigger"
unit = "count"
frequency = "monthly"
source = "dashboard"

[[indicator]]
id = "pct"
title = "Percentage of carers assessed"
polarity = "bigger"
unit = "percent"
frequency = ")" + frequency + R"("
derived = )" + derived + "\n";
}

const Diagnostic& only_error(const detail::LoadedCatalogue& loaded, const std::string& code) {
  INFO(describe(loaded.diagnostics));
  REQUIRE(loaded.diagnostics.size() == 1);
  CHECK(loaded.diagnostics[0].severity == Severity::kError);
  CHECK(loaded.diagnostics[0].code == code);
  return loaded.diagnostics[0];
}

}  // namespace

TEST_CASE("a derived percentage reads its inputs' series and stores under its own id",
          "[config][derived]") {
  TempDir dir;
  auto loaded = load_with(
      dir, kCatalogue,
      with_derived(R"({ operation = "percentage", numerator = "assessed", denominator = "known" })"));
  INFO(describe(loaded.diagnostics));
  REQUIRE(loaded.catalogue);
  const IndicatorDefinition* pct = loaded.catalogue->find_indicator("pct");
  REQUIRE(pct != nullptr);
  REQUIRE(pct->derived);
  CHECK(pct->derived->operation == DerivedOperation::kPercentage);
  CHECK(pct->source.source == kDerivedSourceName);
  CHECK(pct->source.series == "pct");
  REQUIRE(pct->derived->inputs.size() == 2);
  CHECK(pct->derived->inputs[0].role == "numerator");
  CHECK(pct->derived->inputs[0].series.source == "dashboard");
  CHECK(pct->derived->inputs[0].series.series == "assessed");
  CHECK(pct->derived->inputs[1].role == "denominator");
  CHECK(pct->derived->inputs[1].location ==
        SourceLocation{file_in(dir, "indicators/a.toml"), 23, 77});
  CHECK(pct->derived->sources == std::vector<std::string>{"dashboard"});
}

TEST_CASE("a derived rate may read a series no indicator shows, as source/series",
          "[config][derived]") {
  TempDir dir;
  auto loaded = load_with(
      dir, kCatalogue,
      with_derived(R"({ operation = "rate_per_100k", count = "assessed", population = "ons/pop_18_plus" })"));
  INFO(describe(loaded.diagnostics));
  REQUIRE(loaded.catalogue);
  const IndicatorDefinition* pct = loaded.catalogue->find_indicator("pct");
  REQUIRE(pct->derived);
  CHECK(pct->derived->inputs[1].series.source == "ons");
  CHECK(pct->derived->inputs[1].series.series == "pop_18_plus");
  CHECK(pct->derived->sources == std::vector<std::string>{"dashboard", "ons"});
}

TEST_CASE("mistakes in a derived table are located errors", "[config][derived]") {
  TempDir dir;
  const std::string file = file_in(dir, "indicators/a.toml");
  SECTION("an unknown input indicator, with a suggestion") {
    auto loaded = load_with(dir, kCatalogue,
                            with_derived(R"({ operation = "percentage", numerator = "asessed", denominator = "known" })"));
    const Diagnostic& d = only_error(loaded, "config.unknown_reference");
    CHECK(d.location == SourceLocation{file, 23, 51});
    CHECK(d.message == "derived.numerator names unknown indicator 'asessed'; did you mean 'assessed'?");
    CHECK(d.indicator_id == "pct");
  }
  SECTION("an unknown source in source/series") {
    auto loaded = load_with(dir, kCatalogue,
                            with_derived(R"({ operation = "rate_per_100k", count = "assessed", population = "onss/pop" })"));
    const Diagnostic& d = only_error(loaded, "config.unknown_reference");
    CHECK(d.location == SourceLocation{file, 23, 75});
    CHECK(d.message == "derived.population names unknown source 'onss'; did you mean 'ons'?");
  }
  SECTION("an unknown operation, with a suggestion") {
    auto loaded = load_with(dir, kCatalogue, with_derived(R"({ operation = "percent", input = "known" })"));
    const Diagnostic& d = only_error(loaded, "config.bad_value");
    CHECK(d.location == SourceLocation{file, 23, 25});
    CHECK(d.message.find("derived.operation must be one of") == 0);
    CHECK(d.message.find("did you mean 'percentage'?") != std::string::npos);
  }
  SECTION("a missing input") {
    auto loaded = load_with(dir, kCatalogue, with_derived(R"({ operation = "percentage", numerator = "assessed" })"));
    const Diagnostic& d = only_error(loaded, "config.missing_key");
    CHECK(d.location == SourceLocation{file, 23, 11});
    CHECK(d.message ==
          "[indicator.derived] with operation 'percentage' is missing required key 'denominator'");
  }
  SECTION("an input the operation does not take") {
    auto loaded = load_with(dir, kCatalogue,
                            with_derived(R"({ operation = "year_to_date", input = "known", count = "assessed" })"));
    const Diagnostic& d = only_error(loaded, "config.unknown_key");
    CHECK(d.location == SourceLocation{file, 23, 58});
    CHECK(d.message == "operation 'year_to_date' takes no count: it takes input");
  }
  SECTION("source and derived together") {
    auto loaded = load_with(dir, kCatalogue,
                            with_derived(R"({ operation = "year_to_date", input = "known" })") +
                                "source = \"dashboard\"\n");
    const Diagnostic& d = only_error(loaded, "config.conflict");
    CHECK(d.location == SourceLocation{file, 24, 1});
  }
  SECTION("an input of another frequency") {
    auto loaded = load_with(dir, kCatalogue,
                            with_derived(R"({ operation = "percentage", numerator = "assessed", denominator = "known" })",
                                         "quarterly"));
    INFO(describe(loaded.diagnostics));
    REQUIRE(loaded.diagnostics.size() == 2);
    CHECK(loaded.diagnostics[0].code == "config.derived_frequency");
    CHECK(loaded.diagnostics[0].location == SourceLocation{file, 23, 51});
    CHECK(loaded.diagnostics[0].message ==
          "derived.numerator 'assessed' is monthly, but 'pct' needs quarterly figures, as it is itself");
  }
  SECTION("a population that is not annual") {
    auto loaded = load_with(dir, kCatalogue,
                            with_derived(R"({ operation = "rate_per_100k", count = "assessed", population = "known" })"));
    const Diagnostic& d = only_error(loaded, "config.derived_frequency");
    CHECK(d.message ==
          "derived.population 'known' is monthly, but 'pct' needs annual figures (mid-year "
          "estimates, one per year)");
  }
  SECTION("a rolling window of years") {
    auto loaded = load_with(dir, kCatalogue,
                            with_derived(R"({ operation = "rolling_12_month_sum", input = "known" })",
                                         "annual"));
    INFO(describe(loaded.diagnostics));
    auto errors = with_code(loaded.diagnostics, "config.derived_frequency");
    REQUIRE(errors.size() == 2);
    CHECK(errors[0].location == SourceLocation{file, 23, 11});
    CHECK(errors[0].message ==
          "operation 'rolling_12_month_sum' needs months or quarters, but 'pct' is annual");
  }
  SECTION("a source named like the derived series' store") {
    auto loaded = load_with(dir, std::string(kCatalogue) + "\n[sources.\"vitals:derived\"]\nplugin = \"csv\"\n",
                            kMinimalIndicator);
    const Diagnostic& d = only_error(loaded, "config.bad_value");
    CHECK(d.location == SourceLocation{file_in(dir, "catalogue.toml"), 12, 10});
  }
}

TEST_CASE("derived indicators that depend on themselves are a cycle error", "[config][derived]") {
  TempDir dir;
  auto loaded = load_with(dir, kCatalogue, with_derived(R"({ operation = "year_to_date", input = "ytd" })") + R"(
[[indicator]]
id = "ytd"
title = "Year to date"
polarity = "bigger"
unit = "percent"
frequency = "monthly"
derived = { operation = "rolling_12_month_average", input = "pct" }
)");
  const Diagnostic& d = only_error(loaded, "config.derived_cycle");
  CHECK(d.message ==
        "derived indicators depend on themselves: pct -> ytd -> pct; a derived indicator may "
        "read only series that do not depend on it");
  CHECK(d.location == SourceLocation{file_in(dir, "indicators/a.toml"), 31, 61});
  CHECK(d.indicator_id == "ytd");
}

TEST_CASE("an indicator that is neither read nor derived still needs a source", "[config][derived]") {
  TempDir dir;
  auto loaded = load_with(dir, kCatalogue,
                          "[[indicator]]\nid = \"a\"\ntitle = \"A\"\npolarity = \"bigger\"\n"
                          "unit = \"count\"\nfrequency = \"monthly\"\n");
  const Diagnostic& d = only_error(loaded, "config.missing_key");
  CHECK(d.message == "[[indicator]] is missing required key 'source'");
}
