// SPDX-License-Identifier: Apache-2.0
#pragma once

// What a cell holds, independent of the XML it came from: cell references
// ("C7"), Excel date serials and number formats, numbers written as text.

#include "../common/ascii_text.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace vitals::xlsx {

/// The largest row and column a worksheet can have (Excel 2007 and later).
inline constexpr std::int64_t kMaxRows = 1048576;
inline constexpr std::int32_t kMaxColumns = 16384;

/// A cell position, 1-based.
struct CellRef {
  std::int64_t row = 0;
  std::int32_t column = 0;
};

/// "C7" -> {7, 3}. Accepts "$C$7". nullopt when not a cell reference.
std::optional<CellRef> parse_cell_ref(std::string_view text);

/// The column letters: 3 -> "C", 27 -> "AA". REQUIRES: 1 <= column <= kMaxColumns.
std::string column_name(std::int32_t column);

/// The cell's name: {7, 3} -> "C7".
std::string cell_name(CellRef ref);

/// A rectangle of cells, corners included.
struct CellRange {
  CellRef first;
  CellRef last;
  bool contains(CellRef c) const {
    return c.row >= first.row && c.row <= last.row && c.column >= first.column &&
           c.column <= last.column;
  }
};

/// "A3:P20" (or one cell, "B2"). nullopt when not a range; corners are
/// put in order.
std::optional<CellRange> parse_range(std::string_view text);

/// The month ("2017-03") of an Excel date serial in the 1900 date system
/// (serial 1 = 1 January 1900, serial 60 = the fictitious 29 February 1900
/// that Excel keeps for Lotus 1-2-3's sake) or, when `date1904`, the 1904
/// system (serial 0 = 1 January 1904). The time of day is ignored. nullopt
/// for serials before the system's first day or after 9999.
std::optional<std::string> serial_month(double serial, bool date1904);

/// The month of an ISO 8601 date ("2017-03-01" or "2017-03-01T00:00:00"),
/// as cells of type "d" hold it. nullopt when it is not one.
std::optional<std::string> iso_month(std::string_view text);

/// Whether number format `id` (with format code `code` when custom) shows
/// a date or time: the built-in date formats 14-22, 27-36, 45-47, 50-58 and
/// 71-81, and custom codes with a day, month, year, hour or second part
/// outside quoted text, escapes and [colour] brackets.
bool is_date_format(int id, std::string_view code);

/// A number in text as Excel writes it in XML (`<v>`): full precision.
std::optional<double> parse_xml_number(std::string_view text);

/// `s` without surrounding ASCII whitespace.
std::string_view trim_ascii(std::string_view s);

/// Whether `a` and `b` are equal ignoring ASCII case (headings, sheet names).
using plugin_common::iequals;

}  // namespace vitals::xlsx
