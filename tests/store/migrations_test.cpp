// SPDX-License-Identifier: Apache-2.0
#include "store/migrations.hpp"

#include "catch.hpp"
#include "store/history_store.hpp"
#include "store/store_test_support.hpp"
#include "support/temp_dir.hpp"

#include <string>

using vitals::StatusCode;
using vitals::detail::HistoryStore;
using vitals::detail::kStoreApplicationId;
using vitals::detail::latest_schema_version;
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
  CHECK(latest_schema_version() == 2);
  CHECK(raw.integer("PRAGMA user_version") == 2);
  CHECK(raw.integer("PRAGMA application_id") == kStoreApplicationId);
  CHECK(raw.text("PRAGMA journal_mode") == "wal");
  CHECK(raw.text("SELECT group_concat(name, ',') FROM (SELECT name FROM sqlite_schema"
                 " WHERE type = 'table' ORDER BY name)") ==
        "findings,observations,record_snapshots,records,run_diagnostics,run_exceptions,"
        "run_indicators,runs,series,sources");
  CHECK(raw.integer(
            "SELECT count(*) FROM sqlite_schema WHERE type = 'index'"
            " AND name = 'observations_current' AND sql LIKE '%WHERE superseded_at IS NULL'") == 1);
}

TEST_CASE("opening an up-to-date store again changes nothing", "[store][migrations]") {
  TempDir dir;
  auto path = dir / "history.db";
  { REQUIRE(HistoryStore::open(path).ok()); }
  const std::string bytes_before = vitals::testing::read_file(path);
  { REQUIRE(HistoryStore::open(path).ok()); }
  CHECK(vitals::testing::read_file(path) == bytes_before);
  CHECK(RawDb(path).integer("PRAGMA user_version") == 2);
}

TEST_CASE("a store from a newer version of Vitals is refused and left alone",
          "[store][migrations]") {
  TempDir dir;
  auto path = dir / "history.db";
  { REQUIRE(HistoryStore::open(path).ok()); }
  RawDb(path).exec("PRAGMA user_version = 7");

  auto store = HistoryStore::open(path);
  REQUIRE_FALSE(store.ok());
  CHECK(store.status().code() == StatusCode::kStoreError);
  CHECK(store.status().message() ==
        "store '" + path.string() +
            "': schema version 7 is newer than this build of Vitals understands (up to 2);"
            " open it with a newer version of Vitals");
  CHECK(RawDb(path).integer("PRAGMA user_version") == 7);
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

TEST_CASE("an empty file becomes a new store", "[store][migrations]") {
  TempDir dir;
  auto path = dir.write("empty.db", "");
  auto store = HistoryStore::open(path);
  REQUIRE(store.ok());
  CHECK(RawDb(path).integer("PRAGMA user_version") == 2);
}

TEST_CASE("a file that is not a database is refused through the store too", "[store][migrations]") {
  TempDir dir;
  std::string content(4096, 'x');
  auto path = dir.write("history.db", content);
  auto store = HistoryStore::open(path);
  REQUIRE_FALSE(store.ok());
  CHECK(store.status().code() == StatusCode::kStoreError);
  CHECK(store.status().message().find(path.string()) != std::string::npos);
  CHECK(store.status().message().find("file is not a database") != std::string::npos);
  CHECK(vitals::testing::read_file(path) == content);
}
