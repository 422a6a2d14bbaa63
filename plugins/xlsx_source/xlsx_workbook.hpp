// SPDX-License-Identifier: Apache-2.0
#pragma once

// A workbook's catalogue of sheets and the tables its cells refer to: the
// shared strings (held, since cells name them by index; bounded), which
// cell styles show dates, and the date system.

#include "xlsx_archive.hpp"

#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace vitals::xlsx {

/// The most text the shared strings table may hold, and the most strings.
inline constexpr std::uint64_t kMaxSharedStringBytes = std::uint64_t{256} << 20;
inline constexpr std::size_t kMaxSharedStrings = std::size_t{1} << 24;
/// The most bytes a small part (workbook, relationships, styles) may inflate to.
inline constexpr std::uint64_t kMaxSmallPartBytes = std::uint64_t{64} << 20;

struct SheetInfo {
  std::string name;
  std::string part;   // "xl/worksheets/sheet1.xml"
  bool hidden = false;  // hidden or "very hidden"
};

class Workbook {
 public:
  /// Opens the workbook at `path` and reads its sheet list, shared strings,
  /// styles and date system. Throws DataError or IoError (Archive), and
  /// DataError when a part is missing or malformed.
  explicit Workbook(const std::filesystem::path& path);

  const Archive& archive() const { return archive_; }
  const std::vector<SheetInfo>& sheets() const { return sheets_; }
  /// Whether dates count from 1904 (workbookPr date1904) rather than 1900.
  bool date1904() const { return date1904_; }

  std::size_t shared_string_count() const { return string_ends_.size(); }
  /// Shared string `index`. REQUIRES: index < shared_string_count().
  std::string_view shared_string(std::size_t index) const {
    const std::size_t begin = index == 0 ? 0 : string_ends_[index - 1];
    return std::string_view(strings_).substr(begin, string_ends_[index] - begin);
  }

  /// Whether cell style `index` (a cell's s attribute) shows a date.
  bool is_date_style(std::size_t index) const {
    return index < date_styles_.size() && date_styles_[index];
  }

  /// The sheet named by the `sheet` setting: a sheet's name (exactly, then
  /// ignoring ASCII case), else a 1-based position. Empty: the first sheet.
  /// Throws ConfigError listing the sheets when there is none such.
  const SheetInfo& find_sheet(std::string_view wanted) const;

 private:
  void read_workbook(const std::string& part);
  void read_shared_strings(const std::string& part);
  void read_styles(const std::string& part);

  Archive archive_;
  std::string label_;
  std::vector<SheetInfo> sheets_;
  bool date1904_ = false;
  std::string strings_;                   // every shared string, end to end
  std::vector<std::size_t> string_ends_;  // where each ends in strings_
  std::vector<bool> date_styles_;
};

}  // namespace vitals::xlsx
