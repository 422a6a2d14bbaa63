// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <optional>
#include <vector>

#include <vitals/diagnostic.hpp>
#include <vitals/evaluation.hpp>
#include <vitals/indicator.hpp>
#include <vitals/observation.hpp>
#include <vitals/period.hpp>

#include "store/series_table.hpp"

namespace vitals::detail {

/// An indicator's history as of a reporting period, ready for the rules.
struct IndicatorSeries {
  /// Ascending; ends with the latest observation that has a value at or
  /// before the reporting period. Points without a value stay in as gaps.
  std::vector<SeriesPoint> points;
  std::optional<SeriesPoint> latest;
  DataState data_state = DataState::kNoData;
  /// kHistoryPeriods points ending with the latest complete period of the
  /// indicator's frequency at the reporting period; gaps have no value.
  std::vector<SeriesPoint> history;
};

/// Builds the series of `indicator` for `period` from its stored
/// observations (ascending). Each point gets the target in force for its
/// period (the catalogue's target, else one published with the data) and its
/// assessment. Observations of another frequency than the indicator's are
/// left out with a warning diagnostic.
IndicatorSeries build_series(const IndicatorDefinition& indicator,
                             const std::vector<Observation>& observations, const Period& period,
                             std::vector<Diagnostic>& diagnostics);

/// As above, from the columns the engine keeps in memory (null: nothing
/// stored), into `out`, whose buffers are reused. Gives exactly what the
/// other overload gives for the same observations.
void build_series(const IndicatorDefinition& indicator, const SeriesColumns* columns,
                  const Period& period, std::vector<Diagnostic>& diagnostics,
                  IndicatorSeries& out);

/// kCurrent when `latest` is no more than indicator.allowed_lag periods behind
/// the latest complete period of the indicator's frequency at `period`.
DataState data_state_for(const IndicatorDefinition& indicator, const Period& latest,
                         const Period& period);

}  // namespace vitals::detail
