// SPDX-License-Identifier: Apache-2.0
// The bundled xlsx plugin, loaded through the real loader, reading workbooks
// written by openpyxl and LibreOffice (tests/plugin/xlsx/make_workbooks.py).
#include "catch.hpp"
#include "plugin/plugin_registry.hpp"
#include "plugin/source_handle.hpp"
#include "plugin_test_support.hpp"
#include "support/temp_dir.hpp"

#include <vitals/observation.hpp>
#include <vitals/period.hpp>

#include <cstdio>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace fs = std::filesystem;
using vitals::Diagnostic;
using vitals::Observation;
using vitals::Period;
using vitals::Severity;
using vitals::Status;
using vitals::detail::FetchOutput;
using vitals::detail::PluginRegistry;
using vitals::testing::make_source;
using vitals::testing::obs;


namespace {

const fs::path kWorkbooks = fs::path(VITALS_SOURCE_DIR) / "tests/plugin/xlsx";

PluginRegistry& registry() {
  static PluginRegistry* registry = [] {
    auto* r = new PluginRegistry(vitals::detail::null_logger());
    std::vector<Diagnostic> diagnostics;
    for (const char* name : {"csv_source.so", "xlsx_source.so"}) {
      Status loaded = r->load_file(fs::path(VITALS_PLUGIN_DIR) / name, true, diagnostics);
      if (!loaded.is_ok()) FAIL(loaded.to_string());
    }
    return r;
  }();
  return *registry;
}

struct Run {
  Status status;
  FetchOutput out;
  std::string file;
};

Run fetch(const std::string& plugin, std::map<std::string, std::string> settings,
          const fs::path& dir = kWorkbooks) {
  Run run;
  run.file = (dir / settings["path"]).lexically_normal().string();
  auto source = registry().create_source(make_source(plugin, std::move(settings), dir));
  if (!source.ok()) {
    run.status = source.status();
    return run;
  }
  run.status = (*source)->fetch(run.out);
  return run;
}

Run xlsx(std::map<std::string, std::string> settings) { return fetch("xlsx", std::move(settings)); }

const vitals::Series& series(const Run& run, const std::string& key) {
  for (const auto& s : run.out.series) {
    if (s.key == key) return s;
  }
  FAIL("no series " << key);
  return run.out.series.front();
}

// Observations as text with every digit, so that a failed comparison shows them.
std::string dump(const std::vector<Observation>& list) {
  auto n = [](const std::optional<double>& v) {
    if (!v) return std::string("-");
    char buf[40];
    std::snprintf(buf, sizeof buf, "%.17g", *v);
    return std::string(buf);
  };
  std::string out;
  for (const Observation& o : list) {
    out += o.period.to_string() + " " + n(o.value) + " " + n(o.numerator) + "/" + n(o.denominator) +
           " target " + n(o.target) + "\n";
  }
  return out;
}

std::string messages(const Run& run) {
  std::string out = run.status.to_string() + "\n";
  for (const Diagnostic& d : run.out.diagnostics) out += d.to_string() + "\n";
  for (const auto& s : run.out.series) out += s.key + ":\n" + dump(s.observations);
  return out;
}

// The diagnostic at `row`/`column`, or a failure.
const Diagnostic& at(const Run& run, int row, int column) {
  for (const Diagnostic& d : run.out.diagnostics) {
    if (d.location && d.location->line == row && d.location->column == column) return d;
  }
  FAIL("no diagnostic at " << row << ":" << column << " in\n" << messages(run));
  return run.out.diagnostics.front();
}

void same_series(const Run& a, const Run& b) {
  REQUIRE(a.out.series.size() == b.out.series.size());
  for (std::size_t i = 0; i < a.out.series.size(); ++i) {
    INFO("series " << a.out.series[i].key);
    CHECK(a.out.series[i].key == b.out.series[i].key);
    CHECK(a.out.series[i].observations == b.out.series[i].observations);
  }
}

}  // namespace

TEST_CASE("xlsx: a long sheet from openpyxl is read as stored", "[plugin][xlsx]") {
  Run run = xlsx({{"path", "long.xlsx"}, {"target_column", "target"}});
  INFO(messages(run));
  REQUIRE(run.status.is_ok());
  CHECK(run.out.diagnostics.empty());
  REQUIRE(run.out.series.size() == 3);
  // Text periods pass through, a date cell is its month; numbers are the
  // stored doubles (shown as 67% and 1,234,568), never the display.
  CHECK(series(run, "a").observations ==
        std::vector<Observation>{obs("2017-03", 86.3, 334, 387),
                                 obs("2017-04", 2.0 / 3.0, std::nullopt, std::nullopt, 90),
                                 obs("2017-05", 1234567.891011121)});
  // A number stored as text, a year as a number, a padded financial year.
  CHECK(series(run, "b").observations ==
        std::vector<Observation>{obs("2017-Q1", 12.5), obs("2017", -0.5), obs("2016/17", 3e-7)});
  CHECK(series(run, "42").observations == std::vector<Observation>{obs("2017-03", 7)});
}

TEST_CASE("xlsx: a long sheet from LibreOffice, .xlsx and .xlsm", "[plugin][xlsx]") {
  const std::string file = GENERATE(as<std::string>{}, "long_libreoffice.xlsx",
                                    "long_libreoffice.xlsm");
  Run run = xlsx({{"path", file}, {"sheet", "Data"}});
  INFO(messages(run));
  REQUIRE(run.status.is_ok());
  CHECK(run.out.diagnostics.empty());
  REQUIRE(run.out.series.size() == 2);
  // LibreOffice turned 2017-03-01 into a date cell, and stores 15 significant digits.
  CHECK(series(run, "a").observations ==
        std::vector<Observation>{obs("2017-03", 86.3, 334, 387),
                                 obs("2017-04", 0.666666666666667, std::nullopt, std::nullopt, 90)});
  CHECK(series(run, "b").observations == std::vector<Observation>{obs("2016/17", -0.5)});
}

TEST_CASE("xlsx: rich text runs are joined, inline and shared", "[plugin][xlsx]") {
  for (const char* file : {"rich_inline.xlsx", "rich_shared.xlsx"}) {
    INFO(file);
    Run run = xlsx({{"path", file}});
    INFO(messages(run));
    REQUIRE(run.status.is_ok());
    // "rea" (bold) + "ble " trimmed; the phonetic reading is not text.
    CHECK(series(run, "reable").observations.size() >= 1);
  }
}

TEST_CASE("xlsx: the wide Norfolk dashboard equals the csv example", "[plugin][xlsx]") {
  const fs::path norfolk = fs::path(VITALS_SOURCE_DIR) / "examples/norfolk";
  Run csv = fetch("csv", {{"path", "data/dashboard.csv"}}, norfolk);
  REQUIRE(csv.status.is_ok());
  REQUIRE(csv.out.series.size() == 15);

  SECTION("openpyxl: dates as headers, merged ids, a hidden sheet, the header on row 3") {
    Run run = xlsx({{"path", "norfolk_dashboard.xlsx"}, {"sheet", "Dashboard"},
                    {"layout", "wide"}, {"header_row", "3"}, {"series_column", "Indicator"}});
    INFO(messages(run));
    REQUIRE(run.status.is_ok());
    CHECK(run.out.diagnostics.empty());
    same_series(run, csv);
  }
  SECTION("LibreOffice: the sheet by position") {
    Run run = xlsx({{"path", "norfolk_dashboard_libreoffice.xlsx"}, {"sheet", "1"},
                    {"layout", "wide"}});
    INFO(messages(run));
    REQUIRE(run.status.is_ok());
    CHECK(run.out.diagnostics.empty());
    same_series(run, csv);
  }
  SECTION("a range reads only its cells") {
    Run run = xlsx({{"path", "norfolk_dashboard.xlsx"}, {"sheet", "dashboard"},
                    {"layout", "wide"}, {"range", "A3:F9"}});
    INFO(messages(run));
    REQUIRE(run.status.is_ok());
    REQUIRE(run.out.series.size() == 4);  // rows 4-9
    CHECK(run.out.series[0].key == "reablement_no_ongoing_service");
    CHECK(run.out.series[0].observations ==
          std::vector<Observation>{obs("2016-03", 86.3, 334, 387), obs("2016-04", 87.2, 387, 444)});
  }
}

TEST_CASE("xlsx: sheets by name, position, hidden; a missing one is named", "[plugin][xlsx]") {
  // The hidden sheet is read (it has no data columns, hence the error).
  Run hidden = xlsx({{"path", "norfolk_dashboard.xlsx"}, {"sheet", "Lookup"}});
  CHECK_FALSE(hidden.status.is_ok());
  CHECK(at(hidden, 1, 0).message.find("sheet 'Lookup', row 1: no column named 'indicator_id'") == 0);

  Run missing = xlsx({{"path", "norfolk_dashboard.xlsx"}, {"sheet", "Dashbord"}});
  CHECK_FALSE(missing.status.is_ok());
  CHECK(missing.status.message().find(
            "setting 'sheet': norfolk_dashboard.xlsx has no sheet 'Dashbord'; its sheets are "
            "'Cover', 'Dashboard', 'Lookup' (or give a position, 1 to 3)") != std::string::npos);
  CHECK(missing.out.series.empty());
}

TEST_CASE("xlsx: cells that are not figures are located problems", "[plugin][xlsx]") {
  Run run = xlsx({{"path", "cells.xlsx"}, {"sheet", "Problems"}});
  INFO(messages(run));
  CHECK_FALSE(run.status.is_ok());
  // Error values are missing, with a warning: never zero.
  CHECK(at(run, 2, 4).severity == Severity::kWarning);
  CHECK(at(run, 2, 4).message ==
        "sheet 'Problems', cell D2: the value is the error value #N/A; it is read as missing");
  CHECK(at(run, 2, 4).code == "data.error_value");
  CHECK(at(run, 3, 4).message ==
        "sheet 'Problems', cell D3: the value is the error value #DIV/0!; it is read as missing");
  CHECK(at(run, 4, 4).severity == Severity::kError);
  CHECK(at(run, 4, 4).message ==
        "sheet 'Problems', cell D4: bad value: the formula has no calculated value stored (the "
        "file was written without calculating it); open the workbook in Excel or LibreOffice and "
        "save it again");
  CHECK(at(run, 5, 4).message == "sheet 'Problems', cell D5: bad value: TRUE is not a number");
  CHECK(at(run, 6, 4).message == "sheet 'Problems', cell D6: bad value: 'n/a' is not a number");
  CHECK(at(run, 7, 3).message ==
        "sheet 'Problems', cell C7: the number 42795 is not a period; format the cell as a date, "
        "or write the period as text (2017-03, 2017-Q1, 2017, 2016/17)");
  CHECK(at(run, 7, 3).location->file == run.file);
}

TEST_CASE("xlsx: date serials in the 1900 and 1904 systems", "[plugin][xlsx]") {
  Run run1900 = xlsx({{"path", "cells.xlsx"}, {"sheet", "Dates1900"}, {"layout", "wide"}});
  INFO(messages(run1900));
  REQUIRE(run1900.status.is_ok());
  // Serial 60 is Excel's 29 February 1900; 61 is 1 March.
  CHECK(series(run1900, "x").observations ==
        std::vector<Observation>{obs("1900-01", 1), obs("1900-02", 2), obs("1900-03", 3),
                                 obs("2017-03", 4)});
  Run run1904 = xlsx({{"path", "dates1904.xlsx"}, {"layout", "wide"}});
  INFO(messages(run1904));
  REQUIRE(run1904.status.is_ok());
  CHECK(series(run1904, "x").observations ==
        std::vector<Observation>{obs("2017-03", 1), obs("1904-01", 2)});
}

TEST_CASE("xlsx: a period heading merged across columns is refused", "[plugin][xlsx]") {
  Run run = xlsx({{"path", "cells.xlsx"}, {"sheet", "MergedHeader"}, {"layout", "wide"}});
  CHECK_FALSE(run.status.is_ok());
  CHECK(at(run, 1, 2).message ==
        "sheet 'MergedHeader', cell B1: the period heading is merged across B1:C1; a period "
        "heads one column: unmerge the cells and head each column with its period");
  CHECK(run.out.series.empty());
}

TEST_CASE("xlsx: hostile and wrong files are refused with a clear error", "[plugin][xlsx]") {
  struct Case {
    const char* file;
    const char* says;
  };
  const Case cases[] = {
      {"zip_bomb.xlsx", "a ratio no workbook has (a zip bomb?); the file is refused"},
      {"billion_laughs.xlsx",
       "xl/worksheets/sheet1.xml declares a document type (<!DOCTYPE>), which no part of a "
       "workbook has; the file is refused"},
      {"truncated.xlsx", "it is a damaged zip archive (cut short, or partly overwritten)"},
      {"understated_size.xlsx",
       "part xl/worksheets/sheet1.xml inflates to more than the 1024 bytes its directory entry "
       "declares; the file is refused"},
      {"csv_renamed.xlsx",
       "is not an Excel workbook: it looks like a text file (a CSV?); read CSV files with the csv "
       "plugin"},
      {"xls_renamed.xlsx", "is not an Excel workbook: it is an old binary Excel file (.xls)"},
  };
  for (const Case& c : cases) {
    INFO(c.file);
    Run run = xlsx({{"path", c.file}});
    INFO(messages(run));
    CHECK_FALSE(run.status.is_ok());
    CHECK(run.status.message().find(c.says) != std::string::npos);
    CHECK(run.out.series.empty());
  }
}

TEST_CASE("xlsx: settings are checked before reading", "[plugin][xlsx]") {
  Run layout = xlsx({{"path", "long.xlsx"}, {"layout", "tall"}});
  CHECK_FALSE(layout.status.is_ok());
  CHECK(layout.status.message().find("setting 'layout' is 'tall'; expected one of long, wide") !=
        std::string::npos);
  // Settings of the other layout are unknown.
  Run measure = xlsx({{"path", "long.xlsx"}, {"measure_column", "m"}});
  CHECK(measure.status.message().find("unknown setting 'measure_column'") != std::string::npos);
  Run both = xlsx({{"path", "long.xlsx"}, {"range", "A1:C3"}, {"header_row", "2"}});
  CHECK(both.status.message().find("settings 'range' and 'header_row' both say") !=
        std::string::npos);
  Run range = xlsx({{"path", "long.xlsx"}, {"range", "A1"}});
  CHECK(range.status.message().find("setting 'range' is 'A1'") != std::string::npos);
  Run outside = fetch("xlsx", {{"path", "../xlsx/../../../README.md"}});
  CHECK_FALSE(outside.status.is_ok());
}

TEST_CASE("xlsx: describe lists a sheet's series in both layouts", "[plugin][xlsx]") {
  const std::map<std::string, std::string> layouts[] = {
      {{"path", "norfolk_dashboard.xlsx"}, {"sheet", "Dashboard"}, {"layout", "wide"},
       {"header_row", "3"}, {"series_column", "Indicator"}},
      {{"path", "norfolk_long.xlsx"}}};
  for (const auto& settings : layouts) {
    INFO(settings.at("path"));
    auto source = registry().create_source(make_source("xlsx", settings, kWorkbooks));
    REQUIRE(source.ok());
    std::vector<std::string> keys;
    std::vector<Diagnostic> diagnostics;
    REQUIRE(
        dynamic_cast<vitals::detail::PluginSource&>(**source).describe(keys, diagnostics).is_ok());
    REQUIRE(keys.size() == 15);
    CHECK(keys.front() == "reablement_no_ongoing_service");
    CHECK(keys[1] == "admissions_18_64_per_100k");
    CHECK(diagnostics.empty());
  }
}

TEST_CASE("xlsx: the long Norfolk sheet equals the csv example", "[plugin][xlsx]") {
  const fs::path norfolk = fs::path(VITALS_SOURCE_DIR) / "examples/norfolk";
  Run csv = fetch("csv", {{"path", "data/dashboard.csv"}}, norfolk);
  Run run = xlsx({{"path", "norfolk_long.xlsx"}, {"target_column", "target"}});
  INFO(messages(run));
  REQUIRE(run.status.is_ok());
  CHECK(run.out.diagnostics.empty());
  same_series(run, csv);
}

TEST_CASE("xlsx: past 100 warnings, the rest are counted in one note", "[plugin][xlsx]") {
  Run run = xlsx({{"path", "many_errors.xlsx"}});
  REQUIRE(run.status.is_ok());  // warnings only: the months are missing, not zero
  REQUIRE(run.out.series.size() == 1);
  REQUIRE(run.out.series[0].observations.size() == 150);
  CHECK(run.out.series[0].observations[149] == obs("2017-06", std::nullopt));
  int warnings = 0;
  for (const Diagnostic& d : run.out.diagnostics) warnings += d.severity == Severity::kWarning;
  CHECK(warnings == 100);
  CHECK(run.out.diagnostics.back().severity == Severity::kNote);
  CHECK(run.out.diagnostics.back().message ==
        "... and 50 more warnings in sheet 'Data', not listed");
}

TEST_CASE("xlsx: formulas are read as LibreOffice calculated them", "[plugin][xlsx]") {
  Run run = xlsx({{"path", "formulas_libreoffice.xlsx"}, {"numerator_column", "numerator"},
                  {"denominator_column", "denominator"}});
  INFO(messages(run));
  REQUIRE(run.status.is_ok());
  CHECK(series(run, "a").observations ==
        std::vector<Observation>{obs("2017-03", 86.3049095607235, 334, 387)});
  // =NA() saved as its error value: missing, with a warning, never zero.
  CHECK(series(run, "b").observations == std::vector<Observation>{obs("2017-03", std::nullopt, 1, 2)});
  CHECK(at(run, 3, 3).message ==
        "sheet 'Formulas', cell C3: the value is the error value #N/A; it is read as missing");
}

TEST_CASE("xlsx: ISO date cells head months", "[plugin][xlsx]") {
  Run run = xlsx({{"path", "iso_dates.xlsx"}, {"layout", "wide"}});
  INFO(messages(run));
  REQUIRE(run.status.is_ok());
  CHECK(series(run, "x").observations ==
        std::vector<Observation>{obs("2017-03", 1.5), obs("2017-04", 2.5)});
}

TEST_CASE("xlsx: a text heading goes to Vitals as written, located at its cell", "[plugin][xlsx]") {
  // The long sheet read as wide: its headings "period", "value", ... are
  // text that is no period, which Vitals refuses at the heading's cell.
  Run run = xlsx({{"path", "long.xlsx"}, {"layout", "wide"}});
  CHECK_FALSE(run.status.is_ok());
  const Diagnostic& d = at(run, 1, 3);
  CHECK(d.code == "data.bad_period");
  CHECK(d.message == std::string("bad period in column 'Data!C1': 'period' is not a period; ") +
                         vitals::testing::kPeriodForms);
  CHECK(d.location->file == run.file);
  CHECK(run.out.series.empty());
}
