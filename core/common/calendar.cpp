// SPDX-License-Identifier: Apache-2.0
#include "common/calendar.hpp"

#include <array>
#include <cstdio>

namespace vitals::detail {

namespace {

bool is_leap(int year) { return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0; }

// "YYYY-MM-DD" for day `day` of month index `month_index` (year * 12 + month - 1).
std::string iso_date(int month_index, int day) {
  char out[32];
  std::snprintf(out, sizeof out, "%04d-%02d-%02d", month_index / 12, month_index % 12 + 1, day);
  return out;
}

}  // namespace

int days_in_month(int year, int month) {
  static constexpr std::array<int, 12> kDays = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return month == 2 && is_leap(year) ? 29 : kDays[static_cast<std::size_t>(month - 1)];
}

std::string period_start_date(const Period& period) {
  return iso_date(period.first_month_index(), 1);
}

std::string period_end_date(const Period& period) {
  const int index = period.last_month_index();
  return iso_date(index, days_in_month(index / 12, index % 12 + 1));
}

}  // namespace vitals::detail
