// SPDX-License-Identifier: Apache-2.0
// Which sources failed at their last ingest (table source_failures), so that
// a run in another process still knows their data was not refreshed.
#include "store/source_state.hpp"

namespace vitals::detail {

Status record_source_outcomes(Db& db, const std::vector<std::string>& read,
                              const std::vector<StoredSourceFailure>& failed) {
  if (read.empty() && failed.empty()) return Status::ok();
  auto txn = Transaction::begin(db, Transaction::Mode::kImmediate);
  if (!txn.ok()) return txn.status();
  auto forget = db.prepare("DELETE FROM source_failures WHERE source = ?1");
  if (!forget.ok()) return forget.status();
  for (const std::string& source : read) {
    forget->bind(1, source);
    if (Status s = forget->run(); !s.is_ok()) return s;
    forget->reset();
  }
  auto remember = db.prepare(
      "INSERT INTO source_failures (source, failed_at, message) VALUES (?1, ?2, ?3)"
      " ON CONFLICT (source) DO UPDATE SET failed_at = excluded.failed_at, message = excluded.message");
  if (!remember.ok()) return remember.status();
  for (const StoredSourceFailure& f : failed) {
    remember->bind(1, f.source);
    remember->bind(2, f.failed_at);
    remember->bind(3, f.message);
    if (Status s = remember->run(); !s.is_ok()) return s;
    remember->reset();
  }
  return txn->commit();
}

Result<std::vector<StoredSourceFailure>> load_source_failures(Db& db) {
  auto stmt = db.prepare("SELECT source, failed_at, message FROM source_failures ORDER BY source");
  if (!stmt.ok()) return stmt.status();
  std::vector<StoredSourceFailure> out;
  while (true) {
    auto row = stmt->step();
    if (!row.ok()) return row.status();
    if (!*row) break;
    out.push_back(StoredSourceFailure{stmt->column_text(0), stmt->column_int64(1), stmt->column_text(2)});
  }
  return out;
}

}  // namespace vitals::detail
