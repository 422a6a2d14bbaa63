// SPDX-License-Identifier: Apache-2.0
#include "common/ascii_text.hpp"
#include "common/calendar.hpp"
#include "common/period_text.hpp"
#include "common/quoted_list.hpp"
#include "common/user_text.hpp"

#include <vitals/period_form.hpp>

#include <array>

namespace vitals {

using detail::quote_user_text;

const char* period_form_name(PeriodForm form) {
  switch (form) {
    case PeriodForm::kCanonical:
      return "canonical";
    case PeriodForm::kQuarterEndMonth:
      return "quarter_end_month";
    case PeriodForm::kCalendarQuarterEndMonth:
      return "calendar_quarter_end_month";
    case PeriodForm::kFinancialQuarterEndMonth:
      return "financial_quarter_end_month";
    case PeriodForm::kMonthName:
      return "month_name";
    case PeriodForm::kUkDate:
      return "uk_date";
    case PeriodForm::kFinancialQuarter:
      return "financial_quarter";
    case PeriodForm::kFinancialYear:
      return "financial_year";
  }
  return "canonical";
}

const std::vector<PeriodForm>& all_period_forms() {
  static const std::vector<PeriodForm> kForms = {PeriodForm::kCanonical,
                                                 PeriodForm::kQuarterEndMonth,
                                                 PeriodForm::kCalendarQuarterEndMonth,
                                                 PeriodForm::kFinancialQuarterEndMonth,
                                                 PeriodForm::kMonthName,
                                                 PeriodForm::kUkDate,
                                                 PeriodForm::kFinancialQuarter,
                                                 PeriodForm::kFinancialYear};
  return kForms;
}

Result<PeriodForm> parse_period_form(std::string_view text) {
  std::vector<std::string> names;
  for (PeriodForm f : all_period_forms()) {
    if (text == period_form_name(f)) return f;
    names.emplace_back(period_form_name(f));
  }
  return Status(StatusCode::kInvalidArgument, "unknown period form " + quote_user_text(text) +
                                                  ": expected " +
                                                  detail::quoted_alternatives(names));
}

std::optional<Frequency> period_form_frequency(PeriodForm form) {
  switch (form) {
    case PeriodForm::kCanonical:
    case PeriodForm::kQuarterEndMonth:
      return std::nullopt;
    case PeriodForm::kCalendarQuarterEndMonth:
      return Frequency::kQuarterly;
    case PeriodForm::kFinancialQuarterEndMonth:
    case PeriodForm::kFinancialQuarter:
      return Frequency::kFinancialQuarterly;
    case PeriodForm::kMonthName:
    case PeriodForm::kUkDate:
      return Frequency::kMonthly;
    case PeriodForm::kFinancialYear:
      return Frequency::kFinancialYear;
  }
  return std::nullopt;
}

namespace {

using detail::days_in_month;
using detail::parse_fixed_digits;

constexpr std::array<std::string_view, 12> kMonthNames = {
    "january", "february", "march",     "april",   "may",      "june",
    "july",    "august",   "september", "october", "november", "december"};

Status bad(std::string_view text, const std::string& why) {
  return Status(StatusCode::kInvalidArgument, quote_user_text(text) + " " + why);
}

// The text is in none of the shapes of `form`, nor canonical.
Status not_in_form(std::string_view text, PeriodForm form, std::string_view examples) {
  return bad(text, std::string("is not a period in the form ") + period_form_name(form) + " (" +
                       std::string(examples) + ") nor a canonical period (" +
                       std::string(detail::kCanonicalPeriodForms) + ")");
}

// 1-12 for an English month name: three letters, "sept" or in full, any case; else 0.
int month_number(std::string_view word) {
  if (word.size() < 3 || word.size() > 9) return 0;
  std::array<char, 9> low{};
  for (std::size_t i = 0; i < word.size(); ++i) low[i] = detail::ascii_lower(word[i]);
  const std::string_view w(low.data(), word.size());
  for (std::size_t m = 0; m < kMonthNames.size(); ++m) {
    const std::string_view name = kMonthNames[m];
    if (w == name || w == name.substr(0, 3) || (m == 8 && w == "sept")) {
      return static_cast<int>(m) + 1;
    }
  }
  return 0;
}

// "1" to "99" (one or two digits).
bool parse_small(std::string_view text, int& out) {
  return parse_fixed_digits(text, text.size(), out) && (text.size() == 1 || text.size() == 2);
}

// "YYYY-MM": sets year and month (not range-checked); false for any other shape.
bool year_month_shape(std::string_view text, int& year, int& month) {
  return text.size() == 7 && text[4] == '-' && parse_fixed_digits(text.substr(0, 4), 4, year) &&
         parse_fixed_digits(text.substr(5), 2, month);
}

enum class Shape { kNo, kYes, kBad };

// A financial year "2017/18", "2017-18", "2017/2018" or "2017-2018" (with
// `hyphen`); kBad with `why` set when the second year does not follow the first.
Shape financial_year_shape(std::string_view text, bool hyphen, int& start, std::string& why) {
  if (text.size() != 7 && text.size() != 9) return Shape::kNo;
  if (!(text[4] == '/' || (hyphen && text[4] == '-'))) return Shape::kNo;
  int second = 0;
  if (!parse_fixed_digits(text.substr(0, 4), 4, start) ||
      !parse_fixed_digits(text.substr(5), text.size() - 5, second)) {
    return Shape::kNo;
  }
  const int expected = text.size() == 7 ? (start + 1) % 100 : start + 1;
  if (second != expected) {
    why =
        "is not a financial year: its second year must be the year after " + std::to_string(start);
    return Shape::kBad;
  }
  return Shape::kYes;
}

Result<Period> quarter_end_month(std::string_view text, bool financial) {
  int year = 0;
  int month = 0;
  if (!year_month_shape(text, year, month)) {
    Result<Period> p = Period::parse(text);
    if (p.ok()) return p;
    return not_in_form(
        text,
        financial ? PeriodForm::kFinancialQuarterEndMonth : PeriodForm::kCalendarQuarterEndMonth,
        "YYYY-MM, the last month of the quarter, such as 2019-06");
  }
  if (month < 1 || month > 12 || month % 3 != 0) {
    return bad(text,
               "is not the last month of a quarter: quarter-end months are 03, 06, 09 and 12");
  }
  if (financial) return Period::ending(Frequency::kFinancialQuarterly, year * 12 + month - 1);
  return Period::quarter(year, month / 3);
}

Result<Period> month_name(std::string_view text) {
  const std::size_t sep = text.find_first_of("- ");
  if (sep != std::string_view::npos) {
    const int month = month_number(text.substr(0, sep));
    const std::string_view y = text.substr(sep + 1);
    int year = 0;
    if (month > 0 && (parse_fixed_digits(y, 2, year) || parse_fixed_digits(y, 4, year))) {
      if (y.size() == 2) year += 2000;
      return Period::month(year, month);
    }
  }
  if (Result<Period> p = Period::parse(text); p.ok()) return p;
  return not_in_form(text, PeriodForm::kMonthName, "such as Mar-17, Mar 2017 or March 2017");
}

Result<Period> uk_date(std::string_view text) {
  const std::size_t a = text.find('/');
  const std::size_t b = a == std::string_view::npos ? a : text.find('/', a + 1);
  int day = 0;
  int month = 0;
  int year = 0;
  if (b != std::string_view::npos && parse_small(text.substr(0, a), day) &&
      parse_small(text.substr(a + 1, b - a - 1), month) &&
      parse_fixed_digits(text.substr(b + 1), 4, year)) {
    if (month < 1 || month > 12)
      return bad(text, "is not a date: there is no month " + std::to_string(month));
    const Period p = Period::month(year, month);
    const int last = days_in_month(year, month);
    if (day < 1 || day > last) {
      return bad(text, "is not a date: " + p.label() + " has " + std::to_string(last) + " days");
    }
    if (day != 1 && day != last) {
      return bad(text, "is neither the first nor the last day of " + p.label() +
                           ", so it does not say which month it stands for");
    }
    return p;
  }
  if (Result<Period> p = Period::parse(text); p.ok()) return p;
  return not_in_form(text, PeriodForm::kUkDate, "DD/MM/YYYY, such as 01/03/2017 or 31/03/2017");
}

Result<Period> financial_quarter(std::string_view text) {
  // "Qn <year>" or "<year> Qn".
  const std::size_t space = text.find(' ');
  if (space != std::string_view::npos) {
    std::string_view q = text.substr(0, space);
    std::string_view fy = text.substr(space + 1);
    if (q.empty() || (q[0] != 'Q' && q[0] != 'q')) std::swap(q, fy);
    int start = 0;
    int n = 0;
    std::string why;
    const Shape shape = financial_year_shape(fy, true, start, why);
    if (shape != Shape::kNo && q.size() == 2 && (q[0] == 'Q' || q[0] == 'q') &&
        parse_fixed_digits(q.substr(1), 1, n)) {
      if (shape == Shape::kBad) return bad(text, why);
      if (n < 1 || n > 4) return bad(text, "is not a financial quarter: quarters are Q1 to Q4");
      return Period::financial_quarter(start, n);
    }
  }
  if (Result<Period> p = Period::parse(text); p.ok()) return p;
  return not_in_form(text, PeriodForm::kFinancialQuarter, "such as 2017/18 Q1 or Q1 2017/18");
}

Result<Period> financial_year(std::string_view text) {
  int start = 0;
  std::string why;
  switch (financial_year_shape(text, true, start, why)) {
    case Shape::kYes:
      return Period::financial_year(start);
    case Shape::kBad:
      return bad(text, why);
    case Shape::kNo:
      break;
  }
  if (Result<Period> p = Period::parse(text); p.ok()) return p;
  return not_in_form(text, PeriodForm::kFinancialYear,
                     "such as 2017/18, 2017-18, 2017/2018 or 2017-2018");
}

}  // namespace

Result<Period> parse_period_in_form(std::string_view text, PeriodForm form) {
  switch (form) {
    case PeriodForm::kCanonical:
      break;
    case PeriodForm::kQuarterEndMonth:
    case PeriodForm::kCalendarQuarterEndMonth:
      return quarter_end_month(text, false);
    case PeriodForm::kFinancialQuarterEndMonth:
      return quarter_end_month(text, true);
    case PeriodForm::kMonthName:
      return month_name(text);
    case PeriodForm::kUkDate:
      return uk_date(text);
    case PeriodForm::kFinancialQuarter:
      return financial_quarter(text);
    case PeriodForm::kFinancialYear:
      return financial_year(text);
  }
  Result<Period> p = Period::parse(text);
  if (p.ok()) return p;
  return bad(text, "is not a period; expected " + std::string(detail::kCanonicalPeriodForms));
}

}  // namespace vitals
