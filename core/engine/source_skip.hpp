// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "plugin/plugin_library.hpp"

#include <vitals/catalogue.hpp>

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace vitals::detail {

/// The code of the note an ingest adds for each source it did not read
/// again because nothing its read depends on changed.
inline constexpr std::string_view kSourceUnchangedCode = "source.unchanged";

/// The identity of one file as the file system has it: what changes
/// whenever its bytes may have (a write changes ctime, which no user call
/// can set back).
struct FileStamp {
  std::filesystem::path path;
  std::uint64_t device = 0, inode = 0, size = 0;
  std::int64_t mtime_ns = 0, ctime_ns = 0;

  friend bool operator==(const FileStamp&, const FileStamp&) = default;
};

/// What a source's read depends on, taken before it is read.
struct SourceReadKey {
  /// Hex SHA-256 of: the engine's version and running build; the plugin's
  /// name, version and library bytes; the whole source definition (settings,
  /// base_dir, data_dirs, isolation, period form, where the catalogue writes
  /// the source and each setting); the name and bytes of each file its input
  /// file settings name; and the catalogue's series mapping for the source
  /// (each indicator reading it: id, series key, title, polarity, unit; and
  /// each series a derived indicator reads from it).
  std::string hex;
  /// The files hashed, stamped before they were hashed.
  std::vector<FileStamp> files;
};

/// The key of `source`'s read, or nullopt when the source must be read
/// whatever it holds: its plugin does not declare its input files (ABI 1.3),
/// a file it names cannot be read (the plugin then reports it), or the
/// running build cannot be told. `why` says which, for the log.
std::optional<SourceReadKey> source_read_key(const Catalogue& catalogue,
                                             const SourceDefinition& source,
                                             const PluginLibrary& library, std::string& why);

/// True when every file of `key` still has the stamp it had when hashed, so
/// that what was read after the key was taken is what the key describes.
bool files_unchanged(const SourceReadKey& key);

}  // namespace vitals::detail
