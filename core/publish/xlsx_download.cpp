// SPDX-License-Identifier: Apache-2.0
#include "publish/xlsx_download.hpp"

#include <xlsxwriter.h>

#include <algorithm>
#include <ctime>

namespace vitals::detail {

namespace {

constexpr lxw_row_t kRowsPerSheet = 1'048'575;  // Excel's limit, less the header

// Midnight UTC after the last day of `period`.
std::time_t end_of(const Period& period) {
  const int next = period.last_month_index() + 1;
  std::tm tm{};
  tm.tm_year = next / 12 - 1900;
  tm.tm_mon = next % 12;
  tm.tm_mday = 1;
  return timegm(&tm);
}

double column_width(const std::string& column) {
  if (column == "title") return 60;
  if (column == "reasons") return 40;
  return std::max<double>(10, static_cast<double>(column.size()) + 2);
}

void write_sheet(lxw_workbook* workbook, const std::string& name, const DownloadTable& table,
                 std::size_t first, std::size_t last, lxw_format* header) {
  lxw_worksheet* sheet = workbook_add_worksheet(workbook, name.c_str());
  const auto columns = static_cast<lxw_col_t>(table.columns.size());
  for (lxw_col_t c = 0; c < columns; ++c) {
    worksheet_write_string(sheet, 0, c, table.columns[c].c_str(), header);
    worksheet_set_column(sheet, c, c, column_width(table.columns[c]), nullptr);
  }
  for (std::size_t i = first; i < last; ++i) {
    const auto row = static_cast<lxw_row_t>(i - first + 1);
    const std::vector<DownloadCell>& cells = table.rows[i];
    for (std::size_t c = 0; c < cells.size(); ++c) {
      const auto col = static_cast<lxw_col_t>(c);
      if (const double* number = std::get_if<double>(&cells[c])) {
        worksheet_write_number(sheet, row, col, *number, nullptr);
      } else if (const std::string* text = std::get_if<std::string>(&cells[c])) {
        worksheet_write_string(sheet, row, col, text->c_str(), nullptr);
      }
    }
  }
  worksheet_freeze_panes(sheet, 1, 0);
  if (columns > 0) {
    worksheet_autofilter(sheet, 0, 0, static_cast<lxw_row_t>(std::max<std::size_t>(last - first, 1)),
                         columns - 1);
  }
}

}  // namespace

Status write_xlsx(const std::filesystem::path& path, const std::vector<const DownloadTable*>& tables,
                  const std::vector<std::string>& sheet_names, const std::string& title,
                  const Period& period) {
  // Rows go to the file as they are written instead of being held until the
  // workbook closes: less memory and time for a long Series sheet.
  lxw_workbook_options options{};
  options.constant_memory = LXW_TRUE;
  lxw_workbook* workbook = workbook_new_opt(path.c_str(), &options);
  if (workbook == nullptr) return Status(StatusCode::kIoError, "cannot create " + path.string());
  lxw_doc_properties properties{};
  properties.title = const_cast<char*>(title.c_str());
  properties.created = end_of(period);
  workbook_set_properties(workbook, &properties);
  lxw_format* header = workbook_add_format(workbook);
  format_set_bold(header);

  for (std::size_t t = 0; t < tables.size(); ++t) {
    const DownloadTable& table = *tables[t];
    std::size_t first = 0;
    int part = 1;
    do {
      const std::size_t last = std::min(table.rows.size(), first + kRowsPerSheet);
      const std::string name = part == 1 ? sheet_names[t] : sheet_names[t] + " " + std::to_string(part);
      write_sheet(workbook, name, table, first, last, header);
      first = last;
      ++part;
    } while (first < table.rows.size());
  }
  const lxw_error closed = workbook_close(workbook);
  if (closed != LXW_NO_ERROR) {
    return Status(StatusCode::kIoError,
                  "cannot write " + path.string() + ": " + lxw_strerror(closed));
  }
  return Status::ok();
}

}  // namespace vitals::detail
