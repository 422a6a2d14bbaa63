// SPDX-License-Identifier: Apache-2.0
// The catalogue's indicator files are parsed in parallel: the result must be
// the one a serial read gives, diagnostics included, for any thread count.
#include "config/catalogue_loader.hpp"

#include "catch.hpp"
#include "config/config_fixtures.hpp"
#include "support/temp_dir.hpp"

#include <string>
#include <vector>

using namespace vitals;
using vitals::detail::load_catalogue;
using vitals::detail::LoadedCatalogue;
using vitals::testing::kMinimalCatalogue;
using vitals::testing::TempDir;

namespace {

std::string indicator_toml(const std::string& id, const std::string& polarity) {
  return "[[indicator]]\nid = \"" + id + "\"\ntitle = \"Indicator " + id + "\"\npolarity = \"" +
         polarity + "\"\nunit = \"percent\"\nfrequency = \"monthly\"\nsource = \"dashboard\"\n\n";
}

// 40 files of 5 indicators each.
void write_files(const TempDir& dir) {
  dir.write("catalogue.toml", kMinimalCatalogue);
  for (int f = 0; f < 40; ++f) {
    std::string text;
    for (int i = 0; i < 5; ++i) {
      text += indicator_toml("f" + std::to_string(f) + "_" + std::to_string(i),
                             i % 2 == 0 ? "bigger" : "smaller");
    }
    dir.write("indicators/g" + std::to_string(100 + f) + ".toml", text);
  }
}

std::vector<std::string> texts(const std::vector<Diagnostic>& diagnostics) {
  std::vector<std::string> out;
  for (const Diagnostic& d : diagnostics) out.push_back(d.to_string() + " [" + d.indicator_id + "]");
  return out;
}

// Everything of the catalogue a parse could get wrong, as text.
std::vector<std::string> summary(const LoadedCatalogue& loaded) {
  std::vector<std::string> out = texts(loaded.diagnostics);
  if (!loaded.catalogue) return out;
  for (const IndicatorDefinition& d : loaded.catalogue->indicators) {
    out.push_back(d.id + "|" + d.title + "|" + polarity_name(d.polarity) + "|" +
                  d.location.to_string());
  }
  for (const RuleSettings& s : loaded.catalogue->rule_settings) out.push_back(s.indicator_id);
  return out;
}

}  // namespace

TEST_CASE("a catalogue loads the same on one thread and on several", "[config][parallel]") {
  TempDir dir;
  write_files(dir);
  const LoadedCatalogue serial = load_catalogue(dir.path(), 1);
  REQUIRE(serial.catalogue);
  CHECK(serial.catalogue->indicators.size() == 200);
  for (std::size_t threads : {2u, 3u, 8u, 0u}) {
    INFO("threads " << threads);
    CHECK(summary(load_catalogue(dir.path(), threads)) == summary(serial));
  }
}

TEST_CASE("broken files give the same diagnostics, in the same order, on any thread count",
          "[config][parallel]") {
  TempDir dir;
  write_files(dir);
  // A syntax error, a bad field, a duplicate id across files, a file that is
  // not TOML at all, and a duplicate within a file.
  dir.write("indicators/g105.toml", "[[indicator]]\nid = \"broken\"\ntitle = \n");
  dir.write("indicators/g110.toml", indicator_toml("x1", "sideways"));
  dir.write("indicators/g120.toml", indicator_toml("f3_1", "bigger"));
  dir.write("indicators/g130.toml", "\x01\x02 not toml");
  dir.write("indicators/g135.toml", indicator_toml("twice", "bigger") + indicator_toml("twice", "bigger"));
  const LoadedCatalogue serial = load_catalogue(dir.path(), 1);
  CHECK_FALSE(serial.catalogue);
  const std::vector<std::string> expected = texts(serial.diagnostics);
  REQUIRE(expected.size() >= 5);
  for (std::size_t threads : {2u, 4u, 16u, 0u}) {
    INFO("threads " << threads);
    for (int repeat = 0; repeat < 5; ++repeat) {
      CHECK(texts(load_catalogue(dir.path(), threads).diagnostics) == expected);
    }
  }
}
