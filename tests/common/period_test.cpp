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

TEST_CASE("financial quarters run April to March and print as 2017/18-Q1", "[common][period]") {
  const Period q1 = Period::financial_quarter(2017, 1);
  CHECK(q1.frequency() == Frequency::kFinancialQuarterly);
  CHECK(q1.to_string() == "2017/18-Q1");
  CHECK(q1.label() == "Q1 2017/18");
  CHECK(q1.first_month_index() == Period::month(2017, 4).last_month_index());
  CHECK(q1.last_month_index() == Period::month(2017, 6).last_month_index());
  CHECK(Period::financial_quarter(2017, 4).to_string() == "2017/18-Q4");
  CHECK(Period::financial_quarter(2017, 4).last_month_index() ==
        Period::month(2018, 3).last_month_index());
  CHECK(Period::financial_quarter(1999, 4).to_string() == "1999/00-Q4");
  CHECK(Period::financial_quarter(2017, 4).next() == Period::financial_quarter(2018, 1));
  CHECK(Period::financial_quarter(2018, 1).previous() == Period::financial_quarter(2017, 4));
  CHECK(Period::financial_quarter(2018, 2).steps_since(Period::financial_quarter(2017, 1)) == 5);
  CHECK(Period::month(2017, 8).latest_complete(Frequency::kFinancialQuarterly) == q1);
  CHECK(Period::month(2018, 2).latest_complete(Frequency::kFinancialQuarterly) ==
        Period::financial_quarter(2017, 3));
  CHECK(Period::financial_quarter(2017, 4).latest_complete(Frequency::kFinancialYear) ==
        Period::financial_year(2017));
  CHECK(Period::ending(Frequency::kFinancialQuarterly, q1.last_month_index()) == q1);
}

TEST_CASE("financial quarters parse in canonical form and nothing close to it",
          "[common][period]") {
  for (const char* text : {"2017/18-Q1", "2017/18-Q4", "1999/00-Q2", "0000/01-Q1"}) {
    auto p = Period::parse(text);
    REQUIRE(p.ok());
    CHECK(p->frequency() == Frequency::kFinancialQuarterly);
    CHECK(p->to_string() == text);
  }
  auto bad = GENERATE(as<std::string>{}, "2017/18-Q5", "2017/18-Q0", "2017/19-Q1", "2017/18Q1",
                      "2017/18-q1", "2017/18-Q", "2017/18-Q12", "2017/18 Q1");
  auto p = Period::parse(bad);
  REQUIRE_FALSE(p.ok());
  CHECK(p.status().message().find("YYYY/YY-Qn") != std::string::npos);
}

TEST_CASE("a calendar and a financial quarter over the same months are different periods",
          "[common][period]") {
  const Period calendar = Period::quarter(2017, 2);  // April to June 2017
  const Period financial = Period::financial_quarter(2017, 1);
  CHECK(calendar.last_month_index() == financial.last_month_index());
  CHECK(calendar != financial);
  CHECK(calendar < financial);  // ordered by frequency_rank within the month
  CHECK(Period::month(2017, 6) < calendar);
  CHECK(Period::financial_quarter(2016, 4) < Period::financial_year(2016));
  CHECK(vitals::frequency_name(Frequency::kFinancialQuarterly) == std::string("financial_quarterly"));
  auto f = vitals::parse_frequency("financial_quarterly");
  REQUIRE(f.ok());
  CHECK(*f == Frequency::kFinancialQuarterly);
}
