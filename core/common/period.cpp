// SPDX-License-Identifier: Apache-2.0
#include <vitals/period.hpp>

#include "common/period_text.hpp"

#include <array>
#include <cassert>
#include <cstdio>

namespace vitals {

const char* frequency_name(Frequency frequency) {
  switch (frequency) {
    case Frequency::kMonthly: return "monthly";
    case Frequency::kQuarterly: return "quarterly";
    case Frequency::kAnnual: return "annual";
    case Frequency::kFinancialYear: return "financial_year";
    case Frequency::kFinancialQuarterly: return "financial_quarterly";
  }
  return "monthly";
}

Result<Frequency> parse_frequency(std::string_view text) {
  for (Frequency f : {Frequency::kMonthly, Frequency::kQuarterly, Frequency::kAnnual,
                      Frequency::kFinancialYear, Frequency::kFinancialQuarterly}) {
    if (text == frequency_name(f)) return f;
  }
  return Status(StatusCode::kInvalidArgument,
                "unknown frequency '" + std::string(text) +
                    "': expected monthly, quarterly, annual, financial_year or "
                    "financial_quarterly");
}

namespace {

using detail::kCanonicalPeriodForms;
constexpr auto parse_fixed = detail::parse_fixed_digits;

int floor_div(int a, int b) { return a / b - ((a % b != 0) && ((a < 0) != (b < 0))); }

}  // namespace

Result<Period> Period::parse(std::string_view text) {
  int year = 0;
  if (text.size() >= 4 && parse_fixed(text.substr(0, 4), 4, year)) {
    std::string_view rest = text.substr(4);
    int n = 0;
    if (rest.empty()) return calendar_year(year);
    if (rest.size() == 3 && rest[0] == '-' && parse_fixed(rest.substr(1), 2, n) && n >= 1 &&
        n <= 12) {
      return month(year, n);
    }
    if (rest.size() == 3 && rest[0] == '-' && rest[1] == 'Q' && parse_fixed(rest.substr(2), 1, n) &&
        n >= 1 && n <= 4) {
      return quarter(year, n);
    }
    if (rest.size() >= 3 && rest[0] == '/' && parse_fixed(rest.substr(1, 2), 2, n) &&
        n == (year + 1) % 100) {
      if (rest.size() == 3) return financial_year(year);
      int q = 0;
      if (rest.size() == 6 && rest.substr(3, 2) == "-Q" && parse_fixed(rest.substr(5), 1, q) &&
          q >= 1 && q <= 4) {
        return financial_quarter(year, q);
      }
    }
  }
  return Status(StatusCode::kInvalidArgument,
                "invalid period '" + std::string(text) + "': expected " +
                    std::string(kCanonicalPeriodForms));
}

Period Period::month(int year, int month) {
  assert(month >= 1 && month <= 12);
  return Period(Frequency::kMonthly, year * 12 + month - 1);
}

Period Period::quarter(int year, int quarter) {
  assert(quarter >= 1 && quarter <= 4);
  return Period(Frequency::kQuarterly, year * 12 + quarter * 3 - 1);
}

Period Period::calendar_year(int year) { return Period(Frequency::kAnnual, year * 12 + 11); }

Period Period::financial_year(int start_year) {
  return Period(Frequency::kFinancialYear, (start_year + 1) * 12 + 2);
}

Period Period::financial_quarter(int start_year, int quarter) {
  assert(quarter >= 1 && quarter <= 4);
  return Period(Frequency::kFinancialQuarterly, start_year * 12 + 2 + quarter * 3);
}

Period Period::ending(Frequency f, int last_month_index) {
  Period p(f, last_month_index);
  assert(p.latest_complete(f) == p);
  return p;
}

int Period::length_in_months() const {
  switch (frequency_) {
    case Frequency::kMonthly: return 1;
    case Frequency::kQuarterly:
    case Frequency::kFinancialQuarterly: return 3;
    case Frequency::kAnnual:
    case Frequency::kFinancialYear: return 12;
  }
  return 1;
}

Period Period::shifted(int n) const {
  return Period(frequency_, end_month_ + n * length_in_months());
}

Period Period::latest_complete(Frequency f) const {
  // The last month of a period of frequency f is congruent to `last` modulo its length.
  int length = 1;
  int last = 0;
  switch (f) {
    case Frequency::kMonthly: length = 1; last = 0; break;
    case Frequency::kQuarterly:
    case Frequency::kFinancialQuarterly: length = 3; last = 2; break;
    case Frequency::kAnnual: length = 12; last = 11; break;
    case Frequency::kFinancialYear: length = 12; last = 2; break;
  }
  int end = end_month_ - (((end_month_ - last) % length) + length) % length;
  return Period(f, end);
}

int Period::steps_since(const Period& earlier) const {
  assert(frequency_ == earlier.frequency_);
  return floor_div(end_month_ - earlier.end_month_, length_in_months());
}

namespace {

// The year a financial year starts in, from the year and month (1-12) of one of its months.
int financial_start_year(int year, int month) { return month >= 4 ? year : year - 1; }

// The financial quarter (1-4) that month (1-12) is in: April to June is 1.
int financial_quarter_number(int month) { return (month + 8) % 12 / 3 + 1; }

// Writes `value` as `width` digits (zero-padded) at `out`; returns the end.
char* put_digits(char* out, int value, int width) {
  for (int i = width - 1; i >= 0; --i) {
    out[i] = static_cast<char>('0' + value % 10);
    value /= 10;
  }
  return out + width;
}

}  // namespace

std::string Period::to_string() const {
  int year = floor_div(end_month_, 12);
  int month = end_month_ - year * 12 + 1;
  if (year < 1 || year > 9999) {  // years of other than four digits: the general path
    std::array<char, 32> buf{};
    switch (frequency_) {
      case Frequency::kMonthly: std::snprintf(buf.data(), buf.size(), "%04d-%02d", year, month); break;
      case Frequency::kQuarterly:
        std::snprintf(buf.data(), buf.size(), "%04d-Q%d", year, month / 3);
        break;
      case Frequency::kAnnual: std::snprintf(buf.data(), buf.size(), "%04d", year); break;
      case Frequency::kFinancialYear:
        std::snprintf(buf.data(), buf.size(), "%04d/%02d", year - 1, year % 100);
        break;
      case Frequency::kFinancialQuarterly: {
        const int start = financial_start_year(year, month);
        std::snprintf(buf.data(), buf.size(), "%04d/%02d-Q%d", start, (start + 1) % 100,
                      financial_quarter_number(month));
        break;
      }
    }
    return buf.data();
  }
  std::array<char, 16> buf;
  int first_year = year;
  if (frequency_ == Frequency::kFinancialYear) first_year = year - 1;
  if (frequency_ == Frequency::kFinancialQuarterly) first_year = financial_start_year(year, month);
  char* end = put_digits(buf.data(), first_year, 4);
  switch (frequency_) {
    case Frequency::kMonthly:
      *end++ = '-';
      end = put_digits(end, month, 2);
      break;
    case Frequency::kQuarterly:
      *end++ = '-';
      *end++ = 'Q';
      end = put_digits(end, month / 3, 1);
      break;
    case Frequency::kAnnual: break;
    case Frequency::kFinancialYear:
      *end++ = '/';
      end = put_digits(end, year % 100, 2);
      break;
    case Frequency::kFinancialQuarterly:
      *end++ = '/';
      end = put_digits(end, (first_year + 1) % 100, 2);
      *end++ = '-';
      *end++ = 'Q';
      end = put_digits(end, financial_quarter_number(month), 1);
      break;
  }
  return std::string(buf.data(), end);
}

std::string Period::label() const {
  static constexpr std::array<const char*, 12> kMonths = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                          "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  int year = floor_div(end_month_, 12);
  int month = end_month_ - year * 12;
  std::string out;
  switch (frequency_) {
    case Frequency::kMonthly:
      out.reserve(8);
      out += kMonths[month];
      out += ' ';
      out += std::to_string(year);
      return out;
    case Frequency::kQuarterly:
      out.reserve(7);
      out += 'Q';
      out += static_cast<char>('0' + month / 3 + 1);
      out += ' ';
      out += std::to_string(year);
      return out;
    case Frequency::kFinancialQuarterly: {
      // "Q1 2017/18": the canonical text's two halves swapped.
      const std::string text = to_string();
      const std::size_t dash = text.rfind('-');
      return text.substr(dash + 1) + ' ' + text.substr(0, dash);
    }
    default: return to_string();
  }
}

}  // namespace vitals
