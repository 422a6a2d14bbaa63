// SPDX-License-Identifier: Apache-2.0
// The "xlsx" source plugin: Excel workbooks (.xlsx, .xlsm), in the long
// layout of the csv plugin or the committee dashboard's wide layout.
// See README.md.
#include "xlsx_cells.hpp"
#include "xlsx_layouts.hpp"
#include "xlsx_workbook.hpp"

#include <vitals/plugin/sdk.hpp>

#include <charconv>
#include <filesystem>
#include <string>
#include <vector>

namespace vitals::xlsx {
namespace {

using plugin::ConfigError;
using plugin::Settings;
using plugin::Sink;

// The cells a source reads: from the `range` setting, or from `header_row`
// (default 1) to the end of the sheet.
CellRange area_setting(const Settings& settings) {
  const std::string* range = settings.find("range");
  const std::string* header = settings.find("header_row");
  if (range != nullptr && header != nullptr) {
    throw ConfigError("settings 'range' and 'header_row' both say where the header is; give one");
  }
  if (range != nullptr) {
    auto r = parse_range(*range);
    if (!r || r->first.row == r->last.row) {
      throw ConfigError("setting 'range' is '" + *range +
                        "'; expected the cells to read, header row first, such as A3:P20");
    }
    return *r;
  }
  CellRange all{{1, 1}, {kMaxRows, kMaxColumns}};
  if (header != nullptr) {
    std::int64_t row = 0;
    auto [ptr, ec] = std::from_chars(header->data(), header->data() + header->size(), row);
    if (ec != std::errc() || ptr != header->data() + header->size() || row < 1 ||
        row >= kMaxRows) {
      throw ConfigError("setting 'header_row' is '" + *header +
                        "'; expected the number of the header row, such as 3");
    }
    all.first.row = row;
  }
  return all;
}

SheetLayout layout_setting(const Settings& settings) {
  SheetLayout l;
  l.sheet = settings.get("sheet", "");
  l.area = area_setting(settings);
  l.wide = settings.get("layout", "long") == "wide";
  if (l.wide) {
    l.series_column = settings.get("series_column", "");
    l.measure_column = settings.get("measure_column", "");
    return l;
  }
  l.columns = plugin_common::LongColumns(settings);
  return l;
}

class XlsxSource final : public plugin::Source {
 public:
  /// fetch reads the file `path` names and nothing else (ABI 1.3): an
  /// unchanged file need not be read again.
  static constexpr const char* kInputFileSettings[] = {"path", nullptr};

  /// The settings of an xlsx source; which columns can be named depends on
  /// the layout. Checked by validate and before the constructor.
  static std::vector<plugin::SettingSpec> declared_settings(const Settings& settings) {
    std::vector<plugin::SettingSpec> specs = {
        plugin::required_file("path"), plugin::optional_setting("sheet"),
        plugin::optional_setting("header_row"), plugin::optional_setting("range"),
        plugin::optional_setting("layout", {"long", "wide"})};
    if (settings.get("layout", "long") == "wide") {
      specs.push_back(plugin::optional_setting("series_column"));
      specs.push_back(plugin::optional_setting("measure_column"));
      return specs;
    }
    plugin_common::declare_long_column_settings(specs);
    return specs;
  }

  explicit XlsxSource(const Settings& settings)
      : path_(settings.path("path")), layout_(layout_setting(settings)) {}

  void fetch(Sink& sink) override { read(sink, false); }
  void describe(Sink& sink) { read(sink, true); }

 private:
  void read(Sink& sink, bool keys_only) {
    const Workbook workbook(path_);
    const SheetInfo& sheet = workbook.find_sheet(layout_.sheet);
    sink.set_file(path_.string());
    try {
      read_sheet(workbook, sheet, layout_, sink, keys_only);
    } catch (const plugin::DataError& e) {
      throw plugin::DataError(path_.string() + ", sheet '" + sheet.name + "': " + e.what());
    }
  }

  std::filesystem::path path_;
  SheetLayout layout_;
};

}  // namespace
}  // namespace vitals::xlsx

VITALS_PLUGIN(vitals::xlsx::XlsxSource, "xlsx", "1.0.0",
              vitals::plugin::kDeterministic | vitals::plugin::kThreadSafe)
