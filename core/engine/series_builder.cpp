// SPDX-License-Identifier: Apache-2.0
#include "engine/series_builder.hpp"

#include <limits>

namespace vitals::detail {

DataState data_state_for(const IndicatorDefinition& indicator, const Period& latest,
                         const Period& period) {
  Period expected = period.latest_complete(indicator.frequency);
  return expected.steps_since(latest) <= indicator.allowed_lag ? DataState::kCurrent
                                                               : DataState::kStale;
}

namespace {

// Target::value_at for ascending periods of one frequency in O(1) amortised:
// the profile step in force only moves forward as the periods do.
class TargetCursor {
 public:
  explicit TargetCursor(const Target& target) : target_(target) {}
  std::optional<double> at(const Period& period) {
    if (target_.kind != Target::Kind::kProfiled) return target_.value_at(period);
    const int first = period.first_month_index();
    if (first < last_first_) return target_.value_at(period);  // not ascending: no shortcut
    last_first_ = first;
    const auto& steps = target_.profile;
    while (next_ < steps.size() && steps[next_].from.first_month_index() <= first) ++next_;
    if (next_ == 0) return std::nullopt;
    return steps[next_ - 1].value;
  }

 private:
  const Target& target_;
  std::size_t next_ = 0;
  int last_first_ = std::numeric_limits<int>::min();
};

void note_skipped(const IndicatorDefinition& indicator, int skipped, const Period& example,
                  std::vector<Diagnostic>& diagnostics) {
  Diagnostic d;
  d.severity = Severity::kWarning;
  d.code = "data.frequency_mismatch";
  d.indicator_id = indicator.id;
  d.message = std::to_string(skipped) + " observation(s) of '" + indicator.id + "' (e.g. " +
              example.to_string() + ") are not " + frequency_name(indicator.frequency) +
              " periods and were left out";
  d.location = indicator.location;
  diagnostics.push_back(std::move(d));
}

SeriesPoint make_point(const IndicatorDefinition& indicator, const Period& period,
                       std::optional<double> value, std::optional<double> numerator,
                       std::optional<double> denominator, std::optional<double> catalogue_target,
                       std::optional<double> data_target) {
  SeriesPoint p;
  p.period = period;
  p.value = value;
  p.numerator = numerator;
  p.denominator = denominator;
  p.target = catalogue_target ? catalogue_target : data_target;
  if (p.value) {
    Assessment a = assess(*p.value, p.target, indicator.polarity, indicator.tolerance);
    p.variance_pct = a.variance_pct;
    p.rag = a.rag;
  }
  return p;
}

// The history, latest and data state from out.points (ascending).
void finish(const IndicatorDefinition& indicator, const Period& period, IndicatorSeries& out) {
  out.history.clear();
  out.history.reserve(kHistoryPeriods);
  out.latest.reset();
  out.data_state = DataState::kNoData;
  Period last = period.latest_complete(indicator.frequency);
  Period first = last.shifted(-(kHistoryPeriods - 1));
  TargetCursor targets(indicator.target);
  auto point = out.points.begin();
  for (Period p = first; p <= last; p = p.next()) {
    while (point != out.points.end() && point->period < p) ++point;
    if (point != out.points.end() && point->period == p) {
      out.history.push_back(*point);
      targets.at(p);  // keep the cursor in step
    } else {
      SeriesPoint gap;
      gap.period = p;
      gap.target = targets.at(p);
      out.history.push_back(gap);
    }
  }

  while (!out.points.empty() && !out.points.back().value) out.points.pop_back();
  if (!out.points.empty()) {
    out.latest = out.points.back();
    out.data_state = data_state_for(indicator, out.latest->period, period);
  }
}

}  // namespace

IndicatorSeries build_series(const IndicatorDefinition& indicator,
                             const std::vector<Observation>& observations, const Period& period,
                             std::vector<Diagnostic>& diagnostics) {
  IndicatorSeries out;
  int skipped = 0;
  std::optional<Period> skipped_example;
  TargetCursor targets(indicator.target);
  for (const Observation& o : observations) {
    if (o.period.last_month_index() > period.last_month_index()) break;
    if (o.period.frequency() != indicator.frequency) {
      ++skipped;
      if (!skipped_example) skipped_example = o.period;
      continue;
    }
    out.points.push_back(make_point(indicator, o.period, o.value, o.numerator, o.denominator,
                                    targets.at(o.period), o.target));
  }
  if (skipped > 0) note_skipped(indicator, skipped, *skipped_example, diagnostics);
  finish(indicator, period, out);
  return out;
}

void build_series(const IndicatorDefinition& indicator, const SeriesColumns* columns,
                  const Period& period, std::vector<Diagnostic>& diagnostics,
                  IndicatorSeries& out) {
  out.points.clear();
  if (columns != nullptr) {
    int skipped = 0;
    std::optional<Period> skipped_example;
    TargetCursor targets(indicator.target);
    const std::int32_t end = pack_period(period) >> 2;
    out.points.reserve(columns->size());
    for (std::size_t i = 0; i < columns->size(); ++i) {
      const std::int32_t code = columns->periods[i];
      if ((code >> 2) > end) break;
      const Period p = unpack_period(code);
      if (p.frequency() != indicator.frequency) {
        ++skipped;
        if (!skipped_example) skipped_example = p;
        continue;
      }
      out.points.push_back(make_point(indicator, p, columns->value(i), columns->numerator(i),
                                      columns->denominator(i), targets.at(p), columns->target(i)));
    }
    if (skipped > 0) note_skipped(indicator, skipped, *skipped_example, diagnostics);
  }
  finish(indicator, period, out);
}

}  // namespace vitals::detail
