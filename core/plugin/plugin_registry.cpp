// SPDX-License-Identifier: Apache-2.0
#include "plugin/plugin_registry.hpp"

#include "plugin/plugin_loader.hpp"
#include "plugin/plugin_process.hpp"
#include "plugin/source_handle.hpp"

#include <algorithm>
#include <system_error>
#include <utility>

namespace vitals::detail {

namespace fs = std::filesystem;

namespace {

PluginPolicy in_process_policy() {
  PluginPolicy policy;
  policy.isolation = PluginIsolation::kNone;
  return policy;
}

fs::path canonical_or_same(const fs::path& p) {
  std::error_code ec;
  fs::path c = fs::weakly_canonical(p, ec);
  return ec ? p.lexically_normal() : c;
}

}  // namespace

PluginRegistry::PluginRegistry(std::shared_ptr<spdlog::logger> logger)
    : PluginRegistry(std::move(logger), in_process_policy()) {}

PluginRegistry::PluginRegistry(std::shared_ptr<spdlog::logger> logger, PluginPolicy policy)
    : logger_(std::move(logger)), policy_(std::move(policy)) {
  // The plugins shipped with Vitals run in-process unless a source says otherwise.
  for (fs::path& dir : shipped_plugin_dirs()) policy_.in_process_dirs.push_back(std::move(dir));
}

PluginIsolation PluginRegistry::isolation_of(const SourceDefinition& source,
                                             const PluginLibrary& plugin) const {
  if (source.isolation) return *source.isolation;
  const fs::path dir = canonical_or_same(plugin.path().parent_path());
  for (const fs::path& trusted : policy_.in_process_dirs) {
    if (canonical_or_same(trusted) == dir) return PluginIsolation::kNone;
  }
  return policy_.isolation;
}

void PluginRegistry::load_directory(const fs::path& dir, bool require_safe_permissions,
                                    std::vector<Diagnostic>& diagnostics) {
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) {
    std::string message = "cannot load plugins from " + dir.string() + ": " +
                          (fs::exists(dir, ec) ? "it is not a directory" : "no such directory");
    logger_->error("{}", message);
    diagnostics.push_back(plugin_diagnostic("plugin.load_error", std::move(message), dir));
    return;
  }
  if (require_safe_permissions) {
    Status safe = check_safe_permissions(dir);
    if (!safe.is_ok()) {
      std::string message = "refusing to load plugins from directory " + dir.string() + ": " +
                            safe.message() +
                            "; a plugin directory must be owned by root or the user running "
                            "Vitals and writable only by its owner";
      logger_->error("{}", message);
      diagnostics.push_back(
          plugin_diagnostic("plugin.unsafe_permissions", std::move(message), dir));
      return;
    }
  }

  std::vector<fs::path> files;
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    const fs::path& p = it->path();
    std::error_code type_ec;
    if (p.extension() == ".so" && it->is_regular_file(type_ec)) files.push_back(p);
  }
  if (ec) {
    std::string message = "cannot list plugin directory " + dir.string() + ": " + ec.message();
    logger_->error("{}", message);
    diagnostics.push_back(plugin_diagnostic("plugin.load_error", std::move(message), dir));
  }
  std::sort(files.begin(), files.end(),
            [](const fs::path& a, const fs::path& b) { return a.filename() < b.filename(); });
  for (const fs::path& file : files) {
    (void)load_file(file, require_safe_permissions, diagnostics);
  }
}

Status PluginRegistry::load_file(const fs::path& file, bool require_safe_permissions,
                                 std::vector<Diagnostic>& diagnostics) {
  // The same file named twice (a --plugin-dir that is also a default
  // directory, or reached through a link) is one plugin, loaded once.
  const fs::path same = canonical_or_same(file);
  for (const auto& [name, plugin] : plugins_) {
    if (canonical_or_same(plugin->path()) == same) {
      logger_->debug("plugin {} is already loaded as '{}'", file.string(), name);
      return Status::ok();
    }
  }
  auto loaded = load_plugin_library(file, require_safe_permissions, *logger_, diagnostics);
  if (!loaded.ok()) return loaded.status();
  std::shared_ptr<const PluginLibrary> plugin = std::move(loaded).value();
  if (auto it = plugins_.find(plugin->name()); it != plugins_.end()) {
    std::string message = plugin->label() + " was not loaded: the name '" + plugin->name() +
                          "' is already taken by " + it->second->path().string();
    logger_->error("{} [plugin.duplicate_name]", message);
    diagnostics.push_back(plugin_diagnostic("plugin.duplicate_name", message, plugin->path()));
    return Status(StatusCode::kPluginError, std::move(message));
  }
  plugins_.emplace(plugin->name(), std::move(plugin));
  return Status::ok();
}

std::vector<std::string> PluginRegistry::plugin_names() const {
  std::vector<std::string> names;
  names.reserve(plugins_.size());
  for (const auto& entry : plugins_) names.push_back(entry.first);
  return names;
}

std::shared_ptr<const PluginLibrary> PluginRegistry::find(std::string_view name) const {
  auto it = plugins_.find(name);
  return it == plugins_.end() ? nullptr : it->second;
}

Result<std::optional<ProcessSettings>> PluginRegistry::process_settings(
    const SourceDefinition& source, const PluginLibrary& plugin) const {
  std::optional<ProcessSettings> process;
  if (isolation_of(source, plugin) == PluginIsolation::kProcess) {
    process.emplace();
    process->timeout_s = source.timeout_s.value_or(policy_.timeout_s);
    process->require_safe_permissions = policy_.require_safe_permissions;
    process->program = policy_.host_program;
    if (process->program.empty()) {
      auto found = find_plugin_host_program();
      if (!found.ok()) {
        std::optional<SourceLocation> location;
        if (!source.location.file.empty()) location = source.location;
        return Status(StatusCode::kPluginError,
                      "source '" + source.name + "' is to run isolated, but " +
                          found.status().message(),
                      std::move(location));
      }
      process->program = std::move(found).value();
    }
  }
  return process;
}

Result<std::unique_ptr<DataSource>> PluginRegistry::create_source(const SourceDefinition& source) {
  std::shared_ptr<const PluginLibrary> plugin = find(source.plugin);
  if (plugin == nullptr) {
    std::string loaded;
    for (const auto& entry : plugins_) loaded += (loaded.empty() ? "" : ", ") + entry.first;
    std::string message =
        "source '" + source.name + "' uses plugin '" + source.plugin + "', which is not loaded (" +
        (loaded.empty() ? std::string("no plugins are loaded") : "loaded plugins: " + loaded) + ")";
    std::optional<SourceLocation> location;
    if (!source.location.file.empty()) location = source.location;
    return Status(StatusCode::kNotFound, std::move(message), std::move(location));
  }
  auto process = process_settings(source, *plugin);
  if (!process.ok()) return process.status();
  auto created = PluginSource::create(std::move(plugin), source, logger_,
                                      process->has_value() ? &**process : nullptr);
  if (!created.ok()) return created.status();
  return std::unique_ptr<DataSource>(std::move(created).value());
}

Status PluginRegistry::validate_source(const SourceDefinition& source,
                                       std::vector<Diagnostic>& diagnostics) {
  std::shared_ptr<const PluginLibrary> plugin = find(source.plugin);
  if (plugin == nullptr) {
    return Status(StatusCode::kNotFound, "plugin '" + source.plugin + "' is not loaded");
  }
  if (plugin->descriptor().validate == nullptr) {
    return validate_settings(*plugin, source, *logger_, diagnostics);  // the note, in-process
  }
  auto process = process_settings(source, *plugin);
  if (!process.ok()) {
    diagnostics.push_back(Diagnostic::make(Severity::kError, "source.bad_setting",
                                           process.status().message(), process.status().location()));
    return process.status();
  }
  return validate_settings(*plugin, source, *logger_, diagnostics,
                           process->has_value() ? &**process : nullptr);
}

}  // namespace vitals::detail
