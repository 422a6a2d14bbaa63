// SPDX-License-Identifier: Apache-2.0
#include "store/migrations.hpp"

#include "catch.hpp"
#include "store/history_store.hpp"
#include "store/series_table.hpp"
#include "store/sqlite_db.hpp"
#include "store/store_test_support.hpp"
#include "support/temp_dir.hpp"

#include <vitals/figures.hpp>

#include <filesystem>
#include <string>
#include <vector>

using vitals::Observation;
using vitals::Period;
using vitals::Series;
using vitals::StatusCode;
using vitals::detail::HistoryStore;
using vitals::detail::kStoreApplicationId;
using vitals::detail::latest_schema_version;
using vitals::testing::month;
using vitals::testing::obs;
using vitals::testing::RawDb;
using vitals::testing::TempDir;

TEST_CASE("a new store is created at the latest schema version and marked as a Vitals store",
          "[store][migrations]") {
  TempDir dir;
  auto path = dir / "history.db";
  {
    auto store = HistoryStore::open(path);
    REQUIRE(store.ok());
  }
  RawDb raw(path);
  CHECK(latest_schema_version() == 11);
  CHECK(raw.integer("PRAGMA user_version") == latest_schema_version());
  CHECK(raw.integer("PRAGMA application_id") == kStoreApplicationId);
  CHECK(raw.text("PRAGMA journal_mode") == "wal");
  CHECK(raw.integer("PRAGMA page_size") == 16384);
  CHECK(raw.text("SELECT group_concat(name, ',') FROM (SELECT name FROM sqlite_schema"
                 " WHERE type = 'table' ORDER BY name)") ==
        "derived_inputs,findings,observation_blocks,record_snapshots,records,run_diagnostics,"
        "run_exceptions,run_incomplete,run_indicators,runs,series,source_failures,"
        "source_read_diagnostics,source_read_files,source_read_unknown_series,source_reads,sources");
  // Observations are read through a view of the blocks.
  CHECK(raw.text("SELECT group_concat(name) FROM sqlite_schema WHERE type = 'view'") ==
        "observations");
  CHECK(raw.text("SELECT group_concat(name) FROM sqlite_schema WHERE type = 'index'"
                 " AND tbl_name = 'observation_blocks'") == "observation_blocks_by_series");
  CHECK(raw.integer("SELECT count(*) FROM observations") == 0);
}

TEST_CASE("opening an up-to-date store again changes nothing", "[store][migrations]") {
  TempDir dir;
  auto path = dir / "history.db";
  { REQUIRE(HistoryStore::open(path).ok()); }
  const std::string bytes_before = vitals::testing::read_file(path);
  { REQUIRE(HistoryStore::open(path).ok()); }
  CHECK(vitals::testing::read_file(path) == bytes_before);
  CHECK(RawDb(path).integer("PRAGMA user_version") == latest_schema_version());
}

TEST_CASE("a store made with another page size keeps it and is used as it is",
          "[store][migrations]") {
  TempDir dir;
  auto path = dir / "history.db";
  RawDb(path).exec("PRAGMA page_size = 4096; CREATE TABLE t (x); DROP TABLE t");
  REQUIRE(RawDb(path).integer("PRAGMA page_size") == 4096);
  {
    auto store = HistoryStore::open(path);
    REQUIRE(store.ok());
    REQUIRE((*store)->ingest("s", {Series{"k", {obs(month(2017, 1), 1.0)}}}, 1).ok());
  }
  RawDb raw(path);
  CHECK(raw.integer("PRAGMA page_size") == 4096);
  CHECK(raw.integer("PRAGMA user_version") == latest_schema_version());
  CHECK(raw.integer("SELECT count(*) FROM observations") == 1);
}

TEST_CASE("a store from a newer version of Vitals is refused and left alone",
          "[store][migrations]") {
  TempDir dir;
  auto path = dir / "history.db";
  { REQUIRE(HistoryStore::open(path).ok()); }
  const int newer = latest_schema_version() + 1;
  RawDb(path).exec("PRAGMA user_version = " + std::to_string(newer));

  auto store = HistoryStore::open(path);
  REQUIRE_FALSE(store.ok());
  CHECK(store.status().code() == StatusCode::kStoreError);
  CHECK(store.status().message() ==
        "store '" + path.string() +
            "': schema version " + std::to_string(newer) +
            " is newer than this build of Vitals understands (up to " +
            std::to_string(latest_schema_version()) + ");"
            " open it with a newer version of Vitals");
  CHECK(RawDb(path).integer("PRAGMA user_version") == newer);
}

TEST_CASE("another program's SQLite database is refused and its tables left alone",
          "[store][migrations]") {
  TempDir dir;
  auto path = dir / "other.db";
  RawDb(path).exec(
      "CREATE TABLE accounts (id INTEGER PRIMARY KEY, name TEXT);"
      "INSERT INTO accounts (name) VALUES ('a'), ('b')");

  auto store = HistoryStore::open(path);
  REQUIRE_FALSE(store.ok());
  CHECK(store.status().code() == StatusCode::kStoreError);
  CHECK(store.status().message() ==
        "store '" + path.string() +
            "': is a SQLite database but not a Vitals store (application_id 0x00000000,"
            " schema version 0); choose another file");
  RawDb raw(path);
  CHECK(raw.integer("SELECT count(*) FROM sqlite_schema") == 1);
  CHECK(raw.integer("SELECT count(*) FROM accounts") == 2);

  SECTION("also when it uses application_id and user_version for itself") {
    raw.exec("PRAGMA application_id = 42; PRAGMA user_version = 1");
    auto again = HistoryStore::open(path);
    REQUIRE_FALSE(again.ok());
    CHECK(again.status().message().find("not a Vitals store (application_id 0x0000002A,"
                                        " schema version 1)") != std::string::npos);
  }
}

TEST_CASE("an empty SQLite database becomes a new store", "[store][migrations]") {
  TempDir dir;
  auto path = dir / "empty.db";
  RawDb(path).exec("CREATE TABLE t (x); DROP TABLE t");
  auto store = HistoryStore::open(path);
  REQUIRE(store.ok());
  CHECK(RawDb(path).integer("PRAGMA user_version") == latest_schema_version());
  CHECK(RawDb(path).integer("PRAGMA application_id") == kStoreApplicationId);
}

namespace {

// A new store at schema version 2.
void make_version_2_store(const std::filesystem::path& path) {
  auto db = vitals::detail::Db::open(path);
  REQUIRE(db.ok());
  REQUIRE(vitals::detail::migrate_to(*db, 2).is_ok());
}

}  // namespace

TEST_CASE("a store made before application_id was set still opens, and a migration marks it",
          "[store][migrations]") {
  TempDir dir;
  auto path = dir / "history.db";
  make_version_2_store(path);
  RawDb(path).exec("PRAGMA application_id = 0");
  {
    auto db = vitals::detail::Db::open(path);
    REQUIRE(db.ok());
    CHECK(vitals::detail::migrate_to(*db, 2).is_ok());  // current for version 2: nothing written
  }
  CHECK(RawDb(path).integer("PRAGMA application_id") == 0);
  REQUIRE(HistoryStore::open(path).ok());
  CHECK(RawDb(path).integer("PRAGMA user_version") == latest_schema_version());
  CHECK(RawDb(path).integer("PRAGMA application_id") == kStoreApplicationId);
}

TEST_CASE("a version 4 store's runs read back complete at version 5", "[store][migrations]") {
  TempDir dir;
  auto path = dir / "history.db";
  {
    auto db = vitals::detail::Db::open(path);
    REQUIRE(db.ok());
    REQUIRE(vitals::detail::migrate_to(*db, 4).is_ok());
    REQUIRE(db->exec("INSERT INTO runs (id, catalogue, committee, period, created_at, engine_version,"
                     " indicators, exceptions, diagnostics) VALUES (1, 'Test', 'Committee', '2017-03',"
                     " 100, '0.1.0', 1, 0, 0);"
                     "INSERT INTO run_indicators (run_id, position, indicator_id, title, polarity, unit,"
                     " frequency, data_state, is_exception) VALUES (1, 0, 'visits', 'Visits', 'bigger',"
                     " 'number', 'monthly', 'current', 0);",
                     "a version 4 run")
                .is_ok());
  }
  auto store = HistoryStore::open(path);
  REQUIRE(store.ok());
  CHECK(RawDb(path).integer("PRAGMA user_version") == latest_schema_version());
  auto run = (*store)->load_run(1);
  REQUIRE(run.ok());
  CHECK(run->complete());
  REQUIRE(run->indicators.size() == 1);
  CHECK(run->indicators[0].incomplete.empty());
  CHECK(RawDb(path).integer("SELECT count(*) FROM source_failures") == 0);
}

TEST_CASE("a version 9 store's runs read back with the unit's decimals, and new runs keep theirs",
          "[store][migrations]") {
  TempDir dir;
  auto path = dir / "history.db";
  {
    auto db = vitals::detail::Db::open(path);
    REQUIRE(db.ok());
    REQUIRE(vitals::detail::migrate_to(*db, 9).is_ok());
    REQUIRE(db->exec("INSERT INTO runs (id, catalogue, committee, period, created_at, engine_version,"
                     " indicators, exceptions, diagnostics) VALUES (1, 'Test', 'Committee', '2017-03',"
                     " 100, '0.1.0', 1, 0, 0);"
                     "INSERT INTO run_indicators (run_id, position, indicator_id, title, polarity, unit,"
                     " frequency, data_state, is_exception, latest_period, latest_value, latest_rag)"
                     " VALUES (1, 0, 'dtoc', 'Delays', 'smaller', 'per_100k', 'monthly', 'current', 0,"
                     " '2017-03', 3.56, 'none');",
                     "a version 9 run")
                .is_ok());
  }
  auto store = HistoryStore::open(path);
  REQUIRE(store.ok());
  CHECK(RawDb(path).integer("PRAGMA user_version") == latest_schema_version());
  auto old = (*store)->load_run(1);
  REQUIRE(old.ok());
  REQUIRE(old->indicators.size() == 1);
  const vitals::IndicatorResult& dtoc = old->indicators[0];
  CHECK_FALSE(dtoc.decimals);
  CHECK(vitals::figure_text(*dtoc.latest->value, dtoc.unit, dtoc.decimals) == "3.6");

  vitals::EvaluationReport next = *old;
  next.indicators[0].decimals = 2;
  auto id = (*store)->record_run(next, "0.1.0", 200);
  REQUIRE(id.ok());
  auto again = (*store)->load_run(*id);
  REQUIRE(again.ok());
  CHECK(again->indicators.at(0).decimals == 2);
  CHECK(vitals::figure_text(3.56, again->indicators[0].unit, again->indicators[0].decimals) == "3.56");
}

TEST_CASE("a file that is not a database is refused through the store too", "[store][migrations]") {
  TempDir dir;
  std::string content(4096, 'x');
  auto path = dir.write("history.db", content);
  auto store = HistoryStore::open(path);
  REQUIRE_FALSE(store.ok());
  CHECK(store.status().code() == StatusCode::kStoreError);
  CHECK(store.status().message() ==
        "store '" + path.string() +
            "': is not a SQLite database, so it is not a Vitals store; choose another file");
  CHECK(vitals::testing::read_file(path) == content);
}

namespace {

// Every observation row, in id order, as text.
std::string observation_rows(RawDb& raw) {
  return raw.text(
      "SELECT group_concat(line, '|') FROM (SELECT id || ',' || series_id || ',' || period || ','"
      " || period_end || ',' || period_len || ',' || ifnull(value, '-') || ',' ||"
      " ifnull(numerator, '-') || ',' || ifnull(denominator, '-') || ',' || ifnull(target, '-')"
      " || ',' || ingested_at || ',' || ifnull(superseded_at, '-') || ',' || ifnull(revises, '-')"
      " AS line FROM observations ORDER BY id)");
}

// Every revision as the observations table (version 3) or view (version 4)
// shows it, figures in their shortest form.
std::string revision_rows(RawDb& raw) {
  return raw.text(
      "SELECT group_concat(line, '|') FROM (SELECT series_id || ',' || period || ',' ||"
      " ifnull(printf('%.17g', value), '-') || ',' || ifnull(printf('%.17g', numerator), '-')"
      " || ',' || ifnull(printf('%.17g', denominator), '-') || ',' ||"
      " ifnull(printf('%.17g', target), '-') || ',' || ingested_at || ',' ||"
      " ifnull(superseded_at, '-') AS line FROM observations"
      " ORDER BY series_id, period, ingested_at, superseded_at IS NULL)");
}

// Every observation block, in id order.
std::string block_rows(RawDb& raw) {
  return raw.text(
      "SELECT group_concat(line, '|') FROM (SELECT id || ',' || series_id || ',' || ingested_at"
      " || ',' || points AS line FROM observation_blocks ORDER BY id)");
}

}  // namespace

TEST_CASE("a version 2 store with revisions migrates to versions 3 and 4 and reads back the same",
          "[store][migrations]") {
  TempDir dir;
  auto path = dir / "history.db";
  make_version_2_store(path);
  // What version 2 wrote: rows in ingest order, a revision superseding the
  // row it `revises`, series interleaved by a later delivery.
  std::string rows_before;
  {
    RawDb raw(path);
    REQUIRE(raw.integer("PRAGMA user_version") == 2);
    raw.exec(
        "INSERT INTO sources (id, name) VALUES (1, 'national'), (2, 'local');"
        "INSERT INTO series (id, source_id, key) VALUES (1, 1, 'dtoc'), (2, 1, 'rate'),"
        " (3, 2, 'dtoc'), (4, 2, 'same_second');"
        "INSERT INTO observations (id, series_id, period, period_end, period_len, value,"
        " numerator, denominator, target, ingested_at, superseded_at, revises) VALUES"
        " (1, 1, '2017-01', 24204, 1, 3.5, NULL, NULL, 4.0, 100, NULL, NULL),"
        " (2, 1, '2017-02', 24205, 1, 3.6, NULL, NULL, 4.0, 100, 200, NULL),"
        " (3, 1, '2017-03', 24206, 1, NULL, NULL, NULL, NULL, 100, 200, NULL),"
        " (4, 2, '2017-Q1', 24206, 3, 50.0, 5.0, 10.0, NULL, 100, NULL, NULL),"
        " (5, 2, '2017-03', 24206, 1, 40.0, 4.0, 10.0, NULL, 100, 300, NULL),"
        " (6, 3, '2016/17', 24206, 12, 7.0, NULL, NULL, NULL, 100, NULL, NULL),"
        " (7, 1, '2017-02', 24205, 1, 3.7, NULL, NULL, 4.0, 200, NULL, 2),"
        " (8, 1, '2017-03', 24206, 1, 3.8, NULL, NULL, 4.0, 200, 300, 3),"
        " (9, 2, '2017-03', 24206, 1, 45.0, 4.5, 10.0, NULL, 300, NULL, 5),"
        " (10, 1, '2017-03', 24206, 1, 3.9, NULL, NULL, 4.0, 300, NULL, 8),"
        // Two deliveries in the same second: the second revises January and adds February.
        " (11, 4, '2017-01', 24204, 1, 1.0, NULL, NULL, NULL, 500, 500, NULL),"
        " (12, 4, '2017-01', 24204, 1, 1.5, NULL, NULL, NULL, 500, NULL, 11),"
        " (13, 4, '2017-02', 24205, 1, 2.0, NULL, NULL, NULL, 500, NULL, NULL)");
    rows_before = observation_rows(raw);
  }
  std::string revisions_before;
  {
    auto db = vitals::detail::Db::open(path);
    REQUIRE(db.ok());
    REQUIRE(vitals::detail::migrate_to(*db, 3).is_ok());
    RawDb raw(path);
    CHECK(raw.integer("PRAGMA user_version") == 3);
    CHECK(observation_rows(raw) == rows_before);
    CHECK(raw.integer("SELECT next_id FROM observation_ids") == 14);
    CHECK(raw.integer("SELECT count(*) FROM sqlite_schema WHERE type = 'index'"
                      " AND tbl_name = 'observations'") == 0);
    revisions_before = revision_rows(raw);
  }

  auto store = HistoryStore::open(path);
  REQUIRE(store.ok());
  {
    // Version 4: a block per series and ingest (per revision depth and
    // ingest, so that every period's revisions keep their order).
    RawDb raw(path);
    CHECK(raw.integer("PRAGMA user_version") == latest_schema_version());
    CHECK(block_rows(raw) ==
          "1,1,100,[[\"2017-01\",3.5,null,null,4],[\"2017-02\",3.6,null,null,4],[\"2017-03\"]]|"
          "2,1,200,[[\"2017-02\",3.7,null,null,4],[\"2017-03\",3.8,null,null,4]]|"
          "3,1,300,[[\"2017-03\",3.9,null,null,4]]|"
          "4,2,100,[[\"2017-03\",40,4,10],[\"2017-Q1\",50,5,10]]|"
          "5,2,300,[[\"2017-03\",45,4.5,10]]|"
          "6,3,100,[[\"2016/17\",7]]|"
          "7,4,500,[[\"2017-01\",1],[\"2017-02\",2]]|"
          "8,4,500,[[\"2017-01\",1.5]]");
    CHECK(revision_rows(raw) == revisions_before);
    CHECK(raw.integer("SELECT count(*) FROM sqlite_schema WHERE name IN"
                      " ('observation_ids', 'observations_v3') OR (name = 'observations'"
                      " AND type = 'table')") == 0);
  }
  {
    // The rebuild ran with foreign keys off; the store's connection has them on again.
    auto fk = (*store)->db().prepare("PRAGMA foreign_keys");
    REQUIRE(fk.ok());
    auto row = fk->step();
    REQUIRE(row.ok());
    CHECK(fk->column_int64(0) == 1);
  }

  const std::vector<Observation> dtoc = {obs(month(2017, 1), 3.5, {}, {}, 4.0),
                                         obs(month(2017, 2), 3.7, {}, {}, 4.0),
                                         obs(month(2017, 3), 3.9, {}, {}, 4.0)};
  const std::vector<Observation> rate = {obs(month(2017, 3), 45.0, 4.5, 10.0),
                                         obs(Period::quarter(2017, 1), 50.0, 5.0, 10.0)};
  auto loaded = (*store)->load_series("national", "dtoc");
  REQUIRE(loaded.ok());
  CHECK(*loaded == dtoc);
  auto loaded_rate = (*store)->load_series("national", "rate");
  REQUIRE(loaded_rate.ok());
  CHECK(*loaded_rate == rate);

  auto march = (*store)->revisions("national", "dtoc", month(2017, 3));
  REQUIRE(march.ok());
  REQUIRE(march->size() == 3);
  CHECK((*march)[0].observation == obs(month(2017, 3), std::nullopt));
  CHECK((*march)[0].ingested_at == 100);
  CHECK_FALSE((*march)[0].current);
  CHECK((*march)[1].observation == obs(month(2017, 3), 3.8, {}, {}, 4.0));
  CHECK((*march)[1].ingested_at == 200);
  CHECK_FALSE((*march)[1].current);
  CHECK((*march)[2].observation == dtoc[2]);
  CHECK((*march)[2].ingested_at == 300);
  CHECK((*march)[2].current);

  auto january = (*store)->revisions("local", "same_second", month(2017, 1));
  REQUIRE(january.ok());
  REQUIRE(january->size() == 2);
  CHECK((*january)[0].observation == obs(month(2017, 1), 1.0));
  CHECK((*january)[1].observation == obs(month(2017, 1), 1.5));
  CHECK((*january)[1].current);

  auto table = vitals::detail::load_series_table(**store);
  REQUIRE(table.ok());
  CHECK(table->observations == 8);
  const auto* columns = table->find("national", "rate");
  REQUIRE(columns != nullptr);
  REQUIRE(columns->size() == 2);
  CHECK(columns->observation(0) == rate[0]);
  CHECK(columns->observation(1) == rate[1]);
  const auto* yearly = table->find("local", "dtoc");
  REQUIRE(yearly != nullptr);
  REQUIRE(yearly->size() == 1);
  CHECK(yearly->observation(0) == obs(Period::financial_year(2016), 7.0));
  CHECK(yearly->numerators.empty());

  // Ingest carries on from the migrated blocks: a revision of the migrated
  // current figure is a new block, and the view shows the old one superseded.
  auto counts = (*store)->ingest(
      "national", {Series{"dtoc", {obs(month(2017, 3), 4.1, {}, {}, 4.0)}}}, 400);
  REQUIRE(counts.ok());
  CHECK(counts->revised == 1);
  RawDb raw(path);
  CHECK(raw.text("SELECT id || ',' || points FROM observation_blocks ORDER BY id DESC LIMIT 1") ==
        "9,[[\"2017-03\",4.1,null,null,4]]");
  CHECK(raw.text("SELECT group_concat(ifnull(superseded_at, '-')) FROM (SELECT superseded_at"
                 " FROM observations WHERE series_id = 1 AND period = '2017-03'"
                 " ORDER BY block_id)") == "200,300,400,-");
  auto history = (*store)->revisions("national", "dtoc", month(2017, 3));
  REQUIRE(history.ok());
  CHECK(history->size() == 4);
}

TEST_CASE("a version 6 store's blocks are packed at version 8 and read back the same",
          "[store][migrations]") {
  TempDir dir;
  auto path = dir / "history.db";
  {
    auto db = vitals::detail::Db::open(path);
    REQUIRE(db.ok());
    REQUIRE(vitals::detail::migrate_to(*db, 6).is_ok());
    // Blocks as version 6 wrote them (no packed column): a first delivery,
    // a revision of one period, and a block no ingest writes (periods out of
    // order), which is kept unpacked.
    REQUIRE(db->exec("INSERT INTO sources (id, name) VALUES (1, 'national');"
                     "INSERT INTO series (id, source_id, key) VALUES (1, 1, 'a'), (2, 1, 'b');"
                     "INSERT INTO observation_blocks (series_id, ingested_at, points) VALUES"
                     " (1, 100, '[[\"2017-01\",1.5,3,2],[\"2017-02\",2.5],[\"2017-03\",null,null,null,7]]'),"
                     " (1, 200, '[[\"2017-02\",2.75]]'),"
                     " (2, 100, '[[\"2017-02\",20],[\"2017-01\",10]]');",
                     "version 6 blocks")
                .is_ok());
  }
  auto store = HistoryStore::open(path);
  REQUIRE(store.ok());
  RawDb raw(path);
  CHECK(raw.integer("PRAGMA user_version") == latest_schema_version());
  CHECK(raw.integer("SELECT count(*) FROM observation_blocks WHERE packed IS NOT NULL") == 2);
  CHECK(raw.integer("SELECT packed IS NULL FROM observation_blocks WHERE series_id = 2") == 1);

  auto table = vitals::detail::load_series_table(**store);
  REQUIRE(table.ok());
  CHECK(table->damaged_blocks.empty());
  const auto* a = table->find("national", "a");
  REQUIRE(a != nullptr);
  REQUIRE(a->size() == 3);
  CHECK(a->observation(0) == Observation{month(2017, 1), 1.5, 3.0, 2.0, std::nullopt});
  CHECK(a->observation(1) == obs(month(2017, 2), 2.75));
  CHECK(a->observation(2) == Observation{month(2017, 3), std::nullopt, std::nullopt, std::nullopt, 7.0});
  const auto* b = table->find("national", "b");
  REQUIRE(b != nullptr);
  REQUIRE(b->size() == 2);
  CHECK(b->observation(0) == obs(month(2017, 1), 10.0));
  CHECK(b->observation(1) == obs(month(2017, 2), 20.0));

  // An ingest into the migrated store writes both forms.
  vitals::testing::ingest(**store, "national", {Series{"a", {obs(month(2017, 4), 4.0)}}}, 300);
  CHECK(raw.integer("SELECT packed IS NOT NULL FROM observation_blocks ORDER BY id DESC LIMIT 1") == 1);
}
