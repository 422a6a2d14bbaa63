// SPDX-License-Identifier: Apache-2.0
// The rule test runner (vitals rules test): test files, running, reports.
#include "authoring/rule_test_file.hpp"
#include "authoring/xml_escape.hpp"
#include "catch.hpp"
#include "support/temp_dir.hpp"

#include <vitals/rule_tests.hpp>

#include <algorithm>
#include <string>
#include <vector>

namespace vitals {
namespace {

using testing::TempDir;

constexpr const char* kLatestRule = R"(return {
  id = "latest", version = "1", description = "says the latest value",
  evaluate = function(ctx)
    if ctx.latest == nil then return { status = "insufficient_data", message = "none" } end
    local status = (ctx.params.limit and ctx.latest.value > ctx.params.limit) and "exception" or "ok"
    return { status = status, message = "latest " .. vitals.format(ctx.latest.value) .. " <&>",
             evidence = { value = ctx.latest.value, rag = ctx.latest.rag, big = ctx.latest.value > 100,
                          frequency = ctx.indicator.frequency, polarity = ctx.indicator.polarity,
                          period = ctx.latest.period, state = ctx.data_state } }
  end,
})";

std::string texts(const std::vector<Diagnostic>& diagnostics) {
  std::string out;
  for (const Diagnostic& d : diagnostics) out += d.to_string() + "\n";
  return out;
}

RuleTestReport run(const TempDir& dir, const Catalogue* catalogue = nullptr) {
  RuleTestOptions options;
  options.dirs = {dir / "rules"};
  options.catalogue = catalogue;
  auto report = run_rule_tests(options);
  REQUIRE(report.ok());
  return *report;
}

TEST_CASE("compact series read numbers, commas and gaps", "[rules][ruletest]") {
  std::string error;
  std::size_t offset = 0;
  auto values = detail::parse_compact_series(" 72 71.5,70  - +69 -1e1 ", error, offset);
  REQUIRE(values);
  REQUIRE(values->size() == 6);
  CHECK(*(*values)[0] == 72);
  CHECK(*(*values)[1] == 71.5);
  CHECK(*(*values)[2] == 70);
  CHECK_FALSE((*values)[3]);
  CHECK(*(*values)[4] == 69);
  CHECK(*(*values)[5] == -10);
  CHECK(detail::parse_compact_series("", error, offset)->empty());
  CHECK_FALSE(detail::parse_compact_series("1 2 3x 4", error, offset));
  CHECK(offset == 4);
  CHECK(error ==
        "'3x' is not a number; write numbers such as 72 or 3.56 separated by spaces, and - for a "
        "missing result");
  CHECK_FALSE(detail::parse_compact_series("1 nan", error, offset));
  CHECK_FALSE(detail::parse_compact_series("1 inf", error, offset));
}

TEST_CASE("a passing test file reports every test as passed", "[rules][ruletest]") {
  TempDir dir;
  dir.write("rules/latest.lua", kLatestRule);
  dir.write("rules/latest.test.toml", R"([[test]]
name = "defaults: monthly, bigger, from April 2016"
series = "1 2 3"
expect = "ok"
message = "latest 3 <&>"
evidence = { value = 3, rag = "none", frequency = "monthly", polarity = "bigger", period = "2016-06", state = "current", big = false }

[[test]]
name = "params and periods"
series = "1 200 3"
params = { limit = 2 }
expect = "exception"
  [test.expect_by_period]
  "2016-04" = "ok"
  "2016-05" = { expect = "exception", evidence = { big = true } }
)");
  RuleTestReport report = run(dir);
  INFO(texts(report.diagnostics));
  CHECK(report.diagnostics.empty());
  REQUIRE(report.files.size() == 1);
  const RuleTestFile& file = report.files[0];
  CHECK(file.display == "rules/latest.test.toml");
  CHECK(file.rule_file == "rules/latest.lua");
  CHECK(file.rule_id == "latest");
  REQUIRE(file.cases.size() == 2);
  CHECK(file.cases[0].passed());
  CHECK(file.cases[0].location == SourceLocation{"rules/latest.test.toml", 1, 1});
  CHECK(file.cases[0].periods == std::vector<std::string>{"2016-06"});
  CHECK(file.cases[1].passed());
  CHECK(file.cases[1].periods == std::vector<std::string>{"2016-04", "2016-05", "2016-06"});
  CHECK(report.ok());
  CHECK(report.test_count() == 2);
  CHECK(report.failed_count() == 0);
  CHECK(report.untested_rules.empty());
  CHECK(format_rule_test_report(report, true) ==
        "rules/latest.test.toml (rule latest)\n"
        "  PASS  defaults: monthly, bigger, from April 2016\n"
        "  PASS  params and periods\n"
        "\nEvery rule has tests.\n"
        "\n2 tests: 2 passed, 0 failed\n");
}

TEST_CASE("a failing test names each mismatch with a readable diff", "[rules][ruletest]") {
  TempDir dir;
  dir.write("rules/latest.lua", kLatestRule);
  dir.write("rules/latest.test.toml", R"([[test]]
name = "wrong on purpose"
polarity = "smaller"
frequency = "quarterly"
start = "2016-Q1"
series = "1 2 3.456"
target = 3
expect = "exception"
message = "latest 3.45 <&>"
evidence = { value = 3.46, rag = "green", missing = 1, big = false }
)");
  RuleTestReport report = run(dir);
  REQUIRE(report.files.size() == 1);
  REQUIRE(report.files[0].cases.size() == 1);
  const RuleTestCase& c = report.files[0].cases[0];
  CHECK_FALSE(c.passed());
  CHECK_FALSE(report.ok());
  CHECK(report.failed_count() == 1);
  REQUIRE(c.mismatches.size() == 4);
  // value 3.46 matches 3.456 to the two decimals written; rag and missing do not.
  CHECK(c.mismatches[0].what == "status");
  CHECK(c.mismatches[0].expected == "exception");
  CHECK(c.mismatches[0].actual == "ok");
  CHECK(c.mismatches[0].period == "2016-Q3");
  CHECK(c.mismatches[0].location == SourceLocation{"rules/latest.test.toml", 8, 10});
  CHECK(c.mismatches[1].what == "message");
  CHECK(c.mismatches[2].what == "evidence 'missing'");
  CHECK(c.mismatches[2].actual == "(none)");
  CHECK(c.mismatches[3].what == "evidence 'rag'");
  CHECK(c.mismatches[3].expected == "green");
  CHECK(c.mismatches[3].actual == "red");
  CHECK(format_rule_test_report(report, false) ==
        "rules/latest.test.toml (rule latest)\n"
        "  FAIL  wrong on purpose  [rules/latest.test.toml:1:1]\n"
        "        2016-Q3 status: expected exception, got ok (rules/latest.test.toml:8:10)\n"
        "        2016-Q3 message differs at character 11 (rules/latest.test.toml:9:11):\n"
        "          expected: latest 3.45 <&>\n"
        "          actual:   latest 3.46 <&>\n"
        "                              ^\n"
        "        2016-Q3 evidence 'missing': expected 1, got (none) "
        "(rules/latest.test.toml:10:53)\n"
        "        2016-Q3 evidence 'rag': expected green, got red (rules/latest.test.toml:10:34)\n"
        "\n1 test: 0 passed, 1 failed\n");
}

TEST_CASE("numbers in evidence match to the decimals the test writes", "[rules][ruletest]") {
  TempDir dir;
  dir.write("rules/latest.lua", kLatestRule);
  dir.write("rules/latest.test.toml", R"([[test]]
name = "rounding"
series = "2.125"
evidence = { value = 2.13 }
[[test]]
name = "whole"
series = "2.4"
evidence = { value = 2 }
[[test]]
name = "too far"
series = "2.4"
evidence = { value = 2.0 }
[[test]]
name = "exponent means exact"
series = "2.4"
evidence = { value = 2.4e0 }
)");
  RuleTestReport report = run(dir);
  REQUIRE(report.files[0].cases.size() == 4);
  CHECK(report.files[0].cases[0].passed());
  CHECK(report.files[0].cases[1].passed());
  CHECK_FALSE(report.files[0].cases[2].passed());
  CHECK(report.files[0].cases[2].mismatches[0].actual == "2.4");
  CHECK(report.files[0].cases[3].passed());
}

TEST_CASE("mistakes in test files are located like catalogue errors", "[rules][ruletest]") {
  TempDir dir;
  dir.write("rules/latest.lua", kLatestRule);
  dir.write("rules/latest.test.toml", R"([defaults]
polarity = "up"

[[test]]
name = "typos"
seris = "1 2"
expcet = "ok"

[[test]]
name = "bad values"
series = "1 2 x"
frequency = "weekly"
expect = "fine"

[[test]]
name = "bad periods"
series = "1 2"
period = "2017-Q1"
expect = "ok"
  [test.expect_by_period]
  "2017-13" = "ok"

[[test]]
name = "nothing checked"
polarity = "smaller"
series = "1"

[[test]]
name = "still runs"
polarity = "smaller"
series = "1"
expect = "ok"
)");
  RuleTestReport report = run(dir);
  CHECK(texts(report.diagnostics) ==
        "rules/latest.test.toml:2:12: error: polarity must be 'bigger' or 'smaller', got 'up' "
        "[ruletest.bad_value]\n"
        "rules/latest.test.toml:4:1: error: [[test]] is missing required key 'series' "
        "[config.missing_key]\n"
        "rules/latest.test.toml:6:1: error: unknown key 'seris' in [[test]]; did you mean "
        "'series'? [config.unknown_key]\n"
        "rules/latest.test.toml:7:1: error: unknown key 'expcet' in [[test]]; did you mean "
        "'expect'? [config.unknown_key]\n"
        "rules/latest.test.toml:11:15: error: series: 'x' is not a number; write numbers such as "
        "72 or 3.56 separated by spaces, and - for a missing result [ruletest.bad_series]\n"
        "rules/latest.test.toml:12:13: error: frequency must be 'monthly', 'quarterly', 'annual', "
        "'financial_year' or 'financial_quarterly', got 'weekly' [ruletest.bad_value]\n"
        "rules/latest.test.toml:13:10: error: expect must be 'exception', 'ok', "
        "'insufficient_data', 'not_applicable' or 'error', got 'fine' [ruletest.bad_value]\n"
        "rules/latest.test.toml:18:10: error: period '2017-Q1' is not a monthly period like the "
        "series [ruletest.bad_value]\n"
        "rules/latest.test.toml:21:3: error: expect_by_period: '2017-13' is not a monthly period "
        "like the series [ruletest.bad_value]\n"
        "rules/latest.test.toml:23:1: error: test 'nothing checked' checks nothing: add expect = "
        "\"exception\" (or \"ok\", ...), a message, evidence or [test.expect_by_period] "
        "[ruletest.nothing_checked]\n");
  // The one valid test still runs (the others are left out), and the report is not ok.
  REQUIRE(report.files[0].cases.size() == 1);
  CHECK(report.files[0].cases[0].name == "still runs");
  CHECK(report.files[0].cases[0].passed());
  CHECK_FALSE(report.ok());
}

TEST_CASE("an expectation of the wrong type is an error, not a read of nothing",
          "[rules][ruletest]") {
  // Found by the rule_test_file fuzzer: `message = 77000` was read as text
  // through an empty value and corrupted memory.
  TempDir dir;
  dir.write("rules/latest.lua", kLatestRule);
  dir.write("rules/latest.test.toml", R"([[test]]
name = "number for a message"
series = "1"
expect = "ok"
message = 77000

[[test]]
name = "number for a status"
series = "1"
expect = 3

[[test]]
name = "text for evidence"
series = "1"
expect = "ok"
evidence = "none"
)");
  RuleTestReport report = run(dir);
  const std::string text = texts(report.diagnostics);
  INFO(text);
  CHECK(text.find("rules/latest.test.toml:5:11: error: message") != std::string::npos);
  CHECK(text.find("rules/latest.test.toml:10:10: error: expect") != std::string::npos);
  CHECK(text.find("rules/latest.test.toml:16:12: error: evidence") != std::string::npos);
  CHECK_FALSE(report.ok());
}

TEST_CASE("broken TOML, a missing rule and a broken rule are reported", "[rules][ruletest]") {
  TempDir dir;
  dir.write("rules/syntax.test.toml", "[[test]]\nname = \"x\nseries = \"1\"\n");
  dir.write("rules/orphan.test.toml", "[[test]]\nname = \"x\"\nseries = \"1\"\nexpect = \"ok\"\n");
  dir.write("rules/broken.lua", "return {");
  dir.write("rules/broken.test.toml", "[[test]]\nname = \"y\"\nseries = \"1\"\nexpect = \"ok\"\n");
  dir.write("rules/empty.test.toml", "# nothing yet\n");
  dir.write("rules/empty.lua", kLatestRule);
  RuleTestReport report = run(dir);
  std::string all = texts(report.diagnostics);
  INFO(all);
  CHECK(all.find("rules/syntax.test.toml:2:10: error: TOML syntax error:") != std::string::npos);
  CHECK(all.find("rules/orphan.test.toml: error: there is no rule file orphan.lua beside this "
                 "test file") != std::string::npos);
  CHECK(all.find("rules/broken.lua:1: error: could not load rule:") != std::string::npos);
  CHECK(all.find("rules/empty.test.toml: error: the test file has no tests") != std::string::npos);
  // Tests of a rule that cannot run fail with the reason.
  auto broken = std::find_if(report.files.begin(), report.files.end(), [](const RuleTestFile& f) {
    return f.display == "rules/broken.test.toml";
  });
  REQUIRE(broken != report.files.end());
  REQUIRE(broken->cases.size() == 1);
  CHECK(broken->cases[0].error == "the rule rules/broken.lua did not load (see the errors above)");
  // Coverage: a rule whose test file has no tests is untested; a broken rule has (failing) tests.
  CHECK(report.untested_rules == std::vector<std::string>{"rules/empty.lua"});
}

TEST_CASE("tests can take an indicator from the catalogue, and coverage names the rest",
          "[rules][ruletest]") {
  TempDir dir;
  dir.write("rules/latest.lua", kLatestRule);
  dir.write("rules/other.lua", R"(return { id = "other", version = "1", description = "d",
  evaluate = function(ctx) return { status = "ok", message = "" } end })");
  dir.write("rules/lib/helper.lua", "return {}");
  dir.write("rules/types/api.lua", "---@meta\n");
  dir.write("rules/latest.test.toml", R"([[test]]
name = "from the catalogue"
indicator = "dtoc"
series = "2 4"
expect = "exception"
evidence = { polarity = "smaller", frequency = "quarterly", rag = "red" }

[[test]]
name = "overridden"
indicator = "dtoc"
polarity = "bigger"
series = "2 4"
params = { limit = 10 }
expect = "ok"
evidence = { polarity = "bigger" }

[[test]]
name = "unknown indicator"
indicator = "dtco"
series = "1"
expect = "ok"
)");
  Catalogue catalogue;
  IndicatorDefinition dtoc;
  dtoc.id = "dtoc";
  dtoc.polarity = Polarity::kSmallerIsBetter;
  dtoc.frequency = Frequency::kQuarterly;
  dtoc.target.kind = Target::Kind::kFixed;
  dtoc.target.fixed_value = 1.5;
  dtoc.rule_params["latest"]["limit"] = std::int64_t{3};
  IndicatorDefinition other;
  other.id = "reablement";
  catalogue.indicators = {dtoc, other};
  RuleTestReport report = run(dir, &catalogue);
  CHECK(texts(report.diagnostics) ==
        "rules/latest.test.toml:19:13: error: indicator 'dtco' is not in the catalogue; did you "
        "mean 'dtoc'? [ruletest.unknown_indicator]\n");
  REQUIRE(report.files[0].cases.size() == 2);
  CHECK(report.files[0].cases[0].passed());
  CHECK(report.files[0].cases[0].periods == std::vector<std::string>{"2016-Q3"});
  CHECK(report.files[0].cases[1].passed());
  CHECK(report.untested_rules == std::vector<std::string>{"rules/other.lua"});
  CHECK(report.untested_indicators == std::vector<std::string>{"reablement"});
  std::string text = format_rule_test_report(report, true);
  CHECK(text.find("Rules without tests:\n  rules/other.lua\nIndicators no test names:\n  "
                  "reablement\n") != std::string::npos);

  // Without a catalogue, naming an indicator is an error.
  RuleTestReport alone = run(dir);
  CHECK(texts(alone.diagnostics)
            .find("test names indicator 'dtoc', which needs a catalogue: run "
                  "with --catalogue DIR [ruletest.no_catalogue]") != std::string::npos);
}

TEST_CASE("tests can give a rule linked budget lines and risks", "[rules][ruletest]") {
  TempDir dir;
  dir.write("rules/links.lua", R"(return { id = "links", version = "1", description = "d",
  evaluate = function(ctx)
    local b, r = ctx.budget_lines[1], ctx.risks[1]
    return { status = "ok", message = #ctx.budget_lines .. " " .. #ctx.risks,
             evidence = { variance = b.variance, variance_pct = b.variance_pct, saving = b.savings[1].name,
                          saving_rag = b.savings[1].rag, score = r.score, band = r.band,
                          prospects = r.prospects, previous = r.previous_score, period = b.period,
                          links = table.concat(ctx.indicator.budget_lines, ",") } }
  end })");
  dir.write("rules/links.test.toml", R"([[test]]
name = "links"
series = "1 2"
expect = "ok"
message = "1 1"
evidence = { variance = 500, variance_pct = 5, saving = "Day services", saving_rag = "amber", score = 20, band = "high", prospects = "red", previous = 15, period = "2016-05", links = "ld" }
  [[test.budget_lines]]
  id = "ld"
  budget = 10000
  forecast = 10500
    [[test.budget_lines.savings]]
    id = "s1"
    name = "Day services"
    rag = "amber"
  [[test.risks]]
  id = "RM1"
  likelihood = 4
  impact = 5
  prospects = "red"
  previous_score = 15

[[test]]
name = "bad links"
series = "1"
expect = "ok"
  [[test.budget_lines]]
  title = "no id"
  [[test.risks]]
  id = "RM2"
  likelihood = 6
  impact = 1
  prospects = "purple"
)");
  RuleTestReport report = run(dir);
  CHECK(texts(report.diagnostics) ==
        "rules/links.test.toml:26:3: error: [[test.budget_lines]] is missing required key 'id' "
        "[config.missing_key]\n"
        "rules/links.test.toml:30:16: error: risks.likelihood must be a whole number from 1 to 5 "
        "[ruletest.bad_value]\n"
        "rules/links.test.toml:32:15: error: risks.prospects must be 'red', 'amber' or 'green', "
        "got 'purple' [ruletest.bad_value]\n");
  REQUIRE(report.files[0].cases.size() == 1);
  INFO(format_rule_test_report(report, false));
  CHECK(report.files[0].cases[0].passed());
}

TEST_CASE("a missing folder is an error, not an empty report", "[rules][ruletest]") {
  TempDir dir;
  auto report = run_rule_tests({dir / "absent"}, SandboxLimits{});
  REQUIRE_FALSE(report.ok());
  CHECK(report.status().code() == StatusCode::kNotFound);
  CHECK(report.status().message() ==
        "rule folder or test file '" + (dir / "absent").generic_string() + "' does not exist");
}

TEST_CASE("a single test file can be run, and --run selects tests by name", "[rules][ruletest]") {
  TempDir dir;
  dir.write("rules/latest.lua", kLatestRule);
  dir.write("rules/other.lua", kLatestRule);
  dir.write("rules/latest.test.toml",
            "[[test]]\nname = \"boundary: at the limit\"\nseries = \"1 2 3\"\nparams = { limit = 3 }\n"
            "expect = \"ok\"\n\n[[test]]\nname = \"above the limit\"\nseries = \"1 2 4\"\n"
            "params = { limit = 3 }\nexpect = \"exception\"\n");

  RuleTestOptions options;
  options.dirs = {dir / "rules" / "latest.test.toml"};
  auto report = run_rule_tests(options);
  REQUIRE(report.ok());
  REQUIRE(report->files.size() == 1);
  CHECK(report->test_count() == 2);
  CHECK(report->ok());
  // Only the named file's rule can be untested: other.lua is not looked at.
  CHECK(report->untested_rules.empty());

  options.run = "^bound";
  report = run_rule_tests(options);
  REQUIRE(report.ok());
  REQUIRE(report->test_count() == 1);
  CHECK(report->files[0].cases[0].name == "boundary: at the limit");

  // A file none of whose tests is selected is left out; its rule still counts as tested.
  options.dirs = {dir / "rules"};
  options.run = "nothing like this";
  report = run_rule_tests(options);
  REQUIRE(report.ok());
  CHECK(report->files.empty());
  CHECK(report->untested_rules == std::vector<std::string>{"rules/other.lua"});

  options.run = "(";
  report = run_rule_tests(options);
  REQUIRE_FALSE(report.ok());
  CHECK(report.status().code() == StatusCode::kInvalidArgument);

  options.run.clear();
  options.dirs = {dir / "rules" / "latest.lua"};
  report = run_rule_tests(options);
  REQUIRE_FALSE(report.ok());
  CHECK(report.status().code() == StatusCode::kNotFound);
  CHECK(report.status().message().find("is neither a folder nor a rule test file") != std::string::npos);
}

TEST_CASE("XML escaping keeps the document well-formed whatever the text", "[rules][ruletest]") {
  CHECK(detail::xml_escape("a<b>&\"c'") == "a&lt;b&gt;&amp;&quot;c&apos;");
  CHECK(detail::xml_escape("tab\tline\nok") == "tab\tline\nok");
  CHECK(detail::xml_escape(std::string("bell\x07nul", 8) + std::string(1, '\0')) ==
        "bell\xEF\xBF\xBDnul\xEF\xBF\xBD");
  CHECK(detail::xml_escape("→ £ 😀") == "→ £ 😀");
  CHECK(detail::xml_escape("bad \xC3 tail \xFF") == "bad \xEF\xBF\xBD tail \xEF\xBF\xBD");
  CHECK(detail::xml_escape("\xED\xA0\x80") ==
        "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD");  // a surrogate
  CHECK(detail::xml_escape("\xEF\xBF\xBF") == "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD");  // U+FFFF
}

TEST_CASE("JUnit XML has a suite per file, a case per test and errors for file problems",
          "[rules][ruletest]") {
  TempDir dir;
  dir.write("rules/latest.lua", kLatestRule);
  dir.write("rules/latest.test.toml", R"([[test]]
name = "passes <1>"
series = "1"
expect = "ok"
[[test]]
name = "fails & shows"
series = "1"
expect = "exception"
[[test]]
name = "bad"
series = "1"
expect = "maybe"
)");
  RuleTestReport report = run(dir);
  CHECK(rule_test_junit_xml(report) ==
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        "<testsuites name=\"vitals rules test\" tests=\"3\" failures=\"1\" errors=\"1\">\n"
        "  <testsuite name=\"rules/latest.test.toml\" tests=\"3\" failures=\"1\" errors=\"1\">\n"
        "    <testcase classname=\"rules.latest\" name=\"load rules/latest.test.toml:12:10\">\n"
        "      <error type=\"ruletest.bad_value\" message=\"expect must be &apos;exception&apos;, "
        "&apos;ok&apos;, &apos;insufficient_data&apos;, &apos;not_applicable&apos; or "
        "&apos;error&apos;, got &apos;maybe&apos;\">rules/latest.test.toml:12:10: error: expect "
        "must be &apos;exception&apos;, &apos;ok&apos;, &apos;insufficient_data&apos;, "
        "&apos;not_applicable&apos; or &apos;error&apos;, got &apos;maybe&apos; "
        "[ruletest.bad_value]</error>\n"
        "    </testcase>\n"
        "    <testcase classname=\"rules.latest\" name=\"passes &lt;1&gt;\" "
        "file=\"rules/latest.test.toml\" line=\"1\"/>\n"
        "    <testcase classname=\"rules.latest\" name=\"fails &amp; shows\" "
        "file=\"rules/latest.test.toml\" line=\"5\">\n"
        "      <failure type=\"mismatch\" message=\"2016-04 status: expected exception, got ok "
        "(rules/latest.test.toml:8:10)\">2016-04 status: expected exception, got ok "
        "(rules/latest.test.toml:8:10)\n"
        "</failure>\n"
        "    </testcase>\n"
        "  </testsuite>\n"
        "</testsuites>\n");
}

TEST_CASE("the shipped rules and the tutorial rule pass their tests", "[rules][ruletest]") {
  auto report = run_rule_tests({std::filesystem::path(VITALS_SOURCE_DIR) / "rules",
                                std::filesystem::path(VITALS_SOURCE_DIR) / "docs/examples/rules"},
                               SandboxLimits{});
  REQUIRE(report.ok());
  INFO(format_rule_test_report(*report, true));
  CHECK(report->ok());
  CHECK(report->test_count() >= 79);
}

TEST_CASE("a test's params are checked against the rule's declaration", "[rules][ruletest]") {
  TempDir dir;
  dir.write("rules/limit.lua", R"(return {
  id = "limit", version = "1", description = "over a limit",
  params = { limit = { type = "number", default = 10, min = 0, description = "The limit." } },
  evaluate = function(ctx)
    local over = ctx.latest.value > ctx.params.limit
    return { status = over and "exception" or "ok", message = "limit " .. ctx.params.limit }
  end,
})");
  dir.write("rules/limit.test.toml", R"([[test]]
name = "the declared default applies"
series = "12"
expect = "exception"
message = "limit 10"

[[test]]
name = "a misspelt parameter is not ignored"
series = "12"
params = { limt = 20 }
expect = "ok"
)");
  RuleTestReport report = run(dir);
  REQUIRE(report.files.size() == 1);
  const RuleTestFile& file = report.files[0];
  REQUIRE(file.cases.size() == 2);
  CHECK(file.cases[0].passed());
  REQUIRE(file.cases[1].mismatches.size() == 1);
  CHECK(file.cases[1].mismatches[0].actual ==
        "error (could not evaluate: parameter 'limt' is not declared by the rule (its "
        "parameters: 'limit'))");
}

TEST_CASE("tests give a rule comparators, and a misspelt comparator key is located",
          "[rules][ruletest][comparators]") {
  TempDir dir;
  dir.write("rules/compare.lua", R"(return { id = "compare", version = "1", description = "d",
  evaluate = function(ctx)
    local c = ctx.comparators
    if c == nil then return { status = "ok", message = "none" } end
    return { status = "ok", message = c.period .. " " .. c.rank .. "/" .. c.ranked .. " q" .. c.quartile
      .. " fg " .. c.family_group.value .. " e " .. c.england.value .. " peers " .. #c.peers }
  end })");
  dir.write("rules/compare.test.toml", R"([[test]]
name = "with comparators"
series = "1"
comparators = { period = "2015/16", rank = 125, ranked = 152, quartile = 4, family_group = 13.5, england = 13.25 }
expect = "ok"
message = "2015/16 125/152 q4 fg 13.5 e 13.25 peers 0"

[[test]]
name = "without"
series = "1"
expect = "ok"
message = "none"

[[test]]
name = "misspelt"
series = "1"
comparators = { family_groop = 13.5 }
expect = "ok"
)");
  RuleTestReport report = run(dir);
  const std::string text = texts(report.diagnostics);
  INFO(text);
  CHECK(text.find("rules/compare.test.toml:17:17: error: ") != std::string::npos);
  CHECK(text.find("family_groop") != std::string::npos);
  REQUIRE(report.files.size() == 1);
  REQUIRE(report.files[0].cases.size() == 2);
  CHECK(report.files[0].cases[0].mismatches.empty());
  CHECK(report.files[0].cases[1].mismatches.empty());
}


TEST_CASE("tests can give a budget line its finance period, basis and previous variance, and a "
          "saving grouped Red or Amber",
          "[rules][ruletest][finance]") {
  TempDir dir;
  dir.write("rules/finance.lua", R"(return { id = "finance", version = "1", description = "d",
  evaluate = function(ctx)
    local b = ctx.budget_lines[1]
    return { status = "ok", message = "m",
             evidence = { basis = b.basis, finance_period = b.finance_period,
                          previous_variance = b.previous_variance, rag = b.savings[1].rag } }
  end })");
  dir.write("rules/finance.test.toml", R"([[test]]
name = "finance"
series = "1"
expect = "ok"
message = "m"
evidence = { basis = "gross", finance_period = 13, previous_variance = 250, rag = "red_or_amber" }
  [[test.budget_lines]]
  id = "mh"
  basis = "gross"
  finance_period = 13
  previous_variance = 250
  variance = 267
    [[test.budget_lines.savings]]
    id = "s1"
    rag = "red_or_amber"

[[test]]
name = "bad finance values"
series = "1"
expect = "ok"
  [[test.budget_lines]]
  id = "a"
  basis = "nett"
  finance_period = 14
)");
  RuleTestReport report = run(dir);
  CHECK(texts(report.diagnostics) ==
        "rules/finance.test.toml:23:11: error: budget_lines.basis must be 'net' or 'gross', got "
        "'nett' [ruletest.bad_value]\n"
        "rules/finance.test.toml:24:20: error: budget_lines.finance_period must be a whole number "
        "from 1 (April) to 13 (the year end), got 14 [ruletest.bad_value]\n");
  REQUIRE(report.files[0].cases.size() >= 1);
  INFO(format_rule_test_report(report, false));
  CHECK(report.files[0].cases[0].passed());
}

}  // namespace
}  // namespace vitals
