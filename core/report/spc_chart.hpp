// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include <vitals/evaluation.hpp>
#include <vitals/indicator.hpp>
#include <vitals/period.hpp>

namespace vitals::detail {

/// What the SPC rule (rules/spc) concluded about an indicator's series, as
/// its evidence states it. The chart draws these numbers; it never computes
/// SPC itself.
struct SpcOverlay {
  double mean = 0;
  double upper = 0;
  double lower = 0;
  /// evidence.variation: "common_cause", "special_cause_concern" or
  /// "special_cause_improvement".
  std::string variation;
  /// evidence.assurance: "consistently_passing", "consistently_failing",
  /// "hit_or_miss" or "none".
  std::string assurance;
  bool trial = false;
  /// The period the analysis starts at after a rebase ("2016-10"), or "".
  std::string rebased_at;
  /// The periods the rule marked, space-separated ("2016-09 2016-10").
  std::string concern_points;
  std::string improvement_points;
  /// The latest result's target, when it has one.
  std::optional<double> target;
};

/// The overlay from the outcome of the rule "spc" among `outcomes`, or
/// nullopt when there is none or it set no limits (insufficient data, an
/// error, or evidence without the numbers).
std::optional<SpcOverlay> spc_overlay(const std::vector<RuleOutcome>& outcomes);

enum class SpcKind { kCommonCause, kConcern, kImprovement, kNotAnalysed };

/// How the overlay classes the point of `period`: marked concern or
/// improvement by the rule, common cause, or not analysed (before a rebase).
SpcKind spc_point_kind(const SpcOverlay& spc, const Period& period);

/// "special cause concern", "special cause improvement", "common cause" or
/// "before the rebase".
const char* spc_kind_text(SpcKind kind);

/// A point's marker coloured as Making Data Count does: orange for concern,
/// blue for improvement, grey for common cause (hollow before a rebase).
/// Special-cause markers are larger and outlined, so they stand out without
/// colour too.
std::string spc_marker(SpcKind kind, double x, double y);

/// The mean (solid) and process limits (dashed) from `x_from` to `x_to`,
/// with their values labelled at `label_x` and, when `target` is set, the
/// target's label among them, spread so no two labels overlap. `y` maps a
/// value to its SVG coordinate; `top` and `bottom` bound the labels.
std::string spc_lines_svg(const SpcOverlay& spc, double x_from, double x_to, double label_x, double top,
                          double bottom, const std::function<double(double)>& y, std::optional<double> target,
                          Unit unit, const std::optional<int>& decimals);

/// The chart's legend with SPC on, at baseline `y` from `x`: result, target
/// (when drawn), mean, process limits ("Trial process limits" when they are)
/// and the three point colours, on two rows.
std::string spc_legend_svg(const SpcOverlay& spc, double x, double y, bool any_target);

/// The sentences the chart's <desc> adds with SPC on: the mean and limits,
/// the special-cause points and the icons in words.
std::string spc_description(const SpcOverlay& spc, const std::vector<SeriesPoint>& points, Polarity polarity,
                            Unit unit, const std::optional<int>& decimals);

/// The Making Data Count variation and assurance icons as inline SVG, each
/// with role="img", a <title> and a <desc> saying what it means, and a short
/// visible caption; `id` makes the element ids unique in the page. No
/// assurance icon without a target.
std::string spc_icons_html(const SpcOverlay& spc, const std::string& id, Polarity polarity, Unit unit,
                           const std::optional<int>& decimals);

}  // namespace vitals::detail
