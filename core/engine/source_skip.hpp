// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "plugin/plugin_library.hpp"
#include "store/source_reads.hpp"

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

/// What a source's read depends on, taken before it is read.
struct SourceReadKey {
  /// Hex SHA-256 of: the engine's version and running build; the plugin's
  /// name, version and library bytes; the whole source definition (settings,
  /// base_dir, data_dirs, isolation, period form, where the catalogue writes
  /// the source and each setting); the name, size and SHA-256 of the bytes
  /// of each file its input file settings name; and the catalogue's series
  /// mapping for the source
  /// (each indicator reading it: id, series key, title, polarity, unit; and
  /// each series a derived indicator reads from it).
  std::string hex;
  /// The files its settings name, each stamped before its bytes were
  /// hashed (or its recorded hash trusted), in the order the key took them.
  std::vector<KnownFile> files;
  /// How many of `files` were read and hashed; the others' recorded hashes
  /// were trusted.
  std::size_t files_hashed = 0;
};

/// True when `known`'s recorded hash still describes the file whose stamp
/// is now `now`: the stamps (path, device, inode, size, modification and
/// change times) are equal, and both times are older than the whole second
/// in which the stamp was recorded. A file changed within that second (or
/// the file system's one-second resolution, where it has no finer) may
/// have been changed again, after its hash, without a new stamp: it is
/// "racily clean", as git says, and hashed again.
bool stamp_trusted(const KnownFile& known, const FileStamp& now);

/// The key of `source`'s read, or nullopt when the source must be read
/// whatever it holds: its plugin does not declare its input files (ABI 1.3),
/// a file it names cannot be read (the plugin then reports it), or the
/// running build cannot be told. `why` says which, for the log. A file in
/// `known` (by path) whose stamp is trusted (stamp_trusted) is not read: its
/// recorded hash is used. Every other file is read and hashed.
std::optional<SourceReadKey> source_read_key(const Catalogue& catalogue,
                                             const SourceDefinition& source,
                                             const PluginLibrary& library,
                                             const std::vector<KnownFile>& known, std::string& why);

/// The stamps of the files `source`'s input file settings name (as
/// source_read_key finds them), taken now; nullopt when its plugin declares
/// none or one is not a readable regular file.
std::optional<std::vector<FileStamp>> input_file_stamps(const SourceDefinition& source,
                                                        const PluginLibrary& library);

/// True when a read of files with `stamps` cannot have the key of
/// `remembered`, so that the key need not be made before the source is
/// read: there is no remembered read, or it recorded its files (schema
/// version 12) and one of `stamps` is not among them or has another size.
bool key_cannot_match(const std::vector<FileStamp>& stamps, const SourceRead* remembered);

/// True when every file of `key` still has the stamp it had when hashed, so
/// that what was read after the key was taken is what the key describes.
bool files_unchanged(const SourceReadKey& key);

}  // namespace vitals::detail
