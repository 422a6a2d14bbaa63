// SPDX-License-Identifier: Apache-2.0
#include "lua/stable_tostring.hpp"

#include "catch.hpp"
#include "lua/lua_test_support.hpp"

#include <string>

namespace vitals::detail {
namespace {

using Sandbox = vitals::testing::ScriptSandbox;

TEST_CASE("tostring shows no heap address: rule output is the same in every run",
          "[lua][sandbox][determinism]") {
  Sandbox s;
  CHECK(s.eval("return tostring({})") == "table");
  CHECK(s.eval("return tostring(print)") == "function");
  CHECK(s.eval("return tostring(function() end)") == "function");
  CHECK(s.eval("return 'evidence: ' .. tostring({1, 2})") == "evidence: table");
  CHECK(s.eval("return string.format('%s and %s', {}, print)") == "table and function");
  CHECK(s.eval("return ('%s'):format({})") == "table");
  // Values that print without an address are unchanged.
  CHECK(s.eval("return tostring(1.5) .. tostring(nil) .. tostring(true) .. tostring('x')") ==
        "1.5niltruex");
  CHECK(s.eval("return string.format('%5.1f|%d|%q', 3.14159, 42, 'a')") == "  3.1|42|\"a\"");
}

TEST_CASE("string.format refuses %p, which prints a memory address", "[lua][sandbox]") {
  Sandbox s;
  CallResult r = s.run("return string.format('%p', {})");
  CHECK(r.status == CallStatus::kRuntimeError);
  CHECK(r.message ==
        "rules/t.lua:1: string.format: '%p' (a memory address) is not available to rules");
  CHECK(s.eval("return string.format('100%%')") == "100%");
}

}  // namespace
}  // namespace vitals::detail
