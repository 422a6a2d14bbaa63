// SPDX-License-Identifier: Apache-2.0
// What every document writer of the library shares (the committee report,
// its card pages, the published site): how a template failure becomes the
// Status, and how a file is written so that a reader never sees half of it.
#pragma once

#include <cstddef>
#include <filesystem>
#include <string>
#include <vector>

#include <vitals/diagnostic.hpp>
#include <vitals/status.hpp>

namespace vitals::detail {

/// The first error among diagnostics[first...] as the Status of a document
/// whose templates failed ("report templates: FILE:LINE:COL: ..."), or a
/// general one when none of them is an error.
Status template_failure(const std::vector<Diagnostic>& diagnostics, std::size_t first = 0);

/// Writes `content` to `path` through a temporary file in the same directory
/// and a rename: a reader sees the old file or the new one, never half of it.
Status write_atomically(const std::filesystem::path& path, const std::string& content);

}  // namespace vitals::detail
