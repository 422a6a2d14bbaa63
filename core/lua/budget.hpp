// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "lua/block_pool.hpp"
#include "lua/lua.hpp"

#include <cstddef>
#include <cstdint>

namespace vitals::detail {

/// The memory and instruction budget of one Lua state. The allocator is
/// created with a pointer to it as its `ud`, which is also how the count hook
/// finds it. Thread safety: belongs to one state, used from one thread.
struct Budget {
  std::size_t max_bytes = 0;
  std::uint64_t max_instructions = 0;

  std::size_t used_bytes = 0;      // live bytes the state holds now
  std::uint64_t instructions = 0;  // instructions run by the current call
  bool mem_hit = false;            // an allocation was refused during the current call
  bool cpu_hit = false;            // the current call ran out of instructions

  /// Where blocks of up to BlockPool::kMaxBlock bytes come from; larger ones
  /// come from malloc. The pool may take up to twice max_bytes from the
  /// system (free blocks of one size class do not serve another).
  BlockPool pool;
};

/// How many instructions run between two calls of the count hook.
inline constexpr int kHookInterval = 1000;

/// A lua_Alloc accounting into the Budget at `ud`. Refuses (returns null and
/// sets mem_hit) any fresh allocation or reallocation that would take
/// used_bytes past max_bytes, or the pool past its share; never refuses a
/// free or a shrink.
void* budget_alloc(void* ud, void* ptr, std::size_t osize, std::size_t nsize) noexcept;

/// Resets the per-call counters and flags of the state's Budget and installs
/// the instruction count hook. Call before every call into a script.
/// REQUIRES: L was created with budget_alloc.
void arm_budget(lua_State* L);

/// Removes the count hook (between calls no script code runs).
void disarm_budget(lua_State* L);

/// The Budget of a state created with budget_alloc.
Budget& budget_of(lua_State* L);

}  // namespace vitals::detail
