// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <vitals/status.hpp>

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

struct sqlite3;
struct sqlite3_stmt;

namespace vitals::detail {

class Statement;

/// An open SQLite connection. Closes with sqlite3_close_v2 on destruction.
/// Every error becomes a kStoreError Status naming the file and quoting
/// SQLite's own message, e.g. "store '/x/h.db': cannot open: file is not a
/// database".
/// Thread safety: a Db (and its Statements) must be used by one thread at a time.
class Db {
 public:
  /// Whether open() may create a missing file.
  enum class Create { kIfMissing, kNever };

  /// Opens the database at `path` (creating it when missing, if `create`
  /// allows) and configures the connection: extended result codes,
  /// busy_timeout 5000 ms, WAL journal mode, foreign_keys ON, synchronous
  /// NORMAL. Fails with kStoreError when the file cannot be opened or is not a
  /// SQLite database; such a file is left as it was.
  static Result<Db> open(const std::filesystem::path& path, Create create = Create::kIfMissing);

  Db(Db&& other) noexcept;
  Db& operator=(Db&& other) noexcept;
  Db(const Db&) = delete;
  Db& operator=(const Db&) = delete;
  ~Db();

  /// Runs one or more SQL statements that return no rows of interest.
  Status exec(std::string_view sql, std::string_view context);
  /// Compiles one SQL statement. The Statement must not outlive this Db's connection.
  Result<Statement> prepare(std::string_view sql);

  /// The kStoreError for the connection's last failure: "store '<path>':
  /// <context>: <sqlite3_errmsg>".
  Status last_error(std::string_view context) const;
  /// A kStoreError with a message of our own: "store '<path>': <message>".
  Status error(std::string_view message) const;

  std::int64_t last_insert_rowid() const;
  /// False while a transaction is open on this connection.
  bool autocommit() const;
  const std::filesystem::path& path() const { return path_; }
  sqlite3* handle() const { return db_; }

 private:
  Db(sqlite3* db, std::filesystem::path path) : db_(db), path_(std::move(path)) {}
  sqlite3* db_ = nullptr;
  std::filesystem::path path_;
};

/// A compiled statement, finalized on destruction. Binding indexes are
/// 1-based, columns 0-based (as in SQLite). A bind failure (for example a
/// string over SQLite's length limit) is kept and reported by the next step().
class Statement {
 public:
  Statement(Statement&& other) noexcept;
  Statement& operator=(Statement&& other) noexcept;
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;
  ~Statement();

  void bind(int index, std::int64_t value);
  void bind(int index, int value) { bind(index, static_cast<std::int64_t>(value)); }
  void bind(int index, double value);
  /// Binds NULL for nullopt.
  void bind(int index, const std::optional<double>& value);
  void bind(int index, std::string_view text);
  void bind(int index, const char* text) { bind(index, std::string_view(text)); }
  void bind(int index, const std::string& text) { bind(index, std::string_view(text)); }
  /// Binds text without copying it. REQUIRES: `text` stays valid and unchanged
  /// until the statement is reset or the parameter is bound again.
  void bind_static(int index, std::string_view text);
  /// Binds `bytes` as a BLOB without copying them; REQUIRES as bind_static().
  void bind_blob_static(int index, std::string_view bytes);
  void bind_null(int index);
  /// Binds bytes as a BLOB (copied).
  void bind_blob(int index, std::string_view bytes);

  /// Advances: true when a row is available, false when done, or the error.
  Result<bool> step();
  /// Steps a statement that returns no rows (or whose rows are not needed).
  Status run();
  /// Resets the statement and clears its bindings, ending any read it holds
  /// open, so it can be used again.
  void reset();
  /// Resets the statement but keeps its bindings (for a statement whose every
  /// parameter is bound again before the next step).
  void rewind();

  bool is_null(int column) const;
  std::int64_t column_int64(int column) const;
  int column_int(int column) const;
  double column_double(int column) const;
  std::optional<double> column_optional_double(int column) const;
  /// Text as stored, embedded NULs included; "" for NULL.
  std::string column_text(int column) const;
  /// A BLOB's bytes; "" for NULL.
  std::string column_blob(int column) const;

 private:
  friend class Db;
  Statement(sqlite3_stmt* stmt, std::filesystem::path path) : stmt_(stmt), path_(std::move(path)) {}
  void note_bind(int rc);

  sqlite3_stmt* stmt_ = nullptr;
  std::filesystem::path path_;  // for error messages; a Db may move, its file does not
  int bind_rc_ = 0;
};

/// Resets a Statement when the scope ends, so that a cached statement never
/// keeps a read snapshot or stale bindings between uses.
class StatementScope {
 public:
  explicit StatementScope(Statement& stmt) : stmt_(stmt) {}
  ~StatementScope() { stmt_.reset(); }
  StatementScope(const StatementScope&) = delete;
  StatementScope& operator=(const StatementScope&) = delete;
  Statement& operator*() { return stmt_; }
  Statement* operator->() { return &stmt_; }

 private:
  Statement& stmt_;
};

/// A transaction that rolls back on destruction unless committed.
/// Begun while another transaction is open on the same Db, it is a savepoint
/// inside it: its commit keeps its work as part of the outer transaction (which
/// may still roll everything back), and its rollback undoes only its own work.
/// So a step that writes in several statements can be made atomic as a whole
/// by opening a Transaction around it, even when the steps open their own.
/// REQUIRES: the Db outlives the Transaction and is not moved meanwhile;
/// nested transactions end in the reverse order of their beginning.
class Transaction {
 public:
  enum class Mode { kDeferred, kImmediate };
  /// BEGIN DEFERRED (for consistent reads) or BEGIN IMMEDIATE (for writes, so
  /// that the write lock is taken up front and waits under busy_timeout);
  /// SAVEPOINT when a transaction is already open (`mode` is then the outer
  /// transaction's).
  static Result<Transaction> begin(Db& db, Mode mode);

  Transaction(Transaction&& other) noexcept;
  Transaction& operator=(Transaction&&) = delete;
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;
  ~Transaction();

  /// Commits; on failure the transaction is rolled back and the error returned.
  Status commit();

 private:
  Transaction(Db* db, bool nested) : db_(db), nested_(nested) {}
  void rollback();
  Db* db_ = nullptr;
  bool nested_ = false;  // a savepoint inside an open transaction
};

}  // namespace vitals::detail
