// SPDX-License-Identifier: Apache-2.0
// Calendar days of the Gregorian calendar, and the ISO 8601 dates a period
// starts and ends on.
#pragma once

#include <string>
#include <string_view>

#include <vitals/period.hpp>

namespace vitals::detail {

/// The number of days in `month` (1 to 12) of `year`.
/// REQUIRES: 1 <= month <= 12.
int days_in_month(int year, int month);

/// The first day of `period` as "YYYY-MM-DD" (2016/17-Q4 -> "2017-01-01").
std::string period_start_date(const Period& period);

/// The last day of `period` as "YYYY-MM-DD" (2017-03 -> "2017-03-31").
std::string period_end_date(const Period& period);

/// True when `date` ("YYYY-MM-DD") is a real calendar date.
bool is_iso_date(std::string_view date);

/// "19 June 2017" for "2017-06-19"; `date` itself when it is not a real date.
std::string long_date(std::string_view date);

}  // namespace vitals::detail
