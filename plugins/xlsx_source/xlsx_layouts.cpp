// SPDX-License-Identifier: Apache-2.0
#include "xlsx_layouts.hpp"

#include "../csv_source/csv_problems.hpp"
#include "xlsx_sheet.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_set>
#include <utility>
#include <vector>

namespace vitals::xlsx {
namespace {

using csv::excerpt;

// A number as an id or a label: 123 -> "123", 1.5 -> "1.5".
std::string number_text(double n) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.15g", n);
  return buf;
}

// Where a sheet's problems are: counts errors (csv::Problems) and warnings,
// and writes every message as "sheet 'Dashboard', cell C7: ...".
class SheetProblems {
 public:
  SheetProblems(plugin::Sink& sink, std::string sheet)
      : sink_(sink), errors_(sink), sheet_(std::move(sheet)) {}

  std::string where(std::int64_t row, std::int32_t column) const {
    return "sheet '" + excerpt(sheet_) + "', " +
           (column > 0 ? "cell " + cell_name({row, column}) : "row " + std::to_string(row));
  }
  void error(std::int64_t row, std::int32_t column, const std::string& message, const char* code) {
    errors_.error(row, column, where(row, column) + ": " + message, code);
  }
  void warning(std::int64_t row, std::int32_t column, const std::string& message,
               const char* code) {
    ++warnings_;
    if (warnings_ <= csv::kMaxReportedProblems) {
      sink_.warning(row, column, where(row, column) + ": " + message, code);
    }
  }
  int errors() const { return errors_.count(); }
  void finish() {
    errors_.finish();
    if (warnings_ > csv::kMaxReportedProblems) {
      sink_.report(VITALS_SEVERITY_NOTE, 0, 0,
                   "... and " + std::to_string(warnings_ - csv::kMaxReportedProblems) +
                       " more warnings in sheet '" + excerpt(sheet_) + "', not listed",
                   "data.too_many_problems");
    }
  }
  const std::string& sheet() const { return sheet_; }

 private:
  plugin::Sink& sink_;
  csv::Problems errors_;
  std::string sheet_;
  int warnings_ = 0;
};

// What a cell that should hold text (a series id, a column name) holds.
std::string label_of(const Cell& c) {
  switch (c.kind) {
    case Cell::Kind::kText: return std::string(trim_ascii(c.text));
    case Cell::Kind::kNumber: return number_text(c.number);
    default: return std::string();
  }
}

// Why a cell is not usable where a figure or period is wanted, or "".
std::string unusable(const Cell& c) {
  switch (c.kind) {
    case Cell::Kind::kNoCachedValue:
      return "the formula has no calculated value stored (the file was written without "
             "calculating it); open the workbook in Excel or LibreOffice and save it again";
    case Cell::Kind::kBad: return "the cell is malformed: " + c.text;
    case Cell::Kind::kBool:
      return std::string(c.number != 0 ? "TRUE" : "FALSE") + " is not a number";
    default: return std::string();
  }
}

// The period text of a cell: text as written (trimmed; the host parses it),
// a date as its month, a whole number 1000-9999 as a year. nullopt after
// reporting why not; "" for a blank cell (not reported).
std::optional<std::string> period_of(const Cell& c, std::int64_t row, bool date1904,
                                     SheetProblems& problems) {
  switch (c.kind) {
    case Cell::Kind::kBlank: return std::string();
    case Cell::Kind::kText: return std::string(trim_ascii(c.text));
    case Cell::Kind::kNumber:
      if (c.date) {
        if (auto month = serial_month(c.number, date1904)) return month;
        problems.error(row, c.column,
                       "the date serial " + number_text(c.number) + " is not a date Excel can show",
                       "data.bad_period");
        return std::nullopt;
      }
      if (c.number == std::floor(c.number) && c.number >= 1000 && c.number <= 9999) {
        return number_text(c.number);
      }
      problems.error(row, c.column,
                     "the number " + number_text(c.number) +
                         " is not a period; format the cell as a date, or write the period as "
                         "text (2017-03, 2017-Q1, 2017, 2016/17)",
                     "data.bad_period");
      return std::nullopt;
    case Cell::Kind::kError:
      problems.error(row, c.column, "the error value " + excerpt(c.text) + " is not a period",
                     "data.bad_period");
      return std::nullopt;
    default:
      problems.error(row, c.column, unusable(c), "data.bad_period");
      return std::nullopt;
  }
}

// A figure read from a cell.
struct Figure {
  enum { kBlank, kNumber, kMissing, kBad } state = kBlank;
  double number = 0;
};

// The figure in `c`: numbers as stored, numbers written as text, error
// values as missing (with a warning: never zero).
Figure figure_of(const Cell& c, std::int64_t row, std::string_view what,
                 SheetProblems& problems) {
  Figure f;
  switch (c.kind) {
    case Cell::Kind::kBlank: return f;
    case Cell::Kind::kNumber:
      f.state = Figure::kNumber;
      f.number = c.number;
      return f;
    case Cell::Kind::kText: {
      const std::string_view t = trim_ascii(c.text);
      if (t.empty()) return f;
      if (auto n = parse_xml_number(t)) {
        f.state = Figure::kNumber;
        f.number = *n;
        return f;
      }
      problems.error(row, c.column,
                     "bad " + std::string(what) + ": '" + excerpt(t) + "' is not a number",
                     "data.bad_value");
      f.state = Figure::kBad;
      return f;
    }
    case Cell::Kind::kError:
      problems.warning(row, c.column,
                       "the " + std::string(what) + " is the error value " + excerpt(c.text) +
                           "; it is read as missing",
                       "data.error_value");
      f.state = Figure::kMissing;
      return f;
    default:
      problems.error(row, c.column, "bad " + std::string(what) + ": " + unusable(c),
                     "data.bad_value");
      f.state = Figure::kBad;
      return f;
  }
}

bool blank_row(const Row& row) {
  return std::all_of(row.begin(), row.end(), [](const Cell& c) {
    return c.kind == Cell::Kind::kBlank ||
           (c.kind == Cell::Kind::kText && trim_ascii(c.text).empty());
  });
}

// The header row's column names, by column number.
struct Header {
  std::int64_t row = 0;
  std::vector<std::string> names;  // names[column]; "" where blank

  void read(const Row& r) {
    row = r.number;
    for (const Cell& c : r) {
      if (names.size() <= static_cast<std::size_t>(c.column)) names.resize(c.column + 1);
      names[c.column] = label_of(c);
    }
  }
  // The column named `wanted` (ignoring ASCII case), 0 when none, -1 (after
  // reporting) when two are.
  std::int32_t find(std::string_view wanted, SheetProblems& problems) const {
    std::int32_t found = 0;
    for (std::size_t i = 1; i < names.size(); ++i) {
      if (!iequals(names[i], wanted)) continue;
      if (found > 0) {
        problems.error(row, static_cast<std::int32_t>(i),
                       "column '" + excerpt(wanted) + "' appears twice in the header (cells " +
                           cell_name({row, found}) + " and " +
                           cell_name({row, static_cast<std::int32_t>(i)}) + ")",
                       "data.bad_header");
        return -1;
      }
      found = static_cast<std::int32_t>(i);
    }
    return found;
  }
  std::string listing() const {
    std::string out;
    for (const std::string& n : names) {
      if (!n.empty()) out += (out.empty() ? "" : ", ") + excerpt(n);
    }
    return out;
  }
};

// ---------------------------------------------------------------- long

class LongReader {
 public:
  LongReader(const Workbook& workbook, const SheetLayout& layout, plugin::Sink& sink,
             SheetProblems& problems, bool keys_only)
      : workbook_(workbook), layout_(layout), sink_(sink), problems_(problems),
        keys_only_(keys_only) {}

  bool row(const Row& r) {
    if (header_.row == 0) {
      if (r.number != layout_.area.first.row) {
        missing_header();
        return false;
      }
      header_.read(r);
      return find_columns();
    }
    if (blank_row(r)) return true;
    data_row(r);
    return true;
  }

  void finish() {
    if (header_.row == 0) missing_header();
  }

 private:
  // The roles after kTarget are the series metadata columns, in the order
  // of plugin_common::kSeriesMetadataColumns.
  enum Role : std::uint8_t {
    kNone, kKey, kPeriod, kValue, kNumerator, kDenominator, kTarget, kTitle, kPolarity, kUnit,
    kRoles
  };

  void missing_header() {
    if (std::exchange(header_missing_, true)) return;
    problems_.error(layout_.area.first.row, 0,
                    "the header row is empty: expected the names of the columns (" +
                        layout_.columns.period.wanted + ", " + layout_.columns.value.wanted +
                        ", ...)",
                    "data.missing_column");
  }

  bool find_columns() {
    const plugin_common::LongColumns& c = layout_.columns;
    std::vector<std::pair<Role, const plugin_common::LongColumn*>> wanted = {
        {kPeriod, &c.period}, {kValue, &c.value}, {kNumerator, &c.numerator},
        {kDenominator, &c.denominator}, {kTarget, &c.target}};
    if (c.single_series.empty()) wanted.insert(wanted.begin(), {kKey, &c.key});
    roles_.assign(header_.names.size(), kNone);
    bool ok = true;
    for (const auto& [role, w] : wanted) {
      const std::int32_t column = header_.find(w->wanted, problems_);
      if (column < 0) {
        ok = false;
      } else if (column == 0 && w->required) {
        const std::string hint = role == kKey
                                     ? "; set series_column to the column holding the series "
                                       "key, or series to name the one series this sheet holds"
                                     : "; set " + w->setting + " to the column's name";
        problems_.error(header_.row, 0,
                        "no column named '" + excerpt(w->wanted) + "' in the header (columns: " +
                            header_.listing() + ")" + hint,
                        "data.missing_column");
        ok = false;
      } else if (column > 0) {
        roles_[column] = role;
        if (role == kPeriod) period_column_ = column;
        if (role == kKey) key_column_ = column;
      }
    }
    // The title, polarity and unit columns, where the sheet has them (the
    // first of a name, as the csv plugin takes): compared with the catalogue.
    Role role = kTitle;
    for (const char* name : plugin_common::kSeriesMetadataColumns) {
      for (std::size_t i = 1; i < header_.names.size(); ++i) {
        if (roles_[i] == kNone && iequals(header_.names[i], name)) {
          roles_[i] = role;
          metadata_roles_.emplace_back(name, role);
          break;
        }
      }
      role = static_cast<Role>(role + 1);
    }
    return ok;
  }

  // What the sheet says about a series in its title, polarity and unit
  // columns, from the series' first row; once per series.
  void describe_series(const std::string& key, const std::string& period, std::int64_t row,
                       const Cell* const* cells) {
    if (metadata_roles_.empty() || !described_.insert(key).second) return;
    std::string texts[std::size(plugin_common::kSeriesMetadataColumns)];
    plugin_common::SeriesMetadata metadata;
    for (const auto& [name, role] : metadata_roles_) {
      std::string& text = texts[role - kTitle];
      if (cells[role] != nullptr) text = label_of(*cells[role]);
      metadata.emplace_back(name, text);
    }
    plugin_common::report_series_metadata(sink_, key, period, row, metadata);
  }

  void data_row(const Row& r) {
    const Cell* cells[kRoles] = {};
    for (const Cell& c : r) {
      if (static_cast<std::size_t>(c.column) < roles_.size() && roles_[c.column] != kNone) {
        cells[roles_[c.column]] = &c;
      }
    }
    static const Cell kBlank;
    auto cell = [&](Role role) -> const Cell& { return cells[role] ? *cells[role] : kBlank; };

    bool bad = false;
    std::string key = layout_.columns.single_series;
    if (key.empty()) {
      key = label_of(cell(kKey));
      if (key.empty()) {
        problems_.error(r.number, key_column_,
                        "blank series key in column '" + excerpt(header_.names[key_column_]) + "'",
                        "data.missing_key");
        bad = true;
      }
    }
    Cell period_cell = cell(kPeriod);
    period_cell.column = period_column_;
    const std::optional<std::string> period =
        period_of(period_cell, r.number, workbook_.date1904(), problems_);
    if (!period) {
      bad = true;
    } else if (period->empty()) {
      problems_.error(r.number, period_column_,
                      "blank period in column '" + excerpt(header_.names[period_column_]) + "'",
                      "data.missing_period");
      bad = true;
    }
    if (bad) return;
    if (key != current_key_ || !open_) {
      if (!keys_only_) describe_series(key, *period, r.number, cells);
      sink_.series(key);
      current_key_ = key;
      open_ = true;
    }
    if (keys_only_) return;

    plugin::Point point;
    point.period = *period;
    point.row = r.number;
    point.column = period_column_;
    // "Data!C7": the period's cell, which the host names if it refuses the period.
    if (field_prefix_.empty()) {
      field_prefix_ = excerpt(problems_.sheet()) + "!" + column_name(period_column_);
    }
    field_.assign(field_prefix_).append(std::to_string(r.number));
    point.field = field_;
    const std::pair<Role, std::optional<double>*> slots[] = {{kValue, &point.value},
                                                             {kNumerator, &point.numerator},
                                                             {kDenominator, &point.denominator},
                                                             {kTarget, &point.target}};
    for (const auto& [role, slot] : slots) {
      if (cells[role] == nullptr) continue;
      const char* what = role == kValue ? "value" : role == kNumerator ? "numerator"
                         : role == kDenominator ? "denominator" : "target";
      const Figure f = figure_of(*cells[role], r.number, what, problems_);
      if (f.state == Figure::kNumber) *slot = f.number;
      bad = bad || f.state == Figure::kBad;
    }
    if (bad) point.value = point.numerator = point.denominator = point.target = std::nullopt;
    sink_.push(point);
  }

  const Workbook& workbook_;
  const SheetLayout& layout_;
  plugin::Sink& sink_;
  SheetProblems& problems_;
  bool keys_only_;
  Header header_;
  bool header_missing_ = false;
  std::vector<Role> roles_;
  std::vector<std::pair<const char*, Role>> metadata_roles_;  // the metadata columns present
  std::unordered_set<std::string> described_;  // series whose metadata went to the host
  std::int32_t key_column_ = 0;
  std::int32_t period_column_ = 0;
  std::string current_key_;
  bool open_ = false;
  std::string field_prefix_;
  std::string field_;
};

// ---------------------------------------------------------------- wide

// Column headings in the wide layout that label a row rather than name a period.
constexpr std::string_view kLabelColumns[] = {"title", "name", "indicator", "description",
                                              "polarity", "unit", "notes", "comment", "comments"};

class WideReader {
 public:
  WideReader(const Workbook& workbook, const SheetLayout& layout, plugin::Sink& sink,
             SheetProblems& problems, bool keys_only, std::vector<CellRange> merged)
      : workbook_(workbook), layout_(layout), sink_(sink), problems_(problems),
        keys_only_(keys_only), merged_(std::move(merged)) {}

  bool row(const Row& r) {
    if (header_.row == 0) {
      if (r.number != layout_.area.first.row) {
        missing_header();
        return false;
      }
      header_.read(r);
      return read_header(r);
    }
    data_row(r);
    return true;
  }

  void finish() {
    if (header_.row == 0) {
      missing_header();
      return;
    }
    flush();
  }

 private:
  static constexpr int kMeasures = 4;  // value, numerator, denominator, target
  static constexpr const char* kMeasureNames[kMeasures] = {"value", "numerator", "denominator",
                                                           "target"};

  struct PeriodColumn {
    std::int32_t column;
    std::string period;
    std::string field;  // "Dashboard!D3", the header cell
  };

  // The figures of one measure row of the series being read.
  struct MeasureRow {
    bool present = false;
    std::int64_t row = 0;
    std::vector<Figure> figures;  // by period column
  };

  void missing_header() {
    if (std::exchange(header_missing_, true)) return;
    problems_.error(layout_.area.first.row, 0,
                    "the header row is empty: expected the series column and one column per "
                    "period",
                    "data.missing_column");
  }

  bool read_header(const Row& r) {
    bool ok = true;
    series_column_ = layout_.area.first.column;
    if (!layout_.series_column.empty()) {
      series_column_ = header_.find(layout_.series_column, problems_);
      if (series_column_ == 0) {
        problems_.error(header_.row, 0,
                        "no column named '" + excerpt(layout_.series_column) +
                            "' in the header (columns: " + header_.listing() +
                            "); set series_column to the column holding the series ids",
                        "data.missing_column");
      }
      if (series_column_ <= 0) return false;
    }
    const std::string measure = layout_.measure_column.empty() ? "measure" : layout_.measure_column;
    measure_column_ = header_.find(measure, problems_);
    if (measure_column_ < 0) return false;
    if (measure_column_ == 0 && !layout_.measure_column.empty()) {
      problems_.error(header_.row, 0,
                      "no column named '" + excerpt(measure) + "' in the header (columns: " +
                          header_.listing() + "); set measure_column to the column's name",
                      "data.missing_column");
      return false;
    }
    target_column_ = header_.find("target", problems_);
    if (target_column_ < 0) return false;

    for (const Cell& c : r) {
      if (c.column == series_column_ || c.column == measure_column_ || c.column == target_column_) {
        continue;
      }
      const std::string name = label_of(c);
      if (std::any_of(std::begin(kLabelColumns), std::end(kLabelColumns),
                      [&](std::string_view l) { return iequals(name, l); })) {
        continue;
      }
      std::optional<std::string> period = period_of(c, r.number, workbook_.date1904(), problems_);
      if (!period) {
        ok = false;
        continue;
      }
      if (period->empty()) continue;  // a blank heading: the column is not read
      for (const CellRange& m : merged_) {
        if (m.first.row <= r.number && m.last.row >= r.number && m.first.column == c.column &&
            m.last.column > c.column) {
          problems_.error(r.number, c.column,
                          "the period heading is merged across " + cell_name(m.first) + ":" +
                              cell_name(m.last) +
                              "; a period heads one column: unmerge the cells and head each "
                              "column with its period",
                          "data.bad_header");
          ok = false;
        }
      }
      for (const PeriodColumn& p : periods_) {
        if (p.period == *period) {
          problems_.error(r.number, c.column,
                          "period '" + excerpt(*period) + "' heads two columns (" +
                              cell_name({r.number, p.column}) + " and " +
                              cell_name({r.number, c.column}) + ")",
                          "data.duplicate_period");
          ok = false;
        }
      }
      periods_.push_back({c.column, *period,
                          excerpt(problems_.sheet()) + "!" + cell_name({r.number, c.column})});
    }
    if (ok && periods_.empty()) {
      problems_.error(r.number, 0,
                      "no period in the header row: the wide layout needs one column per period, "
                      "headed by its period (a date, or text such as 2017-03)",
                      "data.missing_column");
      ok = false;
    }
    // The merged ranges that fill the series column downwards.
    for (const CellRange& m : merged_) {
      if (m.first.column <= series_column_ && m.last.column >= series_column_ &&
          m.last.row > m.first.row && m.last.row > header_.row) {
        series_merges_.push_back(m);
      }
    }
    return ok;
  }

  // The period column index of sheet column `column`, or -1.
  int period_index(std::int32_t column) const {
    auto it = std::lower_bound(periods_.begin(), periods_.end(), column,
                               [](const PeriodColumn& p, std::int32_t c) { return p.column < c; });
    return it != periods_.end() && it->column == column ? static_cast<int>(it - periods_.begin())
                                                        : -1;
  }

  void data_row(const Row& r) {
    const Cell* id_cell = nullptr;
    const Cell* measure_cell = nullptr;
    const Cell* target_cell = nullptr;
    bool figures = false;
    for (const Cell& c : r) {
      if (c.column == series_column_) id_cell = &c;
      else if (c.column == measure_column_) measure_cell = &c;
      else if (c.column == target_column_) target_cell = &c;
      else if (c.kind != Cell::Kind::kBlank && period_index(c.column) >= 0) figures = true;
    }
    std::string id = id_cell != nullptr ? label_of(*id_cell) : std::string();
    for (const CellRange& m : series_merges_) {
      if (m.first.row == r.number) merged_id_ = id;
      if (id.empty() && m.first.row < r.number && m.last.row >= r.number) id = merged_id_;
    }
    if (id.empty()) {
      if (figures) {
        problems_.error(r.number, series_column_,
                        "blank series id in a row with figures (column " +
                            column_name(series_column_) + " holds each row's series id)",
                        "data.missing_key");
      }
      return;
    }
    if (!figures && (target_cell == nullptr || target_cell->kind == Cell::Kind::kBlank)) {
      return;  // a heading or spacer row
    }
    int measure = 0;
    if (measure_cell != nullptr) {
      const std::string m = label_of(*measure_cell);
      measure = -1;
      if (m.empty()) measure = 0;
      for (int i = 0; i < kMeasures && measure < 0; ++i) {
        if (iequals(m, kMeasureNames[i])) measure = i;
      }
      if (measure < 0) {
        problems_.error(r.number, measure_column_,
                        "the measure '" + excerpt(m) +
                            "' is not one of value, numerator, denominator, target",
                        "data.bad_value");
        return;
      }
    }
    if (id != group_id_) {
      flush();
      group_id_ = id;
    }
    if (keys_only_) return;
    MeasureRow& row = group_[measure];
    if (row.present) {
      problems_.error(r.number, measure_column_ > 0 ? measure_column_ : series_column_,
                      "series '" + excerpt(id) + "' has a second " + kMeasureNames[measure] +
                          " row (the first is row " + std::to_string(row.row) + ")",
                      "data.duplicate_row");
      return;
    }
    row.present = true;
    row.row = r.number;
    row.figures.assign(periods_.size(), Figure{});
    for (const Cell& c : r) {
      const int p = period_index(c.column);
      if (p < 0) continue;
      row.figures[p] = figure_of(c, r.number, kMeasureNames[measure], problems_);
    }
    if (target_cell != nullptr) {
      const Figure t = figure_of(*target_cell, r.number, "target", problems_);
      if (t.state != Figure::kBlank) {
        MeasureRow& target = group_[3];
        if (!target.present) {
          target.present = true;
          target.row = r.number;
          target.figures.assign(periods_.size(), Figure{});
        }
        for (Figure& f : target.figures) {
          if (f.state == Figure::kBlank) f = t;
        }
      }
    }
  }

  // Sends the series read so far, one point per period column: a blank
  // cell is a period with no figure (missing, as a blank value in the csv
  // plugin's files), never zero.
  void flush() {
    if (group_id_.empty()) return;
    sink_.series(group_id_);
    if (!keys_only_) {
      for (std::size_t p = 0; p < periods_.size(); ++p) {
        plugin::Point point;
        point.period = periods_[p].period;
        point.row = header_.row;
        point.column = periods_[p].column;
        point.field = periods_[p].field;
        std::optional<double>* slots[kMeasures] = {&point.value, &point.numerator,
                                                   &point.denominator, &point.target};
        bool bad = false;
        for (int m = 0; m < kMeasures; ++m) {
          if (!group_[m].present) continue;
          const Figure& f = group_[m].figures[p];
          if (f.state == Figure::kNumber) *slots[m] = f.number;
          bad = bad || f.state == Figure::kBad;
        }
        if (bad) point.value = point.numerator = point.denominator = point.target = std::nullopt;
        sink_.push(point);
      }
    }
    for (MeasureRow& m : group_) m.present = false;
    group_id_.clear();
  }

  const Workbook& workbook_;
  const SheetLayout& layout_;
  plugin::Sink& sink_;
  SheetProblems& problems_;
  bool keys_only_;
  std::vector<CellRange> merged_;
  std::vector<CellRange> series_merges_;
  Header header_;
  bool header_missing_ = false;
  std::vector<PeriodColumn> periods_;  // in column order
  std::int32_t series_column_ = 0;
  std::int32_t measure_column_ = 0;
  std::int32_t target_column_ = 0;
  std::string merged_id_;
  std::string group_id_;
  std::array<MeasureRow, kMeasures> group_;
};

}  // namespace

void read_sheet(const Workbook& workbook, const SheetInfo& sheet, const SheetLayout& layout,
                plugin::Sink& sink, bool keys_only) {
  SheetProblems problems(sink, sheet.name);
  if (layout.wide) {
    WideReader reader(workbook, layout, sink, problems, keys_only, merged_ranges(workbook, sheet));
    read_rows(workbook, sheet, layout.area, [&](const Row& r) { return reader.row(r); });
    reader.finish();
  } else {
    LongReader reader(workbook, layout, sink, problems, keys_only);
    read_rows(workbook, sheet, layout.area, [&](const Row& r) { return reader.row(r); });
    reader.finish();
  }
  problems.finish();
}

}  // namespace vitals::xlsx
