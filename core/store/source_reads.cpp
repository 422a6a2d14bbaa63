// SPDX-License-Identifier: Apache-2.0
// The last successful read of each source, with its diagnostics, so that an
// unchanged source need not be read again (schema version 7), and the
// stamps and hashes of the files it read (schema version 11).
#include "store/source_reads.hpp"

#include "store/diagnostic_rows.hpp"

namespace vitals::detail {

namespace {

Status forget_in_transaction(Db& db, const std::string& source) {
  // The diagnostics and unknown series go with it (ON DELETE CASCADE); they
  // are deleted explicitly too, should foreign keys be off on this connection.
  for (const char* sql : {"DELETE FROM source_read_files WHERE source = ?1",
                          "DELETE FROM source_read_diagnostics WHERE source = ?1",
                          "DELETE FROM source_read_unknown_series WHERE source = ?1",
                          "DELETE FROM source_reads WHERE source = ?1"}) {
    auto stmt = db.prepare(sql);
    if (!stmt.ok()) return stmt.status();
    stmt->bind(1, source);
    if (Status s = stmt->run(); !s.is_ok()) return s;
  }
  return Status::ok();
}

Status insert_files(Db& db, const std::string& source, const std::vector<KnownFile>& files) {
  auto file = db.prepare(
      "INSERT INTO source_read_files (source, position, path, device, inode, size, mtime_ns,"
      " ctime_ns, sha256, stamped_at_ns) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)");
  if (!file.ok()) return file.status();
  std::int64_t position = 0;
  for (const KnownFile& f : files) {
    file->bind(1, source);
    file->bind(2, position++);
    file->bind(3, f.stamp.path.string());
    // Device and inode numbers are unsigned 64-bit; SQLite keeps their bits.
    file->bind(4, static_cast<std::int64_t>(f.stamp.device));
    file->bind(5, static_cast<std::int64_t>(f.stamp.inode));
    file->bind(6, static_cast<std::int64_t>(f.stamp.size));
    file->bind(7, f.stamp.mtime_ns);
    file->bind(8, f.stamp.ctime_ns);
    file->bind(9, f.sha256);
    file->bind(10, f.stamped_at_ns);
    if (Status s = file->run(); !s.is_ok()) return s;
    file->reset();
  }
  return Status::ok();
}

}  // namespace

Result<std::optional<SourceRead>> load_source_read(Db& db, const std::string& source) {
  auto head = db.prepare(
      "SELECT read_key, read_at, series, observations, records FROM source_reads WHERE source = ?1");
  if (!head.ok()) return head.status();
  head->bind(1, source);
  auto found = head->step();
  if (!found.ok()) return found.status();
  if (!*found) return std::optional<SourceRead>();
  SourceRead read;
  read.source = source;
  read.read_key = head->column_text(0);
  read.read_at = head->column_int64(1);
  read.series = head->column_int64(2);
  read.observations = head->column_int64(3);
  read.records = head->column_int64(4);

  auto diagnostics = db.prepare(
      "SELECT severity, code, message, location_file, location_line, location_column,"
      " indicator_id, rule_id FROM source_read_diagnostics WHERE source = ?1 ORDER BY position");
  if (!diagnostics.ok()) return diagnostics.status();
  diagnostics->bind(1, source);
  const std::string owner = "the remembered read of source '" + source + "'";
  while (true) {
    auto row = diagnostics->step();
    if (!row.ok()) return row.status();
    if (!*row) break;
    auto d = read_diagnostic(db, *diagnostics, 0, owner);
    if (!d.ok()) return d.status();
    read.diagnostics.push_back(std::move(*d));
  }

  auto unknown = db.prepare(
      "SELECT key, rows, suggestion FROM source_read_unknown_series WHERE source = ?1"
      " ORDER BY position");
  if (!unknown.ok()) return unknown.status();
  unknown->bind(1, source);
  while (true) {
    auto row = unknown->step();
    if (!row.ok()) return row.status();
    if (!*row) break;
    read.unknown_series.push_back(
        UnknownSeries{source, unknown->column_text(0), unknown->column_int64(1), unknown->column_text(2)});
  }

  auto files = db.prepare(
      "SELECT path, device, inode, size, mtime_ns, ctime_ns, sha256, stamped_at_ns"
      " FROM source_read_files WHERE source = ?1 ORDER BY position");
  if (!files.ok()) return files.status();
  files->bind(1, source);
  while (true) {
    auto row = files->step();
    if (!row.ok()) return row.status();
    if (!*row) break;
    KnownFile f;
    f.stamp.path = files->column_text(0);
    f.stamp.device = static_cast<std::uint64_t>(files->column_int64(1));
    f.stamp.inode = static_cast<std::uint64_t>(files->column_int64(2));
    f.stamp.size = static_cast<std::uint64_t>(files->column_int64(3));
    f.stamp.mtime_ns = files->column_int64(4);
    f.stamp.ctime_ns = files->column_int64(5);
    f.sha256 = files->column_text(6);
    f.stamped_at_ns = files->column_int64(7);
    read.files.push_back(std::move(f));
  }
  return std::optional<SourceRead>(std::move(read));
}

Status remember_source_read(Db& db, const SourceRead& read) {
  auto txn = Transaction::begin(db, Transaction::Mode::kImmediate);
  if (!txn.ok()) return txn.status();
  if (Status s = forget_in_transaction(db, read.source); !s.is_ok()) return s;
  auto head = db.prepare(
      "INSERT INTO source_reads (source, read_key, read_at, series, observations, records)"
      " VALUES (?1, ?2, ?3, ?4, ?5, ?6)");
  if (!head.ok()) return head.status();
  head->bind(1, read.source);
  head->bind(2, read.read_key);
  head->bind(3, read.read_at);
  head->bind(4, read.series);
  head->bind(5, read.observations);
  head->bind(6, read.records);
  if (Status s = head->run(); !s.is_ok()) return s;

  auto diagnostic = db.prepare(
      "INSERT INTO source_read_diagnostics (source, position, severity, code, message,"
      " location_file, location_line, location_column, indicator_id, rule_id)"
      " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)");
  if (!diagnostic.ok()) return diagnostic.status();
  std::int64_t position = 0;
  for (const Diagnostic& d : read.diagnostics) {
    diagnostic->bind(1, read.source);
    diagnostic->bind(2, position++);
    bind_diagnostic(*diagnostic, 3, d);
    if (Status s = diagnostic->run(); !s.is_ok()) return s;
    diagnostic->reset();
  }

  auto unknown = db.prepare(
      "INSERT INTO source_read_unknown_series (source, position, key, rows, suggestion)"
      " VALUES (?1, ?2, ?3, ?4, ?5)");
  if (!unknown.ok()) return unknown.status();
  position = 0;
  for (const UnknownSeries& u : read.unknown_series) {
    unknown->bind(1, read.source);
    unknown->bind(2, position++);
    unknown->bind(3, u.key);
    unknown->bind(4, u.rows);
    unknown->bind(5, u.suggestion);
    if (Status s = unknown->run(); !s.is_ok()) return s;
    unknown->reset();
  }
  if (Status s = insert_files(db, read.source, read.files); !s.is_ok()) return s;
  return txn->commit();
}

Status refresh_source_read_files(Db& db, const std::string& source,
                                 const std::vector<KnownFile>& files) {
  auto txn = Transaction::begin(db, Transaction::Mode::kImmediate);
  if (!txn.ok()) return txn.status();
  auto exists = db.prepare("SELECT 1 FROM source_reads WHERE source = ?1");
  if (!exists.ok()) return exists.status();
  exists->bind(1, source);
  auto found = exists->step();
  if (!found.ok()) return found.status();
  if (!*found) return Status::ok();
  auto drop = db.prepare("DELETE FROM source_read_files WHERE source = ?1");
  if (!drop.ok()) return drop.status();
  drop->bind(1, source);
  if (Status s = drop->run(); !s.is_ok()) return s;
  if (Status s = insert_files(db, source, files); !s.is_ok()) return s;
  return txn->commit();
}

Status forget_source_read(Db& db, const std::string& source) {
  // Most sources have none to forget: no write lock is taken for them.
  auto exists = db.prepare("SELECT 1 FROM source_reads WHERE source = ?1");
  if (!exists.ok()) return exists.status();
  exists->bind(1, source);
  auto found = exists->step();
  if (!found.ok()) return found.status();
  if (!*found) return Status::ok();
  exists->reset();
  auto txn = Transaction::begin(db, Transaction::Mode::kImmediate);
  if (!txn.ok()) return txn.status();
  if (Status s = forget_in_transaction(db, source); !s.is_ok()) return s;
  return txn->commit();
}

}  // namespace vitals::detail
