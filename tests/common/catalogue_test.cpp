// SPDX-License-Identifier: Apache-2.0
#include <vitals/catalogue.hpp>

#include "catch.hpp"

using namespace vitals;

namespace {

Catalogue with_ids(std::initializer_list<const char*> ids) {
  Catalogue c;
  for (const char* id : ids) {
    IndicatorDefinition d;
    d.id = id;
    c.indicators.push_back(d);
  }
  return c;
}

}  // namespace

TEST_CASE("find_indicator finds every indicator of a sorted catalogue", "[common][catalogue]") {
  Catalogue c = with_ids({"admissions_18_64", "admissions_65_plus", "dtoc", "ld_paid_employment"});
  for (const IndicatorDefinition& d : c.indicators) {
    CHECK(c.find_indicator(d.id) == &d);
  }
  CHECK(c.find_indicator("cqc") == nullptr);
  CHECK(c.find_indicator("") == nullptr);
  CHECK(c.find_indicator("zzz") == nullptr);
}

TEST_CASE("find_indicator still finds indicators a program added out of order",
          "[common][catalogue]") {
  Catalogue c = with_ids({"dtoc", "admissions_65_plus", "ld_paid_employment", "admissions_18_64"});
  for (const IndicatorDefinition& d : c.indicators) {
    CHECK(c.find_indicator(d.id) == &d);
  }
  CHECK(c.find_indicator("cqc") == nullptr);
  CHECK(Catalogue{}.find_indicator("dtoc") == nullptr);
}

TEST_CASE("a period is evaluated only when some indicator is reported at its frequency",
          "[common][catalogue]") {
  IndicatorDefinition monthly;
  monthly.frequency = Frequency::kMonthly;
  IndicatorDefinition quarterly;
  quarterly.frequency = Frequency::kFinancialQuarterly;
  IndicatorDefinition yearly;
  yearly.frequency = Frequency::kFinancialYear;

  const Period march = Period::month(2017, 3);
  const Period year = *Period::parse("2016/17");
  CHECK(check_evaluation_period({&monthly, &monthly}, march).is_ok());
  CHECK(check_evaluation_period({}, year).is_ok());  // nothing to evaluate, nothing to refuse
  // A mixed catalogue: each of its frequencies may be evaluated.
  CHECK(check_evaluation_period({&monthly, &yearly}, year).is_ok());
  CHECK(check_evaluation_period({&monthly, &yearly}, march).is_ok());

  Status refused = check_evaluation_period({&monthly, &monthly, &quarterly}, year);
  CHECK(refused.code() == StatusCode::kInvalidArgument);
  CHECK(refused.message() ==
        "the period 2016/17 is a financial year, but no indicator is reported at that "
        "frequency: they are monthly (2), financial_quarterly (1). Evaluate a monthly period "
        "such as 2017-03, or give the indicators that frequency");
  CHECK(check_evaluation_period({&quarterly}, march).message() ==
        "the period 2017-03 is a month, but no indicator is reported at that frequency: they "
        "are financial_quarterly (1). Evaluate a financial_quarterly period such as 2016/17-Q4, "
        "or give the indicators that frequency");
}
