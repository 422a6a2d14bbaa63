// SPDX-License-Identifier: Apache-2.0
#include "xlsx_cells.hpp"

#include <charconv>
#include <cmath>
#include <cstdio>
#include <system_error>
#include <utility>

namespace vitals::xlsx {
namespace {

bool is_digit(char c) { return c >= '0' && c <= '9'; }

using plugin_common::ascii_lower;

// Year and month of a day count from 1970-01-01 (proleptic Gregorian;
// H. Hinnant's civil_from_days).
std::pair<std::int64_t, unsigned> civil_month(std::int64_t days) {
  days += 719468;
  const std::int64_t era = (days >= 0 ? days : days - 146096) / 146097;
  const auto doe = static_cast<unsigned>(days - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  const unsigned month = mp < 10 ? mp + 3 : mp - 9;
  const std::int64_t year = static_cast<std::int64_t>(yoe) + era * 400 + (month <= 2 ? 1 : 0);
  return {year, month};
}

std::optional<std::string> month_text(std::int64_t year, unsigned month) {
  if (year < 1 || year > 9999 || month < 1 || month > 12) return std::nullopt;
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02u", static_cast<int>(year), month);
  return std::string(buf);
}

}  // namespace

std::string_view trim_ascii(std::string_view s) {
  auto space = [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; };
  while (!s.empty() && space(s.front())) s.remove_prefix(1);
  while (!s.empty() && space(s.back())) s.remove_suffix(1);
  return s;
}

std::optional<CellRef> parse_cell_ref(std::string_view text) {
  std::size_t i = 0;
  if (i < text.size() && text[i] == '$') ++i;
  std::int64_t column = 0;
  const std::size_t letters = i;
  for (; i < text.size() && ((text[i] >= 'A' && text[i] <= 'Z') || (text[i] >= 'a' && text[i] <= 'z'));
       ++i) {
    column = column * 26 + (ascii_lower(text[i]) - 'a' + 1);
    if (column > kMaxColumns) return std::nullopt;
  }
  if (i == letters) return std::nullopt;
  if (i < text.size() && text[i] == '$') ++i;
  std::int64_t row = 0;
  const std::size_t digits = i;
  for (; i < text.size() && is_digit(text[i]); ++i) {
    row = row * 10 + (text[i] - '0');
    if (row > kMaxRows) return std::nullopt;
  }
  if (i == digits || i != text.size() || row == 0) return std::nullopt;
  return CellRef{row, static_cast<std::int32_t>(column)};
}

std::string column_name(std::int32_t column) {
  std::string out;
  for (; column > 0; column = (column - 1) / 26) {
    out.insert(out.begin(), static_cast<char>('A' + (column - 1) % 26));
  }
  return out;
}

std::string cell_name(CellRef ref) { return column_name(ref.column) + std::to_string(ref.row); }

std::optional<CellRange> parse_range(std::string_view text) {
  text = trim_ascii(text);
  const std::size_t colon = text.find(':');
  auto first = parse_cell_ref(text.substr(0, colon));
  auto last = colon == std::string_view::npos ? first : parse_cell_ref(text.substr(colon + 1));
  if (!first || !last) return std::nullopt;
  CellRange r{*first, *last};
  if (r.first.row > r.last.row) std::swap(r.first.row, r.last.row);
  if (r.first.column > r.last.column) std::swap(r.first.column, r.last.column);
  return r;
}

std::optional<std::string> serial_month(double serial, bool date1904) {
  if (!std::isfinite(serial) || serial < 0 || serial > 3e6) return std::nullopt;
  const auto day = static_cast<std::int64_t>(std::floor(serial));
  constexpr std::int64_t k18991230 = -25569;  // days from 1970-01-01
  constexpr std::int64_t k19040101 = -24107;
  if (date1904) {
    auto [y, m] = civil_month(k19040101 + day);
    return month_text(y, m);
  }
  if (day < 1) return std::nullopt;        // "0 January 1900"
  if (day == 60) return month_text(1900, 2);  // 29 February 1900, which never was
  auto [y, m] = civil_month(k18991230 + day + (day < 60 ? 1 : 0));
  return month_text(y, m);
}

std::optional<std::string> iso_month(std::string_view text) {
  text = trim_ascii(text);
  if (text.size() < 10 || text[4] != '-' || text[7] != '-') return std::nullopt;
  for (std::size_t i : {0, 1, 2, 3, 5, 6, 8, 9}) {
    if (!is_digit(text[i])) return std::nullopt;
  }
  if (text.size() > 10 && text[10] != 'T' && text[10] != ' ') return std::nullopt;
  const int year = (text[0] - '0') * 1000 + (text[1] - '0') * 100 + (text[2] - '0') * 10 + (text[3] - '0');
  const unsigned month = static_cast<unsigned>((text[5] - '0') * 10 + (text[6] - '0'));
  const int day = (text[8] - '0') * 10 + (text[9] - '0');
  if (day < 1 || day > 31) return std::nullopt;
  return month_text(year, month);
}

bool is_date_format(int id, std::string_view code) {
  if ((id >= 14 && id <= 22) || (id >= 27 && id <= 36) || (id >= 45 && id <= 47) ||
      (id >= 50 && id <= 58) || (id >= 71 && id <= 81)) {
    return true;
  }
  if (id < 164) return false;  // the other built-in formats are numbers or text
  bool quoted = false;
  for (std::size_t i = 0; i < code.size(); ++i) {
    const char c = code[i];
    if (quoted) {
      quoted = c != '"';
      continue;
    }
    switch (ascii_lower(c)) {
      case '"': quoted = true; break;
      case '\\':
      case '_':
      case '*': ++i; break;  // the next character is literal (or padding)
      case '[': {
        // [Red], [$-809], [>100]: not date parts; [h], [mm], [ss]: elapsed time.
        const std::size_t close = code.find(']', i);
        if (close == std::string_view::npos) return false;
        const std::string_view inside = code.substr(i + 1, close - i - 1);
        if (!inside.empty() && (ascii_lower(inside[0]) == 'h' || ascii_lower(inside[0]) == 'm' ||
                                ascii_lower(inside[0]) == 's')) {
          bool all = true;
          for (char k : inside) all = all && ascii_lower(k) == ascii_lower(inside[0]);
          if (all) return true;
        }
        i = close;
        break;
      }
      case 'd': case 'm': case 'y': case 'h': case 's': return true;
      case 'g':
        // "General" is the absence of a format.
        if (code.substr(i, 7) == "General" || code.substr(i, 7) == "general") i += 6;
        break;
      case 'e': break;  // exponent (0.0E+00)
      default: break;
    }
  }
  return false;
}

std::optional<double> parse_xml_number(std::string_view text) {
  text = trim_ascii(text);
  if (!text.empty() && text.front() == '+') text.remove_prefix(1);
  if (text.empty()) return std::nullopt;
  double out = 0;
  const char* end = text.data() + text.size();
  auto [ptr, ec] = std::from_chars(text.data(), end, out, std::chars_format::general);
  if (ec != std::errc() || ptr != end || !std::isfinite(out)) return std::nullopt;
  return out;
}

}  // namespace vitals::xlsx
