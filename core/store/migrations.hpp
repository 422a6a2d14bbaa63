// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "store/sqlite_db.hpp"

#include <vitals/status.hpp>

#include <cstdint>

namespace vitals::detail {

/// The value of PRAGMA application_id that marks a file as a Vitals store ("VTLS").
inline constexpr std::int32_t kStoreApplicationId = 0x56544C53;

/// The newest schema version this build creates and understands.
int latest_schema_version();

/// Brings `db` to latest_schema_version(), one transaction per version step
/// (PRAGMA user_version records the step reached). Fails with kStoreError,
/// leaving the file unchanged, when the store's version is newer than this
/// build knows, or when the file is a SQLite database of some other program.
/// Safe when several processes open the same new file at once: each step
/// re-reads the version under the write lock.
Status migrate(Db& db);

/// As migrate(), but stops at `version` (for tests that build a store of an
/// older schema). REQUIRES: 1 <= version <= latest_schema_version().
Status migrate_to(Db& db, int version);

}  // namespace vitals::detail
