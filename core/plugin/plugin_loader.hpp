// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "plugin/host_api.hpp"
#include "plugin/plugin_library.hpp"

#include <vitals/diagnostic.hpp>
#include <vitals/status.hpp>

#include <spdlog/logger.h>

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

namespace vitals::detail {

/// Loads `file` as a source plugin and performs the ABI handshake, in order:
///   1. the file has the .so extension and exists; when
///      `require_safe_permissions`, it and its directory pass
///      check_safe_permissions() ("plugin.load_error", "plugin.unsafe_permissions");
///   2. dlopen with RTLD_NOW | RTLD_LOCAL, so an unresolved symbol fails here
///      with the dynamic loader's message ("plugin.load_error");
///   3. the entry symbol vitals_plugin_entry_v<host major> exists
///      ("plugin.abi_mismatch" when only another major's entry is exported,
///      "plugin.load_error" when the file is no Vitals plugin at all);
///   4. the entry returns a descriptor whose struct_size covers the version
///      fields, whose abi_major equals the host's ("plugin.abi_mismatch"),
///      whose abi_minor_required is at most the host's minor
///      ("plugin.abi_too_new"), whose struct_size covers every field the
///      host uses, whose name is valid and whose create, fetch and destroy
///      are set ("plugin.bad_descriptor").
/// The name's uniqueness is the registry's check. On failure appends one
/// error Diagnostic located at the file, whose message quotes the path, the
/// plugin's name, version and build_info when known, and the reason; returns
/// kPluginError with the same message. A library that was dlopen()ed stays
/// loaded even when refused (see retain_until_exit). The entry function
/// receives `host` (an isolated plugin's process hands it a table that
/// forwards every call to the host process).
Result<std::shared_ptr<const PluginLibrary>> load_plugin_library(
    const std::filesystem::path& file, bool require_safe_permissions, spdlog::logger& logger,
    std::vector<Diagnostic>& diagnostics, const vitals_host_api& host = host_api());

/// OK when plugins may be loaded from `path` (a file or a directory): it is
/// owned by root or by the effective user, and neither group- nor
/// world-writable. Otherwise kPluginError saying which, e.g.
/// "/p/x.so is writable by its group (mode 0664)".
Status check_safe_permissions(const std::filesystem::path& path);

/// An error Diagnostic with `code` and `message`, located at `file`.
Diagnostic plugin_diagnostic(std::string code, std::string message,
                             const std::filesystem::path& file);

}  // namespace vitals::detail
