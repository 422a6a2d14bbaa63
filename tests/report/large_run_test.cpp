// SPDX-License-Identifier: Apache-2.0
// render() with RenderOptions: the layout of a run too large to list (the
// summary counted per group) and the compact JSON (vitals.results/1).
#include <vitals/report.hpp>

#include <sstream>
#include <string>

#include "catch.hpp"
#include "support/occurrences.hpp"

using namespace vitals;
using vitals::testing::occurrences;

namespace {

// `count` indicators in groups "a" and "b" (alternately); every third is an
// exception off target, every fifth has no result.
EvaluationReport run_of(int count) {
  EvaluationReport report;
  report.period = Period::month(2025, 3);
  report.catalogue_name = "National";
  report.committee = "Every council";
  for (int i = 0; i < count; ++i) {
    IndicatorResult r;
    r.indicator_id = (i % 2 == 0 ? "a_" : "b_") + std::to_string(1000 + i);
    r.title = "Indicator " + std::to_string(i);
    r.data_state = DataState::kCurrent;
    SeriesPoint p;
    p.period = Period::month(2025, 3);
    p.value = i;
    p.target = 10;
    r.latest = p;
    r.history = {p};
    RuleOutcome o;
    o.rule_id = "off_target";
    o.criterion = "off_target";
    o.status = i % 3 == 0 ? RuleOutcome::Status::kException : RuleOutcome::Status::kOk;
    o.message = "figure " + std::to_string(i);
    o.evidence = {{"target", 10.0}};
    r.outcomes = {o};
    r.is_exception = i % 3 == 0;
    if (i % 5 == 4) r.incomplete = {"not read: source 'x' failed"};
    report.indicators.push_back(r);
  }
  return report;
}

std::string rendered(const EvaluationReport& report, ReportFormat format,
                     const RenderOptions& options) {
  std::ostringstream out;
  REQUIRE(render(report, format, options, out).is_ok());
  return out.str();
}

RenderOptions limited(std::size_t limit) {
  RenderOptions options;
  options.list_limit = limit;
  options.group = [](const IndicatorResult& r) { return r.indicator_id.substr(0, 1); };
  return options;
}

}  // namespace

TEST_CASE("default render options write what render() without options writes", "[report]") {
  const EvaluationReport report = run_of(120);
  for (ReportFormat format : {ReportFormat::kText, ReportFormat::kMarkdown, ReportFormat::kJson}) {
    std::ostringstream plain;
    REQUIRE(render(report, format, plain).is_ok());
    CHECK(rendered(report, format, RenderOptions{}) == plain.str());
  }
}

TEST_CASE("a run with more exceptions than the limit counts them per group", "[report][text]") {
  const EvaluationReport report = run_of(120);  // 40 exceptions: 20 in a, 20 in b
  const std::string text = rendered(report, ReportFormat::kText, limited(20));
  CHECK(text.find("40 indicators are reported as exceptions on this occasion, too many to list "
                  "here; by group, with how many for each reason:\n\n"
                  "  a: 20 (off target 20)\n"
                  "  b: 20 (off target 20)\n") != std::string::npos);
  CHECK(text.find("Indicator 3 ") == std::string::npos);  // no exception listed one by one
  // 24 without a result (a: 12, b: 12), also over the limit of 20.
  CHECK(text.find("No result (not read or not evaluated in this run)\n\n  a: 12\n  b: 12\n") !=
        std::string::npos);

  const std::string listed = rendered(report, ReportFormat::kText, limited(40));
  CHECK(listed.find("The following indicators are reported as exceptions") != std::string::npos);
  CHECK(occurrences(listed, "(off target)") == 40);
}

TEST_CASE("Markdown leaves out its table of every indicator above the limit", "[report][markdown]") {
  const EvaluationReport report = run_of(120);
  const std::string md = rendered(report, ReportFormat::kMarkdown, limited(30));
  CHECK(md.find("The table of all 120 indicators is left out at this size.") != std::string::npos);
  CHECK(md.find("| Indicator |") == std::string::npos);
  CHECK(md.find("- a: 20 (off target 20)\n") != std::string::npos);
  CHECK(rendered(report, ReportFormat::kMarkdown, limited(0)).find("| Indicator |") !=
        std::string::npos);
}

TEST_CASE("the compact JSON has one line per indicator and no evidence or history", "[report][json]") {
  EvaluationReport report = run_of(6);
  report.run_id = 9;
  RenderOptions compact;
  compact.compact = true;
  const std::string json = rendered(report, ReportFormat::kJson, compact);
  CHECK(json.rfind("{\n  \"format\": \"vitals.results/1\",\n", 0) == 0);
  CHECK(json.find("\"run_id\": 9,\n") != std::string::npos);
  CHECK(json.find("\"counts\": {\n    \"indicators\": 6,\n    \"exceptions\": 2,\n"
                  "    \"no_result\": 1,\n") != std::string::npos);
  CHECK(json.find("    {\"indicator\": \"a_1000\", \"status\": \"exception\", \"data_state\": "
                  "\"current\", \"period\": \"2025-03\", \"value\": 0, \"target\": 10, \"rag\": "
                  "\"none\", \"lifecycle\": \"none\", \"outcomes\": {\"off_target\": \"exception\"}, "
                  "\"reasons\": [{\"criterion\": \"off_target\", \"rule\": \"off_target\", "
                  "\"message\": \"figure 0\"}], \"incomplete\": []},\n") != std::string::npos);
  CHECK(json.find("\"status\": \"no_result\"") != std::string::npos);
  CHECK(json.find("evidence") == std::string::npos);
  CHECK(json.find("history") == std::string::npos);

  compact.history = true;
  const std::string with_history = rendered(report, ReportFormat::kJson, compact);
  CHECK(occurrences(with_history, "\"history\": [{\"period\": \"2025-03\"") == 6);
}
