// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <compare>
#include <string>
#include <string_view>

#include <vitals/export.hpp>
#include <vitals/status.hpp>

namespace vitals {

/// How often an indicator is measured.
enum class Frequency {
  kMonthly,        // "2017-03"
  kQuarterly,      // "2017-Q1": calendar quarters, Q1 = January to March
  kAnnual,         // "2017": calendar year
  kFinancialYear,  // "2016/17": April 2016 to March 2017
  kFinancialQuarterly,  // "2017/18-Q1": financial quarters, Q1 = April to June
};

/// "monthly", "quarterly", "annual", "financial_year" or "financial_quarterly".
VITALS_API const char* frequency_name(Frequency frequency);
/// Parses a frequency_name(); kInvalidArgument for anything else.
VITALS_API Result<Frequency> parse_frequency(std::string_view text);

/// Where periods of `f` sort among periods that end in the same month:
/// shorter first, calendar before financial (a month, then the calendar
/// quarter, the financial quarter, the calendar year, the financial year).
constexpr int frequency_rank(Frequency f) {
  switch (f) {
    case Frequency::kMonthly: return 0;
    case Frequency::kQuarterly: return 1;
    case Frequency::kFinancialQuarterly: return 2;
    case Frequency::kAnnual: return 3;
    case Frequency::kFinancialYear: return 4;
  }
  return 0;
}

/// A reporting period: a month, a calendar quarter, a financial quarter, a
/// calendar year or a financial year. Periods are ordered by the month they
/// end in, then by frequency_rank() (a month sorts before the quarter that
/// ends with it; 2017-Q2 before 2017/18-Q1, which covers the same months).
/// Thread safety: a Period is an immutable value.
class VITALS_API Period {
 public:
  /// January of year 0, monthly. Only useful as a placeholder.
  Period() = default;

  /// Parses the canonical forms: "YYYY-MM", "YYYY-Qn", "YYYY", "YYYY/YY" and
  /// "YYYY/YY-Qn" (a financial year's second year must follow its first).
  /// Surrounding whitespace is not allowed. Returns kInvalidArgument naming
  /// the text and the accepted forms otherwise. Other ways of writing a
  /// period are read by parse_period_in_form() (period_form.hpp).
  static Result<Period> parse(std::string_view text);

  /// REQUIRES: 1 <= month <= 12.
  static Period month(int year, int month);
  /// REQUIRES: 1 <= quarter <= 4.
  static Period quarter(int year, int quarter);
  static Period calendar_year(int year);
  /// The financial year starting in April of `start_year`.
  static Period financial_year(int start_year);
  /// Quarter `quarter` of the financial year starting in April of
  /// `start_year`: financial_quarter(2017, 1) is April to June 2017.
  /// REQUIRES: 1 <= quarter <= 4.
  static Period financial_quarter(int start_year, int quarter);
  /// The period of frequency `f` whose last month is `last_month_index`.
  /// REQUIRES: a period of `f` ends in that month.
  static Period ending(Frequency f, int last_month_index);

  Frequency frequency() const { return frequency_; }
  /// Months since January of year 0 of the period's first and last month.
  int first_month_index() const { return end_month_ - length_in_months() + 1; }
  int last_month_index() const { return end_month_; }
  int length_in_months() const;

  /// The period of the same frequency `n` steps later (negative: earlier).
  Period shifted(int n) const;
  Period next() const { return shifted(1); }
  Period previous() const { return shifted(-1); }

  /// The latest period of frequency `f` that ends in or before the last month
  /// of this period: for 2017-05 and kQuarterly, 2017-Q1.
  Period latest_complete(Frequency f) const;

  /// Number of steps of this period's frequency from `earlier` to this one.
  /// REQUIRES: both have the same frequency.
  int steps_since(const Period& earlier) const;

  /// The canonical text, as parse() accepts it: "2017-03", "2017-Q1", "2017",
  /// "2016/17", "2017/18-Q1".
  std::string to_string() const;
  /// A label for people: "Mar 2017", "Q1 2017", "2017", "2016/17", "Q1 2017/18".
  std::string label() const;

  friend bool operator==(const Period&, const Period&) = default;
  friend std::strong_ordering operator<=>(const Period& a, const Period& b) {
    if (auto c = a.end_month_ <=> b.end_month_; c != 0) return c;
    return frequency_rank(a.frequency_) <=> frequency_rank(b.frequency_);
  }

 private:
  Period(Frequency frequency, int end_month) : frequency_(frequency), end_month_(end_month) {}

  Frequency frequency_ = Frequency::kMonthly;
  int end_month_ = 0;
};

}  // namespace vitals
