// SPDX-License-Identifier: Apache-2.0
#include "catch.hpp"

#include "cli/diagnostic_groups.hpp"

using vitals::Diagnostic;
using vitals::Severity;
using vitals::cli::group_by_indicator;

namespace {

Diagnostic about(const std::string& indicator, const std::string& message,
                 Severity severity = Severity::kError, const std::string& code = "rule.bad_param") {
  Diagnostic d = Diagnostic::make(severity, code, message);
  d.indicator_id = indicator;
  d.rule_id = "deterioration";
  return d;
}

}  // namespace

TEST_CASE("diagnostics that differ only in their indicator are one, with a count", "[cli]") {
  std::vector<Diagnostic> diagnostics;
  for (const char* id : {"a_one", "b_two", "c_three"}) {
    diagnostics.push_back(about(id, std::string("rule could not evaluate '") + id + "': no data"));
  }
  auto grouped = group_by_indicator(diagnostics);
  REQUIRE(grouped.size() == 1);
  CHECK(grouped[0].indicator_id == "a_one");
  CHECK(grouped[0].message == "rule could not evaluate 'a_one': no data (and 2 more indicators)");
  CHECK(grouped[0].to_string() ==
        "error: rule could not evaluate 'a_one': no data (and 2 more indicators) [rule.bad_param]");

  // Two of them: "1 more indicator".
  diagnostics.pop_back();
  grouped = group_by_indicator(diagnostics);
  REQUIRE(grouped.size() == 1);
  CHECK(grouped[0].message == "rule could not evaluate 'a_one': no data (and 1 more indicator)");
}

TEST_CASE("diagnostics that differ in more than their indicator stay apart, in their order",
          "[cli]") {
  std::vector<Diagnostic> diagnostics = {
      about("a_one", "'a_one': no data"),
      about("b_two", "'b_two': too much data"),                     // another message
      about("c_three", "'c_three': no data", Severity::kWarning),   // another severity
      about("d_four", "'d_four': no data", Severity::kError, "x"),  // another code
      Diagnostic::make(Severity::kError, "rule.bad_param", "no data"),  // no indicator
      Diagnostic::make(Severity::kError, "rule.bad_param", "no data"),
      about("e_five", "'e_five': no data"),
  };
  auto grouped = group_by_indicator(diagnostics);
  REQUIRE(grouped.size() == 6);
  CHECK(grouped[0].message == "'a_one': no data (and 1 more indicator)");
  CHECK(grouped[1].message == "'b_two': too much data");
  CHECK(grouped[2].message == "'c_three': no data");
  CHECK(grouped[3].message == "'d_four': no data");
  CHECK(grouped[4].message == "no data");  // never grouped without an indicator
  CHECK(grouped[5].message == "no data");
  CHECK(group_by_indicator({}).empty());
}
