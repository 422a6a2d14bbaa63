// SPDX-License-Identifier: Apache-2.0
// Where the catalogue writes rule parameters and source settings: the engine
// checks them against the rules and plugins and needs to point at them.
#include "catch.hpp"
#include "config/catalogue_loader.hpp"
#include "config/config_fixtures.hpp"
#include "support/temp_dir.hpp"

#include <string>

using namespace vitals;
using vitals::testing::describe;
using vitals::testing::file_in;
using vitals::testing::load_with;
using vitals::testing::TempDir;

TEST_CASE("rule parameter tables are kept with the location of every key and value",
          "[config][rule_settings]") {
  TempDir dir;
  auto loaded = load_with(dir, R"([catalogue]
name = "Adult Social Care"

[rules.off_targt]
variance_pct = 3

[rules.deterioration]
runn = 4

[sources.dashboard]
plugin = "csv"
paht = "data/x.csv"
)",
                          R"([[indicator]]
id = "a"
title = "Indicator A"
polarity = "bigger"
unit = "percent"
frequency = "monthly"
source = "dashboard"
  [indicator.rules.some_rule]
  limit = "high"
)");
  INFO(describe(loaded.diagnostics));
  REQUIRE(loaded.catalogue);
  const std::vector<RuleSettings>& settings = loaded.catalogue->rule_settings;
  REQUIRE(settings.size() == 3);
  const std::string catalogue = file_in(dir, "catalogue.toml");

  // In key order, as TOML tables hold them.
  CHECK(settings[0].rule_id == "deterioration");
  CHECK(settings[0].values[0].key_location == SourceLocation{catalogue, 8, 1});

  CHECK(settings[1].rule_id == "off_targt");
  CHECK(settings[1].indicator_id.empty());
  CHECK(settings[1].location == SourceLocation{catalogue, 4, 8});
  REQUIRE(settings[1].values.size() == 1);
  CHECK(settings[1].values[0].name == "variance_pct");
  CHECK(settings[1].values[0].value == ParamValue{std::int64_t{3}});
  CHECK(settings[1].values[0].key_location == SourceLocation{catalogue, 5, 1});
  CHECK(settings[1].values[0].value_location == SourceLocation{catalogue, 5, 16});

  CHECK(settings[2].rule_id == "some_rule");
  CHECK(settings[2].indicator_id == "a");
  CHECK(settings[2].location == SourceLocation{file_in(dir, "indicators/a.toml"), 8, 20});
  CHECK(settings[2].values[0].value == ParamValue{std::string("high")});

  REQUIRE(loaded.catalogue->sources.size() == 1);
  const SourceDefinition& source = loaded.catalogue->sources[0];
  CHECK(source.setting_locations.at("paht") == SourceLocation{catalogue, 12, 1});
  CHECK(source.setting_locations.count("plugin") == 0);
}
