// SPDX-License-Identifier: Apache-2.0
#include "lua/rule_script.hpp"

#include "catch.hpp"
#include "lua/lua_test_support.hpp"

#include <string>

namespace vitals::detail {
namespace {

using vitals::testing::make_indicator;
using vitals::testing::make_input;
using vitals::testing::make_point;
using vitals::testing::test_config;
using vitals::testing::tight_limits;

std::unique_ptr<RuleScript> load(const std::string& text, RuleFailure& failure,
                                 SandboxLimits limits = {}) {
  return RuleScript::load(RuleSource{"/srv/rules/r.lua", "rules/r.lua", text}, test_config(limits),
                          failure);
}

const char* kGoodRule = R"(
local function helper(x) return x * 2 end
return {
  id = "good",
  version = "1.2",
  description = "A rule for tests.",
  applies_to = function(indicator) return indicator.id ~= "skip" end,
  evaluate = function(ctx)
    return { status = "ok", message = "double " .. helper(ctx.latest.value) }
  end,
}
)";

TEST_CASE("Lua messages give their file and line", "[lua][rule_script]") {
  auto loc = parse_lua_location("rules/off_target.lua:12: attempt to index a nil value");
  REQUIRE(loc);
  CHECK(loc->file == "rules/off_target.lua");
  CHECK(loc->line == 12);
  CHECK(loc->column == 0);
  CHECK(parse_lua_location("rules/lib/series.lua:3: boom\nstack traceback:")->file ==
        "rules/lib/series.lua");
  CHECK_FALSE(parse_lua_location("not enough memory"));
  CHECK_FALSE(parse_lua_location("vitals.format: bad x.lua:3: y"));
  CHECK_FALSE(parse_lua_location("rules/x.lua:abc: y"));
  CHECK(strip_lua_location("rules/off_target.lua:12: attempt to index") == "attempt to index");
  CHECK(strip_lua_location("no location here") == "no location here");
}

TEST_CASE("a rule file loads into a script with its contract read", "[lua][rule_script]") {
  RuleFailure failure;
  auto script = load(kGoodRule, failure);
  INFO(failure.reason);
  REQUIRE(script);
  CHECK(script->info().id == "good");
  CHECK(script->info().version == "1.2");
  CHECK(script->info().description == "A rule for tests.");
  CHECK(script->info().criterion == "good");  // defaults to the id
  CHECK(script->info().file == "/srv/rules/r.lua");
  CHECK(script->has_applies_to());
}

TEST_CASE("a rule's label reaches its outcomes, and is empty when the rule declares none", "[lua][rule_script]") {
  RuleFailure failure;
  auto script = load(R"(
return {
  id = "below_england",
  version = "1",
  description = "Worse than England.",
  label = "below the England average",
  evaluate = function(ctx) return { status = "exception", message = "below" } end,
}
)",
                     failure);
  INFO(failure.reason);
  REQUIRE(script);
  CHECK(script->info().label == "below the England average");
  IndicatorDefinition indicator = make_indicator("kept");
  auto result = script->evaluate(
      make_input(indicator, {make_point("2017-03", 21, 20, Polarity::kBiggerIsBetter)}), {});
  REQUIRE(std::holds_alternative<RuleOutcome>(result));
  CHECK(std::get<RuleOutcome>(result).label == "below the England average");

  auto unlabelled = load(kGoodRule, failure);
  REQUIRE(unlabelled);
  CHECK(unlabelled->info().label.empty());
}

TEST_CASE("applies_to decides whether evaluate runs", "[lua][rule_script]") {
  RuleFailure failure;
  auto script = load(kGoodRule, failure);
  REQUIRE(script);
  IndicatorDefinition indicator = make_indicator("kept");
  auto result = script->evaluate(
      make_input(indicator, {make_point("2017-03", 21, 20, Polarity::kBiggerIsBetter)}), {});
  REQUIRE(std::holds_alternative<RuleOutcome>(result));
  const auto& outcome = std::get<RuleOutcome>(result);
  CHECK(outcome.rule_id == "good");
  CHECK(outcome.criterion == "good");
  CHECK(outcome.status == RuleOutcome::Status::kOk);
  CHECK(outcome.message == "double 42.0");

  IndicatorDefinition skipped = make_indicator("skip");
  result = script->evaluate(make_input(skipped, {}), {});
  REQUIRE(std::holds_alternative<RuleOutcome>(result));
  CHECK(std::get<RuleOutcome>(result).status == RuleOutcome::Status::kNotApplicable);
  CHECK(std::get<RuleOutcome>(result).message == "does not apply to this indicator");
}

TEST_CASE("rule files that break the contract are explained", "[lua][rule_script]") {
  struct Case {
    const char* text;
    const char* reason;
  };
  const Case cases[] = {
      {"return 3",
       "the rule file must end with return { id = ..., evaluate = function(ctx) ... end }, but it "
       "returned a number"},
      {"local x = 1",
       "the rule file must end with return { id = ..., evaluate = function(ctx) ... end }, but it "
       "returned a nil"},
      {"return { version = '1', description = 'd', evaluate = function() end }",
       "field 'id' of the rule table must be text in quotes, not a nil"},
      {"return { id = 'Off Target', version = '1', description = 'd', evaluate = function() end }",
       "rule id 'Off Target' must be lower-case letters, digits, '_', '.' or '-' (e.g. "
       "\"off_target\")"},
      {"return { id = 'x', version = 1.0, description = 'd', evaluate = function() end }",
       "field 'version' of the rule table must be text in quotes, not a number"},
      {"return { id = 'x', version = '1', evaluate = function() end }",
       "field 'description' of the rule table must be text in quotes, not a nil"},
      // Labels of every report card: printable UTF-8 only.
      {"return { id = 'x', version = '1', description = 'caf\\xE9', evaluate = function() end }",
       "field 'description' of the rule table is 'caf\\xe9', which holds bytes that are not "
       "UTF-8"},
      {"return { id = 'x', version = '1\\27[2J', description = 'd', evaluate = function() end }",
       "field 'version' of the rule table is '1\\u001b[2J', which holds a control character"},
      {"return { id = 'x', version = '1', description = 'd' }",
       "field 'evaluate' of the rule table must be a function(ctx) ... end, not a nil"},
      {"return { id = 'x', version = '1', description = 'd', evaluate = function() end, applies_to "
       "= true }",
       "field 'applies_to' of the rule table must be a function(indicator) ... end, not a boolean"},
      {"return { id = 'x', version = '1', description = 'd', evalute = function() end }",
       "unknown field 'evalute' in the rule table; did you mean 'evaluate'?"},
      {"return { id = 'x', version = '1', description = 'd', evaluate = function() end, colour = 'red' }",
       "unknown field 'colour' in the rule table (expected id, version, description, criterion, "
       "label, params, applies_to and evaluate)"},
  };
  for (const Case& c : cases) {
    INFO(c.text);
    RuleFailure failure;
    CHECK_FALSE(load(c.text, failure));
    CHECK(failure.code == "rule.bad_contract");
    CHECK(failure.reason == c.reason);
    REQUIRE(failure.location);
    CHECK(failure.location->file == "rules/r.lua");
  }
  RuleFailure failure;
  load("return { id = 'named', version = 1 }", failure);
  CHECK(failure.rule_id == "named");
}

TEST_CASE("a misspelt field of the rule table is shown where it is written", "[lua][rule_script]") {
  RuleFailure failure;
  CHECK_FALSE(load("-- evalute = nothing here\nreturn {\n  id = 'x', version = '1', description = 'd',\n"
                   "  evalute = function(ctx) end,\n}",
                   failure));
  CHECK(failure.code == "rule.bad_contract");
  REQUIRE(failure.location);
  CHECK(*failure.location == SourceLocation{"rules/r.lua", 4, 3});
}

TEST_CASE("syntax errors and top-level failures are load errors with a line, and a column where it is known",
          "[lua][rule_script]") {
  RuleFailure failure;
  CHECK_FALSE(load("return {\n  id = 'x'\n  version = '1',\n}", failure));
  CHECK(failure.code == "rule.load_error");
  CHECK(failure.reason == "'}' expected (to close '{' at line 1) near 'version'");
  REQUIRE(failure.location);
  // The token Lua names occurs once on its line: its column is known.
  CHECK(*failure.location == SourceLocation{"rules/r.lua", 3, 3});

  CHECK_FALSE(load("return {\n  id = 'x', version = 3 +* 4,\n}", failure));
  CHECK(failure.reason == "unexpected symbol near '*'");
  CHECK(*failure.location == SourceLocation{"rules/r.lua", 2, 26});
  // Twice on the line: which one Lua stopped at cannot be told, so no column.
  CHECK_FALSE(load("local x = = 3\nreturn {}", failure));
  CHECK(failure.reason == "unexpected symbol near '='");
  CHECK(*failure.location == SourceLocation{"rules/r.lua", 1, 0});

  CHECK_FALSE(load("local a = nil\nlocal b = a.x\nreturn {}", failure));
  CHECK(failure.code == "rule.load_error");
  CHECK(failure.reason == "attempt to index a nil value (local 'a')");
  CHECK(failure.location->line == 2);

  CHECK_FALSE(load("\n\nwhile true do end", failure, tight_limits()));
  CHECK(failure.code == "rule.load_error");
  CHECK(failure.reason ==
        "instruction limit exceeded while loading (1000000 instructions); does the rule loop "
        "forever?");
  CHECK(failure.location->line == 3);
}

TEST_CASE("globals the chunk defines stay usable and new ones are refused at call time",
          "[lua][rule_script]") {
  RuleFailure failure;
  auto script = load(R"(
counter = 0
return {
  id = "g", version = "1", description = "d",
  evaluate = function(ctx)
    counter = counter + 1
    if counter > 1 then created_later = true end
    return { status = "ok", message = tostring(counter) }
  end,
})",
                     failure);
  REQUIRE(script);
  IndicatorDefinition indicator = make_indicator("i");
  RuleInput input = make_input(indicator, {});
  auto first = script->evaluate(input, {});
  REQUIRE(std::holds_alternative<RuleOutcome>(first));
  CHECK(std::get<RuleOutcome>(first).message == "1");
  auto second = script->evaluate(input, {});
  REQUIRE(std::holds_alternative<RuleFailure>(second));
  const RuleFailure& f = std::get<RuleFailure>(second);
  CHECK(f.code == "rule.runtime_error");
  CHECK(f.reason == "rule attempted to create global 'created_later'");
  CHECK(*f.location == SourceLocation{"rules/r.lua", 7, 0});
}

TEST_CASE("long rule paths shortened in Lua messages are restored in locations",
          "[lua][rule_script]") {
  const std::string chunk =
      "rules/adult_social_care/delayed_transfers_of_care/attributable_to_social_care.lua";
  RuleFailure failure;
  CHECK_FALSE(RuleScript::load(RuleSource{"/x.lua", chunk, "local a = nil\nreturn a.b"},
                               test_config(), failure));
  CHECK(failure.code == "rule.load_error");
  REQUIRE(failure.location);
  CHECK(*failure.location == SourceLocation{chunk, 2, 0});
}

TEST_CASE("applies_to must answer true or false", "[lua][rule_script]") {
  RuleFailure failure;
  auto script = load(R"(return {
  id = "a", version = "1", description = "d",
  applies_to = function(indicator) return "yes" end,
  evaluate = function(ctx) return { status = "ok", message = "" } end,
})",
                     failure);
  REQUIRE(script);
  IndicatorDefinition indicator = make_indicator("i");
  auto result = script->evaluate(make_input(indicator, {}), {});
  REQUIRE(std::holds_alternative<RuleFailure>(result));
  CHECK(std::get<RuleFailure>(result).code == "rule.bad_result");
  CHECK(std::get<RuleFailure>(result).reason ==
        "applies_to must return true or false, not a string");
  CHECK(*std::get<RuleFailure>(result).location == SourceLocation{"rules/r.lua", 3, 0});
}

// Counts its calls in an upvalue, and loops forever when its parameter spin is set.
const char* kFlakyRule = R"(
local calls = 0
return {
  id = "flaky", version = "1", description = "d",
  evaluate = function(ctx)
    calls = calls + 1
    if ctx.params.spin then while true do end end
    return { status = "ok", message = "call " .. calls }
  end,
})";

TEST_CASE("the state is rebuilt after a limit error and the rule keeps working",
          "[lua][rule_script][sandbox]") {
  RuleFailure failure;
  auto script = load(kFlakyRule, failure, tight_limits());
  REQUIRE(script);
  IndicatorDefinition indicator = make_indicator("i");
  RuleInput input = make_input(indicator, {});
  auto ok = script->evaluate(input, {});
  CHECK(std::get<RuleOutcome>(ok).message == "call 1");
  auto spun = script->evaluate(input, {{"spin", true}});
  REQUIRE(std::holds_alternative<RuleFailure>(spun));
  CHECK(std::get<RuleFailure>(spun).code == "rule.instruction_limit");
  CHECK(*std::get<RuleFailure>(spun).location == SourceLocation{"rules/r.lua", 7, 0});
  // A fresh state: the upvalue the interrupted call had touched starts again.
  auto again = script->evaluate(input, {});
  REQUIRE(std::holds_alternative<RuleOutcome>(again));
  CHECK(std::get<RuleOutcome>(again).message == "call 1");
}

TEST_CASE("a call over its CPU time fails with rule.time_limit and a fresh state follows",
          "[lua][rule_script]") {
  SandboxLimits limits;
  limits.max_cpu_ms = 5;
  limits.max_instructions = 1'000'000'000'000;
  RuleFailure failure;
  auto script = load(kFlakyRule, failure, limits);
  REQUIRE(script);
  IndicatorDefinition indicator = make_indicator("i");
  RuleInput input = make_input(indicator, {});
  CHECK(std::get<RuleOutcome>(script->evaluate(input, {})).message == "call 1");
  auto spun = script->evaluate(input, {{"spin", true}});
  REQUIRE(std::holds_alternative<RuleFailure>(spun));
  const RuleFailure& slow = std::get<RuleFailure>(spun);
  CHECK(slow.code == "rule.time_limit");
  CHECK(slow.reason ==
        "time limit exceeded while running evaluate (5 ms of CPU time); does the rule loop "
        "forever, or work on very long text?");
  CHECK(*slow.location == SourceLocation{"rules/r.lua", 7, 0});
  auto again = script->evaluate(input, {});
  REQUIRE(std::holds_alternative<RuleOutcome>(again));
  CHECK(std::get<RuleOutcome>(again).message == "call 1");
}

}  // namespace
}  // namespace vitals::detail
