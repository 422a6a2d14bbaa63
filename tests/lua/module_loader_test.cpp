// SPDX-License-Identifier: Apache-2.0
#include "lua/module_loader.hpp"

#include "catch.hpp"
#include "lua/lua_test_support.hpp"

#include <string>

namespace vitals::detail {
namespace {

using vitals::testing::TempDir;
using vitals::testing::test_config;

vitals::testing::ScriptSandbox make_sandbox(const TempDir& dir, SandboxLimits limits) {
  dir.write("rules/lib/series.lua", "local M = {} function M.twice(x) return 2 * x end return M\n");
  dir.write("rules/lib/nested/deep.lua", "return { name = ... }\n");
  // Counts its own runs in a global (the test state does not protect global writes).
  dir.write("rules/lib/counter.lua",
            "local n = 0\nfor k, v in pairs(_G) do if k == 'counter_loads' then n = v end end\n"
            "counter_loads = n + 1\nreturn counter_loads\n");
  dir.write("rules/lib/nothing.lua", "local x = 1\n");
  dir.write("rules/lib/broken.lua", "local x = \n");
  dir.write("rules/lib/fails.lua", "local t = nil\nreturn t.x\n");
  dir.write("rules/lib/self.lua", "return require 'vitals.self'\n");
  dir.write("rules/lib/ping.lua", "return require 'pong'\n");
  dir.write("rules/lib/pong.lua", "return require 'ping'\n");
  dir.write("rules/lib/spin.lua", "while true do end\n");
  dir.write("rules/lib/bytecode.lua", std::string("\x1bLua\x54\x00", 6) + "junk");
  dir.write("rules/lib/globals.lua", "made_by_module = true return true\n");
  SandboxConfig config = test_config(limits);
  config.module_dirs = {ModuleDir{dir / "rules/lib", "rules/lib"}};
  return vitals::testing::ScriptSandbox(config);
}

// A sandbox whose require serves a temporary rules/lib.
struct Sandbox {
  TempDir dir;
  vitals::testing::ScriptSandbox box;
  explicit Sandbox(SandboxLimits limits = {}) : box(make_sandbox(dir, limits)) {}
  CallResult run(const std::string& code) { return box.run(code); }
  std::string eval(const std::string& code) { return box.eval(code); }
  SandboxState* operator->() { return box.state.get(); }
};

TEST_CASE("module names map to files inside the module folder only", "[lua][modules]") {
  CHECK(module_file_for("series") == "series.lua");
  CHECK(module_file_for("vitals.series") == "series.lua");
  CHECK(module_file_for("a.b") == "a/b.lua");
  CHECK(module_file_for("vitals") == "vitals.lua");
  CHECK(module_file_for("") == std::nullopt);
  CHECK(module_file_for("../etc/passwd") == std::nullopt);
  CHECK(module_file_for("a..b") == std::nullopt);
  CHECK(module_file_for("a/b") == std::nullopt);
  CHECK(module_file_for(".hidden") == std::nullopt);
  CHECK(module_file_for("series.") == std::nullopt);
}

TEST_CASE("require loads rules/lib modules by short or vitals. name, once per state",
          "[lua][modules]") {
  Sandbox s;
  CHECK(s.eval("return require('vitals.series').twice(21)") == "42");
  CHECK(s.eval("return tostring(require('series') == require('vitals.series'))") == "true");
  CHECK(s.eval("return require('nested.deep').name") == "nested.deep");
  CHECK(s.eval("return require 'counter'") == "1");
  CHECK(s.eval("return require 'counter'") == "1");
  CHECK(s.eval("return tostring(require 'nothing')") == "true");
}

TEST_CASE("require serves the open libraries and blocks the others", "[lua][modules]") {
  Sandbox s;
  CHECK(s.eval("return tostring(require('string') == string)") == "true");
  CHECK(s.eval("return tostring(require('math') == math)") == "true");
  CallResult r = s.run("return require 'os'");
  CHECK(r.status == CallStatus::kBlockedFunction);
  CHECK(r.message == "rules/t.lua:1: blocked library used: os is not available to rules");
  r = s.run("return require('io')");
  CHECK(r.status == CallStatus::kBlockedFunction);
}

TEST_CASE("require explains missing modules and bad names", "[lua][modules]") {
  Sandbox s;
  CallResult r = s.run("return require 'missing'");
  CHECK(r.status == CallStatus::kRuntimeError);
  CHECK(r.message ==
        "rules/t.lua:1: module 'missing' not found (looked for rules/lib/missing.lua)");
  r = s.run("return require '../../etc/passwd'");
  CHECK(r.status == CallStatus::kRuntimeError);
  CHECK(r.message ==
        "rules/t.lua:1: invalid module name '../../etc/passwd': use names such as "
        "\"vitals.series\" (words "
        "of letters, digits and _ joined by dots)");
}

TEST_CASE("errors inside modules name the module file and line", "[lua][modules]") {
  Sandbox s;
  CallResult r = s.run("return require 'broken'");
  CHECK(r.status == CallStatus::kRuntimeError);
  CHECK(r.message == "rules/lib/broken.lua:2: unexpected symbol near <eof>");
  r = s.run("return require 'fails'");
  CHECK(r.message == "rules/lib/fails.lua:2: attempt to index a nil value (local 't')");
  // A failed load is not cached, and its in-progress mark does not look like a cycle later.
  r = s.run("return require 'fails'");
  CHECK(r.message == "rules/lib/fails.lua:2: attempt to index a nil value (local 't')");
}

TEST_CASE("require cycles are reported instead of recursing", "[lua][modules]") {
  Sandbox s;
  CallResult r = s.run("return require 'self'");
  CHECK(r.status == CallStatus::kRuntimeError);
  CHECK(r.message ==
        "rules/lib/self.lua:1: module 'vitals.self' requires itself (directly or through other "
        "modules)");
  r = s.run("return require 'ping'");
  CHECK(r.message ==
        "rules/lib/pong.lua:1: module 'ping' requires itself (directly or through other modules)");
}

TEST_CASE("modules are loaded as text only: bytecode is refused", "[lua][modules][sandbox]") {
  Sandbox s;
  CallResult r = s.run("return require 'bytecode'");
  CHECK(r.status == CallStatus::kRuntimeError);
  CHECK(r.message == "attempt to load a binary chunk (mode is 't')");
}

TEST_CASE("modules run under the caller's instruction budget", "[lua][modules][sandbox]") {
  Sandbox s(vitals::testing::tight_limits());
  CallResult r = s.run("return require 'spin'");
  CHECK(r.status == CallStatus::kInstructionLimit);
  CHECK(r.message == "rules/lib/spin.lua:1: instruction limit exceeded (1000000 instructions)");
}

TEST_CASE("modules follow the global protection of the state", "[lua][modules]") {
  Sandbox s;
  REQUIRE(s->call([](lua_State* L) { SandboxState::protect_global_writes(L); }).ok());
  CallResult r = s.run("return require 'globals'");
  CHECK(r.message == "rules/lib/globals.lua:1: rule attempted to create global 'made_by_module'");
}

}  // namespace
}  // namespace vitals::detail
