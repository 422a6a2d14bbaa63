// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "store/sqlite_db.hpp"

#include <vitals/diagnostic.hpp>
#include <vitals/engine.hpp>
#include <vitals/status.hpp>

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace vitals::detail {

/// The identity of one file as the file system has it: what changes
/// whenever its bytes may have (a write changes ctime, which no user call
/// can set back).
struct FileStamp {
  std::filesystem::path path;
  std::uint64_t device = 0, inode = 0, size = 0;
  std::int64_t mtime_ns = 0, ctime_ns = 0;

  friend bool operator==(const FileStamp&, const FileStamp&) = default;
};

/// A file a read depended on: its stamp, taken before its bytes were
/// hashed, the hex SHA-256 of those bytes, and the file system's clock
/// (CLOCK_REALTIME_COARSE, nanoseconds) read just before the stamp was
/// taken. A later ingest trusts `sha256` without reading the file while its
/// stamp is the same and the file was not changed within the second of
/// `stamped_at_ns` (engine/source_skip.hpp).
struct KnownFile {
  FileStamp stamp;
  std::string sha256;
  std::int64_t stamped_at_ns = 0;

  friend bool operator==(const KnownFile&, const KnownFile&) = default;
};

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
  /// The files the read key hashed, in its order (table source_read_files,
  /// schema version 11; empty for a read remembered before).
  std::vector<KnownFile> files;
};

/// The remembered read of `source`; nullopt when there is none.
Result<std::optional<SourceRead>> load_source_read(Db& db, const std::string& source);

/// Replaces the remembered read of read.source with `read`, in one
/// transaction.
Status remember_source_read(Db& db, const SourceRead& read);

/// Replaces the files of the remembered read of `source` with `files`
/// (their stamps taken again, their hashes the same), so that a file whose
/// stamp changed without its bytes is trusted again by the next ingest.
/// Nothing when `source` has no remembered read.
Status refresh_source_read_files(Db& db, const std::string& source,
                                 const std::vector<KnownFile>& files);

/// Forgets the remembered read of `source` (nothing when there is none).
/// Called before anything of the source is written by any path, so that
/// the store never keeps a read whose data is no longer what it holds.
Status forget_source_read(Db& db, const std::string& source);

}  // namespace vitals::detail
