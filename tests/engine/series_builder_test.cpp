// SPDX-License-Identifier: Apache-2.0
#include "engine/series_builder.hpp"

#include "catch.hpp"

using namespace vitals;
using vitals::detail::build_series;

namespace {

IndicatorDefinition indicator(Frequency frequency = Frequency::kMonthly) {
  IndicatorDefinition d;
  d.id = "dtoc";
  d.polarity = Polarity::kSmallerIsBetter;
  d.frequency = frequency;
  d.target.kind = Target::Kind::kFixed;
  d.target.fixed_value = 1.5;
  return d;
}

Observation obs(Period p, std::optional<double> v, std::optional<double> target = std::nullopt) {
  Observation o;
  o.period = p;
  o.value = v;
  o.target = target;
  return o;
}

}  // namespace

TEST_CASE("the series ends at the latest value at or before the period", "[engine][series]") {
  std::vector<Diagnostic> diags;
  std::vector<Observation> data = {obs(Period::month(2017, 1), 3.4), obs(Period::month(2017, 2), 3.5),
                                   obs(Period::month(2017, 3), std::nullopt),
                                   obs(Period::month(2017, 4), 3.9)};
  auto s = build_series(indicator(), data, Period::month(2017, 3), diags);
  REQUIRE(s.points.size() == 2);
  REQUIRE(s.latest);
  CHECK(s.latest->period == Period::month(2017, 2));
  CHECK(*s.latest->value == 3.5);
  CHECK(*s.latest->target == 1.5);
  CHECK(s.latest->rag == Rag::kRed);
  CHECK(s.data_state == DataState::kStale);
  CHECK(diags.empty());
}

TEST_CASE("a gap inside the series stays as a point without a value", "[engine][series]") {
  std::vector<Diagnostic> diags;
  std::vector<Observation> data = {obs(Period::month(2017, 1), 3.4),
                                   obs(Period::month(2017, 2), std::nullopt),
                                   obs(Period::month(2017, 3), 3.56)};
  auto s = build_series(indicator(), data, Period::month(2017, 3), diags);
  REQUIRE(s.points.size() == 3);
  CHECK_FALSE(s.points[1].value);
  CHECK(s.points[1].rag == Rag::kNone);
  CHECK(s.data_state == DataState::kCurrent);
}

TEST_CASE("the catalogue's target wins over one published with the data", "[engine][series]") {
  std::vector<Diagnostic> diags;
  IndicatorDefinition with_target = indicator();
  auto s = build_series(with_target, {obs(Period::month(2017, 3), 3.0, 5.0)}, Period::month(2017, 3), diags);
  CHECK(*s.latest->target == 1.5);

  IndicatorDefinition without = indicator();
  without.target = Target{};
  s = build_series(without, {obs(Period::month(2017, 3), 3.0, 5.0)}, Period::month(2017, 3), diags);
  CHECK(*s.latest->target == 5.0);
  CHECK(s.latest->rag == Rag::kGreen);

  s = build_series(without, {obs(Period::month(2017, 3), 3.0)}, Period::month(2017, 3), diags);
  CHECK_FALSE(s.latest->target);
  CHECK(s.latest->rag == Rag::kNone);
}

TEST_CASE("allowed lag decides whether older data is current or stale", "[engine][series]") {
  IndicatorDefinition d = indicator();
  std::vector<Diagnostic> diags;
  std::vector<Observation> data = {obs(Period::month(2016, 12), 3.2)};
  CHECK(build_series(d, data, Period::month(2017, 3), diags).data_state == DataState::kStale);
  d.allowed_lag = 3;
  CHECK(build_series(d, data, Period::month(2017, 3), diags).data_state == DataState::kCurrent);
  d.allowed_lag = 2;
  CHECK(build_series(d, data, Period::month(2017, 3), diags).data_state == DataState::kStale);
  CHECK(build_series(d, {}, Period::month(2017, 3), diags).data_state == DataState::kNoData);
}

TEST_CASE("quarterly data is current when the latest complete quarter is in", "[engine][series]") {
  IndicatorDefinition d = indicator(Frequency::kQuarterly);
  std::vector<Diagnostic> diags;
  std::vector<Observation> data = {obs(Period::quarter(2016, 4), 3.0), obs(Period::quarter(2017, 1), 3.1)};
  CHECK(build_series(d, data, Period::month(2017, 5), diags).data_state == DataState::kCurrent);
  CHECK(build_series(d, data, Period::month(2017, 6), diags).data_state == DataState::kStale);
  // A monthly reporting period inside a quarter does not see that quarter yet.
  auto s = build_series(d, data, Period::month(2017, 2), diags);
  CHECK(s.latest->period == Period::quarter(2016, 4));
  CHECK(s.data_state == DataState::kCurrent);
}

TEST_CASE("observations of another frequency are left out with an error", "[engine][series]") {
  std::vector<Diagnostic> diags;
  std::vector<Observation> data = {obs(Period::quarter(2017, 1), 3.0), obs(Period::month(2017, 3), 3.1)};
  auto s = build_series(indicator(), data, Period::month(2017, 3), diags);
  REQUIRE(s.points.size() == 1);
  REQUIRE(diags.size() == 1);
  CHECK(diags[0].code == "data.frequency_mismatch");
  CHECK(diags[0].severity == Severity::kError);
  CHECK(diags[0].message.find("e.g. 2017-Q1) are quarterly periods, but") != std::string::npos);
  CHECK(diags[0].message.find("they were left out;") == std::string::npos);
}

TEST_CASE("a month that ends a period of the indicator's frequency names the period to write",
          "[engine][series]") {
  std::vector<Diagnostic> diags;
  std::vector<Observation> data = {obs(Period::month(2019, 6), 3.0)};
  auto s = build_series(indicator(Frequency::kQuarterly), data, Period::month(2019, 9), diags);
  CHECK(s.points.empty());
  REQUIRE(diags.size() == 1);
  CHECK(diags[0].message.find("so it has no data; 2019-06 looks like the end month of 2019-Q2: "
                              "write 2019-Q2, or give the source period_form = "
                              "\"quarter_end_month\"") != std::string::npos);
  // Not the end of a quarter: no guess.
  diags.clear();
  build_series(indicator(Frequency::kQuarterly), {obs(Period::month(2019, 5), 3.0)},
               Period::month(2019, 9), diags);
  REQUIRE(diags.size() == 1);
  CHECK(diags[0].message.find("looks like") == std::string::npos);
  // A financial year ends in March.
  diags.clear();
  build_series(indicator(Frequency::kFinancialYear), {obs(Period::month(2017, 3), 3.0)},
               Period::month(2017, 9), diags);
  REQUIRE(diags.size() == 1);
  CHECK(diags[0].message.find("write 2016/17") != std::string::npos);
}

TEST_CASE("history covers 13 periods with gaps where data is missing", "[engine][series]") {
  std::vector<Diagnostic> diags;
  std::vector<Observation> data;
  for (int m = 1; m <= 12; ++m) data.push_back(obs(Period::month(2016, m), m));
  data.push_back(obs(Period::month(2017, 2), 20));
  auto s = build_series(indicator(), data, Period::month(2017, 3), diags);
  REQUIRE(s.history.size() == vitals::kHistoryPeriods);
  CHECK(s.history.front().period == Period::month(2016, 3));
  CHECK(*s.history.front().value == 3);
  CHECK(s.history.back().period == Period::month(2017, 3));
  CHECK_FALSE(s.history.back().value);
  CHECK(*s.history.back().target == 1.5);
  CHECK_FALSE(s.history[10].value);  // 2017-01
  CHECK(*s.history[11].value == 20);
  CHECK(s.history[11].rag == Rag::kRed);
}

TEST_CASE("a trailing blank shows in the history with the target published with it",
          "[engine][series]") {
  std::vector<Diagnostic> diags;
  IndicatorDefinition untargeted = indicator();
  untargeted.target = Target{};
  std::vector<Observation> data = {obs(Period::month(2017, 2), 3.5, 2.0),
                                   obs(Period::month(2017, 3), std::nullopt, 2.5)};
  auto s = build_series(untargeted, data, Period::month(2017, 3), diags);
  REQUIRE(s.points.size() == 1);
  CHECK(s.latest->period == Period::month(2017, 2));
  CHECK_FALSE(s.history.back().value);
  CHECK(*s.history.back().target == 2.5);
}

TEST_CASE("a lazy series rebuilt for another indicator shows only that indicator's points",
          "[engine][series]") {
  using vitals::detail::LazySeries;
  using vitals::detail::pack_period;
  using vitals::detail::SeriesColumns;
  SeriesColumns first, second;
  for (int m = 1; m <= 6; ++m) {
    first.periods.push_back(pack_period(Period::month(2017, m)));
    first.values.push_back(m);
  }
  second.periods = {pack_period(Period::month(2017, 5)), pack_period(Period::month(2017, 6))};
  second.values = {50, 60};
  IndicatorDefinition bigger = indicator();
  bigger.polarity = Polarity::kBiggerIsBetter;

  std::vector<Diagnostic> diags;
  LazySeries lazy;
  lazy.build(indicator(), &first, Period::month(2017, 6), diags);
  REQUIRE(lazy.size() == 6);
  CHECK(*lazy.at(5).value == 6);
  CHECK(lazy.at(5).rag == Rag::kRed);  // smaller is better, target 1.5
  CHECK(*lazy.at(0).value == 1);

  lazy.build(bigger, &second, Period::month(2017, 6), diags);
  REQUIRE(lazy.size() == 2);
  CHECK(lazy.at(0).period == Period::month(2017, 5));
  CHECK(*lazy.at(0).value == 50);
  CHECK(lazy.at(1).rag == Rag::kGreen);  // made again for the new indicator
  CHECK(lazy.latest()->period == Period::month(2017, 6));

  lazy.build(indicator(), nullptr, Period::month(2017, 6), diags);
  CHECK(lazy.size() == 0);
  CHECK_FALSE(lazy.latest());
  CHECK(lazy.data_state() == DataState::kNoData);
  CHECK(lazy.history().size() == vitals::kHistoryPeriods);
  CHECK(diags.empty());
}
