// SPDX-License-Identifier: Apache-2.0
#include "store/store_file.hpp"

#include "store/migrations.hpp"

#include <sqlite3.h>

#include <fcntl.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <string>
#include <string_view>
#include <system_error>

namespace fs = std::filesystem;

namespace vitals::detail {

namespace {

// The smallest SQLite database is one page of the smallest page size.
constexpr std::uintmax_t kSmallestDatabase = 512;
constexpr std::string_view kSqliteHeader("SQLite format 3\0", 16);

Status refuse(const fs::path& path, const std::string& what) {
  return Status(StatusCode::kStoreError, "store '" + path.string() + "': " + what);
}

std::string bytes(std::uintmax_t n) { return std::to_string(n) + (n == 1 ? " byte" : " bytes"); }

// OK when the existing file at `path` may be a SQLite database; otherwise
// what it is.
Status check_existing(const fs::path& path, const fs::file_status& status) {
  if (fs::is_directory(status)) {
    return refuse(path, "is a folder, not a store file; name a file, for example " +
                            (path / "vitals.db").string());
  }
  if (!fs::is_regular_file(status)) {
    return refuse(path, "is not a regular file, so it is not a Vitals store; choose another file");
  }
  std::error_code ec;
  const std::uintmax_t size = fs::file_size(path, ec);
  if (ec) return refuse(path, "cannot read its size: " + ec.message());
  const std::string truncated =
      "; a store is never this short, so it may have been truncated. Restore it from a "
      "backup, or remove it to start a new, empty store";
  if (size == 0) return refuse(path, "is empty (0 bytes), so it is not a Vitals store" + truncated);
  if (size < kSmallestDatabase) {
    return refuse(path, "is only " + bytes(size) + " long, so it is not a Vitals store" + truncated);
  }
  std::ifstream in(path, std::ios::binary);
  char header[kSqliteHeader.size()] = {};
  if (!in.read(header, sizeof header)) {
    return refuse(path, std::string("cannot be read: ") + std::strerror(errno));
  }
  if (std::string_view(header, sizeof header) != kSqliteHeader) {
    return refuse(path,
                  "is not a SQLite database, so it is not a Vitals store; choose another file");
  }
  return Status::ok();
}

// A new, empty database at `temp` (which must not exist) marked as a Vitals
// store: one page, written with the rollback journal, which is gone when the
// connection closes.
Status make_empty_store(const fs::path& temp, const fs::path& path) {
  sqlite3* raw = nullptr;
  int rc = sqlite3_open_v2(temp.c_str(), &raw,
                           SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_EXCLUSIVE,
                           nullptr);
  if (rc == SQLITE_OK) {
    const std::string sql = "PRAGMA page_size=16384; PRAGMA application_id=" +
                            std::to_string(kStoreApplicationId);
    rc = sqlite3_exec(raw, sql.c_str(), nullptr, nullptr, nullptr);
  }
  std::string why = rc == SQLITE_OK ? "" : raw != nullptr ? sqlite3_errmsg(raw) : sqlite3_errstr(rc);
  if (sqlite3_close_v2(raw) != SQLITE_OK && rc == SQLITE_OK) why = "cannot close the new file";
  if (!why.empty()) {
    const fs::path folder = temp.parent_path();
    if (::access(folder.c_str(), W_OK) != 0) why += " (the folder is read-only here)";
    return refuse(path, "cannot create it in '" + folder.string() + "': " + why);
  }
  return Status::ok();
}

// Makes the new name durable.
void sync_folder(const fs::path& dir) {
  int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return;
  (void)::fsync(fd);
  ::close(fd);
}

// Links `temp` to `path` unless `path` exists: 0, or errno (EEXIST when
// another process created it first).
int place(const fs::path& temp, const fs::path& path) {
  if (::link(temp.c_str(), path.c_str()) == 0) return 0;
  const int link_error = errno;
  if (link_error == EEXIST) return EEXIST;
  // Some file systems have no hard links; an exclusive rename does the same.
  if (::renameat2(AT_FDCWD, temp.c_str(), AT_FDCWD, path.c_str(), RENAME_NOREPLACE) == 0) return 0;
  return errno == EEXIST ? EEXIST : link_error;
}

Result<Db> open_existing(const fs::path& path) {
  std::error_code ec;
  const fs::file_status status = fs::status(path, ec);
  if (Status s = check_existing(path, status); !s.is_ok()) return s;
  return Db::open(path, Db::Create::kNever);
}

Result<Db> create(const fs::path& path) {
  fs::path dir = path.parent_path();
  std::error_code ec;
  if (!fs::is_directory(dir.empty() ? fs::path(".") : dir, ec)) {
    return refuse(path, "the folder '" + dir.string() +
                            "' does not exist; create it first (Vitals does not create folders)");
  }
  static std::atomic<unsigned> counter{0};
  const fs::path temp = (dir.empty() ? fs::path(".") : dir) /
                        ("." + path.filename().string() + ".new-" + std::to_string(::getpid()) +
                         "-" + std::to_string(counter++));
  Status made = make_empty_store(temp, path);
  if (made.is_ok()) {
    const int error = place(temp, path);
    if (error != 0 && error != EEXIST) {
      made = refuse(path, std::string("cannot create it: ") + std::strerror(error));
    }
  }
  fs::remove(temp, ec);
  if (!made.is_ok()) return made;
  sync_folder(dir.empty() ? fs::path(".") : dir);
  // Created here or, a moment earlier, by another process: either way a
  // complete file that is checked like any other.
  return open_existing(path);
}

}  // namespace

Result<Db> open_store_file(const fs::path& path) {
  if (path == ":memory:") return Db::open(path);
  std::error_code ec;
  const fs::file_status status = fs::symlink_status(path, ec);
  if (fs::is_symlink(status) && !fs::exists(path, ec)) {
    return refuse(path, "is a symbolic link to a file that does not exist; choose another file");
  }
  if (fs::exists(status)) return open_existing(path);
  if (ec && ec != std::errc::no_such_file_or_directory) {
    return refuse(path, "cannot be examined: " + ec.message());
  }
  return create(path);
}

}  // namespace vitals::detail
