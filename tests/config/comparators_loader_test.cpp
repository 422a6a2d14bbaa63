// SPDX-License-Identifier: Apache-2.0
#include "config/comparators_loader.hpp"

#include "catch.hpp"
#include "config/config_fixtures.hpp"

#include <cmath>
#include <fstream>
#include <map>
#include <sstream>

namespace {

using vitals::ComparatorSettings;
using vitals::IndicatorComparators;
using vitals::IndicatorDefinition;
using vitals::Polarity;
using vitals::detail::load_comparators;
using vitals::testing::describe;
using vitals::testing::split_csv;
using vitals::testing::TempDir;

const std::filesystem::path kNorfolk = std::filesystem::path(VITALS_SOURCE_DIR) / "examples/norfolk";

IndicatorDefinition indicator(const std::string& id, Polarity polarity) {
  IndicatorDefinition d;
  d.id = id;
  d.polarity = polarity;
  return d;
}


// Round to the published precision (one decimal place), half away from zero.
double one_decimal(double v) { return std::round(v * 10) / 10; }

}  // namespace

TEST_CASE("England, region and family group figures computed from the all-councils file equal the "
          "published aggregates",
          "[config][comparators]") {
  vitals::detail::LoadedCatalogue loaded = vitals::detail::load_catalogue(kNorfolk);
  REQUIRE(loaded.catalogue);
  REQUIRE(loaded.catalogue->comparators);
  ComparatorSettings settings = *loaded.catalogue->comparators;
  REQUIRE(settings.family_group.size() == 17);

  // Every published measure with a denominator, each as an indicator of its own.
  std::ifstream published(kNorfolk / "data/ascof_published_2016_17.csv");
  std::string line;
  std::getline(published, line);  // header
  struct Expected {
    double norfolk, family, region, england;
  };
  std::map<std::string, Expected> expected;
  std::vector<IndicatorDefinition> indicators;
  settings.measures.clear();
  while (std::getline(published, line)) {
    std::vector<std::string> f = split_csv(line);
    REQUIRE(f.size() == 11);
    if (f[4].empty() || f[10].empty()) continue;  // no denominator or no England figure
    expected[f[0]] = {std::stod(f[7]), std::stod(f[8]), std::stod(f[9]), std::stod(f[10])};
    settings.measures["m_" + f[0]] = f[0];
    indicators.push_back(
        indicator("m_" + f[0], f[2] == "low" ? Polarity::kSmallerIsBetter : Polarity::kBiggerIsBetter));
  }
  REQUIRE(expected.size() == 13);

  std::vector<vitals::Diagnostic> diagnostics;
  vitals::detail::ComparatorTable table = load_comparators(settings, indicators, diagnostics);
  INFO(describe(diagnostics));
  REQUIRE(diagnostics.empty());
  REQUIRE(table.size() == 13);
  for (const auto& [measure, want] : expected) {
    INFO("measure " << measure);
    const IndicatorComparators& c = table.at("m_" + measure);
    CHECK(c.period == "2015/16");
    REQUIRE(c.council_value);
    CHECK(one_decimal(*c.council_value) == Approx(want.norfolk));
    REQUIRE(c.find("england"));
    REQUIRE(c.find("region"));
    REQUIRE(c.find("family_group"));
    CHECK(one_decimal(*c.find("england")->value) == Approx(want.england));
    CHECK(one_decimal(*c.find("region")->value) == Approx(want.region));
    CHECK(one_decimal(*c.find("family_group")->value) == Approx(want.family));
    CHECK(c.find("england")->councils == 152);
    CHECK(c.find("region")->councils == 11);
    CHECK(c.find("region")->name == "East of England");
    CHECK(c.find("family_group")->councils == 18);
    CHECK(c.ranked == 152);
    REQUIRE(c.rank);
    CHECK(*c.quartile == (4 * *c.rank + 151) / 152);
  }
}

TEST_CASE("A group's figure is summed numerators over summed denominators, not the mean of rates",
          "[config][comparators]") {
  TempDir dir;
  // A: 1/10 = 10%, B: 90/100 = 90%. Summed: 91/110 = 82.7%; the mean of the rates would be 50%.
  dir.write("national.csv",
            "council_code,council_name,region_code,region_name,measure,numerator,denominator,value\n"
            "A1,Alpha,R1,Region One,m,1,10,10.0\n"
            "B1,Beta,R1,Region One,m,90,100,90.0\n"
            "C1,Gamma,R2,Region Two,m,50,100,50.0\n");
  ComparatorSettings settings;
  settings.path = (dir / "national.csv").string();
  settings.period = "2015/16";
  settings.council = "A1";
  settings.family_group = {"B1"};
  settings.peers = {"C1"};
  settings.measures["x"] = "m";
  std::vector<vitals::Diagnostic> diagnostics;
  auto table = load_comparators(settings, {indicator("x", Polarity::kBiggerIsBetter)}, diagnostics);
  INFO(describe(diagnostics));
  REQUIRE(diagnostics.empty());
  const IndicatorComparators& c = table.at("x");
  CHECK(*c.find("family_group")->value == Approx(91.0 / 110 * 100));
  CHECK(*c.find("region")->value == Approx(91.0 / 110 * 100));
  CHECK(*c.find("england")->value == Approx(141.0 / 210 * 100));
  CHECK(c.figures.back().kind == "peer");
  CHECK(c.figures.back().name == "Gamma");
  CHECK(*c.rank == 3);
  CHECK(c.ranked == 3);
  CHECK(*c.quartile == 4);

  SECTION("a published aggregate row is taken as given") {
    dir.write("national.csv",
              "council_code,council_name,region_code,region_name,measure,numerator,denominator,value\n"
              "A1,Alpha,R1,Region One,m,1,10,10.0\n"
              "B1,Beta,R1,Region One,m,90,100,90.0\n"
              "E92000001,England,,,m,,,64.4\n");
    diagnostics.clear();
    auto given = load_comparators(settings, {indicator("x", Polarity::kBiggerIsBetter)}, diagnostics);
    INFO(describe(diagnostics));
    // The peer C1 is gone from this file.
    REQUIRE(given.empty());
    settings.peers.clear();
    diagnostics.clear();
    given = load_comparators(settings, {indicator("x", Polarity::kBiggerIsBetter)}, diagnostics);
    REQUIRE(diagnostics.empty());
    CHECK(*given.at("x").find("england")->value == 64.4);
    CHECK(given.at("x").ranked == 2);
  }
}

TEST_CASE("Problems in the comparator file are located and reject the whole file",
          "[config][comparators]") {
  TempDir dir;
  const std::string header =
      "council_code,council_name,region_code,region_name,measure,numerator,denominator,value\n";
  ComparatorSettings settings;
  settings.path = (dir / "national.csv").string();
  settings.period = "2015/16";
  settings.council = "A1";
  settings.family_group = {"B1"};
  settings.measures["x"] = "m";
  settings.locations["council"] = vitals::SourceLocation{"catalogue.toml", 4, 11};
  settings.locations["family_group[0]"] = vitals::SourceLocation{"catalogue.toml", 5, 17};
  settings.locations["measures.x"] = vitals::SourceLocation{"catalogue.toml", 8, 1};
  std::vector<vitals::Diagnostic> diagnostics;
  auto load = [&] {
    diagnostics.clear();
    return load_comparators(settings, {indicator("x", Polarity::kBiggerIsBetter)}, diagnostics);
  };

  SECTION("a numerator without a denominator") {
    dir.write("national.csv", header + "A1,Alpha,R1,One,m,1,10,10\nB1,Beta,R1,One,m,5,,50\n");
    CHECK(load().empty());
    REQUIRE(diagnostics.size() == 1);
    CHECK(diagnostics[0].code == "data.missing_denominator");
    CHECK(diagnostics[0].location->to_string() == settings.path + ":3:7");
  }
  SECTION("a number that is not one") {
    dir.write("national.csv", header + "A1,Alpha,R1,One,m,1,10,10\nB1,Beta,R1,One,m,5,n/a,50\n");
    CHECK(load().empty());
    REQUIRE(diagnostics.size() == 1);
    CHECK(diagnostics[0].code == "data.bad_value");
    CHECK(diagnostics[0].location->to_string() == settings.path + ":3:7");
  }
  SECTION("a council twice for one measure") {
    dir.write("national.csv", header + "A1,Alpha,R1,One,m,1,10,10\nA1,Alpha,R1,One,m,1,10,10\n");
    CHECK(load().empty());
    REQUIRE(diagnostics.size() == 1);  // a rejected file is not checked further
    CHECK(diagnostics[0].code == "data.duplicate_row");
    CHECK(diagnostics[0].message.find("already on row 2") != std::string::npos);
  }
  SECTION("an unknown council code, family group member and measure, at the catalogue setting") {
    dir.write("national.csv", header + "A2,Alpha,R1,One,k,1,10,10\n");
    CHECK(load().empty());
    INFO(describe(diagnostics));
    REQUIRE(diagnostics.size() == 3);
    CHECK(diagnostics[0].code == "comparators.unknown_council");
    CHECK(diagnostics[0].location->to_string() == "catalogue.toml:4:11");
    CHECK(diagnostics[1].code == "comparators.unknown_council");
    CHECK(diagnostics[1].message.find("family group member 'B1'") != std::string::npos);
    CHECK(diagnostics[1].location->to_string() == "catalogue.toml:5:17");
    CHECK(diagnostics[2].code == "comparators.unknown_measure");
    CHECK(diagnostics[2].location->to_string() == "catalogue.toml:8:1");
  }
  SECTION("a missing column") {
    dir.write("national.csv", "council_code,measure,value\nA1,m,1\n");
    CHECK(load().empty());
    REQUIRE_FALSE(diagnostics.empty());
    CHECK(diagnostics[0].code == "data.missing_column");
    CHECK(diagnostics[0].location->to_string() == settings.path + ":1");
  }
}

TEST_CASE("[comparators] in catalogue.toml: mistakes are located at the setting", "[config][comparators]") {
  TempDir dir;
  dir.write("data/national.csv",
            "council_code,council_name,region_code,region_name,measure,numerator,denominator,value\n");
  const std::string catalogue = std::string(vitals::testing::kMinimalCatalogue) + R"(
[comparators]
path = "data/nowhere.csv"
period = "2015/16"
council = "E10000020"
family_group = ["E10000029", ""]

[comparators.measures]
b = "1E"
)";
  vitals::detail::LoadedCatalogue loaded =
      vitals::testing::load_with(dir, catalogue, vitals::testing::kMinimalIndicator);
  INFO(describe(loaded.diagnostics));
  CHECK_FALSE(loaded.catalogue);
  auto missing = vitals::testing::with_code(loaded.diagnostics, "config.missing_file");
  REQUIRE(missing.size() == 1);
  CHECK(missing[0].location->line == 15);
  CHECK(missing[0].location->column == 8);
  auto empty = vitals::testing::with_code(loaded.diagnostics, "config.bad_value");
  REQUIRE(empty.size() == 1);
  CHECK(empty[0].location->line == 18);
  auto unknown = vitals::testing::with_code(loaded.diagnostics, "config.unknown_indicator");
  REQUIRE(unknown.size() == 1);
  CHECK(unknown[0].location->line == 21);
  CHECK(unknown[0].message.find("'b'") != std::string::npos);
}

TEST_CASE("[comparators] in catalogue.toml is read into the catalogue", "[config][comparators]") {
  TempDir dir;
  dir.write("data/national.csv",
            "council_code,council_name,region_code,region_name,measure,numerator,denominator,value\n");
  const std::string catalogue = std::string(vitals::testing::kMinimalCatalogue) + R"(
[comparators]
path = "data/national.csv"
period = "2015/16"
council = "E10000020"
family_group_name = "CIPFA nearest neighbours"
family_group = ["E10000029"]
peers = ["E10000003"]

[comparators.measures]
a = "1E"
)";
  vitals::detail::LoadedCatalogue loaded =
      vitals::testing::load_with(dir, catalogue, vitals::testing::kMinimalIndicator);
  INFO(describe(loaded.diagnostics));
  REQUIRE(loaded.catalogue);
  REQUIRE(loaded.catalogue->comparators);
  const ComparatorSettings& c = *loaded.catalogue->comparators;
  CHECK(c.path == (dir / "data/national.csv").lexically_normal().string());
  CHECK(c.family_group_name == "CIPFA nearest neighbours");
  CHECK(c.family_group == std::vector<std::string>{"E10000029"});
  CHECK(c.peers == std::vector<std::string>{"E10000003"});
  CHECK(c.measures.at("a") == "1E");
}
