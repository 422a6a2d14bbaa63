// SPDX-License-Identifier: Apache-2.0
#pragma once

// The two ways a sheet lays out series: long (one row per series and
// period, the csv plugin's columns) and wide (one row per series, one
// column per period: the committee dashboard's layout). See README.md.

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
  std::string single_series;   // `series`: the one series a long sheet holds
  std::string series_column;   // "" in wide: the area's first column
  std::string period_column = "period";
  std::string value_column = "value";
  std::string numerator_column = "numerator";
  std::string denominator_column = "denominator";
  std::string target_column = "target";
  bool numerator_required = false;
  bool denominator_required = false;
  bool target_required = false;
  // wide: the column saying which figure a row holds (value, numerator, ...).
  std::string measure_column;  // "" = a column headed "measure", when there is one
};

/// Reads `sheet` of `workbook` as `layout` says into `sink` (only the series
/// keys when `keys_only`). Problems are reported located at their cell.
/// Throws DataError when the sheet itself cannot be read.
void read_sheet(const Workbook& workbook, const SheetInfo& sheet, const SheetLayout& layout,
                plugin::Sink& sink, bool keys_only);

}  // namespace vitals::xlsx
