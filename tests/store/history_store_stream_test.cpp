// SPDX-License-Identifier: Apache-2.0
// Streamed ingest (HistoryStore::begin_ingest): batches into one transaction.
#include "catch.hpp"
#include "store/history_store.hpp"
#include "store/store_test_support.hpp"
#include "support/temp_dir.hpp"

#include <cmath>
#include <filesystem>
#include <limits>
#include <memory>
#include <string>
#include <vector>

using vitals::Observation;
using vitals::Period;
using vitals::Series;
using vitals::StatusCode;
using vitals::detail::HistoryStore;
using vitals::detail::IngestCounts;
using vitals::detail::SeriesIngest;
using vitals::testing::month;
using vitals::testing::obs;
using vitals::testing::RawDb;
using vitals::testing::TempDir;

using vitals::testing::open_store;
using vitals::testing::load;
using vitals::testing::same;

namespace {

std::unique_ptr<SeriesIngest> begin(HistoryStore& store, const std::string& source,
                                    std::int64_t at) {
  auto ingest = store.begin_ingest(source, at);
  REQUIRE(ingest.ok());
  return std::move(*ingest);
}

// `count` months from April 2015, the figure of month i being base + i.
std::vector<Observation> months(int count, double base) {
  std::vector<Observation> out;
  for (int i = 0; i < count; ++i) out.push_back(obs(Period::month(2015, 4).shifted(i), base + i));
  return out;
}

// Every stored observation block, in row order, as text.
std::string table_dump(const std::filesystem::path& path) {
  RawDb raw(path);
  return raw.text(
      "SELECT group_concat(line, '|') FROM (SELECT id || ',' || series_id || ',' || ingested_at"
      " || ',' || points AS line FROM observation_blocks ORDER BY id)");
}

// The value of `PRAGMA name` on the store's own connection, as text.
std::string pragma(HistoryStore& store, const std::string& name) {
  auto stmt = store.db().prepare("PRAGMA " + name);
  REQUIRE(stmt.ok());
  auto row = stmt->step();
  REQUIRE(row.ok());
  return stmt->column_text(0);
}

}  // namespace

TEST_CASE("a series split across batches is stored whole and counted once",
          "[store][history][stream]") {
  TempDir dir;
  auto store = open_store(dir / "h.db");
  const std::vector<Observation> all = months(150, 10.0);  // more than one multi-row insert
  auto ingest = begin(*store, "national", 100);
  REQUIRE(ingest->write({Series{"a", {all.begin(), all.begin() + 70}}}).is_ok());
  REQUIRE(ingest
              ->write({Series{"a", {all.begin() + 70, all.end()}},
                       Series{"b", {obs(month(2017, 3), 1.5)}}})
              .is_ok());
  CHECK(ingest->series_count() == 2);
  auto counts = ingest->commit();
  REQUIRE(counts.ok());
  CHECK(same(*counts, 151, 0, 0));

  CHECK(load(*store, "national", "a") == all);
  CHECK(load(*store, "national", "b") == std::vector<Observation>{obs(month(2017, 3), 1.5)});
  RawDb raw(dir / "h.db");
  CHECK(raw.integer("SELECT count(*) FROM series") == 2);
  CHECK(raw.integer("SELECT count(*) FROM observations") == 151);
  CHECK(pragma(*store, "foreign_keys") == "1");  // back on once the ingest is over
}

TEST_CASE("revisions are found across batches of a streamed ingest", "[store][history][stream]") {
  TempDir dir;
  auto store = open_store(dir / "h.db");
  {
    auto first = begin(*store, "national", 100);
    REQUIRE(first->write({Series{"a", months(100, 1.0)}}).is_ok());
    REQUIRE(first->commit().ok());
  }
  // The second delivery changes March 2016 (i = 11) in the first batch and
  // June 2020 (i = 62) in the third, after another series, and adds a month.
  std::vector<Observation> second = months(101, 1.0);
  second[11].value = 99.0;
  second[62].target = 4.0;
  auto ingest = begin(*store, "national", 200);
  REQUIRE(ingest->write({Series{"a", {second.begin(), second.begin() + 40}}}).is_ok());
  REQUIRE(ingest->write({Series{"b", {obs(month(2017, 3), 7.0)}}}).is_ok());
  REQUIRE(ingest->write({Series{"a", {second.begin() + 40, second.end()}}}).is_ok());
  auto counts = ingest->commit();
  REQUIRE(counts.ok());
  CHECK(same(*counts, 2, 2, 98));

  CHECK(load(*store, "national", "a") == second);
  auto march = store->revisions("national", "a", second[11].period);
  REQUIRE(march.ok());
  REQUIRE(march->size() == 2);
  CHECK((*march)[0].observation == obs(second[11].period, 12.0));
  CHECK((*march)[0].ingested_at == 100);
  CHECK((*march)[1].observation == second[11]);
  CHECK((*march)[1].ingested_at == 200);
  CHECK((*march)[1].current);
  auto june = store->revisions("national", "a", second[62].period);
  REQUIRE(june.ok());
  CHECK(june->size() == 2);
  RawDb raw(dir / "h.db");
  CHECK(raw.integer("SELECT count(*) FROM observations") == 104);
  CHECK(raw.integer("SELECT count(*) FROM observations WHERE superseded_at = 200") == 2);
}

TEST_CASE("a streamed ingest that fails midway leaves the store exactly as before",
          "[store][history][stream]") {
  TempDir dir;
  auto store = open_store(dir / "h.db");
  {
    auto first = begin(*store, "national", 100);
    REQUIRE(first->write({Series{"a", months(30, 1.0)}, Series{"b", months(5, 50.0)}}).is_ok());
    REQUIRE(first->commit().ok());
  }
  const std::string before = table_dump(dir / "h.db");
  const std::int64_t series_before = RawDb(dir / "h.db").integer("SELECT count(*) FROM series");

  std::vector<Observation> changed = months(30, 2.0);  // every figure revised
  std::vector<Observation> bad = months(3, 1.0);
  bad[2].numerator = std::numeric_limits<double>::quiet_NaN();

  SECTION("a batch with a bad figure fails the ingest and every later call") {
    auto ingest = begin(*store, "national", 200);
    REQUIRE(ingest->write({Series{"a", changed}, Series{"new", months(80, 5.0)}}).is_ok());
    vitals::Status failed = ingest->write({Series{"c", months(2, 1.0)}, Series{"d", bad}});
    CHECK(failed.code() == StatusCode::kInvalidArgument);
    CHECK(failed.message() ==
          "series 'd' from source 'national': the numerator for 2015-06 is not a finite number");
    CHECK(ingest->write({Series{"e", months(2, 1.0)}}).message() == failed.message());
    auto counts = ingest->commit();
    REQUIRE_FALSE(counts.ok());
    CHECK(counts.status().message() == failed.message());
  }
  SECTION("a period delivered again in a later batch fails the ingest") {
    auto ingest = begin(*store, "national", 200);
    REQUIRE(ingest->write({Series{"new", months(3, 5.0)}}).is_ok());
    REQUIRE(ingest->write({Series{"b", {obs(month(2015, 4), 9.0)}}}).is_ok());
    vitals::Status failed = ingest->write({Series{"new", {obs(month(2015, 5), 9.0)}}});
    CHECK(failed.code() == StatusCode::kInvalidArgument);
    CHECK(failed.message() ==
          "series 'new' from source 'national' lists period 2015-05 more than once");
  }
  SECTION("an ingest abandoned before its commit (the source failed) is rolled back") {
    auto ingest = begin(*store, "national", 200);
    REQUIRE(ingest->write({Series{"a", changed}}).is_ok());
    REQUIRE(ingest->write({Series{"new", months(200, 5.0)}}).is_ok());
  }

  CHECK(table_dump(dir / "h.db") == before);
  CHECK(RawDb(dir / "h.db").integer("SELECT count(*) FROM series") == series_before);
  CHECK(load(*store, "national", "a") == months(30, 1.0));
  CHECK(load(*store, "national", "new").empty());
  CHECK(pragma(*store, "foreign_keys") == "1");
  // The store takes the next ingest as usual.
  auto again = store->ingest("national", {Series{"a", changed}}, 300);
  REQUIRE(again.ok());
  CHECK(same(*again, 0, 30, 0));
}

TEST_CASE("a streamed ingest with no series still records its source", "[store][history][stream]") {
  TempDir dir;
  auto store = open_store(dir / "h.db");
  auto ingest = begin(*store, "empty", 100);
  auto counts = ingest->commit();
  REQUIRE(counts.ok());
  CHECK(same(*counts, 0, 0, 0));
  CHECK(RawDb(dir / "h.db").integer("SELECT count(*) FROM sources WHERE name = 'empty'") == 1);
  CHECK(store->begin_ingest("", 100).status().code() == StatusCode::kInvalidArgument);
}

namespace {

using vitals::detail::BuiltBlocks;

// Batches with what a source can deliver: a series split across batches,
// observations out of period order, a series without observations, blanks.
std::vector<std::vector<Series>> delivery(double base) {
  std::vector<Observation> a = months(40, base);
  std::vector<Observation> shuffled = {obs(month(2016, 2), base), obs(month(2015, 12), base + 1),
                                       obs(month(2016, 1), base + 2)};
  Observation blank = obs(month(2018, 1), base);
  blank.value.reset();
  blank.target = 7.5;
  return {{Series{"a", {a.begin(), a.begin() + 25}}, Series{"b", shuffled}, Series{"none", {}}},
          {Series{"c", {blank}}, Series{"a", {a.begin() + 25, a.end()}}}};
}

// What the store holds, row by row: series, then blocks with both forms.
std::string store_dump(const std::filesystem::path& path) {
  RawDb raw(path);
  return raw.text(
             "SELECT group_concat(line, '|') FROM (SELECT id || ',' || source_id || ',' || key"
             " AS line FROM series ORDER BY id)") +
         "/" +
         raw.text(
             "SELECT group_concat(line, '|') FROM (SELECT id || ',' || series_id || ',' ||"
             " ingested_at || ',' || points || ',' || hex(packed) AS line FROM observation_blocks"
             " ORDER BY id)");
}

// Stores `batches` for "national" at `at`, written as they are or built.
IngestCounts store_batches(HistoryStore& store, const std::vector<std::vector<Series>>& batches,
                           std::int64_t at, bool built) {
  auto ingest = begin(store, "national", at);
  if (built) {
    BuiltBlocks blocks("national");
    for (const std::vector<Series>& batch : batches) REQUIRE(blocks.add(batch).is_ok());
    REQUIRE(blocks.invalid().is_ok());
    REQUIRE(ingest->write(blocks).is_ok());
  } else {
    for (const std::vector<Series>& batch : batches) REQUIRE(ingest->write(batch).is_ok());
  }
  CHECK(ingest->series_count() == 4);
  auto counts = ingest->commit();
  REQUIRE(counts.ok());
  return *counts;
}

}  // namespace

TEST_CASE("built blocks are stored exactly as the batches they were built from",
          "[store][history][stream]") {
  TempDir dir;
  auto written = open_store(dir / "written.db");
  auto built = open_store(dir / "built.db");
  SECTION("in a store that holds none of the source") {
    CHECK(same(store_batches(*written, delivery(1.0), 100, false), 44, 0, 0));
    CHECK(same(store_batches(*built, delivery(1.0), 100, true), 44, 0, 0));
    CHECK(load(*built, "national", "a") == months(40, 1.0));
  }
  SECTION("in a store that holds the source already: compared as written batches are") {
    for (auto* store : {written.get(), built.get()}) {
      REQUIRE(store->ingest("national", {Series{"b", {obs(month(2016, 2), 1.0)}},
                                         Series{"z", months(3, 9.0)}}, 50).ok());
    }
    CHECK(same(store_batches(*written, delivery(1.0), 100, false), 43, 0, 1));
    CHECK(same(store_batches(*built, delivery(1.0), 100, true), 43, 0, 1));
    // A second delivery revising everything, built again.
    CHECK(same(store_batches(*written, delivery(2.0), 200, false), 0, 43, 1));
    CHECK(same(store_batches(*built, delivery(2.0), 200, true), 0, 43, 1));
    CHECK(load(*built, "national", "a") == months(40, 2.0));
  }
  CHECK(store_dump(dir / "built.db") == store_dump(dir / "written.db"));
  CHECK(pragma(*built, "foreign_keys") == "1");
}

TEST_CASE("built blocks refuse what a streamed ingest refuses, and store nothing",
          "[store][history][stream]") {
  TempDir dir;
  auto store = open_store(dir / "h.db");
  std::vector<Observation> bad = months(3, 1.0);
  bad[2].numerator = std::numeric_limits<double>::quiet_NaN();
  BuiltBlocks blocks("national");
  REQUIRE(blocks.add({Series{"a", months(5, 1.0)}}).is_ok());
  REQUIRE(blocks.add({Series{"c", months(2, 1.0)}, Series{"d", bad}}).is_ok());
  CHECK(blocks.invalid().code() == StatusCode::kInvalidArgument);
  CHECK(blocks.invalid().message() ==
        "series 'd' from source 'national': the numerator for 2015-06 is not a finite number");
  // Later batches are not looked at: the first error stands.
  REQUIRE(blocks.add({Series{"", months(2, 1.0)}}).is_ok());
  CHECK(blocks.invalid().message() ==
        "series 'd' from source 'national': the numerator for 2015-06 is not a finite number");

  BuiltBlocks twice("national");
  REQUIRE(twice.add({Series{"new", months(3, 5.0)}}).is_ok());
  REQUIRE(twice.add({Series{"new", {obs(month(2015, 5), 9.0)}}}).is_ok());
  CHECK(twice.invalid().message() ==
        "series 'new' from source 'national' lists period 2015-05 more than once");

  auto ingest = begin(*store, "national", 100);
  vitals::Status failed = ingest->write(blocks);
  CHECK(failed.message() == blocks.invalid().message());
  auto counts = ingest->commit();
  REQUIRE_FALSE(counts.ok());
  CHECK(counts.status().message() == failed.message());
  ingest.reset();
  CHECK(RawDb(dir / "h.db").integer("SELECT count(*) FROM series") == 0);
  CHECK(RawDb(dir / "h.db").integer("SELECT count(*) FROM observation_blocks") == 0);
}

TEST_CASE("holds_source says whether the store holds series of a source",
          "[store][history][stream]") {
  TempDir dir;
  auto store = open_store(dir / "h.db");
  auto held = store->holds_source("national");
  REQUIRE(held.ok());
  CHECK_FALSE(*held);
  REQUIRE(store->ingest("empty", {}, 100).ok());  // the source is recorded, with no series
  REQUIRE(store->ingest("national", {Series{"a", months(2, 1.0)}}, 100).ok());
  CHECK_FALSE(*store->holds_source("empty"));
  CHECK(*store->holds_source("national"));
  CHECK_FALSE(*store->holds_source("other"));
}
