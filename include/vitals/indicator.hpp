// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include <vitals/export.hpp>
#include <vitals/period.hpp>
#include <vitals/source_location.hpp>

namespace vitals {

/// Which direction is good.
enum class Polarity { kBiggerIsBetter, kSmallerIsBetter };
/// "bigger" or "smaller" (as the catalogue spells them).
VITALS_API const char* polarity_name(Polarity polarity);

enum class Unit { kPercent, kPer100k, kCount, kCurrency, kNumber };
/// "percent", "per_100k", "count", "currency" or "number".
VITALS_API const char* unit_name(Unit unit);

/// The most decimals an indicator's figures are shown with.
inline constexpr int kMaxDecimals = 6;
/// How many decimals the figures of an indicator in `unit` are shown with
/// when the catalogue sets no `decimals`: 1 for "percent" ("2.0%") and
/// "per_100k" ("3.1"), 0 for "count" ("3,523") and "currency" ("£1,235"),
/// 2 for "number" ("0.75").
VITALS_API int default_decimals(Unit unit);
/// The decimals figures are shown with: `decimals` when set, else
/// default_decimals(unit).
VITALS_API int shown_decimals(Unit unit, const std::optional<int>& decimals);

/// Which reasons the brackets after an exception's title name
/// ([report] reasons in catalogue.toml): every criterion met, "(off target,
/// deteriorating)", or only the first in the council's criterion order,
/// "(off target)", as a committee that prints one reason does.
enum class ReasonsShown { kAll, kFirst };

/// Red / Amber / Green, or kNone when no target is set for the period.
enum class Rag { kNone, kGreen, kAmber, kRed };
/// "none", "green", "amber" or "red".
VITALS_API const char* rag_name(Rag rag);

/// When a result that misses its target turns Amber or Red. Variances are
/// percentages of the target, positive when worse than target.
struct Tolerance {
  /// Red when the adverse variance is at least this (the council's 5%).
  double red_variance_pct = 5.0;
  /// Green while the adverse variance is at most this; Amber above it.
  /// 0 means any miss is at least Amber.
  double amber_variance_pct = 0.0;
};

/// One step of a profiled target: `value` applies from `from` until the next step.
struct TargetStep {
  Period from;
  double value = 0.0;
};

/// The target an indicator is measured against: none, one fixed value, or a
/// profile that changes over the year.
struct Target {
  enum class Kind { kNone, kFixed, kProfiled };
  Kind kind = Kind::kNone;
  double fixed_value = 0.0;
  std::vector<TargetStep> profile;  // sorted by `from`, for kProfiled

  /// The target in force for `period`: the fixed value, the last profile step
  /// whose `from` is at or before `period`, or nullopt (no target, or the
  /// period is before the first step).
  VITALS_API std::optional<double> value_at(const Period& period) const;
};

/// How a result compares with its target.
struct Assessment {
  std::optional<double> target;
  /// (value - target) / |target| * 100, signed so that positive is worse than
  /// target; nullopt when there is no target or the target is zero.
  std::optional<double> variance_pct;
  Rag rag = Rag::kNone;
};

/// Rates `value` against `target`. With no target: Rag::kNone. With a zero
/// target (where a percentage is meaningless): Green when met, Red otherwise.
/// Variances within 1e-9 of a threshold count as on it, so "exactly 5%" is Red.
VITALS_API Assessment assess(double value, std::optional<double> target, Polarity polarity,
                             const Tolerance& tolerance);

/// A rule parameter set in the catalogue, e.g. `run = 3` for deterioration.
using ParamValue = std::variant<bool, std::int64_t, double, std::string>;
/// Parameters per rule id.
using RuleParams = std::map<std::string, std::map<std::string, ParamValue>>;

/// Where an indicator's observations come from: a source declared in the
/// catalogue and the series key within it (by default the indicator id).
struct SourceBinding {
  std::string source;
  std::string series;
};

/// How a derived indicator is computed from other series (docs/derived.md).
enum class DerivedOperation {
  kPercentage,          // 100 * numerator / denominator, both kept
  kRatePer100k,         // 100000 * count / population (ONS mid-year estimate)
  kRolling12MonthSum,   // the sum of the 12 months ending with the period
  kRolling12MonthAverage,  // their average
  kYearToDate,          // the sum from April (the financial year's start) to the period
};
/// "percentage", "rate_per_100k", "rolling_12_month_sum",
/// "rolling_12_month_average" or "year_to_date".
VITALS_API const char* derived_operation_name(DerivedOperation operation);

/// The source name under which the engine stores derived series (keyed by
/// the derived indicator's id). No catalogue source may have this name.
inline constexpr const char* kDerivedSourceName = "vitals:derived";

/// One input of a derived indicator: a stored series, named in the catalogue
/// either by an indicator's id (its series) or as "source/series".
struct DerivedInput {
  std::string role;          // "numerator", "denominator", "count", "population", "input"
  std::string reference;     // as written
  std::string indicator_id;  // set when `reference` names an indicator
  /// The series read, resolved by the catalogue loader (for a derived
  /// indicator: kDerivedSourceName and its id).
  SourceBinding series;
  SourceLocation location;   // of the reference
};

/// An indicator computed from other series ([indicator.derived]).
struct DerivedDefinition {
  DerivedOperation operation = DerivedOperation::kPercentage;
  /// In the operation's order: numerator, denominator; count, population;
  /// or the one input.
  std::vector<DerivedInput> inputs;
  /// Every catalogue source the value depends on, through derived inputs
  /// too (sorted, unique): when one fails, the indicator is incomplete.
  std::vector<std::string> sources;
  SourceLocation location;  // of the derived table
};

/// One stored observation a derived value was computed from (its provenance;
/// Engine::derived_inputs): the input's source, series and period, and the
/// time of the ingest that stored the revision used.
struct DerivedInputUse {
  std::string source;
  std::string series;
  Period period;
  std::int64_t ingested_at = 0;  // unix seconds

  friend bool operator==(const DerivedInputUse&, const DerivedInputUse&) = default;
};

/// How an indicator's state worsens a risk it is linked to: what in the risk
/// the indicator measures and when its state worsens the risk
/// (docs/indicator-format.md). A link without one is the weaker reading: the
/// risk counts whenever the indicator's performance is adverse.
struct RiskMechanism {
  /// What the indicator measures: the risk's cause, its consequence, or the
  /// progress of a task to mitigate it.
  enum class Measures { kCause, kConsequence, kMitigation };
  /// When the indicator's state worsens the risk: off target (rated Red),
  /// deteriorating (worse in each of the latest periods the rule counts), or
  /// at or beyond `threshold` in the adverse direction of its polarity.
  enum class When { kOffTarget, kDeteriorating, kThreshold };
  std::string risk_id;
  Measures measures = Measures::kCause;
  std::string quote;  // the words of the risk it measures, quoted from the register
  When when = When::kOffTarget;
  double threshold = 0.0;  // for kThreshold
  SourceLocation location;  // of the link's table
};
/// "cause", "consequence" or "mitigation".
VITALS_API const char* risk_measures_name(RiskMechanism::Measures measures);
/// "off_target", "deteriorating" or "threshold".
VITALS_API const char* risk_when_name(RiskMechanism::When when);

/// What the gap between an indicator and its target costs the budget line it
/// is charged to ([indicator.cost_driver], docs/budget-risks-lifecycle.md):
/// one unit of the measure, scaled from its rate to people by `population`
/// (for a rate per 100,000 or a percentage), costs `unit_cost` pounds for
/// each `per` left in the financial year. Without one, a link to a budget
/// line is the weaker reading.
struct CostDriver {
  /// The time a unit's cost is counted in; kOnce: a one-off cost.
  enum class Per { kWeek, kDay, kMonth, kOnce };
  std::string budget_line;  // one of the indicator's budget_lines
  double unit_cost = 0.0;   // pounds per unit per `per`
  Per per = Per::kWeek;
  /// The population the rate is per (e.g. people aged 65+); required for a
  /// rate per 100,000 or a percentage, unused otherwise.
  std::optional<double> population;
  std::string population_label;  // "aged 65+"; may be empty
  std::string unit_label;        // what one unit is: "admission", "delayed day"
  bool unit_cost_illustrative = false;   // not taken from the council's papers
  bool population_illustrative = false;  // likewise
  std::string source;       // where the figures come from, for the reader
  SourceLocation location;  // of the table
};
/// "week", "day", "month" or "once".
VITALS_API const char* cost_per_name(CostDriver::Per per);
/// How many `per` remain in the financial year (April to March) after the
/// last day of `period`: days or weeks (days / 7) to 31 March, whole months;
/// 1 for kOnce. 0 for a period ending in March.
VITALS_API double cost_periods_remaining(CostDriver::Per per, const Period& period);

/// One indicator ("vital sign") as the catalogue defines it.
struct IndicatorDefinition {
  std::string id;           // stable: [a-z0-9_.-]+
  std::string title;
  std::string description;  // "Why is this important?"
  Polarity polarity = Polarity::kBiggerIsBetter;
  Unit unit = Unit::kNumber;
  /// How many decimals its figures are shown with (0 to kMaxDecimals), as
  /// the catalogue's `decimals` sets it; nullopt: default_decimals(unit).
  std::optional<int> decimals;
  Frequency frequency = Frequency::kMonthly;
  Target target;
  Tolerance tolerance;
  /// Periods of lag allowed before data counts as late.
  int allowed_lag = 0;
  std::string lead_officer;  // accountable for performance
  std::string data_owner;    // collates the data
  std::vector<std::string> budget_lines;  // ids declared in the catalogue
  std::vector<std::string> risks;         // ids declared in the catalogue
  /// The mechanisms of the risk links that state one, in link order (each
  /// risk_id is in `risks`).
  std::vector<RiskMechanism> risk_mechanisms;
  /// What the gap to target costs a linked budget line; null: no cost driver
  /// (the weaker reading). Shared and immutable, as `derived`.
  std::shared_ptr<const CostDriver> cost_driver;
  /// Where its observations are stored. For a derived indicator:
  /// kDerivedSourceName and its id.
  SourceBinding source;
  /// Set for an indicator computed from other series instead of read.
  /// Shared and immutable, so that the indicators of a national catalogue
  /// that are not derived pay one pointer for it.
  std::shared_ptr<const DerivedDefinition> derived;
  RuleParams rule_params;  // catalogue defaults merged with this indicator's own
  SourceLocation location;  // where the definition starts
};

}  // namespace vitals
