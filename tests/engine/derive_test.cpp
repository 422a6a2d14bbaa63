// SPDX-License-Identifier: Apache-2.0
// Derived indicators through the engine (engine/derive.cpp): computed after an
// ingest, stored with the inputs each value came from, revised when an input is.
#include <vitals/engine.hpp>

#include <algorithm>

#include "catch.hpp"
#include "engine/engine_test_support.hpp"
#include "store/derived_inputs.hpp"
#include "store/history_store.hpp"
#include "store/store_test_support.hpp"
#include "support/temp_dir.hpp"

using namespace vitals;
using vitals::testing::result_of;
using vitals::testing::TempDir;

namespace {

constexpr const char* kCatalogue = R"([catalogue]
name = "Derived"

[sources.pushed]
plugin = "csv"
path = "unused.csv"
)";

constexpr const char* kIndicators = R"([[indicator]]
id = "assessed"
title = "Carers assessed"
polarity = "bigger"
unit = "count"
frequency = "monthly"
source = "pushed"

[[indicator]]
id = "known"
title = "Carers known"
polarity = "bigger"
unit = "count"
frequency = "monthly"
source = "pushed"

[[indicator]]
id = "assessed_pct"
title = "Percentage of carers assessed"
polarity = "bigger"
unit = "percent"
frequency = "monthly"
target = 70
derived = { operation = "percentage", numerator = "assessed", denominator = "known" }

[[indicator]]
id = "assessed_per_100k"
title = "Carers assessed per 100,000 adults"
polarity = "bigger"
unit = "per_100k"
frequency = "monthly"
derived = { operation = "rate_per_100k", count = "assessed", population = "pushed/population_18_plus" }

[[indicator]]
id = "pct_average"
title = "Percentage assessed, 12-month average"
polarity = "bigger"
unit = "percent"
frequency = "monthly"
derived = { operation = "rolling_12_month_average", input = "assessed_pct" }
)";

Observation obs(const Period& period, double value) {
  Observation o;
  o.period = period;
  o.value = value;
  return o;
}

std::vector<Series> counts(double march_assessed) {
  Series assessed{"assessed", {}};
  Series known{"known", {}};
  for (int i = 0; i < 12; ++i) {
    const Period p = Period::month(2016, 4).shifted(i);
    assessed.observations.push_back(obs(p, i == 11 ? march_assessed : 40));
    known.observations.push_back(obs(p, 80));
  }
  Series population{"population_18_plus", {obs(Period::calendar_year(2016), 400000)}};
  return {assessed, known, population};
}

// An engine with the example catalogue loaded, its store in `dir`.
Engine loaded_engine(const TempDir& dir) {
  dir.write("cat/catalogue.toml", kCatalogue);
  dir.write("cat/indicators/carers.toml", kIndicators);
  EngineOptions options;
  options.store_path = dir / "vitals.db";
  auto engine = Engine::open(options);
  REQUIRE(engine.ok());
  REQUIRE(engine->load_catalogue(dir / "cat").is_ok());
  return std::move(*engine);
}

}  // namespace

TEST_CASE("derived indicators are computed after an ingest and evaluated like the others",
          "[engine][derived]") {
  TempDir dir;
  Engine engine = loaded_engine(dir);
  auto ingested = engine.ingest_series("pushed", counts(60));
  REQUIRE(ingested.ok());
  // 25 read, then 12 + 12 + 1 derived.
  CHECK(ingested->inserted == 25 + 25);
  CHECK(ingested->unknown_series.empty());  // the population is read by a derived indicator

  auto report = engine.evaluate(Period::month(2017, 3));
  REQUIRE(report.ok());
  INFO(report->diagnostics.size());
  CHECK(report->complete());
  const IndicatorResult& pct = result_of(*report, "assessed_pct");
  REQUIRE(pct.latest);
  CHECK(pct.latest->value == 75.0);
  CHECK(pct.latest->numerator == 60.0);
  CHECK(pct.latest->denominator == 80.0);
  CHECK(pct.latest->rag == Rag::kGreen);
  const IndicatorResult& rate = result_of(*report, "assessed_per_100k");
  REQUIRE(rate.latest);
  CHECK(rate.latest->value == 15.0);
  CHECK(rate.latest->denominator == 400000.0);
  const IndicatorResult& average = result_of(*report, "pct_average");
  REQUIRE(average.latest);
  CHECK(average.latest->period == Period::month(2017, 3));
  CHECK(average.latest->value == Approx((11 * 50.0 + 75.0) / 12));
}

TEST_CASE("a revised input revises the derived values, with the new input as provenance",
          "[engine][derived]") {
  TempDir dir;
  Engine engine = loaded_engine(dir);
  REQUIRE(engine.ingest_series("pushed", counts(60)).ok());
  auto again = engine.ingest_series("pushed", counts(64));
  REQUIRE(again.ok());
  // assessed March, and from it the percentage, the rate and the average.
  CHECK(again->revised == 4);
  CHECK(again->inserted == 0);

  auto store = detail::HistoryStore::open(dir / "vitals.db");
  REQUIRE(store.ok());
  auto revisions = (*store)->revisions(kDerivedSourceName, "assessed_pct", Period::month(2017, 3));
  REQUIRE(revisions.ok());
  REQUIRE(revisions->size() == 2);
  CHECK((*revisions)[0].observation.value == 75.0);
  CHECK((*revisions)[1].observation.value == 80.0);
  CHECK((*revisions)[1].observation.numerator == 64.0);
  CHECK((*revisions)[1].current);

  const std::int64_t when = (*revisions)[1].ingested_at;
  auto inputs =
      detail::load_derived_inputs((*store)->db(), "assessed_pct", Period::month(2017, 3), when);
  REQUIRE(inputs.ok());
  auto assessed = (*store)->revisions("pushed", "assessed", Period::month(2017, 3));
  REQUIRE(assessed.ok());
  REQUIRE(assessed->size() == 2);
  CHECK(*inputs == std::vector<detail::DerivedInputUse>{
                       {"pushed", "assessed", Period::month(2017, 3), assessed->back().ingested_at},
                       {"pushed", "known", Period::month(2017, 3), assessed->front().ingested_at}});

  // The rate's provenance names the population estimate it used.
  auto rate_inputs = detail::load_derived_inputs((*store)->db(), "assessed_per_100k",
                                                 Period::month(2017, 3), when);
  REQUIRE(rate_inputs.ok());
  REQUIRE(rate_inputs->size() == 2);
  CHECK((*rate_inputs)[1].series == "population_18_plus");
  CHECK((*rate_inputs)[1].period == Period::calendar_year(2016));

  // The 12-month average was computed from the derived percentage.
  auto average_inputs = detail::load_derived_inputs((*store)->db(), "pct_average",
                                                    Period::month(2017, 3), when);
  REQUIRE(average_inputs.ok());
  REQUIRE(average_inputs->size() == 12);
  CHECK((*average_inputs)[0].source == kDerivedSourceName);
  CHECK((*average_inputs)[0].series == "assessed_pct");

  auto report = engine.evaluate(Period::month(2017, 3));
  REQUIRE(report.ok());
  CHECK(result_of(*report, "assessed_pct").latest->value == 80.0);
}

TEST_CASE("an unchanged input writes no derived revision", "[engine][derived]") {
  TempDir dir;
  Engine engine = loaded_engine(dir);
  REQUIRE(engine.ingest_series("pushed", counts(60)).ok());
  auto again = engine.ingest_series("pushed", counts(60));
  REQUIRE(again.ok());
  CHECK(again->revised == 0);
  CHECK(again->inserted == 0);
  CHECK(again->unchanged == 25 + 25);
}

TEST_CASE("when an input's source fails, derived values are kept and marked incomplete",
          "[engine][derived]") {
  TempDir dir;
  Engine engine = loaded_engine(dir);
  REQUIRE(engine.ingest_series("pushed", counts(60)).ok());
  // Plugin loading is off, so reading the source fails.
  auto failed = engine.ingest();
  REQUIRE(failed.ok());
  REQUIRE(failed->failed.size() == 1);
  CHECK(failed->inserted == 0);

  auto report = engine.evaluate(Period::month(2017, 3));
  REQUIRE(report.ok());
  CHECK_FALSE(report->complete());
  REQUIRE(report->incomplete.size() == 1);
  CHECK(report->incomplete[0].indicators ==
        std::vector<std::string>{"assessed", "assessed_pct", "assessed_per_100k", "known",
                                 "pct_average"});
  const IndicatorResult& pct = result_of(*report, "assessed_pct");
  REQUIRE(pct.latest);
  CHECK(pct.latest->value == 75.0);  // as stored before the failure
  CHECK_FALSE(pct.incomplete.empty());
}

TEST_CASE("a derived indicator that cannot be stored keeps nothing half-written and makes the run "
          "incomplete, also in a later process", "[engine][derived]") {
  TempDir dir;
  {
    Engine engine = loaded_engine(dir);
    REQUIRE(engine.ingest_series("pushed", counts(60)).ok());
  }
  // The store refuses the provenance of the next derived revision.
  {
    vitals::testing::RawDb raw(dir / "vitals.db");
    raw.exec("CREATE TRIGGER refuse BEFORE INSERT ON derived_inputs"
             " BEGIN SELECT RAISE(ABORT, 'refused by the test'); END");
  }
  Engine engine = loaded_engine(dir);
  auto revised = engine.ingest_series("pushed", counts(64));
  REQUIRE(revised.ok());
  CHECK(revised->revised == 1);  // the input only: no derived value was stored
  REQUIRE(revised->failed.size() == 1);
  CHECK(revised->failed[0].source == kDerivedSourceName);
  CHECK(std::any_of(revised->diagnostics.begin(), revised->diagnostics.end(),
                    [](const Diagnostic& d) { return d.code == "store.derive_failed"; }));

  {
    auto store = detail::HistoryStore::open(dir / "vitals.db");
    REQUIRE(store.ok());
    auto pct = (*store)->revisions(kDerivedSourceName, "assessed_pct", Period::month(2017, 3));
    REQUIRE(pct.ok());
    CHECK(pct->size() == 1);  // the value and its provenance were rolled back together
  }

  const auto incomplete_pct = [](Engine& e) {
    auto report = e.evaluate(Period::month(2017, 3));
    REQUIRE(report.ok());
    CHECK_FALSE(report->complete());
    CHECK(result_of(*report, "assessed_pct").latest->value == 75.0);
    return !result_of(*report, "assessed_pct").incomplete.empty() &&
           result_of(*report, "assessed").incomplete.empty();
  };
  CHECK(incomplete_pct(engine));
  Engine later = loaded_engine(dir);  // knows only what the store remembers
  CHECK(incomplete_pct(later));

  // Once the derivation succeeds, the run is complete again.
  {
    vitals::testing::RawDb raw(dir / "vitals.db");
    raw.exec("DROP TRIGGER refuse");
  }
  auto again = later.ingest_series("pushed", counts(64));
  REQUIRE(again.ok());
  CHECK(again->failed.empty());
  CHECK(again->revised == 3);
  auto report = later.evaluate(Period::month(2017, 3));
  REQUIRE(report.ok());
  CHECK(report->complete());
  CHECK(result_of(*report, "assessed_pct").latest->value == 80.0);
}
