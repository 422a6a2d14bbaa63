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
