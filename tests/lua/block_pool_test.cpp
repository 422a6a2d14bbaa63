// SPDX-License-Identifier: Apache-2.0
#include "lua/block_pool.hpp"

#include "catch.hpp"
#include "lua/budget.hpp"

#include <cstring>
#include <string>

namespace vitals::detail {
namespace {

constexpr std::size_t kLargeCap = 1u << 30;

TEST_CASE("a released block is handed out again for its size class", "[lua][pool]") {
  BlockPool pool;
  void* a = pool.allocate(24, kLargeCap);
  void* b = pool.allocate(24, kLargeCap);
  REQUIRE(a != nullptr);
  REQUIRE(b != nullptr);
  CHECK(a != b);
  pool.release(a, 24);
  CHECK(pool.allocate(32, kLargeCap) == a);  // 17 to 32 bytes share a class
  CHECK(pool.chunk_bytes() == BlockPool::kChunkBytes);
}

TEST_CASE("blocks of one chunk do not overlap", "[lua][pool]") {
  BlockPool pool;
  std::vector<char*> blocks;
  for (int i = 0; i < 100; ++i) {
    auto* block = static_cast<char*>(pool.allocate(48, kLargeCap));
    REQUIRE(block != nullptr);
    std::memset(block, i, 48);
    blocks.push_back(block);
  }
  for (int i = 0; i < 100; ++i) {
    CHECK(blocks[i][0] == static_cast<char>(i));
    CHECK(blocks[i][47] == static_cast<char>(i));
  }
}

TEST_CASE("at its cap the pool serves from larger free blocks, then refuses", "[lua][pool]") {
  BlockPool pool;
  const std::size_t cap = BlockPool::kChunkBytes;
  std::vector<void*> big;
  // Fill the only chunk the cap allows with 256-byte blocks.
  while (void* block = pool.allocate(256, cap)) big.push_back(block);
  CHECK(pool.chunk_bytes() == cap);
  CHECK(big.size() == BlockPool::kChunkBytes / 256);
  CHECK(pool.allocate(16, cap) == nullptr);  // no room, nothing free

  pool.release(big.back(), 256);
  CHECK(pool.allocate(16, cap) == big.back());  // a larger free block will do
  CHECK(pool.allocate(16, cap) == nullptr);

  // A shrink must succeed: it may pass the cap.
  CHECK(pool.allocate(16, cap, true) != nullptr);
  CHECK(pool.chunk_bytes() == 2 * cap);
}

TEST_CASE("the budget allocator keeps contents across the pool and malloc", "[lua][pool][budget]") {
  Budget budget;
  budget.max_bytes = 1u << 20;
  auto* p = static_cast<char*>(budget_alloc(&budget, nullptr, LUA_TSTRING, 100));
  REQUIRE(p != nullptr);
  std::memset(p, 'a', 100);
  CHECK(budget.used_bytes == 100);

  p = static_cast<char*>(budget_alloc(&budget, p, 100, 1000));  // into malloc
  REQUIRE(p != nullptr);
  CHECK(std::string(p, 100) == std::string(100, 'a'));
  std::memset(p + 100, 'b', 900);
  CHECK(budget.used_bytes == 1000);

  p = static_cast<char*>(budget_alloc(&budget, p, 1000, 120));  // back into the pool
  REQUIRE(p != nullptr);
  CHECK(std::string(p, 100) == std::string(100, 'a'));
  CHECK(std::string(p + 100, 20) == std::string(20, 'b'));
  CHECK(budget.used_bytes == 120);

  void* same = budget_alloc(&budget, p, 120, 128);  // the same size class: in place
  CHECK(same == p);
  CHECK(budget.used_bytes == 128);
  budget_alloc(&budget, same, 128, 0);
  CHECK(budget.used_bytes == 0);
}

TEST_CASE("a script churning through size classes is held to the pool's share",
          "[lua][pool][budget][sandbox]") {
  Budget budget;
  budget.max_bytes = 256 * 1024;
  budget.max_instructions = 100'000'000;
  lua_State* L = lua_newstate(budget_alloc, &budget);
  REQUIRE(L != nullptr);
  luaL_requiref(L, LUA_GNAME, luaopen_base, 1);
  luaL_requiref(L, LUA_STRLIBNAME, luaopen_string, 1);
  lua_settop(L, 0);
  // Strings of every pooled size, each generation freed before the next:
  // live memory stays small while every size class is used in turn.
  const char* code =
      "for size = 1, 200, 7 do\n"
      "  local t = {}\n"
      "  for i = 1, 200 do t[i] = string.rep('x', size) .. i end\n"
      "  t = nil\n"
      "  collectgarbage()\n"
      "end";
  REQUIRE(luaL_loadbufferx(L, code, std::strlen(code), "=churn", "t") == LUA_OK);
  arm_budget(L);
  const int status = lua_pcall(L, 0, 0, 0);
  disarm_budget(L);
  INFO((lua_type(L, -1) == LUA_TSTRING ? lua_tostring(L, -1) : ""));
  CHECK(status == LUA_OK);
  CHECK(budget.pool.chunk_bytes() <= 2 * budget.max_bytes + BlockPool::kChunkBytes);
  lua_close(L);
  CHECK(budget.used_bytes == 0);
}

}  // namespace
}  // namespace vitals::detail
