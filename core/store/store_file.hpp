// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "store/sqlite_db.hpp"

#include <vitals/status.hpp>

#include <filesystem>

namespace vitals::detail {

/// Opens the file of a store (HistoryStore::open) without ever replacing what
/// is there:
///  - ":memory:" is opened as it is;
///  - an existing file is opened only if it can be a SQLite database. An
///    empty file, one shorter than the smallest SQLite database (512 bytes),
///    one that does not begin with SQLite's header, and anything that is not
///    a regular file are refused with a kStoreError naming the file and saying
///    what it is, and are left as they were (nor are -wal or -shm files made);
///  - a missing file is created, in a folder that must exist (none is
///    created). The new store is made beside its name under a temporary name
///    and linked into place, so no one ever sees an empty or half-made file,
///    and a file another process created meanwhile is opened, not replaced.
/// Whether a SQLite database is a Vitals store is migrate()'s check.
Result<Db> open_store_file(const std::filesystem::path& path);

}  // namespace vitals::detail
