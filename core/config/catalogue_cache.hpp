// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "config/indicator_parser.hpp"

#include <vitals/diagnostic.hpp>

#include <array>
#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace vitals::detail {

/// What one indicator file holds, read on its own: its indicators and the
/// diagnostics about it, in the order a serial read finds them.
struct ParsedIndicatorFile {
  std::vector<Diagnostic> diagnostics;
  std::vector<ParsedIndicator> indicators;
};

using ContentDigest = std::array<std::uint8_t, 32>;

/// `parsed` as bytes, every field of every indicator and diagnostic kept.
/// Locations in `file` (the name the file is reported under) are written
/// without the name.
std::string encode_parsed_file(const ParsedIndicatorFile& parsed, const std::string& file);

/// The file encode_parsed_file() wrote for `file`; nullopt when `bytes` are
/// not such an encoding (short, or a value out of range).
std::optional<ParsedIndicatorFile> decode_parsed_file(std::string_view bytes,
                                                      const std::string& file);

/// What the loader did with a cache file, for the -vv log.
struct CatalogueCacheUse {
  std::size_t reused = 0;  // indicator files taken from the cache
  std::size_t parsed = 0;  // indicator files parsed (changed, new, or no cache)
  bool written = false;    // the cache file was written anew
  /// Why an existing cache file was ignored or could not be written; empty
  /// when it was not.
  std::string problem;
};

/// A cache of parsed indicator files, kept in one file between runs so that
/// loading an unchanged catalogue does not parse its TOML again.
///
/// Trust comes first. An entry is used only for a file of the same name
/// whose text has the same SHA-256 as when it was parsed, and the whole
/// cache only when its context is the same: the cache's format, the
/// engine's version, the build of the code that parsed it (the file, size
/// and modification time of the program or library holding it), the
/// catalogue folder's name, and everything of catalogue.toml an indicator's
/// parse reads (its whole text, and the paths the catalogue resolved on the
/// file system). The file carries the SHA-256 of its contents, so a
/// truncated or damaged cache is detected and ignored, and the catalogue is
/// parsed as if there were none.
/// Thread safety: find() may be called concurrently once read() returned.
class CatalogueCache {
 public:
  /// An empty cache: finds nothing.
  CatalogueCache() = default;

  /// The cache in `path` when it exists, is intact and was made in
  /// `context`; otherwise an empty cache, with why in `problem` (empty when
  /// there was no file).
  static CatalogueCache read(const std::filesystem::path& path, const ContentDigest& context,
                             std::string& problem);

  /// The cached parse of `file` whose text has SHA-256 `digest`; nullopt
  /// when there is none. The encoded bytes are put in `bytes` when found.
  std::optional<ParsedIndicatorFile> find(const std::string& file, const ContentDigest& digest,
                                          std::string_view& bytes) const;

  /// The number of files held.
  std::size_t size() const { return entries_.size(); }

  struct Entry {
    std::string file;
    ContentDigest digest{};
    std::string bytes;  // encode_parsed_file()
  };

  /// Writes `entries` made in `context` to `path`, through a temporary file
  /// in the same folder renamed over it, so a reader never sees half a
  /// cache. False, with why in `problem`, when it could not.
  static bool write(const std::filesystem::path& path, const ContentDigest& context,
                    const std::vector<Entry>& entries, std::string& problem);

 private:
  struct Found {
    ContentDigest digest{};
    std::string_view bytes;
  };
  std::string data_;
  std::map<std::string, Found, std::less<>> entries_;
};

/// What every indicator file's parse depends on besides its own name and
/// text (the cache's format is in the file's header): the engine's
/// `version`, the running `build` (running_build_identity()), the catalogue
/// folder's name `dir`, and catalogue.toml: its text and what it resolved on
/// the file system, or that there was none (`declared` nullptr).
ContentDigest catalogue_cache_context(std::string_view version, std::string_view build,
                                      const std::filesystem::path& dir,
                                      const std::string* catalogue_text,
                                      const Catalogue* declared);

/// Where the cache of the catalogue read with the store at `store_path` is
/// kept: beside it, named after it with ".catalogue-cache" added; empty (no
/// cache) for an in-memory store.
std::filesystem::path catalogue_cache_path(const std::filesystem::path& store_path);

/// The build of the code running: a digest of the name, size and
/// modification time of the program or shared library that holds the
/// catalogue loader; nullopt when it cannot be told (no cache is used then).
std::optional<std::string> running_build_identity();

}  // namespace vitals::detail
