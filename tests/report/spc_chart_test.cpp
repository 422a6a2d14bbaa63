// SPDX-License-Identifier: Apache-2.0
#include "report/spc_chart.hpp"

#include <string>

#include "catch.hpp"
#include "report/svg_chart.hpp"
#include "support/occurrences.hpp"

using namespace vitals;
using vitals::detail::SpcKind;
using vitals::testing::occurrences;

namespace {

RuleOutcome spc_outcome(const std::string& variation, const std::string& assurance) {
  RuleOutcome o;
  o.rule_id = "spc";
  o.status = RuleOutcome::Status::kOk;
  o.evidence = Evidence{{"mean", 12.0},
                        {"upper_limit", 14.66},
                        {"lower_limit", 9.34},
                        {"variation", variation},
                        {"assurance", assurance},
                        {"limits_are_trial", true},
                        {"concern_points", std::string("2016-05 2016-06")},
                        {"improvement_points", std::string("2016-02")},
                        {"target", 15.0}};
  return o;
}

SeriesPoint point(int month, double value) {
  SeriesPoint p;
  p.period = Period::month(2016, 1).shifted(month);
  p.value = value;
  p.target = 15;
  p.rag = Rag::kRed;
  return p;
}

detail::ChartInput chart() {
  detail::ChartInput in;
  in.id = "x";
  in.title = "X";
  in.polarity = Polarity::kBiggerIsBetter;
  in.points = {point(0, 12), point(1, 9), point(2, 12.5), point(3, 13), point(4, 13.5), point(5, 13.2)};
  return in;
}

}  // namespace

TEST_CASE("the SPC overlay is the spc rule's evidence, and only when it set limits", "[report][spc]") {
  auto spc = detail::spc_overlay({spc_outcome("common_cause", "consistently_failing")});
  REQUIRE(spc.has_value());
  CHECK(spc->mean == 12.0);
  CHECK(spc->upper == 14.66);
  CHECK(spc->lower == 9.34);
  CHECK(spc->trial);
  CHECK(spc->target == 15.0);

  RuleOutcome other = spc_outcome("common_cause", "none");
  other.rule_id = "off_target";
  CHECK_FALSE(detail::spc_overlay({other}).has_value());
  RuleOutcome short_series;
  short_series.rule_id = "spc";
  short_series.status = RuleOutcome::Status::kInsufficientData;
  short_series.evidence = Evidence{{"profile", std::string("mdc")}};
  CHECK_FALSE(detail::spc_overlay({short_series}).has_value());
  RuleOutcome no_limits = spc_outcome("common_cause", "none");
  no_limits.evidence = Evidence{{"variation", std::string("common_cause")}};
  CHECK_FALSE(detail::spc_overlay({no_limits}).has_value());
}

TEST_CASE("points are classed by the periods the rule marked, and a rebase leaves earlier ones out",
          "[report][spc]") {
  auto spc = *detail::spc_overlay({spc_outcome("special_cause_concern", "hit_or_miss")});
  CHECK(detail::spc_point_kind(spc, Period::month(2016, 5)) == SpcKind::kConcern);
  CHECK(detail::spc_point_kind(spc, Period::month(2016, 2)) == SpcKind::kImprovement);
  CHECK(detail::spc_point_kind(spc, Period::month(2016, 4)) == SpcKind::kCommonCause);
  spc.rebased_at = "2016-03";
  CHECK(detail::spc_point_kind(spc, Period::month(2016, 2)) == SpcKind::kNotAnalysed);
  CHECK(detail::spc_point_kind(spc, Period::month(2016, 3)) == SpcKind::kCommonCause);
}

TEST_CASE("with SPC the chart draws the mean and limits and colours the points as Making Data Count does",
          "[report][spc][chart]") {
  detail::ChartInput in = chart();
  in.spc = detail::spc_overlay({spc_outcome("special_cause_concern", "consistently_failing")});
  const std::string svg = detail::render_chart_svg(in);
  CHECK(occurrences(svg, "<line class=\"spc-mean\"") == 1);
  CHECK(occurrences(svg, "<line class=\"spc-upper\"") == 1);
  CHECK(occurrences(svg, "<line class=\"spc-lower\"") == 1);
  CHECK(svg.find(">Mean 12.00</text>") != std::string::npos);
  CHECK(svg.find(">Upper 14.66</text>") != std::string::npos);
  CHECK(svg.find(">Lower 9.34</text>") != std::string::npos);
  // Two concern points (orange), one improvement (blue), three common cause (grey), besides the legend's three.
  CHECK(occurrences(svg, "fill=\"#ed8b00\"") == 2 + 1);
  CHECK(occurrences(svg, "fill=\"#005eb8\"") == 1 + 1);
  CHECK(occurrences(svg, "r=\"4.5\" fill=\"#7f8c94\"") == 3 + 1);
  CHECK(svg.find("May 2016: 13.50, target 15.00, Red; special cause concern</title>") != std::string::npos);
  CHECK(svg.find("Statistical process control: mean 12.00, process limits 9.34 to 14.66 (trial limits). Special "
                 "cause concern: May 2016 and Jun 2016. Special cause improvement: Feb 2016. The latest result "
                 "is special cause concern (low); consistently failing the target.") != std::string::npos);
  // The RAG shapes give way to the SPC colours, and the legend says so.
  CHECK(svg.find("<rect x=") == svg.find("<rect x=\"0\""));
  CHECK(svg.find(">Trial process limits</text>") != std::string::npos);
  CHECK(svg.find(">Special cause concern</text>") != std::string::npos);
}

TEST_CASE("without SPC the chart is drawn exactly as before", "[report][spc][chart]") {
  detail::ChartInput in = chart();
  const std::string plain = detail::render_chart_svg(in);
  CHECK(plain.find("spc") == std::string::npos);
  CHECK(plain.find("#ed8b00") == std::string::npos);
  in.spc = detail::spc_overlay({spc_outcome("common_cause", "none")});
  in.spc->trial = false;
  CHECK(detail::render_chart_svg(in) != plain);
  CHECK(detail::render_chart_svg(in).find(">Process limits</text>") != std::string::npos);
  in.spc.reset();
  CHECK(detail::render_chart_svg(in) == plain);
}

TEST_CASE("the limit and target labels never overlap, even when the lines are close", "[report][spc][chart]") {
  detail::ChartInput in = chart();
  RuleOutcome o = spc_outcome("common_cause", "hit_or_miss");
  o.evidence.insert_or_assign("upper_limit", 12.1);
  o.evidence.insert_or_assign("lower_limit", 11.9);
  in.spc = detail::spc_overlay({o});
  for (SeriesPoint& p : in.points) p.target = 12.05;
  const std::string svg = detail::render_chart_svg(in);
  std::vector<double> ys;
  for (const char* label : {">Upper ", ">Target ", ">Mean ", ">Lower "}) {
    std::size_t at = svg.find(label);
    REQUIRE(at != std::string::npos);
    std::size_t y = svg.rfind(" y=\"", at);
    ys.push_back(std::stod(svg.substr(y + 4)));
  }
  for (std::size_t i = 1; i < ys.size(); ++i) CHECK(ys[i] - ys[i - 1] >= 14 - 1e-9);
}

TEST_CASE("the icons say what they mean in words", "[report][spc]") {
  auto spc = *detail::spc_overlay({spc_outcome("special_cause_improvement", "consistently_passing")});
  std::string html = detail::spc_icons_html(spc, "x", Polarity::kSmallerIsBetter, Unit::kNumber, std::nullopt);
  CHECK(occurrences(html, "role=\"img\"") == 2);
  CHECK(html.find("aria-labelledby=\"spc-x-variation-title spc-x-variation-desc\"") != std::string::npos);
  CHECK(html.find("<title id=\"spc-x-variation-title\">Variation: Special cause improvement (low)</title>") !=
        std::string::npos);
  CHECK(html.find("downwards, which is the right direction for this indicator (smaller is better)") !=
        std::string::npos);
  CHECK(html.find("<title id=\"spc-x-assurance-title\">Assurance: Consistently passing the target</title>") !=
        std::string::npos);
  CHECK(html.find("The target 15.00 is outside the process limits (9.34 to 14.66), so unless the process changes "
                  "it will meet the target every time.") != std::string::npos);
  CHECK(html.find(">P</text>") != std::string::npos);
  CHECK(html.find("<image") == std::string::npos);

  spc.assurance = "none";
  spc.variation = "common_cause";
  html = detail::spc_icons_html(spc, "x", Polarity::kSmallerIsBetter, Unit::kNumber, std::nullopt);
  CHECK(occurrences(html, "role=\"img\"") == 1);
  CHECK(html.find("Variation: Common cause variation") != std::string::npos);
}
