// SPDX-License-Identifier: Apache-2.0
// Each derived operation of engine/derived_series.cpp, and what happens when
// an input is missing, blank, zero or of another frequency.
#include "catch.hpp"
#include "engine/derived_series.hpp"

#include <cmath>

using namespace vitals;
using namespace vitals::detail;

namespace {

ObservationRevision at(const Period& period, std::optional<double> value, std::int64_t when = 100) {
  ObservationRevision r;
  r.observation.period = period;
  r.observation.value = value;
  r.ingested_at = when;
  r.current = true;
  return r;
}

ObservationRevision month(int year, int m, std::optional<double> value) {
  return at(Period::month(year, m), value);
}

IndicatorDefinition derived(DerivedOperation operation, std::vector<std::string> roles,
                            Frequency frequency = Frequency::kMonthly) {
  IndicatorDefinition def;
  def.id = "derived";
  def.frequency = frequency;
  def.source = SourceBinding{kDerivedSourceName, "derived"};
  DerivedDefinition d;
  d.operation = operation;
  d.location = SourceLocation{"indicators/a.toml", 9, 1};
  for (const std::string& role : roles) {
    DerivedInput input;
    input.role = role;
    input.reference = "dashboard/" + role;
    input.series = SourceBinding{"dashboard", role};
    input.location = SourceLocation{"indicators/a.toml", 10, 5};
    d.inputs.push_back(input);
  }
  def.derived = std::make_shared<const DerivedDefinition>(std::move(d));
  return def;
}

// Every (monthly) value from January `year`.
std::vector<ObservationRevision> months_from(int year, const std::vector<std::optional<double>>& values) {
  std::vector<ObservationRevision> out;
  for (std::size_t i = 0; i < values.size(); ++i) {
    out.push_back(at(Period::month(year, 1).shifted(static_cast<int>(i)), values[i]));
  }
  return out;
}

}  // namespace

TEST_CASE("a percentage keeps numerator and denominator, and records both inputs",
          "[engine][derived]") {
  auto def = derived(DerivedOperation::kPercentage, {"numerator", "denominator"});
  std::vector<Diagnostic> diagnostics;
  DerivedValues v = compute_derived(def, {{month(2017, 3, 45)}, {month(2017, 3, 60)}}, diagnostics);
  CHECK(diagnostics.empty());
  REQUIRE(v.series.observations.size() == 1);
  const Observation& o = v.series.observations[0];
  CHECK(v.series.key == "derived");
  CHECK(o.period == Period::month(2017, 3));
  CHECK(o.value == 75.0);
  CHECK(o.numerator == 45.0);
  CHECK(o.denominator == 60.0);
  CHECK(v.inputs[0] == std::vector<DerivedInputUse>{
                           {"dashboard", "numerator", Period::month(2017, 3), 100},
                           {"dashboard", "denominator", Period::month(2017, 3), 100}});
}

TEST_CASE("a zero or missing divisor leaves the period without a value, with a warning",
          "[engine][derived]") {
  auto def = derived(DerivedOperation::kPercentage, {"numerator", "denominator"});
  std::vector<Diagnostic> diagnostics;
  DerivedValues v = compute_derived(
      def,
      {{month(2017, 1, 5), month(2017, 2, 6), month(2017, 3, std::nullopt)},
       {month(2017, 1, 0), month(2017, 3, 10), month(2017, 4, 10)}},
      diagnostics);
  REQUIRE(v.series.observations.size() == 4);
  for (const Observation& o : v.series.observations) CHECK_FALSE(o.value);
  REQUIRE(diagnostics.size() == 1);
  CHECK(diagnostics[0].severity == Severity::kWarning);
  CHECK(diagnostics[0].code == "data.derived_missing");
  CHECK(diagnostics[0].location == SourceLocation{"indicators/a.toml", 9, 1});
  CHECK(diagnostics[0].indicator_id == "derived");
  CHECK(diagnostics[0].message ==
        "'derived' (percentage) has no value for 4 period(s): 2017-01 (the denominator is 0); "
        "2017-02 (no denominator 'dashboard/denominator'); 2017-03 (no numerator "
        "'dashboard/numerator'); 2017-04 (no numerator 'dashboard/numerator')");
}

TEST_CASE("a rate per 100,000 uses the mid-year estimate of the period's financial year",
          "[engine][derived]") {
  CHECK(population_year(Period::month(2017, 3)) == Period::calendar_year(2016));
  CHECK(population_year(Period::month(2017, 4)) == Period::calendar_year(2017));
  CHECK(population_year(Period::quarter(2017, 1)) == Period::calendar_year(2016));
  CHECK(population_year(Period::financial_quarter(2017, 1)) == Period::calendar_year(2017));
  CHECK(population_year(Period::financial_year(2016)) == Period::calendar_year(2016));
  CHECK(population_year(Period::calendar_year(2017)) == Period::calendar_year(2017));

  auto def = derived(DerivedOperation::kRatePer100k, {"count", "population"});
  std::vector<Diagnostic> diagnostics;
  DerivedValues v = compute_derived(
      def,
      {{month(2017, 3, 50), month(2017, 4, 60), month(2018, 4, 1)},
       {at(Period::calendar_year(2016), 200000, 7), at(Period::calendar_year(2017), 250000, 8)}},
      diagnostics);
  REQUIRE(v.series.observations.size() == 3);
  CHECK(v.series.observations[0].value == 25.0);
  CHECK(v.series.observations[0].numerator == 50.0);
  CHECK(v.series.observations[0].denominator == 200000.0);
  CHECK(v.series.observations[1].value == 24.0);
  CHECK(v.inputs[1][1] == DerivedInputUse{"dashboard", "population", Period::calendar_year(2017), 8});
  CHECK_FALSE(v.series.observations[2].value);
  REQUIRE(diagnostics.size() == 1);
  CHECK(diagnostics[0].message ==
        "'derived' (rate_per_100k) has no value for 1 period(s): 2018-04 (no population "
        "'dashboard/population' for 2018)");
}

TEST_CASE("a rolling 12-month sum and average start once 12 months are in; a gap is missing",
          "[engine][derived]") {
  std::vector<std::optional<double>> values;
  for (int i = 1; i <= 14; ++i) values.push_back(i);
  SECTION("sum") {
    auto def = derived(DerivedOperation::kRolling12MonthSum, {"input"});
    std::vector<Diagnostic> diagnostics;
    DerivedValues v = compute_derived(def, {months_from(2016, values)}, diagnostics);
    CHECK(diagnostics.empty());
    REQUIRE(v.series.observations.size() == 3);
    CHECK(v.series.observations[0].period == Period::month(2016, 12));
    CHECK(v.series.observations[0].value == 78.0);
    CHECK(v.series.observations[2].value == 102.0);
    CHECK(v.inputs[0].size() == 12);
  }
  SECTION("average") {
    auto def = derived(DerivedOperation::kRolling12MonthAverage, {"input"});
    std::vector<Diagnostic> diagnostics;
    DerivedValues v = compute_derived(def, {months_from(2016, values)}, diagnostics);
    REQUIRE(v.series.observations.size() == 3);
    CHECK(v.series.observations[0].value == 6.5);
  }
  SECTION("quarters: four make the window") {
    auto def = derived(DerivedOperation::kRolling12MonthSum, {"input"}, Frequency::kQuarterly);
    std::vector<Diagnostic> diagnostics;
    DerivedValues v = compute_derived(
        def,
        {{at(Period::quarter(2016, 1), 1), at(Period::quarter(2016, 2), 2),
          at(Period::quarter(2016, 3), 3), at(Period::quarter(2016, 4), 4),
          at(Period::quarter(2017, 1), 5)}},
        diagnostics);
    REQUIRE(v.series.observations.size() == 2);
    CHECK(v.series.observations[1].value == 14.0);
  }
  SECTION("a blank month makes every window holding it missing") {
    values[12] = std::nullopt;  // January 2017
    auto def = derived(DerivedOperation::kRolling12MonthSum, {"input"});
    std::vector<Diagnostic> diagnostics;
    DerivedValues v = compute_derived(def, {months_from(2016, values)}, diagnostics);
    REQUIRE(v.series.observations.size() == 3);
    CHECK(v.series.observations[0].value == 78.0);
    CHECK_FALSE(v.series.observations[1].value);
    CHECK_FALSE(v.series.observations[2].value);
    REQUIRE(diagnostics.size() == 1);
    CHECK(diagnostics[0].message ==
          "'derived' (rolling_12_month_sum) has no value for 2 period(s): 2017-01 (no input "
          "'dashboard/input' for 2017-01 in the 12 months to 2017-01); 2017-02 (no input "
          "'dashboard/input' for 2017-01 in the 12 months to 2017-02)");
  }
}

TEST_CASE("a year to date sums from April, starting with the first whole financial year",
          "[engine][derived]") {
  auto def = derived(DerivedOperation::kYearToDate, {"input"});
  std::vector<Diagnostic> diagnostics;
  // February 2016 to May 2017: the year 2015/16 is not whole.
  std::vector<ObservationRevision> input;
  for (int i = 0; i < 16; ++i) input.push_back(at(Period::month(2016, 2).shifted(i), 10));
  input[3].observation.value.reset();  // May 2016
  DerivedValues v = compute_derived(def, {input}, diagnostics);
  REQUIRE(v.series.observations.size() == 14);
  CHECK(v.series.observations[0].period == Period::month(2016, 4));
  CHECK(v.series.observations[0].value == 10.0);
  CHECK_FALSE(v.series.observations[1].value);  // May 2016: blank
  CHECK_FALSE(v.series.observations[11].value);  // March 2017: still holds May
  CHECK(v.series.observations[12].period == Period::month(2017, 4));
  CHECK(v.series.observations[12].value == 10.0);
  CHECK(v.series.observations[13].value == 20.0);
  REQUIRE(diagnostics.size() == 1);
  CHECK(diagnostics[0].message.find("has no value for 11 period(s): 2016-05 (no input "
                                    "'dashboard/input' for 2016-05 in the year to date from "
                                    "2016-04); 2016-06 (") != std::string::npos);

  SECTION("financial quarters") {
    auto fq = derived(DerivedOperation::kYearToDate, {"input"}, Frequency::kFinancialQuarterly);
    std::vector<Diagnostic> none;
    DerivedValues q = compute_derived(
        fq,
        {{at(Period::financial_quarter(2017, 1), 3), at(Period::financial_quarter(2017, 2), 4),
          at(Period::financial_quarter(2018, 1), 5)}},
        none);
    REQUIRE(q.series.observations.size() == 5);
    CHECK(q.series.observations[1].value == 7.0);
    CHECK_FALSE(q.series.observations[2].value);  // Q3: no figure
    CHECK(q.series.observations[4].value == 5.0);
  }
}

TEST_CASE("inputs of another frequency are left out with an error; no input is a warning",
          "[engine][derived]") {
  auto def = derived(DerivedOperation::kRatePer100k, {"count", "population"});
  std::vector<Diagnostic> diagnostics;
  DerivedValues v = compute_derived(
      def, {{month(2017, 3, 50)}, {at(Period::financial_year(2016), 200000)}}, diagnostics);
  REQUIRE(v.series.observations.size() == 1);
  CHECK_FALSE(v.series.observations[0].value);
  REQUIRE(diagnostics.size() == 2);
  CHECK(diagnostics[0].code == "data.frequency_mismatch");
  CHECK(diagnostics[0].severity == Severity::kError);
  CHECK(diagnostics[0].location == SourceLocation{"indicators/a.toml", 10, 5});
  CHECK(diagnostics[0].message ==
        "1 observation(s) of population 'dashboard/population' (series 'population' of source "
        "'dashboard', e.g. 2016/17) are financial_year periods, but 'derived' needs annual ones; "
        "they were left out");
  CHECK(diagnostics[1].code == "data.derived_missing");

  std::vector<Diagnostic> empty;
  compute_derived(def, {{month(2017, 3, 50)}, {}}, empty);
  REQUIRE(empty.size() == 2);
  CHECK(empty[0].code == "data.derived_no_input");
  CHECK(empty[0].message ==
        "population 'dashboard/population' of 'derived' has no data (series 'population' of "
        "source 'dashboard' holds no observations)");
}
