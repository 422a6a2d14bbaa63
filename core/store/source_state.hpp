// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "store/sqlite_db.hpp"

#include <vitals/status.hpp>

#include <cstdint>
#include <string>
#include <vector>

namespace vitals::detail {

/// A source whose last ingest failed, as the store remembers it.
struct StoredSourceFailure {
  std::string source;
  std::int64_t failed_at = 0;  // unix seconds
  std::string message;
};

/// After an ingest: the sources in `failed` are remembered as failed (with
/// their message and time), those in `read` are forgotten as failures. One
/// short transaction; sources in neither list are left as they were.
Status record_source_outcomes(Db& db, const std::vector<std::string>& read,
                              const std::vector<StoredSourceFailure>& failed);

/// The sources whose last ingest failed, by name.
Result<std::vector<StoredSourceFailure>> load_source_failures(Db& db);

}  // namespace vitals::detail
