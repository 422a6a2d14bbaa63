// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include <vitals/comparators.hpp>
#include <vitals/diagnostic.hpp>
#include <vitals/export.hpp>
#include <vitals/indicator.hpp>
#include <vitals/lifecycle.hpp>
#include <vitals/period.hpp>
#include <vitals/records.hpp>

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

/// The evidence of a rule outcome: named values, sorted by key in byte order
/// (as std::string compares), each key at most once. The entries live in one
/// vector, so an outcome's evidence costs one allocation, iterates in key
/// order like a std::map and is looked up by binary search.
/// Iterators are read-only (a key cannot change its place); change values
/// through operator[], at() or insert_or_assign(). Inserting may invalidate
/// iterators and references, as for a std::vector.
/// Thread safety: a value type; concurrent const calls are safe.
class VITALS_API Evidence {
 public:
  using value_type = std::pair<std::string, EvidenceValue>;
  using const_iterator = std::vector<value_type>::const_iterator;
  using iterator = const_iterator;
  using size_type = std::size_t;

  Evidence() = default;
  /// The entries in any order; when a key appears more than once, the last
  /// one wins (as if each entry were assigned in turn).
  explicit Evidence(std::vector<value_type> entries);
  Evidence(std::initializer_list<value_type> entries);

  const_iterator begin() const { return entries_.begin(); }
  const_iterator end() const { return entries_.end(); }
  size_type size() const { return entries_.size(); }
  bool empty() const { return entries_.empty(); }
  void clear() { entries_.clear(); }
  void reserve(size_type n) { entries_.reserve(n); }

  /// The entry for `key`, or end().
  const_iterator find(std::string_view key) const;
  bool contains(std::string_view key) const { return find(key) != end(); }
  /// The value for `key`; throws std::out_of_range when there is none.
  const EvidenceValue& at(std::string_view key) const;
  EvidenceValue& at(std::string_view key);
  /// The value for `key`, first inserting `false` (a default EvidenceValue)
  /// in its sorted place when there is none.
  EvidenceValue& operator[](std::string_view key);
  /// Sets `key` to `value`. Returns the entry and true when it was inserted,
  /// false when an existing value was replaced. Appending keys in order is
  /// the fast case: no search, no moves.
  std::pair<const_iterator, bool> insert_or_assign(std::string key, EvidenceValue value);

  friend bool operator==(const Evidence&, const Evidence&) = default;

 private:
  // Index of the first entry whose key is not less than `key`.
  size_type lower_bound(std::string_view key) const;
  // Index of the entry for `key`, or size() when there is none.
  size_type index_of(std::string_view key) const;

  std::vector<value_type> entries_;  // sorted by key, unique keys
};

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
  /// How reports name the criterion, from the rule's `label` (e.g. "below
  /// the England average"); empty when the rule declares none.
  std::string label;
  Status status = Status::kOk;
  /// Plain English with the numbers, e.g. "3.56 against a target of 1.5:
  /// 137% worse than target (tolerance 5%)".
  std::string message;
  Evidence evidence;  // sorted by key
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
  /// The indicator's decimals (IndicatorDefinition::decimals); nullopt: the
  /// unit's default. Kept in the run history: a run read back shows its
  /// figures as the run did (runs stored before schema version 10 show the
  /// unit's default).
  std::optional<int> decimals;
  Frequency frequency = Frequency::kMonthly;
  DataState data_state = DataState::kNoData;
  /// The latest observation at or before the reporting period, assessed.
  std::optional<SeriesPoint> latest;
  /// The last kHistoryPeriods periods of the indicator's frequency, ending
  /// with the latest complete one at the reporting period, oldest first.
  /// Periods without data are points without a value (time lags show as gaps).
  std::vector<SeriesPoint> history;
  /// Every stored observation of the indicator's frequency up to its latest
  /// value at or before the reporting period, oldest first; filled only when
  /// EvaluateOptions::full_history is set (empty otherwise).
  std::vector<SeriesPoint> full_history;
  /// True when any rule returned kException.
  bool is_exception = false;
  /// Every rule's outcome, in rule id order.
  std::vector<RuleOutcome> outcomes;
  /// Why this indicator has no complete result in this run, one short phrase
  /// each ("source 'dashboard' failed", "rule 'off_target' failed"); empty
  /// when its source was read and every rule evaluated it. An indicator with
  /// any is shown as "no result", never rated.
  std::vector<std::string> incomplete;
  /// Where the exception stands across runs: new, continuing (since
  /// first_reported, periods_reported runs), accepted, or awaiting data.
  ExceptionLifecycle lifecycle;
  /// England, region, family group and peer figures for the indicator's
  /// measure, in their own period ([comparators] in catalogue.toml); unset
  /// when the catalogue gives none.
  std::optional<IndicatorComparators> comparators;

  /// The outcomes with Status::kException, in the order of the council's
  /// criteria (off_target, deterioration, budget_impact, risk_impact), then
  /// any other criterion by name, then by rule id.
  VITALS_API std::vector<const RuleOutcome*> reasons() const;
};

/// One reason a run is incomplete: something it could not read or evaluate.
struct IncompleteReason {
  enum class Kind {
    kSourceFailed,        // a source could not be read: nothing new was stored from it
    kRuleFailed,          // a rule failed to load, or failed for indicators it applies to
    kUnknownSeries,       // a source delivered a series no indicator reads, and an
                          // indicator of that source then has no data
    kNoDataForFrequency,  // an indicator's only observations are periods of another frequency
    kFrequencyMismatch,   // some observations are periods of another frequency (left out)
  };
  Kind kind = Kind::kSourceFailed;
  std::string source;   // the source's name (empty for kRuleFailed)
  std::string rule_id;  // the rule (kRuleFailed; empty when a rule file did not load)
  std::vector<std::string> indicators;  // the indicators affected, in catalogue order
  std::string message;  // one plain-English sentence for readers of the report

  friend bool operator==(const IncompleteReason&, const IncompleteReason&) = default;
};

/// "source_failed", "rule_failed", "unknown_series", "no_data_for_frequency"
/// or "frequency_mismatch".
VITALS_API const char* incomplete_kind_name(IncompleteReason::Kind kind);

/// The result of evaluating a catalogue for one reporting period.
struct EvaluationReport {
  Period period;
  std::string catalogue_name;
  std::string committee;
  std::int64_t run_id = 0;  // 0 when the run was not stored
  /// What the brackets after an exception's title name: the catalogue's
  /// [report] reasons. Only the brackets follow it; every reason is still
  /// listed on the card and in the JSON's "reasons".
  ReasonsShown reasons_shown = ReasonsShown::kAll;
  /// In the order reports list them: the catalogue's [report] order, then
  /// by id (Catalogue::in_report_order).
  std::vector<IndicatorResult> indicators;
  std::vector<Diagnostic> diagnostics;      // sorted, deduplicated
  /// Exceptions of the previous run that are no longer exceptions, by indicator id.
  std::vector<ResolvedException> resolved;
  /// What the run read (empty when the run was not stored).
  RunManifest manifest;
  /// Why the run is incomplete, empty when it is complete: a run is complete
  /// only when every source of the last ingest was read and every rule
  /// evaluated every indicator it applies to. Sources, then rules, then data
  /// problems, each in name order.
  std::vector<IncompleteReason> incomplete;
  /// The budget monitoring figures as at the period (empty when the catalogue
  /// has none): the committee report's "Finance monitoring" section.
  FinanceMonitoring finance;

  /// True when `incomplete` is empty. An incomplete report must say so where
  /// a reader cannot miss it (the renderers open with a banner).
  bool complete() const { return incomplete.empty(); }

  /// The indicators reported by exception, in indicator order.
  VITALS_API std::vector<const IndicatorResult*> exceptions() const;
  /// The indicators whose data is late for the period (DataState kStale or
  /// kNoData), in indicator order. Their performance is unknown: list them as
  /// late data, never as green. Indicators the run could not read or evaluate
  /// (IndicatorResult::incomplete) are not merely late and are left out.
  VITALS_API std::vector<const IndicatorResult*> late_data() const;
};

}  // namespace vitals
