// SPDX-License-Identifier: Apache-2.0
#include "catch.hpp"
#include "plugin/plugin_registry.hpp"
#include "plugin/source_handle.hpp"
#include "plugin_test_support.hpp"

#include <vitals/observation.hpp>
#include <vitals/period.hpp>

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

using vitals::Diagnostic;
using vitals::Observation;
using vitals::Period;
using vitals::Severity;
using vitals::SourceLocation;
using vitals::Status;
using vitals::StatusCode;
using vitals::detail::DataSource;
using vitals::detail::FetchOutput;
using vitals::detail::PluginRegistry;
using vitals::detail::PluginSource;
using vitals::testing::CapturedLog;
using vitals::testing::fixture_plugin;
using vitals::testing::kPeriodForms;
using vitals::testing::make_source;
using vitals::testing::obs;

namespace {

// A registry with the named fixtures loaded.
std::unique_ptr<PluginRegistry> registry_with(
    std::initializer_list<const char*> names,
    std::shared_ptr<spdlog::logger> logger = vitals::detail::null_logger()) {
  auto registry = std::make_unique<PluginRegistry>(std::move(logger));
  std::vector<Diagnostic> diagnostics;
  for (const char* name : names) {
    REQUIRE(registry->load_file(fixture_plugin(name), true, diagnostics).is_ok());
  }
  REQUIRE(diagnostics.empty());
  return registry;
}

std::unique_ptr<DataSource> create(PluginRegistry& registry, const std::string& plugin,
                                   std::map<std::string, std::string> settings = {}) {
  auto source = registry.create_source(make_source(plugin, std::move(settings)));
  REQUIRE(source.ok());
  return std::move(source).value();
}

}  // namespace

TEST_CASE("a plugin's series arrive in push order, merged by key, missing numbers left empty",
          "[plugin][source]") {
  auto registry = registry_with({"good"});
  auto source = create(*registry, "good");
  FetchOutput out;
  Status status = source->fetch(out);
  REQUIRE(status.is_ok());
  CHECK(out.diagnostics.empty());
  REQUIRE(out.series.size() == 2);
  CHECK(out.series[0].key == "alpha");
  CHECK(out.series[0].observations == std::vector<Observation>{obs("2017-01", 1.0, 2.0, 3.0, 4.0),
                                                               obs("2017-02", std::nullopt),
                                                               obs("2017-03", 6.0)});
  CHECK(out.series[1].key == "beta");
  CHECK(out.series[1].observations == std::vector<Observation>{obs("2017-Q1", 5.0)});

  // A second fetch delivers the same again, appended.
  REQUIRE(source->fetch(out).is_ok());
  CHECK(out.series.size() == 4);
}

TEST_CASE("a bad period is rejected at the plugin's location, naming the column",
          "[plugin][source]") {
  auto registry = registry_with({"good"});
  auto source = create(*registry, "good", {{"mode", "bad_period"}});
  FetchOutput out;
  Status status = source->fetch(out);
  CHECK(status.code() == StatusCode::kParseError);
  CHECK(status.message() ==
        std::string("good: 2 errors in the data of source 'src'; the first: /data/x.csv:7:2: "
                    "bad period in column 'period': '2017-13' is not a period; ") +
            kPeriodForms);
  CHECK(status.location() == SourceLocation{"/data/x.csv", 7, 2});
  CHECK(out.series.empty());
  CHECK(out.diagnostics ==
        std::vector<Diagnostic>{
            Diagnostic::make(
                Severity::kError, "data.bad_period",
                std::string("bad period in column 'period': '2017-13' is not a period; ") +
                    kPeriodForms,
                SourceLocation{"/data/x.csv", 7, 2}),
            Diagnostic::make(
                Severity::kError, "data.bad_period",
                std::string("bad period in column 'period': 'Jan 2017' is not a period; ") +
                    kPeriodForms,
                SourceLocation{"/data/x.csv", 8, 2})});
}

TEST_CASE("located problems fail the fetch and every one is reported", "[plugin][source]") {
  auto registry = registry_with({"good"});
  auto source = create(*registry, "good", {{"mode", "problem"}});
  FetchOutput out;
  Status status = source->fetch(out);
  CHECK(status.code() == StatusCode::kParseError);
  CHECK(status.message() ==
        "good: 2 errors in the data of source 'src'; the first: /data/x.csv:3:4: bad cell");
  CHECK(out.series.empty());
  CHECK(
      out.diagnostics ==
      std::vector<Diagnostic>{Diagnostic::make(Severity::kError, "data.bad_value", "bad cell",
                                               SourceLocation{"/data/x.csv", 3, 4}),
                              Diagnostic::make(Severity::kWarning, "data.odd", "odd cell",
                                               SourceLocation{"/data/x.csv", 5, 1}),
                              Diagnostic::make(Severity::kError, "data.problem", "another bad cell",
                                               SourceLocation{"/data/x.csv", 9, 2})});
}

TEST_CASE("warnings alone do not fail a fetch", "[plugin][source]") {
  auto registry = registry_with({"good"});
  auto source = create(*registry, "good", {{"mode", "warning_only"}});
  FetchOutput out;
  REQUIRE(source->fetch(out).is_ok());
  REQUIRE(out.series.size() == 1);
  CHECK(out.diagnostics ==
        std::vector<Diagnostic>{Diagnostic::make(Severity::kWarning, "data.odd", "odd cell",
                                                 SourceLocation{"/data/x.csv", 5, 1})});
}

TEST_CASE("plugin log lines reach the host log and warnings and errors become diagnostics",
          "[plugin][source]") {
  CapturedLog log;
  auto registry = registry_with({"good"}, log.logger());
  auto source = create(*registry, "good", {{"mode", "log"}});
  FetchOutput out;
  REQUIRE(source->fetch(out).is_ok());
  CHECK(out.series.size() == 1);
  CHECK(out.diagnostics ==
        std::vector<Diagnostic>{
            Diagnostic::make(Severity::kWarning, "plugin.log", "good: careful"),
            Diagnostic::make(Severity::kError, "plugin.log", "good: logged error")});
  CHECK(log.contains("plugin good: created source 'src'"));
  CHECK(log.contains("plugin good: a debug line"));
  CHECK(log.contains("plugin good: logged error"));
}

TEST_CASE("diagnostics raised while creating arrive with the first fetch only",
          "[plugin][source]") {
  auto registry = registry_with({"good"});
  auto source = create(*registry, "good", {{"mode", "warn_in_create"}});
  FetchOutput first;
  REQUIRE(source->fetch(first).is_ok());
  CHECK(first.diagnostics ==
        std::vector<Diagnostic>{
            Diagnostic::make(Severity::kWarning, "plugin.log", "good: created with a warning")});
  FetchOutput second;
  REQUIRE(source->fetch(second).is_ok());
  CHECK(second.diagnostics.empty());
}

TEST_CASE("a period delivered twice in one series fails the fetch", "[plugin][source]") {
  auto registry = registry_with({"good"});
  auto source = create(*registry, "good", {{"mode", "duplicate_period"}});
  FetchOutput out;
  Status status = source->fetch(out);
  CHECK(status.code() == StatusCode::kParseError);
  CHECK(status.message() ==
        "good: 1 error in the data of source 'src'; the first: source 'src': series 'alpha' has "
        "more than one observation for period 2017-01");
  CHECK(out.diagnostics == std::vector<Diagnostic>{Diagnostic::make(
                               Severity::kError, "data.duplicate_period",
                               "source 'src': series 'alpha' has more than one observation "
                               "for period 2017-01")});
  CHECK(out.series.empty());
}

TEST_CASE("the host keeps at most 1000 diagnostics per call and counts the rest",
          "[plugin][source]") {
  auto registry = registry_with({"good"});
  auto source = create(*registry, "good", {{"mode", "many_problems"}});
  FetchOutput out;
  Status status = source->fetch(out);
  CHECK(status.code() == StatusCode::kParseError);
  CHECK(status.message() ==
        "good: 1500 errors in the data of source 'src'; the first: row 1: problem 1");
  REQUIRE(out.diagnostics.size() == 1001);
  CHECK(out.diagnostics[999].message == "problem 1000");
  CHECK(out.diagnostics[1000] ==
        Diagnostic::make(Severity::kWarning, "plugin.too_many_diagnostics",
                         "good: 500 more diagnostics from source 'src' were not recorded"));
}

TEST_CASE("settings, the source name and the base directory reach the plugin",
          "[plugin][source][sdk]") {
  auto registry = registry_with({"good"});
  auto keys_for = [&](std::map<std::string, std::string> settings) {
    auto def = make_source("good", std::move(settings), "/srv/catalogue");
    def.name = "dashboard";
    def.data_dirs = {"/abs"};  // a path may lead there too
    auto source = registry->create_source(def);
    REQUIRE(source.ok());
    FetchOutput out;
    REQUIRE((*source)->fetch(out).is_ok());
    std::vector<std::string> keys;
    for (const auto& s : out.series) keys.push_back(s.key);
    return keys;
  };
  CHECK(keys_for({{"mode", "echo"}, {"file", "data/../data/x.csv"}, {"zeta", "last, really"}}) ==
        std::vector<std::string>{"file=data/../data/x.csv", "mode=echo", "zeta=last, really",
                                 "source=dashboard", "base_dir=/srv/catalogue",
                                 "path=/srv/catalogue/data/x.csv"});
  CHECK(keys_for({{"mode", "echo"}, {"file", "/abs/y.csv"}}).back() == "path=/abs/y.csv");

  // Anywhere else, path() refuses the setting before the plugin reads it.
  auto def = make_source("good", {{"mode", "echo"}, {"file", "../etc/passwd"}}, "/srv/catalogue");
  auto source = registry->create_source(def);
  REQUIRE(source.ok());
  FetchOutput out;
  Status fetched = (*source)->fetch(out);
  REQUIRE_FALSE(fetched.is_ok());
  CHECK(fetched.message().find("setting 'file' ('../etc/passwd') leads to /srv/etc/passwd, outside "
                               "the catalogue folder /srv/catalogue;") != std::string::npos);
}

TEST_CASE("a failed create is a plugin error carrying the plugin's message", "[plugin][source]") {
  auto registry = registry_with({"good", "throws_in_create", "c_source"});
  auto attempt = [&](const std::string& plugin, std::map<std::string, std::string> settings) {
    auto def = make_source(plugin, std::move(settings));
    def.location = SourceLocation{"/cat/sources.toml", 12, 1};
    auto source = registry->create_source(def);
    REQUIRE_FALSE(source.ok());
    CHECK(source.status().code() == StatusCode::kPluginError);
    CHECK(source.status().location() == SourceLocation{"/cat/sources.toml", 12, 1});
    return source.status().message();
  };
  CHECK(attempt("good", {{"mode", "missing_setting"}}) ==
        "good: missing required setting 'required_setting'");
  CHECK(attempt("good", {{"mode", "config_error"}}) == "good: mode 'config_error' refuses");
  CHECK(attempt("throws_in_create", {}) == "throws_in_create: boom in create");
  CHECK(attempt("c_source", {{"mode", "create_fails"}}) == "c_source: the settings are wrong");
  CHECK(attempt("c_source", {{"mode", "no_instance"}}) ==
        "c_source: create returned VITALS_OK but no instance");
  CHECK(attempt("c_source", {{"mode", "silent_failure"}}) ==
        "c_source: create failed with VITALS_ERROR_IO and no message");
}

TEST_CASE("an unknown plugin is named together with the loaded ones", "[plugin][source]") {
  auto registry = registry_with({"good", "c_source"});
  auto def = make_source("nope", {});
  def.location = SourceLocation{"/cat/sources.toml", 3, 1};
  auto source = registry->create_source(def);
  CHECK(source.status().code() == StatusCode::kNotFound);
  CHECK(source.status().message() ==
        "source 'src' uses plugin 'nope', which is not loaded (loaded plugins: c_source, good)");
  CHECK(source.status().location() == SourceLocation{"/cat/sources.toml", 3, 1});

  PluginRegistry empty(vitals::detail::null_logger());
  CHECK(empty.create_source(make_source("csv", {})).status().message() ==
        "source 'src' uses plugin 'csv', which is not loaded (no plugins are loaded)");
}

TEST_CASE("a throw inside fetch becomes an error Status, not a crash", "[plugin][source]") {
  auto registry = registry_with({"throws_in_fetch", "throws_across_abi"});
  SECTION("a std::exception through the SDK") {
    auto source = create(*registry, "throws_in_fetch");
    for (int attempt = 0; attempt < 2; ++attempt) {
      FetchOutput out;
      Status status = source->fetch(out);
      CHECK(status.code() == StatusCode::kPluginError);
      CHECK(status.message() == "throws_in_fetch: boom in fetch");
      CHECK(out.series.empty());  // what it pushed before throwing is dropped
    }
  }
  SECTION("any other exception through the SDK") {
    auto source = create(*registry, "throws_in_fetch", {{"mode", "non_std"}});
    FetchOutput out;
    CHECK(source->fetch(out).message() ==
          "throws_in_fetch: an exception not derived from std::exception was thrown");
  }
  SECTION("an exception escaping a plugin without the SDK") {
    auto source = create(*registry, "throws_across_abi");
    FetchOutput out;
    Status status = source->fetch(out);
    CHECK(status.code() == StatusCode::kPluginError);
    CHECK(status.message() ==
          "throws_across_abi: fetch stopped: the plugin let an exception escape through the C "
          "ABI: escaped from fetch");
  }
}

TEST_CASE("the host enforces the sink protocol on plugins without the SDK", "[plugin][source]") {
  auto registry = registry_with({"c_source", "good"});
  auto fetch = [&](const std::string& plugin, const std::string& mode, FetchOutput& out) {
    return create(*registry, plugin, {{"mode", mode}})->fetch(out);
  };

  SECTION("a well-behaved C plugin; unflagged numbers are ignored, an open series is closed") {
    FetchOutput out;
    REQUIRE(fetch("c_source", "ok", out).is_ok());
    REQUIRE(out.series.size() == 1);
    CHECK(out.series[0].observations ==
          std::vector<Observation>{obs("2017-01", 1.0), obs("2017-02", std::nullopt, 3.0, 4.0)});
  }
  SECTION("broken promises stop the call with a plugin error") {
    struct Case {
      const char* plugin;
      const char* mode;
      const char* message;
    };
    const Case cases[] = {
        {"c_source", "push_outside_series",
         "c_source: fetch stopped: push_point called with no series open"},
        {"c_source", "end_without_begin",
         "c_source: fetch stopped: end_series called with no series open"},
        {"c_source", "nested_series",
         "c_source: fetch stopped: begin_series('beta') called while series 'alpha' is still open"},
        {"c_source", "small_point",
         "c_source: fetch stopped: push_point called with a missing or too small vitals_point"},
        {"c_source", "silent_fetch_failure",
         "c_source: fetch failed with VITALS_ERROR_IO and no message"},
        {"good", "empty_key", "good: fetch stopped: begin_series called with an empty key"},
        {"good", "push_first", "good: Sink::push called before Sink::series"},
        // The SDK's stop request is not a std::exception, so catch blocks in
        // plugin code cannot swallow it.
        {"good", "catch_everything", "good: fetch stopped: begin_series called with an empty key"},
    };
    for (const Case& c : cases) {
      INFO(c.mode);
      FetchOutput out;
      Status status = fetch(c.plugin, c.mode, out);
      CHECK(status.code() == StatusCode::kPluginError);
      CHECK(status.message() == c.message);
      CHECK(out.series.empty());
    }
  }

  SECTION("a non-finite number or an unlocated bad period is a data error naming the series") {
    FetchOutput nan_out;
    Status nan_status = fetch("c_source", "nan_value", nan_out);
    CHECK(nan_status.code() == StatusCode::kParseError);
    CHECK(nan_out.diagnostics == std::vector<Diagnostic>{Diagnostic::make(
                                     Severity::kError, "data.bad_value",
                                     "series 'alpha': the value for period 2017-01 is not a "
                                     "finite number")});
    FetchOutput period_out;
    CHECK(fetch("c_source", "unlocated_bad_period", period_out).code() == StatusCode::kParseError);
    CHECK(period_out.diagnostics == std::vector<Diagnostic>{Diagnostic::make(
                                        Severity::kError, "data.bad_period",
                                        std::string("series 'alpha': bad period: '2017-00' is not "
                                                    "a period; ") +
                                            kPeriodForms)});
  }
}

TEST_CASE("a source instance keeps its plugin library alive", "[plugin][source][lifetime]") {
  CapturedLog log;
  auto registry = registry_with({"good"}, log.logger());
  std::shared_ptr<const vitals::detail::PluginLibrary> library = registry->find("good");
  REQUIRE(library != nullptr);
  const long held_by_registry_and_test = library.use_count();
  CHECK(held_by_registry_and_test == 2);

  auto source = create(*registry, "good");
  auto* handle = dynamic_cast<PluginSource*>(source.get());
  REQUIRE(handle != nullptr);
  CHECK(handle->library() == library);
  CHECK(library.use_count() == 3);

  registry.reset();  // the engine is gone; the source is not
  CHECK(library.use_count() == 2);
  FetchOutput out;
  REQUIRE(source->fetch(out).is_ok());
  CHECK(out.series.size() == 2);

  source.reset();
  CHECK(library.use_count() == 1);
  CHECK(log.contains("plugin good: destroyed source 'src'"));
}

TEST_CASE("two registries can load and use the same plugin file", "[plugin][source][lifetime]") {
  auto first = registry_with({"good"});
  auto second = registry_with({"good"});
  auto a = create(*first, "good");
  auto b = create(*second, "good");
  FetchOutput out_a;
  FetchOutput out_b;
  REQUIRE(a->fetch(out_a).is_ok());
  first.reset();
  REQUIRE(b->fetch(out_b).is_ok());
  CHECK(out_a.series.size() == 2);
  CHECK(out_b.series.size() == 2);
}

TEST_CASE("describe lists series keys without data", "[plugin][source]") {
  auto registry = registry_with({"good", "throws_in_fetch"});
  auto source = create(*registry, "good");
  std::vector<std::string> keys;
  std::vector<Diagnostic> diagnostics;
  REQUIRE(dynamic_cast<PluginSource&>(*source).describe(keys, diagnostics).is_ok());
  CHECK(keys == std::vector<std::string>{"alpha", "beta"});
  CHECK(diagnostics.empty());

  auto plain = create(*registry, "throws_in_fetch");
  Status status = dynamic_cast<PluginSource&>(*plain).describe(keys, diagnostics);
  CHECK(status.code() == StatusCode::kNotFound);
  CHECK(status.message() ==
        "throws_in_fetch: the plugin cannot describe its series without fetching");
}

TEST_CASE("the example plugin loads and delivers its series", "[plugin][source][example]") {
  auto registry = registry_with({"hello_plugin"});
  CHECK(registry->plugin_names() == std::vector<std::string>{"hello"});
  auto source = create(*registry, "hello", {{"year", "2016"}});
  FetchOutput out;
  REQUIRE(source->fetch(out).is_ok());
  REQUIRE(out.series.size() == 1);
  CHECK(out.series[0].key == "hello.visits");
  CHECK(out.series[0].observations == std::vector<Observation>{obs("2016-01", 10.0),
                                                               obs("2016-02", 12.5, 25.0, 200.0),
                                                               obs("2016-03", std::nullopt)});

  auto bad = registry->create_source(make_source("hello", {{"year", "16"}}));
  CHECK(bad.status().message() == "hello: year must have four digits");
}
