// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <vitals/evaluation.hpp>
#include <vitals/indicator.hpp>

#include "report/spc_chart.hpp"

namespace vitals::detail {

/// What a report card's chart shows.
struct ChartInput {
  /// Makes the element ids unique in a page: "chart-<id>-title". Must be a
  /// valid HTML id fragment (indicator ids are).
  std::string id;
  std::string title;
  Polarity polarity = Polarity::kBiggerIsBetter;
  Unit unit = Unit::kNumber;
  /// The indicator's decimals, for the figures it labels; nullopt: the unit's default.
  std::optional<int> decimals;
  Frequency frequency = Frequency::kMonthly;
  /// The periods to plot, oldest first; points without a value are gaps.
  std::vector<SeriesPoint> points;
  /// Comparators drawn as labelled horizontal reference lines, each with its
  /// own period in the label ("England 2015/16").
  struct Reference {
    std::string label;
    double value = 0;
  };
  std::vector<Reference> references;
  /// With the SPC rule's evidence: the mean and process limits drawn, the
  /// points coloured by variation and the legend to match (spc_chart.hpp).
  std::optional<SpcOverlay> spc;
};

/// Chart geometry, in SVG user units (the chart scales to its container).
inline constexpr int kChartWidth = 720;
inline constexpr int kChartHeight = 300;

/// The plain-English summary the chart's <desc> holds: what is plotted, the
/// latest result against its target, and which periods have no data.
std::string chart_description(const ChartInput& input);

/// An inline SVG line chart: the result over the periods, the target as a
/// dashed step line (profiled targets step where they change), each result
/// marked with its RAG shape as well as its colour (green circle, amber
/// triangle, red square, hollow circle with no target), the latest result
/// labelled, "no data" in gaps, y-axis gridlines with round tick values, and
/// a legend. Accessible: role="img" with <title> and <desc> referenced by
/// aria-labelledby; each point has a <title>. User text is escaped.
/// Deterministic: coordinates are printed with one decimal.
std::string render_chart_svg(const ChartInput& input);

/// Round axis ticks covering [lo, hi]: about `target_count` values, the
/// step 1, 2, 2.5 or 5 times a power of ten. Exposed for tests.
std::vector<double> nice_ticks(double lo, double hi, int target_count);

}  // namespace vitals::detail
