// SPDX-License-Identifier: Apache-2.0
#include "lua/host_functions.hpp"

#include "catch.hpp"
#include "lua/lua_test_support.hpp"

#include <spdlog/sinks/ostream_sink.h>

#include <cstring>
#include <memory>
#include <new>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

namespace vitals::detail {
namespace {

using vitals::testing::test_config;

using Sandbox = vitals::testing::ScriptSandbox;

TEST_CASE("format_number gives short text with thousands separators", "[lua][host]") {
  CHECK(format_number(3.56) == "3.56");
  CHECK(format_number(1.5) == "1.5");
  CHECK(format_number(1.50) == "1.5");
  CHECK(format_number(3523) == "3,523");
  CHECK(format_number(137) == "137");
  CHECK(format_number(94.2) == "94.2");
  CHECK(format_number(0) == "0");
  CHECK(format_number(1234567.891) == "1,234,567.89");
  CHECK(format_number(-1234.5) == "-1,234.5");
  CHECK(format_number(-0.001) == "0");
  CHECK(format_number(999.999) == "1,000");
  CHECK(format_number(100) == "100");
  CHECK(format_number(1000) == "1,000");
}

TEST_CASE("format_percent rounds to a whole number from 10 and to one decimal below",
          "[lua][host]") {
  CHECK(format_percent(137.3333) == "137");
  CHECK(format_percent(7.5) == "7.5");
  CHECK(format_percent(7.54) == "7.5");
  CHECK(format_percent(5.0) == "5");
  CHECK(format_percent(5.000000000000001) == "5");
  CHECK(format_percent(10.4) == "10");
  CHECK(format_percent(12345.6) == "12,346");
  CHECK(format_percent(0.04) == "0");
}

TEST_CASE("is_worse follows polarity and treats ties as not worse", "[lua][host]") {
  CHECK(is_worse(3.4, 3.2, Polarity::kSmallerIsBetter));
  CHECK_FALSE(is_worse(3.2, 3.4, Polarity::kSmallerIsBetter));
  CHECK(is_worse(80, 90, Polarity::kBiggerIsBetter));
  CHECK_FALSE(is_worse(90, 80, Polarity::kBiggerIsBetter));
  CHECK_FALSE(is_worse(3.1, 3.1, Polarity::kSmallerIsBetter));
  CHECK_FALSE(is_worse(3.1, 3.1, Polarity::kBiggerIsBetter));
}

TEST_CASE("the vitals table offers formatting and comparison helpers", "[lua][host]") {
  Sandbox s;
  CHECK(s.eval("return vitals.format(3523)") == "3,523");
  CHECK(s.eval("return vitals.format(3.56)") == "3.56");
  CHECK(s.eval("return vitals.format_pct(137.33)") == "137");
  CHECK(s.eval("return tostring(vitals.is_worse(3.56, 3.5, 'smaller'))") == "true");
  CHECK(s.eval("return tostring(vitals.is_worse(3.5, 3.5, 'bigger'))") == "false");
  CallResult r = s.run("return vitals.is_worse(1, 2, 'up')");
  CHECK(r.status == CallStatus::kRuntimeError);
  CHECK(r.message ==
        "rules/t.lua:1: vitals.is_worse: polarity must be \"bigger\" or \"smaller\", got \"up\"");
}

TEST_CASE("vitals.figure writes a figure with the indicator's decimals and unit", "[lua][host]") {
  Sandbox s;
  CHECK(s.eval("return vitals.figure(2, { unit = 'percent', decimals = 1 })") == "2.0%");
  CHECK(s.eval("return vitals.figure(3.7, { unit = 'percent' })") == "3.7%");  // the unit's default
  CHECK(s.eval("return vitals.figure(3, { unit = 'per_100k', decimals = 2 })") == "3.00");
  CHECK(s.eval("return vitals.figure(3523.4, { unit = 'count' })") == "3,523");
  CHECK(s.eval("return vitals.figure(-20, { unit = 'currency' })") == "-£20");
  CHECK(s.eval("return vitals.figure(0.755, { unit = 'number', decimals = 0 })") == "1");
  CallResult bad_unit = s.run("return vitals.figure(1, { unit = 'percentage' })");
  CHECK(bad_unit.status == CallStatus::kRuntimeError);
  CHECK(bad_unit.message ==
        "rules/t.lua:1: vitals.figure: the indicator's unit must be \"percent\", \"per_100k\", "
        "\"count\", \"currency\" or \"number\", got \"percentage\"");
  CallResult bad_decimals = s.run("return vitals.figure(1, { unit = 'count', decimals = 7 })");
  CHECK(bad_decimals.status == CallStatus::kRuntimeError);
  CHECK(bad_decimals.message ==
        "rules/t.lua:1: vitals.figure: decimals must be an integer from 0 to 6");
  CHECK(s.run("return vitals.figure(1, { unit = 'count', decimals = 1.5 })").status ==
        CallStatus::kRuntimeError);
  CHECK(s.run("return vitals.figure(1)").status == CallStatus::kRuntimeError);
}

TEST_CASE("period helpers step through months, quarters and years", "[lua][host]") {
  Sandbox s;
  CHECK(s.eval("return vitals.next_period('2016-12')") == "2017-01");
  CHECK(s.eval("return vitals.next_period('2017-03', -3)") == "2016-12");
  CHECK(s.eval("return vitals.next_period('2017-Q1', -1)") == "2016-Q4");
  CHECK(s.eval("return vitals.next_period('2016', 1)") == "2017");
  CHECK(s.eval("return vitals.next_period('2016/17', 1)") == "2017/18");
  CHECK(s.eval("return vitals.periods_between('2016-12', '2017-03')") == "3");
  CHECK(s.eval("return vitals.periods_between('2017-Q2', '2016-Q4')") == "-2");
  CHECK(s.eval("return vitals.period_label('2017-03')") == "Mar 2017");
  CHECK(s.eval("return vitals.period_label('2017-Q1')") == "Q1 2017");
  CHECK(s.eval("return vitals.period_word('monthly', 3)") == "months");
  CHECK(s.eval("return vitals.period_word('monthly', 1)") == "month");
  CHECK(s.eval("return vitals.period_word('quarterly', 2)") == "quarters");
  CHECK(s.eval("return vitals.period_word('annual', 1)") == "year");
  CHECK(s.eval("return vitals.period_word('financial_year', 4)") == "years");
  CHECK(s.eval("return vitals.period_word('financial_quarterly', 1)") == "quarter");
  CHECK(s.eval("return vitals.next_period('2017/18-Q4', 1)") == "2018/19-Q1");
  CHECK(s.eval("return vitals.periods_between('2016/17-Q3', '2017/18-Q1')") == "2");
  CHECK(s.eval("return vitals.period_label('2017/18-Q1')") == "Q1 2017/18");
  CallResult r = s.run("return vitals.periods_between('2017-03', '2017-Q1')");
  CHECK(r.message ==
        "rules/t.lua:1: vitals.periods_between: 2017-03 and 2017-Q1 are periods of different "
        "lengths");
}

TEST_CASE("a host function that throws becomes a located Lua error, and the state keeps working",
          "[lua][host][sandbox]") {
  Sandbox s;
  CallResult r = s.run("local p = '2017-13'\nreturn vitals.next_period(p)");
  CHECK(r.status == CallStatus::kRuntimeError);
  CHECK(r.message ==
        "rules/t.lua:2: vitals.next_period: invalid period '2017-13': expected YYYY-MM (month), "
        "YYYY-Qn "
        "(quarter), YYYY (year), YYYY/YY (financial year) or YYYY/YY-Qn (financial quarter)");
  CHECK_FALSE(r.needs_rebuild);
  CHECK(s.eval("return vitals.next_period('2017-12')") == "2018-01");
}

int throws_runtime_error(lua_State*) { throw std::runtime_error("disk on fire"); }
int throws_bad_alloc(lua_State*) { throw std::bad_alloc(); }
int raises_lua_error(lua_State* L) {
  std::string guard = "destroyed during unwinding";
  return luaL_error(L, "lua error passes through the trampoline");
}

TEST_CASE("the trampoline turns std::exception into a Lua error and lets Lua errors pass",
          "[lua][host][sandbox]") {
  Sandbox s;
  auto call_with = [&](lua_CFunction f) {
    return s.state->call([f](lua_State* L) {
      lua_pushcfunction(L, f);
      lua_setglobal(L, "host");
      const char* code = "local x = 1\nreturn host()";
      if (luaL_loadbufferx(L, code, std::strlen(code), "@rules/t.lua", "t") != LUA_OK) lua_error(L);
      lua_call(L, 0, 0);
    });
  };
  CallResult r = call_with(guarded<throws_runtime_error>);
  CHECK(r.status == CallStatus::kRuntimeError);
  CHECK(r.message == "rules/t.lua:2: disk on fire");
  r = call_with(guarded<throws_bad_alloc>);
  CHECK(r.status == CallStatus::kRuntimeError);
  CHECK(r.message == "rules/t.lua:2: std::bad_alloc");
  r = call_with(guarded<raises_lua_error>);
  CHECK(r.status == CallStatus::kRuntimeError);
  CHECK(r.message == "rules/t.lua:2: lua error passes through the trampoline");
}

TEST_CASE("vitals.sorted_pairs visits keys in a fixed order", "[lua][host][determinism]") {
  Sandbox s;
  CHECK(s.eval("local t = {zeta = 1, alpha = 2, [3] = 'c', [1] = 'a', mid = 3, [true] = 0}\n"
               "local out = {}\n"
               "for k, v in vitals.sorted_pairs(t) do out[#out + 1] = tostring(k) .. '=' .. "
               "tostring(v) end\n"
               "return table.concat(out, ' ')") == "1=a 3=c alpha=2 mid=3 zeta=1 true=0");
  CallResult r = s.run("for k in vitals.sorted_pairs({[{}] = 1}) do end");
  CHECK(r.status == CallStatus::kRuntimeError);
  CHECK(r.message ==
        "rules/t.lua:1: vitals.sorted_pairs: keys must be numbers, text or true/false, found a "
        "table key");
}

TEST_CASE("vitals.log and print write to the engine's logger", "[lua][host]") {
  std::ostringstream out;
  auto sink = std::make_shared<spdlog::sinks::ostream_sink_mt>(out);
  auto logger = std::make_shared<spdlog::logger>("test", sink);
  logger->set_pattern("%l %v");
  logger->set_level(spdlog::level::trace);
  SandboxConfig config = test_config();
  config.logger = logger;
  config.label = "rules/t.lua";
  Sandbox s(config);
  REQUIRE(s.run("vitals.log('checked', 3, true) print('also', nil)").ok());
  logger->flush();
  CHECK(out.str() == "info rules/t.lua: checked 3 true\ninfo rules/t.lua: also nil\n");
}

}  // namespace
}  // namespace vitals::detail
