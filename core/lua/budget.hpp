// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "lua/block_pool.hpp"
#include "lua/lua.hpp"

#include <cstddef>
#include <cstdint>

namespace vitals::detail {

class LineCoverage;  // lua/line_coverage.hpp

/// The memory, instruction and time budget of one Lua state. The allocator is
/// created with a pointer to it as its `ud`, which is also how the count hook
/// finds it. Thread safety: belongs to one state, used from one thread.
struct Budget {
  std::size_t max_bytes = 0;
  std::uint64_t max_instructions = 0;
  /// Longest string the state may create (0: no cap but max_bytes).
  std::size_t max_string_bytes = 0;
  /// CPU time one call may use, in nanoseconds (0: no time limit).
  std::uint64_t max_cpu_ns = 0;

  std::size_t used_bytes = 0;      // live bytes the state holds now
  /// Instructions run by the current call, plus the work library functions
  /// were charged (charge_work).
  std::uint64_t instructions = 0;
  bool mem_hit = false;         // an allocation was refused during the current call
  bool cpu_hit = false;         // the current call ran out of instructions
  bool time_hit = false;        // the current call ran out of CPU time
  bool string_cap_hit = false;  // a string longer than max_string_bytes was refused

  // The clocks of the current call (see budget.cpp, out_of_time).
  std::int64_t wall_start_ns = 0;  // monotonic clock when the call started
  std::int64_t cpu_start_ns = -1;  // thread CPU clock when first read; -1: not read yet
  std::uint64_t unchecked = 0;     // work charged since the clock was last looked at

  /// Where blocks of up to BlockPool::kMaxBlock bytes come from; larger ones
  /// come from malloc. The pool may take up to twice max_bytes from the
  /// system (free blocks of one size class do not serve another).
  BlockPool pool;

  /// When set, the hook also records each line run (LUA_MASKLINE); when null
  /// no line hook is set and scripts run at full speed. Not owned.
  LineCoverage* coverage = nullptr;
};

/// How many instructions run between two calls of the count hook.
inline constexpr int kHookInterval = 1000;

/// Bytes a Lua 5.4 string object takes beyond its characters on a 64-bit
/// system: its header (offsetof(TString, contents)) and the closing '\0'.
/// (Where the header is smaller, strings a few bytes over the cap pass.)
inline constexpr std::size_t kStringOverhead = 25;

/// A lua_Alloc accounting into the Budget at `ud`. Refuses (returns null and
/// sets mem_hit) any fresh allocation or reallocation that would take
/// used_bytes past max_bytes, or the pool past its share, and any new string
/// object longer than max_string_bytes (also setting string_cap_hit); never
/// refuses a free or a shrink.
void* budget_alloc(void* ud, void* ptr, std::size_t osize, std::size_t nsize) noexcept;

/// Resets the per-call counters, flags and clocks of the state's Budget and
/// installs the instruction count hook, which also checks the CPU time (and,
/// with Budget::coverage, records the lines run: one hook function serves
/// both events). Call before every call into a script.
/// REQUIRES: L was created with budget_alloc.
void arm_budget(lua_State* L);

/// Charges `units` of work (one unit is about one Lua instruction) done by a
/// library function in C, where the count hook does not run, to the current
/// call: raises the instruction limit error when the total passes
/// max_instructions, and the time limit error when the call has used up its
/// CPU time (looked at once at least kHookInterval units have been charged
/// since the last look). The error is located at the Lua code calling the
/// library function. Call from a C function only, during an armed call.
void charge_work(lua_State* L, std::uint64_t units);

/// Removes the hook (between calls no script code runs).
void disarm_budget(lua_State* L);

/// The Budget of a state created with budget_alloc.
Budget& budget_of(lua_State* L);

}  // namespace vitals::detail
