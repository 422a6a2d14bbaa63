// SPDX-License-Identifier: Apache-2.0
// The "csv" source plugin: long-format CSV files, one row per series and
// period, as councils export them from spreadsheets. See README.md.
#include "../common/ascii_text.hpp"
#include "../common/long_columns.hpp"
#include "csv_problems.hpp"
#include "csv_reader.hpp"

#include <vitals/plugin/sdk.hpp>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

namespace vitals::csv {
namespace {

namespace fs = std::filesystem;
using plugin::ConfigError;
using plugin::IoError;
using plugin::Settings;
using plugin::Sink;
using plugin_common::iequals;

bool is_digit(char c) { return c >= '0' && c <= '9'; }

// Copies `text` without its thousands separators into `out`, checking that
// they group the integer part as 1-3 digits then 3 digits each ("12,345.6").
bool strip_grouping(std::string_view text, char* out, std::size_t cap, std::size_t& out_len) {
  std::size_t i = 0;
  std::size_t n = 0;
  if (i < text.size() && text[i] == '-') out[n++] = text[i++];
  std::size_t group = 0;
  bool first_group = true;
  for (; i < text.size() && (is_digit(text[i]) || text[i] == ','); ++i) {
    if (text[i] == ',') {
      if (group == 0 || group > 3 || (!first_group && group != 3)) return false;
      first_group = false;
      group = 0;
      continue;
    }
    if (n + 1 >= cap) return false;
    out[n++] = text[i];
    ++group;
  }
  if (!first_group && group != 3) return false;
  for (; i < text.size(); ++i) {
    if (text[i] == ',' || n + 1 >= cap) return false;
    out[n++] = text[i];
  }
  out_len = n;
  return true;
}

enum class Cell { kBlank, kNumber, kBad };

// A number as council spreadsheets write them: "86.3", "3,523", "86.3%",
// " 12 ", "-0.5", "+2", "1e3". Blank means missing. A trailing % is dropped (the
// number stays in percentage points).
Cell parse_number(std::string_view text, double& out) {
  text = trim_blanks(text);
  if (text.empty()) return Cell::kBlank;
  if (text.back() == '%') {
    text.remove_suffix(1);
    text = trim_blanks(text);
    if (text.empty()) return Cell::kBad;
  }
  if (text.front() == '+') {  // from_chars takes no plus sign
    text.remove_prefix(1);
    if (text.empty() || text.front() == '-' || text.front() == '+') return Cell::kBad;
  }
  char buf[128];
  if (text.find(',') != std::string_view::npos) {
    std::size_t len = 0;
    if (!strip_grouping(text, buf, sizeof buf, len)) return Cell::kBad;
    text = std::string_view(buf, len);
  }
  const char* end = text.data() + text.size();
  auto [ptr, ec] = std::from_chars(text.data(), end, out, std::chars_format::general);
  if (ec != std::errc() || ptr != end || !std::isfinite(out)) return Cell::kBad;
  return Cell::kNumber;
}

// A period as an ordinal of its frequency, times 4, plus the frequency:
// consecutive periods of one frequency differ by 4. Accepts exactly the
// canonical texts the host accepts (anything else is a bad period there).
std::optional<std::int32_t> period_code(std::string_view text) {
  auto digits = [&](std::size_t at, std::size_t n, int& out) {
    if (at + n > text.size()) return false;
    out = 0;
    for (std::size_t i = at; i < at + n; ++i) {
      if (!is_digit(text[i])) return false;
      out = out * 10 + (text[i] - '0');
    }
    return true;
  };
  int year = 0;
  int n = 0;
  if (!digits(0, 4, year)) return std::nullopt;
  if (text.size() == 4) return year * 4 + 2;
  if (text.size() != 7) return std::nullopt;
  if (text[4] == '-' && digits(5, 2, n) && n >= 1 && n <= 12) return (year * 12 + n - 1) * 4;
  if (text[4] == '-' && text[5] == 'Q' && digits(6, 1, n) && n >= 1 && n <= 4) {
    return (year * 4 + n - 1) * 4 + 1;
  }
  if (text[4] == '/' && digits(5, 2, n) && n == (year + 1) % 100) return year * 4 + 3;
  return std::nullopt;
}

// The canonical text of a period_code().
std::string period_text(std::int32_t code) {
  const int ordinal = code >> 2;
  char buf[16];
  switch (code & 3) {
    case 0:
      std::snprintf(buf, sizeof buf, "%04d-%02d", ordinal / 12, ordinal % 12 + 1);
      break;
    case 1:
      std::snprintf(buf, sizeof buf, "%04d-Q%d", ordinal / 4, ordinal % 4 + 1);
      break;
    case 2:
      std::snprintf(buf, sizeof buf, "%04d", ordinal);
      break;
    default:
      std::snprintf(buf, sizeof buf, "%04d/%02d", ordinal, (ordinal + 1) % 100);
      break;
  }
  return buf;
}

struct Column : plugin_common::LongColumn {
  int index = -1;  // 0-based, -1 when absent
};

// The rows of one series, for finding repeated periods at the end: runs of
// consecutive rows holding consecutive periods (a whole series, typically),
// so memory is a few bytes per series rather than per row.
struct SeriesRows {
  struct Run {
    std::int32_t first_code;
    std::int32_t count;
    std::int64_t first_row;
  };
  struct Entry {
    std::int32_t code;
    std::int64_t row;
  };
  std::vector<Run> runs;

  void add(std::int32_t code, std::int64_t row) {
    if (!runs.empty()) {
      Run& last = runs.back();
      if (code == last.first_code + 4 * last.count && row == last.first_row + last.count) {
        ++last.count;
        return;
      }
    }
    runs.push_back(Run{code, 1, row});
  }

  // Every (period, row), sorted by period then row. Only needed when the
  // series has more than one run.
  std::vector<Entry> entries() const {
    std::vector<Entry> e;
    for (const Run& r : runs) {
      for (std::int32_t i = 0; i < r.count; ++i) {
        e.push_back({r.first_code + 4 * i, r.first_row + i});
      }
    }
    std::sort(e.begin(), e.end(), [](const Entry& a, const Entry& b) {
      return a.code != b.code ? a.code < b.code : a.row < b.row;
    });
    return e;
  }
};

struct StringHash {
  using is_transparent = void;
  std::size_t operator()(std::string_view s) const noexcept {
    return std::hash<std::string_view>{}(s);
  }
};


class CsvSource final : public plugin::Source {
 public:
  /// fetch reads the file `path` names and nothing else (ABI 1.3): an
  /// unchanged file need not be read again.
  static constexpr const char* kInputFileSettings[] = {"path", nullptr};

  /// The settings of a csv source: checked by validate and before the constructor.
  static std::vector<plugin::SettingSpec> declared_settings(const Settings&) {
    std::vector<plugin::SettingSpec> specs = {plugin::required_file("path"),
                                              plugin::optional_setting("encoding")};
    plugin_common::declare_long_column_settings(specs);
    return specs;
  }

  explicit CsvSource(const Settings& settings)
      : CsvSource(settings, plugin_common::LongColumns(settings)) {}
  CsvSource(const Settings& settings, const plugin_common::LongColumns& columns)
      : path_(settings.path("path")),
        single_series_(columns.single_series),
        key_{columns.key},
        period_{columns.period},
        value_{columns.value},
        numerator_{columns.numerator},
        denominator_{columns.denominator},
        target_{columns.target},
        encoding_(encoding_setting(settings)) {}

  void fetch(Sink& sink) override { read(sink, false); }
  void describe(Sink& sink) { read(sink, true); }

 private:
  void read(Sink& sink, bool keys_only) {
    std::unique_ptr<std::FILE, int (*)(std::FILE*)> file(std::fopen(path_.c_str(), "rb"),
                                                         &std::fclose);
    if (!file) throw IoError("cannot open " + path_.string() + ": " + std::strerror(errno));
    sink.set_file(path_.string());
    CsvReader reader(file.get(), encoding_);
    Problems problems(sink);
    Record record;
    try {
      read_records(reader, record, sink, problems, keys_only);
    } catch (const ReadError& e) {
      throw IoError("cannot read " + path_.string() + ": " + e.what());
    }
    problems.finish();
  }

  void read_records(CsvReader& reader, Record& record, Sink& sink, Problems& problems,
                    bool keys_only) {
    if (!read_header_row(reader, record, problems) || !find_columns(record, problems)) return;

    // Rows are checked and pushed one at a time; duplicates are found at the
    // end from a compact per-series list, so a row costs no allocation.
    std::unordered_map<std::string, SeriesRows, StringHash, std::equal_to<>> rows_by_series;
    std::string current_key;
    SeriesRows* current = nullptr;
    while (next_data_row(reader, record, header_.size(), problems)) {
      const auto& f = record.fields;
      const std::int64_t row = record.row;

      bool bad = false;
      std::string_view key = single_series_;
      if (single_series_.empty()) {
        key = trim_blanks(f[key_.index]);
        if (key.empty()) {
          problems.error(row, key_.index + 1,
                         "blank series key in column '" + excerpt(name(key_)) + "'",
                         "data.missing_key");
          bad = true;
        }
      }
      std::string_view period = trim_blanks(f[period_.index]);
      if (period.empty()) {
        problems.error(row, period_.index + 1,
                       "blank period in column '" + excerpt(name(period_)) + "'",
                       "data.missing_period");
        bad = true;
      }
      if (bad) continue;

      if (key != current_key || current == nullptr) {
        auto it = rows_by_series.find(key);
        if (it == rows_by_series.end()) {
          // Once per series, before it starts (a record ends the open series).
          if (!keys_only) describe_series(sink, key, period, row, f);
          it = rows_by_series.emplace(std::string(key), SeriesRows{}).first;
        }
        sink.series(key);
        current_key.assign(key);
        current = &it->second;
      }
      if (keys_only) continue;

      plugin::Point point;
      point.period = period;
      point.row = row;
      point.column = period_.index + 1;
      point.field = name(period_);
      const std::pair<const Column*, std::optional<double>*> numbers[] = {
          {&value_, &point.value},
          {&numerator_, &point.numerator},
          {&denominator_, &point.denominator},
          {&target_, &point.target}};
      for (const auto& [column, slot] : numbers) {
        if (column->index < 0) continue;
        double v = 0;
        switch (parse_number(f[column->index], v)) {
          case Cell::kBlank:
            break;
          case Cell::kNumber:
            *slot = v;
            break;
          case Cell::kBad:
            problems.error(row, column->index + 1,
                           "bad number in column '" + excerpt(name(*column)) + "': '" +
                               excerpt(trim_blanks(f[column->index])) + "' is not a number",
                           "data.bad_value");
            bad = true;
            break;
        }
      }
      if (bad) {
        // The fetch has failed already; the period alone still goes to the
        // host so that a bad period on this row is reported too.
        point.value = point.numerator = point.denominator = point.target = std::nullopt;
        sink.push(point);
        continue;
      }
      if (auto code = period_code(period)) current->add(*code, row);
      sink.push(point);
    }

    if (!keys_only) report_duplicates(rows_by_series, problems);
  }

  // What the file says about a series in its title, polarity and unit
  // columns, from the series' first row.
  void describe_series(Sink& sink, std::string_view key, std::string_view period,
                       std::int64_t row, const std::vector<std::string_view>& f) {
    if (metadata_.empty() || !period_code(period)) return;
    metadata_values_.clear();
    for (const auto& [name, index] : metadata_) metadata_values_.emplace_back(name, trim_blanks(f[index]));
    plugin_common::report_series_metadata(sink, key, period, row, metadata_values_);
  }

  void report_duplicates(
      std::unordered_map<std::string, SeriesRows, StringHash, std::equal_to<>>& rows_by_series,
      Problems& problems) {
    for (auto& [key, rows] : rows_by_series) {
      if (rows.runs.size() < 2) continue;  // one run never repeats a period
      const std::vector<SeriesRows::Entry> e = rows.entries();
      for (std::size_t i = 1, first = 0; i < e.size(); ++i) {
        if (e[i].code != e[first].code) {
          first = i;
          continue;
        }
        problems.error(e[i].row, period_.index + 1,
                       "duplicate row: series '" + excerpt(key) + "' already has period '" +
                           period_text(e[i].code) + "' on row " + std::to_string(e[first].row),
                       "data.duplicate_row");
      }
    }
  }

  // Finds the wanted columns in the header; false (after reporting) when a
  // required one is missing or any is ambiguous.
  bool find_columns(const Record& header, Problems& problems) {
    header_.clear();
    for (std::string_view h : header.fields) header_.emplace_back(trim_blanks(h));
    header_row_ = header.row;
    metadata_.clear();
    for (const char* name : plugin_common::kSeriesMetadataColumns) {
      for (std::size_t i = 0; i < header_.size(); ++i) {
        if (iequals(header_[i], name)) {
          metadata_.emplace_back(name, i);
          break;
        }
      }
    }
    bool ok = true;
    std::vector<Column*> wanted = {&period_, &value_, &numerator_, &denominator_, &target_};
    if (single_series_.empty()) wanted.insert(wanted.begin(), &key_);
    for (Column* c : wanted) {
      c->index = -1;
      for (std::size_t i = 0; i < header_.size(); ++i) {
        if (!iequals(header_[i], c->wanted)) continue;
        if (c->index >= 0) {
          problems.error(header_row_, static_cast<std::int64_t>(i) + 1,
                         "column '" + c->wanted + "' appears twice in the header (columns " +
                             std::to_string(c->index + 1) + " and " + std::to_string(i + 1) + ")",
                         "data.bad_header");
          ok = false;
          break;
        }
        c->index = static_cast<int>(i);
      }
      if (c->index < 0 && c->required) {
        std::string columns;
        for (const std::string& h : header_) columns += (columns.empty() ? "" : ", ") + excerpt(h);
        std::string hint = c == &key_ ? "; set series_column to the column holding the series "
                                        "key, or series to name the one series this file holds"
                                      : "; set " + c->setting + " to the column's name";
        problems.error(
            header_row_, 0,
            "no column named '" + c->wanted + "' in the header (columns: " + columns + ")" + hint,
            "data.missing_column");
        ok = false;
      }
    }
    return ok;
  }

  // The column's name as the file spells it.
  const std::string& name(const Column& c) const { return header_[c.index]; }

  fs::path path_;
  std::string single_series_;
  Column key_;
  Column period_;
  Column value_;
  Column numerator_;
  Column denominator_;
  Column target_;
  Encoding encoding_;
  std::vector<std::string> header_;
  std::int64_t header_row_ = 1;
  // The title, polarity and unit columns present: (name, index).
  std::vector<std::pair<const char*, std::size_t>> metadata_;
  plugin_common::SeriesMetadata metadata_values_;
};

}  // namespace
}  // namespace vitals::csv

VITALS_PLUGIN(vitals::csv::CsvSource, "csv", "1.0.0",
              vitals::plugin::kDeterministic | vitals::plugin::kThreadSafe)
