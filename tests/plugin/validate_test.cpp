// SPDX-License-Identifier: Apache-2.0
// Plugin ABI 1.2: validate checks a source's settings without fetching. New
// plugins (SDK and plain C) validate and are located at the catalogue's
// lines; older ones, and a descriptor too small for the field, get a note.
#include "catch.hpp"
#include "plugin/plugin_registry.hpp"
#include "plugin/source_handle.hpp"
#include "plugin_test_support.hpp"
#include "support/temp_dir.hpp"

#include <vitals/plugin/sdk.hpp>

#include <map>
#include <string>
#include <vector>

using namespace vitals;
using vitals::detail::PluginRegistry;
using vitals::testing::csv_plugin;
using vitals::testing::fixture_plugin;
using vitals::testing::make_source;
using vitals::testing::TempDir;

namespace {

std::unique_ptr<PluginRegistry> registry_with(const std::filesystem::path& file) {
  auto registry = std::make_unique<PluginRegistry>(vitals::detail::null_logger());
  std::vector<Diagnostic> diagnostics;
  REQUIRE(registry->load_file(file, true, diagnostics).is_ok());
  REQUIRE(diagnostics.empty());
  return registry;
}

// `source` with each setting located on its own line of catalogue.toml, from line 10.
SourceDefinition located(SourceDefinition source) {
  source.location = SourceLocation{"catalogue.toml", 9, 1};
  int line = 10;
  for (const auto& entry : source.settings) {
    source.setting_locations[entry.first] = SourceLocation{"catalogue.toml", line++, 1};
  }
  return source;
}

std::string describe(const std::vector<Diagnostic>& diagnostics) {
  std::string out;
  for (const Diagnostic& d : diagnostics) out += d.to_string() + "\n";
  return out;
}

}  // namespace

TEST_CASE("the csv plugin reports a misspelt setting at its line with a suggestion",
          "[plugin][validate]") {
  TempDir dir;
  auto registry = registry_with(csv_plugin());
  auto library = registry->find("csv");
  REQUIRE(library);
  CHECK(library->descriptor().validate != nullptr);

  SourceDefinition source = located(make_source("csv", {{"paht", "data/x.csv"}}, dir.path()));
  std::vector<Diagnostic> diagnostics;
  Status st = registry->validate_source(source, diagnostics);
  CHECK(st.code() == StatusCode::kValidationError);
  INFO(describe(diagnostics));
  REQUIRE(diagnostics.size() == 2);
  CHECK(diagnostics[0].to_string() ==
        "catalogue.toml:10:1: error: unknown setting 'paht' for source 'src'; did you mean "
        "'path'? [source.unknown_setting]");
  CHECK(diagnostics[1].to_string() ==
        "catalogue.toml:9:1: error: source 'src' is missing required setting 'path' "
        "[source.missing_setting]");
}

TEST_CASE("the csv plugin reports a missing file without reading anything",
          "[plugin][validate]") {
  TempDir dir;
  auto registry = registry_with(csv_plugin());
  std::vector<Diagnostic> diagnostics;
  SourceDefinition missing =
      located(make_source("csv", {{"path", "data/none.csv"}, {"value_column", ""}}, dir.path()));
  CHECK(registry->validate_source(missing, diagnostics).code() == StatusCode::kValidationError);
  INFO(describe(diagnostics));
  REQUIRE(diagnostics.size() == 2);
  CHECK(diagnostics[0].to_string() ==
        "catalogue.toml:11:1: error: setting 'value_column' is empty [source.bad_setting]");
  CHECK(diagnostics[1].to_string() == "catalogue.toml:10:1: error: file not found: " +
                                          (dir.path() / "data/none.csv").string() +
                                          " [source.missing_file]");

  // A good configuration validates silently, and the file is not opened:
  // an empty file would fail a fetch but passes validate.
  dir.write("data/ok.csv", "");
  diagnostics.clear();
  CHECK(registry->validate_source(located(make_source("csv", {{"path", "data/ok.csv"}}, dir.path())),
                                  diagnostics)
            .is_ok());
  CHECK(diagnostics.empty());
}

TEST_CASE("a misspelt key that Vitals reads itself is suggested too", "[plugin][validate]") {
  TempDir dir;
  dir.write("x.csv", "indicator_id,period,value\n");
  auto registry = registry_with(csv_plugin());
  SourceDefinition source = located(
      make_source("csv", {{"path", "x.csv"}, {"period_fom", "month_name"}}, dir.path()));
  std::vector<Diagnostic> diagnostics;
  CHECK(registry->validate_source(source, diagnostics).code() == StatusCode::kValidationError);
  INFO(describe(diagnostics));
  REQUIRE(diagnostics.size() == 1);
  CHECK(diagnostics[0].message ==
        "unknown setting 'period_fom' for source 'src'; did you mean 'period_form'?");
}

TEST_CASE("records_csv checks its settings for the kind it is given", "[plugin][validate]") {
  TempDir dir;
  dir.write("risks.csv", "risk_id\n");
  auto registry = registry_with(std::filesystem::path(VITALS_PLUGIN_DIR) / "records_csv.so");
  std::vector<Diagnostic> diagnostics;
  SourceDefinition source = located(make_source(
      "records_csv",
      {{"path", "risks.csv"}, {"kind", "risks"}, {"unit", "gbp_m"}, {"titel_column", "t"}},
      dir.path()));
  CHECK(registry->validate_source(source, diagnostics).code() == StatusCode::kValidationError);
  INFO(describe(diagnostics));
  REQUIRE(diagnostics.size() == 2);
  CHECK(diagnostics[0].message ==
        "unknown setting 'titel_column' for source 'src'; did you mean 'title_column'?");
  CHECK(diagnostics[1].message.rfind("unknown setting 'unit' for source 'src'; the settings are "
                                     "path, kind, period, period_column, id_column",
                                     0) == 0);
  diagnostics.clear();
  SourceDefinition bad_kind =
      located(make_source("records_csv", {{"path", "risks.csv"}, {"kind", "risk"}}, dir.path()));
  CHECK(registry->validate_source(bad_kind, diagnostics).code() == StatusCode::kValidationError);
  REQUIRE(diagnostics.size() == 1);
  CHECK(diagnostics[0].to_string() ==
        "catalogue.toml:10:1: error: setting 'kind' is 'risk'; expected one of budget, savings, "
        "risks [source.bad_setting]");
}

TEST_CASE("a plain C plugin of ABI 1.2 validates, located by the setting it names",
          "[plugin][validate]") {
  auto registry = registry_with(fixture_plugin("c_validate"));
  std::vector<Diagnostic> diagnostics;
  SourceDefinition source = located(make_source("c_validate", {{"mode", "no"}, {"speed", "1"}}));
  CHECK(registry->validate_source(source, diagnostics).code() == StatusCode::kValidationError);
  INFO(describe(diagnostics));
  REQUIRE(diagnostics.size() == 2);
  CHECK(diagnostics[0].to_string() ==
        "catalogue.toml:10:1: error: mode must be \"ok\" [source.bad_setting]");
  CHECK(diagnostics[1].to_string() ==
        "catalogue.toml:11:1: error: only 'mode' is a setting of c_validate [source.bad_setting]");
  // A problem naming no setting is located at the source.
  diagnostics.clear();
  CHECK_FALSE(
      registry->validate_source(located(make_source("c_validate", {{"mode", "unnamed"}})), diagnostics)
          .is_ok());
  REQUIRE(diagnostics.size() == 1);
  CHECK(diagnostics[0].location == SourceLocation{"catalogue.toml", 9, 1});
  diagnostics.clear();
  CHECK(registry->validate_source(located(make_source("c_validate", {{"mode", "ok"}})), diagnostics)
            .is_ok());
  CHECK(diagnostics.empty());
}

TEST_CASE("a plugin of ABI 1.0 still works and gets a note that its settings are not checked",
          "[plugin][validate][compat]") {
  auto registry = registry_with(fixture_plugin("abi_v1_0_source"));
  std::vector<Diagnostic> diagnostics;
  CHECK(registry->validate_source(located(make_source("abi_v1_0", {{"anything", "x"}})), diagnostics)
            .is_ok());
  REQUIRE(diagnostics.size() == 1);
  CHECK(diagnostics[0].to_string() ==
        "catalogue.toml:9:1: note: the settings of source 'src' are not checked before fetching: "
        "plugin 'abi_v1_0' was built for plugin ABI 1.0 or 1.1, which has no validate function; "
        "rebuild it with plugin SDK 1.2 or later to have them checked [plugin.settings_unchecked]");
  auto source = registry->create_source(make_source("abi_v1_0", {}));
  CHECK(source.ok());
}

TEST_CASE("a validate function beyond the descriptor's struct_size is never called",
          "[plugin][validate][compat]") {
  auto registry = registry_with(fixture_plugin("validate_beyond_size"));
  auto library = registry->find("validate_beyond_size");
  REQUIRE(library);
  CHECK(library->descriptor().validate == nullptr);
  std::vector<Diagnostic> diagnostics;
  CHECK(registry->validate_source(located(make_source("validate_beyond_size", {})), diagnostics)
            .is_ok());
  REQUIRE(diagnostics.size() == 1);
  CHECK(diagnostics[0].code == "plugin.settings_unchecked");
  CHECK(diagnostics[0].severity == Severity::kNote);
}

TEST_CASE("an SDK plugin runs the declared checks before its constructor too",
          "[plugin][validate]") {
  TempDir dir;
  auto registry = registry_with(csv_plugin());
  auto created = registry->create_source(
      make_source("csv", {{"path", "x.csv"}, {"pth", "y"}, {"series", ""}}, dir.path()));
  REQUIRE_FALSE(created.ok());
  CHECK(created.status().message() ==
        "csv: unknown setting 'pth' for source 'src'; did you mean 'path'? (and 2 more problems "
        "with the settings)");
}
