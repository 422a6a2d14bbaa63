// SPDX-License-Identifier: Apache-2.0
#include <vitals/period.hpp>

#include "catch.hpp"

using vitals::Frequency;
using vitals::Period;

TEST_CASE("periods parse and print in their canonical forms", "[common][period]") {
  auto text = GENERATE(as<std::string>{}, "2017-03", "2017-Q1", "2017", "2016/17", "1999/00",
                     "0000-01", "0007-12", "0999-Q4", "9999", "0099/00", "9998/99");
  auto p = Period::parse(text);
  REQUIRE(p.ok());
  CHECK(p->to_string() == text);
}

TEST_CASE("malformed periods are rejected with the accepted forms named", "[common][period]") {
  auto text = GENERATE(as<std::string>{}, "", "2017-13", "2017-00", "2017-3", "2017-Q5", "17-03",
                       "2016/18", " 2017-03", "2017-03 ", "2017-Q0", "abcd");
  auto p = Period::parse(text);
  REQUIRE_FALSE(p.ok());
  CHECK(p.status().code() == vitals::StatusCode::kInvalidArgument);
  CHECK(p.status().message().find("YYYY-MM") != std::string::npos);
}

TEST_CASE("periods step and order across years", "[common][period]") {
  CHECK(Period::month(2017, 1).previous() == Period::month(2016, 12));
  CHECK(Period::quarter(2017, 1).previous() == Period::quarter(2016, 4));
  CHECK(Period::financial_year(2016).next().to_string() == "2017/18");
  CHECK(Period::month(2017, 3) < Period::quarter(2017, 1));
  CHECK(Period::month(2017, 2) < Period::month(2017, 3));
  CHECK(Period::month(2017, 3).steps_since(Period::month(2016, 3)) == 12);
  CHECK(Period::month(2016, 3).steps_since(Period::month(2017, 3)) == -12);
}

TEST_CASE("the latest complete period of another frequency", "[common][period]") {
  Period may = Period::month(2017, 5);
  CHECK(may.latest_complete(Frequency::kQuarterly) == Period::quarter(2017, 1));
  CHECK(Period::month(2017, 6).latest_complete(Frequency::kQuarterly) == Period::quarter(2017, 2));
  CHECK(may.latest_complete(Frequency::kAnnual) == Period::calendar_year(2016));
  CHECK(may.latest_complete(Frequency::kFinancialYear) == Period::financial_year(2016));
  CHECK(Period::month(2017, 2).latest_complete(Frequency::kFinancialYear) ==
        Period::financial_year(2015));
  CHECK(may.latest_complete(Frequency::kMonthly) == may);
}

TEST_CASE("period labels read as people write them", "[common][period]") {
  CHECK(Period::month(2017, 3).label() == "Mar 2017");
  CHECK(Period::quarter(2017, 2).label() == "Q2 2017");
  CHECK(Period::financial_year(2016).label() == "2016/17");
}
