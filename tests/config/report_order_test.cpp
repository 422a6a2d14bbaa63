// SPDX-License-Identifier: Apache-2.0
// [report] order: the order reports list indicators in (catalogue_parser.cpp,
// check_report_order; Catalogue::in_report_order).
#include "catch.hpp"
#include "config/catalogue_loader.hpp"
#include "config/config_fixtures.hpp"
#include "support/temp_dir.hpp"

#include <string>
#include <vector>

using namespace vitals;
using vitals::testing::describe;
using vitals::testing::file_in;
using vitals::testing::kMinimalCatalogue;
using vitals::testing::load_with;
using vitals::testing::TempDir;

namespace {

// Three indicators, "a", "b" and "c", in one file.
std::string three_indicators() {
  std::string out;
  for (const char* id : {"a", "b", "c"}) {
    out += std::string("[[indicator]]\nid = \"") + id +
           "\"\ntitle = \"T\"\npolarity = \"bigger\"\nunit = \"percent\"\n"
           "frequency = \"monthly\"\nsource = \"dashboard\"\n\n";
  }
  return out;
}

std::vector<std::string> ids(const Catalogue& c) {
  std::vector<std::string> out;
  for (const IndicatorDefinition* d : c.in_report_order()) out.push_back(d->id);
  return out;
}

}  // namespace

TEST_CASE("reports list indicators in [report] order, then the rest by id", "[config]") {
  TempDir dir;
  auto loaded = load_with(dir, std::string(kMinimalCatalogue) + "[report]\norder = [\"c\", \"a\"]\n",
                          three_indicators());
  INFO(describe(loaded.diagnostics));
  REQUIRE(loaded.catalogue);
  CHECK(loaded.catalogue->report_order == std::vector<std::string>{"c", "a"});
  CHECK(ids(*loaded.catalogue) == std::vector<std::string>{"c", "a", "b"});
  // The catalogue itself stays sorted by id.
  CHECK(loaded.catalogue->indicators.front().id == "a");
}

TEST_CASE("without [report] order, reports list indicators by id", "[config]") {
  TempDir dir;
  auto loaded = load_with(dir, kMinimalCatalogue, three_indicators());
  REQUIRE(loaded.catalogue);
  CHECK(ids(*loaded.catalogue) == std::vector<std::string>{"a", "b", "c"});
}

TEST_CASE("[report] order naming an undefined indicator is located at the id", "[config]") {
  TempDir dir;
  auto loaded = load_with(dir, std::string(kMinimalCatalogue) + "[report]\norder = [\"c\", \"bb\"]\n",
                          three_indicators());
  INFO(describe(loaded.diagnostics));
  REQUIRE(loaded.diagnostics.size() == 1);
  CHECK(loaded.diagnostics[0].to_string() ==
        file_in(dir, "catalogue.toml") +
            ":14:15: error: report.order names indicator 'bb', which the catalogue does not "
            "define; did you mean 'b'? [config.unknown_indicator]");
  CHECK_FALSE(loaded.catalogue);
}

TEST_CASE("[report] order listing an indicator twice is an error", "[config]") {
  TempDir dir;
  auto loaded = load_with(dir, std::string(kMinimalCatalogue) + "[report]\norder = [\"a\", \"a\"]\n",
                          three_indicators());
  INFO(describe(loaded.diagnostics));
  REQUIRE(loaded.diagnostics.size() == 1);
  CHECK(loaded.diagnostics[0].code == "config.bad_value");
  CHECK(loaded.diagnostics[0].message == "report.order lists indicator 'a' more than once");
  CHECK(loaded.diagnostics[0].location->line == 14);
  CHECK_FALSE(loaded.catalogue);
}
