// SPDX-License-Identifier: Apache-2.0
#include "authoring/rule_test_file.hpp"
#include "engine/series_builder.hpp"
#include "log/logging.hpp"
#include "lua/line_coverage.hpp"
#include "lua/linked_records.hpp"
#include "lua/rule_set.hpp"

#include <vitals/rule_tests.hpp>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <fstream>
#include <iterator>
#include <map>
#include <optional>
#include <regex>
#include <set>
#include <system_error>

namespace vitals {

namespace fs = std::filesystem;

int RuleTestReport::test_count() const {
  int n = 0;
  for (const RuleTestFile& f : files) n += static_cast<int>(f.cases.size());
  return n;
}

int RuleTestReport::failed_count() const {
  int n = 0;
  for (const RuleTestFile& f : files) {
    n += static_cast<int>(std::count_if(f.cases.begin(), f.cases.end(),
                                        [](const RuleTestCase& c) { return !c.passed(); }));
  }
  return n;
}

bool RuleTestReport::ok() const { return failed_count() == 0 && !has_errors(diagnostics); }

double RuleFileCoverage::percent() const { return lines == 0 ? 100.0 : 100.0 * hit / lines; }

int RuleTestReport::coverage_lines() const {
  int n = 0;
  for (const RuleFileCoverage& f : coverage) n += f.lines;
  return n;
}

int RuleTestReport::coverage_hit() const {
  int n = 0;
  for (const RuleFileCoverage& f : coverage) n += f.hit;
  return n;
}

double RuleTestReport::coverage_percent() const {
  const int lines = coverage_lines();
  return lines == 0 ? 100.0 : 100.0 * coverage_hit() / lines;
}

namespace detail {
namespace {

constexpr std::string_view kTestSuffix = ".test.toml";

bool ends_with(std::string_view text, std::string_view suffix) {
  return text.size() >= suffix.size() && text.substr(text.size() - suffix.size()) == suffix;
}

bool is_test_file_name(std::string_view name) {
  return name.size() > kTestSuffix.size() && ends_with(name, kTestSuffix);
}

// Test files and rule files under `dir`, folders named lib left out.
void discover(const fs::path& dir, std::vector<fs::path>& tests, std::vector<fs::path>& rules) {
  std::error_code ec;
  fs::recursive_directory_iterator it(dir, fs::directory_options::skip_permission_denied, ec);
  for (; !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
    std::error_code type_ec;
    if (it->is_directory(type_ec)) {
      if (it->path().filename() == "lib") it.disable_recursion_pending();
      continue;
    }
    if (!it->is_regular_file(type_ec)) continue;
    const std::string name = it->path().filename().string();
    if (ends_with(name, kTestSuffix)) {
      tests.push_back(it->path());
    } else if (it->path().extension() == ".lua" && !RuleSet::is_definition_file(it->path())) {
      rules.push_back(it->path());
    }
  }
}

Period default_start(Frequency frequency) {
  switch (frequency) {
    case Frequency::kMonthly:
      return Period::month(2016, 4);
    case Frequency::kQuarterly:
      return Period::quarter(2016, 2);
    case Frequency::kAnnual:
      return Period::calendar_year(2016);
    case Frequency::kFinancialYear:
      return Period::financial_year(2016);
    case Frequency::kFinancialQuarterly:
      return Period::financial_quarter(2016, 1);
  }
  return Period::month(2016, 4);
}

std::string evidence_text(const EvidenceValue& value) {
  if (const bool* b = std::get_if<bool>(&value)) return *b ? "true" : "false";
  if (const double* d = std::get_if<double>(&value)) {
    // Shortest text that reads back as the same double.
    char buffer[64];
    for (int precision = 1; precision <= 17; ++precision) {
      std::snprintf(buffer, sizeof buffer, "%.*g", precision, *d);
      if (std::strtod(buffer, nullptr) == *d) break;
    }
    return buffer;
  }
  return std::get<std::string>(value);
}

bool evidence_matches(const EvidenceExpectation& expected, const EvidenceValue& actual) {
  if (expected.value.index() != actual.index()) return false;
  const double* e = std::get_if<double>(&expected.value);
  if (e == nullptr) return expected.value == actual;
  double a = std::get<double>(actual);
  if (expected.decimals < 0) return std::fabs(a - *e) <= 1e-9 * std::max(1.0, std::fabs(*e));
  // Equal when rounded to the decimals written: 2.13 matches 2.1333.
  double half_unit = 0.5 * std::pow(10.0, -expected.decimals);
  return std::fabs(a - *e) <= half_unit * (1 + 1e-9);
}

class CaseRunner {
 public:
  CaseRunner(RuleSet& rules, const std::string& rule_id, const Catalogue* catalogue)
      : rules_(rules), rule_id_(rule_id), catalogue_(catalogue) {}

  RuleTestCase run(const RuleTestSpec& spec) {
    RuleTestCase out;
    out.name = spec.name;
    out.location = spec.location;
    IndicatorDefinition indicator = indicator_for(spec);
    std::vector<Observation> observations = observations_for(spec, indicator);
    for (const PeriodExpectation& e : spec.expectations) {
      out.periods.push_back(e.period.to_string());
      LinkedRecords links;
      for (BudgetLine line : spec.budget_lines) {
        line.period = e.period;
        links.budget_lines.emplace(line.id, std::move(line));
      }
      for (Risk risk : spec.risks) {
        risk.period = e.period;
        links.risks.emplace(risk.id, std::move(risk));
      }
      check(indicator, observations, e, links,
            spec.comparators ? &*spec.comparators : nullptr, out);
    }
    return out;
  }

 private:
  IndicatorDefinition indicator_for(const RuleTestSpec& spec) const {
    IndicatorDefinition indicator;
    if (!spec.indicator_id.empty() && catalogue_ != nullptr) {
      if (const IndicatorDefinition* d = catalogue_->find_indicator(spec.indicator_id))
        indicator = *d;
    } else {
      indicator.id = "test_indicator";
      indicator.title = spec.name;
      indicator.unit = Unit::kNumber;
      if (catalogue_ != nullptr) indicator.tolerance = catalogue_->default_tolerance;
    }
    if (spec.polarity) indicator.polarity = *spec.polarity;
    if (spec.frequency) indicator.frequency = *spec.frequency;
    if (spec.unit) indicator.unit = *spec.unit;
    if (spec.decimals) indicator.decimals = *spec.decimals;
    if (spec.target) {
      indicator.target = Target{};
      indicator.target.kind = Target::Kind::kFixed;
      indicator.target.fixed_value = *spec.target;
    } else if (!spec.targets.empty()) {
      indicator.target = Target{};  // the targets published with the data apply
    }
    if (spec.red_variance_pct) indicator.tolerance.red_variance_pct = *spec.red_variance_pct;
    if (spec.amber_variance_pct) indicator.tolerance.amber_variance_pct = *spec.amber_variance_pct;
    if (spec.allowed_lag) indicator.allowed_lag = *spec.allowed_lag;
    if (spec.has_budget_lines) {
      indicator.budget_lines.clear();
      for (const BudgetLine& line : spec.budget_lines) indicator.budget_lines.push_back(line.id);
      indicator.cost_driver =
          spec.cost_driver ? std::make_shared<const CostDriver>(*spec.cost_driver) : nullptr;
    }
    if (spec.has_risks) {
      indicator.risks.clear();
      for (const Risk& risk : spec.risks) indicator.risks.push_back(risk.id);
      indicator.risk_mechanisms = spec.risk_mechanisms;
    }
    auto& params = indicator.rule_params[rule_id_];
    for (const auto& [key, value] : spec.params) params[key] = value;
    return indicator;
  }

  static std::vector<Observation> observations_for(const RuleTestSpec& spec,
                                                   const IndicatorDefinition& indicator) {
    std::vector<Observation> out;
    Period period = spec.start.value_or(default_start(indicator.frequency));
    for (std::size_t i = 0; i < spec.series.size(); ++i, period = period.next()) {
      Observation o;
      o.period = period;
      o.value = spec.series[i];
      if (i < spec.targets.size()) o.target = spec.targets[i];
      out.push_back(o);
    }
    return out;
  }

  void check(const IndicatorDefinition& indicator, const std::vector<Observation>& observations,
             const PeriodExpectation& e, const LinkedRecords& links,
             const IndicatorComparators* comparators, RuleTestCase& out) {
    std::vector<Diagnostic> diagnostics;
    IndicatorSeries series = build_series(indicator, observations, e.period, diagnostics);
    RuleInput input;
    input.indicator = &indicator;
    input.period = e.period;
    input.series = std::move(series.points);
    input.data_state = series.data_state;
    input.links = &links;
    input.comparators = comparators;
    std::vector<RuleOutcome> outcomes = rules_.evaluate(input, diagnostics);
    RuleOutcome outcome = outcomes.empty() ? RuleOutcome{} : outcomes.front();
    const std::string period = e.period.to_string();
    const std::string rule_error = rule_error_of(outcome, diagnostics);

    std::string status = outcome_status_name(outcome.status);
    if (e.status && *e.status != status) {
      std::string actual = status;
      if (!rule_error.empty()) {
        actual += " (" + rule_error + ")";
      } else if (outcome.status == RuleOutcome::Status::kError ||
                 outcome.status == RuleOutcome::Status::kNotApplicable) {
        actual += " (" + outcome.message + ")";
      }
      out.mismatches.push_back({period, "status", *e.status, actual, e.status_location, rule_error});
    }
    if (e.message && *e.message != outcome.message) {
      out.mismatches.push_back(
          {period, "message", *e.message, outcome.message, e.message_location, rule_error});
    }
    for (const EvidenceExpectation& expected : e.evidence) {
      auto it = outcome.evidence.find(expected.key);
      if (it == outcome.evidence.end()) {
        out.mismatches.push_back({period, "evidence '" + expected.key + "'", expected.written,
                                  "(none)", expected.location, rule_error});
      } else if (!evidence_matches(expected, it->second)) {
        out.mismatches.push_back({period, "evidence '" + expected.key + "'", expected.written,
                                  evidence_text(it->second), expected.location, rule_error});
      }
    }
  }

  // "rules/x.lua:12: attempt to index a nil value" when the rule raised an
  // error: the outcome's message has no location, its diagnostic has.
  static std::string rule_error_of(const RuleOutcome& outcome,
                                   const std::vector<Diagnostic>& diagnostics) {
    if (outcome.status != RuleOutcome::Status::kError) return {};
    constexpr std::string_view kPrefix = "could not evaluate: ";
    std::string_view reason = outcome.message;
    if (reason.substr(0, kPrefix.size()) == kPrefix) reason.remove_prefix(kPrefix.size());
    for (const Diagnostic& d : diagnostics) {
      if (d.rule_id != outcome.rule_id || d.severity != Severity::kError || !d.location ||
          d.location->line <= 0) {
        continue;
      }
      return d.location->file + ":" + std::to_string(d.location->line) + ": " + std::string(reason);
    }
    return {};
  }

  RuleSet& rules_;
  const std::string& rule_id_;
  const Catalogue* catalogue_;
};

// The report's coverage: every file `coverage` noted, and the rule files no
// test loaded (compiled to learn their lines).
std::vector<RuleFileCoverage> coverage_of(LineCoverage& coverage,
                                          const std::vector<fs::path>& rule_paths,
                                          const SandboxLimits& limits) {
  for (const fs::path& rule : rule_paths) {
    const std::string name =
        describe_rule_folder(rule.parent_path()).display + "/" + rule.filename().string();
    if (coverage.files().count(name) != 0) continue;
    std::ifstream in(rule, std::ios::binary);
    std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    // A rule that does not compile has no lines to cover; loading it is what fails.
    if (in.bad() || text.size() > limits.max_bytes) continue;
    coverage.add_source(name, text, limits.max_bytes);
  }
  std::vector<RuleFileCoverage> out;
  for (const auto& [name, file] : coverage.files()) {
    RuleFileCoverage c;
    c.file = name;
    for (int line : file.executable) {
      ++c.lines;
      if (file.hit[static_cast<std::size_t>(line)] != 0) {
        ++c.hit;
      } else {
        c.missed.push_back(line);
      }
    }
    out.push_back(std::move(c));
  }
  return out;
}

RuleTestReport run_all(const RuleTestOptions& options, const std::optional<std::regex>& selected) {
  RuleTestReport report;
  std::optional<LineCoverage> coverage;
  if (options.coverage) coverage.emplace();
  std::vector<fs::path> test_paths;
  std::vector<fs::path> rule_paths;
  for (const fs::path& path : options.dirs) {
    std::error_code ec;
    if (fs::is_directory(path, ec)) {
      discover(path, test_paths, rule_paths);
      continue;
    }
    // A single test file: its rule is the only one it can show untested.
    test_paths.push_back(path);
    const std::string name = path.filename().string();
    const fs::path rule = path.parent_path() / (name.substr(0, name.size() - kTestSuffix.size()) + ".lua");
    if (fs::is_regular_file(rule, ec)) rule_paths.push_back(rule);
  }
  std::sort(test_paths.begin(), test_paths.end());
  test_paths.erase(std::unique(test_paths.begin(), test_paths.end()), test_paths.end());
  std::sort(rule_paths.begin(), rule_paths.end());
  rule_paths.erase(std::unique(rule_paths.begin(), rule_paths.end()), rule_paths.end());

  std::set<fs::path> tested_rules;
  std::set<std::string> named_indicators;
  for (const fs::path& path : test_paths) {
    const RuleFolder folder = describe_rule_folder(path.parent_path());
    std::string name = path.filename().string();
    const fs::path rule_path =
        path.parent_path() / (name.substr(0, name.size() - kTestSuffix.size()) + ".lua");

    RuleTestFile file;
    file.path = path;
    file.display = folder.display + "/" + name;
    file.rule_file = folder.display + "/" + rule_path.filename().string();
    RuleTestFileSpec spec =
        read_rule_test_file(path, file.display, options.catalogue, report.diagnostics);
    for (const RuleTestSpec& t : spec.tests) {
      if (!t.indicator_id.empty()) named_indicators.insert(t.indicator_id);
    }
    const bool has_tests = !spec.tests.empty();
    if (selected) {
      std::erase_if(spec.tests, [&](const RuleTestSpec& t) { return !std::regex_search(t.name, *selected); });
      if (spec.tests.empty()) {
        if (has_tests) tested_rules.insert(fs::absolute(rule_path).lexically_normal());
        continue;
      }
    }

    std::string cannot_run;
    std::error_code ec;
    std::optional<RuleSet> rules;
    if (!fs::is_regular_file(rule_path, ec)) {
      Diagnostic d;
      d.code = "ruletest.missing_rule";
      d.message = "there is no rule file " + rule_path.filename().string() +
                  " beside this test file; a test file is named after its rule (off_target.lua "
                  "is tested by off_target.test.toml)";
      d.location = SourceLocation{file.display, 0, 0};
      report.diagnostics.push_back(std::move(d));
      cannot_run = "there is no rule file " + file.rule_file;
    } else {
      if (has_tests) tested_rules.insert(fs::absolute(rule_path, ec).lexically_normal());
      rules.emplace(
          RuleSet::load_file(rule_path, options.limits, null_logger(), report.diagnostics,
                             coverage ? &*coverage : nullptr));
      if (rules->rules().empty()) {
        cannot_run = "the rule " + file.rule_file + " did not load (see the errors above)";
      } else {
        file.rule_id = rules->rules().front().id;
      }
    }
    for (const RuleTestSpec& t : spec.tests) {
      if (!cannot_run.empty()) {
        RuleTestCase c;
        c.name = t.name;
        c.location = t.location;
        c.error = cannot_run;
        file.cases.push_back(std::move(c));
        continue;
      }
      CaseRunner runner(*rules, file.rule_id, options.catalogue);
      file.cases.push_back(runner.run(t));
    }
    report.files.push_back(std::move(file));
  }

  for (const fs::path& rule : rule_paths) {
    std::error_code ec;
    if (tested_rules.count(fs::absolute(rule, ec).lexically_normal()) != 0) continue;
    report.untested_rules.push_back(describe_rule_folder(rule.parent_path()).display + "/" +
                                    rule.filename().string());
  }
  std::sort(report.untested_rules.begin(), report.untested_rules.end());
  if (options.catalogue != nullptr) {
    for (const IndicatorDefinition& indicator : options.catalogue->indicators) {
      if (named_indicators.count(indicator.id) == 0)
        report.untested_indicators.push_back(indicator.id);
    }
  }
  if (coverage) report.coverage = coverage_of(*coverage, rule_paths, options.limits);
  sort_and_deduplicate(report.diagnostics);
  return report;
}

}  // namespace
}  // namespace detail

Result<RuleTestReport> run_rule_tests(const RuleTestOptions& options) {
  try {
    for (const fs::path& path : options.dirs) {
      std::error_code ec;
      if (fs::is_directory(path, ec)) continue;
      if (!fs::exists(path, ec)) {
        return Status(StatusCode::kNotFound, "rule folder or test file '" + path.generic_string() +
                                                 "' does not exist");
      }
      if (!detail::is_test_file_name(path.filename().string())) {
        return Status(StatusCode::kNotFound, "'" + path.generic_string() +
                                                 "' is neither a folder nor a rule test file (<rule>.test.toml)");
      }
    }
    std::optional<std::regex> selected;
    if (!options.run.empty()) {
      try {
        selected.emplace(options.run, std::regex::ECMAScript);
      } catch (const std::regex_error& e) {
        return Status(StatusCode::kInvalidArgument,
                      "'" + options.run + "' is not a regular expression: " + e.what());
      }
    }
    return detail::run_all(options, selected);
  } catch (const std::exception& e) {
    return Status(StatusCode::kInternal, std::string("internal error: ") + e.what());
  }
}

Result<RuleTestReport> run_rule_tests(const std::vector<fs::path>& dirs,
                                      const SandboxLimits& limits) {
  RuleTestOptions options;
  options.dirs = dirs;
  options.limits = limits;
  return run_rule_tests(options);
}

}  // namespace vitals
