// SPDX-License-Identifier: Apache-2.0
#include "store/series_table.hpp"

#include "store/history_store.hpp"
#include "store/sqlite_db.hpp"

#include <sqlite3.h>

namespace vitals::detail {

std::int32_t pack_period(const Period& period) {
  return period.last_month_index() * 4 + static_cast<std::int32_t>(period.frequency());
}

Period unpack_period(std::int32_t code) {
  const int end = code >> 2;
  const int year = end / 12;
  const int month = end % 12 + 1;
  switch (static_cast<Frequency>(code & 3)) {
    case Frequency::kMonthly: return Period::month(year, month);
    case Frequency::kQuarterly: return Period::quarter(year, (month - 1) / 3 + 1);
    case Frequency::kAnnual: return Period::calendar_year(year);
    case Frequency::kFinancialYear: return Period::financial_year(year - 1);
  }
  return Period();
}

const SeriesColumns* SeriesTable::find(const std::string& source, const std::string& key) const {
  auto s = sources.find(source);
  if (s == sources.end()) return nullptr;
  auto k = s->second.find(key);
  return k == s->second.end() ? nullptr : &k->second;
}

namespace {

// The frequency a stored (period_end, period_len) pair denotes, as
// migrations.cpp stores Period::last_month_index() and length_in_months().
std::optional<Frequency> frequency_of(std::int64_t end, std::int64_t len) {
  if (end < 0) return std::nullopt;
  const std::int64_t month = end % 12 + 1;
  if (len == 1) return Frequency::kMonthly;
  if (len == 3 && month % 3 == 0) return Frequency::kQuarterly;
  if (len == 12 && month == 12) return Frequency::kAnnual;
  if (len == 12 && month == 3) return Frequency::kFinancialYear;
  return std::nullopt;
}

// One series' rows as the scan meets them, before they go into the table.
struct Staging {
  std::vector<std::int32_t> periods;
  std::vector<double> values, numerators, denominators, targets;
  bool any_numerator = false, any_denominator = false, any_target = false;

  void clear() {
    periods.clear();
    values.clear();
    numerators.clear();
    denominators.clear();
    targets.clear();
    any_numerator = any_denominator = any_target = false;
  }
};

// Moves one series' staged rows into its (empty) columns.
void flush(Staging& staged, SeriesColumns& series) {
  if (staged.periods.empty()) return;
  series.periods.assign(staged.periods.begin(), staged.periods.end());
  series.values.assign(staged.values.begin(), staged.values.end());
  if (staged.any_numerator) series.numerators.assign(staged.numerators.begin(), staged.numerators.end());
  if (staged.any_denominator) {
    series.denominators.assign(staged.denominators.begin(), staged.denominators.end());
  }
  if (staged.any_target) series.targets.assign(staged.targets.begin(), staged.targets.end());
  staged.clear();
}

double figure(sqlite3_stmt* stmt, int column, bool& present) {
  if (sqlite3_column_type(stmt, column) == SQLITE_NULL) return SeriesColumns::kBlank;
  present = true;
  return sqlite3_column_double(stmt, column);
}

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

  RawStatement rows;
  // The order is the table's primary key, so this is a plain scan that meets
  // each series once, its rows in period order (a month before the quarter
  // ending with it, as in pack_period()): nothing to sort afterwards.
  if (sqlite3_prepare_v2(db.handle(),
                         "SELECT series_id, period_end, period_len, value, numerator, denominator,"
                         " target FROM observations WHERE superseded_at IS NULL"
                         " ORDER BY series_id, period_end, period_len",
                         -1, &rows.stmt, nullptr) != SQLITE_OK) {
    return db.last_error("cannot read the stored observations");
  }
  Staging staged;
  SeriesColumns* current = nullptr;
  sqlite3_int64 current_id = -1;
  int rc;
  while ((rc = sqlite3_step(rows.stmt)) == SQLITE_ROW) {
    const sqlite3_int64 id = sqlite3_column_int64(rows.stmt, 0);
    if (id != current_id) {
      if (current) flush(staged, *current);
      if (id < 0 || static_cast<std::size_t>(id) >= by_id.size() || !by_id[id]) {
        return db.error("holds an observation of no series");
      }
      current = by_id[static_cast<std::size_t>(id)];
      current_id = id;
    }
    const sqlite3_int64 end = sqlite3_column_int64(rows.stmt, 1);
    const sqlite3_int64 len = sqlite3_column_int64(rows.stmt, 2);
    auto frequency = frequency_of(end, len);
    if (!frequency || end > (sqlite3_int64{1} << 28)) {
      return db.error("holds a malformed period (end month " + std::to_string(end) + ", " +
                      std::to_string(len) + " months)");
    }
    staged.periods.push_back(static_cast<std::int32_t>(end * 4 + static_cast<int>(*frequency)));
    bool unused = false;
    staged.values.push_back(figure(rows.stmt, 3, unused));
    staged.numerators.push_back(figure(rows.stmt, 4, staged.any_numerator));
    staged.denominators.push_back(figure(rows.stmt, 5, staged.any_denominator));
    staged.targets.push_back(figure(rows.stmt, 6, staged.any_target));
    ++table.observations;
  }
  if (rc != SQLITE_DONE) return db.last_error("cannot read the stored observations");
  if (current) flush(staged, *current);
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
