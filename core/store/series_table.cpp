// SPDX-License-Identifier: Apache-2.0
#include "store/series_table.hpp"

#include "store/history_store.hpp"
#include "store/observation_block.hpp"
#include "store/sqlite_db.hpp"
#include "common/period_codes.hpp"

#include <algorithm>

#include <sqlite3.h>

namespace vitals::detail {

std::int32_t pack_period(const Period& period) { return period_code(period); }

Period unpack_period(std::int32_t code) { return period_from_code(code); }

const SeriesColumns* SeriesTable::find(const std::string& source, const std::string& key) const {
  auto s = sources.find(source);
  if (s == sources.end()) return nullptr;
  auto k = s->second.find(key);
  return k == s->second.end() ? nullptr : &k->second;
}

SeriesColumns columns_of(const std::vector<BlockPoint>& points) {
  SeriesColumns series;
  auto column = [&](std::vector<double>& out, double BlockPoint::*figure, bool always) {
    const bool any = always || std::any_of(points.begin(), points.end(), [&](const BlockPoint& p) {
                       return !std::isnan(p.*figure);
                     });
    if (!any) return;
    out.reserve(points.size());
    for (const BlockPoint& p : points) out.push_back(p.*figure);
  };
  series.periods.reserve(points.size());
  for (const BlockPoint& p : points) series.periods.push_back(p.period);
  column(series.values, &BlockPoint::value, true);
  column(series.numerators, &BlockPoint::numerator, false);
  column(series.denominators, &BlockPoint::denominator, false);
  column(series.targets, &BlockPoint::target, false);
  return series;
}

namespace {

// A prepared statement finalised on every path out.
struct RawStatement {
  sqlite3_stmt* stmt = nullptr;
  ~RawStatement() { sqlite3_finalize(stmt); }
};

}  // namespace

Result<SeriesTable> load_series_table(HistoryStore& store) {
  Db& db = store.db();
  // One snapshot for both reads.
  auto txn = Transaction::begin(db, Transaction::Mode::kDeferred);
  if (!txn.ok()) return txn.status();

  SeriesTable table;
  std::vector<SeriesColumns*> by_id;  // series ids are small dense integers
  {
    RawStatement names;
    if (sqlite3_prepare_v2(db.handle(),
                           "SELECT s.id, src.name, s.key FROM series s"
                           " JOIN sources src ON src.id = s.source_id",
                           -1, &names.stmt, nullptr) != SQLITE_OK) {
      return db.last_error("cannot list the stored series");
    }
    int rc;
    while ((rc = sqlite3_step(names.stmt)) == SQLITE_ROW) {
      const sqlite3_int64 id = sqlite3_column_int64(names.stmt, 0);
      auto text = [&](int column) {
        const auto* p = reinterpret_cast<const char*>(sqlite3_column_text(names.stmt, column));
        return std::string(p ? p : "", static_cast<std::size_t>(sqlite3_column_bytes(names.stmt, column)));
      };
      if (id < 0 || id > (sqlite3_int64{1} << 31)) return db.error("holds a series with a bad id");
      SeriesColumns& columns = table.sources[text(1)][text(2)];
      if (by_id.size() <= static_cast<std::size_t>(id)) by_id.resize(static_cast<std::size_t>(id) + 1);
      by_id[static_cast<std::size_t>(id)] = &columns;
    }
    if (rc != SQLITE_DONE) return db.last_error("cannot list the stored series");
  }

  RawStatement blocks;
  // A series' blocks together, oldest first: one series is folded at a time.
  if (sqlite3_prepare_v2(db.handle(),
                         "SELECT series_id, id, packed, points FROM observation_blocks"
                         " ORDER BY series_id, id",
                         -1, &blocks.stmt, nullptr) != SQLITE_OK) {
    return db.last_error("cannot read the stored observations");
  }
  BlockReader reader;
  PackedReader packed_reader;
  std::vector<BlockPoint> points;  // the series being read
  SeriesColumns* current = nullptr;
  auto finish = [&] {
    if (!current) return;
    keep_current(points);
    *current = columns_of(points);
    table.observations += points.size();
    points.clear();
  };
  sqlite3_int64 current_id = -1;
  int rc;
  while ((rc = sqlite3_step(blocks.stmt)) == SQLITE_ROW) {
    const sqlite3_int64 id = sqlite3_column_int64(blocks.stmt, 0);
    if (id != current_id) {
      finish();
      if (id < 0 || static_cast<std::size_t>(id) >= by_id.size() || !by_id[id]) {
        return db.error("holds an observation block of no series");
      }
      current = by_id[static_cast<std::size_t>(id)];
      current_id = id;
    }
    const sqlite3_int64 block_id = sqlite3_column_int64(blocks.stmt, 1);
    if (sqlite3_column_type(blocks.stmt, 2) == SQLITE_BLOB) {
      const auto* bytes = static_cast<const char*>(sqlite3_column_blob(blocks.stmt, 2));
      const auto size = static_cast<std::size_t>(sqlite3_column_bytes(blocks.stmt, 2));
      Status s = packed_reader.read(std::string_view(bytes ? bytes : "", size), points);
      if (s.is_ok()) continue;
      table.damaged_blocks.push_back(unreadable_block(block_id, id, s) + "; its text was read instead");
    }
    const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(blocks.stmt, 3));
    const auto size = static_cast<std::size_t>(sqlite3_column_bytes(blocks.stmt, 3));
    if (Status s = reader.read(std::string_view(text ? text : "", size), points); !s.is_ok()) {
      return db.error(unreadable_block(block_id, id, s));
    }
  }
  if (rc != SQLITE_DONE) return db.last_error("cannot read the stored observations");
  finish();
  if (Status s = txn->commit(); !s.is_ok()) return s;
  return table;
}

Result<std::int64_t> store_data_version(HistoryStore& store) {
  Db& db = store.db();
  RawStatement stmt;
  if (sqlite3_prepare_v2(db.handle(), "PRAGMA data_version", -1, &stmt.stmt, nullptr) != SQLITE_OK ||
      sqlite3_step(stmt.stmt) != SQLITE_ROW) {
    return db.last_error("cannot read the data version");
  }
  return static_cast<std::int64_t>(sqlite3_column_int64(stmt.stmt, 0));
}

}  // namespace vitals::detail
