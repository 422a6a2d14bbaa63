// SPDX-License-Identifier: Apache-2.0
// Hostile plugins: lengths are checked before anything is copied, and an
// isolated plugin that crashes, aborts, exits or hangs fails only its source.
#include "catch.hpp"
#include "plugin/host_api.hpp"
#include "plugin/plugin_registry.hpp"
#include "plugin/source_handle.hpp"
#include "plugin_test_support.hpp"
#include "support/temp_dir.hpp"

#include <vitals/options.hpp>

#include <algorithm>
#include <chrono>
#include <map>
#include <memory>
#include <string>
#include <vector>

using vitals::Diagnostic;
using vitals::PluginIsolation;
using vitals::PluginPolicy;
using vitals::Severity;
using vitals::SourceDefinition;
using vitals::Status;
using vitals::StatusCode;
using vitals::detail::DataSource;
using vitals::detail::FetchOutput;
using vitals::detail::PluginRegistry;
using vitals::testing::fixture_plugin;
using vitals::testing::make_source;
using vitals::testing::TempDir;

namespace {

using Clock = std::chrono::steady_clock;

PluginPolicy policy(PluginIsolation isolation, double timeout_s = 60) {
  PluginPolicy p;
  p.isolation = isolation;
  p.timeout_s = timeout_s;
  p.host_program = VITALS_BINARY_DIR "/vitals-plugin-host";
  return p;
}

std::unique_ptr<PluginRegistry> registry(PluginIsolation isolation, double timeout_s = 60) {
  auto r =
      std::make_unique<PluginRegistry>(vitals::detail::null_logger(), policy(isolation, timeout_s));
  std::vector<Diagnostic> diagnostics;
  for (const char* name : {"hostile", "c_source", "c_records", "good"}) {
    REQUIRE(r->load_file(fixture_plugin(name), true, diagnostics).is_ok());
  }
  for (const char* name : {"csv_source", "records_csv"}) {
    REQUIRE(r->load_file(std::filesystem::path(VITALS_PLUGIN_DIR) / (std::string(name) + ".so"),
                         true, diagnostics)
                .is_ok());
  }
  REQUIRE(diagnostics.empty());
  return r;
}

std::unique_ptr<DataSource> create(PluginRegistry& r, const std::string& plugin,
                                   std::map<std::string, std::string> settings,
                                   std::filesystem::path base = {}) {
  auto source = r.create_source(make_source(plugin, std::move(settings), std::move(base)));
  INFO(source.status().to_string());
  REQUIRE(source.ok());
  return std::move(source).value();
}

const Diagnostic* find(const std::vector<Diagnostic>& diagnostics, const std::string& code) {
  auto it = std::find_if(diagnostics.begin(), diagnostics.end(),
                         [&](const Diagnostic& d) { return d.code == code; });
  return it == diagnostics.end() ? nullptr : &*it;
}

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

// No text the host kept holds more of the plugin's memory than a limit allows.
bool nothing_over_limit(const Status& status, const std::vector<Diagnostic>& diagnostics) {
  const std::string run(vitals::detail::kMaxPluginNameBytes + 1, 'x');
  if (contains(status.message(), run)) return false;
  return std::none_of(diagnostics.begin(), diagnostics.end(),
                      [&](const Diagnostic& d) { return contains(d.message, run); });
}

// Everything a fetch produced, as text, to compare in-process and isolated runs.
std::string outcome(const Status& status, const FetchOutput& out) {
  std::string text = status.to_string() + "\n";
  for (const Diagnostic& d : out.diagnostics) text += d.to_string() + "\n";
  for (const vitals::Series& s : out.series) {
    text += "series " + s.key + ":";
    for (const vitals::Observation& o : s.observations) {
      text += " " + o.period.to_string() + "=" + (o.value ? std::to_string(*o.value) : "-") + "/" +
              (o.numerator ? std::to_string(*o.numerator) : "-") + "/" +
              (o.denominator ? std::to_string(*o.denominator) : "-") + "/" +
              (o.target ? std::to_string(*o.target) : "-");
    }
    text += "\n";
  }
  for (const vitals::Record& r : out.records) {
    text += "record " + r.kind + " " + r.key + " " + r.period.to_string() + " " +
            std::to_string(r.fields.size()) + " fields\n";
  }
  return text;
}

}  // namespace

TEST_CASE("lengths a plugin passes are checked against the limits before anything is copied",
          "[plugin][isolation][hostile]") {
  const auto isolation = GENERATE(PluginIsolation::kNone, PluginIsolation::kProcess);
  auto r = registry(isolation);

  SECTION("an error message longer than the limit is not read") {
    auto created = r->create_source(make_source("hostile", {{"mode", "lying_error"}}));
    REQUIRE_FALSE(created.ok());
    CHECK(created.status().message() ==
          "hostile: (set_error was passed a message of 100000 bytes, over the limit of 4096 "
          "bytes; it was not read)");
  }
  SECTION("a series key longer than the limit stops the fetch") {
    auto source = create(*r, "hostile", {{"mode", "lying_key"}});
    FetchOutput out;
    Status status = source->fetch(out);
    CHECK(status.code() == StatusCode::kPluginError);
    CHECK(status.message() ==
          "hostile: fetch stopped: begin_series was passed a key of 100000 bytes, over the limit "
          "of 4096 bytes");
    CHECK(nothing_over_limit(status, out.diagnostics));
  }
  SECTION("a log line longer than the limit is replaced by a notice") {
    auto source = create(*r, "hostile", {{"mode", "lying_log"}});
    FetchOutput out;
    Status status = source->fetch(out);
    CHECK(status.is_ok());
    const Diagnostic* log = find(out.diagnostics, "plugin.log");
    REQUIRE(log != nullptr);
    CHECK(log->message ==
          "hostile: (log was passed a line of 100000 bytes, over the limit of 4096 bytes; it was "
          "not read)");
    CHECK(nothing_over_limit(status, out.diagnostics));
  }
}

TEST_CASE("an isolated plugin delivers exactly what it delivers in-process",
          "[plugin][isolation]") {
  TempDir dir;
  dir.write("data.csv",
            "indicator_id,period,value,numerator,denominator,target\n"
            "a,2017-01,1.5,3,2,\n"
            "a,2017-02,,,,4\n"
            "b,2017-Q1,7,,,\n"
            "b,2017-13,8,,,\n");
  dir.write("ok.csv", "indicator_id,period,value\na,2017-01,1\na,2017-02,2\n");
  const std::string shared = VITALS_SOURCE_DIR "/examples/norfolk/data/";
  // Sources read inside their catalogue folder only: the example's register is copied there.
  std::filesystem::copy_file(shared + "risks.csv", dir.path() / "risks.csv");
  struct Case {
    const char* plugin;
    std::map<std::string, std::string> settings;
  };
  const std::vector<Case> cases = {
      {"c_source", {{"mode", "ok"}}},
      {"c_source", {{"mode", "push_outside_series"}}},
      {"c_source", {{"mode", "end_without_begin"}}},
      {"c_source", {{"mode", "silent_fetch_failure"}}},
      {"c_source", {{"mode", "nan_value"}}},
      {"c_source", {{"mode", "small_point"}}},
      {"c_source", {{"mode", "nested_series"}}},
      {"c_source", {{"mode", "unlocated_bad_period"}}},
      {"c_records", {{"mode", "ok"}}},
      {"c_records", {{"mode", "small_record"}}},
      {"c_records", {{"mode", "empty_key"}}},
      {"c_records", {{"mode", "bad_period"}}},
      {"c_records", {{"mode", "nan"}}},
      {"c_records", {{"mode", "duplicate"}}},
      {"good", {}},
      {"csv", {{"path", "data.csv"}}},
      {"csv", {{"path", "ok.csv"}, {"encoding", "windows-1252"}}},
      {"records_csv", {{"kind", "risks"}, {"path", "risks.csv"}, {"period", "2017-03"}}},
  };
  auto r = registry(PluginIsolation::kProcess);
  for (const Case& c : cases) {
    INFO(c.plugin << " " << (c.settings.empty() ? "" : c.settings.begin()->second));
    std::map<PluginIsolation, std::string> outcomes;
    for (PluginIsolation isolation : {PluginIsolation::kNone, PluginIsolation::kProcess}) {
      SourceDefinition def = make_source(c.plugin, c.settings, dir.path());
      def.isolation = isolation;  // the shipped plugins too
      auto source = r->create_source(def);
      REQUIRE(source.ok());
      auto* plugin_source = dynamic_cast<vitals::detail::PluginSource*>(source->get());
      REQUIRE(plugin_source != nullptr);
      CHECK(plugin_source->isolated() == (isolation == PluginIsolation::kProcess));
      FetchOutput out;
      Status status = (*source)->fetch(out);
      (*source)->close(out.diagnostics);
      outcomes[isolation] = outcome(status, out);
    }
    CHECK(outcomes[PluginIsolation::kProcess] == outcomes[PluginIsolation::kNone]);
  }
}

TEST_CASE("an isolated plugin that crashes, aborts or exits fails only its source, named",
          "[plugin][isolation][hostile]") {
  auto r = registry(PluginIsolation::kProcess);
  const auto started = Clock::now();

  SECTION("a crash in create") {
    auto created = r->create_source(make_source("hostile", {{"mode", "crash_create"}}));
    REQUIRE_FALSE(created.ok());
    CHECK(created.status().code() == StatusCode::kPluginError);
    CHECK(created.status().message() ==
          "hostile: create stopped: its process was killed by signal 11 (Segmentation fault)");
  }
  SECTION("a crash in describe") {
    auto source = r->create_source(make_source("hostile", {{"mode", "crash_describe"}}));
    REQUIRE(source.ok());
    auto* plugin_source = dynamic_cast<vitals::detail::PluginSource*>(source->get());
    REQUIRE(plugin_source != nullptr);
    std::vector<std::string> keys;
    std::vector<Diagnostic> diagnostics;
    Status status = plugin_source->describe(keys, diagnostics);
    CHECK(status.message() ==
          "hostile: describe stopped: its process was killed by signal 11 (Segmentation fault)");
    const Diagnostic* d = find(diagnostics, "plugin.crashed");
    REQUIRE(d != nullptr);
    CHECK(d->message ==
          "plugin 'hostile' failed in source 'src' during describe: its process was killed by "
          "signal 11 (Segmentation fault); the source is reported failed");
    CHECK(keys.empty());
    // Later calls fail at once, with the same reason.
    FetchOutput out;
    CHECK(plugin_source->fetch(out).message() ==
          "hostile: fetch stopped: the plugin's process has already failed: its process was "
          "killed by signal 11 (Segmentation fault)");
  }
  SECTION("a crash, an abort, a stack overflow or an exit in fetch") {
    struct Case {
      const char* mode;
      const char* reason;
    };
    for (const Case& c :
         {Case{"crash_fetch", "was killed by signal 11 (Segmentation fault)"},
          Case{"abort_fetch", "was killed by signal 6 (Aborted)"},
          Case{"stack_overflow_fetch", "was killed by signal 11 (Segmentation fault)"},
          Case{"exit0_fetch", "exited with status 0 before the plugin's function returned"}}) {
      INFO(c.mode);
      auto source = create(*r, "hostile", {{"mode", c.mode}});
      FetchOutput out;
      Status status = source->fetch(out);
      CHECK(status.code() == StatusCode::kPluginError);
      CHECK(status.message() == std::string("hostile: fetch stopped: its process ") + c.reason);
      const Diagnostic* d = find(out.diagnostics, "plugin.crashed");
      REQUIRE(d != nullptr);
      CHECK(d->severity == Severity::kError);
      CHECK(d->message == std::string("plugin 'hostile' failed in source 'src' during fetch: its "
                                      "process ") +
                              c.reason + "; the source is reported failed");
      CHECK(out.series.empty());
      std::vector<Diagnostic> closing;
      source->close(closing);
      CHECK(closing.empty());
    }
  }
  SECTION("a crash in destroy, after a good fetch") {
    auto source = create(*r, "hostile", {{"mode", "crash_destroy"}});
    FetchOutput out;
    REQUIRE(source->fetch(out).is_ok());
    CHECK(out.series.size() == 1);
    std::vector<Diagnostic> closing;
    source->close(closing);
    const Diagnostic* d = find(closing, "plugin.crashed");
    REQUIRE(d != nullptr);
    CHECK(d->severity == Severity::kWarning);
    CHECK(d->message ==
          "plugin 'hostile' failed in source 'src' during destroy: its process was killed by "
          "signal 11 (Segmentation fault); the source is reported failed");
  }
  // Still here, and quickly.
  CHECK(Clock::now() - started < std::chrono::seconds(20));
}

TEST_CASE("an isolated fetch that passes its deadline is stopped and the source fails",
          "[plugin][isolation][hostile]") {
  auto r = registry(PluginIsolation::kProcess, /*timeout_s=*/60);
  SourceDefinition def = make_source("hostile", {{"mode", "hang_fetch"}});
  def.timeout_s = 1;  // the source's own setting wins over the policy's
  auto source = r->create_source(def);
  REQUIRE(source.ok());
  const auto started = Clock::now();
  FetchOutput out;
  Status status = (*source)->fetch(out);
  const auto took = Clock::now() - started;
  CHECK(status.message() ==
        "hostile: fetch stopped: it did not finish its fetch within 1 s (the source's timeout_s); "
        "its process was stopped");
  const Diagnostic* d = find(out.diagnostics, "plugin.timeout");
  REQUIRE(d != nullptr);
  CHECK(d->message ==
        "plugin 'hostile' failed in source 'src' during fetch: it did not finish its fetch within "
        "1 s (the source's timeout_s); its process was stopped; the source is reported failed");
  CHECK(took >= std::chrono::milliseconds(900));
  CHECK(took < std::chrono::seconds(10));
}

TEST_CASE("validate runs in the plugin's process when isolated, with the same diagnostics",
          "[plugin][isolation][validate]") {
  TempDir dir;
  dir.write("data/ok.csv", "indicator_id,period,value\n");
  auto in_process = registry(PluginIsolation::kNone);
  auto isolated = registry(PluginIsolation::kProcess);
  const std::vector<std::map<std::string, std::string>> cases = {
      {{"paht", "data/x.csv"}},                         // misspelt, and path missing
      {{"path", "data/none.csv"}, {"value_column", ""}},  // no such file, empty setting
      {{"path", "data/ok.csv"}},                        // fine
  };
  for (const auto& settings : cases) {
    SourceDefinition def = make_source("csv", settings, dir.path());
    def.location = vitals::SourceLocation{"catalogue.toml", 9, 1};
    int line = 10;
    for (const auto& entry : def.settings) def.setting_locations[entry.first] = {"catalogue.toml", line++, 1};
    std::vector<Diagnostic> expected;
    Status expected_status = in_process->validate_source(def, expected);
    def.isolation = PluginIsolation::kProcess;
    REQUIRE(isolated->isolation_of(def, *isolated->find("csv")) == PluginIsolation::kProcess);
    std::vector<Diagnostic> got;
    Status status = isolated->validate_source(def, got);
    CHECK(status.code() == expected_status.code());
    REQUIRE(got.size() == expected.size());
    for (std::size_t i = 0; i < got.size(); ++i) CHECK(got[i].to_string() == expected[i].to_string());
  }
}

TEST_CASE("an isolated validate that crashes or hangs fails only its source, named",
          "[plugin][isolation][validate][hostile]") {
  auto r = registry(PluginIsolation::kProcess, /*timeout_s=*/60);
  for (const char* mode : {"crash_validate", "hang_validate"}) {
    INFO(mode);
    SourceDefinition def = make_source("hostile", {{"mode", mode}});
    def.timeout_s = 1;
    std::vector<Diagnostic> diagnostics;
    const auto started = Clock::now();
    Status status = r->validate_source(def, diagnostics);
    CHECK(Clock::now() - started < std::chrono::seconds(10));
    CHECK_FALSE(status.is_ok());
    CHECK(status.message().find("hostile") != std::string::npos);
    CHECK(status.message().find("validate") != std::string::npos);
    std::string all;
    for (const Diagnostic& d : diagnostics) all += d.to_string() + "\n";
    INFO(all);
    CHECK(all.find("plugin 'hostile' failed in source 'src' during validate") != std::string::npos);
  }
  // The registry goes on: an honest source of the same plugin still validates.
  std::vector<Diagnostic> diagnostics;
  CHECK(r->validate_source(make_source("hostile", {{"mode", "ok"}}), diagnostics).is_ok());
  CHECK(diagnostics.empty());
}

TEST_CASE("where a source runs: its own setting, else shipped plugins in-process, else the policy",
          "[plugin][isolation]") {
  auto r = registry(PluginIsolation::kProcess);
  SourceDefinition def = make_source("hostile", {});
  CHECK(r->isolation_of(def, *r->find("hostile")) == PluginIsolation::kProcess);
  CHECK(r->isolation_of(def, *r->find("csv")) == PluginIsolation::kNone);
  def.isolation = PluginIsolation::kNone;
  CHECK(r->isolation_of(def, *r->find("hostile")) == PluginIsolation::kNone);
  def.isolation = PluginIsolation::kProcess;
  CHECK(r->isolation_of(def, *r->find("csv")) == PluginIsolation::kProcess);
  auto in_process = registry(PluginIsolation::kNone);
  CHECK(in_process->isolation_of(make_source("hostile", {}), *in_process->find("hostile")) ==
        PluginIsolation::kNone);
}

TEST_CASE("an honest plugin's problem with a huge cell is reported, within the host's limit",
          "[plugin][hostile]") {
  TempDir dir;
  dir.write("data.csv", "indicator_id,period,value\na,2017-01," + std::string(6000, 'x') + "\n");
  auto r = registry(PluginIsolation::kNone);
  auto source = create(*r, "csv", {{"path", "data.csv"}}, dir.path());
  FetchOutput out;
  Status status = source->fetch(out);
  CHECK(status.code() == StatusCode::kParseError);
  const Diagnostic* d = find(out.diagnostics, "data.bad_value");
  REQUIRE(d != nullptr);
  CHECK(d->location == vitals::SourceLocation{(dir.path() / "data.csv").string(), 2, 3});
  CHECK(d->message.size() <= vitals::detail::kMaxPluginNameBytes);
  CHECK(d->message.rfind("bad number in column 'value': 'xxxx", 0) == 0);
}
