// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <vitals/catalogue.hpp>
#include <vitals/comparators.hpp>
#include <vitals/diagnostic.hpp>
#include <vitals/evaluation.hpp>
#include <vitals/indicator.hpp>
#include <vitals/period.hpp>
#include <vitals/records.hpp>
#include <vitals/source_location.hpp>

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <variant>
#include <vector>

namespace vitals::detail {

/// One evidence value a test expects. Numbers match when the actual value,
/// rounded to the decimals the test file writes, equals the expected one.
struct EvidenceExpectation {
  std::string key;
  EvidenceValue value;
  int decimals = -1;    // -1: compare numbers to within 1e-9 (exponent notation)
  std::string written;  // the value as the file writes it
  SourceLocation location;
};

/// What a test expects of the rule for one reporting period.
struct PeriodExpectation {
  Period period;
  std::optional<std::string> status;  // "exception", "ok", ...
  SourceLocation status_location;
  std::optional<std::string> message;
  SourceLocation message_location;
  std::vector<EvidenceExpectation> evidence;
};

/// One [[test]] entry, with [defaults] applied.
struct RuleTestSpec {
  std::string name;
  SourceLocation location;
  std::string indicator_id;  // empty: a made-up indicator
  std::optional<Polarity> polarity;
  std::optional<Frequency> frequency;
  std::optional<Unit> unit;
  std::optional<int> decimals;  // the indicator's; nullopt: the unit's default
  std::optional<Period> start;
  std::vector<std::optional<double>> series;
  std::optional<double> target;
  std::vector<std::optional<double>> targets;  // published with the data, one per point
  std::optional<double> red_variance_pct;
  std::optional<double> amber_variance_pct;
  std::optional<int> allowed_lag;
  std::map<std::string, ParamValue> params;
  /// Linked budget lines and risks ([[test.budget_lines]], [[test.risks]]);
  /// when given, they are the indicator's links (their period is set to the
  /// reporting period when the test runs).
  std::vector<BudgetLine> budget_lines;
  std::vector<Risk> risks;
  /// The mechanisms the [[test.risks]] entries state (measures, quote, when,
  /// threshold), in their order.
  std::vector<RiskMechanism> risk_mechanisms;
  /// The indicator's cost driver, from the cost_driver table of the
  /// [[test.budget_lines]] entry it charges; unset: none.
  std::optional<CostDriver> cost_driver;
  bool has_budget_lines = false;
  bool has_risks = false;
  /// The indicator's comparators ([test.comparators]: period, council, rank,
  /// ranked, quartile, and england, region, family_group as numbers); unset:
  /// none.
  std::optional<IndicatorComparators> comparators;
  std::optional<Period> period;  // the reporting period of `expect`
  /// In checking order: expect_by_period (by period), then the reporting period.
  std::vector<PeriodExpectation> expectations;
};

/// A test file as read: its entries (those without errors).
struct RuleTestFileSpec {
  std::filesystem::path path;
  std::string display;
  std::vector<RuleTestSpec> tests;
};

/// Reads and checks a rule test file (see docs/rule-authoring.md). Problems
/// are appended to `diagnostics`, located in the file (named `display`); an
/// entry with errors is left out. `catalogue` (may be null) is used to check
/// indicator ids.
RuleTestFileSpec read_rule_test_file(const std::filesystem::path& path, const std::string& display,
                                     const Catalogue* catalogue,
                                     std::vector<Diagnostic>& diagnostics);

/// Parses a compact series: numbers separated by spaces or commas, "-" for a
/// missing value. On a bad token returns nullopt and sets `error` and the
/// byte offset of the token in `text`.
std::optional<std::vector<std::optional<double>>> parse_compact_series(std::string_view text,
                                                                       std::string& error,
                                                                       std::size_t& offset);

}  // namespace vitals::detail
