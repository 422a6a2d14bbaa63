// SPDX-License-Identifier: Apache-2.0
#include "lua/budget.hpp"

#include "catch.hpp"

#include <chrono>
#include <cstring>
#include <string>

namespace vitals::detail {
namespace {

struct RawState {
  Budget budget;
  lua_State* L = nullptr;
  explicit RawState(std::size_t max_bytes, std::uint64_t max_instructions = 1'000'000) {
    budget.max_bytes = max_bytes;
    budget.max_instructions = max_instructions;
    L = lua_newstate(budget_alloc, &budget);
    // Base, string and table only, pcall included: this tests the budget, not the allowlist.
    luaL_requiref(L, LUA_GNAME, luaopen_base, 1);
    luaL_requiref(L, LUA_STRLIBNAME, luaopen_string, 1);
    luaL_requiref(L, LUA_TABLIBNAME, luaopen_table, 1);
    lua_settop(L, 0);
  }
  ~RawState() { lua_close(L); }
  int run(const char* code) {
    if (luaL_loadbufferx(L, code, std::strlen(code), "=test", "t") != LUA_OK) return -100;
    arm_budget(L);
    int status = lua_pcall(L, 0, 0, 0);
    disarm_budget(L);
    return status;
  }
  std::string message() { return lua_type(L, -1) == LUA_TSTRING ? lua_tostring(L, -1) : ""; }
};

TEST_CASE("budget allocator refuses fresh allocations past the limit", "[lua][budget]") {
  Budget budget;
  budget.max_bytes = 1000;
  void* a = budget_alloc(&budget, nullptr, LUA_TSTRING, 600);
  REQUIRE(a != nullptr);
  CHECK(budget.used_bytes == 600);
  // osize is a type tag for fresh blocks, not a size: it must not be subtracted.
  CHECK(budget_alloc(&budget, nullptr, LUA_TTABLE, 401) == nullptr);
  CHECK(budget.mem_hit);
  CHECK(budget.used_bytes == 600);
  void* b = budget_alloc(&budget, nullptr, LUA_TTABLE, 400);
  REQUIRE(b != nullptr);
  CHECK(budget.used_bytes == 1000);
  budget_alloc(&budget, a, 600, 0);
  budget_alloc(&budget, b, 400, 0);
  CHECK(budget.used_bytes == 0);
}

TEST_CASE("budget allocator refuses growing reallocations but never shrinks or frees",
          "[lua][budget]") {
  Budget budget;
  budget.max_bytes = 1000;
  void* a = budget_alloc(&budget, nullptr, 0, 800);
  REQUIRE(a != nullptr);
  CHECK(budget_alloc(&budget, a, 800, 1001) == nullptr);
  CHECK(budget.mem_hit);
  CHECK(budget.used_bytes == 800);
  budget.max_bytes = 100;  // even over the limit, a shrink succeeds
  void* shrunk = budget_alloc(&budget, a, 800, 200);
  REQUIRE(shrunk != nullptr);
  CHECK(budget.used_bytes == 200);
  CHECK(budget_alloc(&budget, shrunk, 200, 0) == nullptr);
  CHECK(budget.used_bytes == 0);
}

TEST_CASE("a string.rep bomb fails with a memory error under the allocator budget",
          "[lua][budget]") {
  RawState s(1u << 20);
  CHECK(s.run("local s = string.rep('x', 1 << 24)") == LUA_ERRMEM);
  CHECK(s.budget.mem_hit);
  CHECK(s.message() == "not enough memory");
  lua_settop(s.L, 0);
  CHECK(s.run("local t = {} for i = 1, 1e7 do t[i] = i end") == LUA_ERRMEM);
}

TEST_CASE("the instruction hook stops an endless loop", "[lua][budget]") {
  RawState s(8u << 20, 100'000);
  CHECK(s.run("while true do end") == LUA_ERRRUN);
  CHECK(s.budget.cpu_hit);
  CHECK(s.message() == "test:1: instruction limit exceeded (100000 instructions)");
  CHECK(s.budget.instructions > 100'000);
  CHECK(s.budget.instructions <= 100'000 + kHookInterval);
}

TEST_CASE("the time limit stops a loop whose instructions each do long work in C",
          "[lua][budget]") {
  RawState s(8u << 20, 1'000'000'000'000);
  s.budget.max_cpu_ns = 20'000'000;
  const auto start = std::chrono::steady_clock::now();
  // Each == compares 1 MiB: under the instruction budget alone this ran for hours.
  CHECK(s.run("local a = string.rep('x', 1 << 20) local b = string.rep('x', 1 << 20)\n"
              "while true do local same = a == b end") == LUA_ERRRUN);
  const std::chrono::duration<double> took = std::chrono::steady_clock::now() - start;
  CHECK(took.count() < 3.0);
  CHECK(s.budget.time_hit);
  CHECK_FALSE(s.budget.cpu_hit);
  CHECK(s.message() == "test:2: time limit exceeded (20 ms of CPU time)");
  // The next call has its own time.
  lua_settop(s.L, 0);
  CHECK(s.run("local n = 0 for i = 1, 1000 do n = n + i end") == LUA_OK);
  CHECK_FALSE(s.budget.time_hit);
}

TEST_CASE("the time limit survives pcall thanks to the sticky hook", "[lua][budget]") {
  RawState s(8u << 20, 1'000'000'000'000);
  s.budget.max_cpu_ns = 10'000'000;
  CHECK(s.run("while true do pcall(function() while true do end end) end") == LUA_ERRRUN);
  CHECK(s.budget.time_hit);
  CHECK(s.message().find("time limit exceeded (10 ms of CPU time)") != std::string::npos);
}

TEST_CASE("work charged by library functions counts and stops a call", "[lua][budget]") {
  RawState s(8u << 20, 100'000);
  lua_pushcfunction(s.L, [](lua_State* L) {
    charge_work(L, static_cast<std::uint64_t>(luaL_checkinteger(L, 1)));
    return 0;
  });
  lua_setglobal(s.L, "work");
  CHECK(s.run("work(50000)") == LUA_OK);
  CHECK(s.budget.instructions >= 50'000);
  CHECK(s.run("work(50000) work(50001)") == LUA_ERRRUN);
  CHECK(s.budget.cpu_hit);
  // Located at the Lua code that called the library function.
  CHECK(s.message() == "test:1: instruction limit exceeded (100000 instructions)");
}

TEST_CASE("no string longer than the string cap is made, however it is built",
          "[lua][budget]") {
  RawState s(8u << 20);
  s.budget.max_string_bytes = 1000;
  CHECK(s.run("local s = string.rep('x', 1000)") == LUA_OK);
  CHECK_FALSE(s.budget.string_cap_hit);
  CHECK(s.run("local s = string.rep('x', 600) local t = s .. s") == LUA_ERRMEM);
  CHECK(s.budget.string_cap_hit);
  CHECK(s.run("local s = string.rep('x', 600) local t = table.concat({ s, s })") == LUA_ERRMEM);
  CHECK(s.budget.string_cap_hit);
  CHECK(s.run("local s = string.rep('x', 1001)") == LUA_ERRMEM);
  CHECK(s.run("local s = string.rep('x', 999) .. 'y'") == LUA_OK);
  // Other objects may be larger.
  CHECK(s.run("local t = {} for i = 1, 1000 do t[i] = i end") == LUA_OK);
}

TEST_CASE("budget error survives pcall thanks to the sticky hook", "[lua][budget][sandbox]") {
  RawState s(8u << 20, 1'000'000);
  // Without the sticky re-arm this ran about 100 times the budget and returned normally.
  CHECK(s.run("while true do pcall(function() while true do end end) end") == LUA_ERRRUN);
  CHECK(s.budget.cpu_hit);
  CHECK(s.message().find("instruction limit exceeded") != std::string::npos);
  CHECK(s.budget.instructions <= 1'000'000 + kHookInterval);
}

TEST_CASE("arming the budget resets the per-call counters and flags", "[lua][budget]") {
  RawState s(8u << 20, 50'000);
  CHECK(s.run("while true do end") == LUA_ERRRUN);
  REQUIRE(s.budget.cpu_hit);
  lua_settop(s.L, 0);
  CHECK(s.run("local n = 0 for i = 1, 1000 do n = n + i end") == LUA_OK);
  CHECK_FALSE(s.budget.cpu_hit);
  CHECK_FALSE(s.budget.mem_hit);
}

}  // namespace
}  // namespace vitals::detail
