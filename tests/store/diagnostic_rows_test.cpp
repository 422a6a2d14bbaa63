// SPDX-License-Identifier: Apache-2.0
#include "store/diagnostic_rows.hpp"

#include "catch.hpp"
#include "store/sqlite_db.hpp"
#include "support/temp_dir.hpp"

#include <string>
#include <vector>

using namespace vitals;
using vitals::detail::bind_diagnostic;
using vitals::detail::Db;
using vitals::detail::read_diagnostic;
using vitals::testing::TempDir;

namespace {

// A table of the eight diagnostic columns after a leading id, so that the
// helpers are tried at an offset other than 0 or 1.
Db diagnostics_db(const TempDir& dir) {
  auto db = Db::open(dir / "d.db");
  REQUIRE(db.ok());
  REQUIRE(db->exec("CREATE TABLE d (id INTEGER, severity TEXT, code TEXT, message TEXT,"
                   " location_file TEXT, location_line INTEGER, location_column INTEGER,"
                   " indicator_id TEXT, rule_id TEXT)",
                   "create")
              .is_ok());
  return std::move(*db);
}

void insert(Db& db, int id, const Diagnostic& d) {
  auto stmt = db.prepare("INSERT INTO d VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)");
  REQUIRE(stmt.ok());
  stmt->bind(1, id);
  bind_diagnostic(*stmt, 2, d);
  REQUIRE(stmt->run().is_ok());
}

std::vector<Result<Diagnostic>> read_all(Db& db) {
  auto stmt = db.prepare(
      "SELECT id, severity, code, message, location_file, location_line,"
      " location_column, indicator_id, rule_id FROM d ORDER BY id");
  REQUIRE(stmt.ok());
  std::vector<Result<Diagnostic>> out;
  while (true) {
    auto row = stmt->step();
    REQUIRE(row.ok());
    if (!*row) break;
    out.push_back(read_diagnostic(db, *stmt, 1, "run 7"));
  }
  return out;
}

}  // namespace

TEST_CASE("a diagnostic is stored in eight columns and read back the same",
          "[store][diagnostic_rows]") {
  TempDir dir;
  Db db = diagnostics_db(dir);
  Diagnostic located =
      Diagnostic::make(Severity::kWarning, "data.metadata_mismatch", "the title column says 'x'",
                       SourceLocation{"/d/a.csv", 4, 2});
  located.indicator_id = "dtoc";
  located.rule_id = "off_target";
  const Diagnostic unlocated = Diagnostic::make(Severity::kNote, "plugin.note", "no location");
  insert(db, 1, located);
  insert(db, 2, unlocated);

  auto rows = read_all(db);
  REQUIRE(rows.size() == 2);
  REQUIRE(rows[0].ok());
  CHECK(*rows[0] == located);
  REQUIRE(rows[1].ok());
  CHECK(*rows[1] == unlocated);
  CHECK(!rows[1]->location.has_value());

  // Without a location its three columns are NULL, not empty text or 0.
  auto nulls = db.prepare(
      "SELECT count(*) FROM d WHERE location_file IS NULL"
      " AND location_line IS NULL AND location_column IS NULL");
  REQUIRE(nulls.ok());
  REQUIRE(*nulls->step());
  CHECK(nulls->column_int64(0) == 1);
}

TEST_CASE("a stored diagnostic of an unknown severity is an error naming its owner",
          "[store][diagnostic_rows]") {
  TempDir dir;
  Db db = diagnostics_db(dir);
  insert(db, 1, Diagnostic::make(Severity::kError, "x.y", "m"));
  REQUIRE(db.exec("UPDATE d SET severity = 'fatal'", "update").is_ok());

  auto rows = read_all(db);
  REQUIRE(rows.size() == 1);
  REQUIRE(!rows[0].ok());
  CHECK(rows[0].status().code() == StatusCode::kStoreError);
  CHECK(rows[0].status().message().find("run 7 holds an unknown severity 'fatal'") !=
        std::string::npos);
}
