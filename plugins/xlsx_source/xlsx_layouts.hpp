// SPDX-License-Identifier: Apache-2.0
#pragma once

// The two ways a sheet lays out series: long (one row per series and
// period, the csv plugin's columns) and wide (one row per series, one
// column per period: the committee dashboard's layout). See README.md.

#include "../common/long_columns.hpp"
#include "xlsx_cells.hpp"
#include "xlsx_workbook.hpp"

#include <vitals/plugin/sdk.hpp>

#include <string>

namespace vitals::xlsx {

/// What a source reads, from its settings.
struct SheetLayout {
  std::string sheet;           // the `sheet` setting ("" = the first sheet)
  CellRange area;              // header row first; columns read
  bool wide = false;
  // long: the column names (header text) of each field, as the csv plugin's.
  plugin_common::LongColumns columns;
  // wide: the column holding the series ids ("" = the area's first column)
  // and the column saying which figure a row holds (value, numerator, ...).
  std::string series_column;
  std::string measure_column;  // "" = a column headed "measure", when there is one
};

/// Reads `sheet` of `workbook` as `layout` says into `sink` (only the series
/// keys when `keys_only`). Problems are reported located at their cell.
/// Throws DataError when the sheet itself cannot be read.
void read_sheet(const Workbook& workbook, const SheetInfo& sheet, const SheetLayout& layout,
                plugin::Sink& sink, bool keys_only);

}  // namespace vitals::xlsx
