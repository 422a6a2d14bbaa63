// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "store/sqlite_db.hpp"

#include <vitals/period.hpp>
#include <vitals/records.hpp>
#include <vitals/status.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace vitals::detail {

/// What store_records() did.
struct RecordIngestCounts {
  int records = 0;      // records received
  bool stored = false;  // false: identical to the source's latest snapshot, nothing written
};

/// Stores everything one ingest of `source` delivered as records, as one
/// snapshot, in one transaction; a snapshot identical to the source's latest
/// one (same content hash) is not stored again. Returns kInvalidArgument,
/// before any write, for an empty source name, kind or key, the same kind,
/// key and period twice, or a record of a known kind that fails
/// validate_record().
Result<RecordIngestCounts> store_records(Db& db, const std::string& source,
                                         const std::vector<Record>& records,
                                         std::int64_t ingested_at);

/// Records of one kind from one source as at a period.
struct RecordSet {
  std::optional<Period> period;  // the period they describe; nullopt when none
  std::vector<Record> records;   // sorted by key
};

/// The records of `kind` that `source` holds for the latest period at or
/// before `period` (strictly before when `before`), from the newest snapshot
/// holding that period: a register or budget report is read whole, so a risk
/// missing from it is closed, not carried over from an older one.
Result<RecordSet> load_records(Db& db, const std::string& source, std::string_view kind,
                               const Period& period, bool before);

/// The SHA-256 (hex) of `records` in a canonical order (kind, period, key).
std::string records_digest(const std::vector<Record>& records);

}  // namespace vitals::detail
