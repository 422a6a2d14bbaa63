// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "config/catalogue_cache.hpp"

#include <vitals/catalogue.hpp>
#include <vitals/diagnostic.hpp>
#include <vitals/progress.hpp>

#include <filesystem>
#include <optional>
#include <vector>

namespace vitals::detail {

/// The outcome of reading a catalogue directory.
struct LoadedCatalogue {
  std::optional<Catalogue> catalogue;  // nullopt when any error-severity diagnostic was found
  std::vector<Diagnostic>
      diagnostics;  // errors and warnings, sorted (vitals::sort_and_deduplicate)
  CatalogueCacheUse cache;  // what was taken from the cache file
};

/// Loads <dir>/catalogue.toml and every <dir>/indicators/**/*.toml (sorted
/// paths). Every problem found in any file is reported, each located at
/// file:line:column with the file named as dir / relative path (not
/// canonicalised). On success the catalogue is complete: indicators, sources,
/// budget lines and risks sorted by id or name, rule_dirs absolute, root = dir,
/// catalogue defaults merged into each indicator. Files over
/// kMaxConfigFileBytes are refused. Never throws.
/// The indicator files are parsed on up to `threads` threads (0: one per
/// core, 1: on the calling thread alone); the result, diagnostics included,
/// is the same for any number of threads.
/// The parsed files are counted to `progress` ("loading the catalogue",
/// unit "files").
/// With a `cache_file`, indicator files whose text is unchanged since they
/// were parsed are taken from that file (see CatalogueCache) instead of
/// parsed, giving the same catalogue and the same diagnostics; the file is
/// then rewritten when any indicator file was parsed or is gone. A cache
/// file that is missing, damaged or made elsewhere is ignored, and one that
/// cannot be written is skipped: neither is a diagnostic (see `cache`).
/// Thread safety: safe to call concurrently; shares no state but the cache
/// file, which is replaced whole.
LoadedCatalogue load_catalogue(const std::filesystem::path& dir, std::size_t threads = 0,
                               const ProgressSink& progress = {},
                               const std::filesystem::path& cache_file = {});

}  // namespace vitals::detail
