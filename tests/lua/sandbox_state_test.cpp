// SPDX-License-Identifier: Apache-2.0
#include "lua/sandbox_state.hpp"

#include "catch.hpp"
#include "lua/lua_test_support.hpp"

#include <cstring>
#include <stdexcept>
#include <string>

namespace vitals::detail {
namespace {

using vitals::testing::test_config;
using vitals::testing::tight_limits;

using Sandbox = vitals::testing::ScriptSandbox;

TEST_CASE("a sandbox state runs plain Lua and returns results", "[lua][sandbox]") {
  Sandbox s;
  std::string result;
  CallResult r = s.run("return string.format('%d-%s', 6 * 7, ('x'):upper())", &result);
  REQUIRE(r.ok());
  CHECK(result == "42-X");
  CHECK(lua_gettop(s.state->lua()) == 0);
}

TEST_CASE("a sandbox state costs tens of kilobytes, not megabytes", "[lua][sandbox]") {
  Sandbox s;
  CHECK(s.state->budget().used_bytes > 0);
  CHECK(s.state->budget().used_bytes < std::size_t{64} << 10);
}

TEST_CASE("a memory limit too small for the libraries fails state creation cleanly",
          "[lua][sandbox]") {
  SandboxLimits limits;
  limits.max_bytes = 4096;
  std::string error;
  auto state = SandboxState::create(test_config(limits), error);
  CHECK(state == nullptr);
  CHECK(error.find("4096") != std::string::npos);
}

TEST_CASE("runtime errors carry the chunk location and a traceback", "[lua][sandbox]") {
  Sandbox s;
  CallResult r = s.run("local x = nil\nreturn x.field");
  CHECK(r.status == CallStatus::kRuntimeError);
  CHECK(r.message == "rules/t.lua:2: attempt to index a nil value (local 'x')");
  CHECK(r.traceback.find("stack traceback:") != std::string::npos);
  CHECK_FALSE(r.needs_rebuild);
}

TEST_CASE("an error object that is not text is described, not converted by metamethods",
          "[lua][sandbox]") {
  Sandbox s;
  CallResult r = s.run("error({})");
  CHECK(r.status == CallStatus::kRuntimeError);
  CHECK(r.message == "(error object is a table value)");
}

TEST_CASE("reading an unknown global is an error", "[lua][sandbox]") {
  Sandbox s;
  CallResult r = s.run("return undefined_name");
  CHECK(r.status == CallStatus::kRuntimeError);
  CHECK(r.message == "rules/t.lua:1: unknown global 'undefined_name'");
}

TEST_CASE("globals may be created until writes are protected", "[lua][sandbox]") {
  Sandbox s;
  REQUIRE(s.run("helper = 1").ok());
  REQUIRE(s.state->call([](lua_State* L) { SandboxState::protect_global_writes(L); }).ok());
  std::string result;
  REQUIRE(s.run("helper = helper + 1 return tostring(helper)", &result).ok());
  CHECK(result == "2");
  CallResult r = s.run("x = 1");
  CHECK(r.status == CallStatus::kRuntimeError);
  CHECK(r.message == "rules/t.lua:1: rule attempted to create global 'x'");
}

TEST_CASE("the instruction limit is classified and asks for a rebuild", "[lua][sandbox]") {
  Sandbox s(tight_limits());
  CallResult r = s.run("local n = 0\nwhile true do n = n + 1 end");
  CHECK(r.status == CallStatus::kInstructionLimit);
  CHECK(r.message == "rules/t.lua:2: instruction limit exceeded (1000000 instructions)");
  CHECK(r.needs_rebuild);
  // Each call has its own budget.
  CHECK(s.run("local n = 0 for i = 1, 100 do n = n + i end").ok());
}

TEST_CASE("the time limit is classified and asks for a rebuild", "[lua][sandbox]") {
  SandboxLimits limits = tight_limits();
  limits.max_instructions = 1'000'000'000'000;
  limits.max_cpu_ms = 10;
  Sandbox s(limits);
  CallResult r = s.run("local n = 0\nwhile true do n = n + 1 end");
  CHECK(r.status == CallStatus::kTimeLimit);
  CHECK(r.message == "rules/t.lua:2: time limit exceeded (10 ms of CPU time)");
  CHECK(r.needs_rebuild);
  CHECK(s.run("local n = 0 for i = 1, 100 do n = n + i end").ok());
}

TEST_CASE("a string over the string cap is classified as a memory limit, located nowhere",
          "[lua][sandbox]") {
  Sandbox s(tight_limits());
  CallResult r = s.run("local s = ('x'):rep(40000)\nreturn s .. s");
  CHECK(r.status == CallStatus::kMemoryLimit);
  CHECK(r.message == "a string would be longer than the limit of 65536 bytes");
  CHECK_FALSE(r.needs_rebuild);
  CHECK(s.run("return 1").ok());
}

TEST_CASE("the memory limit is classified and asks for a rebuild", "[lua][sandbox]") {
  Sandbox s(tight_limits());
  CallResult r = s.run("local t = {} local i = 0 while true do i = i + 1 t[i] = i end");
  CHECK(r.status == CallStatus::kMemoryLimit);
  CHECK(r.message == "not enough memory");
  CHECK(r.needs_rebuild);
}

TEST_CASE("math.random repeats the same sequence on every call and in every state",
          "[lua][sandbox][determinism]") {
  const std::string code =
      "local t = {} for i = 1, 5 do t[i] = math.random(1000000) end return table.concat(t, ',')";
  Sandbox a;
  Sandbox b;
  std::string first, second, third;
  REQUIRE(a.run(code, &first).ok());
  REQUIRE(a.run(code, &second).ok());
  REQUIRE(b.run(code, &third).ok());
  CHECK(first == second);
  CHECK(first == third);
}

TEST_CASE("a C++ exception from host code becomes a Lua error", "[lua][sandbox]") {
  Sandbox s;
  CallResult r = s.state->call([](lua_State*) { throw std::runtime_error("host failed"); });
  CHECK(r.status == CallStatus::kRuntimeError);
  CHECK(r.message == "host failed");
}

TEST_CASE("a foreign exception that escapes the trampoline is reported as an internal error",
          "[lua][sandbox]") {
  Sandbox s;
  // Not a std::exception: Lua 5.4's C++ build swallows it with status -1.
  CallResult r = s.state->call([](lua_State*) { throw 42; });
  CHECK(r.status == CallStatus::kInternalError);
  CHECK(r.needs_rebuild);
  CHECK(s.run("return 1").ok());
}

TEST_CASE("warn is blocked: rules write to the log with vitals.log", "[lua][sandbox]") {
  Sandbox s;
  CallResult r = s.run("warn('hello')");
  CHECK(r.status == CallStatus::kBlockedFunction);
  CHECK(r.message == "rules/t.lua:1: blocked function called: warn");
}

}  // namespace
}  // namespace vitals::detail
