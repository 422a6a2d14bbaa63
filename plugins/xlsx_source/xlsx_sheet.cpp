// SPDX-License-Identifier: Apache-2.0
#include "xlsx_sheet.hpp"

#include "xlsx_xml.hpp"

#include <vitals/plugin/sdk.hpp>

#include <algorithm>
#include <charconv>
#include <cstring>

namespace vitals::xlsx {
namespace {

// Thrown by a handler to stop reading once the rows wanted are done.
struct StopReading {};

void stream_sheet(const Workbook& workbook, const SheetInfo& sheet, XmlHandler& handler) {
  const std::string& part = sheet.part;
  XmlStream xml(handler);
  try {
    workbook.archive().read(sheet.part, kMaxPartBytes, [&](const char* data, std::size_t size,
                                                           bool last) {
      xml.feed(data, size, last, part);
    });
  } catch (const StopReading&) {
  }
}

class SheetHandler final : public XmlHandler {
 public:
  SheetHandler(const Workbook& workbook, const CellRange& area, const RowHandler& handler)
      : workbook_(workbook), area_(area), handler_(handler) {}

  void start(std::string_view name, const char** a) override {
    if (name == "c") {
      start_cell(a);
    } else if (!in_cell_) {
      if (name == "row") start_row(a);
    } else if (name == "v") {
      in_v_ = true;
      value_.clear();
    } else if (name == "f") {
      formula_ = true;
    } else if (name == "rPh") {
      ++phonetic_;
    } else if (name == "t" && phonetic_ == 0) {
      in_t_ = true;
    }
  }

  void end(std::string_view name) override {
    if (name == "v") {
      in_v_ = false;
      has_v_ = true;
    } else if (name == "t") {
      in_t_ = false;
    } else if (name == "rPh") {
      --phonetic_;
    } else if (name == "c") {
      end_cell();
    } else if (name == "row") {
      end_row();
    } else if (name == "sheetData") {
      throw StopReading{};
    }
  }

  void text(std::string_view t) override {
    if (!wanted_) return;
    if (in_v_) {
      if (value_.size() + t.size() > kMaxCellBytes) too_long();
      value_.append(t);
    } else if (in_t_) {
      if (inline_.size() + t.size() > kMaxCellBytes) too_long();
      inline_.append(t);
    }
  }

 private:
  // Excel allows 32,767 characters in a cell; a little more in UTF-8 bytes.
  static constexpr std::size_t kMaxCellBytes = 4 * 32767;

  [[noreturn]] void too_long() {
    throw plugin::DataError("cell " + cell_name({row_, column_}) +
                            " holds more text than Excel allows in a cell");
  }

  void start_row(const char** a) {
    const char* r = attribute(a, "r");
    std::int64_t row = row_ + 1;
    if (r != nullptr) {
      auto [ptr, ec] = std::from_chars(r, r + std::strlen(r), row);
      if (ec != std::errc() || row < 1 || row > kMaxRows) {
        throw plugin::DataError("row number '" + std::string(r).substr(0, 20) +
                                "' is not a row number");
      }
    }
    if (row <= row_) {
      throw plugin::DataError("row " + std::to_string(row) + " comes after row " +
                              std::to_string(row_) + "; rows must be in order");
    }
    if (row > area_.last.row) throw StopReading{};
    row_ = row;
    column_ = 0;
    count_ = 0;
  }

  void end_row() {
    if (row_ < area_.first.row || count_ == 0) return;
    const bool go_on = handler_(Row{row_, cells_.data(), count_});
    count_ = 0;
    if (!go_on) throw StopReading{};
  }

  void start_cell(const char** a) {
    in_cell_ = true;
    formula_ = false;
    has_v_ = false;
    value_.clear();
    inline_.clear();
    const char* r = attribute(a, "r");
    std::int32_t column = column_ + 1;
    if (r != nullptr) {
      auto ref = parse_cell_ref(r);
      if (!ref) {
        throw plugin::DataError("row " + std::to_string(row_) + ": '" +
                                std::string(r).substr(0, 20) + "' is not a cell reference");
      }
      column = ref->column;
    }
    if (column <= column_ && column_ > 0) {
      throw plugin::DataError("cell " + cell_name({row_, column}) +
                              " comes after " + cell_name({row_, column_}) +
                              "; cells must be in order");
    }
    column_ = column;
    wanted_ = row_ >= area_.first.row && column >= area_.first.column && column <= area_.last.column;
    const char* t = attribute(a, "t");
    type_ = t == nullptr ? 'n' : type_code(t);
    const char* s = attribute(a, "s");
    style_ = 0;
    if (s != nullptr) std::from_chars(s, s + std::strlen(s), style_);
  }

  static char type_code(std::string_view t) {
    if (t == "s") return 's';
    if (t == "inlineStr") return 'i';
    if (t == "str") return 'f';
    if (t == "b") return 'b';
    if (t == "e") return 'e';
    if (t == "d") return 'd';
    if (t == "n") return 'n';
    return '?';
  }

  void end_cell() {
    in_cell_ = false;
    if (!wanted_) return;
    if (count_ == cells_.size()) cells_.emplace_back();
    Cell& c = cells_[count_];
    c.column = column_;
    c.kind = Cell::Kind::kBlank;
    c.number = 0;
    c.date = false;
    c.text.clear();
    // openpyxl writes a formula it cannot calculate with an empty <v/>.
    if (formula_ && type_ != 'i' && type_ != 'f' && (!has_v_ || trim_ascii(value_).empty())) {
      c.kind = Cell::Kind::kNoCachedValue;
    } else {
      switch (type_) {
        case 's': shared_string(c); break;
        case 'i':
          c.kind = Cell::Kind::kText;
          c.text = inline_;
          break;
        case 'f':
          if (formula_ && !has_v_) {
            c.kind = Cell::Kind::kNoCachedValue;
            break;
          }
          c.kind = Cell::Kind::kText;
          c.text = value_;
          break;
        case 'b':
          c.kind = Cell::Kind::kBool;
          c.number = trim_ascii(value_) == "1" || trim_ascii(value_) == "true" ? 1 : 0;
          break;
        case 'e':
          c.kind = Cell::Kind::kError;
          c.text = std::string(trim_ascii(value_));
          break;
        case 'd':
          if (auto month = iso_month(value_)) {
            c.kind = Cell::Kind::kText;
            c.text = *month;
            c.date = true;
          } else {
            bad(c, "a date cell holding '" + value_.substr(0, 40) + "', which is not a date");
          }
          break;
        case 'n':
          if (!has_v_ || trim_ascii(value_).empty()) break;
          if (auto n = parse_xml_number(value_)) {
            c.kind = Cell::Kind::kNumber;
            c.number = *n;
            c.date = workbook_.is_date_style(style_);
          } else {
            bad(c, "a number cell holding '" + value_.substr(0, 40) + "', which is not a number");
          }
          break;
        default: bad(c, "a cell of a type Excel does not write"); break;
      }
    }
    if (c.kind == Cell::Kind::kText && c.text.empty()) c.kind = Cell::Kind::kBlank;
    ++count_;
  }

  void shared_string(Cell& c) {
    std::size_t index = 0;
    const std::string_view v = trim_ascii(value_);
    auto [ptr, ec] = std::from_chars(v.data(), v.data() + v.size(), index);
    if (ec != std::errc() || ptr != v.data() + v.size() || v.empty()) {
      bad(c, "a shared string cell whose index '" + value_.substr(0, 20) + "' is not a number");
    } else if (index >= workbook_.shared_string_count()) {
      bad(c, "shared string " + std::to_string(index) + ", but the workbook has only " +
                 std::to_string(workbook_.shared_string_count()));
    } else {
      c.kind = Cell::Kind::kText;
      c.text.assign(workbook_.shared_string(index));
    }
  }

  static void bad(Cell& c, std::string why) {
    c.kind = Cell::Kind::kBad;
    c.text = std::move(why);
  }

  const Workbook& workbook_;
  CellRange area_;
  const RowHandler& handler_;
  std::vector<Cell> cells_;
  std::size_t count_ = 0;
  std::int64_t row_ = 0;
  std::int32_t column_ = 0;
  bool in_cell_ = false;
  bool wanted_ = false;
  bool in_v_ = false;
  bool in_t_ = false;
  bool has_v_ = false;
  bool formula_ = false;
  int phonetic_ = 0;
  char type_ = 'n';
  std::size_t style_ = 0;
  std::string value_;
  std::string inline_;
};

class MergeHandler final : public XmlHandler {
 public:
  void start(std::string_view name, const char** a) override {
    if (name != "mergeCell") return;
    const char* ref = attribute(a, "ref");
    if (ref == nullptr) return;
    if (auto range = parse_range(ref)) ranges.push_back(*range);
  }
  void end(std::string_view) override {}
  std::vector<CellRange> ranges;
};

}  // namespace

void read_rows(const Workbook& workbook, const SheetInfo& sheet, const CellRange& area,
               const RowHandler& handler) {
  SheetHandler h(workbook, area, handler);
  stream_sheet(workbook, sheet, h);
}

std::vector<CellRange> merged_ranges(const Workbook& workbook, const SheetInfo& sheet) {
  MergeHandler h;
  stream_sheet(workbook, sheet, h);
  return std::move(h.ranges);
}

}  // namespace vitals::xlsx
