// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "plugin/data_source.hpp"
#include "plugin/plugin_library.hpp"

#include <vitals/catalogue.hpp>
#include <vitals/diagnostic.hpp>
#include <vitals/status.hpp>

#include <spdlog/logger.h>

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

namespace vitals::detail {

class PluginProcess;

/// How an isolated source instance's process is run.
struct ProcessSettings {
  std::filesystem::path program;  // vitals-plugin-host
  double timeout_s = 300;         // the deadline of each call
  bool require_safe_permissions = true;
};

/// Checks `source`'s settings with the plugin's validate function (ABI 1.2)
/// without creating an instance or reading data. Each problem the plugin
/// reports is appended to `diagnostics`, located at the setting it names
/// (source.setting_locations) or else at the source; code "source.bad_setting"
/// unless the plugin gave one. A plugin without validate (built before ABI
/// 1.2) gets one note, "plugin.settings_unchecked", and OK. Returns
/// kValidationError when a problem was an error, kPluginError (also appended
/// as a diagnostic) when validate failed without naming a problem.
/// With `isolated`, validate runs in the plugin's own process, so a plugin
/// that crashes, exits or hangs there fails only this check.
Status validate_settings(const PluginLibrary& library, const SourceDefinition& source,
                         spdlog::logger& logger, std::vector<Diagnostic>& diagnostics,
                         const ProcessSettings* isolated = nullptr);

/// One source instance created by a plugin: RAII over the plugin's
/// create/destroy, turning the plugin's codes, messages, problems and data
/// into Status, Diagnostics and Series. Holds a shared_ptr to its library,
/// so the plugin's code stays loaded while the instance exists.
/// Thread safety: not safe for concurrent use.
class PluginSource final : public DataSource {
 public:
  /// Calls the plugin's create with `source`'s settings (sorted by key) and
  /// base_dir. kPluginError "<plugin>: <message>" when create fails; the
  /// Status carries source.location when it names a file. Diagnostics the
  /// plugin raised while creating (warnings, log lines) are delivered with
  /// the first fetch. With `isolated`, the plugin's functions run in a
  /// process of their own (plugin_process.hpp): a crash, exit or missed
  /// deadline there fails the call with the reason, as a plugin error.
  static Result<std::unique_ptr<PluginSource>> create(
      std::shared_ptr<const PluginLibrary> library, const SourceDefinition& source,
      std::shared_ptr<spdlog::logger> logger, const ProcessSettings* isolated = nullptr);

  /// Calls the plugin's destroy unless close() did; a failure is logged.
  ~PluginSource() override;
  PluginSource(const PluginSource&) = delete;
  PluginSource& operator=(const PluginSource&) = delete;

  /// See DataSource::fetch. Appends to `out`; on error appends only
  /// diagnostics, never series. Errors: kParseError when the data had
  /// error problems (bad rows, bad periods, non-finite numbers, a period
  /// twice in one series), with the first one's location; kPluginError when
  /// the plugin failed ("<plugin>: <its message>"), threw, or broke the ABI's
  /// protocol.
  Status fetch(FetchOutput& out) override;

  /// See DataSource::fetch_streamed. The host checks each point as it
  /// arrives (period, finite figures, a period repeated within a series) and
  /// writes batches only while the data has no error. Errors as for fetch();
  /// when `write` fails, its Status (and the plugin is asked to stop).
  Status fetch_streamed(FetchOutput& out, const SeriesBatchWriter& write,
                        std::size_t batch_points = kDefaultBatchPoints) override;

  /// The series keys the source would deliver, without their data, appended
  /// to `keys`. kNotFound when the plugin does not implement describe; other
  /// errors as for fetch, with problems appended to `diagnostics`.
  Status describe(std::vector<std::string>& keys, std::vector<Diagnostic>& diagnostics);

  /// Calls the plugin's destroy (once); what went wrong (a failure, a
  /// crash of an isolated plugin) is appended to `diagnostics` as warnings.
  void close(std::vector<Diagnostic>& diagnostics) override;

  const std::shared_ptr<const PluginLibrary>& library() const { return library_; }
  const std::string& source_name() const { return source_name_; }
  /// True when the plugin runs in a process of its own.
  bool isolated() const { return process_ != nullptr; }

 private:
  PluginSource(std::shared_ptr<const PluginLibrary> library, std::string source_name,
               std::shared_ptr<spdlog::logger> logger, void* instance,
               std::vector<Diagnostic> pending, std::unique_ptr<PluginProcess> process);

  // Runs the plugin's describe, fetch or destroy in this process or in the
  // plugin's own.
  int run(vitals_call& call);

  std::shared_ptr<const PluginLibrary> library_;
  std::string source_name_;
  std::shared_ptr<spdlog::logger> logger_;
  void* instance_;
  std::vector<Diagnostic> pending_;  // from create, delivered with the first fetch
  std::unique_ptr<PluginProcess> process_;  // null when in-process
  bool closed_ = false;
  PeriodForm period_form_ = PeriodForm::kCanonical;  // the source's, for every fetch

  // The Status of a finished fetch call; moves its diagnostics to `out`.
  Status finish_fetch(vitals_call& call, int rc, FetchOutput& out);
};

}  // namespace vitals::detail
