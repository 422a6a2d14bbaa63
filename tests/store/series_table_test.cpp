// SPDX-License-Identifier: Apache-2.0
#include "store/series_table.hpp"

#include "catch.hpp"
#include "store/history_store.hpp"
#include "store/observation_block.hpp"
#include "store/store_test_support.hpp"
#include "support/temp_dir.hpp"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <string>
#include <vector>

#include <sqlite3.h>

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

namespace {

using vitals::detail::BlockPoint;
using vitals::detail::BlockReader;
using vitals::detail::PackedReader;
using vitals::testing::RawDb;

bool same_figure(double a, double b) {
  return (std::isnan(a) && std::isnan(b)) || (a == b && std::signbit(a) == std::signbit(b));
}

// Checks that every block's packed form reads back the points of its text;
// the number of blocks.
std::int64_t check_forms_agree(const std::filesystem::path& path) {
  sqlite3* db = nullptr;
  REQUIRE(sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK);
  sqlite3_stmt* stmt = nullptr;
  REQUIRE(sqlite3_prepare_v2(db, "SELECT id, points, packed FROM observation_blocks ORDER BY id",
                             -1, &stmt, nullptr) == SQLITE_OK);
  BlockReader text_reader;
  PackedReader packed_reader;
  std::int64_t blocks = 0;
  while (sqlite3_step(stmt) == SQLITE_ROW) {
    ++blocks;
    INFO("block " << sqlite3_column_int64(stmt, 0));
    std::vector<BlockPoint> from_text, from_packed;
    const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(stmt, 1));
    REQUIRE(text_reader.read(std::string_view(text, sqlite3_column_bytes(stmt, 1)), from_text).is_ok());
    REQUIRE(sqlite3_column_type(stmt, 2) == SQLITE_BLOB);
    const auto* bytes = static_cast<const char*>(sqlite3_column_blob(stmt, 2));
    REQUIRE(packed_reader
                .read(std::string_view(bytes, sqlite3_column_bytes(stmt, 2)), from_packed)
                .is_ok());
    REQUIRE(from_text.size() == from_packed.size());
    for (std::size_t i = 0; i < from_text.size(); ++i) {
      CHECK(from_text[i].period == from_packed[i].period);
      CHECK(same_figure(from_text[i].value, from_packed[i].value));
      CHECK(same_figure(from_text[i].numerator, from_packed[i].numerator));
      CHECK(same_figure(from_text[i].denominator, from_packed[i].denominator));
      CHECK(same_figure(from_text[i].target, from_packed[i].target));
    }
  }
  sqlite3_finalize(stmt);
  sqlite3_close_v2(db);
  return blocks;
}

std::vector<Series> delivery(double shift) {
  std::vector<Series> out;
  for (int s = 0; s < 4; ++s) {
    Series series{"s" + std::to_string(s), {}};
    for (int m = 1; m <= 12; ++m) {
      Observation o = obs(month(2016, m), s * 100 + m + shift + 0.1);
      if (s == 1) o.numerator = m * 3.0, o.denominator = 7.0;
      if (s == 2 && m % 3 == 0) o.value.reset(), o.target = 1.0 / m;
      series.observations.push_back(o);
    }
    if (s == 3) series.observations.push_back(obs(Period::financial_year(2015), -0.0));
    out.push_back(series);
  }
  return out;
}

}  // namespace

TEST_CASE("every block's packed form agrees with its text after ingest, revision and re-ingest",
          "[store][series_table]") {
  TempDir dir;
  auto store = open_store(dir / "h.db");
  ingest(*store, "national", delivery(0), 100);
  CHECK(check_forms_agree(dir / "h.db") == 4);
  // Revised figures in some series and periods.
  auto revised = delivery(0);
  revised[0].observations[3].value = 9.25;
  revised[1].observations[11].numerator.reset();
  revised[2].observations.push_back(obs(month(2017, 1), 5.0));
  ingest(*store, "national", revised, 200);
  CHECK(check_forms_agree(dir / "h.db") == 7);
  // Unchanged: nothing written. Then everything changed.
  ingest(*store, "national", revised, 300);
  CHECK(check_forms_agree(dir / "h.db") == 7);
  ingest(*store, "national", delivery(0.5), 400);
  CHECK(check_forms_agree(dir / "h.db") == 11);

  auto table = load_series_table(*store);
  REQUIRE(table.ok());
  CHECK(table->damaged_blocks.empty());
  for (const Series& s : delivery(0.5)) {
    INFO(s.key);
    const SeriesColumns* columns = table->find("national", s.key);
    REQUIRE(columns != nullptr);
    std::vector<Observation> expected = s.observations;
    // Delivered at 200 only, so still current.
    if (s.key == "s2") expected.push_back(obs(month(2017, 1), 5.0));
    std::sort(expected.begin(), expected.end(),
              [](const Observation& a, const Observation& b) { return a.period < b.period; });
    CHECK(observations_of(*columns) == expected);
  }
}

TEST_CASE("a damaged packed block is read from its text, with a warning",
          "[store][series_table]") {
  TempDir dir;
  auto path = dir / "h.db";
  auto store = open_store(path);
  ingest(*store, "national", delivery(0), 100);
  auto sound = load_series_table(*store);
  REQUIRE(sound.ok());

  SECTION("a changed byte") {
    RawDb(path).exec(
        "UPDATE observation_blocks SET packed = CAST(substr(packed, 1, 20) || x'FF' ||"
        " substr(packed, 22) AS BLOB) WHERE id = 2");
  }
  SECTION("cut short") {
    RawDb(path).exec("UPDATE observation_blocks SET packed = substr(packed, 1, 40) WHERE id = 2");
  }
  SECTION("not a blob") {
    // Text in the packed column is not a packed block: the text is read,
    // without a warning, as for a block stored without a packed form.
    RawDb(path).exec("UPDATE observation_blocks SET packed = 'x' WHERE id = 2");
  }
  auto table = load_series_table(*store);
  REQUIRE(table.ok());
  const bool not_blob = RawDb(path).integer(
                            "SELECT typeof(packed) = 'text' FROM observation_blocks WHERE id = 2") == 1;
  if (not_blob) {
    CHECK(table->damaged_blocks.empty());
  } else {
    REQUIRE(table->damaged_blocks.size() == 1);
    CHECK(table->damaged_blocks[0].rfind("block 2 of series 2 is unreadable: packed observation block: ", 0) == 0);
    CHECK(table->damaged_blocks[0].find("; its text was read instead") != std::string::npos);
  }
  for (int s = 0; s < 4; ++s) {
    const std::string key = "s" + std::to_string(s);
    INFO(key);
    CHECK(observations_of(*table->find("national", key)) ==
          observations_of(*sound->find("national", key)));
  }
}

TEST_CASE("a block whose text is changed with SQL alone is read from its new text",
          "[store][series_table]") {
  TempDir dir;
  auto path = dir / "h.db";
  auto store = open_store(path);
  ingest(*store, "national", {Series{"a", {obs(month(2017, 1), 1.0)}}}, 100);
  RawDb(path).exec("UPDATE observation_blocks SET points = '[[\"2017-01\",2]]'");
  CHECK(RawDb(path).integer("SELECT count(*) FROM observation_blocks WHERE packed IS NULL") == 1);
  auto table = load_series_table(*store);
  REQUIRE(table.ok());
  CHECK(table->damaged_blocks.empty());
  CHECK(observations_of(*table->find("national", "a")) ==
        std::vector<Observation>{obs(month(2017, 1), 2.0)});
  // The observations view reads the text, as SQL tools do.
  CHECK(RawDb(path).text("SELECT value FROM observations") == "2");
}

TEST_CASE("an ingest compares with each block's packed form, or its text when that is missing or damaged",
          "[store][series_table][ingest]") {
  TempDir dir;
  auto path = dir / "h.db";
  auto store = open_store(path);
  ingest(*store, "national", delivery(0), 100);
  // Series s0's one point changed in its text (the trigger drops the packed
  // form), s1's packed form damaged, s2's text in the packed column, s3's
  // packed form removed: each is compared with its text.
  RawDb(path).exec(
      "UPDATE observation_blocks SET points = replace(points, '[\"2016-05\",5.1]', '[\"2016-05\",7]')"
      " WHERE id = 1");
  RawDb(path).exec(
      "UPDATE observation_blocks SET packed = CAST(substr(packed, 1, 20) || x'FF' ||"
      " substr(packed, 22) AS BLOB) WHERE id = 2");
  RawDb(path).exec("UPDATE observation_blocks SET packed = 'x' WHERE id = 3");
  RawDb(path).exec("UPDATE observation_blocks SET packed = NULL WHERE id = 4");
  REQUIRE(RawDb(path).integer("SELECT count(*) FROM observation_blocks WHERE packed IS NULL") == 2);
  REQUIRE(RawDb(path).integer("SELECT count(*) FROM observation_blocks WHERE id = 1"
                              " AND instr(points, '[\"2016-05\",7]') > 0") == 1);

  auto again = store->ingest("national", delivery(0), 200);
  REQUIRE(again.ok());
  CHECK(again->inserted == 0);
  CHECK(again->revised == 1);  // s0's 2016-05, back from the text's 7 to 5.1
  CHECK(again->unchanged == 48);

  // Again, with s0's revision packed: unchanged, then one figure revised.
  auto same = store->ingest("national", delivery(0), 300);
  REQUIRE(same.ok());
  CHECK(same->revised == 0);
  CHECK(same->unchanged == 49);
  auto revised = delivery(0);
  revised[1].observations[4].numerator = 99.0;
  auto one = store->ingest("national", revised, 400);
  REQUIRE(one.ok());
  CHECK(one->revised == 1);
  CHECK(one->unchanged == 48);
}
