// SPDX-License-Identifier: Apache-2.0
// The bundled Norfolk example end to end: CSV plugin -> store -> Lua rules.
// The council's June 2017 paper reported exactly these five indicators as
// exceptions for March 2017, all "(off target)".
#include <vitals/engine.hpp>

#include <set>

#include "catch.hpp"
#include "support/temp_dir.hpp"

using namespace vitals;
using vitals::testing::TempDir;

TEST_CASE("the Norfolk example reports the council's five exceptions for March 2017",
          "[engine][example]") {
  TempDir dir;
  EngineOptions options;
  options.store_path = dir / "vitals.db";
  options.plugins.enabled = true;
  options.plugins.dirs = {VITALS_PLUGIN_DIR};
  auto engine = Engine::open(options);
  REQUIRE(engine.ok());
  REQUIRE(engine->load_catalogue(std::string(VITALS_SOURCE_DIR) + "/examples/norfolk").is_ok());
  CHECK_FALSE(has_errors(engine->diagnostics()));
  REQUIRE(engine->catalogue().indicators.size() == 15);

  auto ingested = engine->ingest();
  REQUIRE(ingested.ok());
  CHECK(ingested->diagnostics.empty());
  CHECK(ingested->sources == 1);
  CHECK(ingested->series == 15);

  auto report = engine->evaluate(Period::month(2017, 3));
  REQUIRE(report.ok());
  CHECK_FALSE(has_errors(report->diagnostics));

  std::set<std::string> off_target;
  std::set<std::string> deteriorating;
  for (const IndicatorResult* r : report->exceptions()) {
    for (const RuleOutcome* o : r->reasons()) {
      if (o->criterion == "off_target") off_target.insert(r->indicator_id);
      if (o->criterion == "deterioration") deteriorating.insert(r->indicator_id);
    }
  }
  CHECK(off_target == std::set<std::string>{"admissions_18_64_per_100k", "admissions_65_plus_per_100k",
                                            "dtoc_social_care_per_100k", "ld_paid_employment_pct",
                                            "mh_paid_employment_pct"});
  CHECK(deteriorating == std::set<std::string>{"dtoc_social_care_per_100k"});
  CHECK(report->exceptions().size() == 5);

  // Re-ingesting the same file changes nothing.
  auto again = engine->ingest();
  REQUIRE(again.ok());
  CHECK(again->inserted == 0);
  CHECK(again->revised == 0);
  CHECK(again->unchanged == ingested->inserted);
}
