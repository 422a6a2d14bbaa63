// SPDX-License-Identifier: Apache-2.0
#include "report/svg_chart.hpp"

#include <string>

#include "catch.hpp"
#include "support/occurrences.hpp"

using namespace vitals;
using vitals::detail::ChartInput;
using vitals::testing::occurrences;

namespace {

SeriesPoint point(int month, std::optional<double> value, std::optional<double> target, Rag rag) {
  SeriesPoint p;
  p.period = Period::month(2016, 1).shifted(month);
  p.value = value;
  p.target = target;
  p.rag = value ? rag : Rag::kNone;
  return p;
}

ChartInput sample() {
  ChartInput in;
  in.id = "dtoc";
  in.title = "Delays <b>& \"more\"";
  in.polarity = Polarity::kSmallerIsBetter;
  in.unit = Unit::kPer100k;
  in.decimals = 2;  // as the Norfolk example shows delayed transfers
  in.points = {
      point(0, 1.4, 1.5, Rag::kGreen),       // Jan 2016
      point(1, 1.55, 1.5, Rag::kAmber),      // Feb
      point(2, 2.9, 1.5, Rag::kRed),         // Mar
      point(3, std::nullopt, 2.0, Rag::kNone),  // Apr: no data; the profile steps to 2
      point(4, 3.56, 2.0, Rag::kRed),        // May
      point(5, 3.1, std::nullopt, Rag::kNone),  // Jun: no target
  };
  return in;
}

}  // namespace

TEST_CASE("axis ticks are round numbers covering the range", "[report][chart]") {
  CHECK(detail::nice_ticks(0, 3.9, 6) == std::vector<double>{0, 1, 2, 3, 4});
  CHECK(detail::nice_ticks(1.3, 3.7, 6) == std::vector<double>{1, 1.5, 2, 2.5, 3, 3.5, 4});
  CHECK(detail::nice_ticks(560, 640, 6) == std::vector<double>{560, 580, 600, 620, 640});
  CHECK(detail::nice_ticks(3.1, 4.1, 6) == std::vector<double>{3, 3.2, 3.4, 3.6, 3.8, 4, 4.2});
}

TEST_CASE("the chart is accessible: role, title and description", "[report][chart]") {
  std::string svg = detail::render_chart_svg(sample());
  CHECK(svg.rfind("<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" viewBox=\"0 0 720 300\"", 0) == 0);
  CHECK(svg.find("role=\"img\" aria-labelledby=\"chart-dtoc-title chart-dtoc-desc\"") != std::string::npos);
  CHECK(svg.find("<title id=\"chart-dtoc-title\">Delays &lt;b&gt;&amp; &quot;more&quot;</title>") !=
        std::string::npos);
  CHECK(svg.find("<desc id=\"chart-dtoc-desc\">Monthly results, Jan 2016 to Jun 2016; smaller is better. "
                 "Latest, Jun 2016: 3.10 (no target set). No data for Apr 2016.</desc>") != std::string::npos);
  CHECK(svg.substr(svg.size() - 6) == "</svg>");
}

TEST_CASE("each rating has its own shape, not just its colour", "[report][chart]") {
  std::string svg = detail::render_chart_svg(sample());
  // Points: green circle, amber triangle, two red squares, a hollow circle
  // without a target; the legend repeats one of each.
  CHECK(occurrences(svg, "<g class=\"point\">") == 5);
  CHECK(occurrences(svg, "fill=\"#c3261b\"") == 3);    // red: two points + legend
  CHECK(occurrences(svg, "<rect x=") == 4);            // background + red squares (2) + legend square
  CHECK(occurrences(svg, "fill=\"#f0a028\"") == 2);    // amber triangle + legend
  CHECK(svg.find("<path d=\"M") != std::string::npos);  // the triangle is a path
  CHECK(occurrences(svg, "fill=\"#00703c\"") == 2);    // green circle + legend
  CHECK(occurrences(svg, "fill=\"#ffffff\" stroke=\"#0b0c0c\" stroke-width=\"1.5\"") == 2);  // hollow: point + legend
  CHECK(svg.find("<title>Feb 2016: 1.55, target 1.50, Amber</title>") != std::string::npos);
  CHECK(svg.find(">Green</text>") != std::string::npos);
  CHECK(svg.find(">Amber</text>") != std::string::npos);
  CHECK(svg.find(">Red</text>") != std::string::npos);
  CHECK(svg.find(">No target</text>") != std::string::npos);
}

TEST_CASE("the target is a step line that follows the profile and stops without a target", "[report][chart]") {
  std::string svg = detail::render_chart_svg(sample());
  auto start = svg.find("<path class=\"target\" d=\"");
  REQUIRE(start != std::string::npos);
  std::string d = svg.substr(start + 24, svg.find('"', start + 24) - start - 24);
  // Three periods at 1.5, a vertical step to 2.0, two periods there, then no
  // segment for June. The plot spans x 64..628 in six bands of 94, and y
  // 216..24 for the axis 1..4 (64 units per 1.0).
  CHECK(d == "M64.0 184.0 H158.0 H252.0 H346.0 V152.0 H440.0 H534.0");
  CHECK(svg.find(">Target 2.00</text>") != std::string::npos);
  CHECK(svg.find("stroke-dasharray=\"7 4\"") != std::string::npos);
}

TEST_CASE("gaps break the result line and say no data; the latest value is labelled", "[report][chart]") {
  std::string svg = detail::render_chart_svg(sample());
  auto start = svg.find("<path class=\"result\" d=\"");
  REQUIRE(start != std::string::npos);
  std::string d = svg.substr(start + 24, svg.find('"', start + 24) - start - 24);
  CHECK(occurrences(d, "M") == 2);  // one run before April, one after
  CHECK(svg.find(">no data</text>") != std::string::npos);
  CHECK(svg.find("class=\"latest\"") != std::string::npos);
  CHECK(svg.find("font-weight=\"700\" font-size=\"14\" fill=\"#0b0c0c\" stroke=\"#ffffff\" stroke-width=\"4\" "
                 "paint-order=\"stroke\">3.10</text>") != std::string::npos);
}

TEST_CASE("the chart is deterministic and survives hostile text and empty data", "[report][chart]") {
  CHECK(detail::render_chart_svg(sample()) == detail::render_chart_svg(sample()));

  ChartInput hostile = sample();
  hostile.title = "]]></title><script>alert(1)</script><![CDATA[";
  std::string svg = detail::render_chart_svg(hostile);
  CHECK(svg.find("<script") == std::string::npos);
  CHECK(svg.find("]]&gt;&lt;/title&gt;&lt;script&gt;alert(1)&lt;/script&gt;&lt;![CDATA[") != std::string::npos);

  ChartInput empty = sample();
  for (SeriesPoint& p : empty.points) {
    p.value.reset();
    p.target.reset();
  }
  svg = detail::render_chart_svg(empty);
  CHECK(svg.find(">No data for these periods</text>") != std::string::npos);
  CHECK(svg.find("class=\"result\"") == std::string::npos);
  CHECK(svg.find("No results for these periods.") != std::string::npos);
}

TEST_CASE("comparators are labelled reference lines with their own period, also in the description",
          "[report][chart][comparators]") {
  ChartInput in = sample();
  in.decimals = 1;
  std::string without = detail::render_chart_svg(in);
  CHECK(occurrences(without, "class=\"comparator\"") == 0);
  in.references = {{"England 2015/16", 13.3}, {"Family group 2015/16", 13.0}, {"East of England 2015/16", 40.0}};
  std::string svg = detail::render_chart_svg(in);
  CHECK(occurrences(svg, "class=\"comparator\"") == 3);
  // 13.3 and 13 are closer than a label is high: one label above both, so
  // neither line runs through the other's label; 40 has its own.
  CHECK(svg.find(">England 2015/16: 13.3 \u00b7 Family group 2015/16: 13.0</text>") != std::string::npos);
  CHECK(svg.find(">East of England 2015/16: 40.0</text>") != std::string::npos);
  CHECK(occurrences(svg, "font-size=\"12\" fill=\"#505a5f\" stroke=\"#ffffff\"") == 2);
  // A comparator far above the results widens the scale to show it.
  CHECK(svg.find(">40</text>") != std::string::npos);
  CHECK(detail::chart_description(in).find(
            "Comparators: England 2015/16 13.3; Family group 2015/16 13.0; East of England 2015/16 40.0.") !=
        std::string::npos);
}

TEST_CASE("figures carry the indicator's decimals; ticks their step's, with the unit's sign",
          "[report][chart]") {
  ChartInput in = sample();
  std::string svg = detail::render_chart_svg(in);
  // Ticks 1 to 4 in steps of 1: whole numbers. Figures keep two decimals.
  CHECK(svg.find(">1</text>") != std::string::npos);
  CHECK(svg.find("<title>Jun 2016: 3.10</title>") != std::string::npos);
  CHECK(svg.find("<title>Mar 2016: 2.90, target 1.50, Red</title>") != std::string::npos);

  // Results close together: ticks in steps of a fraction, each with the same decimals.
  ChartInput close = sample();
  close.points = {point(0, 3.1, std::nullopt, Rag::kNone), point(1, 3.2, std::nullopt, Rag::kNone),
                  point(2, 3.56, std::nullopt, Rag::kNone)};
  svg = detail::render_chart_svg(close);
  // 3.0, 3.2, 3.4, 3.6: "3.0", not "3", beside "3.2" (format_number gave "3").
  CHECK(svg.find("fill=\"#505a5f\">3.0</text>") != std::string::npos);
  CHECK(svg.find("fill=\"#505a5f\">3.2</text>") != std::string::npos);
  CHECK(svg.find("fill=\"#505a5f\">3</text>") == std::string::npos);

  in.unit = Unit::kPercent;
  in.decimals = 1;
  svg = detail::render_chart_svg(in);
  CHECK(svg.find(">1%</text>") != std::string::npos);
  CHECK(svg.find(">4%</text>") != std::string::npos);
  CHECK(svg.find("<title>Jan 2016: 1.4%, target 1.5%, Green</title>") != std::string::npos);
  CHECK(svg.find(">Target 2.0%</text>") != std::string::npos);
  CHECK(detail::chart_description(in).find("Latest, Jun 2016: 3.1%") != std::string::npos);
}
