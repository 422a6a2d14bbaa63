// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <vitals/diagnostic.hpp>
#include <vitals/indicator.hpp>
#include <vitals/observation.hpp>
#include <vitals/period.hpp>

#include "store/derived_inputs.hpp"
#include "store/history_store.hpp"

#include <vector>

namespace vitals::detail {

/// A derived indicator's values, computed from its inputs' current
/// revisions: one observation per period (ascending), and for each the
/// input observations it was computed from.
struct DerivedValues {
  Series series;  // key: the indicator's id
  /// inputs[i]: where series.observations[i] came from.
  std::vector<std::vector<DerivedInputUse>> inputs;
};

/// The ONS mid-year estimate a period's rate uses: the calendar year of the
/// 30 June that falls in the financial year (April to March) in which the
/// period ends. March 2017, 2017-Q1 and 2016/17 use mid-2016; April 2017,
/// 2017/18-Q1 and the calendar year 2017 use mid-2017.
Period population_year(const Period& period);

/// Computes `indicator`'s values (REQUIRES: indicator.derived is set and
/// resolved) from `inputs`, the current revisions of each of its inputs in
/// DerivedDefinition::inputs order (ascending by period).
/// - percentage: 100 * numerator / denominator for every period either has,
///   keeping both as the observation's numerator and denominator;
/// - rate_per_100k: 100000 * count / population for every period of the
///   count, the population being population_year()'s; count and population
///   are kept as numerator and denominator;
/// - rolling_12_month_sum / _average: for every period from the first whose
///   12 months all lie within the input's periods, the sum (or mean) of the
///   input over those 12 months;
/// - year_to_date: for every period from the first financial year the input
///   covers from its April, the sum from April to the period.
/// A period whose inputs are missing, blank or a zero divisor, or whose window
/// has a gap, is an observation without a value, and one warning
/// ("data.derived_missing", at the derived table) lists such periods with
/// why; never 0. Input observations of another frequency than the one needed
/// are left out with an error ("data.frequency_mismatch"); an input with no
/// stored observations gets a warning ("data.derived_no_input").
DerivedValues compute_derived(const IndicatorDefinition& indicator,
                              const std::vector<std::vector<ObservationRevision>>& inputs,
                              std::vector<Diagnostic>& diagnostics);

}  // namespace vitals::detail
