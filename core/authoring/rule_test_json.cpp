// SPDX-License-Identifier: Apache-2.0
// `vitals rules test --format json`: the "vitals.rule_tests/1" document
// (docs/report-format.md).
#include <vitals/rule_tests.hpp>
#include <vitals/version.hpp>

#include "report/json_parts.hpp"
#include "report/json_writer.hpp"

#include <sstream>

namespace vitals {

std::string rule_test_json(const RuleTestReport& report, bool coverage) {
  std::ostringstream out;
  detail::JsonWriter w(out, 4);
  w.begin_object();
  w.field("format", "vitals.rule_tests/1");
  w.field("vitals_version", version_string());
  w.field("ok", report.ok());
  w.field("tests", report.test_count());
  w.field("failed", report.failed_count());
  w.key("files").begin_array();
  for (const RuleTestFile& file : report.files) {
    w.begin_object();
    w.field("file", file.display);
    w.field("rule_file", file.rule_file);
    w.field("rule", file.rule_id);
    w.key("tests").begin_array();
    for (const RuleTestCase& c : file.cases) {
      w.begin_object();
      w.field("name", c.name);
      w.field("file", c.location.file);
      w.field("line", c.location.line);
      w.field("passed", c.passed());
      w.key("periods").begin_array();
      for (const std::string& p : c.periods) w.value(p);
      w.end_array();
      w.field("error", c.error);
      w.key("mismatches").begin_array();
      for (const RuleTestMismatch& m : c.mismatches) {
        w.begin_object();
        w.field("period", m.period);
        w.field("what", m.what);
        w.field("expected", m.expected);
        w.field("actual", m.actual);
        w.field("file", m.location.file);
        w.field("line", m.location.line);
        w.field("column", m.location.column);
        w.field("rule_error", m.rule_error);
        w.end_object();
      }
      w.end_array();
      w.end_object();
    }
    w.end_array();
    w.end_object();
  }
  w.end_array();
  w.key("diagnostics").begin_array();
  for (const Diagnostic& d : report.diagnostics) detail::write_diagnostic(w, d);
  w.end_array();
  w.key("untested_rules").begin_array();
  if (coverage) {
    for (const std::string& r : report.untested_rules) w.value(r);
  }
  w.end_array();
  w.key("untested_indicators").begin_array();
  if (coverage) {
    for (const std::string& i : report.untested_indicators) w.value(i);
  }
  w.end_array();
  w.key("coverage");
  if (coverage && !report.coverage.empty()) {
    w.begin_object();
    w.field("lines", report.coverage_lines());
    w.field("hit", report.coverage_hit());
    w.field("percent", report.coverage_percent());
    w.key("files").begin_array();
    for (const RuleFileCoverage& f : report.coverage) {
      w.begin_object();
      w.field("file", f.file);
      w.field("lines", f.lines);
      w.field("hit", f.hit);
      w.field("percent", f.percent());
      w.key("missed").begin_array();
      for (int line : f.missed) w.value(line);
      w.end_array();
      w.end_object();
    }
    w.end_array();
    w.end_object();
  } else {
    w.null();
  }
  w.end_object();
  return out.str();
}

}  // namespace vitals
