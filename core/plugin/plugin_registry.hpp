// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "plugin/data_source.hpp"
#include "plugin/plugin_library.hpp"
#include "plugin/source_handle.hpp"

#include <vitals/catalogue.hpp>
#include <vitals/diagnostic.hpp>
#include <vitals/observation.hpp>
#include <vitals/options.hpp>
#include <vitals/status.hpp>

#include <spdlog/logger.h>

#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace vitals::detail {

/// Loaded plugins by name; lives as long as the engine (libraries themselves are never unloaded).
/// Thread safety: not safe for concurrent use.
class PluginRegistry {
 public:
  /// `policy` decides where sources run (isolation, in_process_dirs,
  /// timeout_s, host_program, require_safe_permissions); its other fields
  /// are not used here. Without one, every source runs in-process.
  explicit PluginRegistry(std::shared_ptr<spdlog::logger> logger);
  PluginRegistry(std::shared_ptr<spdlog::logger> logger, PluginPolicy policy);

  /// Loads every *.so in `dir` (sorted). Each failure is an error Diagnostic (code
  /// "plugin.load_error", "plugin.abi_mismatch", "plugin.abi_too_new", "plugin.unsafe_permissions",
  /// "plugin.duplicate_name", "plugin.bad_descriptor") naming the file; the others still load. When
  /// `require_safe_permissions` and the directory itself is unsafe, nothing
  /// in it is loaded and one "plugin.unsafe_permissions" names the directory.
  void load_directory(const std::filesystem::path& dir, bool require_safe_permissions,
                      std::vector<Diagnostic>& diagnostics);

  /// Loads one plugin file. Same diagnostics; returns an error Status (kPluginError) too.
  Status load_file(const std::filesystem::path& file, bool require_safe_permissions,
                   std::vector<Diagnostic>& diagnostics);

  std::vector<std::string> plugin_names() const;  // sorted

  /// The loaded plugin called `name`, or nullptr.
  std::shared_ptr<const PluginLibrary> find(std::string_view name) const;

  /// An instance of the plugin `source.plugin` configured with source.settings / source.base_dir.
  /// kNotFound naming the plugin and listing the loaded ones; kPluginError with the plugin's
  /// message when create fails (e.g. "csv: file not found: /x/y.csv"). Both carry source.location
  /// when it names a file. The instance keeps its plugin library loaded, even past this registry.
  /// The instance runs in its own process when source.isolation says so, or, when it is unset,
  /// when the policy's isolation is kProcess and the plugin was not loaded from one of its
  /// in_process_dirs; kPluginError when that process cannot be started.
  Result<std::unique_ptr<DataSource>> create_source(const SourceDefinition& source);

  /// Where `source` would run (see create_source).
  PluginIsolation isolation_of(const SourceDefinition& source, const PluginLibrary& plugin) const;
  /// How `source`'s plugin process is run, or nullopt when it runs in-process;
  /// an error when it is to run isolated and vitals-plugin-host is not found.
  Result<std::optional<ProcessSettings>> process_settings(const SourceDefinition& source,
                                                          const PluginLibrary& plugin) const;
  /// Checks source.settings with its plugin's validate function, without
  /// fetching (see validate_settings). kNotFound when the plugin is not loaded
  /// (nothing appended: the caller reports unknown plugins).
  Status validate_source(const SourceDefinition& source, std::vector<Diagnostic>& diagnostics);

 private:
  std::shared_ptr<spdlog::logger> logger_;
  PluginPolicy policy_;
  std::map<std::string, std::shared_ptr<const PluginLibrary>, std::less<>> plugins_;
};

}  // namespace vitals::detail
