// SPDX-License-Identifier: Apache-2.0
// Shared by the engine tests that read data through the bundled plugins.
#pragma once

#include "catch.hpp"

#include <vitals/engine.hpp>

#include <algorithm>
#include <filesystem>
#include <string>
#include <utility>

namespace vitals::testing {

/// An engine whose store is `dir`/vitals.db and which loads the bundled
/// plugins, evaluating on `threads` threads (0: one per core). The test fails
/// when it cannot be opened.
inline Engine open_with_plugins(const std::filesystem::path& dir, int threads = 0) {
  EngineOptions options;
  options.store_path = dir / "vitals.db";
  options.plugins.enabled = true;
  options.plugins.dirs = {VITALS_PLUGIN_DIR};
  options.threads = threads;
  auto engine = Engine::open(options);
  REQUIRE(engine.ok());
  return std::move(*engine);
}

/// The result of indicator `id` in `report`; the test fails when it has none.
inline const IndicatorResult& result_of(const EvaluationReport& report, const std::string& id) {
  auto it = std::find_if(report.indicators.begin(), report.indicators.end(),
                         [&](const IndicatorResult& r) { return r.indicator_id == id; });
  REQUIRE(it != report.indicators.end());
  return *it;
}

}  // namespace vitals::testing
