// SPDX-License-Identifier: Apache-2.0
// The risk exception report: scoring and bands, which risks are reported,
// the reconciliation of two registers, and the three renderings; and the
// rendering of the run history (vitals runs, vitals diff).
#include <vitals/risk_report.hpp>
#include <vitals/run_history.hpp>

#include <sstream>

#include "catch.hpp"

using namespace vitals;

namespace {

Risk risk(const std::string& id, int likelihood, int impact, Rag prospects,
          const std::string& title = "A risk") {
  Risk r;
  r.id = id;
  r.title = title;
  r.period = Period::month(2017, 3);
  r.current = RiskScore{likelihood, impact};
  r.prospects = prospects;
  return r;
}

std::string rendered(const RiskReport& report, ReportFormat format) {
  std::ostringstream out;
  Status st = render_risk_report(report, format, out);
  INFO(st.to_string());
  REQUIRE(st.is_ok());
  return out.str();
}

std::string kinds(const std::vector<RiskChange>& changes) {
  std::string out;
  for (const RiskChange& c : changes) {
    out += (out.empty() ? "" : ", ") + c.risk_id + " " + risk_change_name(c.kind);
  }
  return out;
}

RiskReport sample_report() {
  RiskReport report;
  report.catalogue_name = "Adult Social Care";
  report.committee = "Adult Social Care Committee";
  report.period = Period::month(2017, 3);
  report.register_period = Period::month(2017, 3);
  report.previous_period = Period::month(2016, 12);
  Risk care = risk("RM14247", 4, 3, Rag::kAmber, "Failure in the care market");
  care.owner = "Executive Director";
  care.target = RiskScore{2, 3};
  care.target_date = "2018-03-31";
  care.previous_score = 9;
  Risk fees = risk("ASC-JR", 5, 4, Rag::kRed, "Judicial Review | fee uplift");
  report.register_risks = {fees, care};
  report.exceptions = {fees, care};
  report.changes = {
      RiskChange{RiskChange::Kind::kNew, "ASC-JR", "Judicial Review | fee uplift", std::nullopt, 20,
                 "", ""},
      RiskChange{RiskChange::Kind::kScoreChanged, "RM14247", "Failure in the care market", 9, 12,
                 "", ""},
      RiskChange{RiskChange::Kind::kClosed, "RM13925", "Lack of capacity in ICT systems", 12,
                 std::nullopt, "", ""},
      RiskChange{RiskChange::Kind::kTitleChanged, "RM14247", "Failure in the care market",
                 std::nullopt, std::nullopt, "Care market failure", "Failure in the care market"},
  };
  return report;
}

}  // namespace

TEST_CASE("risk scores fall in the council's bands: Low 1-5, Medium 6-15, High 16-25",
          "[report][risks]") {
  CHECK(risk_band(1) == RiskBand::kLow);
  CHECK(risk_band(5) == RiskBand::kLow);
  CHECK(risk_band(6) == RiskBand::kMedium);
  CHECK(risk_band(15) == RiskBand::kMedium);
  CHECK(risk_band(16) == RiskBand::kHigh);
  CHECK(risk_band(25) == RiskBand::kHigh);
  CHECK(RiskScore{4, 5}.score() == 20);
  CHECK(std::string(risk_band_name(RiskBand::kMedium)) == "medium");
  CHECK(std::string(risk_band_label(RiskBand::kHigh)) == "High");
}

TEST_CASE("a risk is reported by exception from a score of 12 with prospects red or amber",
          "[report][risks]") {
  CHECK(is_risk_exception(risk("a", 4, 3, Rag::kAmber), 12));   // exactly 12
  CHECK(is_risk_exception(risk("a", 3, 4, Rag::kRed), 12));
  CHECK_FALSE(is_risk_exception(risk("a", 2, 5, Rag::kAmber), 12));  // 10
  CHECK_FALSE(is_risk_exception(risk("a", 5, 5, Rag::kGreen), 12));
  CHECK_FALSE(is_risk_exception(risk("a", 5, 5, Rag::kNone), 12));
  CHECK(is_risk_exception(risk("a", 2, 5, Rag::kAmber), 10));
  Risk unscored = risk("a", 5, 5, Rag::kRed);
  unscored.current.reset();
  CHECK_FALSE(is_risk_exception(unscored, 1));
}

TEST_CASE("reconciliation lists new, closed, rescored and reworded risks", "[report][risks]") {
  std::vector<Risk> before = {risk("A", 3, 3, Rag::kAmber, "Care market"),
                              risk("B", 2, 2, Rag::kGreen, "ICT"),
                              risk("C", 4, 4, Rag::kRed, "Recruitment")};
  before[2].description = "Not enough staff";
  std::vector<Risk> after = {risk("A", 4, 3, Rag::kAmber, "Care market"),
                             risk("C", 4, 4, Rag::kAmber, "Recruitment of care staff"),
                             risk("D", 1, 5, Rag::kGreen, "Fees")};
  after[1].description = "Not enough care staff";
  std::vector<RiskChange> changes = reconcile_risks(before, after);
  CHECK(kinds(changes) ==
        "A score_changed, B closed, C title_changed, C description_changed, D new");
  CHECK(changes[0].score_before == 9);
  CHECK(changes[0].score_after == 12);
  CHECK(changes[1].title == "ICT");
  CHECK(changes[1].score_before == 4);
  CHECK_FALSE(changes[1].score_after);
  CHECK(changes[2].text_before == "Recruitment");
  CHECK(changes[2].text_after == "Recruitment of care staff");
  CHECK(changes[3].text_before == "Not enough staff");
  CHECK_FALSE(changes[4].score_before);
  CHECK(changes[4].score_after == 5);

  SECTION("a change of prospects alone is not a significant change") {
    CHECK(reconcile_risks(before, before).empty());
    std::vector<Risk> prospects = before;
    prospects[0].prospects = Rag::kRed;
    CHECK(reconcile_risks(before, prospects).empty());
  }
  SECTION("everything is new against an empty register, and closed against none") {
    CHECK(kinds(reconcile_risks({}, after)) == "A new, C new, D new");
    CHECK(kinds(reconcile_risks(before, {})) == "A closed, B closed, C closed");
  }
}

TEST_CASE("the risk report as text", "[report][risks]") {
  CHECK(rendered(sample_report(), ReportFormat::kText) ==
        "Adult Social Care Committee: risk management report, Mar 2017\n"
        "\n"
        "Risk register as at Mar 2017; reconciled with the register as at Dec 2016.\n"
        "\n"
        "Summary of all risks on the register: 2; 1 High (16-25), 1 Medium (6-15) and 0 Low "
        "(1-5), by current score.\n"
        "\n"
        "  Likelihood \\ impact 5 Extreme   4 Major     3 Moderate  2 Minor     1 Insignificant\n"
        "  5 Almost certain    25          20: ASC-JR  15          10          5\n"
        "  4 Likely            20          16          12: RM14247 8           4\n"
        "  3 Possible          15          12          9           6           3\n"
        "  2 Unlikely          10          8           6           4           2\n"
        "  1 Rare              5           4           3           2           1\n"
        "\n"
        "Risks reported by exception (current score 12 or more, prospects red or amber): 2\n"
        "  a. ASC-JR Judicial Review | fee uplift\n"
        "     score 20 (High): likelihood 5 x impact 4; target -; prospects Red; owner -\n"
        "  b. RM14247 Failure in the care market\n"
        "     score 12 (Medium): likelihood 4 x impact 3; target 6 by 2018-03-31; prospects "
        "Amber; owner Executive Director\n"
        "\n"
        "Changes since the register as at Dec 2016: 4\n"
        "  - new risk: ASC-JR Judicial Review | fee uplift (score 20)\n"
        "  - change of score: RM14247 Failure in the care market: score 9 → 12\n"
        "  - closed risk: RM13925 Lack of capacity in ICT systems (last score 12)\n"
        "  - change of title: RM14247 Failure in the care market: was \"Care market failure\"\n");
}

TEST_CASE("the risk report as Markdown escapes table cells", "[report][risks]") {
  std::string md = rendered(sample_report(), ReportFormat::kMarkdown);
  CHECK(md.find("# Adult Social Care Committee: risk management report, Mar 2017\n") == 0);
  CHECK(md.find("| ASC-JR | - | Judicial Review &#124; fee uplift | - | 20 (High) | - | Red | - |\n") !=
        std::string::npos);
  CHECK(md.find("## Changes since the register as at Dec 2016\n\n- **new risk**: ASC-JR") !=
        std::string::npos);
}

TEST_CASE("the register is counted by band and placed on the 5x5 matrix", "[report][risks]") {
  std::vector<Risk> risks = {risk("A", 4, 5, Rag::kAmber), risk("B", 4, 3, Rag::kRed),
                             risk("C", 1, 5, Rag::kGreen), risk("D", 4, 5, Rag::kRed),
                             risk("E", 3, 2, Rag::kGreen)};
  risks.push_back(risk("F", 2, 2, Rag::kAmber));
  risks.back().current.reset();
  RiskBandCounts counts = count_risk_bands(risks);
  CHECK(counts.high == 2);     // 20, 20
  CHECK(counts.medium == 2);   // 12, 6
  CHECK(counts.low == 1);      // 5
  CHECK(counts.unscored == 1);
  RiskMatrix matrix = place_risks(risks);
  CHECK(matrix.cells[3][4] == std::vector<std::string>{"A", "D"});  // likelihood 4, impact 5
  CHECK(matrix.cells[3][2] == std::vector<std::string>{"B"});
  CHECK(matrix.cells[0][4] == std::vector<std::string>{"C"});
  CHECK(matrix.cells[2][1] == std::vector<std::string>{"E"});
  std::size_t placed = 0;
  for (const auto& row : matrix.cells) {
    for (const auto& cell : row) placed += cell.size();
  }
  CHECK(placed == 5);  // F has no current score
  // A hand-built risk out of the 1-5 range is left off rather than misplaced.
  CHECK(place_risks({risk("X", 6, 5, Rag::kRed)}).cells[4][4].empty());
}

TEST_CASE("the register's next review is the date its risks agree on", "[report][risks]") {
  std::vector<Risk> risks = {risk("A", 4, 5, Rag::kAmber), risk("B", 4, 3, Rag::kRed)};
  CHECK(register_next_review(risks).empty());
  risks[0].next_review = "September 2017";
  CHECK(register_next_review(risks) == "September 2017");
  risks[1].next_review = "September 2017";
  CHECK(register_next_review(risks) == "September 2017");
  risks[1].next_review = "October 2017";
  CHECK(register_next_review(risks).empty());
}

Risk full_entry() {
  Risk r = risk("RM14079", 4, 5, Rag::kAmber, "Failure to meet the long term needs of Norfolk citizens");
  r.level = RiskLevel::kCorporate;
  r.area = "Adult Social Care Committee";
  r.description = "If the Council is unable to invest sufficiently...";
  r.date_entered = "2012-10-11";
  r.original = RiskScore{5, 5};
  r.target = RiskScore{2, 4};
  r.target_date = "2030-03-31";
  r.mitigation = "1) Implementation of Promoting Independence Strategy.";
  r.progress = "Promoting Independence change programme established.";
  r.owner = "James Bullion";
  r.reviewed_by = "Debbie Bartlett";
  r.last_review = "2017-05-31";
  r.next_review = "September 2017";
  return r;
}

TEST_CASE("the Markdown risk report has the summary, the matrix and each exception's full entry",
          "[report][risks]") {
  RiskReport report = sample_report();
  Risk rm = full_entry();
  Risk low = risk("RM14149", 1, 5, Rag::kGreen, "Impact of the Care Act");
  low.level = RiskLevel::kDepartmental;
  low.area = "Transformation";
  low.next_review = "September 2017";
  report.register_risks = {rm, low};
  report.exceptions = {rm};
  report.changes.clear();
  std::string md = rendered(report, ReportFormat::kMarkdown);
  CHECK(md.find("Risk register as at Mar 2017; reconciled with the register as at Dec 2016. Next "
                "review due: September 2017.\n") != std::string::npos);
  CHECK(md.find("## Summary of all risks on the register: 2\n\n1 High (16-25), 0 Medium (6-15) "
                "and 1 Low (1-5), by current score.\n") != std::string::npos);
  CHECK(md.find("| RM14149 | Departmental (Transformation) | Impact of the Care Act | - | 5 (Low) | "
                "- | Green | - |\n") != std::string::npos);
  CHECK(md.find("| Likely 4 | 20: **RM14079** | 16 | 12 | 8 | 4 |\n") != std::string::npos);
  CHECK(md.find("| Rare 1 | 5: **RM14149** | 4 | 3 | 2 | 1 |\n") != std::string::npos);
  CHECK(md.find("### a. RM14079 Failure to meet the long term needs of Norfolk citizens\n\n"
                "- **Level**: Corporate (Adult Social Care Committee)\n"
                "- **Description**: If the Council is unable to invest sufficiently...\n"
                "- **Entered on the register**: 2012-10-11\n"
                "- **Original score**: 25 (High, 5 x 5)\n"
                "- **Current score**: 20 (High, 4 x 5)\n"
                "- **Target score**: 8 (Medium, 2 x 4)\n"
                "- **Target date**: 2030-03-31\n"
                "- **Prospects of meeting the target score by the target date**: Amber\n"
                "- **Tasks to mitigate the risk**: 1\\) Implementation of Promoting Independence "
                "Strategy.\n"
                "- **Progress update**: Promoting Independence change programme established.\n"
                "- **Risk owner**: James Bullion\n"
                "- **Reviewed and/or updated by**: Debbie Bartlett, 2017-05-31\n"
                "- **Next review**: September 2017\n") != std::string::npos);
  CHECK(md.find("No significant changes.\n") != std::string::npos);
}

TEST_CASE("the HTML risk report is one self-contained page with the register's text escaped",
          "[report][risks]") {
  RiskReport report = sample_report();
  Risk rm = full_entry();
  rm.title = "<script>alert(1)</script> & more";
  rm.mitigation = "<img src=x onerror=alert(1)>";
  report.register_risks = {rm, report.register_risks[0]};
  report.exceptions = {rm};
  std::ostringstream out;
  REQUIRE(render_risk_report_html(report, out).is_ok());
  std::string html = out.str();
  CHECK(html.rfind("<!DOCTYPE html>\n<html lang=\"en-GB\">", 0) == 0);
  CHECK(html.find("<script") == std::string::npos);
  CHECK(html.find("<img") == std::string::npos);
  CHECK(html.find("&lt;script&gt;alert(1)&lt;/script&gt; &amp; more") != std::string::npos);
  CHECK(html.find("http:") == std::string::npos);  // no external requests
  CHECK(html.find("https:") == std::string::npos);
  CHECK(html.find("//") == std::string::npos);
  CHECK(html.find("<th scope=\"row\"><a href=\"#risk-a\">RM14079</a></th>") != std::string::npos);
  CHECK(html.find("<article class=\"risk\" id=\"risk-a\">") != std::string::npos);
  CHECK(html.find("<td class=\"band-high\"><span class=\"score\">20 <span class=\"sr\">(High)"
                  "</span></span><span class=\"id\">RM14079</span></td>") != std::string::npos);
  CHECK(html.find("<dt>Tasks to mitigate the risk</dt><dd>&lt;img src=x onerror=alert(1)&gt;</dd>") !=
        std::string::npos);
  CHECK(html.find("<li><strong>new risk</strong>: ASC-JR Judicial Review | fee uplift (score 20)"
                  "</li>") != std::string::npos);
  CHECK(html.rfind("</html>\n") == html.size() - 8);
}

TEST_CASE("the risk report without a previous register says there is nothing to reconcile",
          "[report][risks]") {
  RiskReport report = sample_report();
  report.previous_period.reset();
  report.changes.clear();
  std::string text = rendered(report, ReportFormat::kText);
  CHECK(text.find("Risk register as at Mar 2017; no earlier register to reconcile with.\n") !=
        std::string::npos);
  CHECK(text.find("Changes since the previous register: none to report (no earlier register).\n") !=
        std::string::npos);
  report.register_period.reset();
  report.exceptions.clear();
  CHECK(rendered(report, ReportFormat::kText).find(
            "No risk register is stored for Mar 2017 or earlier.") != std::string::npos);
}

TEST_CASE("the risk report as JSON", "[report][risks]") {
  std::string json = rendered(sample_report(), ReportFormat::kJson);
  CHECK(json.find("\"format\": \"vitals.risk_report/1\"") != std::string::npos);
  CHECK(json.find("\"register_period\": \"2017-03\"") != std::string::npos);
  CHECK(json.find("\"previous_period\": \"2016-12\"") != std::string::npos);
  CHECK(json.find("\"threshold\": 12") != std::string::npos);
  CHECK(json.find("\"current\": {\n        \"likelihood\": 4,\n        \"impact\": 3,\n        "
                  "\"score\": 12,\n        \"band\": \"medium\"\n      }") != std::string::npos);
  CHECK(json.find("\"previous_score\": 9") != std::string::npos);
  CHECK(json.find("\"kind\": \"score_changed\"") != std::string::npos);
  CHECK(json.find("\"score_before\": 9,\n      \"score_after\": 12") != std::string::npos);
}

TEST_CASE("runs are listed with their state and shortened manifest", "[report][runs]") {
  RunInfo run;
  run.id = 3;
  run.catalogue = "Adult Social Care";
  run.period = Period::month(2017, 3);
  run.created_at = 1497830400;  // 2017-06-19 00:00:00 UTC
  run.indicators = 15;
  run.exceptions = 5;
  run.diagnostics = 1;
  run.manifest = RunManifest{"0.1.0", std::string(64, 'a'), std::string(64, 'b'),
                             std::string(64, 'c'), std::string(64, 'd')};
  RunInfo replaced = run;
  replaced.id = 2;
  replaced.replaced_by = 3;
  replaced.exceptions = 1;
  replaced.manifest = RunManifest{};
  std::ostringstream out;
  REQUIRE(render_runs({run, replaced}, ReportFormat::kText, out).is_ok());
  CHECK(out.str() ==
        "run 3: Adult Social Care, Mar 2017 (2017-03), recorded 2017-06-19 00:00:00 UTC\n"
        "  5 exceptions of 15 indicators, 1 diagnostic; current\n"
        "  engine 0.1.0; catalogue aaaaaaaaaaaa; rules bbbbbbbbbbbb; plugins cccccccccccc; data "
        "dddddddddddd\n"
        "run 2: Adult Social Care, Mar 2017 (2017-03), recorded 2017-06-19 00:00:00 UTC\n"
        "  1 exception of 15 indicators, 1 diagnostic; replaced by run 3\n"
        "  engine -; catalogue -; rules -; plugins -; data -\n");
  std::ostringstream json;
  REQUIRE(render_runs({replaced}, ReportFormat::kJson, json).is_ok());
  CHECK(json.str().find("\"replaced_by\": 3") != std::string::npos);
  std::ostringstream none;
  REQUIRE(render_runs({}, ReportFormat::kText, none).is_ok());
  CHECK(none.str() == "No runs are recorded in this store.\n");
  std::ostringstream md;
  CHECK(render_runs({}, ReportFormat::kMarkdown, md).code() == StatusCode::kInvalidArgument);
}

TEST_CASE("a run diff shows exceptions added, removed and changed, then the manifest",
          "[report][runs]") {
  RunInfo a;
  a.id = 1;
  a.catalogue = "ASC";
  a.period = Period::month(2017, 2);
  RunInfo b = a;
  b.id = 2;
  b.period = Period::month(2017, 3);
  RunDiff diff;
  diff.run_a = 1;
  diff.run_b = 2;
  diff.added.push_back({"mh", "Mental health employment", ExceptionState::kNone,
                        ExceptionState::kNew, {}, {"off_target"}});
  diff.removed.push_back({"carers", "Carers", ExceptionState::kContinuing, ExceptionState::kNone,
                          {"deterioration"}, {}});
  diff.changed.push_back({"dtoc", "Delayed transfers", ExceptionState::kNew,
                          ExceptionState::kContinuing, {"off_target"},
                          {"off_target", "budget_impact"}});
  diff.manifest.push_back({"data_hash", "abc", "def"});
  std::ostringstream out;
  REQUIRE(render_run_diff(diff, a, b, ReportFormat::kText, out).is_ok());
  CHECK(out.str() ==
        "From run 1 (ASC, Feb 2017) to run 2 (ASC, Mar 2017):\n"
        "  + mh (Mental health employment): now an exception (new; off_target)\n"
        "  - carers (Carers): no longer an exception (was continuing; deterioration)\n"
        "  ~ dtoc (Delayed transfers): new -> continuing; criteria off_target -> off_target, "
        "budget_impact\n"
        "  manifest data_hash: abc -> def\n");
  std::ostringstream same;
  REQUIRE(render_run_diff(RunDiff{}, a, b, ReportFormat::kText, same).is_ok());
  CHECK(same.str() ==
        "From run 1 (ASC, Feb 2017) to run 2 (ASC, Mar 2017):\n"
        "  no differences in exceptions or manifest\n");
  std::ostringstream json;
  REQUIRE(render_run_diff(diff, a, b, ReportFormat::kJson, json).is_ok());
  CHECK(json.str().find("\"format\": \"vitals.run_diff/1\"") != std::string::npos);
  CHECK(json.str().find("\"after\": \"continuing\"") != std::string::npos);
}

namespace {

IndicatorDefinition linked(const std::string& id, std::vector<std::string> risks,
                           std::vector<RiskMechanism> mechanisms = {}) {
  IndicatorDefinition d;
  d.id = id;
  d.title = "Title of " + id;
  d.risks = std::move(risks);
  d.risk_mechanisms = std::move(mechanisms);
  return d;
}

RiskMechanism mechanism(const std::string& risk_id, RiskMechanism::Measures measures,
                        const std::string& quote, RiskMechanism::When when) {
  RiskMechanism m;
  m.risk_id = risk_id;
  m.measures = measures;
  m.quote = quote;
  m.when = when;
  return m;
}

IndicatorResult evaluated(const std::string& id, RuleOutcome::Status status, Evidence evidence,
                          const std::string& message = "") {
  IndicatorResult r;
  r.indicator_id = id;
  r.title = "Title of " + id;
  RuleOutcome o;
  o.rule_id = "risk_impact";
  o.criterion = "risk_impact";
  o.status = status;
  o.message = message;
  o.evidence = std::move(evidence);
  r.outcomes.push_back(std::move(o));
  r.is_exception = status == RuleOutcome::Status::kException;
  return r;
}

// Norfolk, March 2017: delayed transfers weaken ASC-HOSP (its consequence,
// deteriorating); the admissions rates are linked to RM14079 (mitigation,
// deteriorating) and are not deteriorating; carers has a plain link that
// counts; one indicator links two risks and the finding lists only one.
struct LinkedNorfolk {
  Catalogue catalogue;
  EvaluationReport evaluation;
};

LinkedNorfolk linked_norfolk() {
  LinkedNorfolk n;
  const auto kConsequence = RiskMechanism::Measures::kConsequence;
  const auto kMitigation = RiskMechanism::Measures::kMitigation;
  const auto kDeteriorating = RiskMechanism::When::kDeteriorating;
  n.catalogue.indicators = {
      linked("admissions_18_64_per_100k", {"RM14079"},
             {mechanism("RM14079", kMitigation, "reductions in residential care", kDeteriorating)}),
      linked("admissions_65_plus_per_100k", {"RM14079"},
             {mechanism("RM14079", kMitigation, "reductions in residential care", kDeteriorating)}),
      linked("carers_supported_community_per_100k", {"RM14238"}),
      linked("dtoc_social_care_per_100k", {"ASC-HOSP"},
             {mechanism("ASC-HOSP", kConsequence, "rise in Delayed Transfers of Care (DTOCS)",
                        kDeteriorating)}),
      linked("service_users_65_plus_per_100k", {"ASC-HOSP", "ASC-PIPROG"}),
      linked("unlinked", {}),
  };
  n.evaluation.period = Period::month(2017, 3);
  n.evaluation.indicators = {
      evaluated("dtoc_social_care_per_100k", RuleOutcome::Status::kException,
                {{"risks", std::string("ASC-HOSP")},
                 {"performance", std::string("worse for 3 consecutive months: 3.4 → 3.5 → 3.56")}}),
      evaluated("admissions_18_64_per_100k", RuleOutcome::Status::kOk, {}),
      evaluated("admissions_65_plus_per_100k", RuleOutcome::Status::kOk, {}),
      evaluated("carers_supported_community_per_100k", RuleOutcome::Status::kException,
                {{"risks", std::string("RM14238")}},
                "linked risk RM14238 scores 12, and performance is off target"),
      evaluated("service_users_65_plus_per_100k", RuleOutcome::Status::kException,
                {{"risks", std::string("ASC-PIPROG")}}, "linked risk ASC-PIPROG ..."),
      evaluated("unlinked", RuleOutcome::Status::kOk, {}),
  };
  return n;
}

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

std::string link_summary(const std::vector<RiskIndicatorLink>& links) {
  std::string out;
  for (const RiskIndicatorLink& l : links) {
    out += (out.empty() ? "" : "; ") + l.risk_id + " " + l.indicator_id + (l.weakens ? " weakens" : "");
  }
  return out;
}

}  // namespace

TEST_CASE("the indicators that weaken a risk are those whose risk_impact finding lists it",
          "[report][risks][links]") {
  LinkedNorfolk n = linked_norfolk();
  auto links = risk_indicator_links(n.catalogue, n.evaluation);
  CHECK(link_summary(links) ==
        "ASC-HOSP dtoc_social_care_per_100k weakens; ASC-HOSP service_users_65_plus_per_100k; "
        "ASC-PIPROG service_users_65_plus_per_100k weakens; "
        "RM14079 admissions_18_64_per_100k; RM14079 admissions_65_plus_per_100k; "
        "RM14238 carers_supported_community_per_100k weakens");
  const RiskIndicatorLink& dtoc = links[0];
  REQUIRE(dtoc.mechanism);
  CHECK(dtoc.mechanism->measures == RiskMechanism::Measures::kConsequence);
  CHECK(dtoc.state == "worse for 3 consecutive months: 3.4 → 3.5 → 3.56");
  // A plain link's reason is the finding's message.
  CHECK(links.back().state == "linked risk RM14238 scores 12, and performance is off target");
  CHECK_FALSE(links.back().mechanism);
  // Not weakening: no state.
  CHECK(links[3].state.empty());

  SECTION("a finding that is not an exception weakens nothing") {
    n.evaluation.indicators[0].outcomes[0].status = RuleOutcome::Status::kOk;
    auto now = risk_indicator_links(n.catalogue, n.evaluation);
    CHECK(links_of_risk(now, "ASC-HOSP", true).empty());
    CHECK(links_of_risk(now, "ASC-HOSP", false).size() == 2);
  }
  SECTION("a risk id is matched whole, not as part of another") {
    n.evaluation.indicators[0].outcomes[0].evidence.insert_or_assign("risks",
                                                                     std::string("ASC-HOSPITAL"));
    auto now = risk_indicator_links(n.catalogue, n.evaluation);
    CHECK(links_of_risk(now, "ASC-HOSP", true).empty());
  }
  SECTION("an indicator missing from the evaluation is left out") {
    n.evaluation.indicators.erase(n.evaluation.indicators.begin());
    auto now = risk_indicator_links(n.catalogue, n.evaluation);
    CHECK(links_of_risk(now, "ASC-HOSP", true).empty());
    CHECK(links_of_risk(now, "ASC-HOSP", false).size() == 1);
  }
}

TEST_CASE("the risk report lists, per risk, the vital signs weakening it now and the others",
          "[report][risks][links]") {
  LinkedNorfolk n = linked_norfolk();
  RiskReport report = sample_report();
  Risk hosp = risk("ASC-HOSP", 4, 4, Rag::kAmber, "Hospital admissions and discharges");
  Risk needs = risk("RM14079", 4, 5, Rag::kAmber, "Failure to meet the long term needs");
  report.register_risks.push_back(hosp);
  report.register_risks.push_back(needs);
  report.exceptions = {needs, hosp, report.exceptions[0]};
  report.indicators_evaluated = true;
  report.indicator_links = risk_indicator_links(n.catalogue, n.evaluation);

  const std::string weakening =
      "Title of dtoc_social_care_per_100k (dtoc_social_care_per_100k), which measures its "
      "consequence 'rise in Delayed Transfers of Care (DTOCS)' and weakens the risk when "
      "deteriorating; now: "
      "worse for 3 consecutive months: 3.4 → 3.5 → 3.56";
  const std::string not_now =
      "Title of admissions_65_plus_per_100k (admissions_65_plus_per_100k), which measures "
      "progress on its mitigation 'reductions in residential care' and weakens the risk when "
      "deteriorating\n";
  SECTION("text") {
    std::string text = rendered(report, ReportFormat::kText);
    CHECK(contains(text, 
                         "  ASC-HOSP: weakened now by dtoc_social_care_per_100k; linked, not "
                         "weakening it now: service_users_65_plus_per_100k\n"));
    CHECK(contains(text, 
                         "  RM14079: linked, not weakening it now: admissions_18_64_per_100k, "
                         "admissions_65_plus_per_100k\n"));
    CHECK(contains(text, "     weakened now by " + weakening + "\n"));
    CHECK(contains(text, "     linked, not weakening it now: " + not_now));
  }
  SECTION("markdown") {
    std::string md = rendered(report, ReportFormat::kMarkdown);
    CHECK(contains(md, " Owner | Vital signs |\n"));
    CHECK(contains(md, 
                       "| weakened now by dtoc\\_social\\_care\\_per\\_100k; linked, not weakening "
                       "it now: service\\_users\\_65\\_plus\\_per\\_100k |"));
    CHECK(contains(md, "- **Vital signs weakening it now**:\n  - "));
    CHECK(contains(md, "- **Vital signs weakening it now**: none\n"
                                             "- **Linked vital signs not weakening it now**:\n"));
    // A reported risk no indicator is linked to.
    CHECK(contains(md, "- **Vital signs**: none is linked to this risk\n"));
  }
  SECTION("html") {
    std::ostringstream out;
    REQUIRE(render_risk_report_html(report, out).is_ok());
    CHECK(contains(out.str(), "<th scope=\"col\">Vital signs</th>"));
    CHECK(contains(out.str(), "<dt>Vital signs weakening it now</dt><dd><ul>\n<li>" +
                                                    std::string("Title of dtoc_social_care_per_100k")));
    CHECK(contains(out.str(), "<dt>Linked vital signs not weakening it now</dt>"));
  }
  SECTION("json") {
    std::string json = rendered(report, ReportFormat::kJson);
    CHECK(contains(json, "\"indicators_evaluated\": true"));
    CHECK(contains(json, "\"weakened_by\": [\n"));
    CHECK(contains(json, "\"when\": \"deteriorating\""));
    CHECK(contains(json, "\"measures\": \"consequence\""));
  }
  SECTION("without the evaluation nothing is listed") {
    report.indicators_evaluated = false;
    CHECK_THAT(rendered(report, ReportFormat::kMarkdown),
               !Catch::Matchers::Contains("Vital signs"));
    CHECK_THAT(rendered(report, ReportFormat::kText), !Catch::Matchers::Contains("weakened now"));
  }
}

TEST_CASE("a link's threshold is written as the cards write the indicator's figures",
          "[report][risks][links]") {
  auto at_or_beyond = [](Unit unit, std::optional<int> decimals, double threshold) {
    RiskMechanism m = mechanism("ASC-HOSP", RiskMechanism::Measures::kConsequence,
                                "rise in Delayed Transfers of Care (DTOCS)",
                                RiskMechanism::When::kThreshold);
    m.threshold = threshold;
    IndicatorDefinition def = linked("dtoc", {"ASC-HOSP"}, {m});
    def.unit = unit;
    def.decimals = decimals;
    Catalogue catalogue;
    catalogue.indicators = {def};
    EvaluationReport evaluation;
    evaluation.period = Period::month(2017, 3);
    evaluation.indicators = {evaluated("dtoc", RuleOutcome::Status::kOk, {})};
    RiskReport report = sample_report();
    report.register_risks.push_back(risk("ASC-HOSP", 4, 4, Rag::kAmber, "Hospital discharges"));
    report.exceptions = {report.register_risks.back()};
    report.indicators_evaluated = true;
    report.indicator_links = risk_indicator_links(catalogue, evaluation);
    REQUIRE(report.indicator_links.size() == 1);
    CHECK(report.indicator_links[0].unit == unit);
    CHECK(report.indicator_links[0].decimals == decimals);
    const std::string text = rendered(report, ReportFormat::kText);
    const std::string md = rendered(report, ReportFormat::kMarkdown);
    std::ostringstream html;
    REQUIRE(render_risk_report_html(report, html).is_ok());
    const std::string lead = "weakens the risk when at or beyond ";
    const std::size_t at = text.find(lead);
    if (at == std::string::npos) return std::string("(not found)");
    const std::string figure = text.substr(at + lead.size(), text.find('\n', at) - at - lead.size());
    CHECK(contains(md, lead + figure));
    CHECK(contains(html.str(), lead + figure));
    return figure;
  };
  // The unit's default decimals, and the catalogue's own.
  CHECK(at_or_beyond(Unit::kPercent, std::nullopt, 2) == "2.0%");
  CHECK(at_or_beyond(Unit::kPer100k, 2, 3.6) == "3.60");
  CHECK(at_or_beyond(Unit::kCurrency, std::nullopt, 1234.6) == "£1,235");
  CHECK(at_or_beyond(Unit::kCount, std::nullopt, 3523) == "3,523");
}
