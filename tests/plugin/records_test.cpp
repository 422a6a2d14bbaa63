// SPDX-License-Identifier: Apache-2.0
// Plugin ABI 1.1: the record sink (host side, C fixture), compatibility
// with plugins of ABI 1.0, and the SDK facing a host of ABI 1.0.
#include "catch.hpp"
#include "plugin/plugin_registry.hpp"
#include "plugin/source_handle.hpp"
#include "plugin_test_support.hpp"

#include <vitals/plugin/sdk.hpp>

#include <cstring>
#include <map>
#include <string>
#include <vector>

using namespace vitals;
using vitals::detail::DataSource;
using vitals::detail::FetchOutput;
using vitals::detail::PluginRegistry;
using vitals::testing::fixture_plugin;
using vitals::testing::kPeriodForms;
using vitals::testing::make_source;
using vitals::testing::obs;

namespace {

std::unique_ptr<PluginRegistry> registry_with(const char* name) {
  auto registry = std::make_unique<PluginRegistry>(vitals::detail::null_logger());
  std::vector<Diagnostic> diagnostics;
  REQUIRE(registry->load_file(fixture_plugin(name), true, diagnostics).is_ok());
  REQUIRE(diagnostics.empty());
  return registry;
}

Status fetch_mode(const std::string& mode, FetchOutput& out) {
  auto registry = registry_with("c_records");
  auto source = registry->create_source(make_source("c_records", {{"mode", mode}}));
  REQUIRE(source.ok());
  return (*source)->fetch(out);
}

}  // namespace

TEST_CASE("records pushed through the ABI arrive with their fields, period and location",
          "[plugin][records]") {
  FetchOutput out;
  Status status = fetch_mode("ok", out);
  INFO(status.to_string());
  REQUIRE(status.is_ok());
  CHECK(out.diagnostics.empty());
  REQUIRE(out.records.size() == 2);
  const Record& risk = out.records[0];
  CHECK(risk.kind == "risk");
  CHECK(risk.key == "RM1");
  CHECK(risk.period == Period::month(2017, 3));
  CHECK(risk.location == SourceLocation{"risks.csv", 2, 0});
  CHECK(risk.fields == std::map<std::string, RecordValue>{
                           {"current_impact", 3.0},
                           {"current_likelihood", 4.0},
                           {"prospects", std::string("amber")},
                           {"title", std::string("Failure in the care market (restated)")}});
  const Record& line = out.records[1];
  CHECK(line.kind == "budget_line");
  CHECK(line.key == "older_people");
  CHECK(std::get<double>(line.fields.at("forecast")) == 111914000);
  // Series and records mix in one fetch.
  REQUIRE(out.series.size() == 1);
  CHECK(out.series[0].observations == std::vector<Observation>{obs("2017-03", 1.5)});
}

TEST_CASE("bad records are located data errors that fail the fetch", "[plugin][records]") {
  struct Case {
    const char* mode;
    const char* code;
    std::string message;
    int line;
  };
  const Case cases[] = {
      {"bad_period", "data.bad_period",
       std::string("bad period for risk 'RM1': '2017-13' is not a period; ") + kPeriodForms, 2},
      {"duplicate", "data.duplicate_record",
       "risk 'RM1' for 2017-03 is delivered more than once (first on row 2)", 5},
      {"nan", "data.bad_value", "the original_impact of risk 'RM1' is not a finite number", 2},
      {"bad_score", "data.bad_record",
       "risk 'RM1' for 2017-03: field 'current_impact' must be a whole number from 1 to 5", 2},
  };
  for (const Case& c : cases) {
    INFO(c.mode);
    FetchOutput out;
    Status status = fetch_mode(c.mode, out);
    CHECK(status.code() == StatusCode::kParseError);
    CHECK(status.location() == SourceLocation{"risks.csv", c.line, 0});
    CHECK(out.records.empty());
    CHECK(out.series.empty());
    REQUIRE(out.diagnostics.size() == 1);
    CHECK(out.diagnostics[0] == Diagnostic::make(Severity::kError, c.code, c.message,
                                                 SourceLocation{"risks.csv", c.line, 0}));
  }
}

TEST_CASE("breaking the record protocol stops the fetch naming the broken promise",
          "[plugin][records]") {
  const std::pair<const char*, const char*> cases[] = {
      {"field_outside_record", "record_text called with no record open"},
      {"end_without_begin", "end_record called with no record open"},
      {"record_in_series", "begin_record called while series 'alpha' is still open"},
      {"nested_record", "begin_record called while risk 'RM1' is still open"},
      {"small_record", "begin_record called with a missing or too small vitals_record"},
      {"empty_key", "begin_record called with an empty key"},
  };
  for (const auto& [mode, reason] : cases) {
    INFO(mode);
    FetchOutput out;
    Status status = fetch_mode(mode, out);
    CHECK(status.code() == StatusCode::kPluginError);
    CHECK(status.message() == std::string("c_records: fetch stopped: ") + reason);
    CHECK(out.records.empty());
  }
}

TEST_CASE("a plugin built against plugin ABI 1.0 still loads and delivers its series",
          "[plugin][records][compat]") {
  auto registry = std::make_unique<PluginRegistry>(vitals::detail::null_logger());
  std::vector<Diagnostic> diagnostics;
  REQUIRE(registry->load_file(fixture_plugin("abi_v1_0_source"), true, diagnostics).is_ok());
  CHECK(diagnostics.empty());
  auto library = registry->find("abi_v1_0");
  REQUIRE(library);
  CHECK(library->abi_minor_required() == 0);
  auto source = registry->create_source(make_source("abi_v1_0", {}));
  REQUIRE(source.ok());
  FetchOutput out;
  REQUIRE((*source)->fetch(out).is_ok());
  CHECK(out.records.empty());
  REQUIRE(out.series.size() == 1);
  CHECK(out.series[0].key == "answer");
  CHECK(out.series[0].observations == std::vector<Observation>{obs("2017-03", 42.0)});
}

// ---------------------------------------------------------------------------
// The SDK in a plugin facing a host of ABI 1.0, simulated in-process: the
// host table ends before the record sink.

namespace {

struct OldHost {
  static inline std::string error;
  static inline int series_points = 0;
  static void log(vitals_call*, int, const char*, size_t) {}
  static void set_error(vitals_call*, int, const char* message, size_t len) {
    error.assign(message, len);
  }
  static int begin_series(vitals_call*, const char*, size_t) { return 0; }
  static int push_point(vitals_call*, const vitals_point*) {
    ++series_points;
    return 0;
  }
  static int end_series(vitals_call*) { return 0; }
  static int report_problem(vitals_call*, const vitals_problem*) { return 0; }
};

class RecordsSource final : public plugin::Source {
 public:
  explicit RecordsSource(const plugin::Settings& settings) : mode_(settings.get("mode", "")) {}
  void fetch(plugin::Sink& sink) override {
    if (mode_ == "series") {
      CHECK_FALSE(sink.supports_records());
      sink.series("alpha");
      sink.push("2017-03", 1.0);
      return;
    }
    sink.record("risk", "RM1", "2017-03");
  }

 private:
  std::string mode_;
};

}  // namespace

TEST_CASE("an SDK plugin facing an ABI 1.0 host fails clearly when it sends records",
          "[plugin][records][compat]") {
  vitals_host_api old_host{};
  old_host.struct_size = offsetof(vitals_host_api, begin_record);  // the 1.0 table
  old_host.abi_major = 1;
  old_host.abi_minor = 0;
  old_host.host_version = "0.0.9";
  old_host.log = &OldHost::log;
  old_host.set_error = &OldHost::set_error;
  old_host.begin_series = &OldHost::begin_series;
  old_host.push_point = &OldHost::push_point;
  old_host.end_series = &OldHost::end_series;
  old_host.report_problem = &OldHost::report_problem;

  static constexpr vitals_plugin_descriptor descriptor =
      plugin::detail::make_descriptor<RecordsSource>("records_sdk", "1.0.0", "test", 0);
  REQUIRE(plugin::detail::enter(&old_host, &descriptor) == &descriptor);
  CHECK(descriptor.abi_minor_required == 0);  // such a plugin still loads in a 1.0 host

  auto run = [&](const char* mode) {
    const std::string key = "mode";
    vitals_setting setting{key.c_str(), key.size(), mode, std::strlen(mode)};
    vitals_source_config config{};
    config.struct_size = sizeof config;
    config.settings = &setting;
    config.setting_count = 1;
    void* instance = nullptr;
    REQUIRE(descriptor.create(nullptr, &config, &instance) == VITALS_OK);
    int rc = descriptor.fetch(instance, nullptr);
    REQUIRE(descriptor.destroy(instance, nullptr) == VITALS_OK);
    return rc;
  };
  OldHost::error.clear();
  CHECK(run("records") == VITALS_ERROR);
  CHECK(OldHost::error ==
        "this host (plugin ABI 1.0) cannot receive records; they need plugin ABI 1.1 or later");
  // Series still work as before.
  OldHost::error.clear();
  OldHost::series_points = 0;
  CHECK(run("series") == VITALS_OK);
  CHECK(OldHost::series_points == 1);
  CHECK(OldHost::error.empty());
  plugin::detail::State::host = nullptr;  // old_host goes out of scope
}
