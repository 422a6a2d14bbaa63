// SPDX-License-Identifier: Apache-2.0
// The committee report of the Norfolk fixture, compared byte for byte with
// tests/report/golden/. VITALS_UPDATE_GOLDEN=1 rewrites the files.
#include <sstream>

#include <vitals/report.hpp>

#include "catch.hpp"
#include "report/golden.hpp"
#include "report/norfolk_fixture.hpp"

using namespace vitals;

namespace {

struct Fixture {
  Catalogue catalogue = testing::norfolk_catalogue();
  EvaluationReport report = lifecycle_added(testing::norfolk_report(catalogue));
  CommentarySet commentary = testing::norfolk_commentary();
  ReportInputs inputs() const { return ReportInputs{catalogue, report, commentary, {}, "Norfolk County Council"}; }

  static EvaluationReport lifecycle_added(EvaluationReport report) {
    testing::add_norfolk_lifecycle(report);
    return report;
  }
};

std::string committee_report(const Fixture& f, DocumentFormat format) {
  std::ostringstream out;
  std::vector<Diagnostic> diagnostics;
  Status st = render_committee_report(f.inputs(), format, out, &diagnostics);
  INFO(st.to_string());
  REQUIRE(st.is_ok());
  REQUIRE(diagnostics.empty());
  return out.str();
}

}  // namespace

TEST_CASE("the Norfolk committee report matches its golden HTML", "[report][golden]") {
  Fixture f;
  std::string diff = testing::compare_golden("committee-report-2017-03.html", committee_report(f, DocumentFormat::kHtml));
  INFO(diff);
  CHECK(diff.empty());
}

TEST_CASE("the Norfolk committee report matches its golden Markdown", "[report][golden]") {
  Fixture f;
  std::string diff = testing::compare_golden("committee-report-2017-03.md", committee_report(f, DocumentFormat::kMarkdown));
  INFO(diff);
  CHECK(diff.empty());
}

TEST_CASE("the Norfolk committee report matches its golden JSON", "[report][golden]") {
  Fixture f;
  std::string diff = testing::compare_golden("committee-report-2017-03.json", committee_report(f, DocumentFormat::kJson));
  INFO(diff);
  CHECK(diff.empty());
}

TEST_CASE("a card page on its own matches its golden Markdown", "[report][golden]") {
  Fixture f;
  std::ostringstream out;
  REQUIRE(render_card(f.inputs(), "ld_paid_employment_pct", DocumentFormat::kMarkdown, out).is_ok());
  std::string diff = testing::compare_golden("card-ld_paid_employment_pct-2017-03.md", out.str());
  INFO(diff);
  CHECK(diff.empty());
}

TEST_CASE("the committee report is the same bytes every time", "[report][golden]") {
  auto format = GENERATE(DocumentFormat::kHtml, DocumentFormat::kMarkdown, DocumentFormat::kJson);
  Fixture a;
  Fixture b;
  CHECK(committee_report(a, format) == committee_report(b, format));
}
