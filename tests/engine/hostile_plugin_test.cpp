// SPDX-License-Identifier: Apache-2.0
// A run goes on without a source whose isolated plugin crashes or hangs.
#include "catch.hpp"
#include "support/temp_dir.hpp"

#include <vitals/engine.hpp>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <optional>
#include <string>
#include <thread>

using namespace vitals;
using vitals::testing::TempDir;

namespace {

bool has(const IngestSummary& summary, const std::string& code, const std::string& text) {
  return std::any_of(summary.diagnostics.begin(), summary.diagnostics.end(),
                     [&](const Diagnostic& d) {
                       return d.code == code && d.message.find(text) != std::string::npos;
                     });
}

// An engine on `dir`/vitals.db loading the bundled plugins and the test
// fixtures (isolated, as plugins from outside the shipped set are).
Engine open_engine(TempDir& dir) {
  EngineOptions options;
  options.store_path = dir / "vitals.db";
  options.plugins.enabled = true;
  options.plugins.dirs = {VITALS_PLUGIN_DIR, VITALS_TEST_PLUGIN_DIR};
  options.log_level = LogLevel::kOff;
  auto engine = Engine::open(options);
  REQUIRE(engine.ok());
  REQUIRE(engine->load_catalogue(dir / "cat").is_ok());
  return std::move(*engine);
}

}  // namespace

TEST_CASE(
    "an ingest survives isolated plugins that crash, exit or hang, and keeps the others' data",
    "[engine][ingest][isolation]") {
  TempDir dir;
  dir.write("cat/data.csv", "indicator_id,period,value\ni0,2017-01,1\ni0,2017-02,2\n");
  dir.write("cat/catalogue.toml",
            "[catalogue]\nname = \"Test\"\ncommittee = \"Test Committee\"\nrule_dirs = [\"" +
                std::string(VITALS_SOURCE_DIR) +
                "/rules/council\"]\n\n"
                "[sources.crashing]\nplugin = \"hostile\"\nmode = \"crash_fetch\"\n\n"
                "[sources.exiting]\nplugin = \"hostile\"\nmode = \"exit0_fetch\"\n\n"
                "[sources.hanging]\nplugin = \"hostile\"\nmode = \"hang_fetch\"\ntimeout_s = 1\n\n"
                "[sources.national]\nplugin = \"csv\"\npath = \"data.csv\"\n");
  dir.write("cat/indicators/i.toml",
            "[[indicator]]\nid = \"i0\"\ntitle = \"First\"\npolarity = \"bigger\"\nunit = "
            "\"number\"\nfrequency = \"monthly\"\ntarget = 1\nsource = \"national\"\n");
  Engine engine = open_engine(dir);

  const auto started = std::chrono::steady_clock::now();
  auto summary = engine.ingest();
  REQUIRE(summary.ok());
  CHECK(std::chrono::steady_clock::now() - started < std::chrono::seconds(20));
  CHECK(summary->sources == 1);
  CHECK(summary->inserted == 2);
  CHECK(has(*summary, "plugin.crashed",
            "plugin 'hostile' failed in source 'crashing' during fetch: its process was killed "
            "by signal 11 (Segmentation fault)"));
  CHECK(has(*summary, "plugin.crashed",
            "plugin 'hostile' failed in source 'exiting' during fetch: its process exited with "
            "status 0"));
  CHECK(has(*summary, "plugin.timeout",
            "plugin 'hostile' failed in source 'hanging' during fetch: it did not finish its "
            "fetch within 1 s"));
  for (const char* name : {"crashing", "exiting", "hanging"}) {
    CHECK(has(*summary, "source.rejected", std::string("source '") + name + "' was not ingested"));
  }
  auto report = engine.evaluate(Period::month(2017, 2));
  REQUIRE(report.ok());
  REQUIRE(report->indicators.size() == 1);
  REQUIRE(report->indicators[0].latest);
  CHECK(report->indicators[0].latest->value == 2.0);
}

TEST_CASE("a slow source blocks nobody: an evaluation records its run while the source is read",
          "[engine][ingest][isolation]") {
  TempDir dir;
  const std::string started = (dir / "started").string();
  const std::string go = (dir / "go").string();
  dir.write("cat/catalogue.toml",
            "[catalogue]\nname = \"Test\"\ncommittee = \"Test Committee\"\nrule_dirs = [\"" +
                std::string(VITALS_SOURCE_DIR) +
                "/rules/council\"]\n\n"
                "[sources.slow]\nplugin = \"hostile\"\nmode = \"slow_fetch\"\nstarted = \"" +
                started + "\"\ngo = \"" + go + "\"\n");
  dir.write("cat/indicators/i.toml",
            "[[indicator]]\nid = \"hostile.a\"\ntitle = \"First\"\npolarity = \"bigger\"\nunit = "
            "\"number\"\nfrequency = \"monthly\"\ntarget = 1\nsource = \"slow\"\n");
  Engine ingesting = open_engine(dir);
  Engine evaluating = open_engine(dir);

  std::optional<Result<IngestSummary>> ingested;
  std::thread ingest([&] { ingested.emplace(ingesting.ingest()); });
  // The source has delivered more than a batch and is still being read.
  for (int i = 0; i < 3000 && !std::filesystem::exists(started); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  CHECK(std::filesystem::exists(started));
  std::this_thread::sleep_for(std::chrono::milliseconds(300));

  const auto before = std::chrono::steady_clock::now();
  auto report = evaluating.evaluate(Period::month(2017, 1));
  const auto took = std::chrono::steady_clock::now() - before;
  dir.write("go", "");
  ingest.join();

  INFO((report.ok() ? std::string() : report.status().to_string()));
  REQUIRE(report.ok());
  CHECK(took < std::chrono::seconds(3));
  // It read the last committed state: nothing of the source yet.
  REQUIRE(report->indicators.size() == 1);
  CHECK_FALSE(report->indicators[0].latest);
  REQUIRE(ingested.has_value());
  REQUIRE(ingested->ok());
  CHECK((*ingested)->sources == 1);
  CHECK((*ingested)->inserted == 70001);
}
