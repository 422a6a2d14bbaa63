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
  /// Longest string a rule may build with string.rep or receive from the host.
  std::size_t max_string_bytes = 1u << 20;

  // What one result of evaluate may carry into the report and the store
  // (docs/sandbox.md). Text over a cap is cut at a character boundary and a
  // warning names the rule and the indicator.

  /// Longest message, in bytes.
  std::size_t max_message_bytes = 2000;
  /// Most evidence entries; beyond it, the entries last in key order are
  /// dropped (with a warning).
  std::size_t max_evidence_entries = 50;
  /// Longest evidence key, in bytes; a longer key is a bad result.
  std::size_t max_evidence_key_bytes = 64;
  /// Longest evidence text value, in bytes.
  std::size_t max_evidence_text_bytes = 1000;
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
