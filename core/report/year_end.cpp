// SPDX-License-Identifier: Apache-2.0
#include <vitals/year_end.hpp>

#include <cmath>
#include <limits>

#include "common/number_format.hpp"
#include "report/presentation.hpp"

namespace vitals {

namespace {

// Shares and changes within this of a threshold count as on it, so that
// "exactly 1%" computed in floating point still counts.
constexpr double kEpsilon = 1e-9;

struct YearBounds {
  Period year;
  int first_month = 0;
  int last_month = 0;
};

YearBounds financial_year_of(const Period& period) {
  const int last = period.last_month_index();
  const int year = last / 12;
  const int start_year = last % 12 >= 3 ? year : year - 1;  // April starts the year
  YearBounds b;
  b.year = Period::financial_year(start_year);
  b.first_month = b.year.first_month_index();
  b.last_month = b.year.last_month_index();
  return b;
}

std::string change_text(double change, bool points) {
  const double size = std::fabs(change);
  if (size < kEpsilon) return "no change";
  // Two decimals below 10 so that a change just short of a threshold does
  // not read as the threshold ("0.99%", not "1%").
  const std::string number = detail::format_number(size, size >= 10 && !points ? 0 : 2);
  const std::string text =
      points ? number + " percentage point" + (number == "1" ? "" : "s") : number + "%";
  return text + (change > 0 ? " better" : " worse");
}

std::string threshold_text(double threshold, bool points) {
  return points ? detail::format_number(threshold, 2) + " percentage point" +
                      (detail::format_number(threshold, 2) == "1" ? "" : "s")
                : detail::format_number(threshold, 2) + "%";
}

std::string at_text(const std::optional<double>& value, Unit unit,
                    const std::optional<int>& decimals, const Period& period) {
  return detail::value_text(value, unit, decimals) + " (" + period.label() + ")";
}

YearEndEntry summarise_indicator(const IndicatorResult& r, const YearBounds& bounds,
                                 const YearEndSettings& settings) {
  YearEndEntry e;
  e.indicator_id = r.indicator_id;
  e.title = r.title;
  e.unit = r.unit;
  e.decimals = r.decimals;
  e.polarity = r.polarity;
  e.change_in_points = r.unit == Unit::kPercent;

  const SeriesPoint* before = nullptr;  // the last point before the year
  std::vector<const SeriesPoint*> year;  // the year's points with a value
  for (const SeriesPoint& p : r.history) {
    const int last = p.period.last_month_index();
    if (last < bounds.first_month) {
      before = &p;
    } else if (last <= bounds.last_month && p.value) {
      year.push_back(&p);
    }
  }
  if (year.empty()) {
    e.reason = "no value in " + bounds.year.label();
    return e;
  }
  const SeriesPoint& end = *year.back();
  e.end_period = end.period;
  e.end_value = end.value;
  e.end_target = end.target;

  const SeriesPoint* start = nullptr;
  if (before != nullptr && before->value) {
    start = before;
  } else if (year.size() > 1) {
    start = year.front();
  }
  for (const SeriesPoint* p : year) {
    if (!p->target || p->rag == Rag::kNone) continue;
    ++e.periods_with_target;
    if (p->rag == Rag::kGreen) ++e.periods_on_target;
  }
  if (start == nullptr) {
    e.reason = "only one value in " + bounds.year.label() + ", " +
               at_text(end.value, r.unit, r.decimals, end.period) + ", and none before it to compare with";
    return e;
  }
  e.start_period = start->period;
  e.start_value = start->value;

  const double sign = r.polarity == Polarity::kBiggerIsBetter ? 1.0 : -1.0;
  const double threshold = e.change_in_points ? settings.change_points : settings.change_pct;
  double change = 0.0;
  if (e.change_in_points) {
    change = (*end.value - *start->value) * sign;
    e.change = change;
  } else if (*start->value != 0.0) {
    change = (*end.value - *start->value) / std::fabs(*start->value) * 100.0 * sign;
    e.change = change;
  } else if (*end.value != 0.0) {
    change = std::copysign(std::numeric_limits<double>::infinity(), (*end.value) * sign);
  }

  const bool has_target = end.target.has_value() && end.rag != Rag::kNone;
  const int with = e.periods_with_target;
  const int on = e.periods_on_target;
  auto share_at_least = [&](int count) {
    return with > 0 && count * 100.0 + kEpsilon >= settings.sustained_pct * with;
  };
  auto count_text = [&](int count, const char* state) {
    return std::string(state) + " in " + std::to_string(count) + " of the year's " +
           std::to_string(with) + " periods with a target";
  };
  const std::string against = detail::value_text(end.value, r.unit, r.decimals) + " against a target of " +
                              detail::value_text(end.target, r.unit, r.decimals);
  std::string movement = "from " + at_text(start->value, r.unit, r.decimals, start->period) + " to " +
                         at_text(end.value, r.unit, r.decimals, end.period) + ": ";
  if (std::isinf(change)) {
    movement += std::string(change > 0 ? "better" : "worse") + " than a start of 0";
  } else {
    movement += change_text(change, e.change_in_points);
  }
  const bool beyond = std::fabs(change) + kEpsilon >= threshold && std::fabs(change) > 0.0;
  const std::string versus = (beyond ? " (the threshold is " : ", within the threshold of ") +
                             threshold_text(threshold, e.change_in_points) +
                             (beyond ? ")" : "");

  if (has_target && end.rag == Rag::kGreen && share_at_least(on)) {
    e.group = YearEndGroup::kSustainedGood;
    e.reason = "on target at " + end.period.label() + " (" + against + ") and " +
               count_text(on, "on target");
  } else if (beyond && change > 0) {
    e.group = YearEndGroup::kImproved;
    e.reason = movement + versus;
  } else if (beyond && change < 0) {
    e.group = YearEndGroup::kWorsened;
    e.reason = movement + versus;
  } else if (has_target && end.rag != Rag::kGreen && share_at_least(with - on)) {
    e.group = YearEndGroup::kStillChallenging;
    e.reason = "off target at " + end.period.label() + " (" + against + ") and " +
               count_text(with - on, "off target") + "; " + movement + versus;
  } else {
    e.group = YearEndGroup::kNoSignificantChange;
    e.reason = movement + versus;
  }
  return e;
}

}  // namespace

const char* year_end_group_name(YearEndGroup group) {
  switch (group) {
    case YearEndGroup::kSustainedGood: return "sustained_good";
    case YearEndGroup::kImproved: return "improved";
    case YearEndGroup::kWorsened: return "worsened";
    case YearEndGroup::kStillChallenging: return "still_challenging";
    case YearEndGroup::kNoSignificantChange: return "no_significant_change";
    case YearEndGroup::kNotEnoughData: return "not_enough_data";
  }
  return "not_enough_data";
}

const char* year_end_group_heading(YearEndGroup group) {
  switch (group) {
    case YearEndGroup::kSustainedGood: return "Sustained good performance";
    case YearEndGroup::kImproved: return "Areas where performance has improved";
    case YearEndGroup::kWorsened: return "Areas where performance has worsened";
    case YearEndGroup::kStillChallenging: return "Areas where performance remains challenging";
    case YearEndGroup::kNoSignificantChange: return "No significant change";
    case YearEndGroup::kNotEnoughData: return "Not enough data to judge the year";
  }
  return "";
}

std::vector<const YearEndEntry*> YearEndSummary::in_group(YearEndGroup group) const {
  std::vector<const YearEndEntry*> out;
  for (const YearEndEntry& e : entries) {
    if (e.group == group) out.push_back(&e);
  }
  return out;
}

bool ends_financial_year(const Period& period) { return period.last_month_index() % 12 == 2; }

YearEndSummary summarise_year(const EvaluationReport& report, const YearEndSettings& settings) {
  YearEndSummary summary;
  const YearBounds bounds = financial_year_of(report.period);
  summary.year = bounds.year;
  summary.complete_year = ends_financial_year(report.period);
  summary.settings = settings;
  summary.entries.reserve(report.indicators.size());
  for (const IndicatorResult& r : report.indicators) {
    summary.entries.push_back(summarise_indicator(r, bounds, settings));
  }
  return summary;
}

}  // namespace vitals
