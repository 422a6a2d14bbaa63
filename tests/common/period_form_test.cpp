// SPDX-License-Identifier: Apache-2.0
#include "catch.hpp"

#include <vitals/period_form.hpp>

#include <cstdint>
#include <string>

using vitals::Frequency;
using vitals::parse_period_in_form;
using vitals::Period;
using vitals::PeriodForm;

namespace {

std::string read(std::string_view text, PeriodForm form) {
  auto p = parse_period_in_form(text, form);
  return p.ok() ? p->to_string() : "error: " + p.status().message();
}

// Every one of `texts` is an error in `form`.
void check_rejected(PeriodForm form, std::initializer_list<const char*> texts) {
  for (const char* text : texts) {
    INFO(text);
    CHECK(read(text, form).rfind("error: ", 0) == 0);
  }
}

}  // namespace

TEST_CASE("every period form has a name that parses back", "[common][period_form]") {
  for (PeriodForm f : vitals::all_period_forms()) {
    auto parsed = vitals::parse_period_form(vitals::period_form_name(f));
    REQUIRE(parsed.ok());
    CHECK(*parsed == f);
  }
  auto bad = vitals::parse_period_form("quarter_end_months");
  REQUIRE_FALSE(bad.ok());
  CHECK(bad.status().message().find("'quarter_end_month'") != std::string::npos);
}

TEST_CASE("the canonical form reads only the canonical texts", "[common][period_form]") {
  CHECK(read("2017-03", PeriodForm::kCanonical) == "2017-03");
  CHECK(read("2017/18-Q1", PeriodForm::kCanonical) == "2017/18-Q1");
  CHECK(read("Mar-17", PeriodForm::kCanonical) ==
        "error: 'Mar-17' is not a period; expected YYYY-MM (month), YYYY-Qn (quarter), YYYY "
        "(year), YYYY/YY (financial year) or YYYY/YY-Qn (financial quarter)");
}

TEST_CASE("quarter-end months are calendar or financial quarters", "[common][period_form]") {
  CHECK(read("2019-06", PeriodForm::kCalendarQuarterEndMonth) == "2019-Q2");
  CHECK(read("2019-03", PeriodForm::kCalendarQuarterEndMonth) == "2019-Q1");
  CHECK(read("2019-12", PeriodForm::kQuarterEndMonth) == "2019-Q4");
  CHECK(read("2019-06", PeriodForm::kFinancialQuarterEndMonth) == "2019/20-Q1");
  CHECK(read("2020-03", PeriodForm::kFinancialQuarterEndMonth) == "2019/20-Q4");
  CHECK(read("2019-Q2", PeriodForm::kCalendarQuarterEndMonth) == "2019-Q2");
  auto p = parse_period_in_form("2019-06", PeriodForm::kFinancialQuarterEndMonth);
  REQUIRE(p.ok());
  CHECK(p->frequency() == Frequency::kFinancialQuarterly);
  check_rejected(PeriodForm::kFinancialQuarterEndMonth,
                 {"2019-05", "2019-13", "2019-00", "2019-6", "19-06", "2019/06", "June 2019"});
  CHECK(read("2019-05", PeriodForm::kCalendarQuarterEndMonth) ==
        "error: '2019-05' is not the last month of a quarter: quarter-end months are 03, 06, 09 "
        "and 12");
}

TEST_CASE("month names with two- or four-digit years", "[common][period_form]") {
  const PeriodForm f = PeriodForm::kMonthName;
  CHECK(read("Mar-17", f) == "2017-03");
  CHECK(read("Mar 2017", f) == "2017-03");
  CHECK(read("March 2017", f) == "2017-03");
  CHECK(read("MARCH-2017", f) == "2017-03");
  CHECK(read("sep-99", f) == "2099-09");  // two-digit years are 20YY
  CHECK(read("Sept 2016", f) == "2016-09");
  CHECK(read("2017-03", f) == "2017-03");  // canonical, as the xlsx plugin writes date cells
  check_rejected(f, {"Mar-7", "Mar-017", "Mar--17", "Mar  2017", "Mars 2017", "Ma 2017", "Mar2017",
                     " Mar 2017", "Mar 2017 ", "17-Mar", "Marc 2017", "Mar-1x", "Mar-"});
  CHECK(read("Mars 2017", f) ==
        "error: 'Mars 2017' is not a period in the form month_name (such as Mar-17, Mar 2017 or "
        "March 2017) nor a canonical period (YYYY-MM (month), YYYY-Qn (quarter), YYYY (year), "
        "YYYY/YY (financial year) or YYYY/YY-Qn (financial quarter))");
}

TEST_CASE("UK dates on the first or last day of a month", "[common][period_form]") {
  const PeriodForm f = PeriodForm::kUkDate;
  CHECK(read("01/03/2017", f) == "2017-03");
  CHECK(read("31/03/2017", f) == "2017-03");
  CHECK(read("1/3/2017", f) == "2017-03");
  CHECK(read("29/02/2016", f) == "2016-02");  // leap year: the last day
  CHECK(read("28/02/2017", f) == "2017-02");
  CHECK(read("31/02/2017", f) == "error: '31/02/2017' is not a date: Feb 2017 has 28 days");
  CHECK(read("29/02/2017", f) == "error: '29/02/2017' is not a date: Feb 2017 has 28 days");
  CHECK(read("15/03/2017", f) ==
        "error: '15/03/2017' is neither the first nor the last day of Mar 2017, so it does not "
        "say which month it stands for");
  CHECK(read("28/02/2016", f).rfind("error: ", 0) == 0);  // 2016 is a leap year
  CHECK(read("01/13/2017", f) == "error: '01/13/2017' is not a date: there is no month 13");
  check_rejected(f, {"00/03/2017", "01/00/2017", "01/03/17", "001/03/2017", "01-03-2017",
                     "01/03/2017/", "/03/2017", "01//2017", "03/2017", "2017/03/01"});
}

TEST_CASE("financial quarters written either way round", "[common][period_form]") {
  const PeriodForm f = PeriodForm::kFinancialQuarter;
  CHECK(read("2017/18 Q1", f) == "2017/18-Q1");
  CHECK(read("Q1 2017/18", f) == "2017/18-Q1");
  CHECK(read("Q4 2017-18", f) == "2017/18-Q4");
  CHECK(read("q2 2017/2018", f) == "2017/18-Q2");
  CHECK(read("2017/18-Q3", f) == "2017/18-Q3");
  CHECK(read("Q5 2017/18", f) ==
        "error: 'Q5 2017/18' is not a financial quarter: quarters are Q1 to Q4");
  CHECK(read("2017/19 Q1", f) ==
        "error: '2017/19 Q1' is not a financial year: its second year must be the year after "
        "2017");
  check_rejected(f, {"Q0 2017/18", "Q1  2017/18", "Q 2017/18", "Q11 2017/18", "2017/18 Q",
                     "2017 Q1", "Q1 2017", "2017/18Q1", "Quarter 1 2017/18", "Q1 17/18"});
}

TEST_CASE("financial years in four spellings", "[common][period_form]") {
  const PeriodForm f = PeriodForm::kFinancialYear;
  CHECK(read("2017/18", f) == "2017/18");
  CHECK(read("2017-18", f) == "2017/18");
  CHECK(read("2017/2018", f) == "2017/18");
  CHECK(read("2017-2018", f) == "2017/18");
  CHECK(read("2011-12", f) == "2011/12");  // never December 2011 in this form
  CHECK(read("1999-00", f) == "1999/00");
  CHECK(read("2017-19", f).rfind("error: '2017-19' is not a financial year", 0) == 0);
  CHECK(read("2017/2019", f).rfind("error: ", 0) == 0);
  check_rejected(f, {"2017/8", "2017 18", "17/18", "2017/180", "FY2017/18"});
}

TEST_CASE("hostile period text is quoted with its characters made visible",
          "[common][period_form]") {
  const std::string text = std::string("Mar\x1b-17\n", 8);
  const std::string message = read(text, PeriodForm::kMonthName);
  CHECK(message.rfind("error: 'Mar\\u001b-17\\n'", 0) == 0);
  CHECK(read(std::string("01/03/2017\0", 11), PeriodForm::kUkDate).rfind("error: ", 0) == 0);
}

TEST_CASE("the frequency each form writes", "[common][period_form]") {
  CHECK_FALSE(vitals::period_form_frequency(PeriodForm::kCanonical).has_value());
  CHECK_FALSE(vitals::period_form_frequency(PeriodForm::kQuarterEndMonth).has_value());
  CHECK(vitals::period_form_frequency(PeriodForm::kMonthName) == Frequency::kMonthly);
  CHECK(vitals::period_form_frequency(PeriodForm::kUkDate) == Frequency::kMonthly);
  CHECK(vitals::period_form_frequency(PeriodForm::kCalendarQuarterEndMonth) ==
        Frequency::kQuarterly);
  CHECK(vitals::period_form_frequency(PeriodForm::kFinancialQuarter) ==
        Frequency::kFinancialQuarterly);
  CHECK(vitals::period_form_frequency(PeriodForm::kFinancialYear) == Frequency::kFinancialYear);
}

TEST_CASE("whatever the text, every form answers a period that prints and parses back, or an error",
          "[common][period_form][adversarial]") {
  // Texts made of the characters the forms use, in every arrangement a
  // seeded generator gives.
  const std::string alphabet = "0123456789/-Q q\xC2\xA0MarchSeptJn";
  std::uint32_t state = 12345;
  auto next = [&] {
    state = state * 1664525u + 1013904223u;
    return state >> 8;
  };
  int accepted = 0;
  for (int i = 0; i < 200000; ++i) {
    std::string text(next() % 14, ' ');
    for (char& c : text) c = alphabet[next() % alphabet.size()];
    for (PeriodForm form : vitals::all_period_forms()) {
      auto p = parse_period_in_form(text, form);
      if (!p.ok()) {
        REQUIRE(p.status().code() == vitals::StatusCode::kInvalidArgument);
        continue;
      }
      ++accepted;
      auto back = Period::parse(p->to_string());
      REQUIRE(back.ok());
      REQUIRE(*back == *p);
      if (form == PeriodForm::kCanonical) REQUIRE(Period::parse(text).ok());
    }
  }
  CHECK(accepted > 0);
}
