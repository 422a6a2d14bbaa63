// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <vitals/observation.hpp>
#include <vitals/period.hpp>

#include "catch.hpp"
#include "store/history_store.hpp"

#include <sqlite3.h>

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace vitals::testing {

/// A plain SQLite connection, for looking at (or tampering with) a store file
/// behind the store's back.
class RawDb {
 public:
  explicit RawDb(const std::filesystem::path& path) {
    if (sqlite3_open_v2(path.c_str(), &db_, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr) !=
        SQLITE_OK) {
      std::string why = sqlite3_errmsg(db_);
      sqlite3_close_v2(db_);
      throw std::runtime_error("cannot open " + path.string() + ": " + why);
    }
  }
  ~RawDb() { sqlite3_close_v2(db_); }
  RawDb(const RawDb&) = delete;
  RawDb& operator=(const RawDb&) = delete;

  void exec(const std::string& sql) {
    char* error = nullptr;
    if (sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &error) != SQLITE_OK) {
      std::string why = error != nullptr ? error : "unknown error";
      sqlite3_free(error);
      throw std::runtime_error(sql + ": " + why);
    }
  }

  /// The first column of the first row of `sql` as an integer.
  std::int64_t integer(const std::string& sql) {
    return single<std::int64_t>(sql, [](sqlite3_stmt* s) { return sqlite3_column_int64(s, 0); });
  }
  /// The first column of the first row of `sql` as text ("" for NULL).
  std::string text(const std::string& sql) {
    return single<std::string>(sql, [](sqlite3_stmt* s) {
      const auto* t = reinterpret_cast<const char*>(sqlite3_column_text(s, 0));
      return std::string(t != nullptr ? t : "");
    });
  }

  /// How many virtual machine steps SQLite takes to run `sql` to the end: a
  /// measure of the work a query does that does not depend on the machine.
  std::int64_t vm_steps(const std::string& sql) {
    sqlite3_stmt* stmt = nullptr;
    if (sqlite3_prepare_v2(db_, sql.c_str(), -1, &stmt, nullptr) != SQLITE_OK) {
      throw std::runtime_error(sql + ": " + sqlite3_errmsg(db_));
    }
    int rc;
    while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
    }
    const std::int64_t steps = sqlite3_stmt_status(stmt, SQLITE_STMTSTATUS_VM_STEP, 0);
    sqlite3_finalize(stmt);
    if (rc != SQLITE_DONE) throw std::runtime_error(sql + ": " + sqlite3_errmsg(db_));
    return steps;
  }

 private:
  template <typename T, typename F>
  T single(const std::string& sql, F read) {
    sqlite3_stmt* stmt = nullptr;
    if (sqlite3_prepare_v2(db_, sql.c_str(), -1, &stmt, nullptr) != SQLITE_OK) {
      throw std::runtime_error(sql + ": " + sqlite3_errmsg(db_));
    }
    if (sqlite3_step(stmt) != SQLITE_ROW) {
      sqlite3_finalize(stmt);
      throw std::runtime_error(sql + ": no row");
    }
    auto out = read(stmt);
    sqlite3_finalize(stmt);
    return out;
  }

  sqlite3* db_ = nullptr;
};

inline Observation obs(const Period& period, std::optional<double> value,
                       std::optional<double> numerator = std::nullopt,
                       std::optional<double> denominator = std::nullopt,
                       std::optional<double> target = std::nullopt) {
  return Observation{period, value, numerator, denominator, target};
}

inline Period month(int year, int m) { return Period::month(year, m); }

/// Opens (or creates) the store at `path`; the test fails when it cannot.
inline std::unique_ptr<detail::HistoryStore> open_store(const std::filesystem::path& path) {
  auto store = detail::HistoryStore::open(path);
  INFO((store.ok() ? std::string() : store.status().message()));
  REQUIRE(store.ok());
  return std::move(*store);
}

/// Ingests `series` from `source` at unix time `at`; the test fails when the
/// store refuses.
inline detail::IngestCounts ingest(detail::HistoryStore& store, const std::string& source,
                                   const std::vector<Series>& series, std::int64_t at) {
  auto counts = store.ingest(source, series, at);
  INFO((counts.ok() ? std::string() : counts.status().to_string()));
  REQUIRE(counts.ok());
  return *counts;
}

/// The current observations of (source, key); the test fails when the store
/// cannot read them.
inline std::vector<Observation> load(const detail::HistoryStore& store, const std::string& source,
                                     const std::string& key) {
  auto series = store.load_series(source, key);
  REQUIRE(series.ok());
  return *series;
}

/// Whether an ingest inserted, revised and left unchanged these many rows.
inline bool same(const detail::IngestCounts& c, int inserted, int revised, int unchanged) {
  return c.inserted == inserted && c.revised == revised && c.unchanged == unchanged;
}

}  // namespace vitals::testing
