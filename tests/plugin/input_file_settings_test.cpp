// SPDX-License-Identifier: Apache-2.0
// Which bundled plugins declare the files they read (ABI 1.3), so that an
// ingest may skip their unchanged sources; a database is never skipped.
#include "catch.hpp"
#include "plugin/plugin_registry.hpp"
#include "plugin_test_support.hpp"

#include <filesystem>
#include <optional>
#include <string>
#include <utility>
#include <vector>

using vitals::Diagnostic;
using vitals::detail::PluginRegistry;
using vitals::testing::CapturedLog;
using vitals::testing::fixture_plugin;

namespace {

std::optional<std::vector<std::string>> declared(const std::string& file, const std::string& name) {
  CapturedLog log;
  PluginRegistry registry(log.logger());
  std::vector<Diagnostic> diagnostics;
  REQUIRE(registry.load_file(std::filesystem::path(VITALS_PLUGIN_DIR) / file, true, diagnostics).is_ok());
  auto library = registry.find(name);
  REQUIRE(library != nullptr);
  return library->input_file_settings();
}

}  // namespace

TEST_CASE("the csv and xlsx plugins declare that they read only the file 'path' names",
          "[plugin][input_files]") {
  CHECK(declared("csv_source.so", "csv") == std::vector<std::string>{"path"});
  CHECK(declared("xlsx_source.so", "xlsx") == std::vector<std::string>{"path"});
}

TEST_CASE("the odbc and records_csv plugins declare no input files, so are always read",
          "[plugin][input_files]") {
  CHECK(!declared("odbc_source.so", "odbc").has_value());
  CHECK(!declared("records_csv.so", "records_csv").has_value());
}

TEST_CASE("a plugin that does not declare its files, or whose descriptor predates ABI 1.3, "
          "declares none", "[plugin][input_files]") {
  for (const auto& [fixture, name] : {std::pair<std::string, std::string>{"good", "good"},
                                      std::pair<std::string, std::string>{"abi_v1_0_source", "abi_v1_0"}}) {
    CapturedLog log;
    PluginRegistry registry(log.logger());
    std::vector<Diagnostic> diagnostics;
    REQUIRE(registry.load_file(fixture_plugin(fixture), true, diagnostics).is_ok());
    REQUIRE(registry.find(name) != nullptr);
    CHECK(!registry.find(name)->input_file_settings().has_value());
  }
}
