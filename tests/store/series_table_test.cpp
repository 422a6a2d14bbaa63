// SPDX-License-Identifier: Apache-2.0
#include "store/series_table.hpp"

#include "catch.hpp"
#include "store/history_store.hpp"
#include "store/store_test_support.hpp"
#include "support/temp_dir.hpp"

#include <string>
#include <vector>

using vitals::Observation;
using vitals::Period;
using vitals::Series;
using vitals::detail::HistoryStore;
using vitals::detail::load_series_table;
using vitals::detail::SeriesColumns;
using vitals::testing::month;
using vitals::testing::obs;
using vitals::testing::TempDir;

using vitals::testing::open_store;
using vitals::testing::ingest;

namespace {

std::vector<Observation> observations_of(const SeriesColumns& columns) {
  std::vector<Observation> out;
  for (std::size_t i = 0; i < columns.size(); ++i) out.push_back(columns.observation(i));
  return out;
}

}  // namespace

TEST_CASE("packed periods keep every frequency and sort as periods do", "[store][series_table]") {
  using vitals::detail::pack_period;
  using vitals::detail::unpack_period;
  // Periods ending in March 2017 (and a financial quarter over the same
  // months as a calendar one), in Period order.
  const std::vector<Period> periods = {
      Period::month(2016, 6),           Period::quarter(2016, 2),
      Period::financial_quarter(2016, 1), Period::month(2017, 3),
      Period::quarter(2017, 1),         Period::financial_quarter(2016, 4),
      Period::financial_year(2016),     Period::calendar_year(2017),
      Period::financial_quarter(-1, 2)};
  for (const Period& p : periods) {
    INFO(p.to_string());
    CHECK(unpack_period(pack_period(p)) == p);
    CHECK(unpack_period(pack_period(p)).frequency() == p.frequency());
  }
  for (std::size_t i = 0; i + 1 < periods.size() - 1; ++i) {
    INFO(periods[i].to_string() + " < " + periods[i + 1].to_string());
    CHECK(periods[i] < periods[i + 1]);
    CHECK(pack_period(periods[i]) < pack_period(periods[i + 1]));
  }
}

TEST_CASE("financial quarters are stored and read back as financial quarters",
          "[store][series_table]") {
  TempDir dir;
  auto store = open_store(dir / "h.db");
  ingest(*store, "returns",
         {Series{"q", {obs(Period::financial_quarter(2017, 1), 1.0),
                       obs(Period::quarter(2017, 2), 2.0)}}},
         100);
  auto table = load_series_table(*store);
  REQUIRE(table.ok());
  const SeriesColumns* q = table->find("returns", "q");
  REQUIRE(q != nullptr);
  CHECK(observations_of(*q) == std::vector<Observation>{obs(Period::quarter(2017, 2), 2.0),
                                                        obs(Period::financial_quarter(2017, 1), 1.0)});
}

TEST_CASE("the series table holds every current observation of every series in period order",
          "[store][series_table]") {
  TempDir dir;
  auto store = open_store(dir / "h.db");
  // Delivered out of order, with a quarter ending in the same month as a month.
  ingest(*store, "national",
         {Series{"a",
                 {obs(month(2017, 3), 3.0, 30.0, 100.0), obs(Period::quarter(2017, 1), 9.0),
                  obs(month(2017, 1), 1.0, 10.0, 100.0), obs(month(2017, 2), std::nullopt)}},
          Series{"b", {obs(month(2017, 1), 5.0)}}},
         100);
  ingest(*store, "local", {Series{"a", {obs(Period::financial_year(2016), 7.0, {}, {}, 8.0)}}},
         100);
  // Later: a revision and an earlier month of "a", after "b" and another source.
  ingest(*store, "national",
         {Series{"a", {obs(month(2016, 12), 0.5), obs(month(2017, 2), 2.0, 20.0, 100.0)}}}, 200);

  auto table = load_series_table(*store);
  REQUIRE(table.ok());
  CHECK(table->observations == 7);
  CHECK(table->sources.size() == 2);

  const SeriesColumns* a = table->find("national", "a");
  REQUIRE(a != nullptr);
  const std::vector<Observation> expected_a = {
      obs(month(2016, 12), 0.5),          obs(month(2017, 1), 1.0, 10.0, 100.0),
      obs(month(2017, 2), 2.0, 20.0, 100.0), obs(month(2017, 3), 3.0, 30.0, 100.0),
      obs(Period::quarter(2017, 1), 9.0)};
  CHECK(observations_of(*a) == expected_a);
  auto loaded = store->load_series("national", "a");
  REQUIRE(loaded.ok());
  CHECK(*loaded == expected_a);
  CHECK(a->targets.empty());  // no figure in the column: left empty

  const SeriesColumns* b = table->find("national", "b");
  REQUIRE(b != nullptr);
  CHECK(observations_of(*b) == std::vector<Observation>{obs(month(2017, 1), 5.0)});
  CHECK(b->numerators.empty());
  CHECK(b->denominators.empty());

  const SeriesColumns* local = table->find("local", "a");
  REQUIRE(local != nullptr);
  CHECK(observations_of(*local) ==
        std::vector<Observation>{obs(Period::financial_year(2016), 7.0, {}, {}, 8.0)});
  CHECK(table->find("local", "b") == nullptr);
  CHECK(table->find("regional", "a") == nullptr);
}

TEST_CASE("the series table of an empty store is empty", "[store][series_table]") {
  TempDir dir;
  auto store = open_store(dir / "h.db");
  auto table = load_series_table(*store);
  REQUIRE(table.ok());
  CHECK(table->observations == 0);
  CHECK(table->sources.empty());
}

TEST_CASE("a damaged observation block is reported by block and series, and nothing is written",
          "[store][series_table]") {
  TempDir dir;
  const auto path = dir / "h.db";
  auto store = open_store(path);
  ingest(*store, "national", {Series{"a", {obs(month(2017, 1), 1.0)}}}, 100);
  ingest(*store, "national", {Series{"b", {obs(month(2017, 1), 2.0)}}}, 100);
  // Another program writes over series a's block.
  vitals::testing::RawDb raw(path);
  raw.exec("UPDATE observation_blocks SET points = '[[\"2017-01\",1,' WHERE id = 1");
  const std::string expected = "store '" + path.string() +
                               "': block 1 of series 1 is unreadable: observation block at byte "
                               "14: expected a value";

  auto table = load_series_table(*store);
  REQUIRE_FALSE(table.ok());
  CHECK(table.status().code() == vitals::StatusCode::kStoreError);
  CHECK(table.status().message() == expected);

  auto loaded = store->load_series("national", "a");
  REQUIRE_FALSE(loaded.ok());
  CHECK(loaded.status().message() == expected);
  auto history = store->revisions("national", "a", month(2017, 1));
  REQUIRE_FALSE(history.ok());
  CHECK(history.status().message() == expected);

  // An ingest that must compare with the damaged block fails whole.
  auto counts = store->ingest(
      "national", {Series{"b", {obs(month(2017, 2), 3.0)}}, Series{"a", {obs(month(2017, 2), 4.0)}}},
      200);
  REQUIRE_FALSE(counts.ok());
  CHECK(counts.status().message() == expected);
  CHECK(raw.integer("SELECT count(*) FROM observation_blocks") == 2);
  auto b = store->load_series("national", "b");
  REQUIRE(b.ok());
  CHECK(*b == std::vector<Observation>{obs(month(2017, 1), 2.0)});
}
