// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <string_view>
#include <vector>

namespace vitals {

/// Limits applied to every call into a rule script.
struct SandboxLimits {
  /// Memory one rule's Lua state may hold.
  std::size_t max_bytes = 16u << 20;
  /// Lua VM instructions one call (applies_to or evaluate) may run.
  std::uint64_t max_instructions = 20'000'000;
  /// Longest string a rule may make (with string.rep, `..`, table.concat or
  /// any string function) or receive from the host.
  std::size_t max_string_bytes = 1u << 20;
  /// CPU time one call (applies_to or evaluate, or loading the rule) may use,
  /// in milliseconds; 0 for no time limit. Ordinary rules take microseconds.
  std::uint64_t max_cpu_ms = 50;
};

/// Which plugin directories may be loaded from. Loading is off by default:
/// an embedder opts in.
struct PluginPolicy {
  bool enabled = false;
  std::vector<std::filesystem::path> dirs;
  /// Refuse directories and files that are group- or world-writable or owned
  /// by someone other than root or the current user.
  bool require_safe_permissions = true;
};

enum class LogLevel { kTrace, kDebug, kInfo, kWarning, kError, kOff };

/// Receives the engine's log lines. Must not throw.
using LogSink = std::function<void(LogLevel, std::string_view)>;

struct EngineOptions {
  /// The SQLite store. Created when missing.
  std::filesystem::path store_path = "vitals.db";
  PluginPolicy plugins;
  SandboxLimits sandbox;
  /// Rule directories used when the catalogue names none.
  std::vector<std::filesystem::path> default_rule_dirs;
  /// Threads Engine::evaluate uses: 0 = one per hardware thread, 1 = the
  /// calling thread only. Each thread runs its own copy of the rules (each
  /// rule in its own Lua state); the report is the same for any count.
  int threads = 0;
  LogLevel log_level = LogLevel::kWarning;
  /// When empty, log lines go to standard error.
  LogSink log_sink;
};

}  // namespace vitals
