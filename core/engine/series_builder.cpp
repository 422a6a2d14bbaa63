// SPDX-License-Identifier: Apache-2.0
#include "engine/series_builder.hpp"

namespace vitals::detail {

DataState data_state_for(const IndicatorDefinition& indicator, const Period& latest,
                         const Period& period) {
  Period expected = period.latest_complete(indicator.frequency);
  return expected.steps_since(latest) <= indicator.allowed_lag ? DataState::kCurrent
                                                               : DataState::kStale;
}

IndicatorSeries build_series(const IndicatorDefinition& indicator,
                             const std::vector<Observation>& observations, const Period& period,
                             std::vector<Diagnostic>& diagnostics) {
  IndicatorSeries out;
  int skipped = 0;
  std::optional<Period> skipped_example;
  for (const Observation& o : observations) {
    if (o.period.last_month_index() > period.last_month_index()) break;
    if (o.period.frequency() != indicator.frequency) {
      ++skipped;
      if (!skipped_example) skipped_example = o.period;
      continue;
    }
    SeriesPoint p;
    p.period = o.period;
    p.value = o.value;
    p.numerator = o.numerator;
    p.denominator = o.denominator;
    std::optional<double> target = indicator.target.value_at(o.period);
    p.target = target ? target : o.target;
    if (p.value) {
      Assessment a = assess(*p.value, p.target, indicator.polarity, indicator.tolerance);
      p.variance_pct = a.variance_pct;
      p.rag = a.rag;
    }
    out.points.push_back(p);
  }
  if (skipped > 0) {
    Diagnostic d;
    d.severity = Severity::kWarning;
    d.code = "data.frequency_mismatch";
    d.indicator_id = indicator.id;
    d.message = std::to_string(skipped) + " observation(s) of '" + indicator.id + "' (e.g. " +
                skipped_example->to_string() + ") are not " + frequency_name(indicator.frequency) +
                " periods and were left out";
    d.location = indicator.location;
    diagnostics.push_back(std::move(d));
  }
  Period last = period.latest_complete(indicator.frequency);
  Period first = last.shifted(-(kHistoryPeriods - 1));
  auto point = out.points.begin();
  for (Period p = first; p <= last; p = p.next()) {
    while (point != out.points.end() && point->period < p) ++point;
    if (point != out.points.end() && point->period == p) {
      out.history.push_back(*point);
    } else {
      SeriesPoint gap;
      gap.period = p;
      std::optional<double> target = indicator.target.value_at(p);
      gap.target = target;
      out.history.push_back(gap);
    }
  }

  while (!out.points.empty() && !out.points.back().value) out.points.pop_back();
  if (!out.points.empty()) {
    out.latest = out.points.back();
    out.data_state = data_state_for(indicator, out.latest->period, period);
  }
  return out;
}

}  // namespace vitals::detail
