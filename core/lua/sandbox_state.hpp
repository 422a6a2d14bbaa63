// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "lua/budget.hpp"
#include "lua/lua.hpp"

#include <vitals/options.hpp>

#include <spdlog/logger.h>

#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace vitals::detail {

/// A folder served by the sandboxed `require`, and how its files are named in
/// Lua messages ("rules/lib" for /srv/council/rules/lib).
struct ModuleDir {
  std::filesystem::path path;
  std::string display;
  /// The lib of a rule tree, shared by the packs in it (rules/lib for
  /// rules/council and rules/spc); false for a folder's own lib.
  bool shared = false;
};

/// A module a state loaded: the name given to `require` and the file it came
/// from, as Lua names it ("rules/lib/series.lua").
struct LoadedModule {
  std::string name;
  std::string file;
};

struct SandboxConfig {
  SandboxLimits limits;
  std::shared_ptr<spdlog::logger> logger;  // REQUIRES non-null
  /// Searched by `require`: the rule's own folder first, then the shared ones
  /// (module_loader.hpp).
  std::vector<ModuleDir> module_dirs;
  std::string label;                       // names the script in log lines
  /// When set, the lines the state runs are recorded here (and every chunk
  /// it loads is noted); null: no line hook, no cost. Not owned; must
  /// outlive the state.
  LineCoverage* coverage = nullptr;
};

/// How a protected call into a sandbox ended.
enum class CallStatus {
  kOk,
  kRuntimeError,      // the script raised an error (or a host function did)
  kInstructionLimit,  // SandboxLimits::max_instructions ran out, or a pattern would exceed it
  kTimeLimit,         // SandboxLimits::max_cpu_ms ran out
  kMemoryLimit,       // SandboxLimits::max_bytes or max_string_bytes, or the table.move cap
  kBlockedFunction,   // a blocked function or library was used
  kInternalError,     // a foreign C++ exception reached Lua: a bug in Vitals
};

struct CallResult {
  CallStatus status = CallStatus::kOk;
  /// The error message's first line, e.g. "rules/x.lua:3: boom"; empty when OK.
  std::string message;
  /// The full error message with the stack traceback, when one was made.
  std::string traceback;
  /// The state was interrupted by a limit and must not be trusted again.
  bool needs_rebuild = false;

  bool ok() const { return status == CallStatus::kOk; }
};

/// One Lua state set up as the rule sandbox (DESIGN.md §2.4): the budgeted
/// allocator and instruction hook, only the base, table, string, math and utf8
/// libraries with blocked functions replaced by stubs, the `vitals` host table,
/// the sandboxed `require`, and unknown-global reads rejected.
/// Thread safety: not thread-safe; a state is used by one thread at a time.
class SandboxState {
 public:
  /// Creates a state. Returns null and sets `error` when it cannot be set up
  /// (e.g. SandboxLimits::max_bytes is too small to hold the libraries).
  static std::unique_ptr<SandboxState> create(SandboxConfig config, std::string& error);

  SandboxState(const SandboxState&) = delete;
  SandboxState& operator=(const SandboxState&) = delete;
  ~SandboxState();

  /// The sandbox a state belongs to.
  /// REQUIRES: L was made by SandboxState::create.
  static SandboxState& from(lua_State* L);

  lua_State* lua() const { return L_; }
  const SandboxConfig& config() const { return config_; }
  const Budget& budget() const { return budget_; }

  /// Runs `body(L)` inside lua_pcall with a fresh instruction budget, a message
  /// handler adding a traceback and math.random reseeded with a fixed seed
  /// (when an earlier call used the generator; else it is still as seeded).
  /// `body` may raise Lua errors and throw std::exception (which becomes a Lua
  /// error). All Lua API use that can allocate must happen inside a body.
  /// The stack is empty before and after.
  CallResult call(const std::function<void(lua_State*)>& body);

  /// Makes any later assignment to an undeclared global raise "rule attempted
  /// to create global 'x'". Call inside a body, after the rule chunk has run.
  static void protect_global_writes(lua_State* L);

  /// Number of calls made so far; identifies the current call.
  std::uint64_t call_count() const { return call_count_; }

  // Set by stubs and wrappers just before they raise, to classify the error.
  void note_blocked() noexcept { blocked_ = true; }
  void note_size_cap() noexcept { size_cap_ = true; }
  void note_memory_error() noexcept { memory_error_ = true; }
  void note_pattern_limit() noexcept { pattern_limit_ = true; }
  /// `require` loaded module `name` from `file`.
  void note_module(std::string name, std::string file) {
    modules_.push_back(LoadedModule{std::move(name), std::move(file)});
  }
  /// The Lua function on top of the stack is a chunk just loaded: with
  /// SandboxConfig::coverage, its executable lines are noted. Call inside a
  /// body.
  void note_chunk(lua_State* L);
  /// The modules loaded so far, in the order they were loaded.
  const std::vector<LoadedModule>& modules() const { return modules_; }
  /// math.random or math.randomseed ran: the next call reseeds.
  void note_random_used() noexcept { random_used_ = true; }

  /// Reseeds math.random with the fixed seed if it ran since the last
  /// seeding. Calls into Lua: use inside a protected call.
  void reseed_if_used(lua_State* L);

 private:
  explicit SandboxState(SandboxConfig config);
  CallResult classify(int status);

  SandboxConfig config_;
  Budget budget_;
  lua_State* L_ = nullptr;
  std::uint64_t call_count_ = 0;
  bool blocked_ = false;
  bool size_cap_ = false;
  bool memory_error_ = false;
  bool pattern_limit_ = false;
  bool random_used_ = true;  // the generator needs seeding before the next call
  std::string warning_;  // a warning being assembled from pieces
  std::vector<LoadedModule> modules_;
};

}  // namespace vitals::detail
