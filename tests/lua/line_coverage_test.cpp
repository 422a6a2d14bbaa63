// SPDX-License-Identifier: Apache-2.0
#include "lua/line_coverage.hpp"

#include "catch.hpp"
#include "lua/budget.hpp"
#include "lua/lua_test_support.hpp"

#include <algorithm>
#include <cstring>
#include <set>
#include <string>
#include <vector>

namespace vitals {
namespace {

using detail::LineCoverage;
using testing::ScriptSandbox;
using testing::test_config;
using testing::tight_limits;

// Comments, a blank line, nested and vararg functions, and a function
// inside a function that never runs.
constexpr const char* kChunk =
    "local function a(x)\n"      // 1
    "  if x then\n"              // 2
    "    return 1\n"             // 3
    "  end\n"                    // 4
    "  -- a comment\n"           // 5
    "\n"                         // 6
    "  return 2\n"               // 7
    "end\n"                      // 8
    "local b = function(...)\n"  // 9
    "  local t = {...}\n"        // 10
    "  local function never()\n" // 11
    "    return t\n"             // 12
    "  end\n"                    // 13
    "  return #t\n"              // 14
    "end\n"                      // 15
    "return a, b";               // 16

int write_dump(lua_State*, const void* p, std::size_t size, void* ud) {
  static_cast<std::string*>(ud)->append(static_cast<const char*>(p), size);
  return 0;
}

// The active lines Lua reports for the function on top of the stack (popped).
std::set<int> active_lines(lua_State* L) {
  lua_Debug ar;
  lua_getinfo(L, ">L", &ar);
  std::set<int> lines;
  lua_pushnil(L);
  while (lua_next(L, -2) != 0) {
    lines.insert(static_cast<int>(lua_tointeger(L, -2)));
    lua_pop(L, 1);
  }
  lua_pop(L, 1);
  return lines;
}

TEST_CASE("executable lines are Lua's active lines less each function's closing return",
          "[lua][coverage]") {
  detail::Budget budget;
  budget.max_bytes = 1u << 20;
  lua_State* L = lua_newstate(detail::budget_alloc, &budget);
  REQUIRE(luaL_loadbufferx(L, kChunk, std::strlen(kChunk), "@rules/c.lua", "t") == LUA_OK);
  std::string dump;
  REQUIRE(lua_dump(L, write_dump, &dump, 0) == 0);
  std::vector<int> lines;
  std::string error;
  REQUIRE(detail::executable_lines(dump, lines, error));
  // Lua makes each closure on the line of its `end` (8, 13, 15): the line
  // with `function` holds no code.
  CHECK(lines == std::vector<int>{2, 3, 7, 8, 10, 12, 13, 14, 15, 16});

  // What Lua itself says for the chunk and the functions it returns.
  std::set<int> active;
  lua_pushvalue(L, -1);
  active.merge(active_lines(L));
  luaL_openlibs(L);
  lua_call(L, 0, 2);
  active.merge(active_lines(L));
  active.merge(active_lines(L));
  // Every active line is executable, and the dump adds the lines of
  // `never`, whose closure Lua cannot reach (line 12).
  std::set<int> missing;
  for (int line : lines) {
    if (active.count(line) == 0) missing.insert(line);
  }
  CHECK(missing == std::set<int>{12});
  std::set<int> extra;
  for (int line : active) {
    if (std::find(lines.begin(), lines.end(), line) == lines.end()) extra.insert(line);
  }
  CHECK(extra == std::set<int>{});
  lua_close(L);
}

TEST_CASE("a dump that is not Lua 5.4's is refused, not misread", "[lua][coverage]") {
  std::vector<int> lines;
  std::string error;
  CHECK_FALSE(detail::executable_lines("", lines, error));
  CHECK_FALSE(detail::executable_lines("\x1bLua\x53", lines, error));
  CHECK_FALSE(detail::executable_lines("return 1", lines, error));
  LineCoverage coverage;
  CHECK_FALSE(coverage.add_source("rules/bad.lua", "return {", 1u << 20));
  CHECK(coverage.files().empty());
  CHECK(coverage.add_source("rules/good.lua", "local x = 1\n\nreturn x\n", 1u << 20));
  CHECK(coverage.files().at("rules/good.lua").executable == std::vector<int>{1, 3});
}

// Loads `code` as rules/t.lua in `sandbox`, noting the chunk, and runs it.
detail::CallResult run_noted(ScriptSandbox& sandbox, const std::string& code) {
  return sandbox.state->call([&](lua_State* L) {
    if (luaL_loadbufferx(L, code.data(), code.size(), "@rules/t.lua", "t") != LUA_OK)
      lua_error(L);
    detail::SandboxState::from(L).note_chunk(L);
    lua_call(L, 0, 0);
  });
}

TEST_CASE("with coverage the hook records the lines run; without it no line hook is set",
          "[lua][coverage]") {
  SECTION("off") {
    ScriptSandbox sandbox;
    int mask = -1;
    REQUIRE(sandbox.state->call([&](lua_State* L) { mask = lua_gethookmask(L); }).ok());
    CHECK(mask == LUA_MASKCOUNT);
    REQUIRE(run_noted(sandbox, "local x = 1\nreturn x\n").ok());
  }
  SECTION("on") {
    LineCoverage coverage;
    detail::SandboxConfig config = test_config();
    config.coverage = &coverage;
    ScriptSandbox sandbox(config);
    int mask = -1;
    REQUIRE(sandbox.state->call([&](lua_State* L) { mask = lua_gethookmask(L); }).ok());
    CHECK(mask == (LUA_MASKCOUNT | LUA_MASKLINE));
    REQUIRE(run_noted(sandbox,
                      "local x = 1\n"           // 1
                      "if x > 1 then\n"         // 2
                      "  x = 2\n"               // 3
                      "end\n"                   // 4
                      "local function f()\n"    // 5
                      "  return x\n"            // 6
                      "end\n"                   // 7
                      "return x\n")             // 8
                .ok());
    const LineCoverage::File& file = coverage.files().at("rules/t.lua");
    CHECK(file.executable == std::vector<int>{1, 2, 3, 6, 7, 8});
    std::vector<int> hit;
    for (std::size_t line = 0; line < file.hit.size(); ++line) {
      if (file.hit[line] != 0) hit.push_back(static_cast<int>(line));
    }
    CHECK(hit == std::vector<int>{1, 2, 7, 8});
    // Between calls the hook is gone.
    CHECK(lua_gethookmask(sandbox.state->lua()) == 0);
  }
}

TEST_CASE("the instruction limit still stops a runaway script while coverage is on",
          "[lua][coverage][sandbox]") {
  LineCoverage coverage;
  detail::SandboxConfig config = test_config(tight_limits());
  config.coverage = &coverage;
  ScriptSandbox sandbox(config);
  detail::CallResult result = run_noted(sandbox, "local n = 0\nwhile true do\n  n = n + 1\nend\n");
  CHECK(result.status == detail::CallStatus::kInstructionLimit);
  CHECK(result.message.find("rules/t.lua:") == 0);
  const LineCoverage::File& file = coverage.files().at("rules/t.lua");
  CHECK(file.hit.at(3) != 0);
}

}  // namespace
}  // namespace vitals
