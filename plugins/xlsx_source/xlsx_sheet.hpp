// SPDX-License-Identifier: Apache-2.0
#pragma once

// A worksheet streamed row by row: only the current row's cells are held.

#include "xlsx_cells.hpp"
#include "xlsx_workbook.hpp"

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace vitals::xlsx {

/// One cell as stored (never as displayed).
struct Cell {
  enum class Kind {
    kBlank,           // no value (a styled empty cell, or an empty string)
    kNumber,          // number: the stored double; `date` when its style shows a date
    kText,            // shared, inline or formula string (rich text runs joined)
    kBool,            // number holds 1 or 0
    kError,           // #N/A, #DIV/0!, ...: text holds it
    kNoCachedValue,   // a formula the writer did not calculate
    kBad,             // a cell the writer got wrong: text says how
  };
  std::int32_t column = 0;
  Kind kind = Kind::kBlank;
  double number = 0;
  bool date = false;     // a number shown as a date (its style), or an ISO date cell
  std::string text;      // kText, kError, kBad; for an ISO date cell, the month
};

/// A row's cells inside the columns read, sorted by column; valid until the
/// next row.
struct Row {
  std::int64_t number = 0;
  const Cell* cells = nullptr;
  std::size_t size = 0;
  const Cell* begin() const { return cells; }
  const Cell* end() const { return cells + size; }
};

/// Receives each row that has cells inside the columns read, in order.
/// Return false to stop reading.
using RowHandler = std::function<bool(const Row& row)>;

/// Reads `sheet` of `workbook`, handing rows first_row..last_row (1-based,
/// inclusive) with their cells in columns first_column..last_column to
/// `handler`. Throws DataError when the sheet's XML is malformed.
void read_rows(const Workbook& workbook, const SheetInfo& sheet, const CellRange& area,
               const RowHandler& handler);

/// The merged ranges of `sheet` (listed after its cells, so this reads the
/// whole sheet once more).
std::vector<CellRange> merged_ranges(const Workbook& workbook, const SheetInfo& sheet);

}  // namespace vitals::xlsx
