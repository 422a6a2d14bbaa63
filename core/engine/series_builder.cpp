// SPDX-License-Identifier: Apache-2.0
#include "engine/series_builder.hpp"

#include "store/observation_block.hpp"
#include "common/period_codes.hpp"

#include <algorithm>
#include <cmath>
#include <string>

namespace vitals::detail {

DataState data_state_for(const IndicatorDefinition& indicator, const Period& latest,
                         const Period& period) {
  Period expected = period.latest_complete(indicator.frequency);
  return expected.steps_since(latest) <= indicator.allowed_lag ? DataState::kCurrent
                                                               : DataState::kStale;
}

namespace {

// "; 2019-06 looks like the end month of 2019-Q2: write 2019-Q2, or give the
// source period_form = "quarter_end_month"" when `example` is the last month
// of a period of `frequency` (the form only for quarters), else "".
std::string period_hint(const Period& example, Frequency frequency) {
  if (example.frequency() != Frequency::kMonthly || frequency == Frequency::kMonthly) return "";
  const Period meant = example.latest_complete(frequency);
  if (meant.last_month_index() != example.last_month_index()) return "";
  const bool quarters = meant.length_in_months() == 3;
  return "; " + example.to_string() + " looks like the end month of " + meant.to_string() +
         ": write " + meant.to_string() +
         (quarters ? ", or give the source period_form = \"quarter_end_month\"" : "");
}

void note_skipped(const IndicatorDefinition& indicator, int skipped, const Period& example,
                  bool none_left, std::vector<Diagnostic>& diagnostics) {
  Diagnostic d = Diagnostic::make(
      Severity::kError, "data.frequency_mismatch",
      std::to_string(skipped) + " observation(s) of '" + indicator.id + "' (series '" +
          indicator.source.series + "' of source '" + indicator.source.source + "', e.g. " +
          example.to_string() + ") are " + frequency_name(example.frequency()) + " periods, but '" +
          indicator.id + "' is " + frequency_name(indicator.frequency) +
          "; they were left out" + (none_left ? ", so it has no data" : "") +
          period_hint(example, indicator.frequency),
      indicator.location);
  d.indicator_id = indicator.id;
  diagnostics.push_back(std::move(d));
}

// The columns of `observations` (ascending), as the store would hold them.
SeriesColumns columns_of(const std::vector<Observation>& observations) {
  std::vector<BlockPoint> points;
  points.reserve(observations.size());
  for (const Observation& o : observations) points.push_back(BlockPoint::of(o));
  return detail::columns_of(points);
}

}  // namespace

void LazySeries::build(const IndicatorDefinition& indicator, const SeriesColumns* columns,
                       const Period& period, std::vector<Diagnostic>& diagnostics) {
  indicator_ = &indicator;
  columns_ = columns;
  rows_.clear();
  latest_.reset();
  data_state_ = DataState::kNoData;
  history_.clear();
  skipped_ = 0;
  if (++stamp_ == 0) {  // wrapped: forget every stamp
    std::fill(stamps_.begin(), stamps_.end(), 0);
    stamp_ = 1;
  }

  if (columns != nullptr) {
    int skipped = 0;
    std::optional<Period> skipped_example;
    const int end = period.last_month_index();
    const Frequency frequency = indicator.frequency;
    const std::size_t n = columns->size();
    rows_.reserve(n);
    for (std::size_t i = 0; i < n; ++i) {
      const std::int32_t code = columns->periods[i];
      if (period_code_end(code) > end) break;
      if (period_code_frequency(code) != frequency) {
        ++skipped;
        if (!skipped_example) skipped_example = unpack_period(code);
        continue;
      }
      rows_.push_back(static_cast<std::uint32_t>(i));
    }
    skipped_ = skipped;
    if (skipped > 0) {
      note_skipped(indicator, skipped, *skipped_example, rows_.empty(), diagnostics);
    }
  }
  if (made_.size() < rows_.size()) {
    made_.resize(rows_.size());
    stamps_.resize(rows_.size(), 0);
  }

  // The history: kHistoryPeriods periods ending with the latest complete one.
  history_.reserve(kHistoryPeriods);
  const Period last = period.latest_complete(indicator.frequency);
  const Period first = last.shifted(-(kHistoryPeriods - 1));
  const std::int32_t first_code = pack_period(first);
  std::size_t i = static_cast<std::size_t>(
      std::lower_bound(rows_.begin(), rows_.end(), first_code,
                       [&](std::uint32_t row, std::int32_t code) {
                         return columns->periods[row] < code;
                       }) -
      rows_.begin());
  for (Period p = first; p <= last; p = p.next()) {
    if (i < rows_.size() && columns->periods[rows_[i]] == pack_period(p)) {
      history_.push_back(at(i));
      ++i;
    } else {
      SeriesPoint gap;
      gap.period = p;
      gap.target = indicator.target.value_at(p);
      history_.push_back(gap);
    }
  }

  // The series ends with its latest value: blanks after it are left out
  // (the history above shows them, with any target published with them).
  while (!rows_.empty() && std::isnan(columns->values[rows_.back()])) rows_.pop_back();
  if (!rows_.empty()) {
    latest_ = at(rows_.size() - 1);
    data_state_ = data_state_for(indicator, latest_->period, period);
  }
}

const SeriesPoint& LazySeries::at(std::size_t i) const {
  if (stamps_[i] != stamp_) {
    made_[i] = make(rows_[i]);
    stamps_[i] = stamp_;
  }
  return made_[i];
}

SeriesPoint LazySeries::make(std::size_t row) const {
  const IndicatorDefinition& indicator = *indicator_;
  const SeriesColumns& c = *columns_;
  SeriesPoint p;
  p.period = c.period(row);
  p.value = c.value(row);
  p.numerator = c.numerator(row);
  p.denominator = c.denominator(row);
  // The catalogue's target wins over one published with the data.
  p.target = indicator.target.value_at(p.period);
  if (!p.target) p.target = c.target(row);
  if (p.value) {
    Assessment a = assess(*p.value, p.target, indicator.polarity, indicator.tolerance);
    p.variance_pct = a.variance_pct;
    p.rag = a.rag;
  }
  return p;
}

IndicatorSeries build_series(const IndicatorDefinition& indicator,
                             const std::vector<Observation>& observations, const Period& period,
                             std::vector<Diagnostic>& diagnostics) {
  const SeriesColumns columns = columns_of(observations);
  LazySeries lazy;
  lazy.build(indicator, &columns, period, diagnostics);
  IndicatorSeries out;
  out.points.reserve(lazy.size());
  for (std::size_t i = 0; i < lazy.size(); ++i) out.points.push_back(lazy.at(i));
  out.latest = lazy.latest();
  out.data_state = lazy.data_state();
  out.history = lazy.history();
  return out;
}

}  // namespace vitals::detail
