// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include <vitals/diagnostic.hpp>
#include <vitals/indicator.hpp>
#include <vitals/lifecycle.hpp>
#include <vitals/period.hpp>

namespace vitals {

/// A point of an indicator's series as rules see it: the observation with the
/// target in force for its period and its assessment against that target.
struct SeriesPoint {
  Period period;
  std::optional<double> value;
  std::optional<double> numerator;
  std::optional<double> denominator;
  std::optional<double> target;
  std::optional<double> variance_pct;  // positive = worse than target
  Rag rag = Rag::kNone;
};

/// A value a rule put in its `evidence` table.
using EvidenceValue = std::variant<bool, double, std::string>;

/// What one rule concluded for one indicator.
struct RuleOutcome {
  enum class Status {
    kException,         // the rule's criterion is met: report by exception
    kOk,                // checked; criterion not met
    kInsufficientData,  // not enough data to decide
    kNotApplicable,     // the rule's applies_to() excluded the indicator
    kError,             // the rule failed; see the run's diagnostics
  };
  std::string rule_id;
  std::string criterion;  // e.g. "off_target", "deterioration"
  Status status = Status::kOk;
  /// Plain English with the numbers, e.g. "3.56 against a target of 1.5:
  /// 137% worse than target (tolerance 5%)".
  std::string message;
  std::map<std::string, EvidenceValue> evidence;  // sorted by key
};

/// "exception", "ok", "insufficient_data", "not_applicable" or "error".
VITALS_API const char* outcome_status_name(RuleOutcome::Status status);

/// Whether an indicator's data is up to date for the reporting period.
enum class DataState {
  kCurrent,  // an observation for the reporting period (or within allowed lag)
  kStale,    // the latest observation is older than the period allows
  kNoData,   // no observation at or before the reporting period
};
/// "current", "stale" or "no_data".
VITALS_API const char* data_state_name(DataState state);

/// How many periods dashboards and report cards show: a rolling year plus the
/// same period a year earlier.
inline constexpr int kHistoryPeriods = 13;

/// The evaluation of one indicator for one reporting period.
struct IndicatorResult {
  std::string indicator_id;
  std::string title;
  Polarity polarity = Polarity::kBiggerIsBetter;
  Unit unit = Unit::kNumber;
  Frequency frequency = Frequency::kMonthly;
  DataState data_state = DataState::kNoData;
  /// The latest observation at or before the reporting period, assessed.
  std::optional<SeriesPoint> latest;
  /// The last kHistoryPeriods periods of the indicator's frequency, ending
  /// with the latest complete one at the reporting period, oldest first.
  /// Periods without data are points without a value (time lags show as gaps).
  std::vector<SeriesPoint> history;
  /// True when any rule returned kException.
  bool is_exception = false;
  /// Every rule's outcome, in rule id order.
  std::vector<RuleOutcome> outcomes;
  /// Where the exception stands across runs: new, continuing (since
  /// first_reported, periods_reported runs), accepted, or awaiting data.
  ExceptionLifecycle lifecycle;

  /// The outcomes with Status::kException, in the order of the council's
  /// criteria (off_target, deterioration, budget_impact, risk_impact), then
  /// any other criterion by name, then by rule id.
  VITALS_API std::vector<const RuleOutcome*> reasons() const;
};

/// The result of evaluating a catalogue for one reporting period.
struct EvaluationReport {
  Period period;
  std::string catalogue_name;
  std::string committee;
  std::int64_t run_id = 0;  // 0 when the run was not stored
  std::vector<IndicatorResult> indicators;  // catalogue order (by id)
  std::vector<Diagnostic> diagnostics;      // sorted, deduplicated
  /// Exceptions of the previous run that are no longer exceptions, by indicator id.
  std::vector<ResolvedException> resolved;
  /// What the run read (empty when the run was not stored).
  RunManifest manifest;

  /// The indicators reported by exception, in indicator order.
  VITALS_API std::vector<const IndicatorResult*> exceptions() const;
  /// The indicators whose data is late for the period (DataState kStale or
  /// kNoData), in indicator order. Their performance is unknown: list them as
  /// late data, never as green.
  VITALS_API std::vector<const IndicatorResult*> late_data() const;
};

}  // namespace vitals
