// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <vitals/export.hpp>
#include <vitals/period.hpp>
#include <vitals/status.hpp>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace vitals {

/// How a source writes its periods: a source's `period_form` setting in the
/// catalogue (docs/periods.md). Every form also reads the canonical texts
/// Period::parse() accepts, except where the form gives the same text another
/// meaning (noted below).
enum class PeriodForm {
  /// "canonical": only Period::parse()'s forms. The default.
  kCanonical,
  /// "quarter_end_month": "2019-06" is the quarter that ends in June 2019;
  /// calendar or financial as the indicators reading the source are
  /// quarterly or financial_quarterly (the catalogue resolves it to one of
  /// the next two; unresolved, it reads calendar quarters). YYYY-MM is never
  /// a month in this form.
  kQuarterEndMonth,
  /// "calendar_quarter_end_month": "2019-06" is 2019-Q2.
  kCalendarQuarterEndMonth,
  /// "financial_quarter_end_month": "2019-06" is 2019/20-Q1.
  kFinancialQuarterEndMonth,
  /// "month_name": "Mar-17", "Mar 2017", "March 2017", "MAR-2017" (month
  /// names in English, three letters or in full, any case; "Sept" too; a
  /// hyphen or one space; a two-digit year YY is 20YY).
  kMonthName,
  /// "uk_date": "01/03/2017" or "31/03/2017", day/month/year, is March 2017.
  /// The day must be the first or the last of its month: another day does
  /// not say which month's figure it is.
  kUkDate,
  /// "financial_quarter": "2017/18 Q1" or "Q1 2017/18" (also "2017-18 Q1",
  /// "Q1 2017-18"): April to June 2017.
  kFinancialQuarter,
  /// "financial_year": "2017/18", "2017-18", "2017/2018" or "2017-2018".
  /// "2011-12" is the financial year 2011/12 in this form, never December 2011.
  kFinancialYear,
};

/// The setting's text for `form`: "canonical", "quarter_end_month", ...
VITALS_API const char* period_form_name(PeriodForm form);
/// Every form, in the order the documentation lists them.
VITALS_API const std::vector<PeriodForm>& all_period_forms();
/// The form named `text`; kInvalidArgument for anything else.
VITALS_API Result<PeriodForm> parse_period_form(std::string_view text);

/// The frequency of the periods written in `form` (monthly for month_name and
/// uk_date), or nullopt for kCanonical and kQuarterEndMonth, which do not
/// decide it alone.
VITALS_API std::optional<Frequency> period_form_frequency(PeriodForm form);

/// Reads `text`, written in `form`. On failure, kInvalidArgument whose
/// message is a sentence about the text (quoted and escaped as diagnostics
/// show user text): "'31/02/2017' is not a date: February 2017 has 28 days".
/// Whitespace around the text is not allowed.
VITALS_API Result<Period> parse_period_in_form(std::string_view text, PeriodForm form);

}  // namespace vitals
