// SPDX-License-Identifier: Apache-2.0
#include "lua/rule_set.hpp"

#include "catch.hpp"
#include "lua/lua_test_support.hpp"

#include <map>
#include <string>
#include <vector>

namespace vitals::detail {
namespace {

using vitals::testing::codes_of;
using vitals::testing::find_outcome;
using vitals::testing::make_indicator;
using vitals::testing::make_input;
using vitals::testing::make_point;
using vitals::testing::TempDir;

std::string rule(const std::string& id,
                 const std::string& body = "return { status = 'ok', message = 'fine' }") {
  return "return {\n  id = '" + id +
         "', version = '1', description = 'd',\n  evaluate = function(ctx)\n    " + body +
         "\n  end,\n}\n";
}

TEST_CASE("rules load from every folder, recursively, skipping lib folders", "[lua][rule_set]") {
  TempDir dir;
  dir.write("rules/zeta.lua", rule("zeta"));
  dir.write("rules/asc/alpha.lua",
            rule("alpha", "return { status = 'ok', message = require('vitals.words').hello }"));
  dir.write("rules/lib/words.lua", "return { hello = 'hi' }");
  dir.write("rules/asc/lib/helper.lua", "this is not a rule and is never loaded");
  dir.write("rules/notes.txt", "not lua");
  dir.write("rules/asc/alpha.test.toml", "[fixture]");
  dir.write("more/beta.lua", rule("beta"));
  std::vector<Diagnostic> diagnostics;
  RuleSet set = RuleSet::load({dir / "rules", dir / "more"}, SandboxLimits{}, nullptr, diagnostics);
  INFO(codes_of(diagnostics));
  CHECK(diagnostics.empty());
  REQUIRE(set.rules().size() == 3);
  CHECK(set.rules()[0].id == "alpha");
  CHECK(set.rules()[0].file == dir / "rules/asc/alpha.lua");
  CHECK(set.rules()[1].id == "beta");
  CHECK(set.rules()[2].id == "zeta");

  IndicatorDefinition indicator = make_indicator("i");
  auto outcomes = set.evaluate(make_input(indicator, {}), diagnostics);
  REQUIRE(outcomes.size() == 3);
  CHECK(outcomes[0].rule_id == "alpha");
  CHECK(outcomes[0].message == "hi");
  CHECK(outcomes[1].rule_id == "beta");
  CHECK(outcomes[2].rule_id == "zeta");
  CHECK(diagnostics.empty());
}

TEST_CASE("packs inside a rule tree share the tree's lib and are named from the tree",
          "[lua][rule_set]") {
  TempDir dir;
  dir.write("rules/lib/words.lua", "return { hello = 'hi' }");
  dir.write("rules/council/a.lua",
            rule("a", "return { status = 'ok', message = require('vitals.words').hello }"));
  dir.write("rules/spc/b.lua", rule("b", "local t = nil\n    return t.x"));
  std::vector<Diagnostic> diagnostics;
  RuleSet set = RuleSet::load({dir / "rules/council", dir / "rules/spc"}, SandboxLimits{}, nullptr,
                              diagnostics);
  INFO(codes_of(diagnostics));
  REQUIRE(diagnostics.empty());
  REQUIRE(set.rules().size() == 2);
  IndicatorDefinition indicator = make_indicator("i");
  auto outcomes = set.evaluate(make_input(indicator, {}), diagnostics);
  CHECK(find_outcome(outcomes, "a").message == "hi");
  REQUIRE(diagnostics.size() == 1);
  CHECK(*diagnostics[0].location == SourceLocation{"rules/spc/b.lua", 5, 0});

  RuleFolder pack = describe_rule_folder(dir / "rules/council/");
  CHECK(pack.display == "rules/council");
  REQUIRE(pack.module_dirs.size() == 1);
  CHECK(pack.module_dirs[0].display == "rules/lib");
  CHECK(pack.module_dirs[0].path == (dir / "rules/lib").lexically_normal());
  RuleFolder tree = describe_rule_folder(dir / "rules");
  CHECK(tree.display == "rules");
  CHECK(tree.module_dirs[0].display == "rules/lib");
  RuleFolder plain = describe_rule_folder(dir / "more");
  CHECK(plain.display == "more");
  CHECK(plain.module_dirs.empty());
}

TEST_CASE("a pack's own lib serves its rules only and cannot replace a shared module",
          "[lua][rule_set][modules]") {
  TempDir dir;
  dir.write("rules/lib/performance.lua",
            "local series = require 'vitals.series'\nreturn { who = 'shared', series = series.who }");
  dir.write("rules/lib/series.lua", "return { who = 'shared' }");
  dir.write("rules/council/a.lua",
            "local p = require 'vitals.performance'\n" +
                rule("a", "return { status = 'ok', message = p.who .. '/' .. p.series }"));
  dir.write("rules/council/d.lua",
            rule("d", "return { status = 'ok', message = require('extra').who }"));
  // A pack listed first, with its own performance and series modules.
  dir.write("pack/lib/performance.lua", "return { who = 'pack', series = 'pack' }");
  dir.write("pack/lib/series.lua", "return { who = 'pack' }");
  dir.write("pack/lib/extra.lua", "return { who = 'extra' }");
  dir.write("pack/lib/uses_shared.lua", "return require('vitals.series').who");
  dir.write("pack/b.lua", "local p = require 'performance'\n" +
                              rule("b", "return { status = 'ok', message = p.who }"));
  dir.write("pack/c.lua", rule("c", "return { status = 'ok', message = require('uses_shared') }"));
  std::vector<Diagnostic> diagnostics;
  RuleSet set = RuleSet::load({dir / "pack", dir / "rules/council"}, SandboxLimits{}, nullptr,
                              diagnostics);
  REQUIRE(set.rules().size() == 4);
  // Both pack modules that share a name with a shared module are warned about, at load.
  REQUIRE(diagnostics.size() == 2);
  CHECK(diagnostics[0].to_string() ==
        "rules/lib/performance.lua: warning: module 'performance' is defined in both "
        "pack/lib/performance.lua and rules/lib/performance.lua; each rule gets the one of its "
        "own folder first, then the shared one [rule.duplicate_module]");
  CHECK(diagnostics[1].code == "rule.duplicate_module");
  CHECK(diagnostics[1].location->file == "rules/lib/series.lua");

  IndicatorDefinition indicator = make_indicator("i");
  diagnostics.clear();
  auto outcomes = set.evaluate(make_input(indicator, {}), diagnostics);
  // The council rule gets the shared modules, and so do the shared modules it requires.
  CHECK(find_outcome(outcomes, "a").message == "shared/shared");
  // The pack's rules get the pack's own modules first ...
  CHECK(find_outcome(outcomes, "b").message == "pack");
  CHECK(find_outcome(outcomes, "c").message == "pack");
  // ... and the council rules never see them.
  CHECK(find_outcome(outcomes, "d").status == RuleOutcome::Status::kError);
  REQUIRE(diagnostics.size() == 1);
  CHECK(diagnostics[0].rule_id == "d");
  CHECK(diagnostics[0].message.find("module 'extra' not found (looked for rules/lib/extra.lua)") !=
        std::string::npos);

  // Which file each module came from, for `vitals check --modules`.
  const RuleInfo& a = set.rules()[0];
  REQUIRE(a.id == "a");
  REQUIRE(a.modules.size() == 2);
  CHECK(a.modules[0].name == "vitals.series");
  CHECK(a.modules[0].file == "rules/lib/series.lua");
  CHECK(a.modules[1].name == "vitals.performance");
  CHECK(a.modules[1].file == "rules/lib/performance.lua");
  const RuleInfo& b = set.rules()[1];
  REQUIRE(b.modules.size() == 1);
  CHECK(b.modules[0].file == "pack/lib/performance.lua");
}

TEST_CASE("a pack's module that requires a shared module gets the shared one",
          "[lua][rule_set][modules]") {
  TempDir dir;
  dir.write("rules/lib/series.lua", "return { who = 'shared' }");
  dir.write("rules/lib/performance.lua", "return { who = require('series').who }");
  dir.write("rules/council/a.lua", rule("a"));
  dir.write("pack/lib/helper.lua", "return require('vitals.performance').who");
  dir.write("pack/lib/series.lua", "return { who = 'pack' }");
  dir.write("pack/b.lua", rule("b", "return { status = 'ok', message = require('helper') }"));
  std::vector<Diagnostic> diagnostics;
  RuleSet set = RuleSet::load({dir / "pack", dir / "rules/council"}, SandboxLimits{}, nullptr,
                              diagnostics);
  CHECK(codes_of(diagnostics) == "rule.duplicate_module");
  diagnostics.clear();
  IndicatorDefinition indicator = make_indicator("i");
  auto outcomes = set.evaluate(make_input(indicator, {}), diagnostics);
  // helper (the pack's) finds performance in the shared lib; performance's own
  // require 'series' stays in the shared lib although the pack has a series.
  CHECK(find_outcome(outcomes, "b").message == "shared");
  CHECK(diagnostics.empty());
}

TEST_CASE("editor definition files are not rules", "[lua][rule_set]") {
  TempDir dir;
  dir.write("rules/types/vitals.lua", "---@meta\n---@class Ctx\nlocal ctx = {}\n");
  dir.write("rules/one.lua", rule("one"));
  std::vector<Diagnostic> diagnostics;
  RuleSet set = RuleSet::load({dir / "rules"}, SandboxLimits{}, nullptr, diagnostics);
  INFO(codes_of(diagnostics));
  CHECK(diagnostics.empty());
  REQUIRE(set.rules().size() == 1);
  CHECK(RuleSet::is_definition_file(dir / "rules/types/vitals.lua"));
  CHECK_FALSE(RuleSet::is_definition_file(dir / "rules/one.lua"));
  CHECK_FALSE(RuleSet::is_definition_file(dir / "rules/absent.lua"));
}

TEST_CASE("a single rule file loads with its folder's modules and name", "[lua][rule_set]") {
  TempDir dir;
  dir.write("rules/lib/words.lua", "return { hello = 'hi' }");
  dir.write("rules/council/a.lua",
            rule("a", "return { status = 'ok', message = require('words').hello }"));
  dir.write("rules/council/b.lua", rule("b"));
  dir.write("rules/council/broken.lua", "return {");
  std::vector<Diagnostic> diagnostics;
  RuleSet set = RuleSet::load_file(dir / "rules/council/a.lua", SandboxLimits{}, nullptr,
                                   diagnostics);
  REQUIRE(set.rules().size() == 1);
  IndicatorDefinition indicator = make_indicator("i");
  auto outcomes = set.evaluate(make_input(indicator, {}), diagnostics);
  REQUIRE(outcomes.size() == 1);
  CHECK(outcomes[0].message == "hi");
  CHECK(diagnostics.empty());
  RuleSet broken = RuleSet::load_file(dir / "rules/council/broken.lua", SandboxLimits{}, nullptr,
                                      diagnostics);
  CHECK(broken.rules().empty());
  REQUIRE(diagnostics.size() == 1);
  CHECK(diagnostics[0].location->file == "rules/council/broken.lua");
}

TEST_CASE("broken rules become diagnostics and are left out", "[lua][rule_set]") {
  TempDir dir;
  dir.write("rules/a_syntax.lua", "return {\n  id = 'a'\n  version = '1' }");
  dir.write("rules/b_contract.lua", "return { id = 'b', version = '1', description = 'd' }");
  dir.write("rules/c_first.lua", rule("same"));
  dir.write("rules/d_second.lua", rule("same"));
  dir.write("rules/e_good.lua", rule("good"));
  std::vector<Diagnostic> diagnostics;
  RuleSet set =
      RuleSet::load({dir / "rules", dir / "absent"}, SandboxLimits{}, nullptr, diagnostics);
  REQUIRE(set.rules().size() == 2);
  CHECK(set.rules()[0].id == "good");
  CHECK(set.rules()[1].id == "same");
  CHECK(set.rules()[1].file == dir / "rules/c_first.lua");

  REQUIRE(diagnostics.size() == 4);
  CHECK(diagnostics[0].code == "rule.load_error");
  CHECK(diagnostics[0].message ==
        "rule folder '" + (dir / "absent").generic_string() + "' does not exist");
  CHECK(diagnostics[1].to_string() ==
        "rules/a_syntax.lua:3:3: error: could not load rule: '}' expected (to close '{' at line 1) "
        "near 'version' "
        "[rule.load_error]");
  CHECK(diagnostics[2].to_string() ==
        "rules/b_contract.lua: error: bad rule: field 'evaluate' of the rule table must be a "
        "function(ctx) ... "
        "end, not a nil [rule.bad_contract]");
  CHECK(diagnostics[2].rule_id == "b");
  CHECK(diagnostics[3].to_string() ==
        "rules/d_second.lua: error: rule id 'same' is already used by rules/c_first.lua; this file "
        "is ignored "
        "[rule.duplicate_id]");
  CHECK(diagnostics[3].rule_id == "same");
}

TEST_CASE("each rule gets its own parameters from the indicator", "[lua][rule_set]") {
  TempDir dir;
  dir.write("rules/p.lua",
            rule("p", "return { status = 'ok', message = tostring(ctx.params.limit) }"));
  dir.write("rules/q.lua",
            rule("q", "return { status = 'ok', message = tostring(ctx.params.limit) }"));
  std::vector<Diagnostic> diagnostics;
  RuleSet set = RuleSet::load({dir / "rules"}, SandboxLimits{}, nullptr, diagnostics);
  IndicatorDefinition indicator = make_indicator("i");
  indicator.rule_params["p"]["limit"] = std::int64_t{10};
  auto outcomes = set.evaluate(make_input(indicator, {}), diagnostics);
  CHECK(find_outcome(outcomes, "p").message == "10");
  CHECK(find_outcome(outcomes, "q").message == "nil");
}

TEST_CASE("a failing rule gives an error outcome and a located diagnostic", "[lua][rule_set]") {
  TempDir dir;
  dir.write("rules/fails.lua", rule("fails", "local t = nil\n    return t.x"));
  dir.write("rules/fine.lua", rule("fine"));
  std::vector<Diagnostic> diagnostics;
  RuleSet set = RuleSet::load({dir / "rules"}, SandboxLimits{}, nullptr, diagnostics);
  REQUIRE(diagnostics.empty());
  IndicatorDefinition indicator = make_indicator("dtoc");
  auto outcomes = set.evaluate(
      make_input(indicator, {make_point("2017-03", 1, 1, Polarity::kBiggerIsBetter)}), diagnostics);
  REQUIRE(outcomes.size() == 2);
  CHECK(outcomes[0].rule_id == "fails");
  CHECK(outcomes[0].criterion == "fails");
  CHECK(outcomes[0].status == RuleOutcome::Status::kError);
  CHECK(outcomes[0].message == "could not evaluate: attempt to index a nil value (local 't')");
  CHECK(outcomes[1].status == RuleOutcome::Status::kOk);
  REQUIRE(diagnostics.size() == 1);
  const Diagnostic& d = diagnostics[0];
  CHECK(d.severity == Severity::kError);
  CHECK(d.code == "rule.runtime_error");
  CHECK(d.rule_id == "fails");
  CHECK(d.indicator_id == "dtoc");
  CHECK(d.to_string() ==
        "rules/fails.lua:5: error: rule 'fails' could not evaluate indicator 'dtoc': attempt to "
        "index a nil "
        "value (local 't') [rule.runtime_error]");
}

TEST_CASE("bad results are reported at the evaluate function", "[lua][rule_set]") {
  TempDir dir;
  dir.write("rules/bad.lua", rule("bad", "return { status = 'warning', message = 'hm' }"));
  std::vector<Diagnostic> diagnostics;
  RuleSet set = RuleSet::load({dir / "rules"}, SandboxLimits{}, nullptr, diagnostics);
  IndicatorDefinition indicator = make_indicator("i");
  auto outcomes = set.evaluate(make_input(indicator, {}), diagnostics);
  REQUIRE(outcomes.size() == 1);
  CHECK(outcomes[0].status == RuleOutcome::Status::kError);
  CHECK(outcomes[0].message ==
        "could not evaluate: the result of evaluate has status \"warning\"; expected "
        "\"exception\", \"ok\" or "
        "\"insufficient_data\"");
  REQUIRE(diagnostics.size() == 1);
  CHECK(diagnostics[0].code == "rule.bad_result");
  CHECK(*diagnostics[0].location == SourceLocation{"rules/bad.lua", 3, 0});
}

TEST_CASE("a rule set can be moved and an empty one evaluates to nothing", "[lua][rule_set]") {
  TempDir dir;
  dir.write("rules/one.lua", rule("one"));
  std::vector<Diagnostic> diagnostics;
  RuleSet set = RuleSet::load({dir / "rules"}, SandboxLimits{}, nullptr, diagnostics);
  RuleSet moved = std::move(set);
  CHECK(moved.rules().size() == 1);
  RuleSet empty = RuleSet::load({}, SandboxLimits{}, nullptr, diagnostics);
  IndicatorDefinition indicator = make_indicator("i");
  CHECK(empty.evaluate(make_input(indicator, {}), diagnostics).empty());
  CHECK(diagnostics.empty());
}

TEST_CASE("every shipped rule declares the words reports use for its criterion", "[lua][rule_set]") {
  // The summary's "(off target, deteriorating)" comes from the rules' labels,
  // not from their ids: "worse than comparators", not "benchmark".
  const std::map<std::string, std::string> expected = {
      {"off_target", "off target"},
      {"deterioration", "deteriorating"},
      {"budget_impact", "affecting the budget"},
      {"risk_impact", "affecting a corporate risk"},
      {"benchmark", "worse than comparators"},
      {"spc", "special cause concern"},
  };
  std::vector<Diagnostic> diagnostics;
  detail::RuleSet set = detail::RuleSet::load(
      {VITALS_SOURCE_DIR "/rules/council", VITALS_SOURCE_DIR "/rules/benchmark",
       VITALS_SOURCE_DIR "/rules/spc"},
      SandboxLimits{}, nullptr, diagnostics);
  INFO(codes_of(diagnostics));
  REQUIRE(diagnostics.empty());
  std::map<std::string, std::string> labels;
  for (const detail::RuleInfo& rule : set.rules()) labels[rule.id] = rule.label;
  CHECK(labels == expected);
}

}  // namespace
}  // namespace vitals::detail
