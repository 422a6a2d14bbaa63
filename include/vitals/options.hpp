// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <string_view>
#include <vector>

#include <vitals/progress.hpp>

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

/// Where a source plugin's functions (create, describe, fetch, destroy) run.
enum class PluginIsolation {
  /// In the host's process: fastest, but a plugin that crashes, aborts or
  /// exits takes the host with it, and a call that never returns cannot be
  /// stopped (no deadline).
  kNone,
  /// In a child process (vitals-plugin-host) that streams the data back: a
  /// crash, abort, exit or hang of the plugin fails only its source, with a
  /// diagnostic, and every call has a deadline (timeout_s).
  kProcess,
};

/// Which plugin directories may be loaded from. Loading is off by default:
/// an embedder opts in.
struct PluginPolicy {
  bool enabled = false;
  std::vector<std::filesystem::path> dirs;
  /// Refuse directories and files that are group- or world-writable or owned
  /// by someone other than root or the current user.
  bool require_safe_permissions = true;
  /// How sources run unless their catalogue table sets `isolation`, for
  /// plugins loaded from a directory not in `in_process_dirs`.
  PluginIsolation isolation = PluginIsolation::kProcess;
  /// Directories whose plugins run in-process unless a source sets
  /// `isolation`, in addition to the directory of the plugins shipped with
  /// Vitals (lib/vitals/plugins of its installed tree, plugins/ of its build
  /// tree), whose plugins always default to in-process.
  std::vector<std::filesystem::path> in_process_dirs;
  /// Seconds each call into an isolated plugin may take unless its source
  /// sets `timeout_s`; past it the plugin's process is killed and the source
  /// fails. In-process calls have no deadline.
  double timeout_s = 300;
  /// The vitals-plugin-host program; empty: $VITALS_PLUGIN_HOST, else found
  /// beside libvitals or in the bin/ directory of its installed tree.
  std::filesystem::path host_program;
};

enum class LogLevel { kTrace, kDebug, kInfo, kWarning, kError, kOff };

/// Receives the engine's log lines. Must not throw.
using LogSink = std::function<void(LogLevel, std::string_view)>;

struct EngineOptions {
  /// The SQLite store. Created when no file of that name exists; its folder
  /// must exist. An existing file that is not a Vitals store (empty,
  /// truncated, not SQLite, another program's) is refused, never replaced.
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
  /// Receives how far loading the catalogue (files), ingesting (series) and
  /// evaluating (indicators) have come, on the terms ProgressSink states.
  /// When empty, nothing is reported.
  ProgressSink progress;
  /// When set, Engine::load_catalogue also starts reading every series of
  /// the store into memory, on a thread and a connection of its own, while
  /// the catalogue loads: for a host that evaluates what is stored without
  /// ingesting first (`vitals evaluate --no-ingest`). The first evaluation
  /// waits for that read and uses it unless another connection has committed
  /// to the store since it began; an ingest discards it. Ignored for an
  /// in-memory store. A catalogue that is never evaluated wastes the read.
  bool read_series_early = false;
  /// Whether the store's series stay in memory after an evaluation, so that
  /// the next one reads the store again only if it has changed. When false,
  /// an evaluation frees each series as soon as it is evaluated (and hashed
  /// for the run's manifest), so that its results take the series' place in
  /// memory instead of adding to them, and the next evaluation reads the
  /// store again: for a host that evaluates once (`vitals evaluate`).
  bool keep_series = true;
};

}  // namespace vitals
