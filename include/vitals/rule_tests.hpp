// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <vitals/catalogue.hpp>
#include <vitals/diagnostic.hpp>
#include <vitals/export.hpp>
#include <vitals/options.hpp>
#include <vitals/source_location.hpp>
#include <vitals/status.hpp>

#include <filesystem>
#include <string>
#include <vector>

namespace vitals {

/// One expectation a rule test did not meet.
struct RuleTestMismatch {
  std::string period;       // the reporting period the rule was run for, e.g. "2017-03"
  std::string what;         // "status", "message" or "evidence 'mean'"
  std::string expected;     // as the test file writes it (text without quotes)
  std::string actual;       // what the rule gave; "(none)" when it gave nothing
  SourceLocation location;  // where the expectation is written
  /// When the rule raised an error for this period: where and why, as Lua
  /// tells it ("rules/x.lua:12: attempt to index a nil value"); else empty.
  std::string rule_error;
};

/// One [[test]] entry of a test file, run.
struct RuleTestCase {
  std::string name;
  SourceLocation location;  // the start of the entry
  /// The reporting periods checked, in order.
  std::vector<std::string> periods;
  std::vector<RuleTestMismatch> mismatches;
  /// Set when the test could not be run at all (its rule failed to load); the
  /// test then counts as failed.
  std::string error;

  bool passed() const { return error.empty() && mismatches.empty(); }
};

/// One test file (`<rule>.test.toml`) and the rule it tests (`<rule>.lua` beside it).
struct RuleTestFile {
  std::filesystem::path path;
  std::string display;    // as reported: "rules/council/off_target.test.toml"
  std::string rule_file;  // "rules/council/off_target.lua"
  std::string rule_id;    // empty when the rule did not load
  std::vector<RuleTestCase> cases;
};

/// Line coverage of one Lua file (a rule, or a module it required) over a
/// run with RuleTestOptions::coverage.
struct RuleFileCoverage {
  std::string file;  // as Lua messages name it: "rules/council/off_target.lua"
  /// Lines holding code Lua runs, as Lua's debug information tells them
  /// (comments and blank lines never count).
  int lines = 0;
  int hit = 0;              // of those, the lines some test ran
  std::vector<int> missed;  // the others, ascending

  /// hit / lines in percent; 100 when the file has no such lines.
  VITALS_API double percent() const;
};

/// What run_rule_tests() found.
struct RuleTestReport {
  std::vector<RuleTestFile> files;  // sorted by path
  /// Problems with test files (bad TOML, unknown keys, bad series, a missing
  /// rule) and rules that failed to load, located file:line:column. Entries
  /// with errors are not run.
  std::vector<Diagnostic> diagnostics;
  /// Rule files under the searched folders that have no test file, or whose
  /// test file has no tests (display paths, sorted).
  std::vector<std::string> untested_rules;
  /// Indicators of the catalogue (when one was given) that no test names
  /// with `indicator = "..."` (ids, sorted).
  std::vector<std::string> untested_indicators;
  /// With RuleTestOptions::coverage: every rule file found (those no test
  /// loads at 0%) and every module a tested rule required, sorted by file;
  /// otherwise empty.
  std::vector<RuleFileCoverage> coverage;

  VITALS_API int test_count() const;
  VITALS_API int failed_count() const;
  /// True when every test passed and no test file had errors.
  VITALS_API bool ok() const;
  /// Lines and hit lines summed over `coverage`, and hit / lines in percent
  /// (100 when there are no lines).
  VITALS_API int coverage_lines() const;
  VITALS_API int coverage_hit() const;
  VITALS_API double coverage_percent() const;
};

struct RuleTestOptions {
  /// Folders searched recursively for *.test.toml (folders named lib
  /// excepted), or single test files (`rules/council/off_target.test.toml`).
  std::vector<std::filesystem::path> dirs;
  /// When not empty, a regular expression (ECMAScript): only the tests whose
  /// name it matches (anywhere in the name) are run; files with none are
  /// left out of the report, except for their errors.
  std::string run;
  SandboxLimits limits;
  /// When set, tests may take an indicator's definition from it with
  /// `indicator = "<id>"`, and untested_indicators is filled.
  /// The catalogue must outlive the call.
  const Catalogue* catalogue = nullptr;
  /// Record which lines of the rules and of the modules they require the
  /// tests run (RuleTestReport::coverage). Off by default: a line hook then
  /// runs on every line, which makes the tests slower.
  bool coverage = false;
};

/// Runs every rule test file under options.dirs: each test builds the series
/// it describes, runs the rule beside the file for the reporting period (and
/// for each period of expect_by_period) as the engine would, and compares
/// status, message and evidence. The test file format is in
/// docs/rule-authoring.md. Returns kNotFound when a folder or file does not
/// exist (or a file is not a .test.toml), kInvalidArgument for a `run` that is
/// not a regular expression; everything else, including a failing rule, is in
/// the report.
/// Thread safety: safe to call from several threads at once.
VITALS_API Result<RuleTestReport> run_rule_tests(const RuleTestOptions& options);

/// run_rule_tests() with default options for `dirs` and `limits`.
VITALS_API Result<RuleTestReport> run_rule_tests(const std::vector<std::filesystem::path>& dirs,
                                                 const SandboxLimits& limits);

/// OK when the report's total line coverage is at least `minimum_percent`;
/// otherwise kRuleError with a message naming both ("line coverage
/// 91.3% is below the minimum of 95%"). Compares the exact fraction, not the
/// rounded figure. REQUIRES: the report was made with RuleTestOptions::coverage.
VITALS_API Status check_rule_coverage(const RuleTestReport& report, double minimum_percent);

/// Line numbers as ranges: {3, 4, 5, 9} gives "3-5, 9".
VITALS_API std::string line_ranges(const std::vector<int>& lines);

/// The report as people read it: PASS/FAIL per test, a readable diff of each
/// mismatch (with where the rule failed, when it raised an error), the
/// diagnostics and a count. With `coverage`, also the rules and indicators
/// without tests and, when recorded, each file's line coverage with the
/// lines no test ran ("rules/x.lua 96.0% (missed 41-43)") and the total.
VITALS_API std::string format_rule_test_report(const RuleTestReport& report, bool coverage);

/// The report as JUnit XML (one testsuite per test file, one testcase per
/// test; file errors are testcases with an <error>), for CI servers.
VITALS_API std::string rule_test_junit_xml(const RuleTestReport& report);

/// The report as the "vitals.rule_tests/1" JSON document
/// (docs/report-format.md): counts, each file's tests with their
/// mismatches, the diagnostics; with `coverage`, also the rules and
/// indicators without tests and the line coverage.
VITALS_API std::string rule_test_json(const RuleTestReport& report, bool coverage);

}  // namespace vitals
