// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <vitals/catalogue.hpp>
#include <vitals/evaluation.hpp>
#include <vitals/export.hpp>
#include <vitals/indicator.hpp>
#include <vitals/period.hpp>

namespace vitals {

// ---------------------------------------------------------------------------
// The year-end summary: each vital sign placed in one of the groups the
// council's end-of-year report uses ("sustained good performance", "areas
// where we have improved", "areas where performance has worsened", "areas
// where performance remains challenging"), computed from the year's history
// of each indicator. The rules and the settings ([year_end] in
// catalogue.toml, YearEndSettings in catalogue.hpp) are described for
// officers in docs/year-end-summary.md.
// Thread safety: these functions share no state and may run concurrently.

/// Where an indicator stands at the end of the year. When several could
/// apply, the first in this order wins.
enum class YearEndGroup {
  kSustainedGood,      // on target at the year's end and in most of its periods
  kImproved,           // moved in the good direction by at least the threshold
  kWorsened,           // moved in the bad direction by at least the threshold
  kStillChallenging,   // off target at the year's end and in most of its periods
  kNoSignificantChange,  // none of the above
  kNotEnoughData,      // no value in the year, or nothing to compare it with
};
/// "sustained_good", "improved", "worsened", "still_challenging",
/// "no_significant_change" or "not_enough_data".
VITALS_API const char* year_end_group_name(YearEndGroup group);
/// The group's heading as reports print it: "Sustained good performance",
/// "Areas where performance has improved", "Areas where performance has
/// worsened", "Areas where performance remains challenging", "No
/// significant change", "Not enough data to judge the year".
VITALS_API const char* year_end_group_heading(YearEndGroup group);

/// One indicator's year.
struct YearEndEntry {
  std::string indicator_id;
  std::string title;
  Unit unit = Unit::kNumber;
  /// As IndicatorResult::decimals.
  std::optional<int> decimals;
  Polarity polarity = Polarity::kBiggerIsBetter;
  YearEndGroup group = YearEndGroup::kNotEnoughData;
  /// The value the year is compared from: the last period before the
  /// financial year (for a monthly indicator, March of the year before) or,
  /// when that has no value, the year's first value that is not its last.
  std::optional<Period> start_period;
  std::optional<double> start_value;
  /// The year's latest value (the year's end, or the latest available when
  /// data lags: "72.8% in December").
  std::optional<Period> end_period;
  std::optional<double> end_value;
  std::optional<double> end_target;  // in force at end_period; unset: no target
  /// The change from start to end in the measure's own terms: percentage
  /// points for a percentage, percent of the start value otherwise; positive
  /// when better (in the direction of the indicator's polarity). Unset when
  /// there is no start or end value, or the start value is 0 for a relative
  /// change.
  std::optional<double> change;
  bool change_in_points = false;  // true: `change` is in percentage points
  /// The year's periods with a value and a target, and how many of them were
  /// rated Green (on target).
  int periods_with_target = 0;
  int periods_on_target = 0;
  /// Why the indicator is in its group, in one plain-English sentence with
  /// the numbers, e.g. "from 1.5 (Mar 2016) to 3.56 (Mar 2017): 137%
  /// worse (the threshold is 1%)".
  std::string reason;
};

/// The year-end summary of an evaluation.
struct YearEndSummary {
  /// The financial year summarised: the one whose last month is the report's
  /// period's last month, or (a summary asked for during the year) the one
  /// that period falls in, so far.
  Period year;
  /// True when the report's period ends the financial year (ends in March).
  bool complete_year = false;
  YearEndSettings settings;
  /// Every indicator of the report, in report order.
  std::vector<YearEndEntry> entries;

  /// The entries in `group`, in report order.
  VITALS_API std::vector<const YearEndEntry*> in_group(YearEndGroup group) const;
};

/// True when `period` is the last period of a financial year: it ends in
/// March (the month 2017-03, the quarters 2017-Q1 and 2016/17-Q4, the
/// financial year 2016/17). Committee reports for such a period carry the
/// year-end summary.
VITALS_API bool ends_financial_year(const Period& period);

/// Places each indicator of `report` in a YearEndGroup from its history
/// (IndicatorResult::history: values, targets and ratings) over the financial
/// year of `report.period`, with `settings`. For each indicator:
///   1. not enough data: no value in the year, or no earlier value to
///      compare the year's latest with;
///   2. sustained good: a target, rated Green at the year's latest value and
///      in at least settings.sustained_pct percent of the year's periods that
///      have a value and a target;
///   3. improved: `change` (YearEndEntry) at least the threshold;
///   4. worsened: `change` at most minus the threshold;
///   5. still challenging: a target, not Green at the year's latest value,
///      and not Green in at least settings.sustained_pct percent of the
///      year's periods with a value and a target;
///   6. otherwise no significant change.
/// The threshold is settings.change_points for a percentage (Unit::kPercent)
/// and settings.change_pct (percent of the start value) otherwise; a change
/// exactly at the threshold counts. A start value of 0 with any other end
/// value counts as a change beyond the threshold for a relative change.
/// Never throws.
VITALS_API YearEndSummary summarise_year(const EvaluationReport& report,
                                         const YearEndSettings& settings);

}  // namespace vitals
