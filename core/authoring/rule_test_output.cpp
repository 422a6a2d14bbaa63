// SPDX-License-Identifier: Apache-2.0
#include "authoring/xml_escape.hpp"

#include <vitals/rule_tests.hpp>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <sstream>

namespace vitals {

namespace {

// Index of the first byte where `a` and `b` differ (their common length when
// one is a prefix of the other).
std::size_t first_difference(const std::string& a, const std::string& b) {
  std::size_t i = 0;
  while (i < a.size() && i < b.size() && a[i] == b[i]) ++i;
  return i;
}

// Columns a terminal shows for the first `bytes` bytes of `text` (UTF-8).
std::size_t display_width(const std::string& text, std::size_t bytes) {
  std::size_t width = 0;
  for (std::size_t i = 0; i < bytes && i < text.size(); ++i) {
    if ((static_cast<unsigned char>(text[i]) & 0xC0) != 0x80) ++width;
  }
  return width;
}

// The lines explaining one mismatch, each starting with `indent`.
std::string describe(const RuleTestMismatch& m, const std::string& indent) {
  std::ostringstream out;
  out << indent << m.period << " " << m.what;
  if (m.what == "message") {
    std::size_t at = first_difference(m.expected, m.actual);
    out << " differs at character " << display_width(m.expected, at) + 1 << " ("
        << m.location.to_string() << "):\n";
    out << indent << "  expected: " << m.expected << "\n";
    out << indent << "  actual:   " << m.actual << "\n";
    out << indent << "            " << std::string(display_width(m.expected, at), ' ') << "^\n";
  } else {
    out << ": expected " << m.expected << ", got " << m.actual << " (" << m.location.to_string()
        << ")\n";
  }
  // A status mismatch names the error in its actual value already.
  if (!m.rule_error.empty() && m.what != "status") {
    out << indent << "  the rule failed: " << m.rule_error << "\n";
  }
  return out.str();
}

// A percentage with one decimal, rounded down so that a file with a line
// missed never reads 100.0%.
std::string percent_text(double percent) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.1f%%", std::floor(percent * 10 + 1e-9) / 10);
  return buffer;
}

std::string failure_text(const RuleTestCase& c) {
  std::string text;
  if (!c.error.empty()) return c.error + "\n";
  for (const RuleTestMismatch& m : c.mismatches) text += describe(m, "");
  return text;
}

std::string first_line(const std::string& text) { return text.substr(0, text.find('\n')); }

}  // namespace

std::string line_ranges(const std::vector<int>& lines) {
  std::string out;
  for (std::size_t i = 0; i < lines.size();) {
    std::size_t j = i;
    while (j + 1 < lines.size() && lines[j + 1] == lines[j] + 1) ++j;
    if (!out.empty()) out += ", ";
    out += std::to_string(lines[i]);
    if (j > i) out += "-" + std::to_string(lines[j]);
    i = j + 1;
  }
  return out;
}

Status check_rule_coverage(const RuleTestReport& report, double minimum_percent) {
  const double percent = report.coverage_percent();
  // Exact: hit / lines against the minimum, without rounding the percentage.
  if (static_cast<double>(report.coverage_hit()) * 100.0 >=
      minimum_percent * static_cast<double>(report.coverage_lines())) {
    return Status::ok();
  }
  char minimum[32];
  std::snprintf(minimum, sizeof minimum, "%g%%", minimum_percent);
  return Status(StatusCode::kRuleError, "line coverage " + percent_text(percent) +
                                            " is below the minimum of " + minimum + " (" +
                                            std::to_string(report.coverage_hit()) + " of " +
                                            std::to_string(report.coverage_lines()) +
                                            " lines run by the tests)");
}

std::string format_rule_test_report(const RuleTestReport& report, bool coverage) {
  std::ostringstream out;
  for (const Diagnostic& d : report.diagnostics) out << d.to_string() << "\n";
  if (!report.diagnostics.empty()) out << "\n";
  for (const RuleTestFile& file : report.files) {
    out << file.display;
    if (!file.rule_id.empty()) out << " (rule " << file.rule_id << ")";
    out << "\n";
    for (const RuleTestCase& c : file.cases) {
      out << (c.passed() ? "  PASS  " : "  FAIL  ") << c.name;
      if (!c.passed()) out << "  [" << c.location.to_string() << "]";
      out << "\n";
      if (!c.error.empty()) out << "        " << c.error << "\n";
      for (const RuleTestMismatch& m : c.mismatches) out << describe(m, "        ");
    }
  }
  if (coverage) {
    out << "\n";
    if (report.untested_rules.empty()) {
      out << "Every rule has tests.\n";
    } else {
      out << "Rules without tests:\n";
      for (const std::string& r : report.untested_rules) out << "  " << r << "\n";
    }
    if (!report.untested_indicators.empty()) {
      out << "Indicators no test names:\n";
      for (const std::string& i : report.untested_indicators) out << "  " << i << "\n";
    }
    if (!report.coverage.empty()) {
      out << "Line coverage:\n";
      for (const RuleFileCoverage& f : report.coverage) {
        out << "  " << f.file << " " << percent_text(f.percent());
        if (!f.missed.empty()) out << " (missed " << line_ranges(f.missed) << ")";
        out << "\n";
      }
      out << "  total " << percent_text(report.coverage_percent()) << " ("
          << report.coverage_hit() << " of " << report.coverage_lines() << " lines)\n";
    }
  }
  const int total = report.test_count();
  const int failed = report.failed_count();
  out << "\n"
      << total << (total == 1 ? " test: " : " tests: ") << total - failed << " passed, " << failed
      << " failed";
  const auto errors =
      std::count_if(report.diagnostics.begin(), report.diagnostics.end(),
                    [](const Diagnostic& d) { return d.severity == Severity::kError; });
  if (errors > 0) out << ", " << errors << (errors == 1 ? " error" : " errors") << " in test files";
  out << "\n";
  return out.str();
}

std::string rule_test_junit_xml(const RuleTestReport& report) {
  using detail::xml_escape;
  // Diagnostics go with the test file they are located in, else in a suite of their own.
  std::vector<const Diagnostic*> unplaced;
  auto in_file = [](const Diagnostic& d, const RuleTestFile& f) {
    return d.location && (d.location->file == f.display || d.location->file == f.rule_file);
  };
  for (const Diagnostic& d : report.diagnostics) {
    if (d.severity != Severity::kError) continue;
    if (std::none_of(report.files.begin(), report.files.end(),
                     [&](const RuleTestFile& f) { return in_file(d, f); })) {
      unplaced.push_back(&d);
    }
  }

  std::ostringstream body;
  int all_tests = 0, all_failures = 0, all_errors = 0;
  auto suite = [&](const std::string& name, const std::string& classname,
                   const std::vector<const RuleTestCase*>& cases,
                   const std::vector<const Diagnostic*>& errors) {
    int failures = 0;
    for (const RuleTestCase* c : cases) failures += c->passed() ? 0 : 1;
    const int tests = static_cast<int>(cases.size() + errors.size());
    all_tests += tests;
    all_failures += failures;
    all_errors += static_cast<int>(errors.size());
    body << "  <testsuite name=\"" << xml_escape(name) << "\" tests=\"" << tests << "\" failures=\""
         << failures << "\" errors=\"" << errors.size() << "\">\n";
    for (const Diagnostic* d : errors) {
      body << "    <testcase classname=\"" << xml_escape(classname) << "\" name=\""
           << xml_escape("load " + (d->location ? d->location->to_string() : name)) << "\">\n"
           << "      <error type=\"" << xml_escape(d->code) << "\" message=\""
           << xml_escape(d->message) << "\">" << xml_escape(d->to_string()) << "</error>\n"
           << "    </testcase>\n";
    }
    for (const RuleTestCase* c : cases) {
      body << "    <testcase classname=\"" << xml_escape(classname) << "\" name=\""
           << xml_escape(c->name) << "\" file=\"" << xml_escape(c->location.file) << "\" line=\""
           << c->location.line << "\"";
      if (c->passed()) {
        body << "/>\n";
        continue;
      }
      std::string text = failure_text(*c);
      body << ">\n      <failure type=\"" << (c->error.empty() ? "mismatch" : "not_run")
           << "\" message=\"" << xml_escape(first_line(text)) << "\">" << xml_escape(text)
           << "</failure>\n    </testcase>\n";
    }
    body << "  </testsuite>\n";
  };

  for (const RuleTestFile& file : report.files) {
    std::vector<const RuleTestCase*> cases;
    for (const RuleTestCase& c : file.cases) cases.push_back(&c);
    std::vector<const Diagnostic*> errors;
    for (const Diagnostic& d : report.diagnostics) {
      if (d.severity == Severity::kError && in_file(d, file)) errors.push_back(&d);
    }
    std::string classname = file.rule_file;
    if (classname.size() > 4 && classname.substr(classname.size() - 4) == ".lua") {
      classname.resize(classname.size() - 4);
    }
    std::replace(classname.begin(), classname.end(), '/', '.');
    suite(file.display, classname, cases, errors);
  }
  if (!unplaced.empty()) suite("vitals rules test", "vitals", {}, unplaced);

  std::ostringstream out;
  out << "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
      << "<testsuites name=\"vitals rules test\" tests=\"" << all_tests << "\" failures=\""
      << all_failures << "\" errors=\"" << all_errors << "\">\n"
      << body.str() << "</testsuites>\n";
  return out.str();
}

}  // namespace vitals
