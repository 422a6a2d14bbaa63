// SPDX-License-Identifier: Apache-2.0
// How Vitals writes a file a person or another program will read: a report,
// a card, a page of the published site, a JSON result.
#pragma once

#include <filesystem>
#include <functional>
#include <ostream>
#include <string_view>

#include <vitals/export.hpp>
#include <vitals/status.hpp>

namespace vitals {

/// Writes a file so that a reader sees the old content or the new, never half
/// of it: `write` streams the content into a new file beside `path`, which is
/// flushed to the disk and then renamed over `path`. `write` returns false
/// when it failed; the new file is then removed and `path` left as it was.
///
/// - The parent folders of `path` are created when missing.
/// - A symbolic link is followed: the file it names is replaced, the link kept.
/// - A file that is replaced keeps its permissions; a new one gets the
///   process's umask, as any file the process creates.
/// - Something other than a file (a device such as /dev/null, a pipe) is
///   written in place, never replaced. A folder is an error.
///
/// Returns kIoError naming `path` and the system's reason when it cannot.
VITALS_API Status write_output_file(const std::filesystem::path& path,
                                    const std::function<bool(std::ostream&)>& write);

/// The same for content already in memory.
VITALS_API Status write_output_file(const std::filesystem::path& path, std::string_view content);

}  // namespace vitals
