// SPDX-License-Identifier: Apache-2.0
// vitals rules test: line coverage of rules and their modules, and rules that
// raise errors during a test.
#include "catch.hpp"
#include "support/temp_dir.hpp"

#include <vitals/rule_tests.hpp>

#include <string>
#include <vector>

namespace vitals {
namespace {

using testing::TempDir;

constexpr const char* kBranchyRule =
    "local helper = require \"vitals.helper\"\n"                             // 1
    "\n"                                                                     // 2
    "-- the latest value against a limit\n"                                  // 3
    "return {\n"                                                             // 4
    "  id = \"branchy\", version = \"1\", description = \"d\",\n"           // 5
    "  evaluate = function(ctx)\n"                                           // 6
    "    local v = ctx.latest.value\n"                                       // 7
    "    if v > 10 then\n"                                                   // 8
    "      return { status = \"exception\", message = helper.describe(v) }\n"  // 9
    "    elseif v < 0 then\n"                                                // 10
    "      return { status = \"ok\", message = \"negative\" }\n"             // 11
    "    end\n"                                                              // 12
    "    return { status = \"ok\", message = \"fine\" }\n"                   // 13
    "  end,\n"                                                               // 14
    "}\n";                                                                   // 15

constexpr const char* kHelperModule =
    "local helper = {}\n"               // 1
    "function helper.describe(v)\n"     // 2
    "  return \"high: \" .. v\n"        // 3
    "end\n"                             // 4
    "function helper.unused(v)\n"       // 5
    "  return v\n"                      // 6
    "end\n"                             // 7
    "return helper\n";                  // 8

constexpr const char* kBranchyTests = R"([[test]]
name = "high"
series = "1 20"
expect = "exception"
message = "high: 20.0"

[[test]]
name = "fine"
series = "1 5"
expect = "ok"
)";

constexpr const char* kUntestedRule =
    "return { id = \"untested\", version = \"1\", description = \"d\",\n"
    "  evaluate = function(ctx)\n"
    "    return { status = \"ok\", message = \"x\" }\n"
    "  end }\n";

void write_rules(const TempDir& dir) {
  dir.write("rules/lib/helper.lua", kHelperModule);
  dir.write("rules/pack/branchy.lua", kBranchyRule);
  dir.write("rules/pack/branchy.test.toml", kBranchyTests);
  dir.write("rules/pack/untested.lua", kUntestedRule);
}

RuleTestReport run(const TempDir& dir, bool coverage, std::string run_only = {}) {
  RuleTestOptions options;
  options.dirs = {dir / "rules"};
  options.coverage = coverage;
  options.run = std::move(run_only);
  auto report = run_rule_tests(options);
  REQUIRE(report.ok());
  return *report;
}

const RuleFileCoverage& file_coverage(const RuleTestReport& report, const std::string& file) {
  for (const RuleFileCoverage& f : report.coverage) {
    if (f.file == file) return f;
  }
  FAIL("no coverage for " << file);
  throw std::logic_error("unreachable");
}

TEST_CASE("line coverage names the lines of a rule and of its modules no test ran",
          "[rules][ruletest][coverage]") {
  TempDir dir;
  write_rules(dir);
  RuleTestReport report = run(dir, true);
  REQUIRE(report.failed_count() == 0);
  REQUIRE(report.coverage.size() == 3);
  CHECK(report.coverage[0].file == "rules/lib/helper.lua");
  CHECK(report.coverage[1].file == "rules/pack/branchy.lua");
  CHECK(report.coverage[2].file == "rules/pack/untested.lua");

  // The blank line and the comment (2, 3), the line with `function` (6:
  // Lua makes the closure at its `end`) and the `end` of the if (12) hold no
  // code; the `return` on line 11 is the branch no test takes.
  const RuleFileCoverage& rule = file_coverage(report, "rules/pack/branchy.lua");
  CHECK(rule.lines == 11);
  CHECK(rule.hit == 10);
  CHECK(rule.missed == std::vector<int>{11});
  // The module the rule requires: helper.unused never runs.
  const RuleFileCoverage& module = file_coverage(report, "rules/lib/helper.lua");
  CHECK(module.lines == 8);
  CHECK(module.hit == 7);
  CHECK(module.missed == std::vector<int>{6});
  // A rule no test loads counts, with none of its lines run.
  const RuleFileCoverage& untested = file_coverage(report, "rules/pack/untested.lua");
  CHECK(untested.lines == 3);
  CHECK(untested.hit == 0);
  CHECK(untested.missed == std::vector<int>{1, 3, 4});
  CHECK(report.coverage_lines() == 22);
  CHECK(report.coverage_hit() == 17);

  const std::string text = format_rule_test_report(report, true);
  INFO(text);
  CHECK(text.find("Line coverage:\n"
                  "  rules/lib/helper.lua 87.5% (missed 6)\n"
                  "  rules/pack/branchy.lua 90.9% (missed 11)\n"
                  "  rules/pack/untested.lua 0.0% (missed 1, 3-4)\n"
                  "  total 77.2% (17 of 22 lines)\n") != std::string::npos);
  CHECK(format_rule_test_report(report, false).find("Line coverage") == std::string::npos);
  CHECK(rule_test_junit_xml(report).find("coverage") == std::string::npos);

  const std::string json = rule_test_json(report, true);
  CHECK(json.find("\"coverage\": {") != std::string::npos);
  CHECK(json.find("\"lines\": 22") != std::string::npos);
  CHECK(json.find("\"file\": \"rules/pack/branchy.lua\"") != std::string::npos);
  CHECK(rule_test_json(report, false).find("\"coverage\": null") != std::string::npos);

  SECTION("a test for the missed branch brings the rule to 100%") {
    dir.write("rules/pack/branchy.test.toml", std::string(kBranchyTests) + R"(
[[test]]
name = "negative"
series = "1 -5"
expect = "ok"
)");
    RuleTestReport more = run(dir, true);
    CHECK(file_coverage(more, "rules/pack/branchy.lua").missed.empty());
    CHECK(file_coverage(more, "rules/pack/branchy.lua").percent() == 100.0);
    CHECK(format_rule_test_report(more, true).find("  rules/pack/branchy.lua 100.0%\n") !=
          std::string::npos);
  }
  SECTION("--run narrows what runs, and so what is covered") {
    RuleTestReport some = run(dir, true, "fine");
    CHECK(file_coverage(some, "rules/pack/branchy.lua").missed == std::vector<int>{9, 11});
    CHECK(file_coverage(some, "rules/lib/helper.lua").missed == std::vector<int>{3, 6});
  }
}

TEST_CASE("without coverage asked for, none is recorded", "[rules][ruletest][coverage]") {
  TempDir dir;
  write_rules(dir);
  RuleTestReport report = run(dir, false);
  CHECK(report.coverage.empty());
  CHECK(report.coverage_percent() == 100.0);
}

TEST_CASE("the coverage minimum compares the exact fraction and names both figures",
          "[rules][ruletest][coverage]") {
  RuleTestReport report;
  report.coverage.push_back(RuleFileCoverage{"rules/a.lua", 3, 2, {7}});
  CHECK(report.coverage_percent() == Approx(66.6667).epsilon(1e-4));
  CHECK(check_rule_coverage(report, 66).is_ok());
  CHECK(check_rule_coverage(report, 0).is_ok());
  Status below = check_rule_coverage(report, 66.7);
  REQUIRE_FALSE(below.is_ok());
  CHECK(below.message() ==
        "line coverage 66.6% is below the minimum of 66.7% (2 of 3 lines run by the tests)");
  report.coverage.push_back(RuleFileCoverage{"rules/b.lua", 1, 1, {}});
  CHECK(check_rule_coverage(report, 75).is_ok());
  CHECK_FALSE(check_rule_coverage(report, 100).is_ok());
  CHECK(check_rule_coverage(RuleTestReport{}, 100).is_ok());  // no lines at all

  CHECK(line_ranges({}) == "");
  CHECK(line_ranges({4}) == "4");
  CHECK(line_ranges({3, 4, 5, 9, 11, 12}) == "3-5, 9, 11-12");
}

TEST_CASE("a rule that raises an error shows its file and line in the test's failure",
          "[rules][ruletest]") {
  TempDir dir;
  dir.write("rules/failing.lua",
            "return { id = \"failing\", version = \"1\", description = \"d\",\n"  // 1
            "  evaluate = function(ctx)\n"                                        // 2
            "    if ctx.latest.value > 5 then\n"                                  // 3
            "      local t = nil\n"                                               // 4
            "      return { status = \"ok\", message = t.field }\n"               // 5
            "    end\n"                                                           // 6
            "    error(\"boom\")\n"                                               // 7
            "  end }\n");
  dir.write("rules/failing.test.toml", R"([[test]]
name = "indexes nil"
series = "9"
expect = "ok"

[[test]]
name = "calls error"
series = "1"
message = "fine"

[[test]]
name = "an expected error"
series = "1"
expect = "error"
)");
  RuleTestReport report = run(dir, false);
  REQUIRE(report.files.size() == 1);
  const std::vector<RuleTestCase>& cases = report.files[0].cases;
  REQUIRE(cases.size() == 3);
  REQUIRE(cases[0].mismatches.size() == 1);
  CHECK(cases[0].mismatches[0].actual ==
        "error (rules/failing.lua:5: attempt to index a nil value (local 't'))");
  CHECK(cases[0].mismatches[0].rule_error ==
        "rules/failing.lua:5: attempt to index a nil value (local 't')");
  REQUIRE(cases[1].mismatches.size() == 1);
  CHECK(cases[1].mismatches[0].what == "message");
  CHECK(cases[1].mismatches[0].rule_error == "rules/failing.lua:7: boom");
  CHECK(cases[2].passed());

  const std::string text = format_rule_test_report(report, false);
  INFO(text);
  CHECK(text.find("2016-04 status: expected ok, got error (rules/failing.lua:5: attempt to index "
                  "a nil value (local 't'))") != std::string::npos);
  CHECK(text.find("          the rule failed: rules/failing.lua:7: boom\n") != std::string::npos);
  CHECK(rule_test_junit_xml(report).find("the rule failed: rules/failing.lua:7: boom") !=
        std::string::npos);
  CHECK(rule_test_json(report, false).find("\"rule_error\": \"rules/failing.lua:7: boom\"") !=
        std::string::npos);
}

TEST_CASE("an error raised in a module names the module's file and line", "[rules][ruletest]") {
  TempDir dir;
  dir.write("rules/lib/strict.lua",
            "local strict = {}\n"
            "function strict.positive(v)\n"
            "  if v <= 0 then error(\"not positive: \" .. v) end\n"
            "  return v\n"
            "end\n"
            "return strict\n");
  dir.write("rules/pack/uses.lua",
            "local strict = require \"vitals.strict\"\n"
            "return { id = \"uses\", version = \"1\", description = \"d\",\n"
            "  evaluate = function(ctx)\n"
            "    strict.positive(ctx.latest.value)\n"
            "    return { status = \"ok\", message = \"positive\" }\n"
            "  end }\n");
  dir.write("rules/pack/uses.test.toml", "[[test]]\nname = \"zero\"\nseries = \"0\"\nexpect = \"ok\"\n");
  RuleTestReport report = run(dir, false);
  REQUIRE(report.files.size() == 1);
  REQUIRE(report.files[0].cases.size() == 1);
  REQUIRE(report.files[0].cases[0].mismatches.size() == 1);
  CHECK(report.files[0].cases[0].mismatches[0].rule_error ==
        "rules/lib/strict.lua:3: not positive: 0.0");
}

}  // namespace
}  // namespace vitals
