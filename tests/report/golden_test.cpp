// SPDX-License-Identifier: Apache-2.0
// The committee report of the Norfolk fixture, compared byte for byte with
// tests/report/golden/. VITALS_UPDATE_GOLDEN=1 rewrites the files.
#include <sstream>

#include <vitals/report.hpp>

#include "catch.hpp"
#include "report/golden.hpp"
#include "report/norfolk_finance_fixture.hpp"
#include "report/norfolk_fixture.hpp"
#include "support/temp_dir.hpp"

using namespace vitals;

namespace {

struct Fixture {
  Catalogue catalogue = testing::norfolk_catalogue();
  EvaluationReport report = lifecycle_added(testing::norfolk_report(catalogue));
  CommentarySet commentary = testing::norfolk_commentary();
  ReportInputs inputs() const { return ReportInputs{catalogue, report, commentary, {}, "Norfolk County Council"}; }

  static EvaluationReport lifecycle_added(EvaluationReport report) {
    testing::add_norfolk_lifecycle(report);
    testing::add_norfolk_finance(report);
    return report;
  }
};

// The fixture as a run whose dashboard source could not be read: every
// indicator of that source without a result, and one rule failing for one.
Fixture incomplete_fixture() {
  Fixture f;
  IncompleteReason source;
  source.kind = IncompleteReason::Kind::kSourceFailed;
  source.source = "dashboard";
  IncompleteReason rule;
  rule.kind = IncompleteReason::Kind::kRuleFailed;
  rule.rule_id = "deterioration";
  rule.indicators = {"ld_paid_employment_pct"};
  rule.message =
      "Rule 'deterioration' failed for 1 indicator (ld_paid_employment_pct), so it has no "
      "complete result; the diagnostics say why";
  for (IndicatorResult& r : f.report.indicators) {
    if (r.indicator_id == "ld_paid_employment_pct") {
      r.incomplete.push_back("rule 'deterioration' failed");
    } else if (r.indicator_id == "reablement_no_ongoing_service" ||
               r.indicator_id == "dtoc_social_care_per_100k") {
      r.incomplete.push_back("source 'dashboard' failed");
      source.indicators.push_back(r.indicator_id);
    }
  }
  REQUIRE(source.indicators.size() == 2);
  source.message =
      "Source 'dashboard' could not be read, so 2 indicators have no result: csv: file not "
      "found: data/dashbord.csv";
  f.report.incomplete = {source, rule};
  return f;
}

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

// The outcome of rules/spc for the fixture's delayed transfers series (Mar
// 2016 to Mar 2017: 1.5 2.9 2.6 2.4 2.6 3 3.1 3.1 3.1 3.2 3.4 3.5 3.56), with
// the evidence that rule gives for it (vitals explain shows the same).
namespace {
RuleOutcome norfolk_dtoc_spc() {
  const double mean = 37.96 / 13;
  const double mr = 3.06 / 12;
  RuleOutcome o;
  o.rule_id = "spc";
  o.criterion = "special_cause_concern";
  o.label = "special cause concern";
  o.status = RuleOutcome::Status::kException;
  o.message =
      "special cause concern: 8 points in a row above the mean of 2.92; 3 of the last 3 points above 3.37 (2 "
      "sigma); mean 2.92, process limits 2.24 to 3.6 (limits from 13 points, Mar 2016 to Mar 2017); target 1.5 is "
      "below the lower process limit: consistently failing";
  o.evidence = Evidence{{"variation", std::string("special_cause_concern")},
                        {"assurance", std::string("consistently_failing")},
                        {"limits_are_trial", false},
                        {"mean", mean},
                        {"upper_limit", mean + 2.66 * mr},
                        {"lower_limit", mean - 2.66 * mr},
                        {"average_moving_range", mr},
                        {"concern_points", std::string("2016-08 2016-09 2016-10 2016-11 2016-12 2017-01 2017-02 2017-03")},
                        {"improvement_points", std::string("2016-03")},
                        {"target", 1.5},
                        {"value", 3.56},
                        {"period", std::string("2017-03")}};
  return o;
}
}  // namespace

TEST_CASE("a card with the SPC pack on draws its limits, marked points and icons (golden HTML)",
          "[report][golden][spc]") {
  Fixture f;
  for (IndicatorResult& r : f.report.indicators) {
    if (r.indicator_id == "dtoc_social_care_per_100k") r.outcomes.push_back(norfolk_dtoc_spc());
  }
  std::ostringstream out;
  REQUIRE(render_card(f.inputs(), "dtoc_social_care_per_100k", DocumentFormat::kHtml, out).is_ok());
  const std::string card = out.str();
  std::string diff = testing::compare_golden("card-dtoc_social_care_per_100k-2017-03-spc.html", card);
  INFO(diff);
  CHECK(diff.empty());
  for (const char* part : {"class=\"spc-mean\"", "class=\"spc-upper\"", "class=\"spc-lower\"", ">Mean 2.92</text>",
                           ">Upper 3.60</text>", ">Lower 2.24</text>", "Target 1.50</text>",
                           "Mar 2017: 3.56, target 1.50, Red; special cause concern</title>",
                           "Mar 2016: 1.50, target 1.50, Green; special cause improvement</title>",
                           "Jul 2016: 2.60, target 1.50, Red; common cause</title>",
                           "<title id=\"spc-dtoc_social_care_per_100k-variation-title\">Variation: Special cause concern "
                           "(high)</title>",
                           "<title id=\"spc-dtoc_social_care_per_100k-assurance-title\">Assurance: Consistently "
                           "failing the target</title>"}) {
    CHECK(card.find(part) != std::string::npos);
  }
}

TEST_CASE("a card without the SPC pack draws the chart as before", "[report][golden][spc]") {
  Fixture plain;
  Fixture with_spc;
  for (IndicatorResult& r : with_spc.report.indicators) {
    if (r.indicator_id == "dtoc_social_care_per_100k") r.outcomes.push_back(norfolk_dtoc_spc());
  }
  for (const char* id : {"ld_paid_employment_pct", "dtoc_social_care_per_100k"}) {
    std::ostringstream out;
    REQUIRE(render_card(plain.inputs(), id, DocumentFormat::kHtml, out).is_ok());
    const std::string card = out.str();
    CHECK(card.find("class=\"spc") == std::string::npos);
    CHECK(card.find("<figure>\n<svg") != std::string::npos);
    std::ostringstream other;
    REQUIRE(render_card(with_spc.inputs(), id, DocumentFormat::kHtml, other).is_ok());
    // Only the card whose outcomes hold the SPC rule's evidence changes.
    CHECK((other.str() == card) == (std::string(id) == "ld_paid_employment_pct"));
  }
}

TEST_CASE("a card page on its own matches its golden Markdown", "[report][golden]") {
  Fixture f;
  std::ostringstream out;
  REQUIRE(render_card(f.inputs(), "ld_paid_employment_pct", DocumentFormat::kMarkdown, out).is_ok());
  std::string diff = testing::compare_golden("card-ld_paid_employment_pct-2017-03.md", out.str());
  INFO(diff);
  CHECK(diff.empty());
}

TEST_CASE("an incomplete run's report opens with the banner and shows no result, never green",
          "[report][golden][incomplete]") {
  Fixture f = incomplete_fixture();
  std::string md = committee_report(f, DocumentFormat::kMarkdown);
  std::string diff = testing::compare_golden("committee-report-2017-03-incomplete.md", md);
  INFO(diff);
  CHECK(diff.empty());
  // HTML: the banner opens the page, above the exceptions and the dashboard,
  // and a result the run could not complete is one cell across the periods.
  std::string html = committee_report(f, DocumentFormat::kHtml);
  for (const std::string* text : {&md, &html}) {
    const auto banner = text->find("This report is incomplete: results are missing");
    REQUIRE(banner != std::string::npos);
    CHECK(banner < text->find("Exceptions"));
    CHECK(banner < text->find("Performance dashboard"));
  }
  CHECK(html.find("<div class=\"incomplete\" role=\"alert\">") != std::string::npos);
  CHECK(html.find("<td class=\"cell no-result\" colspan=\"13\"><strong>No result: source "
                  "&#39;dashboard&#39; failed</strong></td>") != std::string::npos);
  CHECK(html.find("<p class=\"incomplete-stamp\" role=\"note\">") != std::string::npos);
  std::ostringstream card;
  REQUIRE(render_card(f.inputs(), "ld_paid_employment_pct", DocumentFormat::kMarkdown, card).is_ok());
  diff = testing::compare_golden("card-ld_paid_employment_pct-2017-03-incomplete.md", card.str());
  INFO(diff);
  CHECK(diff.empty());
}

TEST_CASE("the card of an indicator without a result is never rated, not even green",
          "[report][incomplete]") {
  Fixture f = incomplete_fixture();
  // home_91_days_after_reablement is on target (Green) in March 2017: rated,
  // its card says so; when its source failed, it says "no result" and shows
  // the stored figures without a rating anywhere.
  const char* id = "home_91_days_after_reablement";
  IndicatorResult* home = nullptr;
  for (IndicatorResult& r : f.report.indicators) {
    if (r.indicator_id == id) home = &r;
  }
  REQUIRE(home != nullptr);
  REQUIRE(home->latest.has_value());
  REQUIRE(home->latest->rag == Rag::kGreen);
  home->incomplete.push_back("source 'dashboard' failed");
  Fixture complete;
  for (DocumentFormat format : {DocumentFormat::kHtml, DocumentFormat::kMarkdown}) {
    std::ostringstream rated;
    REQUIRE(render_card(complete.inputs(), id, format, rated).is_ok());
    CHECK(rated.str().find("Green") != std::string::npos);
    std::ostringstream out;
    REQUIRE(render_card(f.inputs(), id, format, out).is_ok());
    const std::string card = out.str();
    INFO(card);
    CHECK(card.find("No result: source") != std::string::npos);
    CHECK(card.find("Not rated: this run has no complete result for this indicator") != std::string::npos);
    // The latest line, the table and the chart's points and legend (the
    // page's footer explains the shapes, so "Green" alone may appear there).
    for (const char* rating : {": \u25cf Green", "| \u25cf Green", "class=\"rag-green\"", "rating rag-green",
                               "Green</text>", ", Green</title>", "(Green)"}) {
      CHECK(card.find(rating) == std::string::npos);
    }
  }
}

TEST_CASE("templates that leave out the incomplete-run banner are refused for an incomplete run",
          "[report][incomplete]") {
  Fixture f = incomplete_fixture();
  testing::TempDir dir;
  dir.write("templates/header.md", "# {{document.heading}}\n\n");
  ReportInputs inputs = f.inputs();
  inputs.template_dir = dir / "templates";
  std::ostringstream out;
  std::vector<Diagnostic> diagnostics;
  Status st = render_committee_report(inputs, DocumentFormat::kMarkdown, out, &diagnostics);
  CHECK(st.code() == StatusCode::kValidationError);
  CHECK(st.message().find("incomplete-run banner") != std::string::npos);
  // The same templates are fine for a complete run.
  Fixture complete;
  ReportInputs complete_inputs = complete.inputs();
  complete_inputs.template_dir = dir / "templates";
  std::ostringstream ok;
  CHECK(render_committee_report(complete_inputs, DocumentFormat::kMarkdown, ok, &diagnostics).is_ok());
}

TEST_CASE("the committee report is the same bytes every time", "[report][golden]") {
  auto format = GENERATE(DocumentFormat::kHtml, DocumentFormat::kMarkdown, DocumentFormat::kJson);
  Fixture a;
  Fixture b;
  CHECK(committee_report(a, format) == committee_report(b, format));
}
