// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include <vitals/export.hpp>
#include <vitals/indicator.hpp>
#include <vitals/period.hpp>
#include <vitals/source_location.hpp>

namespace vitals {

/// A field of a record: a number or text.
using RecordValue = std::variant<double, std::string>;

/// An entry a source delivers besides time series: a budget line's
/// monitoring figures, a saving, or a risk of the register, for the period it
/// describes. Known kinds and their fields (amounts in pounds):
///
///   "budget_line"  title, parent, basis ("net" or "gross") (text); budget,
///                  forecast, variance (numbers; variance = forecast - budget
///                  when absent, positive = overspend); finance_period (a
///                  whole number 1-13, see FinancePeriod); previous_variance
///                  (number: the variance at the previous report, as the
///                  source prints it)
///   "saving"       name, budget_line (the line's id), rag ("red", "amber",
///                  "green", or "red_or_amber" where the source groups savings
///                  not or only partly achieved without saying which) (text);
///                  planned, forecast (numbers)
///   "risk"         title, description, target_date, prospects ("green",
///                  "amber", "red"), owner (text); original_likelihood,
///                  original_impact, current_likelihood, current_impact,
///                  target_likelihood, target_impact (whole numbers 1-5);
///                  and, as the register prints them, level ("corporate",
///                  "departmental", or C or D), area, date_entered,
///                  mitigation, progress, reviewed_by, last_review,
///                  next_review (text)
///   "series_metadata"  title, polarity, unit (text): what a data file says
///                  about the series `key` (e.g. its title column); checked
///                  against the catalogue's indicator ("data.metadata_mismatch"
///                  warning where they disagree) and never stored
///
/// Records of other kinds are stored but not used.
struct Record {
  std::string kind;
  std::string key;  // the id the catalogue links to
  Period period;    // the period the record describes
  std::map<std::string, RecordValue> fields;
  /// Where the record was read (for messages only; not stored).
  std::optional<SourceLocation> location;
};

inline constexpr std::string_view kBudgetLineRecord = "budget_line";
inline constexpr std::string_view kSavingRecord = "saving";
inline constexpr std::string_view kRiskRecord = "risk";
inline constexpr std::string_view kSeriesMetadataRecord = "series_metadata";

/// A saving planned against a budget line (amounts in pounds, positive).
struct Saving {
  std::string id;
  std::string name;
  std::string budget_line;  // the id of the line it belongs to
  std::optional<double> planned;
  std::optional<double> forecast;  // forecast (or delivered) amount
  Rag rag = Rag::kNone;            // Red or Amber: not, or only partly, achieved
  /// True when the source groups the saving as "Red or Amber" without saying
  /// which (`rag` is then kAmber, the least it can be).
  bool red_or_amber = false;
};

/// The monitoring periods of a financial year (April to March): P1 is April,
/// P12 March, and P13 the year-end position, March's figures after the
/// adjustments made in April. Returns the calendar month (1-12) a period's
/// snapshot is filed under, or 0 when `finance_period` is not 1 to 13.
VITALS_API int finance_period_month(int finance_period);
/// "P10", "P13"; "" when `finance_period` is not 1 to 13.
VITALS_API std::string finance_period_name(int finance_period);

/// What a budget line's figures count: net of income (the budget the council
/// monitors) or gross spend before income, whose variance is not an overspend
/// of the net budget.
enum class BudgetBasis { kNet, kGross };
/// "net" or "gross".
VITALS_API const char* budget_basis_name(BudgetBasis basis);

/// A budget line's monitoring figures for one period (amounts in pounds).
struct BudgetLine {
  std::string id;
  std::string title;
  std::string parent;  // the line it sits under, as the source names it
  Period period;
  /// The monitoring period (1-13) of the snapshot; nullopt when not given.
  std::optional<int> finance_period;
  BudgetBasis basis = BudgetBasis::kNet;
  std::optional<double> budget;
  std::optional<double> forecast;  // forecast outturn
  std::optional<double> variance;  // forecast - budget: positive = overspend
  /// variance / |budget| * 100; nullopt when the budget is zero or unknown.
  std::optional<double> variance_pct;
  /// The variance at the previous report: the line's variance in the previous
  /// snapshot in the store (previous_period set), else as the source prints
  /// it (previous_variance field); nullopt when neither gives it.
  std::optional<double> previous_variance;
  std::optional<Period> previous_period;
  std::optional<int> previous_finance_period;
  std::vector<Saving> savings;  // sorted by id
};

/// The budget monitoring of one snapshot, as a committee report prints it
/// (docs/budget-risks-lifecycle.md, "Finance monitoring").
struct FinanceMonitoring {
  /// The reporting period the snapshot is filed under; nullopt: no budget
  /// figures as at the report's period (the other fields are then empty).
  std::optional<Period> period;
  std::optional<int> finance_period;
  /// The previous snapshot in the store, when there is one.
  std::optional<Period> previous_period;
  std::optional<int> previous_finance_period;
  /// Every line, each line's children after it (a line without a parent
  /// first, then its children in title order, depth first); savings attached.
  std::vector<BudgetLine> lines;
  /// Every saving of the snapshot, in id order.
  std::vector<Saving> savings;
};

/// A risk's likelihood and impact, each scored 1 to 5.
struct RiskScore {
  int likelihood = 0;
  int impact = 0;
  /// likelihood x impact, 1 to 25.
  int score() const { return likelihood * impact; }
  friend bool operator==(const RiskScore&, const RiskScore&) = default;
};

/// The council's bands of a risk score.
enum class RiskBand { kLow, kMedium, kHigh };
/// "low", "medium" or "high".
VITALS_API const char* risk_band_name(RiskBand band);
/// "Low", "Medium" or "High", as risk registers print them.
VITALS_API const char* risk_band_label(RiskBand band);
/// High 16-25, Medium 6-15, Low 1-5 (scores below 1 count as Low, above 25 as High).
VITALS_API RiskBand risk_band(int score);

/// Whether a risk is one of the council's corporate risks or the
/// department's own (the register's "C" or "D").
enum class RiskLevel { kNotGiven, kCorporate, kDepartmental };
/// "corporate", "departmental" or "" (not given).
VITALS_API const char* risk_level_name(RiskLevel level);

/// One risk of a register, as it stood in `period`.
struct Risk {
  std::string id;
  std::string title;
  std::string description;
  std::string owner;
  Period period;
  std::optional<RiskScore> original;
  std::optional<RiskScore> current;
  std::optional<RiskScore> target;
  std::string target_date;  // as the register gives it, e.g. "2018-03-31"
  /// Prospects of meeting the target score by the target date: Green (on
  /// schedule), Amber (some tasks behind), Red (serious concerns); kNone when
  /// not given.
  Rag prospects = Rag::kNone;
  /// The current score in the previous register, when that register held the
  /// risk (set by the engine; not part of the record).
  std::optional<int> previous_score;
  /// The register's other columns, as it gives them ("" when not given).
  RiskLevel level = RiskLevel::kNotGiven;
  std::string area;          // the service area, e.g. "Finance"
  std::string date_entered;  // date entered on the register
  std::string mitigation;    // tasks to mitigate the risk
  std::string progress;      // progress update
  std::string reviewed_by;   // who last reviewed and/or updated it
  std::string last_review;   // date of that review
  std::string next_review;   // when the next review is due
};

}  // namespace vitals
