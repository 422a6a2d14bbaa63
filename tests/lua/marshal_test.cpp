// SPDX-License-Identifier: Apache-2.0
#include "lua/marshal.hpp"

#include "catch.hpp"
#include "lua/lua_test_support.hpp"

#include <cstring>
#include <iterator>
#include <string>
#include <vector>

namespace vitals::detail {
namespace {

using vitals::testing::make_indicator;
using vitals::testing::make_input;
using vitals::testing::make_point;
using vitals::testing::test_config;

struct Sandbox {
  std::unique_ptr<SandboxState> state;
  Sandbox() {
    std::string error;
    state = SandboxState::create(test_config(), error);
    REQUIRE(state != nullptr);
  }
  // Calls `function(ctx) <body> end` with the ctx of `input` and returns its result as text.
  CallResult with_ctx(const RuleInput& input, const std::string& body, std::string* result,
                      const std::map<std::string, ParamValue>& params = {},
                      bool params_are_defaults = false) {
    return state->call([&](lua_State* L) {
      std::string code = "return function(ctx)\n" + body + "\nend";
      if (luaL_loadbufferx(L, code.data(), code.size(), "@rules/t.lua", "t") != LUA_OK)
        lua_error(L);
      lua_call(L, 0, 1);
      push_context(L, input, params, 1u << 20, params_are_defaults);
      lua_call(L, 1, 1);
      if (result != nullptr && lua_type(L, -1) == LUA_TSTRING) *result = lua_tostring(L, -1);
    });
  }
  std::string eval(const RuleInput& input, const std::string& body,
                   const std::map<std::string, ParamValue>& params = {},
                   bool params_are_defaults = false) {
    std::string out;
    CallResult r = with_ctx(input, body, &out, params, params_are_defaults);
    INFO(r.message);
    REQUIRE(r.ok());
    return out;
  }
};

struct Fixture {
  IndicatorDefinition indicator =
      make_indicator("dtoc_social_care_per_100k", Polarity::kSmallerIsBetter);
  RuleInput input;
  Fixture() {
    indicator.tolerance.red_variance_pct = 5;
    indicator.allowed_lag = 1;
    input = make_input(indicator,
                       {make_point("2017-02", 3.5, 1.5, Polarity::kSmallerIsBetter),
                        make_point("2017-03", 3.56, 1.5, Polarity::kSmallerIsBetter),
                        make_point("2017-04", std::nullopt, 1.5, Polarity::kSmallerIsBetter)});
  }
};

TEST_CASE("ctx carries the period, indicator, series, latest point and data state",
          "[lua][marshal]") {
  Fixture f;
  Sandbox s;
  CHECK(s.eval(f.input, "return ctx.period .. '|' .. ctx.period_label .. '|' .. ctx.data_state") ==
        "2017-04|Apr 2017|current");
  CHECK(s.eval(
            f.input,
            "local i = ctx.indicator\n"
            "return table.concat({i.id, i.title, i.polarity, i.unit, i.frequency, i.lead_officer,\n"
            "  i.data_owner, i.budget_lines[1], i.risks[1], tostring(i.allowed_lag),\n"
            "  tostring(i.tolerance.red_variance_pct), tostring(i.tolerance.amber_variance_pct)}, "
            "'|')") ==
        "dtoc_social_care_per_100k|Title of dtoc_social_care_per_100k|smaller|percent|monthly|"
        "Director of Adult Social Services|Business Intelligence|care_purchasing|RM14|1|5.0|0.0");
  CHECK(s.eval(f.input,
               "local p = ctx.series[2]\n"
               "return table.concat({#ctx.series, p.period, p.label, p.value, p.target, p.rag,\n"
               "  string.format('%.2f', p.variance_pct)}, '|')") ==
        "3|2017-03|Mar 2017|3.56|1.5|red|137.33");
  CHECK(s.eval(f.input,
               "return tostring(ctx.latest == ctx.series[3]) .. tostring(ctx.latest.value) .. "
               "tostring(ctx.latest.numerator) .. ctx.latest.rag") == "truenilnilnone");
}

TEST_CASE("ctx.latest is nil and data_state no_data without observations", "[lua][marshal]") {
  IndicatorDefinition indicator = make_indicator("x");
  RuleInput input = make_input(indicator, {}, "2017-03");
  Sandbox s;
  CHECK(
      s.eval(input, "return tostring(ctx.latest) .. ' ' .. #ctx.series .. ' ' .. ctx.data_state") ==
      "nil 0 no_data");
}

TEST_CASE("ctx params keep their types", "[lua][marshal]") {
  Fixture f;
  Sandbox s;
  std::map<std::string, ParamValue> params{{"run", std::int64_t{4}},
                                           {"variance_pct", 7.5},
                                           {"strict", true},
                                           {"label", std::string("x")}};
  CHECK(s.eval(f.input,
               "return math.type(ctx.params.run) .. ctx.params.run .. ' ' .. "
               "ctx.params.variance_pct .. ' ' .. "
               "tostring(ctx.params.strict) .. ' ' .. ctx.params.label",
               params) == "integer4 7.5 true x");
}

TEST_CASE("ctx is read-only at every level", "[lua][marshal]") {
  Fixture f;
  Sandbox s;
  const char* cases[][2] = {
      {"ctx.period = 'x'", "rules/t.lua:2: ctx is read-only (cannot set 'period')"},
      {"ctx.extra = 1", "rules/t.lua:2: ctx is read-only (cannot set 'extra')"},
      {"ctx.series[1].value = 0", "rules/t.lua:2: ctx.series[1] is read-only (cannot set 'value')"},
      {"ctx.series[4] = {}", "rules/t.lua:2: ctx.series is read-only (cannot set [4])"},
      {"table.insert(ctx.series, {})", "rules/t.lua:2: ctx.series is read-only (cannot set [4])"},
      {"ctx.indicator.tolerance.red_variance_pct = 50",
       "rules/t.lua:2: ctx.indicator.tolerance is read-only (cannot set 'red_variance_pct')"},
      {"ctx.indicator.risks[1] = 'none'",
       "rules/t.lua:2: ctx.indicator.risks is read-only (cannot set [1])"},
      {"ctx.params.variance_pct = 50",
       "rules/t.lua:2: ctx.params is read-only (cannot set 'variance_pct')"},
      {"ctx.latest.rag = 'green'", "rules/t.lua:2: ctx.series[3] is read-only (cannot set 'rag')"},
  };
  for (const auto& c : cases) {
    INFO(c[0]);
    CallResult r = s.with_ctx(f.input, c[0], nullptr);
    CHECK(r.status == CallStatus::kRuntimeError);
    CHECK(r.message == c[1]);
  }
}

TEST_CASE("read-only views still iterate with pairs, ipairs, # and sorted_pairs",
          "[lua][marshal]") {
  Fixture f;
  Sandbox s;
  CHECK(s.eval(f.input,
               "local n = 0 for _, p in ipairs(ctx.series) do n = n + 1 end return tostring(n)") ==
        "3");
  CHECK(
      s.eval(
          f.input,
          "local keys = {} for k in pairs(ctx.latest) do keys[#keys + 1] = k end table.sort(keys)\n"
          "return table.concat(keys, ',')") == "label,period,rag,target");
  CHECK(
      s.eval(
          f.input,
          "local keys = {} for k in vitals.sorted_pairs(ctx.series[1]) do keys[#keys + 1] = k end\n"
          "return table.concat(keys, ',')") == "label,period,rag,target,value,variance_pct");
}

TEST_CASE("long host strings are cut at the string size cap on a character boundary",
          "[lua][marshal]") {
  Sandbox s;
  std::string text;
  REQUIRE(s.state
              ->call([&](lua_State* L) {
                push_capped_string(L, "ab→cd",
                                   4);  // the arrow is 3 bytes: cutting inside it would break UTF-8
                text = lua_tostring(L, -1);
              })
              .ok());
  CHECK(text == "ab");
}

// Runs `code` (which returns a value) and reads the value as an outcome.
std::string read(Sandbox& s, const std::string& code, RuleOutcome& outcome,
                 const SandboxLimits& limits = SandboxLimits{},
                 std::vector<std::string>* notes = nullptr) {
  std::string error;
  CallResult r = s.state->call([&](lua_State* L) {
    if (luaL_loadbufferx(L, code.data(), code.size(), "@rules/t.lua", "t") != LUA_OK) lua_error(L);
    lua_call(L, 0, 1);
    error = read_outcome(L, -1, outcome, limits, notes);
  });
  INFO(r.message);
  REQUIRE(r.ok());
  return error;
}

TEST_CASE("a well-formed result becomes an outcome with sorted evidence", "[lua][marshal]") {
  Sandbox s;
  RuleOutcome o;
  CHECK(
      read(
          s,
          "return {status = 'exception', message = 'off', evidence = {z = 1.5, a = 'x', m = true}}",
          o) == "");
  CHECK(o.status == RuleOutcome::Status::kException);
  CHECK(o.message == "off");
  REQUIRE(o.evidence.size() == 3);
  CHECK(o.evidence.begin()->first == "a");
  CHECK(std::get<std::string>(o.evidence["a"]) == "x");
  CHECK(std::get<double>(o.evidence["z"]) == 1.5);
  CHECK(std::get<bool>(o.evidence["m"]));
  CHECK(read(s, "return {status = 'insufficient_data', message = ''}", o) == "");
  CHECK(o.status == RuleOutcome::Status::kInsufficientData);
  CHECK(o.evidence.empty());
}

TEST_CASE("a result with a large evidence table is read whole, and the next one alone",
          "[lua][marshal]") {
  Sandbox s;
  RuleOutcome o;
  SandboxLimits limits;
  limits.max_evidence_entries = 5000;
  CHECK(read(s,
             "local e = {}\nfor i = 1, 3000 do e[string.format('k%05d', i)] = i end\n"
             "return {status = 'ok', message = 'many', evidence = e}",
             o, limits) == "");
  REQUIRE(o.evidence.size() == 3000);
  CHECK(o.evidence.begin()->first == "k00001");
  CHECK(std::get<double>(o.evidence.at("k03000")) == 3000);
  CHECK(read(s, "return {status = 'ok', message = 'few', evidence = {b = 2, a = 1}}", o) == "");
  REQUIRE(o.evidence.size() == 2);
  CHECK(o.evidence.begin()->first == "a");
}

TEST_CASE("a result's text is held to the caps, cut at a character boundary", "[lua][marshal]") {
  Sandbox s;
  RuleOutcome o;
  SandboxLimits limits;
  limits.max_message_bytes = 9;
  limits.max_evidence_text_bytes = 4;
  std::vector<std::string> notes;
  // "£" is two bytes: a cut at 9 would split the fifth one.
  CHECK(read(s,
             "return {status = 'ok', message = string.rep('\\u{a3}', 1000),"
             " evidence = {note = 'abcdef', n = 1}}",
             o, limits, &notes) == "");
  CHECK(o.message == "££££");
  CHECK(std::get<std::string>(o.evidence["note"]) == "abcd");
  REQUIRE(notes.size() == 2);
  CHECK(notes[0] ==
        "the message was cut to 8 of its 2000 bytes (the limit, [sandbox] max_message_bytes, is "
        "9)");
  CHECK(notes[1] ==
        "evidence 'note' was cut to 4 of its 6 bytes (the limit, [sandbox] "
        "max_evidence_text_bytes, is 4)");
}

TEST_CASE("a result's text that is not UTF-8 is repaired, with a note", "[lua][marshal]") {
  Sandbox s;
  RuleOutcome o;
  std::vector<std::string> notes;
  CHECK(read(s, "return {status = 'ok', message = 'cost \xA3' .. '5', evidence = {t = '\xFF'}}",
             o, SandboxLimits{}, &notes) == "");
  CHECK(o.message == "cost \xEF\xBF\xBD" "5");
  CHECK(std::get<std::string>(o.evidence["t"]) == "\xEF\xBF\xBD");
  REQUIRE(notes.size() == 2);
  CHECK(notes[0] == "the message is not valid UTF-8 (byte 6 is not): the bad bytes are shown as U+FFFD");
  CHECK(notes[1] == "evidence 't' is not valid UTF-8 (byte 1 is not): the bad bytes are shown as U+FFFD");
}

TEST_CASE("evidence beyond the entry cap is dropped in key order, with a note", "[lua][marshal]") {
  Sandbox s;
  RuleOutcome o;
  SandboxLimits limits;
  limits.max_evidence_entries = 2;
  std::vector<std::string> notes;
  CHECK(read(s, "return {status = 'ok', message = 'm', evidence = {d = 4, b = 2, a = 1, c = 3}}",
             o, limits, &notes) == "");
  REQUIRE(o.evidence.size() == 2);
  CHECK(o.evidence.begin()->first == "a");
  CHECK(std::next(o.evidence.begin())->first == "b");
  REQUIRE(notes.size() == 1);
  CHECK(notes[0] ==
        "the evidence has 4 entries; only the first 2 in key order are kept (the limit, [sandbox] "
        "max_evidence_entries)");
}

TEST_CASE("evidence keys with control characters, bad bytes or too long are refused",
          "[lua][marshal]") {
  Sandbox s;
  RuleOutcome o;
  // Read up to the NUL, "a\0x" and "a\0y" were both "a" and one value was lost.
  CHECK(read(s, "return {status = 'ok', message = 'm', evidence = {['a\\0x'] = 1, ['a\\0y'] = 2}}",
             o) == "evidence key 'a\\u0000x' holds a control character");
  CHECK(read(s, "return {status = 'ok', message = 'm', evidence = {['\\27[31m'] = 1}}", o) ==
        "evidence key '\\u001b[31m' holds a control character");
  CHECK(read(s, "return {status = 'ok', message = 'm', evidence = {['\xA3'] = 1}}", o) ==
        "evidence key '\\xa3' is not valid UTF-8");
  CHECK(read(s, "return {status = 'ok', message = 'm', evidence = {[string.rep('k', 65)] = 1}}",
             o) == "evidence key '" + std::string(65, 'k') +
                       "' is longer than the limit of 64 bytes ([sandbox] max_evidence_key_bytes)");
}

TEST_CASE("results that break the contract are explained", "[lua][marshal]") {
  Sandbox s;
  RuleOutcome o;
  CHECK(
      read(s, "return 'ok'", o) ==
      "evaluate must return a table such as { status = \"ok\", message = \"...\" }, not a string");
  CHECK(read(s, "return {status = 'fine', message = 'x'}", o) ==
        "the result of evaluate has status \"fine\"; expected \"exception\", \"ok\" or "
        "\"insufficient_data\"");
  CHECK(read(s, "return {message = 'x'}", o) ==
        "the result of evaluate needs status = \"exception\", \"ok\" or \"insufficient_data\", not "
        "a nil");
  CHECK(read(s, "return {status = 'ok'}", o) ==
        "the result of evaluate needs message = \"...\" (text), not a nil");
  CHECK(read(s, "return {status = 'ok', message = 'x', mesage = 'y'}", o) ==
        "the result of evaluate has an unknown field 'mesage' (expected status, message and "
        "evidence)");
  CHECK(read(s, "return {'ok', 'x'}", o) ==
        "the result of evaluate has an unnamed entry; use status = ..., message = ... and evidence "
        "= { ... }");
  CHECK(read(s, "return {status = 'ok', message = 'x', evidence = 3}", o) ==
        "the evidence of the result must be a table, not a number");
  CHECK(read(s, "return {status = 'ok', message = 'x', evidence = {t = {}}}", o) ==
        "evidence 't' must be a number, text or true/false, not a table");
  CHECK(read(s, "return {status = 'ok', message = 'x', evidence = {1}}", o) ==
        "evidence keys must be names (evidence = { value = 3.5 }), found a number key");
}

TEST_CASE("evidence may be a ctx view, read raw from the table the view shows", "[lua][marshal]") {
  Fixture f;
  Sandbox s;
  RuleOutcome o;
  std::string error;
  CallResult r = s.state->call([&](lua_State* L) {
    const char* code =
        "return function(ctx) return { status = 'ok', message = 'm', evidence = ctx.series[1] } "
        "end";
    if (luaL_loadbufferx(L, code, std::strlen(code), "@rules/t.lua", "t") != LUA_OK) lua_error(L);
    lua_call(L, 0, 1);
    push_context(L, f.input, {}, 1u << 20);
    lua_call(L, 1, 1);
    error = read_outcome(L, -1, o);
  });
  REQUIRE(r.ok());
  CHECK(error == "");
  CHECK(o.evidence.size() == 6);
  CHECK(std::get<std::string>(o.evidence["period"]) == "2017-02");
  CHECK(std::get<double>(o.evidence["value"]) == 3.5);
  CHECK(std::get<std::string>(o.evidence["rag"]) == "red");
}

TEST_CASE("with several bad fields the first by name is reported", "[lua][marshal]") {
  Sandbox s;
  RuleOutcome o;
  CHECK(read(s, "return {status = 'ok', message = 'x', zz = 1, bb = 2, yy = 3}", o) ==
        "the result of evaluate has an unknown field 'bb' (expected status, message and evidence)");
  CHECK(read(s, "return {status = 'ok', message = 'x', evidence = {z = {}, c = print, q = 1}}",
             o) == "evidence 'c' must be a number, text or true/false, not a function");
  CHECK(o.evidence.empty());
}

int erroring_index(lua_State* L) { return luaL_error(L, "metamethod ran"); }

TEST_CASE("results are read raw: a metatable that errors never runs", "[lua][marshal][sandbox]") {
  Sandbox s;
  RuleOutcome o;
  std::string error;
  CallResult r = s.state->call([&](lua_State* L) {
    // Rules cannot call setmetatable; build the hostile table from C.
    lua_createtable(L, 0, 0);
    lua_createtable(L, 0, 3);
    for (const char* event : {"__index", "__pairs", "__len"}) {
      lua_pushcfunction(L, erroring_index);
      lua_setfield(L, -2, event);
    }
    lua_setmetatable(L, -2);
    error = read_outcome(L, -1, o);
  });
  REQUIRE(r.ok());
  CHECK(error ==
        "the result of evaluate needs status = \"exception\", \"ok\" or \"insufficient_data\", not "
        "a nil");
}

TEST_CASE("returning a read-only view is a bad result, not a metamethod call", "[lua][marshal]") {
  Fixture f;
  Sandbox s;
  RuleOutcome o;
  std::string error;
  CallResult r = s.state->call([&](lua_State* L) {
    push_context(L, f.input, {}, 1u << 20);
    lua_getfield(L, -1, "latest");
    error = read_outcome(L, -1, o);
  });
  REQUIRE(r.ok());
  CHECK(error ==
        "the result of evaluate needs status = \"exception\", \"ok\" or \"insufficient_data\", not "
        "a nil");
}

}  // namespace
}  // namespace vitals::detail

namespace vitals::detail {
namespace {

TEST_CASE("a ctx a rule keeps from an earlier call shows the current call's indicator",
          "[lua][marshal]") {
  Fixture f;
  IndicatorDefinition other = make_indicator("ld_paid_employment", Polarity::kBiggerIsBetter);
  RuleInput second = make_input(other, {make_point("2017-03", 5.9, 7.0, Polarity::kBiggerIsBetter)});
  Sandbox s;
  CHECK(s.eval(f.input, "kept = ctx\nkept_point = ctx.latest\nreturn ctx.indicator.id") ==
        "dtoc_social_care_per_100k");
  CHECK(s.eval(second, "return kept.indicator.id .. ' ' .. #kept.series .. ' ' .. "
                       "kept.latest.value .. ' ' .. tostring(kept == ctx)") ==
        "ld_paid_employment 1 5.9 true");
  // Point tables are reused as well: one kept from an earlier call shows a
  // point a later call read, and is the table that call's ctx.latest gives.
  CHECK(s.eval(second, "return kept_point.period .. ' ' .. tostring(kept_point == ctx.latest)") ==
        "2017-03 true");
}

TEST_CASE("a point table refilled for another indicator keeps none of the fields it had",
          "[lua][marshal]") {
  Fixture f;
  IndicatorDefinition other = make_indicator("ld_paid_employment", Polarity::kBiggerIsBetter);
  SeriesPoint blank = make_point("2017-03", std::nullopt, std::nullopt, Polarity::kBiggerIsBetter);
  RuleInput second = make_input(other, {blank});
  Sandbox s;
  const char* read = "local p = ctx.series[math.max(1, #ctx.series - 1)]\n"
                     "return p.period .. ' ' .. tostring(p.value) .. ' ' .. tostring(p.target) .. "
                     "' ' .. tostring(p.variance_pct) .. ' ' .. p.rag";
  CHECK(s.eval(f.input, read) == "2017-03 3.56 1.5 137.33333333333 red");
  CHECK(s.eval(second, read) == "2017-03 nil nil nil none");
  CHECK(s.eval(f.input, read) == "2017-03 3.56 1.5 137.33333333333 red");
}

TEST_CASE("indicators with the same parameters share one read-only ctx.params",
          "[lua][marshal]") {
  Fixture f;
  Sandbox s;
  const std::map<std::string, ParamValue> four{{"run", std::int64_t{4}}, {"note", std::string("a")}};
  const std::map<std::string, ParamValue> five{{"run", std::int64_t{5}}, {"note", std::string("a")}};
  const std::map<std::string, ParamValue> as_number{{"run", 4.0}, {"note", std::string("a")}};
  CHECK(s.eval(f.input, "kept_params = ctx.params\nreturn ctx.params.run .. ctx.params.note", four) ==
        "4a");
  CHECK(s.eval(f.input, "return tostring(kept_params == ctx.params) .. ctx.params.run", four) ==
        "true4");
  CHECK(s.eval(f.input, "return tostring(kept_params == ctx.params) .. ctx.params.run", five) ==
        "false5");
  // The same value with another type is another parameter set.
  CHECK(s.eval(f.input, "return tostring(kept_params == ctx.params) .. math.type(ctx.params.run)",
               as_number) == "falsefloat");
  CHECK(s.eval(f.input, "return tostring(ctx.params.run) .. ' ' .. tostring(ctx.params.note)") ==
        "nil nil");
  CallResult r = s.with_ctx(f.input, "ctx.params.run = 3", nullptr, four);
  CHECK(r.message == "rules/t.lua:2: ctx.params is read-only (cannot set 'run')");
}

TEST_CASE("ctx.params kept for a rule's defaults gives way to an indicator's own, and back",
          "[lua][marshal]") {
  Fixture f;
  Sandbox s;
  const std::map<std::string, ParamValue> defaults{{"run", std::int64_t{3}}};
  const std::map<std::string, ParamValue> own{{"run", std::int64_t{5}}};
  const char* read = "return tostring(ctx.params.run)";
  CHECK(s.eval(f.input, "kept_params = ctx.params\n" + std::string(read), defaults, true) == "3");
  CHECK(s.eval(f.input, read, defaults, true) == "3");
  CHECK(s.eval(f.input, read, own) == "5");
  CHECK(s.eval(f.input, read, {}) == "nil");
  CHECK(s.eval(f.input, "return tostring(ctx.params == kept_params) .. ctx.params.run", defaults,
               true) == "true3");
  CHECK(s.eval(f.input, read, own) == "5");
}

TEST_CASE("points read in one call are gone from ctx.series in the next", "[lua][marshal]") {
  Fixture f;
  IndicatorDefinition longer = make_indicator("ld_paid_employment", Polarity::kBiggerIsBetter);
  std::vector<std::optional<double>> values(30);
  for (std::size_t i = 0; i < values.size(); ++i) values[i] = static_cast<double>(i);
  RuleInput thirty = make_input(longer, testing::make_series("2015-01", values, 10.0, Polarity::kBiggerIsBetter));
  Sandbox s;
  // Every point (more than are emptied one by one), then a few, then none.
  CHECK(s.eval(thirty, "local n = 0\nfor _, p in ipairs(ctx.series) do n = n + 1 end\n"
                       "return n .. ' ' .. ctx.series[30].period") == "30 2017-06");
  CHECK(s.eval(f.input, "return tostring(ctx.series[30]) .. ' ' .. #ctx.series .. ' ' .. "
                        "ctx.series[1].period") == "nil 3 2017-02");
  CHECK(s.eval(thirty, "return ctx.series[1].value .. ' ' .. ctx.series[29].value .. ' ' .. "
                       "ctx.latest.period") == "0.0 28.0 2017-06");
  // The same indices of another indicator's series show its own points.
  for (auto& v : values) v = *v + 100;
  RuleInput other = make_input(longer, testing::make_series("2015-01", values, 10.0,
                                                            Polarity::kBiggerIsBetter));
  CHECK(s.eval(other, "return ctx.series[1].value .. ' ' .. ctx.series[29].value") ==
        "100.0 128.0");
  CHECK(s.eval(f.input, "return tostring(rawequal(ctx.series[1], ctx.series[2])) .. ' ' .. "
                        "ctx.series[2].period .. ' ' .. ctx.latest.period") ==
        "false 2017-03 2017-04");
}

TEST_CASE("the indicator fields a call read show the next call's indicator", "[lua][marshal]") {
  Fixture f;
  IndicatorDefinition other = make_indicator("ld_paid_employment", Polarity::kBiggerIsBetter);
  other.frequency = Frequency::kQuarterly;
  other.risks.clear();
  RuleInput second = make_input(other, {make_point("2017-Q1", 5.9, 7.0, Polarity::kBiggerIsBetter)});
  Sandbox s;
  const char* read = "local i = ctx.indicator\nreturn i.id .. ' ' .. i.polarity .. ' ' .. i.frequency";
  CHECK(s.eval(f.input, read) == "dtoc_social_care_per_100k smaller monthly");
  // decimals: the catalogue's, else the unit's default (a percentage: 1).
  REQUIRE(f.input.indicator->unit == Unit::kPercent);
  REQUIRE_FALSE(f.input.indicator->decimals.has_value());
  CHECK(s.eval(f.input, "return tostring(ctx.indicator.decimals)") == "1");
  CHECK(s.eval(second, read) == "ld_paid_employment bigger quarterly");
  // Every field at once (pairs), then a few again.
  CHECK(s.eval(f.input, "local n = 0\nfor _ in pairs(ctx.indicator) do n = n + 1 end\nreturn tostring(n)") ==
        "13");
  CHECK(s.eval(second, read) == "ld_paid_employment bigger quarterly");

  // The indicator applies_to receives, likewise.
  auto applies_to_reads = [&](const IndicatorDefinition& indicator) {
    std::string out;
    CallResult r = s.state->call([&](lua_State* L) {
      push_indicator(L, indicator, 1u << 20);
      lua_setglobal(L, "indicator");
      const char* code = "return indicator.id .. ' ' .. indicator.polarity .. ' ' .. #indicator.risks";
      if (luaL_loadbufferx(L, code, std::strlen(code), "@rules/t.lua", "t") != LUA_OK) lua_error(L);
      lua_call(L, 0, 1);
      out = lua_tostring(L, -1);
    });
    INFO(r.message);
    CHECK(r.ok());
    return out;
  };
  CHECK(applies_to_reads(f.indicator) == "dtoc_social_care_per_100k smaller 1");
  CHECK(applies_to_reads(other) == "ld_paid_employment bigger 0");
  CHECK(applies_to_reads(f.indicator) == "dtoc_social_care_per_100k smaller 1");
}

TEST_CASE("what ctx showed in one call is gone in the next", "[lua][marshal]") {
  Fixture f;
  IndicatorDefinition empty_indicator = make_indicator("no_data_yet");
  RuleInput empty = make_input(empty_indicator, {}, "2017-05");
  Sandbox s;
  const char* read = "return tostring(ctx.latest and ctx.latest.period) .. ' ' .. ctx.period .. ' ' .. "
                     "ctx.period_label .. ' ' .. ctx.data_state";
  CHECK(s.eval(f.input, read) == "2017-04 2017-04 Apr 2017 current");
  // Another period, no points: no latest point from the call before.
  CHECK(s.eval(empty, read) == "nil 2017-05 May 2017 no_data");
  CHECK(s.eval(f.input, read) == "2017-04 2017-04 Apr 2017 current");
  // The same after a call that read nothing.
  CHECK(s.eval(f.input, "return ''").empty());
  CHECK(s.eval(empty, read) == "nil 2017-05 May 2017 no_data");
}

TEST_CASE("vitals.figure of ctx.indicator uses the current call's unit and decimals",
          "[lua][marshal]") {
  Fixture f;
  IndicatorDefinition money = make_indicator("spend", Polarity::kSmallerIsBetter);
  money.unit = Unit::kCurrency;
  money.decimals = 2;
  RuleInput second = make_input(money, {make_point("2017-03", 3523.4, 3000, Polarity::kSmallerIsBetter)});
  Sandbox s;
  // The same text as a table with the unit and decimals the view shows.
  const char* both = "return vitals.figure(3523.456, ctx.indicator) .. ' ' .. "
                     "vitals.figure(3523.456, { unit = ctx.indicator.unit, decimals = ctx.indicator.decimals })";
  CHECK(s.eval(f.input, both) == "3,523.5% 3,523.5%");
  CHECK(s.eval(f.input, "kept_indicator = ctx.indicator\nreturn vitals.figure(2, kept_indicator)") ==
        "2.0%");
  CHECK(s.eval(second, both) == "£3,523.46 £3,523.46");
  // A ctx.indicator kept from an earlier call shows the current indicator.
  CHECK(s.eval(second, "return vitals.figure(2, kept_indicator)") == "£2.00");
  // Decimals out of range (only a catalogue loader's bug could give them)
  // are refused as for any table.
  money.decimals = 7;
  CallResult r = s.with_ctx(second, "return vitals.figure(2, ctx.indicator)", nullptr);
  CHECK(r.message == "rules/t.lua:2: vitals.figure: decimals must be an integer from 0 to 6");
  money.decimals = 2;

  // The indicator applies_to receives, likewise.
  std::string out;
  CallResult call = s.state->call([&](lua_State* L) {
    push_indicator(L, money, 1u << 20);
    lua_setglobal(L, "indicator");
    const char* code = "return vitals.figure(2, indicator) .. ' ' .. vitals.figure(2, kept_indicator)";
    if (luaL_loadbufferx(L, code, std::strlen(code), "@rules/t.lua", "t") != LUA_OK) lua_error(L);
    lua_call(L, 0, 1);
    out = lua_tostring(L, -1);
  });
  INFO(call.message);
  CHECK(call.ok());
  CHECK(out == "£2.00 £2.00");
}

TEST_CASE("ctx kept from evaluate cannot be read while applies_to runs", "[lua][marshal]") {
  Fixture f;
  Sandbox s;
  s.eval(f.input, "kept = ctx\nreturn ''");
  CallResult r = s.state->call([&](lua_State* L) {
    push_indicator(L, f.indicator, 1u << 20);
    lua_setglobal(L, "indicator");
    const char* code = "return indicator.id .. kept.series[1].period";
    if (luaL_loadbufferx(L, code, std::strlen(code), "@rules/t.lua", "t") != LUA_OK) lua_error(L);
    lua_call(L, 0, 1);
  });
  CHECK(r.status == CallStatus::kRuntimeError);
  CHECK(r.message == "rules/t.lua:1: ctx can only be read during evaluate");
}

}  // namespace
}  // namespace vitals::detail
