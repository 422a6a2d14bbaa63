// SPDX-License-Identifier: Apache-2.0
#include "common/calendar.hpp"

#include <array>
#include <cctype>
#include <cstdio>
#include <string>

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

bool is_iso_date(std::string_view date) {
  if (date.size() != 10 || date[4] != '-' || date[7] != '-') return false;
  for (std::size_t i : {0u, 1u, 2u, 3u, 5u, 6u, 8u, 9u}) {
    if (!std::isdigit(static_cast<unsigned char>(date[i]))) return false;
  }
  int year = std::stoi(std::string(date.substr(0, 4)));
  int month = std::stoi(std::string(date.substr(5, 2)));
  int day = std::stoi(std::string(date.substr(8, 2)));
  if (month < 1 || month > 12 || day < 1) return false;
  return day <= days_in_month(year, month);
}

std::string long_date(std::string_view date) {
  static constexpr std::array<const char*, 12> kMonths = {
      "January", "February", "March",     "April",   "May",      "June",
      "July",    "August",   "September", "October", "November", "December"};
  if (!is_iso_date(date)) return std::string(date);
  const int day = std::stoi(std::string(date.substr(8, 2)));
  const int month = std::stoi(std::string(date.substr(5, 2)));
  return std::to_string(day) + " " + kMonths[static_cast<std::size_t>(month - 1)] + " " +
         std::string(date.substr(0, 4));
}

}  // namespace vitals::detail
