// SPDX-License-Identifier: Apache-2.0
// Evaluation on several threads (EngineOptions::threads) gives the same
// report, byte for byte, as on one.
#include <vitals/engine.hpp>
#include <vitals/report.hpp>

#include <cmath>
#include <sstream>
#include <string>

#include "catch.hpp"
#include "engine/engine_test_support.hpp"
#include "support/temp_dir.hpp"

using namespace vitals;
using vitals::testing::TempDir;

namespace {

std::string json_of(const EvaluationReport& report) {
  std::ostringstream out;
  REQUIRE(render(report, ReportFormat::kJson, out).is_ok());
  return out.str();
}

// The Norfolk example, ingested through the csv plugin, evaluated on `threads`.
std::string norfolk_json(int threads, const Period& period) {
  TempDir dir;
  Engine engine = vitals::testing::open_with_plugins(dir.path(), threads);
  REQUIRE(engine.load_catalogue(std::string(VITALS_SOURCE_DIR) + "/examples/norfolk").is_ok());
  REQUIRE(engine.ingest().ok());
  EvaluateOptions what_if;
  what_if.record_run = false;
  auto report = engine.evaluate(period, what_if);
  REQUIRE(report.ok());
  return json_of(*report);
}

// A catalogue of `count` monthly indicators with mixed polarity and targets,
// enough for every thread to take several batches of indicators.
void write_catalogue(const TempDir& dir, int count) {
  dir.write("catalogue.toml", "[catalogue]\nname = \"Many\"\nrule_dirs = [\"" +
                                  std::string(VITALS_SOURCE_DIR) +
                                  "/rules/council\"]\n\n[sources.pushed]\nplugin = \"none\"\n");
  std::string toml;
  for (int i = 0; i < count; ++i) {
    std::string id = "ind_" + std::to_string(1000 + i);
    toml += "[[indicator]]\nid = \"" + id + "\"\ntitle = \"Indicator " + std::to_string(i) +
            "\"\npolarity = \"" + (i % 2 ? "bigger" : "smaller") +
            "\"\nunit = \"number\"\nfrequency = \"monthly\"\nsource = \"pushed\"\n";
    if (i % 3 == 0) toml += "target = " + std::to_string(40 + i % 17) + "\n";
    if (i % 3 == 1) toml += "target_profile = { \"2016-04\" = 45, \"2016-10\" = 50.5 }\n";
    if (i % 7 == 0) toml += "allowed_lag = 1\n";
    toml += "\n";
  }
  dir.write("indicators/many.toml", toml);
}

std::vector<Series> many_series(int count) {
  std::vector<Series> all;
  for (int i = 0; i < count; ++i) {
    Series s{"ind_" + std::to_string(1000 + i), {}};
    for (int m = 0; m < 24; ++m) {
      if ((i + m) % 11 == 0) continue;  // a gap
      Observation o;
      o.period = Period::month(2015, 4).shifted(m);
      if ((i * 7 + m) % 13 != 0) o.value = 45.0 + std::fmod(i * 3.7 + m * (i % 5 - 2) * 1.3, 12.0);
      s.observations.push_back(o);
    }
    all.push_back(std::move(s));
  }
  return all;
}

std::string many_json(int threads, int count) {
  TempDir dir;
  write_catalogue(dir, count);
  EngineOptions options;
  options.store_path = dir / "vitals.db";
  options.threads = threads;
  auto engine = Engine::open(options);
  REQUIRE(engine.ok());
  REQUIRE(engine->load_catalogue(dir.path()).is_ok());
  REQUIRE(engine->ingest_series("pushed", many_series(count)).ok());
  EvaluateOptions what_if;
  what_if.record_run = false;
  auto report = engine->evaluate(Period::month(2017, 3), what_if);
  REQUIRE(report.ok());
  REQUIRE(report->indicators.size() == static_cast<std::size_t>(count));
  return json_of(*report);
}

}  // namespace

TEST_CASE("the Norfolk example gives the same JSON on one and on two threads",
          "[engine][threads]") {
  for (const Period& period : {Period::month(2017, 3), Period::month(2016, 9)}) {
    CHECK(norfolk_json(1, period) == norfolk_json(2, period));
  }
}

TEST_CASE("hundreds of indicators give the same JSON on one, two and three threads",
          "[engine][threads]") {
  const std::string one = many_json(1, 500);
  CHECK(one.find("\"status\": \"exception\"") != std::string::npos);
  CHECK(many_json(2, 500) == one);
  CHECK(many_json(3, 500) == one);
}
