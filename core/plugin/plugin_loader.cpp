// SPDX-License-Identifier: Apache-2.0
#include "plugin/plugin_loader.hpp"

#include "plugin/elf_symbols.hpp"
#include "plugin/host_api.hpp"

#include <boost/dll/shared_library.hpp>

#include <cerrno>
#include <cstddef>
#include <cstdio>
#include <cstring>
#include <exception>
#include <string_view>
#include <sys/stat.h>
#include <unistd.h>
#include <utility>

namespace vitals::detail {
namespace {

namespace fs = std::filesystem;

constexpr std::string_view kEntryPrefix = "vitals_plugin_entry_v";
constexpr std::size_t kVersionFieldsSize =
    offsetof(vitals_plugin_descriptor, abi_minor_required) + sizeof(std::uint32_t);
constexpr std::size_t kIdentitySize =
    offsetof(vitals_plugin_descriptor, build_info) + sizeof(char*);
// The host of ABI 1.0 reads every field up to and including destroy.
constexpr std::size_t kDescriptorV1Size =
    offsetof(vitals_plugin_descriptor, destroy) + sizeof(void*);
constexpr std::size_t kMaxNameLength = 64;

std::string mode_text(mode_t mode) {
  char buf[8];
  std::snprintf(buf, sizeof buf, "%04o", static_cast<unsigned>(mode & 07777));
  return buf;
}

std::string safe_string(const char* s, std::size_t max = 4096) {
  if (s == nullptr) return "";
  return std::string(s, strnlen(s, max));
}

bool valid_name(const char* name) {
  if (name == nullptr) return false;
  std::size_t len = strnlen(name, kMaxNameLength + 1);
  if (len == 0 || len > kMaxNameLength) return false;
  for (std::size_t i = 0; i < len; ++i) {
    char c = name[i];
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '_' || c == '-' || c == '.';
    if (!ok) return false;
  }
  return true;
}

// Reports and returns a failure.
Status fail(std::vector<Diagnostic>& diagnostics, spdlog::logger& logger, const char* code,
            std::string message, const fs::path& file) {
  logger.error("{} [{}]", message, code);
  diagnostics.push_back(plugin_diagnostic(code, message, file));
  return Status(StatusCode::kPluginError, std::move(message));
}

// "plugin /p/x.so (name 'x', version '1', build '...')" with what the
// descriptor's size lets us read.
std::string label_of(const fs::path& file, const vitals_plugin_descriptor* d) {
  std::string label = "plugin " + file.string();
  if (d == nullptr || d->struct_size < kIdentitySize) return label;
  label += " (name '" + safe_string(d->name, kMaxNameLength + 1) + "', version '" +
           safe_string(d->version) + "', build '" + safe_string(d->build_info) + "')";
  return label;
}

// Boost 1.74 wraps dlerror() as "boost::dll::shared_library::load() failed
// (dlerror system message: <text>): <errno text>", and dlerror() itself
// starts with the path; keep what a user needs: "undefined symbol: foo".
std::string loader_message(const std::string& what, const fs::path& file) {
  constexpr std::string_view kOpen = "(dlerror system message: ";
  std::string text = what;
  std::size_t begin = text.find(kOpen);
  std::size_t end = text.rfind("): ");
  if (begin != std::string::npos && end != std::string::npos && end > begin) {
    text = text.substr(begin + kOpen.size(), end - begin - kOpen.size());
  }
  const std::string prefix = file.string() + ": ";
  if (text.rfind(prefix, 0) == 0) text.erase(0, prefix.size());
  return text;
}

}  // namespace

Diagnostic plugin_diagnostic(std::string code, std::string message, const fs::path& file) {
  return Diagnostic::make(Severity::kError, std::move(code), std::move(message),
                          SourceLocation{file.string(), 0, 0});
}

Status check_safe_permissions(const fs::path& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) {
    return Status(StatusCode::kPluginError,
                  "cannot check the permissions of " + path.string() + ": " + std::strerror(errno));
  }
  uid_t me = ::geteuid();
  if (st.st_uid != 0 && st.st_uid != me) {
    return Status(StatusCode::kPluginError, path.string() + " is owned by uid " +
                                                std::to_string(st.st_uid) +
                                                ", neither root nor the user running Vitals (uid " +
                                                std::to_string(me) + ")");
  }
  if ((st.st_mode & S_IWOTH) != 0) {
    return Status(StatusCode::kPluginError,
                  path.string() + " is writable by anyone (mode " + mode_text(st.st_mode) + ")");
  }
  if ((st.st_mode & S_IWGRP) != 0) {
    return Status(StatusCode::kPluginError,
                  path.string() + " is writable by its group (mode " + mode_text(st.st_mode) + ")");
  }
  return Status::ok();
}

Result<std::shared_ptr<const PluginLibrary>> load_plugin_library(
    const fs::path& file_in, bool require_safe_permissions, spdlog::logger& logger,
    std::vector<Diagnostic>& diagnostics, const vitals_host_api& host) {
  std::error_code ec;
  const fs::path file = fs::absolute(file_in, ec).lexically_normal();
  const std::string label = "plugin " + file.string();

  // 1. What may be loaded at all.
  if (file.extension() != ".so") {
    return fail(diagnostics, logger, "plugin.load_error",
                "cannot load " + label + ": plugin files must have the .so extension", file);
  }
  if (!fs::is_regular_file(file, ec)) {
    return fail(diagnostics, logger, "plugin.load_error",
                "cannot load " + label + ": " +
                    (fs::exists(file, ec) ? "it is not a regular file" : "no such file"),
                file);
  }
  if (require_safe_permissions) {
    // Check what will actually be mapped (the file a symlink points to) and
    // the directories through which it is reached.
    fs::path real = fs::canonical(file, ec);
    if (ec) real = file;
    std::vector<fs::path> checked = {file.parent_path()};
    if (real.parent_path() != file.parent_path()) checked.push_back(real.parent_path());
    checked.push_back(real);
    for (const fs::path& p : checked) {
      Status safe = check_safe_permissions(p);
      if (!safe.is_ok()) {
        return fail(diagnostics, logger, "plugin.unsafe_permissions",
                    "refusing to load " + label + ": " + safe.message() +
                        "; plugin files and their directory must be owned by root or the user "
                        "running Vitals and writable only by their owner",
                    file);
      }
    }
  }

  // 2. Load. The throwing constructor keeps dlerror()'s text, which names
  // the missing symbol or library; Boost 1.74's error_code overload loses it.
  std::shared_ptr<boost::dll::shared_library> library;
  try {
    library = std::make_shared<boost::dll::shared_library>(
        file, boost::dll::load_mode::rtld_now | boost::dll::load_mode::rtld_local);
  } catch (const std::exception& e) {
    return fail(diagnostics, logger, "plugin.load_error",
                "cannot load " + label + ": " + loader_message(e.what(), file), file);
  }
  retain_until_exit(library);

  // 3. The entry symbol of our ABI major.
  if (!library->has(VITALS_PLUGIN_ENTRY_NAME)) {
    std::vector<std::string> others;
    if (auto symbols = exported_dynamic_symbols(file); symbols.ok()) {
      for (const std::string& s : *symbols) {
        if (s.rfind(kEntryPrefix, 0) == 0) others.push_back(s);
      }
    }
    if (!others.empty()) {
      std::string list;
      for (const std::string& s : others) list += (list.empty() ? "" : ", ") + s;
      return fail(diagnostics, logger, "plugin.abi_mismatch",
                  label + " was built for another plugin ABI major: it exports " + list +
                      " but not " VITALS_PLUGIN_ENTRY_NAME
                      "; this host supports plugin ABI major " +
                      std::to_string(VITALS_PLUGIN_ABI_MAJOR) +
                      ". Rebuild the plugin against this version's <vitals/plugin/abi.h>",
                  file);
    }
    return fail(diagnostics, logger, "plugin.load_error",
                label + " is not a Vitals source plugin: it does not export " +
                    VITALS_PLUGIN_ENTRY_NAME + " (nor another ABI major's entry point)",
                file);
  }

  // 4. The descriptor.
  const vitals_plugin_descriptor* d = nullptr;
  try {
    auto& entry = library->get<const vitals_plugin_descriptor*(const vitals_host_api*)>(
        VITALS_PLUGIN_ENTRY_NAME);
    EntryLogScope log_scope(logger, file.filename().string());
    d = entry(&host);
  } catch (const std::exception& e) {
    return fail(diagnostics, logger, "plugin.bad_descriptor",
                label + ": " VITALS_PLUGIN_ENTRY_NAME " threw an exception: " + e.what(), file);
  } catch (...) {
    return fail(diagnostics, logger, "plugin.bad_descriptor",
                label + ": " VITALS_PLUGIN_ENTRY_NAME " threw an exception of unknown type", file);
  }
  if (d == nullptr) {
    return fail(diagnostics, logger, "plugin.bad_descriptor",
                label + ": " VITALS_PLUGIN_ENTRY_NAME
                        " returned no descriptor (the plugin refused this host)",
                file);
  }
  if (d->struct_size < kVersionFieldsSize) {
    return fail(diagnostics, logger, "plugin.bad_descriptor",
                label + ": its descriptor's struct_size (" + std::to_string(d->struct_size) +
                    " bytes) is too small to hold even the ABI version",
                file);
  }
  const std::string full_label = label_of(file, d);
  if (d->abi_major != VITALS_PLUGIN_ABI_MAJOR) {
    return fail(diagnostics, logger, "plugin.abi_mismatch",
                full_label + " declares plugin ABI major " + std::to_string(d->abi_major) +
                    " in its descriptor; this host supports major " +
                    std::to_string(VITALS_PLUGIN_ABI_MAJOR),
                file);
  }
  if (d->abi_minor_required > VITALS_PLUGIN_ABI_MINOR) {
    return fail(diagnostics, logger, "plugin.abi_too_new",
                full_label + " requires plugin ABI " + std::to_string(d->abi_major) + "." +
                    std::to_string(d->abi_minor_required) + " but this host provides " +
                    std::to_string(VITALS_PLUGIN_ABI_MAJOR) + "." +
                    std::to_string(VITALS_PLUGIN_ABI_MINOR) +
                    "; upgrade Vitals or rebuild the plugin against an older SDK",
                file);
  }
  if (d->struct_size < kDescriptorV1Size) {
    return fail(diagnostics, logger, "plugin.bad_descriptor",
                full_label + ": its descriptor's struct_size (" + std::to_string(d->struct_size) +
                    " bytes) is smaller than the " + std::to_string(kDescriptorV1Size) +
                    " bytes of plugin ABI " + std::to_string(VITALS_PLUGIN_ABI_MAJOR) + ".0",
                file);
  }
  if (!valid_name(d->name)) {
    return fail(diagnostics, logger, "plugin.bad_descriptor",
                full_label +
                    ": its name must be 1 to 64 characters from A-Z, a-z, 0-9, '_', "
                    "'-' and '.'",
                file);
  }
  if (d->create == nullptr || d->fetch == nullptr || d->destroy == nullptr) {
    const char* missing = d->create == nullptr  ? "create"
                          : d->fetch == nullptr ? "fetch"
                                                : "destroy";
    return fail(diagnostics, logger, "plugin.bad_descriptor",
                full_label + ": its descriptor has no " + missing + " function", file);
  }

  // Copy only what this plugin's descriptor holds; later fields stay zero.
  vitals_plugin_descriptor copy{};
  std::memcpy(&copy, d, d->struct_size < sizeof copy ? d->struct_size : sizeof copy);
  auto plugin = std::make_shared<const PluginLibrary>(file, std::move(library), copy);
  logger.info("loaded {} (ABI {}.{} required)", plugin->label(), VITALS_PLUGIN_ABI_MAJOR,
              copy.abi_minor_required);
  return std::shared_ptr<const PluginLibrary>(std::move(plugin));
}

}  // namespace vitals::detail
