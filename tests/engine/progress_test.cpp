// SPDX-License-Identifier: Apache-2.0
// EngineOptions::progress: what the engine reports of loading, ingesting and
// evaluating, from several threads, and that a sink's exception stays out of
// the work.
#include <vitals/engine.hpp>

#include <mutex>
#include <stdexcept>
#include <string>
#include <vector>

#include "catch.hpp"
#include "engine/engine_test_support.hpp"
#include "support/temp_dir.hpp"

using namespace vitals;
using vitals::testing::TempDir;

namespace {

struct Seen {
  std::string phase;
  std::size_t done;
  std::size_t total;
  std::string unit;
  bool finished;
};

void write_catalogue(const TempDir& dir, int count) {
  dir.write("catalogue.toml", "[catalogue]\nname = \"Many\"\nrule_dirs = [\"" +
                                  std::string(VITALS_SOURCE_DIR) +
                                  "/rules/council\"]\n\n[sources.pushed]\nplugin = \"none\"\n");
  std::string toml;
  for (int i = 0; i < count; ++i) {
    toml += "[[indicator]]\nid = \"ind_" + std::to_string(1000 + i) +
            "\"\ntitle = \"Indicator\"\npolarity = \"bigger\"\nunit = \"number\"\n"
            "frequency = \"monthly\"\nsource = \"pushed\"\ntarget = 50\n\n";
  }
  dir.write("indicators/many.toml", toml);
  dir.write("indicators/more.toml", "");
}

std::vector<Series> series_for(int count) {
  std::vector<Series> all;
  for (int i = 0; i < count; ++i) {
    Series s{"ind_" + std::to_string(1000 + i), {}};
    for (int m = 0; m < 12; ++m) {
      Observation o;
      o.period = Period::month(2016, 4).shifted(m);
      o.value = 40.0 + (i + m) % 20;
      s.observations.push_back(o);
    }
    all.push_back(std::move(s));
  }
  return all;
}

}  // namespace

TEST_CASE("loading and evaluating on several threads report their counts to the end",
          "[engine][progress]") {
  constexpr int kCount = 600;
  TempDir dir;
  write_catalogue(dir, kCount);
  std::mutex mutex;
  std::vector<Seen> seen;
  EngineOptions options;
  options.store_path = dir / "vitals.db";
  options.threads = 4;
  options.progress = [&](const Progress& p) {
    std::lock_guard lock(mutex);
    seen.push_back({std::string(p.phase), p.done, p.total, std::string(p.unit), p.finished});
  };
  auto engine = Engine::open(options);
  REQUIRE(engine.ok());
  REQUIRE(engine->load_catalogue(dir.path()).is_ok());
  REQUIRE(engine->ingest_series("pushed", series_for(kCount)).ok());
  EvaluateOptions what_if;
  what_if.record_run = false;
  REQUIRE(engine->evaluate(Period::month(2017, 3), what_if).ok());

  std::vector<Seen> loading, evaluating;
  for (const Seen& s : seen) {
    if (s.phase == "loading the catalogue") loading.push_back(s);
    if (s.phase == "evaluating") evaluating.push_back(s);
  }
  REQUIRE(loading.size() >= 2);
  CHECK(loading.front().done == 0);
  CHECK(loading.front().total == 2);
  CHECK(loading.front().unit == "files");
  CHECK(loading.back().done == 2);
  CHECK(loading.back().finished);
  REQUIRE(evaluating.size() >= 2);
  CHECK(evaluating.front().done == 0);
  CHECK(evaluating.front().total == kCount);
  CHECK(evaluating.front().unit == "indicators");
  CHECK(evaluating.back().done == kCount);
  CHECK(evaluating.back().finished);
  for (std::size_t i = 1; i < evaluating.size(); ++i) {
    CHECK(evaluating[i].done >= evaluating[i - 1].done);
    CHECK_FALSE(evaluating[i - 1].finished);
  }
}

TEST_CASE("a progress sink that throws does not stop the evaluation", "[engine][progress]") {
  TempDir dir;
  write_catalogue(dir, 100);
  int calls = 0;
  EngineOptions options;
  options.store_path = dir / "vitals.db";
  options.threads = 2;
  options.progress = [&calls](const Progress&) {
    ++calls;
    throw std::runtime_error("cannot draw");
  };
  auto engine = Engine::open(options);
  REQUIRE(engine.ok());
  REQUIRE(engine->load_catalogue(dir.path()).is_ok());
  REQUIRE(engine->ingest_series("pushed", series_for(100)).ok());
  auto report = engine->evaluate(Period::month(2017, 3));
  REQUIRE(report.ok());
  CHECK(report->indicators.size() == 100);
  CHECK(report->run_id > 0);
  CHECK(calls == 2);  // once per step (loading, evaluating), then no more
}

TEST_CASE("an ingest counts the series the sources stream", "[engine][progress]") {
  TempDir dir;
  std::vector<Seen> seen;
  EngineOptions options;
  options.store_path = dir / "vitals.db";
  options.plugins.enabled = true;
  options.plugins.dirs = {VITALS_PLUGIN_DIR};
  options.progress = [&seen](const Progress& p) {
    seen.push_back({std::string(p.phase), p.done, p.total, std::string(p.unit), p.finished});
  };
  auto engine = Engine::open(options);
  REQUIRE(engine.ok());
  REQUIRE(engine->load_catalogue(std::string(VITALS_SOURCE_DIR) + "/examples/norfolk").is_ok());
  auto summary = engine->ingest();
  REQUIRE(summary.ok());
  std::vector<Seen> ingesting;
  for (const Seen& s : seen) {
    if (s.phase == "ingesting") ingesting.push_back(s);
  }
  REQUIRE(ingesting.size() >= 2);
  CHECK(ingesting.front().done == 0);
  CHECK(ingesting.back().finished);
  CHECK(ingesting.back().total == 0);
  CHECK(ingesting.back().unit == "series");
  CHECK(ingesting.back().done >= static_cast<std::size_t>(summary->series));
  CHECK(summary->series > 0);
}
