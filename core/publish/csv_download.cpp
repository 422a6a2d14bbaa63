// SPDX-License-Identifier: Apache-2.0
#include "publish/csv_download.hpp"

#include "common/number_format.hpp"

namespace vitals::detail {

namespace {

void append_text(std::string& out, const std::string& text) {
  const bool formula = !text.empty() && (text[0] == '=' || text[0] == '+' || text[0] == '-' ||
                                         text[0] == '@' || text[0] == '\t' || text[0] == '\r');
  const bool quote = text.find_first_of(",\"\r\n") != std::string::npos;
  if (quote) out += '"';
  if (formula) out += '\'';
  for (char c : text) {
    if (c == '"') out += '"';
    out += c;
  }
  if (quote) out += '"';
}

void append_cell(std::string& out, const DownloadCell& cell) {
  if (const double* number = std::get_if<double>(&cell)) {
    out += format_json_number(*number);
  } else if (const std::string* text = std::get_if<std::string>(&cell)) {
    append_text(out, *text);
  }
}

}  // namespace

std::string csv_text(const DownloadTable& table) {
  std::string out = "\xEF\xBB\xBF";
  for (std::size_t i = 0; i < table.columns.size(); ++i) {
    if (i > 0) out += ',';
    append_text(out, table.columns[i]);
  }
  out += "\r\n";
  for (const std::vector<DownloadCell>& row : table.rows) {
    for (std::size_t i = 0; i < row.size(); ++i) {
      if (i > 0) out += ',';
      append_cell(out, row[i]);
    }
    out += "\r\n";
  }
  return out;
}

}  // namespace vitals::detail
