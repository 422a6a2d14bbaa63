// SPDX-License-Identifier: Apache-2.0
#include "report/svg_chart.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <optional>

#include "common/number_format.hpp"
#include "report/escape.hpp"
#include "report/presentation.hpp"
#include "report/svg_number.hpp"

namespace vitals::detail {

namespace {

// The plot area within the chart.
constexpr double kLeft = 64;
constexpr double kRight = kChartWidth - 92;
constexpr double kTop = 24;
constexpr double kBottom = kChartHeight - 84;

// Colours: GOV.UK-style tones that keep white text readable and differ in
// lightness, so the ratings stay apart in greyscale too (with the shapes).
constexpr const char* kRed = "#c3261b";
constexpr const char* kAmber = "#f0a028";
constexpr const char* kGreen = "#00703c";
constexpr const char* kInk = "#0b0c0c";
constexpr const char* kLine = "#1d4f91";
constexpr const char* kGrid = "#d6dbdf";
constexpr const char* kMuted = "#505a5f";

double nice_number(double x, bool round) {
  double exponent = std::floor(std::log10(x));
  double fraction = x / std::pow(10.0, exponent);
  double nice;
  if (round) {
    nice = fraction < 1.5 ? 1 : fraction < 2.25 ? 2 : fraction < 3.5 ? 2.5 : fraction < 7.5 ? 5 : 10;
  } else {
    nice = fraction <= 1 ? 1 : fraction <= 2 ? 2 : fraction <= 2.5 ? 2.5 : fraction <= 5 ? 5 : 10;
  }
  return nice * std::pow(10.0, exponent);
}

int decimals_for(double step) {
  int d = 0;
  while (d < 6 && std::fabs(step * std::pow(10.0, d) - std::round(step * std::pow(10.0, d))) > 1e-9) ++d;
  return d;
}

struct Scale {
  double lo = 0;
  double hi = 1;
  double y(double v) const { return kBottom - (v - lo) / (hi - lo) * (kBottom - kTop); }
};

// The marker for one point: a shape that says the rating without colour.
std::string marker(Rag rag, double x, double y) {
  switch (rag) {
    case Rag::kRed:
      return "<rect x=\"" + svg_number(x - 5.5) + "\" y=\"" + svg_number(y - 5.5) +
             "\" width=\"11\" height=\"11\" fill=\"" + kRed + "\" stroke=\"" + kInk + "\" stroke-width=\"1\"/>";
    case Rag::kAmber:
      return "<path d=\"M" + svg_number(x) + " " + svg_number(y - 7) + " L" + svg_number(x + 7) + " " + svg_number(y + 5.5) + " L" +
             svg_number(x - 7) + " " + svg_number(y + 5.5) + " Z\" fill=\"" + kAmber + "\" stroke=\"" + kInk +
             "\" stroke-width=\"1\"/>";
    case Rag::kGreen:
      return "<circle cx=\"" + svg_number(x) + "\" cy=\"" + svg_number(y) + "\" r=\"5.5\" fill=\"" + kGreen + "\" stroke=\"" +
             kInk + "\" stroke-width=\"1\"/>";
    case Rag::kNone: break;
  }
  return "<circle cx=\"" + svg_number(x) + "\" cy=\"" + svg_number(y) + "\" r=\"4.5\" fill=\"#ffffff\" stroke=\"" + kInk +
         "\" stroke-width=\"1.5\"/>";
}

}  // namespace

std::vector<double> nice_ticks(double lo, double hi, int target_count) {
  if (!(hi > lo)) hi = lo + 1;
  double range = nice_number(hi - lo, false);
  double step = nice_number(range / std::max(1, target_count - 1), true);
  double first = std::floor(lo / step + 1e-9) * step;
  double last = std::ceil(hi / step - 1e-9) * step;
  int decimals = decimals_for(step);
  double scale = std::pow(10.0, decimals);
  std::vector<double> ticks;
  for (int i = 0; first + i * step <= last + step * 1e-6 && i < 50; ++i) {
    ticks.push_back(std::round((first + i * step) * scale) / scale);
  }
  return ticks;
}

std::string chart_description(const ChartInput& input) {
  std::string out = std::string(frequency_label(input.frequency)) + " results";
  if (!input.points.empty()) {
    out += ", " + input.points.front().period.label() + " to " + input.points.back().period.label();
  }
  out += "; ";
  out += input.polarity == Polarity::kBiggerIsBetter ? "bigger is better." : "smaller is better.";
  const SeriesPoint* latest = nullptr;
  for (const SeriesPoint& p : input.points) {
    if (p.value) latest = &p;
  }
  if (latest != nullptr) {
    out += " Latest, " + latest->period.label() + ": " + value_text(latest->value, input.unit, input.decimals);
    if (latest->target) {
      out += " against a target of " + value_text(latest->target, input.unit, input.decimals) + " (" + point_rating_text(*latest) + ")";
    } else {
      out += " (no target set)";
    }
    out += ".";
  } else {
    out += " No results for these periods.";
  }
  std::vector<std::string> missing;
  for (const SeriesPoint& p : input.points) {
    if (!p.value) missing.push_back(p.period.label());
  }
  if (!missing.empty() && latest != nullptr) {
    out += " No data for ";
    for (std::size_t i = 0; i < missing.size(); ++i) {
      out += (i == 0 ? "" : i + 1 == missing.size() ? " and " : ", ") + missing[i];
    }
    out += ".";
  }
  if (!input.references.empty()) {
    out += " Comparators:";
    for (std::size_t i = 0; i < input.references.size(); ++i) {
      const ChartInput::Reference& r = input.references[i];
      out += std::string(i == 0 ? " " : "; ") + r.label + " " + value_text(r.value, input.unit, input.decimals);
    }
    out += ".";
  }
  if (input.spc) out += spc_description(*input.spc, input.points, input.polarity, input.unit, input.decimals);
  return out;
}

std::string render_chart_svg(const ChartInput& input) {
  const std::string id = "chart-" + input.id;
  const std::size_t n = input.points.size();

  std::vector<double> values;
  for (const SeriesPoint& p : input.points) {
    if (p.value && std::isfinite(*p.value)) values.push_back(*p.value);
    if (p.target && std::isfinite(*p.target)) values.push_back(*p.target);
  }
  if (!values.empty()) {
    for (const ChartInput::Reference& r : input.references) {
      if (std::isfinite(r.value)) values.push_back(r.value);
    }
    if (input.spc) values.insert(values.end(), {input.spc->mean, input.spc->upper, input.spc->lower});
  }
  Scale scale;
  std::vector<double> ticks;
  if (!values.empty()) {
    double lo = *std::min_element(values.begin(), values.end());
    double hi = *std::max_element(values.begin(), values.end());
    double pad = hi > lo ? (hi - lo) * 0.08 : std::max(std::fabs(hi) * 0.1, 1.0);
    double padded_lo = lo - pad;
    // Rates and percentages near zero read best from a zero baseline.
    if (lo >= 0 && padded_lo < 0) padded_lo = 0;
    if (lo >= 0 && lo < (hi - lo) * 0.25) padded_lo = 0;
    ticks = nice_ticks(padded_lo, hi + pad, 6);
    scale.lo = ticks.front();
    scale.hi = ticks.back();
    if (!(scale.hi > scale.lo)) scale.hi = scale.lo + 1;
  }
  const double band = n > 0 ? (kRight - kLeft) / static_cast<double>(n) : (kRight - kLeft);
  auto x_at = [&](std::size_t i) { return kLeft + band * (static_cast<double>(i) + 0.5); };

  std::string s;
  s += "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" viewBox=\"0 0 " + std::to_string(kChartWidth) +
       " " + std::to_string(kChartHeight) + "\" width=\"" + std::to_string(kChartWidth) + "\" height=\"" +
       std::to_string(kChartHeight) + "\" role=\"img\" aria-labelledby=\"" + id + "-title " + id +
       "-desc\" font-family=\"system-ui, -apple-system, 'Segoe UI', Roboto, Arial, sans-serif\" font-size=\"12\">\n";
  s += "<title id=\"" + id + "-title\">" + html_escape(input.title) + "</title>\n";
  s += "<desc id=\"" + id + "-desc\">" + html_escape(chart_description(input)) + "</desc>\n";
  s += "<rect x=\"0\" y=\"0\" width=\"" + std::to_string(kChartWidth) + "\" height=\"" +
       std::to_string(kChartHeight) + "\" fill=\"#ffffff\"/>\n";

  // Axes and gridlines.
  s += "<g class=\"axis\" aria-hidden=\"true\">\n";
  if (!ticks.empty()) {
    // Every tick with the decimals its step needs, and the unit's sign: "2.5%".
    int decimals = decimals_for(ticks.size() > 1 ? ticks[1] - ticks[0] : 1.0);
    for (double t : ticks) {
      double y = scale.y(t);
      s += "<line x1=\"" + svg_number(kLeft) + "\" y1=\"" + svg_number(y) + "\" x2=\"" + svg_number(kRight) + "\" y2=\"" + svg_number(y) +
           "\" stroke=\"" + kGrid + "\" stroke-width=\"1\"/>";
      s += "<text x=\"" + svg_number(kLeft - 8) + "\" y=\"" + svg_number(y + 4) + "\" text-anchor=\"end\" fill=\"" + kMuted +
           "\">" + html_escape(format_figure(t, input.unit, decimals)) + "</text>\n";
    }
  }
  s += "<line x1=\"" + svg_number(kLeft) + "\" y1=\"" + svg_number(kBottom) + "\" x2=\"" + svg_number(kRight) + "\" y2=\"" +
       svg_number(kBottom) + "\" stroke=\"" + kInk + "\" stroke-width=\"1\"/>\n";
  std::string previous_second;
  for (std::size_t i = 0; i < n; ++i) {
    auto lines = period_label_lines(input.points[i].period);
    double x = x_at(i);
    s += "<text x=\"" + svg_number(x) + "\" y=\"" + svg_number(kBottom + 16) + "\" text-anchor=\"middle\" fill=\"" + kInk +
         "\">" + html_escape(lines[0]) + "</text>";
    if (!lines[1].empty() && lines[1] != previous_second) {
      s += "<text x=\"" + svg_number(x) + "\" y=\"" + svg_number(kBottom + 30) + "\" text-anchor=\"middle\" fill=\"" + kMuted +
           "\">" + html_escape(lines[1]) + "</text>";
    }
    previous_second = lines[1];
    s += "\n";
  }
  s += "</g>\n";

  // Periods without data.
  for (std::size_t i = 0; i < n; ++i) {
    if (input.points[i].value) continue;
    s += "<text x=\"" + svg_number(x_at(i)) + "\" y=\"" + svg_number(kBottom - 8) +
         "\" text-anchor=\"middle\" font-size=\"12\" fill=\"" + kMuted + "\">no data</text>\n";
  }

  // Target: a step line, one level per period, broken where no target is set.
  bool any_target = false;
  std::string target_path;
  std::optional<double> last_target_y;
  for (std::size_t i = 0; i < n; ++i) {
    const auto& t = input.points[i].target;
    if (!t || values.empty()) {
      last_target_y.reset();
      continue;
    }
    any_target = true;
    double y = scale.y(*t);
    double x0 = kLeft + band * static_cast<double>(i);
    if (!last_target_y) {
      target_path += "M" + svg_number(x0) + " " + svg_number(y);
    } else if (std::fabs(*last_target_y - y) > 0.05) {
      target_path += " V" + svg_number(y);
    }
    target_path += " H" + svg_number(x0 + band);
    last_target_y = y;
  }
  if (any_target) {
    s += "<path class=\"target\" d=\"" + target_path + "\" fill=\"none\" stroke=\"" + kInk +
         "\" stroke-width=\"2\" stroke-dasharray=\"7 4\"/>\n";
    // Label the target in force at the last period that has one.
    for (std::size_t i = n; i-- > 0 && !input.spc;) {
      if (input.points[i].target) {
        s += "<text x=\"" + svg_number(kRight + 6) + "\" y=\"" + svg_number(scale.y(*input.points[i].target) + 4) +
             "\" fill=\"" + kInk + "\">Target " + html_escape(value_text(input.points[i].target, input.unit, input.decimals)) +
             "</text>\n";
        break;
      }
    }
  }

  // Comparators: dotted lines across the plot, labelled inside its left edge.
  // Lines closer together than a label is high share one label, above the
  // highest of them, so no line runs through another's label.
  if (!values.empty() && !input.references.empty()) {
    std::vector<const ChartInput::Reference*> refs;
    for (const ChartInput::Reference& r : input.references) {
      if (std::isfinite(r.value)) refs.push_back(&r);
    }
    std::sort(refs.begin(), refs.end(), [](const auto* a, const auto* b) { return a->value > b->value; });
    constexpr double kLabelHeight = 14;
    double last_label_y = -1e9;
    for (std::size_t i = 0; i < refs.size();) {
      const double top = scale.y(refs[i]->value);
      std::string label;
      std::size_t end = i;
      for (; end < refs.size() && scale.y(refs[end]->value) - top < kLabelHeight; ++end) {
        const double y = scale.y(refs[end]->value);
        s += "<line class=\"comparator\" x1=\"" + svg_number(kLeft) + "\" y1=\"" + svg_number(y) + "\" x2=\"" + svg_number(kRight) +
             "\" y2=\"" + svg_number(y) + "\" stroke=\"" + kMuted + "\" stroke-width=\"1.5\" stroke-dasharray=\"2 3\"/>";
        if (!label.empty()) label += " \u00b7 ";
        label += refs[end]->label + ": " + value_text(refs[end]->value, input.unit, input.decimals);
      }
      const double label_y = std::max(top - 4, last_label_y + kLabelHeight);
      last_label_y = label_y;
      s += "<text x=\"" + svg_number(kLeft + 4) + "\" y=\"" + svg_number(label_y) + "\" font-size=\"12\" fill=\"" + kMuted +
           "\" stroke=\"#ffffff\" stroke-width=\"3\" paint-order=\"stroke\">" + html_escape(label) + "</text>\n";
      i = end;
    }
  }

  if (input.spc && !values.empty()) {
    std::size_t first = 0;
    while (first < n && spc_point_kind(*input.spc, input.points[first].period) == SpcKind::kNotAnalysed) ++first;
    std::optional<double> last_target;
    for (const SeriesPoint& p : input.points) {
      if (p.target) last_target = p.target;
    }
    s += spc_lines_svg(*input.spc, kLeft + band * static_cast<double>(first), kRight, kRight + 6, kTop, kBottom,
                       [&](double v) { return scale.y(v); }, last_target, input.unit, input.decimals);
  }

  // The result line, broken at gaps.
  std::string line_path;
  bool pen_down = false;
  for (std::size_t i = 0; i < n; ++i) {
    const auto& v = input.points[i].value;
    if (!v || values.empty()) {
      pen_down = false;
      continue;
    }
    line_path += (line_path.empty() ? "" : " ") + std::string(pen_down ? "L" : "M") + svg_number(x_at(i)) + " " +
                 svg_number(scale.y(*v));
    pen_down = true;
  }
  if (!line_path.empty()) {
    s += "<path class=\"result\" d=\"" + line_path + "\" fill=\"none\" stroke=\"" + kLine +
         "\" stroke-width=\"2.5\" stroke-linejoin=\"round\"/>\n";
  }

  // Points, each with its rating as a shape and in words.
  std::optional<std::size_t> latest;
  std::array<bool, 4> rag_seen{};
  bool unrated = false;  // a point with a target and no rating
  for (std::size_t i = 0; i < n; ++i) {
    const SeriesPoint& p = input.points[i];
    if (!p.value || values.empty()) continue;
    latest = i;
    rag_seen[static_cast<std::size_t>(p.rag)] = true;
    unrated = unrated || (p.rag == Rag::kNone && p.target.has_value());
    std::string tip = p.period.label() + ": " + value_text(p.value, input.unit, input.decimals);
    if (p.target) tip += ", target " + value_text(p.target, input.unit, input.decimals) + ", " + point_rating_text(p);
    const std::optional<SpcKind> kind =
        input.spc ? std::optional(spc_point_kind(*input.spc, p.period)) : std::nullopt;
    if (kind) tip += "; " + std::string(spc_kind_text(*kind));
    s += "<g class=\"point\"><title>" + html_escape(tip) + "</title>" +
         (kind ? spc_marker(*kind, x_at(i), scale.y(*p.value)) : marker(p.rag, x_at(i), scale.y(*p.value))) +
         "</g>\n";
  }
  if (latest) {
    const SeriesPoint& p = input.points[*latest];
    double y = scale.y(*p.value);
    // Above the point, or below it when it sits at the top of the plot.
    double label_y = y - 12 < kTop + 4 ? y + 22 : y - 12;
    s += "<text class=\"latest\" x=\"" + svg_number(x_at(*latest)) + "\" y=\"" + svg_number(label_y) +
         "\" text-anchor=\"middle\" font-weight=\"700\" font-size=\"14\" fill=\"" + kInk +
         "\" stroke=\"#ffffff\" stroke-width=\"4\" paint-order=\"stroke\">" +
         html_escape(value_text(p.value, input.unit, input.decimals)) + "</text>\n";
  }
  if (values.empty()) {
    s += "<text x=\"" + svg_number((kLeft + kRight) / 2) + "\" y=\"" + svg_number((kTop + kBottom) / 2) +
         "\" text-anchor=\"middle\" fill=\"" + kMuted + "\">No data for these periods</text>\n";
  }

  // Legend.
  double lx = kLeft;
  const double ly = kChartHeight - 18;
  if (input.spc) return s + spc_legend_svg(*input.spc, lx, ly + 10, any_target) + "</svg>";
  s += "<g class=\"legend\" aria-hidden=\"true\">\n";
  s += "<line x1=\"" + svg_number(lx) + "\" y1=\"" + svg_number(ly - 4) + "\" x2=\"" + svg_number(lx + 24) + "\" y2=\"" + svg_number(ly - 4) +
       "\" stroke=\"" + kLine + "\" stroke-width=\"2.5\"/><text x=\"" + svg_number(lx + 30) + "\" y=\"" + svg_number(ly) +
       "\" fill=\"" + kInk + "\">Result</text>\n";
  lx += 90;
  if (any_target) {
    s += "<line x1=\"" + svg_number(lx) + "\" y1=\"" + svg_number(ly - 4) + "\" x2=\"" + svg_number(lx + 24) + "\" y2=\"" +
         svg_number(ly - 4) + "\" stroke=\"" + kInk + "\" stroke-width=\"2\" stroke-dasharray=\"7 4\"/><text x=\"" +
         svg_number(lx + 30) + "\" y=\"" + svg_number(ly) + "\" fill=\"" + kInk + "\">Target</text>\n";
    lx += 90;
  }
  constexpr std::array<Rag, 4> kOrder = {Rag::kGreen, Rag::kAmber, Rag::kRed, Rag::kNone};
  for (Rag rag : kOrder) {
    if (!rag_seen[static_cast<std::size_t>(rag)]) continue;
    s += marker(rag, lx + 6, ly - 4) + "<text x=\"" + svg_number(lx + 18) + "\" y=\"" + svg_number(ly) + "\" fill=\"" + kInk +
         "\">" + std::string(rag == Rag::kNone && unrated ? "Not rated" : rag_label(rag)) + "</text>\n";
    lx += rag == Rag::kNone ? 96 : 78;
  }
  s += "</g>\n";
  s += "</svg>";
  return s;
}

}  // namespace vitals::detail
