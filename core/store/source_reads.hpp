// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "store/sqlite_db.hpp"

#include <vitals/diagnostic.hpp>
#include <vitals/engine.hpp>
#include <vitals/status.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace vitals::detail {

/// What one successful read of a source depended on and what it said
/// (tables source_reads, source_read_diagnostics and
/// source_read_unknown_series), so that an ingest can recognise the source
/// unchanged and repeat the read's counts and diagnostics without reading it.
struct SourceRead {
  std::string source;
  /// Hex SHA-256 of everything the read depended on (engine/source_skip.hpp).
  std::string read_key;
  std::int64_t read_at = 0;  // unix seconds
  std::int64_t series = 0;
  std::int64_t observations = 0;
  std::int64_t records = 0;
  /// The diagnostics the read produced, in the order it produced them.
  std::vector<Diagnostic> diagnostics;
  std::vector<UnknownSeries> unknown_series;
};

/// The remembered read of `source`; nullopt when there is none.
Result<std::optional<SourceRead>> load_source_read(Db& db, const std::string& source);

/// Replaces the remembered read of read.source with `read`, in one
/// transaction.
Status remember_source_read(Db& db, const SourceRead& read);

/// Forgets the remembered read of `source` (nothing when there is none).
/// Called before anything of the source is written by any path, so that
/// the store never keeps a read whose data is no longer what it holds.
Status forget_source_read(Db& db, const std::string& source);

}  // namespace vitals::detail
