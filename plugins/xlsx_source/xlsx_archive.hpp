// SPDX-License-Identifier: Apache-2.0
#pragma once

// The workbook's zip container (libzip), read defensively: parts are
// streamed in pieces, and a part whose size or compression ratio marks it
// as a zip bomb is refused before it is inflated.

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>
#include <string_view>

struct zip;

namespace vitals::xlsx {

/// A part bigger than this when inflated is refused (streamed parts only
/// cost time, but a worksheet this big is beyond Excel's own limits).
inline constexpr std::uint64_t kMaxPartBytes = std::uint64_t{8} << 30;
/// Parts with this many inflated bytes per compressed byte, once bigger than
/// kBombFloorBytes, are refused as zip bombs (deflate's own limit is about
/// 1,030; real worksheets compress 5 to 50 times).
inline constexpr std::uint64_t kMaxCompressionRatio = 500;
inline constexpr std::uint64_t kBombFloorBytes = std::uint64_t{16} << 20;

class Archive {
 public:
  /// Opens `path`. Throws DataError when it is not a zip archive (saying
  /// what it looks like instead: an old .xls, a CSV) or is damaged, IoError
  /// when it cannot be read.
  explicit Archive(const std::filesystem::path& path);
  ~Archive();
  Archive(const Archive&) = delete;
  Archive& operator=(const Archive&) = delete;

  /// Whether the archive holds part `name` ("xl/workbook.xml").
  bool has(std::string_view name) const;

  /// Inflates part `name`, handing each piece to `consume` (the last call
  /// has `last` true, possibly with no bytes). Throws DataError when the part
  /// is missing, damaged, bigger than `limit` or kMaxPartBytes, or a zip bomb.
  void read(std::string_view name, std::uint64_t limit,
            const std::function<void(const char*, std::size_t, bool last)>& consume) const;

 private:
  std::string label_;  // the file name, for messages
  zip* zip_ = nullptr;
};

}  // namespace vitals::xlsx
