// SPDX-License-Identifier: Apache-2.0
#include "store/sqlite_db.hpp"

#include <sqlite3.h>
#include <sys/resource.h>
#include <unistd.h>

#include <cerrno>
#include <climits>
#include <utility>

namespace vitals::detail {

namespace {

constexpr int kBusyTimeoutMs = 5000;

std::string store_prefix(const std::filesystem::path& path) {
  return "store '" + path.string() + "': ";
}

Status store_error(const std::filesystem::path& path, std::string_view context, const char* why) {
  std::string message = store_prefix(path);
  message += context;
  message += ": ";
  message += why;
  return Status(StatusCode::kStoreError, std::move(message));
}

// SQLite's message for the connection's last failure, with what it means
// for a store where SQLite's words leave the reader guessing: a read-only
// file, or a folder where SQLite may not make the -wal and -shm files the
// WAL journal keeps beside the store.
std::string failure(sqlite3* db, const std::filesystem::path& path) {
  std::string text = sqlite3_errmsg(db);
  const int code = sqlite3_extended_errcode(db) & 0xFF;
  if (code == SQLITE_IOERR || code == SQLITE_FULL) {
    // SQLite says "disk I/O error" when a write passes the process's file
    // size limit (EFBIG; by the time COMMIT reports it, SQLite's later calls
    // may have replaced the errno, so a finite limit is named as the likely
    // cause).
    const int error = sqlite3_system_errno(db);
    struct rlimit limit {};
    if (code == SQLITE_IOERR && (error == EFBIG || (::getrlimit(RLIMIT_FSIZE, &limit) == 0 &&
                                                    limit.rlim_cur != RLIM_INFINITY))) {
      text += " (no room to write the store: a write passed the file size limit of this process)";
    } else if (error == ENOSPC && code != SQLITE_FULL) {
      text += " (the disk is full)";
    }
    return text;
  }
  if (code != SQLITE_READONLY && code != SQLITE_CANTOPEN) return text;
  const std::filesystem::path folder =
      path.has_parent_path() ? path.parent_path() : std::filesystem::path(".");
  std::error_code ec;
  if (path != ":memory:" && std::filesystem::is_directory(folder, ec) &&
      ::access(folder.c_str(), W_OK) != 0) {
    text += " (the store's folder " + folder.string() +
            " is read-only here: SQLite must create " + path.filename().string() + "-wal and " +
            path.filename().string() + "-shm in it)";
  } else if (code == SQLITE_READONLY) {
    text += " (the store is read-only here: Vitals may not write the file)";
  }
  return text;
}

}  // namespace

Result<Db> Db::open(const std::filesystem::path& path, Create create) {
  sqlite3* raw = nullptr;
  int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX;
  if (create == Create::kIfMissing) flags |= SQLITE_OPEN_CREATE;
  int rc = sqlite3_open_v2(path.c_str(), &raw, flags, nullptr);
  if (rc != SQLITE_OK) {
    Status s = store_error(path, "cannot open",
                           raw != nullptr ? failure(raw, path).c_str() : sqlite3_errstr(rc));
    sqlite3_close_v2(raw);
    return s;
  }
  Db db(raw, path);
  sqlite3_extended_result_codes(raw, 1);
  sqlite3_busy_timeout(raw, kBusyTimeoutMs);

  // A new file gets 16 KiB pages: an observation block (a series' figures
  // from one ingest, a few KiB of text) then shares its page with others,
  // where a 4 KiB page holds one and wastes a third of itself. A national
  // load writes about 30% less and commits about twice as fast
  // (bench/README.md). The pragma writes nothing, and an existing file keeps
  // the page size it was made with.
  if (Status s = db.exec("PRAGMA page_size=16384", "cannot configure"); !s.is_ok()) return s;

  // The journal mode pragma is the first statement that reads the file
  // header, so a file that is not a database fails here, before anything is
  // written to it.
  auto mode = db.prepare("PRAGMA journal_mode=WAL");
  if (!mode.ok()) return db.last_error("cannot open");
  auto row = mode->step();
  if (!row.ok()) return db.last_error("cannot open");
  std::string journal = *row ? mode->column_text(0) : std::string();
  mode->reset();
  // An in-memory database (":memory:", used by `vitals check`) has no file to
  // share, so it keeps SQLite's "memory" journal.
  bool in_memory = path == ":memory:";
  if (journal != "wal" && !(in_memory && journal == "memory")) {
    return db.error("cannot switch to the WAL journal mode (SQLite reports '" + journal + "')");
  }
  if (Status s = db.exec("PRAGMA foreign_keys=ON; PRAGMA synchronous=NORMAL", "cannot configure");
      !s.is_ok()) {
    return s;
  }
  return db;
}

Db::Db(Db&& other) noexcept
    : db_(std::exchange(other.db_, nullptr)), path_(std::move(other.path_)) {}

Db& Db::operator=(Db&& other) noexcept {
  if (this != &other) {
    sqlite3_close_v2(db_);
    db_ = std::exchange(other.db_, nullptr);
    path_ = std::move(other.path_);
  }
  return *this;
}

Db::~Db() { sqlite3_close_v2(db_); }

Status Db::exec(std::string_view sql, std::string_view context) {
  std::string text(sql);
  if (sqlite3_exec(db_, text.c_str(), nullptr, nullptr, nullptr) != SQLITE_OK) {
    return last_error(context);
  }
  return Status::ok();
}

Result<Statement> Db::prepare(std::string_view sql) {
  sqlite3_stmt* stmt = nullptr;
  if (sql.size() > static_cast<std::size_t>(INT_MAX)) return error("statement too long");
  int rc = sqlite3_prepare_v3(db_, sql.data(), static_cast<int>(sql.size()),
                              SQLITE_PREPARE_PERSISTENT, &stmt, nullptr);
  if (rc != SQLITE_OK) {
    sqlite3_finalize(stmt);
    return last_error("cannot prepare '" + std::string(sql) + "'");
  }
  return Statement(stmt, path_);
}

Status Db::last_error(std::string_view context) const {
  return store_error(path_, context, failure(db_, path_).c_str());
}

Status Db::error(std::string_view message) const {
  return Status(StatusCode::kStoreError, store_prefix(path_) + std::string(message));
}

std::int64_t Db::last_insert_rowid() const { return sqlite3_last_insert_rowid(db_); }

bool Db::autocommit() const { return sqlite3_get_autocommit(db_) != 0; }

Statement::Statement(Statement&& other) noexcept
    : stmt_(std::exchange(other.stmt_, nullptr)),
      path_(std::move(other.path_)),
      bind_rc_(other.bind_rc_) {}

Statement& Statement::operator=(Statement&& other) noexcept {
  if (this != &other) {
    sqlite3_finalize(stmt_);
    stmt_ = std::exchange(other.stmt_, nullptr);
    path_ = std::move(other.path_);
    bind_rc_ = other.bind_rc_;
  }
  return *this;
}

Statement::~Statement() { sqlite3_finalize(stmt_); }

void Statement::note_bind(int rc) {
  if (rc != SQLITE_OK && bind_rc_ == SQLITE_OK) bind_rc_ = rc;
}

void Statement::bind(int index, std::int64_t value) {
  note_bind(sqlite3_bind_int64(stmt_, index, value));
}

void Statement::bind(int index, double value) {
  note_bind(sqlite3_bind_double(stmt_, index, value));
}

void Statement::bind(int index, const std::optional<double>& value) {
  if (value) {
    bind(index, *value);
  } else {
    bind_null(index);
  }
}

void Statement::bind(int index, std::string_view text) {
  note_bind(
      sqlite3_bind_text64(stmt_, index, text.data(), text.size(), SQLITE_TRANSIENT, SQLITE_UTF8));
}

void Statement::bind_static(int index, std::string_view text) {
  note_bind(
      sqlite3_bind_text64(stmt_, index, text.data(), text.size(), SQLITE_STATIC, SQLITE_UTF8));
}

void Statement::bind_blob_static(int index, std::string_view bytes) {
  note_bind(sqlite3_bind_blob64(stmt_, index, bytes.data(), bytes.size(), SQLITE_STATIC));
}

void Statement::bind_null(int index) { note_bind(sqlite3_bind_null(stmt_, index)); }

void Statement::bind_blob(int index, std::string_view bytes) {
  note_bind(sqlite3_bind_blob64(stmt_, index, bytes.data(), bytes.size(), SQLITE_TRANSIENT));
}

Result<bool> Statement::step() {
  if (bind_rc_ != SQLITE_OK) {
    int rc = std::exchange(bind_rc_, SQLITE_OK);
    return store_error(path_, "cannot bind a value", sqlite3_errstr(rc));
  }
  int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  return store_error(path_, "cannot run '" + std::string(sqlite3_sql(stmt_)) + "'",
                     failure(sqlite3_db_handle(stmt_), path_).c_str());
}

Status Statement::run() {
  auto r = step();
  return r.status();
}

void Statement::reset() {
  sqlite3_reset(stmt_);
  sqlite3_clear_bindings(stmt_);
  bind_rc_ = SQLITE_OK;
}

void Statement::rewind() {
  sqlite3_reset(stmt_);
  bind_rc_ = SQLITE_OK;
}

bool Statement::is_null(int column) const {
  return sqlite3_column_type(stmt_, column) == SQLITE_NULL;
}

std::int64_t Statement::column_int64(int column) const {
  return sqlite3_column_int64(stmt_, column);
}

int Statement::column_int(int column) const { return sqlite3_column_int(stmt_, column); }

double Statement::column_double(int column) const { return sqlite3_column_double(stmt_, column); }

std::optional<double> Statement::column_optional_double(int column) const {
  if (is_null(column)) return std::nullopt;
  return sqlite3_column_double(stmt_, column);
}

std::string Statement::column_text(int column) const {
  const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(stmt_, column));
  if (text == nullptr) return std::string();
  return std::string(text, static_cast<std::size_t>(sqlite3_column_bytes(stmt_, column)));
}

std::string Statement::column_blob(int column) const {
  const auto* bytes = static_cast<const char*>(sqlite3_column_blob(stmt_, column));
  if (bytes == nullptr) return std::string();
  return std::string(bytes, static_cast<std::size_t>(sqlite3_column_bytes(stmt_, column)));
}

namespace {
// One name serves every level: SQLite's RELEASE and ROLLBACK TO act on the
// innermost savepoint of that name.
constexpr const char* kSavepoint = "vitals_nested";
}  // namespace

Result<Transaction> Transaction::begin(Db& db, Mode mode) {
  if (!db.autocommit()) {
    if (Status s = db.exec(std::string("SAVEPOINT ") + kSavepoint, "cannot begin a savepoint");
        !s.is_ok()) {
      return s;
    }
    return Transaction(&db, true);
  }
  const char* sql = mode == Mode::kImmediate ? "BEGIN IMMEDIATE" : "BEGIN DEFERRED";
  if (Status s = db.exec(sql, "cannot begin a transaction"); !s.is_ok()) return s;
  return Transaction(&db, false);
}

Transaction::Transaction(Transaction&& other) noexcept
    : db_(std::exchange(other.db_, nullptr)), nested_(other.nested_) {}

Transaction::~Transaction() { rollback(); }

Status Transaction::commit() {
  if (db_ == nullptr) return Status(StatusCode::kInternal, "commit of a finished transaction");
  Status s = nested_ ? db_->exec(std::string("RELEASE ") + kSavepoint, "cannot release a savepoint")
                     : db_->exec("COMMIT", "cannot commit");
  if (!s.is_ok()) {
    rollback();
    return s;
  }
  db_ = nullptr;
  return Status::ok();
}

void Transaction::rollback() {
  if (db_ == nullptr) return;
  // SQLite rolls back by itself after some errors (SQLITE_FULL, SQLITE_IOERR,
  // SQLITE_NOMEM...); a second ROLLBACK would only fail.
  if (!db_->autocommit()) {
    if (nested_) {
      const std::string undo = std::string("ROLLBACK TO ") + kSavepoint + "; RELEASE " + kSavepoint;
      sqlite3_exec(db_->handle(), undo.c_str(), nullptr, nullptr, nullptr);
    } else {
      sqlite3_exec(db_->handle(), "ROLLBACK", nullptr, nullptr, nullptr);
    }
  }
  db_ = nullptr;
}

}  // namespace vitals::detail
