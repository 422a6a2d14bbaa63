// SPDX-License-Identifier: Apache-2.0
#include <vitals/indicator.hpp>

#include "catch.hpp"

using namespace vitals;

TEST_CASE("RAG boundaries: exactly 5% adverse is red, just under is amber", "[common][rag]") {
  Tolerance t;  // red at 5%, any miss amber
  SECTION("smaller is better") {
    CHECK(assess(105.0, 100.0, Polarity::kSmallerIsBetter, t).rag == Rag::kRed);
    CHECK(assess(104.99, 100.0, Polarity::kSmallerIsBetter, t).rag == Rag::kAmber);
    CHECK(assess(100.0, 100.0, Polarity::kSmallerIsBetter, t).rag == Rag::kGreen);
    CHECK(assess(90.0, 100.0, Polarity::kSmallerIsBetter, t).rag == Rag::kGreen);
  }
  SECTION("bigger is better") {
    CHECK(assess(95.0, 100.0, Polarity::kBiggerIsBetter, t).rag == Rag::kRed);
    CHECK(assess(95.01, 100.0, Polarity::kBiggerIsBetter, t).rag == Rag::kAmber);
    CHECK(assess(100.0, 100.0, Polarity::kBiggerIsBetter, t).rag == Rag::kGreen);
    CHECK(assess(130.0, 100.0, Polarity::kBiggerIsBetter, t).rag == Rag::kGreen);
  }
  SECTION("fractional figures from the dashboard") {
    // 3.56 against 1.5, smaller is better: 137.3% worse.
    Assessment a = assess(3.56, 1.5, Polarity::kSmallerIsBetter, t);
    CHECK(a.rag == Rag::kRed);
    REQUIRE(a.variance_pct);
    CHECK(*a.variance_pct == Approx(137.3333).epsilon(1e-4));
    // 94.2 against 90, bigger is better: better than target.
    Assessment g = assess(94.2, 90.0, Polarity::kBiggerIsBetter, t);
    CHECK(g.rag == Rag::kGreen);
    CHECK(*g.variance_pct == Approx(-4.6667).epsilon(1e-4));
  }
}

TEST_CASE("an amber band keeps small misses green", "[common][rag]") {
  Tolerance t{10.0, 2.0};
  CHECK(assess(102.0, 100.0, Polarity::kSmallerIsBetter, t).rag == Rag::kGreen);
  CHECK(assess(102.5, 100.0, Polarity::kSmallerIsBetter, t).rag == Rag::kAmber);
  CHECK(assess(109.9, 100.0, Polarity::kSmallerIsBetter, t).rag == Rag::kAmber);
  CHECK(assess(110.0, 100.0, Polarity::kSmallerIsBetter, t).rag == Rag::kRed);
}

TEST_CASE("no target means no colour; a zero target is met or red", "[common][rag]") {
  Tolerance t;
  Assessment none = assess(12.0, std::nullopt, Polarity::kSmallerIsBetter, t);
  CHECK(none.rag == Rag::kNone);
  CHECK_FALSE(none.variance_pct);
  CHECK(assess(0.0, 0.0, Polarity::kSmallerIsBetter, t).rag == Rag::kGreen);
  CHECK(assess(0.1, 0.0, Polarity::kSmallerIsBetter, t).rag == Rag::kRed);
  CHECK_FALSE(assess(0.1, 0.0, Polarity::kSmallerIsBetter, t).variance_pct);
}

TEST_CASE("profiled targets apply from their period until the next step", "[common][target]") {
  Target target;
  target.kind = Target::Kind::kProfiled;
  target.profile = {{Period::month(2016, 4), 2.0}, {Period::month(2016, 10), 1.5}};
  CHECK_FALSE(target.value_at(Period::month(2016, 3)));
  CHECK(*target.value_at(Period::month(2016, 4)) == 2.0);
  CHECK(*target.value_at(Period::month(2016, 9)) == 2.0);
  CHECK(*target.value_at(Period::month(2016, 10)) == 1.5);
  CHECK(*target.value_at(Period::month(2017, 3)) == 1.5);

  Target fixed;
  fixed.kind = Target::Kind::kFixed;
  fixed.fixed_value = 16.5;
  CHECK(*fixed.value_at(Period::month(1990, 1)) == 16.5);
  CHECK_FALSE(Target{}.value_at(Period::month(2017, 3)));
}
