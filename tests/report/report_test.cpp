// SPDX-License-Identifier: Apache-2.0
#include <vitals/report.hpp>

#include <sstream>

#include "catch.hpp"
#include "report/criterion.hpp"

using namespace vitals;

namespace {

RuleOutcome outcome(std::string rule, RuleOutcome::Status status, std::string message) {
  RuleOutcome o;
  o.rule_id = rule;
  o.criterion = rule;
  o.status = status;
  o.message = std::move(message);
  return o;
}

EvaluationReport sample_report() {
  EvaluationReport report;
  report.period = Period::month(2017, 3);
  report.catalogue_name = "Adult Social Care";
  report.committee = "Adult Social Care Committee";
  report.run_id = 7;

  IndicatorResult dtoc;
  dtoc.indicator_id = "dtoc";
  dtoc.title = "Delayed transfers of care <social care>";
  dtoc.polarity = Polarity::kSmallerIsBetter;
  dtoc.unit = Unit::kPer100k;
  dtoc.decimals = 2;
  dtoc.data_state = DataState::kCurrent;
  SeriesPoint p;
  p.period = Period::month(2017, 3);
  p.value = 3.56;
  p.target = 1.5;
  p.variance_pct = 137.33333333333334;
  p.rag = Rag::kRed;
  dtoc.latest = p;
  dtoc.outcomes = {
      outcome("deterioration", RuleOutcome::Status::kException,
              "worse for 3 consecutive months: 3.2 → 3.4 → 3.5 → 3.56"),
      outcome("off_target", RuleOutcome::Status::kException,
              "3.56 against a target of 1.5: 137% worse than target, tolerance 5%"),
  };
  dtoc.outcomes[1].evidence = {{"target", 1.5}, {"met", false}, {"note", std::string("x")}};
  dtoc.is_exception = true;

  IndicatorResult cqc;
  cqc.indicator_id = "cqc";
  cqc.title = "CQC ratings good or above";
  cqc.unit = Unit::kPercent;
  cqc.data_state = DataState::kStale;
  SeriesPoint q;
  q.period = Period::month(2016, 12);
  q.value = 72.8;
  cqc.latest = q;
  cqc.outcomes = {outcome("off_target", RuleOutcome::Status::kOk, "no target set")};

  report.indicators = {cqc, dtoc};
  Diagnostic d;
  d.code = "rule.instruction_limit";
  d.message = "rule 'loop' ran out of instructions";
  d.location = SourceLocation{"rules/loop.lua", 3, 0};
  d.rule_id = "loop";
  report.diagnostics = {d};
  return report;
}

std::string rendered(const EvaluationReport& report, ReportFormat format) {
  std::ostringstream out;
  REQUIRE(render(report, format, out).is_ok());
  return out.str();
}

}  // namespace

TEST_CASE("criteria read as the committee paper names them", "[report]") {
  CHECK(detail::criterion_label("off_target") == "off target");
  CHECK(detail::criterion_label("deterioration") == "deteriorating");
  CHECK(detail::criterion_label("two_quarters_below_england") == "two quarters below england");
  CHECK(detail::list_letter(0) == "a");
  CHECK(detail::list_letter(25) == "z");
  CHECK(detail::list_letter(26) == "aa");
}

TEST_CASE("an accepted exception's note ends with one full stop, whether or not the rationale has one",
          "[report]") {
  ExceptionLifecycle l;
  l.state = ExceptionState::kAccepted;
  l.acceptance = Acceptance{};
  l.acceptance->until = "2017-06-30";
  l.acceptance->approver = "Director";
  l.acceptance->rationale = "A plan started in April.";
  CHECK(detail::lifecycle_text(l) == "accepted until 2017-06-30 by Director: A plan started in April");
  l.acceptance->rationale = "A plan started in April";
  CHECK(detail::lifecycle_text(l) == "accepted until 2017-06-30 by Director: A plan started in April");
}

TEST_CASE("a reason reads as the label its rule declares, else as its criterion", "[report]") {
  RuleOutcome o;
  o.criterion = "below_england_average";
  CHECK(detail::reason_label(o) == "below england average");
  o.label = "below the England average";
  CHECK(detail::reason_label(o) == "below the England average");
  IndicatorResult r;
  r.outcomes.push_back(o);
  r.outcomes.back().status = RuleOutcome::Status::kException;
  CHECK(detail::reasons_label(r, ReasonsShown::kAll) == "(below the England average)");
}

TEST_CASE("the brackets name every reason, or only the first when the catalogue says so",
          "[report]") {
  IndicatorResult r;
  for (const char* criterion : {"risk_impact", "off_target", "deterioration"}) {
    RuleOutcome& o = r.outcomes.emplace_back();
    o.rule_id = criterion;
    o.criterion = criterion;
    o.status = RuleOutcome::Status::kException;
  }
  // The council's criterion order, whatever order the rules ran in.
  CHECK(detail::reasons_label(r, ReasonsShown::kAll) ==
        "(off target, deteriorating, affecting a corporate risk)");
  CHECK(detail::reasons_label(r, ReasonsShown::kFirst) == "(off target)");
  r.outcomes.erase(r.outcomes.begin() + 1);  // no longer off target
  CHECK(detail::reasons_label(r, ReasonsShown::kFirst) == "(deteriorating)");
}

TEST_CASE("a reason's message does not repeat the reason's label", "[report]") {
  CHECK(detail::reason_message("special cause concern", "special cause concern: 7 points in a row below the mean") ==
        "7 points in a row below the mean");
  CHECK(detail::reason_message("off target", "19.3 against a target of 16.5") == "19.3 against a target of 16.5");
  CHECK(detail::reason_message("off target", "off target") == "off target");
  CHECK(detail::reason_message("off target", "off targeted: x") == "off targeted: x");
}

TEST_CASE("a late-data note says when a figure was due, with and without an allowed lag", "[report]") {
  IndicatorResult r;
  r.frequency = Frequency::kQuarterly;
  r.data_state = DataState::kStale;
  SeriesPoint p;
  p.period = Period::quarter(2016, 3);
  p.value = 1.0;
  r.latest = p;
  const Period march = Period::month(2017, 3);
  CHECK(detail::late_data_note(r, march, 0) == "latest figure is for Q3 2016 (expected Q1 2017)");
  CHECK(detail::late_data_note(r, march, 1) == "latest figure is for Q3 2016 (expected Q4 2016 or later)");
  r.outcomes = {outcome("x_trend", RuleOutcome::Status::kInsufficientData, ""),
                outcome("deterioration", RuleOutcome::Status::kInsufficientData, ""),
                outcome("off_target", RuleOutcome::Status::kOk, "")};
  CHECK(detail::late_data_note(r, march, 0) ==
        "latest figure is for Q3 2016 (expected Q1 2017), so it could not be judged as deteriorating or "
        "x trend");
  IndicatorResult none;
  none.data_state = DataState::kNoData;
  none.outcomes = {outcome("off_target", RuleOutcome::Status::kInsufficientData, "")};
  CHECK(detail::late_data_note(none, march, 0) ==
        "no data at or before the period (expected Mar 2017), so it could not be judged as off target");
}

TEST_CASE("the text summary uses the committee's wording", "[report][text]") {
  std::string text = rendered(sample_report(), ReportFormat::kText);
  CHECK(text.find("Adult Social Care Committee: vital signs, Mar 2017") == 0);
  CHECK(text.find("The following indicators are reported as exceptions on this occasion:\n\n"
                  "  a. Delayed transfers of care <social care> (off target, deteriorating)\n") !=
        std::string::npos);
  CHECK(text.find("- off target: 3.56 against a target of 1.5: 137% worse than target, tolerance 5%") !=
        std::string::npos);
  CHECK(text.find("CQC ratings good or above: latest figure is for Dec 2016") != std::string::npos);
  CHECK(text.find("rules/loop.lua:3: error: rule 'loop' ran out of instructions [rule.instruction_limit]") !=
        std::string::npos);
}

TEST_CASE("a period with no exceptions says so", "[report][text]") {
  EvaluationReport report = sample_report();
  for (auto& r : report.indicators) r.is_exception = false;
  CHECK(rendered(report, ReportFormat::kText)
            .find("No indicators are reported as exceptions on this occasion.") != std::string::npos);
}

TEST_CASE("Markdown escapes user text so titles cannot inject markup", "[report][markdown]") {
  EvaluationReport report = sample_report();
  report.indicators[1].title = "Evil | [link](http://x) <script>alert(1)</script>";
  std::string md = rendered(report, ReportFormat::kMarkdown);
  CHECK(md.find("<script>") == std::string::npos);
  CHECK(md.find("&lt;script&gt;") != std::string::npos);
  CHECK(md.find("Evil &#124; \\[link\\](http://x)") != std::string::npos);
  CHECK(md.find("| Indicator | Better | Period | Value | Target | RAG | Reported |") != std::string::npos);
  CHECK(md.find("| CQC ratings good or above | Bigger | Dec 2016 | 72.8% | - | - |  |") != std::string::npos);
}

TEST_CASE("the JSON report follows the documented contract", "[report][json]") {
  std::string json = rendered(sample_report(), ReportFormat::kJson);
  CHECK(json.find("\"format\": \"vitals.report/1\"") != std::string::npos);
  CHECK(json.find("\"period\": \"2017-03\",\n  \"run_id\": 7,") != std::string::npos);
  // Exceptions carry the documented fields and the reasons in the council's criterion order.
  std::string exception_entry =
      "  \"exceptions\": [\n"
      "    {\n"
      "      \"indicator\": \"dtoc\",\n"
      "      \"title\": \"Delayed transfers of care <social care>\",\n"
      "      \"polarity\": \"smaller\",\n"
      "      \"unit\": \"per_100k\",\n"
      "      \"decimals\": 2,\n"
      "      \"frequency\": \"monthly\",\n"
      "      \"data_state\": \"current\",\n"
      "      \"period\": \"2017-03\",\n"
      "      \"value\": 3.56,\n"
      "      \"numerator\": null,\n"
      "      \"denominator\": null,\n"
      "      \"target\": 1.5,\n"
      "      \"variance_pct\": 137.33,\n"
      "      \"rag\": \"red\",\n"
      "      \"lifecycle\": {\n"
      "        \"state\": \"none\",\n"
      "        \"first_reported\": null,\n"
      "        \"periods_reported\": 0,\n"
      "        \"acceptance\": null\n"
      "      },\n"
      "      \"reasons\": [\n"
      "        {\n"
      "          \"criterion\": \"off_target\",\n";
  // The numbers stay exact: decimals says how the reports show them.
  CHECK(json.find(exception_entry) != std::string::npos);
  CHECK(json.find("\"evidence\": {\n            \"met\": false,\n            \"note\": \"x\",\n"
                  "            \"target\": 1.5\n          }") != std::string::npos);
  CHECK(json.find("\"file\": \"rules/loop.lua\",\n      \"line\": 3,") != std::string::npos);
}

TEST_CASE("rendering is deterministic", "[report]") {
  auto format = GENERATE(ReportFormat::kJson, ReportFormat::kMarkdown, ReportFormat::kText);
  CHECK(rendered(sample_report(), format) == rendered(sample_report(), format));
}

TEST_CASE("report formats parse by name", "[report]") {
  CHECK(*parse_report_format("json") == ReportFormat::kJson);
  CHECK(*parse_report_format("markdown") == ReportFormat::kMarkdown);
  CHECK(*parse_report_format("text") == ReportFormat::kText);
  CHECK_FALSE(parse_report_format("pdf").ok());
}

TEST_CASE("a failed stream is reported, not thrown", "[report]") {
  std::ostringstream out;
  out.setstate(std::ios::badbit);
  Status st = render(sample_report(), ReportFormat::kJson, out);
  CHECK(st.code() == StatusCode::kIoError);
}
