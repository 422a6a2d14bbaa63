// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "log/logging.hpp"

#include <vitals/catalogue.hpp>
#include <vitals/options.hpp>

#include <spdlog/logger.h>

#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace vitals::testing {

/// A fixture plugin built by tests/plugin_fixtures.
inline std::filesystem::path fixture_plugin(const std::string& name) {
  return std::filesystem::path(VITALS_TEST_PLUGIN_DIR) / (name + ".so");
}

/// The bundled csv plugin.
inline std::filesystem::path csv_plugin() {
  return std::filesystem::path(VITALS_PLUGIN_DIR) / "csv_source.so";
}

/// A logger whose lines are kept for inspection.
class CapturedLog {
 public:
  CapturedLog() : lines_(std::make_shared<Lines>()) {
    auto lines = lines_;
    logger_ = detail::make_logger(LogLevel::kTrace, [lines](LogLevel, std::string_view text) {
      std::lock_guard<std::mutex> lock(lines->mutex);
      lines->text.emplace_back(text);
    });
  }
  const std::shared_ptr<spdlog::logger>& logger() const { return logger_; }
  bool contains(std::string_view line) const {
    std::lock_guard<std::mutex> lock(lines_->mutex);
    for (const std::string& l : lines_->text) {
      if (l == line) return true;
    }
    return false;
  }
  std::vector<std::string> lines() const {
    std::lock_guard<std::mutex> lock(lines_->mutex);
    return lines_->text;
  }

 private:
  struct Lines {
    std::mutex mutex;
    std::vector<std::string> text;
  };
  std::shared_ptr<Lines> lines_;
  std::shared_ptr<spdlog::logger> logger_;
};

inline SourceDefinition make_source(std::string plugin, std::map<std::string, std::string> settings,
                                    std::filesystem::path base_dir = {}) {
  SourceDefinition s;
  s.name = "src";
  s.plugin = std::move(plugin);
  s.settings = std::move(settings);
  s.base_dir = std::move(base_dir);
  return s;
}

/// The accepted forms, as the host's bad-period messages list them.
inline constexpr const char* kPeriodForms =
    "expected YYYY-MM (month), YYYY-Qn (quarter), YYYY (year), YYYY/YY (financial year) or "
    "YYYY/YY-Qn (financial quarter)";

/// An observation from period text. REQUIRES: `period` is valid.
inline Observation obs(const char* period, std::optional<double> value,
                       std::optional<double> numerator = std::nullopt,
                       std::optional<double> denominator = std::nullopt,
                       std::optional<double> target = std::nullopt) {
  return Observation{*Period::parse(period), value, numerator, denominator, target};
}

}  // namespace vitals::testing
