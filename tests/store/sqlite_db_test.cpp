// SPDX-License-Identifier: Apache-2.0
#include "store/sqlite_db.hpp"

#include "catch.hpp"
#include "store/store_test_support.hpp"
#include "support/temp_dir.hpp"

#include <filesystem>
#include <iterator>
#include <string>

using vitals::StatusCode;
using vitals::detail::Db;
using vitals::detail::StatementScope;
using vitals::detail::Transaction;
using vitals::testing::RawDb;
using vitals::testing::TempDir;

namespace {

std::string pragma(Db& db, const std::string& name) {
  auto stmt = db.prepare("PRAGMA " + name);
  REQUIRE(stmt.ok());
  auto row = stmt->step();
  REQUIRE(row.ok());
  REQUIRE(*row);
  return stmt->column_text(0);
}

}  // namespace

TEST_CASE("a connection is configured for WAL, foreign keys, a busy timeout and NORMAL sync",
          "[store][sqlite]") {
  TempDir dir;
  auto db = Db::open(dir / "h.db");
  REQUIRE(db.ok());
  CHECK(pragma(*db, "journal_mode") == "wal");
  CHECK(pragma(*db, "foreign_keys") == "1");
  CHECK(pragma(*db, "busy_timeout") == "5000");
  CHECK(pragma(*db, "synchronous") == "1");  // NORMAL
  CHECK(db->path() == dir / "h.db");
}

TEST_CASE("a file that is not a database is refused by path and left as it was",
          "[store][sqlite]") {
  TempDir dir;
  const std::string content = "indicator,period,value\nasc_01,2017-03,3.56\n";
  auto path = dir.write("notes.csv", content);
  auto db = Db::open(path);
  REQUIRE_FALSE(db.ok());
  CHECK(db.status().code() == StatusCode::kStoreError);
  CHECK(db.status().message() ==
        "store '" + path.string() + "': cannot open: file is not a database");
  CHECK(vitals::testing::read_file(path) == content);
  // Nor were -wal or -shm files left beside it.
  auto entries = std::distance(std::filesystem::directory_iterator(dir.path()),
                               std::filesystem::directory_iterator());
  CHECK(entries == 1);
}

TEST_CASE("a store in a missing directory is reported with its path", "[store][sqlite]") {
  TempDir dir;
  auto path = dir / "no/such/dir/h.db";
  auto db = Db::open(path);
  REQUIRE_FALSE(db.ok());
  CHECK(db.status().code() == StatusCode::kStoreError);
  CHECK(db.status().message() ==
        "store '" + path.string() + "': cannot open: unable to open database file");
}

TEST_CASE("SQL errors name the store and quote SQLite", "[store][sqlite]") {
  TempDir dir;
  auto db = Db::open(dir / "h.db");
  REQUIRE(db.ok());
  auto stmt = db->prepare("SELECT nope FROM nowhere");
  REQUIRE_FALSE(stmt.ok());
  CHECK(stmt.status().message() == "store '" + (dir / "h.db").string() +
                                       "': cannot prepare 'SELECT nope FROM nowhere': "
                                       "no such table: nowhere");

  REQUIRE(db->exec("CREATE TABLE t (x INTEGER NOT NULL)", "setup").is_ok());
  auto insert = db->prepare("INSERT INTO t (x) VALUES (?1)");
  REQUIRE(insert.ok());
  StatementScope scope(*insert);
  scope->bind_null(1);
  auto status = scope->run();
  CHECK(status.code() == StatusCode::kStoreError);
  CHECK(status.message() == "store '" + (dir / "h.db").string() +
                                "': cannot run 'INSERT INTO t (x) VALUES (?1)': "
                                "NOT NULL constraint failed: t.x");
}

TEST_CASE("statements bind and read back every kind of value", "[store][sqlite]") {
  TempDir dir;
  auto db = Db::open(dir / "h.db");
  REQUIRE(db.ok());
  auto stmt = db->prepare("SELECT ?1, ?2, ?3, ?4, ?5");
  REQUIRE(stmt.ok());
  const std::string with_nul("a\0b", 3);
  {
    StatementScope scope(*stmt);
    scope->bind(1, std::int64_t{9007199254740993});
    scope->bind(2, 0.1);
    scope->bind(3, std::optional<double>());
    scope->bind(4, with_nul);
    scope->bind(5, std::optional<double>(-2.5));
    auto row = scope->step();
    REQUIRE(row.ok());
    REQUIRE(*row);
    CHECK(scope->column_int64(0) == 9007199254740993);
    CHECK(scope->column_double(1) == 0.1);
    CHECK(scope->is_null(2));
    CHECK_FALSE(scope->column_optional_double(2).has_value());
    CHECK(scope->column_text(3) == with_nul);
    CHECK(scope->column_optional_double(4) == -2.5);
    auto done = scope->step();
    REQUIRE(done.ok());
    CHECK_FALSE(*done);
  }
  // Reset cleared the bindings.
  auto row = stmt->step();
  REQUIRE(row.ok());
  CHECK(stmt->is_null(0));
  stmt->reset();
}

TEST_CASE("a transaction rolls back unless committed", "[store][sqlite]") {
  TempDir dir;
  auto db = Db::open(dir / "h.db");
  REQUIRE(db.ok());
  REQUIRE(db->exec("CREATE TABLE t (x INTEGER)", "setup").is_ok());
  {
    auto txn = Transaction::begin(*db, Transaction::Mode::kImmediate);
    REQUIRE(txn.ok());
    REQUIRE(db->exec("INSERT INTO t VALUES (1)", "insert").is_ok());
    CHECK_FALSE(db->autocommit());
  }
  CHECK(db->autocommit());
  {
    auto txn = Transaction::begin(*db, Transaction::Mode::kImmediate);
    REQUIRE(txn.ok());
    REQUIRE(db->exec("INSERT INTO t VALUES (2)", "insert").is_ok());
    REQUIRE(txn->commit().is_ok());
  }
  RawDb raw(dir / "h.db");
  CHECK(raw.integer("SELECT group_concat(x) FROM t") == 2);
  CHECK(raw.integer("SELECT count(*) FROM t") == 1);
}

TEST_CASE("a transaction begun inside another is a savepoint of it", "[store][sqlite]") {
  TempDir dir;
  auto db = Db::open(dir / "h.db");
  REQUIRE(db.ok());
  REQUIRE(db->exec("CREATE TABLE t (x INTEGER)", "setup").is_ok());

  SECTION("the inner rollback undoes only the inner work") {
    auto outer = Transaction::begin(*db, Transaction::Mode::kImmediate);
    REQUIRE(outer.ok());
    REQUIRE(db->exec("INSERT INTO t VALUES (1)", "insert").is_ok());
    {
      auto inner = Transaction::begin(*db, Transaction::Mode::kImmediate);
      REQUIRE(inner.ok());
      REQUIRE(db->exec("INSERT INTO t VALUES (2)", "insert").is_ok());
    }
    CHECK_FALSE(db->autocommit());  // the outer transaction is still open
    REQUIRE(outer->commit().is_ok());
    RawDb raw(dir / "h.db");
    CHECK(raw.integer("SELECT group_concat(x) FROM t") == 1);
  }

  SECTION("the inner commit is undone by the outer rollback") {
    {
      auto outer = Transaction::begin(*db, Transaction::Mode::kImmediate);
      REQUIRE(outer.ok());
      auto inner = Transaction::begin(*db, Transaction::Mode::kImmediate);
      REQUIRE(inner.ok());
      REQUIRE(db->exec("INSERT INTO t VALUES (3)", "insert").is_ok());
      REQUIRE(inner->commit().is_ok());
      CHECK_FALSE(db->autocommit());
    }
    CHECK(db->autocommit());
    RawDb raw(dir / "h.db");
    CHECK(raw.integer("SELECT count(*) FROM t") == 0);
  }

  SECTION("both committed keep both") {
    auto outer = Transaction::begin(*db, Transaction::Mode::kImmediate);
    REQUIRE(outer.ok());
    REQUIRE(db->exec("INSERT INTO t VALUES (4)", "insert").is_ok());
    auto inner = Transaction::begin(*db, Transaction::Mode::kDeferred);
    REQUIRE(inner.ok());
    REQUIRE(db->exec("INSERT INTO t VALUES (5)", "insert").is_ok());
    REQUIRE(inner->commit().is_ok());
    REQUIRE(outer->commit().is_ok());
    RawDb raw(dir / "h.db");
    CHECK(raw.integer("SELECT sum(x) FROM t") == 9);
  }
}
