// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <vitals/plugin/abi.h>

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace boost::dll {
class shared_library;
}

namespace vitals::detail {

/// A loaded plugin library that passed the ABI handshake: its identity and a
/// copy of its descriptor. Holding a PluginLibrary (through shared_ptr, as
/// every source instance does) keeps the shared library loaded, so the
/// descriptor's function pointers stay valid (Boost.DLL's "library-holding
/// deleter" pattern). In addition, loaded libraries are retained until the
/// process exits: Vitals never unloads plugin code.
/// Thread safety: immutable after construction; safe to share.
class PluginLibrary {
 public:
  /// REQUIRES: `descriptor` passed the handshake (its struct_size covers
  /// every field up to `destroy`, the strings are non-null).
  PluginLibrary(std::filesystem::path path, std::shared_ptr<boost::dll::shared_library> library,
                const vitals_plugin_descriptor& descriptor);

  const std::filesystem::path& path() const { return path_; }
  const std::string& name() const { return name_; }
  const std::string& version() const { return version_; }
  const std::string& build_info() const { return build_info_; }
  std::uint32_t abi_minor_required() const { return descriptor_.abi_minor_required; }
  std::uint64_t capabilities() const { return descriptor_.capabilities; }
  bool has_describe() const { return descriptor_.describe != nullptr; }

  /// The settings naming the files fetch reads, when the plugin promises
  /// to read nothing else (ABI 1.3, vitals_plugin_descriptor's
  /// input_file_settings); nullopt when it does not (an older plugin, a
  /// database or service): such a source is always fetched.
  const std::optional<std::vector<std::string>>& input_file_settings() const {
    return input_file_settings_;
  }

  /// The plugin's functions (copied from its descriptor).
  const vitals_plugin_descriptor& descriptor() const { return descriptor_; }

  /// "plugin /dir/x.so (name 'x', version '1.0', build 'gcc 12 ...')" for messages.
  std::string label() const;

 private:
  std::filesystem::path path_;
  std::shared_ptr<boost::dll::shared_library> library_;
  vitals_plugin_descriptor descriptor_;
  std::string name_;
  std::string version_;
  std::string build_info_;
  std::optional<std::vector<std::string>> input_file_settings_;
};

/// Keeps `library` loaded until the process exits, whatever else releases it.
/// Unloading plugin code is unreliable (GNU unique symbols make dlclose a
/// no-op) and dangerous (exceptions, TLS destructors or deleters from the
/// library outliving it), so Vitals never does it.
/// Thread safety: safe to call from any thread.
void retain_until_exit(std::shared_ptr<boost::dll::shared_library> library);

}  // namespace vitals::detail
