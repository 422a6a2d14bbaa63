// SPDX-License-Identifier: Apache-2.0
#include "common/calendar.hpp"

#include "catch.hpp"

using vitals::Period;
using vitals::detail::days_in_month;
using vitals::detail::period_end_date;
using vitals::detail::period_start_date;

TEST_CASE("days in a month follow the Gregorian leap years", "[common][calendar]") {
  CHECK(days_in_month(2017, 1) == 31);
  CHECK(days_in_month(2017, 4) == 30);
  CHECK(days_in_month(2017, 2) == 28);
  CHECK(days_in_month(2016, 2) == 29);
  CHECK(days_in_month(1900, 2) == 28);  // a century not divisible by 400
  CHECK(days_in_month(2000, 2) == 29);
  CHECK(days_in_month(2016, 12) == 31);
}

TEST_CASE("a period starts on the first day of its first month and ends on the last of its last",
          "[common][calendar]") {
  CHECK(period_start_date(Period::month(2017, 3)) == "2017-03-01");
  CHECK(period_end_date(Period::month(2017, 3)) == "2017-03-31");
  CHECK(period_end_date(Period::month(2016, 2)) == "2016-02-29");
  CHECK(period_start_date(Period::financial_quarter(2016, 4)) == "2017-01-01");
  CHECK(period_end_date(Period::financial_quarter(2016, 4)) == "2017-03-31");
  CHECK(period_start_date(Period::financial_year(2016)) == "2016-04-01");
  CHECK(period_end_date(Period::financial_year(2016)) == "2017-03-31");
  CHECK(period_end_date(Period::quarter(2017, 2)) == "2017-06-30");
}
