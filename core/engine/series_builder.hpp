// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include <vitals/diagnostic.hpp>
#include <vitals/evaluation.hpp>
#include <vitals/indicator.hpp>
#include <vitals/observation.hpp>
#include <vitals/period.hpp>

#include "lua/rule_set.hpp"
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

/// The same, read from the columns the engine keeps in memory, with points
/// made when a rule first reads them: the rules usually read the latest few
/// points of a ten-year history, and making every point costs more than the
/// rules do. One per worker thread; rebuilt for each indicator, reusing its
/// buffers.
class LazySeries final : public PointSource {
 public:
  /// Rebuilds for `indicator` as of `period` from `columns` (null: nothing
  /// stored). Observations of another frequency than the indicator's are
  /// left out with an error diagnostic ("data.frequency_mismatch", with the
  /// period to write when a month ends a period of the indicator's
  /// frequency) and counted in skipped(): the run is then incomplete. `columns` and `indicator` must
  /// outlive the use of this object for that indicator.
  void build(const IndicatorDefinition& indicator, const SeriesColumns* columns,
             const Period& period, std::vector<Diagnostic>& diagnostics);

  std::size_t size() const override { return rows_.size(); }
  const SeriesPoint& at(std::size_t i) const override;

  const std::optional<SeriesPoint>& latest() const { return latest_; }
  DataState data_state() const { return data_state_; }
  const std::vector<SeriesPoint>& history() const { return history_; }
  /// Observations up to the period left out for their frequency.
  int skipped() const { return skipped_; }

 private:
  SeriesPoint make(std::size_t row) const;

  const IndicatorDefinition* indicator_ = nullptr;
  const SeriesColumns* columns_ = nullptr;
  std::vector<std::uint32_t> rows_;  // the column row of each point
  // Points made so far: made_[i] is current when stamps_[i] == stamp_.
  mutable std::vector<SeriesPoint> made_;
  mutable std::vector<std::uint32_t> stamps_;
  std::uint32_t stamp_ = 0;
  std::optional<SeriesPoint> latest_;
  DataState data_state_ = DataState::kNoData;
  std::vector<SeriesPoint> history_;
  int skipped_ = 0;
};

/// Builds the series of `indicator` for `period` from its stored
/// observations (ascending), with every point made: each point gets the
/// target in force for its period (the catalogue's target, else one
/// published with the data) and its assessment. Gives exactly what
/// LazySeries gives for the same observations.
IndicatorSeries build_series(const IndicatorDefinition& indicator,
                             const std::vector<Observation>& observations, const Period& period,
                             std::vector<Diagnostic>& diagnostics);

/// kCurrent when `latest` is no more than indicator.allowed_lag periods behind
/// the latest complete period of the indicator's frequency at `period`.
DataState data_state_for(const IndicatorDefinition& indicator, const Period& latest,
                         const Period& period);

}  // namespace vitals::detail
