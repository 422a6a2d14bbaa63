// SPDX-License-Identifier: Apache-2.0
#include "lua/stdlib_allowlist.hpp"

#include "catch.hpp"
#include "lua/lua_test_support.hpp"

#include <string>

namespace vitals::detail {
namespace {

using Sandbox = vitals::testing::ScriptSandbox;

TEST_CASE("only base, table, string, math and utf8 are open", "[lua][sandbox]") {
  Sandbox s;
  CHECK(s.eval("return type(string) .. type(table) .. type(math) .. type(utf8)") ==
        "tabletabletabletable");
  for (const char* lib : {"io", "os", "debug", "package", "coroutine"}) {
    CallResult r = s.run(std::string("return ") + lib);
    CHECK(r.status == CallStatus::kBlockedFunction);
    CHECK(r.message == std::string("rules/t.lua:1: blocked library used: ") + lib +
                           " is not available to rules");
  }
}

TEST_CASE("allowlisted functions work", "[lua][sandbox]") {
  Sandbox s;
  CHECK(s.eval("return select('#', 1, 2, 3)") == "3");
  CHECK(s.eval("local t = {3, 1, 2} table.sort(t) return table.concat(t, ' ')") == "1 2 3");
  CHECK(s.eval("return math.floor(3.7) + math.max(1, 2)") == "5");
  CHECK(s.eval("return utf8.len('→')") == "1");
  CHECK(s.eval("return ('a,b'):gsub(',', ';')") == "a;b");
  CHECK(s.eval("local n = 0 for _ in pairs({a = 1, b = 2}) do n = n + 1 end return n") == "2");
  CHECK(s.eval("return tostring(tonumber('12') + rawlen({1, 2}))") == "14");
}

TEST_CASE("blocked functions are stubs in the real library tables, naming the function",
          "[lua][sandbox]") {
  Sandbox s;
  const char* cases[][2] = {
      {"dofile('x')", "dofile"},
      {"loadfile('x')", "loadfile"},
      {"load('return 1')", "load"},
      {"collectgarbage()", "collectgarbage"},
      {"setmetatable({}, {})", "setmetatable"},
      {"getmetatable('')", "getmetatable"},
      {"rawset(_G, 'x', 1)", "rawset"},
      {"rawget(_G, 'x')", "rawget"},
      {"pcall(print)", "pcall"},
      {"xpcall(print, print)", "xpcall"},
      {"string.dump(print)", "string.dump"},
      {"('x'):dump()", "string.dump"},
  };
  for (const auto& c : cases) {
    CallResult r = s.run(c[0]);
    INFO(c[0]);
    CHECK(r.status == CallStatus::kBlockedFunction);
    CHECK(r.message == std::string("rules/t.lua:1: blocked function called: ") + c[1]);
  }
}

TEST_CASE("the string metatable cannot be reached", "[lua][sandbox]") {
  Sandbox s;
  // getmetatable is blocked; if it ever were not, __metatable would still hide the table.
  CallResult r = s.run("return getmetatable('').__index");
  CHECK(r.status == CallStatus::kBlockedFunction);
  std::string protected_field;
  REQUIRE(s.state
              ->call([&](lua_State* L) {
                lua_pushliteral(L, "");
                lua_getmetatable(L, -1);
                lua_getfield(L, -1, "__metatable");
                protected_field = lua_tostring(L, -1);
              })
              .ok());
  CHECK(protected_field == "protected");
}

TEST_CASE("string.rep is capped at max_string_bytes, by method call too", "[lua][sandbox]") {
  SandboxLimits limits;
  limits.max_string_bytes = 1000;
  Sandbox s(limits);
  CHECK(s.eval("return #string.rep('ab', 500)") == "1000");
  CHECK(s.eval("return #string.rep('a', 334, ',,')") == "1000");
  CHECK(s.eval("return string.rep('abc', 0) .. string.rep('', 1 << 62)") == "");
  for (const char* code :
       {"return string.rep('ab', 501)", "return ('x'):rep(1 << 62)",
        "return string.rep('a', 335, ',,')", "return ('xy'):rep(math.maxinteger)"}) {
    INFO(code);
    CallResult r = s.run(code);
    CHECK(r.status == CallStatus::kMemoryLimit);
    CHECK(r.message ==
          "rules/t.lua:1: string.rep would make a string longer than the limit of 1000 bytes");
    CHECK_FALSE(r.needs_rebuild);
  }
}

TEST_CASE("table.move is capped so it cannot spin outside the instruction budget",
          "[lua][sandbox]") {
  Sandbox s;
  CHECK(s.eval("return table.concat(table.move({1, 2, 3}, 1, 3, 2, {}), ',', 2, 4)") == "1,2,3");
  CallResult r = s.run("return table.move({}, 1, math.maxinteger, 1, {})");
  CHECK(r.status == CallStatus::kMemoryLimit);
  CHECK(r.message.find("table.move would copy more than the limit of") != std::string::npos);
}

TEST_CASE("pattern costs count open-ended and optional items and anchoring",
          "[lua][sandbox][pattern]") {
  // No quantifier: one pass per start position, times the items.
  PatternCost literal = pattern_cost("abc", 9, true, false);
  CHECK(literal.items == 3);
  CHECK(literal.open_ended == 0);
  CHECK(literal.steps == 10.0 * 3);
  // Anchored: a single start position.
  CHECK(pattern_cost("^abc", 9, true, false).steps == 3.0);
  // gmatch cannot anchor.
  CHECK(pattern_cost("^abc", 9, false, false).steps == 10.0 * 4);
  // Each *, + or - multiplies by n + 1, each ? by 2.
  PatternCost lazy = pattern_cost(".-.-b", 9, true, false);
  CHECK(lazy.items == 3);
  CHECK(lazy.open_ended == 2);
  CHECK(lazy.steps == 10.0 * 10.0 * 10.0 * 3);
  PatternCost optional = pattern_cost("a?b?c?", 9, true, false);
  CHECK(optional.optional == 3);
  CHECK(optional.steps == 10.0 * 8.0 * 3);
  // Sets, escapes, captures, %b, %f and back references.
  PatternCost mixed = pattern_cost("^([%]%a]+)%s*%b()%f[%w](%d)%1$", 9, true, false);
  CHECK(mixed.items == 6);       // [%]%a]  %s  %b()  %f[%w]  %d  %1
  CHECK(mixed.open_ended == 4);  // +  *  %b  %1
  CHECK(mixed.optional == 0);
  // A set whose first member is ']' and an unfinished set do not run past the end.
  CHECK(pattern_cost("[]]*", 3, true, false).open_ended == 1);
  CHECK(pattern_cost("[%", 3, true, false).items == 1);
  CHECK(pattern_cost("%f[", 3, true, false).items == 1);
  // The example docs/sandbox.md gives: anchored, two open-ended items of three.
  CHECK(pattern_cost("^(%d+)-(%d+)$", 7, true, false).steps == 192.0);
  // A plain find costs subject length times pattern length.
  CHECK(pattern_cost(".-.-b", 9, true, true).steps == 10.0 * 5);
  // A set is compared member by member: it costs its length, not one.
  PatternCost set = pattern_cost("[abcdef]x", 9, true, false);
  CHECK(set.items == 2);
  CHECK(set.width == 9.0);
  CHECK(set.steps == 10.0 * 9);
  CHECK(pattern_cost("%f[abc]", 9, true, false).width == 5.0);
  CHECK(mixed.width == 6 + 1 + 1 + 4 + 1 + 1);  // the sets [%]%a] and [%w] count their length
}

TEST_CASE("library functions are charged for the text they make or read",
          "[lua][sandbox][cost]") {
  Sandbox s;
  const std::uint64_t kBytes = 60000;
  auto charged = [&](const std::string& code) {
    REQUIRE(s.run(code).ok());
    return s.state->budget().instructions;
  };
  const std::uint64_t base = charged("local s = ('x'):rep(60000)");
  for (const char* call : {"s:upper()", "s:lower()", "s:reverse()", "s:sub(2)", "('%s'):format(s)",
                           "table.concat({ s })", "utf8.len(s)", "tonumber(s)", "rawequal(s, s)"}) {
    INFO(call);
    const std::uint64_t with_call =
        charged(std::string("local s = ('x'):rep(60000) local r = ") + call);
    CHECK(with_call >= base + kBytes / 8);
  }
  // Shifting a long table costs its length.
  const std::uint64_t filled = charged("local t = {} for i = 1, 20000 do t[i] = i end");
  CHECK(charged("local t = {} for i = 1, 20000 do t[i] = i end table.insert(t, 1, 0)") >=
        filled + 20000);
}

TEST_CASE("table.sort counts every comparison", "[lua][sandbox][cost]") {
  Sandbox s;
  CHECK(s.eval("local t = { 3, 1, 2 } table.sort(t) return table.concat(t, ',')") == "1,2,3");
  CHECK(s.eval("local t = { 'b', 'c', 'a' } table.sort(t, function(a, b) return a > b end) "
               "return table.concat(t, ',')") == "c,b,a");
  // A comparison written in C.
  CHECK(s.eval("local t = { 3, 1, 2 } table.sort(t, rawequal) return #t") == "3");
  // Comparing long strings costs their length.
  const std::string fill = "local s = ('x'):rep(60000) local t = {} for i = 1, 64 do t[i] = s end ";
  REQUIRE(s.run(fill).ok());
  const std::uint64_t base = s.state->budget().instructions;
  REQUIRE(s.run(fill + "table.sort(t)").ok());
  CHECK(s.state->budget().instructions >= base + 64 * 60000 / 8);
  // Mixed types still fail as Lua's sort does.
  CallResult r = s.run("local t = { 1, 'a' } table.sort(t)");
  CHECK(r.status == CallStatus::kRuntimeError);
  CHECK(r.message.find("attempt to compare") != std::string::npos);
}

TEST_CASE("ordinary patterns work and are charged to the instruction budget",
          "[lua][sandbox][pattern]") {
  Sandbox s;
  CHECK(s.eval("return ('2017-03'):match('^(%d+)-(%d+)$')") == "2017");
  CHECK(s.eval("return select(2, ('2017-03'):find('-', 1, true))") == "5");
  CHECK(s.eval("local n = 0 for w in ('a, b,c'):gmatch('[^,%s]+') do n = n + 1 end return n") ==
        "3");
  CHECK(s.eval("return (string.gsub('  x  ', '^%s*(.-)%s*$', '%1'))") == "x");
  CHECK(s.eval("return ('abc'):find('b', -2)") == "2");
  s.run("return ('x'):rep(100):find('x-y')");
  // 101 starts x 101 lengths x 2 items, plus the few instructions around it.
  CHECK(s.state->budget().instructions >= 101u * 101u * 2u);
}

TEST_CASE("a backtracking pattern that could outlast the budget is refused before it runs",
          "[lua][sandbox][pattern]") {
  SandboxLimits limits;
  limits.max_instructions = 1'000'000;
  Sandbox s(limits);
  for (const char* code : {"return ('a'):rep(50000):find('.-.-.-.-.-.-b')",
                           "return string.match(('a'):rep(50000), '.-.-.-.-.-.-b')",
                           "for m in ('a'):rep(50000):gmatch('(a*)*b') do end",
                           "return ('a'):rep(50000):gsub('.-.-.-.-.-.-b', '')"}) {
    INFO(code);
    CallResult r = s.run(code);
    CHECK(r.status == CallStatus::kInstructionLimit);
    CHECK_FALSE(r.needs_rebuild);
    CHECK(r.message.find("rules/t.lua:1: string.") == 0);
    CHECK(r.message.find("on a text of 50000 characters, more than the") != std::string::npos);
  }
  CallResult r = s.run("return ('a'):rep(50000):find('.-.-.-.-.-.-b')");
  // string.rep was charged 56,252 units: 50,000 repetitions, 6,250 for the bytes made, 2 for
  // the call and its result.
  CHECK(r.message ==
        "rules/t.lua:1: string.find: the pattern '.-.-.-.-.-.-b' could take up to 5.47e+33 steps "
        "on a text of 50000 characters, more than the 943748 instructions the rule has left; use "
        "fewer '-', '*', '+' and '?' in the pattern, or a shorter text");
  // The state is intact: nothing ran.
  CHECK(s.eval("return 1 + 1") == "2");
}

TEST_CASE("the helper predicates name the libraries", "[lua][sandbox]") {
  CHECK(is_blocked_library("os"));
  CHECK(is_blocked_library("coroutine"));
  CHECK_FALSE(is_blocked_library("string"));
  CHECK(is_sandbox_library("utf8"));
  CHECK_FALSE(is_sandbox_library("io"));
}

}  // namespace
}  // namespace vitals::detail
