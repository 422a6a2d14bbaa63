// SPDX-License-Identifier: Apache-2.0
// The one way the engine replaces a file whole (include/vitals/output_file.hpp),
// with the choice of flushing it to the disk before the rename: what people
// read is; a cache the engine can rebuild at any time need not be.
#pragma once

#include <filesystem>
#include <functional>
#include <ostream>

#include <vitals/status.hpp>

namespace vitals::detail {

enum class FileSync { kToDisk, kNone };

/// write_output_file(), with `sync` deciding whether the new file is flushed
/// to the disk before it is renamed over `path`.
Status replace_file(const std::filesystem::path& path,
                    const std::function<bool(std::ostream&)>& write, FileSync sync);

}  // namespace vitals::detail
