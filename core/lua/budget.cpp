// SPDX-License-Identifier: Apache-2.0
#include "lua/budget.hpp"

#include "lua/line_coverage.hpp"

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <ctime>

namespace vitals::detail {

namespace {

// Moves a block to one of another size, across the pool/malloc boundary.
void* move_block(Budget& budget, void* ptr, std::size_t old_size, std::size_t new_size) noexcept {
  const bool shrink = new_size <= old_size;
  void* block = BlockPool::pooled(new_size)
                    ? budget.pool.allocate(new_size, 2 * budget.max_bytes, shrink)
                    : std::malloc(new_size);
  if (block == nullptr) return nullptr;
  std::memcpy(block, ptr, old_size < new_size ? old_size : new_size);
  if (BlockPool::pooled(old_size)) {
    budget.pool.release(ptr, old_size);
  } else {
    std::free(ptr);
  }
  return block;
}

}  // namespace

void* budget_alloc(void* ud, void* ptr, std::size_t osize, std::size_t nsize) noexcept {
  auto* budget = static_cast<Budget*>(ud);
  // For a fresh allocation Lua passes a type tag in osize, not a size.
  std::size_t old_size = ptr == nullptr ? 0 : osize;
  if (nsize == 0) {
    if (ptr != nullptr) {
      if (BlockPool::pooled(old_size)) {
        budget->pool.release(ptr, old_size);
      } else {
        std::free(ptr);
      }
    }
    budget->used_bytes -= old_size;
    return nullptr;
  }
  if (nsize > old_size) {
    // Every string the VM or a library makes is created here: `..` and
    // table.concat included. Comparing or copying one costs its length, so
    // the cap bounds what one instruction can cost.
    if (ptr == nullptr && osize == LUA_TSTRING && budget->max_string_bytes != 0 &&
        nsize > budget->max_string_bytes + kStringOverhead) {
      budget->string_cap_hit = true;
      budget->mem_hit = true;
      return nullptr;
    }
    std::size_t growth = nsize - old_size;
    if (growth > budget->max_bytes || budget->used_bytes > budget->max_bytes - growth) {
      budget->mem_hit = true;
      return nullptr;
    }
  }
  void* block = nullptr;
  if (ptr == nullptr) {
    block = BlockPool::pooled(nsize) ? budget->pool.allocate(nsize, 2 * budget->max_bytes)
                                     : std::malloc(nsize);
  } else if (BlockPool::pooled(old_size) && BlockPool::pooled(nsize) &&
             BlockPool::class_of(old_size) == BlockPool::class_of(nsize)) {
    block = ptr;  // the same size class
  } else if (!BlockPool::pooled(old_size) && !BlockPool::pooled(nsize)) {
    block = std::realloc(ptr, nsize);
  } else {
    block = move_block(*budget, ptr, old_size, nsize);
  }
  if (block == nullptr) {
    // A shrink that cannot be honoured: Lua requires shrinks to succeed, and
    // the old block is still valid and big enough. (Within malloc only: a
    // shrink into the pool ignores the pool's cap.)
    if (ptr != nullptr && nsize <= old_size && !BlockPool::pooled(nsize)) return ptr;
    if (ptr == nullptr || nsize > old_size) budget->mem_hit = true;
    return nullptr;
  }
  budget->used_bytes = budget->used_bytes - old_size + nsize;
  return block;
}

Budget& budget_of(lua_State* L) {
  void* ud = nullptr;
  lua_getallocf(L, &ud);
  return *static_cast<Budget*>(ud);
}

namespace {

// Wall time a call runs before its thread's CPU clock is first read.
constexpr std::int64_t kCpuStartAfterNs = 1'000'000;

std::int64_t clock_ns(clockid_t clock) {
  timespec ts{};
  clock_gettime(clock, &ts);
  return static_cast<std::int64_t>(ts.tv_sec) * 1'000'000'000 + ts.tv_nsec;
}

// True when the current call has used more than max_cpu_ns of CPU time.
// Reading the thread's CPU clock is a system call (about 1 us); the monotonic
// clock is read without one (about 50 ns). So the CPU clock is read only once
// a call has run for kCpuStartAfterNs of wall time (most calls never do): the
// call's CPU time is counted from that first reading. What ran before it is
// not counted: at most that millisecond, or one check interval (1,000
// instructions or charged units, or one library call) if that was longer.
// Counting it at its wall time instead would charge a thread that waits for
// a busy machine. A thread's CPU time never exceeds the wall time, so the CPU
// clock is read again only once the wall time is past the budget.
bool out_of_time(Budget& budget) {
  if (budget.max_cpu_ns == 0) return false;
  const std::int64_t wall = clock_ns(CLOCK_MONOTONIC) - budget.wall_start_ns;
  const auto limit = static_cast<std::int64_t>(budget.max_cpu_ns);
  if (budget.cpu_start_ns < 0) {
    if (wall < std::min(kCpuStartAfterNs, limit / 4)) return false;
    budget.cpu_start_ns = clock_ns(CLOCK_THREAD_CPUTIME_ID);
    return false;
  }
  if (wall <= limit) return false;
  return clock_ns(CLOCK_THREAD_CPUTIME_ID) - budget.cpu_start_ns > limit;
}

void hook(lua_State* L, lua_Debug* ar);

// Pushes "file:line: " for the first Lua function at `level` or above (a
// library function may be called by another, as table.sort calls its
// comparison), or "" when there is none.
void push_where(lua_State* L, int level) {
  lua_Debug ar;
  for (; lua_getstack(L, level, &ar) != 0; ++level) {
    lua_getinfo(L, "Sl", &ar);
    if (ar.currentline > 0) {
      lua_pushfstring(L, "%s:%d: ", ar.short_src, ar.currentline);
      return;
    }
  }
  lua_pushliteral(L, "");
}

// Raises the error of the limit the call has hit, located at `level` (0: the
// Lua function running in a hook; 1: the caller of a C function) or above.
int raise_limit(lua_State* L, Budget& budget, int level) {
  lua_checkstack(L, 4);  // a library function may have used the slots it had
  // Sticky: from now on the hook fires on every instruction, so a script
  // that somehow catches the error cannot keep running on borrowed time.
  lua_sethook(L, hook, LUA_MASKCOUNT, 1);
  push_where(L, level);
  if (budget.cpu_hit) {
    lua_pushfstring(L, "instruction limit exceeded (%I instructions)",
                    static_cast<lua_Integer>(budget.max_instructions));
  } else {
    lua_pushfstring(L, "time limit exceeded (%I ms of CPU time)",
                    static_cast<lua_Integer>(budget.max_cpu_ns / 1'000'000));
  }
  lua_concat(L, 2);
  return lua_error(L);
}

void hook(lua_State* L, lua_Debug* ar) {
  Budget& budget = budget_of(L);
  if (ar->event == LUA_HOOKLINE) {
    if (budget.coverage != nullptr && lua_getinfo(L, "S", ar) != 0) {
      budget.coverage->hit(ar->source, ar->currentline);
    }
    return;
  }
  if (!budget.cpu_hit && !budget.time_hit) {
    budget.instructions += kHookInterval;
    budget.unchecked = 0;
    if (budget.instructions > budget.max_instructions) {
      budget.cpu_hit = true;
    } else if (out_of_time(budget)) {
      budget.time_hit = true;
    } else {
      return;
    }
  }
  // Inside a hook, level 0 is the Lua function that was running.
  raise_limit(L, budget, 0);
}

}  // namespace

void charge_work(lua_State* L, std::uint64_t units) {
  Budget& budget = budget_of(L);
  budget.instructions += units;
  budget.unchecked += units;
  if (budget.instructions > budget.max_instructions) {
    budget.cpu_hit = true;
  } else if (budget.unchecked >= kHookInterval) {
    budget.unchecked = 0;
    if (out_of_time(budget)) budget.time_hit = true;
  }
  if (budget.cpu_hit || budget.time_hit) raise_limit(L, budget, 1);
}

void arm_budget(lua_State* L) {
  Budget& budget = budget_of(L);
  budget.instructions = 0;
  budget.unchecked = 0;
  budget.mem_hit = false;
  budget.cpu_hit = false;
  budget.time_hit = false;
  budget.string_cap_hit = false;
  budget.cpu_start_ns = -1;
  budget.wall_start_ns = budget.max_cpu_ns == 0 ? 0 : clock_ns(CLOCK_MONOTONIC);
  const int mask = budget.coverage != nullptr ? LUA_MASKCOUNT | LUA_MASKLINE : LUA_MASKCOUNT;
  lua_sethook(L, hook, mask, kHookInterval);
}

void disarm_budget(lua_State* L) { lua_sethook(L, nullptr, 0, 0); }

}  // namespace vitals::detail
