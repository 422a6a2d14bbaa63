// SPDX-License-Identifier: Apache-2.0
#include "lua/rule_params.hpp"

#include "catch.hpp"
#include "lua/lua_test_support.hpp"
#include "lua/rule_script.hpp"

#include <string>

namespace vitals::detail {
namespace {

using vitals::testing::make_indicator;
using vitals::testing::make_input;
using vitals::testing::make_point;
using vitals::testing::test_config;

std::unique_ptr<RuleScript> load(const std::string& text, RuleFailure& failure) {
  return RuleScript::load(RuleSource{"/srv/rules/r.lua", "rules/r.lua", text}, test_config({}),
                          failure);
}

// A rule that reports what ctx.params holds.
const char* kDeclaringRule = R"(
return {
  id = "declares",
  version = "1",
  description = "d",
  params = {
    run = { type = "integer", default = 3, min = 1, description = "A run." },
    match = { type = "string", default = "all", values = { "all", "any" }, description = "How." },
    england = { type = "number", description = "No default." },
    tests = { type = "list", values = { "shift", "trend" }, description = "Tests." },
  },
  evaluate = function(ctx)
    return { status = "ok", message = math.type(ctx.params.run) .. " " .. ctx.params.run .. " "
      .. ctx.params.match .. " " .. tostring(ctx.params.england) }
  end,
}
)";

std::variant<RuleOutcome, RuleFailure> run(RuleScript& script,
                                           const std::map<std::string, ParamValue>& params) {
  IndicatorDefinition indicator = make_indicator("i");
  return script.evaluate(
      make_input(indicator, {make_point("2017-03", 21, 20, Polarity::kBiggerIsBetter)}), params);
}

TEST_CASE("a rule's params table is read as its declaration", "[lua][rule_params]") {
  RuleFailure failure;
  auto script = load(kDeclaringRule, failure);
  INFO(failure.reason);
  REQUIRE(script);
  const ParamDeclaration& declared = script->info().params;
  CHECK(declared.declared);
  REQUIRE(declared.params.size() == 4);
  CHECK(declared.params[0].name == "england");  // sorted by name
  const ParamSpec* run = declared.find("run");
  REQUIRE(run != nullptr);
  CHECK(run->type == ParamType::kInteger);
  CHECK(*run->default_value == ParamValue{std::int64_t{3}});
  CHECK(*run->min == 1);
  CHECK_FALSE(run->max);
  CHECK(run->description == "A run.");
  CHECK(declared.find("match")->values == std::vector<std::string>{"all", "any"});
  CHECK(declared.find("runn") == nullptr);
}

TEST_CASE("a rule without a params table declares nothing and is not checked",
          "[lua][rule_params]") {
  RuleFailure failure;
  auto script = load(
      "return { id = 'x', version = '1', description = 'd', evaluate = function(ctx) "
      "return { status = 'ok', message = tostring(ctx.params.anything) } end }",
      failure);
  REQUIRE(script);
  CHECK_FALSE(script->info().params.declared);
  auto result = run(*script, {{"anything", std::string("goes")}});
  REQUIRE(std::holds_alternative<RuleOutcome>(result));
  CHECK(std::get<RuleOutcome>(result).message == "goes");
}

TEST_CASE("declared defaults reach ctx.params and whole decimals become integers",
          "[lua][rule_params]") {
  RuleFailure failure;
  auto script = load(kDeclaringRule, failure);
  REQUIRE(script);
  auto defaults = run(*script, {});
  REQUIRE(std::holds_alternative<RuleOutcome>(defaults));
  CHECK(std::get<RuleOutcome>(defaults).message == "integer 3 all nil");
  auto given = run(*script, {{"run", 4.0}, {"england", 5.8}});
  REQUIRE(std::holds_alternative<RuleOutcome>(given));
  CHECK(std::get<RuleOutcome>(given).message == "integer 4 all 5.8");
}

TEST_CASE("parameters that the rule does not declare or that do not fit fail the rule",
          "[lua][rule_params]") {
  RuleFailure failure;
  auto script = load(kDeclaringRule, failure);
  REQUIRE(script);
  struct Case {
    std::map<std::string, ParamValue> params;
    const char* reason;
  };
  const Case cases[] = {
      {{{"runn", std::int64_t{4}}},
       "parameter 'runn' is not declared by the rule (its parameters: 'england', 'match', 'run' "
       "or 'tests')"},
      {{{"run", std::int64_t{0}}}, "parameter run must be a whole number of at least 1, found 0"},
      {{{"run", 2.5}}, "parameter run must be a whole number of at least 1, found 2.5"},
      {{{"run", std::string("three")}},
       "parameter run must be a whole number of at least 1, found 'three'"},
      {{{"match", std::string("some")}}, "parameter match must be 'all' or 'any', found 'some'"},
      {{{"match", true}}, "parameter match must be text in quotes, found true"},
      {{{"england", std::string("5.8")}}, "parameter england must be a number, found '5.8'"},
      {{{"tests", std::string("shift, trends")}},
       "parameter tests lists 'trends', which is not one of 'shift' or 'trend'"},
  };
  for (const Case& c : cases) {
    auto result = run(*script, c.params);
    REQUIRE(std::holds_alternative<RuleFailure>(result));
    const RuleFailure& f = std::get<RuleFailure>(result);
    CHECK(f.code == "rule.bad_param");
    CHECK(f.reason == c.reason);
    CHECK(f.rule_id == "declares");
  }
  auto fine = run(*script, {{"tests", std::string("shift,trend")}, {"match", std::string("any")}});
  CHECK(std::holds_alternative<RuleOutcome>(fine));
}

TEST_CASE("a bad parameter declaration is a bad contract naming the parameter",
          "[lua][rule_params]") {
  auto with = [](const std::string& params) {
    return "return { id = 'x', version = '1', description = 'd', params = " + params +
           ", evaluate = function() end }";
  };
  struct Case {
    std::string params;
    const char* reason;
  };
  const Case cases[] = {
      {"5", "field 'params' of the rule table must be a table of parameter declarations, not a "
            "number"},
      {"{ run = 3 }",
       "params.run: must be a table such as { type = \"number\", description = \"...\" }, not a "
       "number"},
      {"{ Run = { type = 'integer', description = 'd' } }",
       "params: every parameter needs a name of lower-case letters, digits and '_' (params = { "
       "run = { type = \"integer\", ... } })"},
      {"{ run = { type = 'whole', description = 'd' } }",
       "params.run: type 'whole' is not one of \"number\", \"integer\", \"string\", \"boolean\" "
       "or \"list\""},
      {"{ run = { type = 'integer' } }",
       "params.run: description must be text saying what the parameter does"},
      {"{ run = { type = 'integer', defualt = 3, description = 'd' } }",
       "params.run: unknown field 'defualt' (expected type, default, min, max, values and "
       "description)"},
      {"{ run = { type = 'integer', default = 0, min = 1, description = 'd' } }",
       "params.run: the default must be a whole number of at least 1, found 0"},
      {"{ run = { type = 'integer', min = 5, max = 1, description = 'd' } }",
       "params.run: min is above max"},
      {"{ on = { type = 'boolean', min = 1, description = 'd' } }",
       "params.on: min applies only to numbers and integers"},
      {"{ m = { type = 'string', values = {}, description = 'd' } }",
       "params.m: values must not be empty"},
      {"{ m = { type = 'number', values = { 'a' }, description = 'd' } }",
       "params.m: values applies only to string and list parameters"},
  };
  for (const Case& c : cases) {
    INFO(c.params);
    RuleFailure failure;
    CHECK_FALSE(load(with(c.params), failure));
    CHECK(failure.code == "rule.bad_contract");
    CHECK(failure.reason == c.reason);
  }
}

TEST_CASE("parameter problems read as sentences", "[lua][rule_params]") {
  ParamSpec score{"score", ParamType::kInteger, std::nullopt, 1.0, 25.0, {}, "d"};
  CHECK(param_problem(score, ParamValue{std::int64_t{30}}) ==
        "must be a whole number from 1 to 25, found 30");
  CHECK(param_problem(score, ParamValue{std::int64_t{25}}).empty());
  ParamSpec flag{"savings", ParamType::kBoolean, std::nullopt, {}, {}, {}, "d"};
  CHECK(param_problem(flag, ParamValue{std::string("yes")}) == "must be true or false, found 'yes'");
  CHECK(param_problem(flag, ParamValue{false}).empty());
}

}  // namespace
}  // namespace vitals::detail
