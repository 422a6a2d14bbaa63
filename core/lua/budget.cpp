// SPDX-License-Identifier: Apache-2.0
#include "lua/budget.hpp"

#include <cstdlib>
#include <cstring>

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

void count_hook(lua_State* L, lua_Debug* /*ar*/) {
  Budget& budget = budget_of(L);
  if (!budget.cpu_hit) {
    budget.instructions += kHookInterval;
    if (budget.instructions <= budget.max_instructions) return;
    budget.cpu_hit = true;
    // Sticky: from now on the hook fires on every instruction, so a script
    // that somehow catches the error cannot keep running on borrowed time.
    lua_sethook(L, count_hook, LUA_MASKCOUNT, 1);
  }
  // Inside a hook, level 0 is the Lua function that was running.
  luaL_where(L, 0);
  lua_pushfstring(L, "instruction limit exceeded (%I instructions)",
                  static_cast<lua_Integer>(budget.max_instructions));
  lua_concat(L, 2);
  lua_error(L);
}

}  // namespace

void arm_budget(lua_State* L) {
  Budget& budget = budget_of(L);
  budget.instructions = 0;
  budget.mem_hit = false;
  budget.cpu_hit = false;
  lua_sethook(L, count_hook, LUA_MASKCOUNT, kHookInterval);
}

void disarm_budget(lua_State* L) { lua_sethook(L, nullptr, 0, 0); }

}  // namespace vitals::detail
