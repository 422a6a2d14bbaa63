// SPDX-License-Identifier: Apache-2.0
// The bundled csv plugin, loaded through the real loader.
#include "catch.hpp"
#include "plugin/plugin_registry.hpp"
#include "plugin/source_handle.hpp"
#include "plugin_test_support.hpp"
#include "support/temp_dir.hpp"

#include <vitals/observation.hpp>
#include <vitals/period.hpp>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace fs = std::filesystem;
using vitals::Diagnostic;
using vitals::Observation;
using vitals::Period;
using vitals::Severity;
using vitals::SourceLocation;
using vitals::Status;
using vitals::StatusCode;
using vitals::detail::FetchOutput;
using vitals::detail::PluginRegistry;
using vitals::testing::kPeriodForms;
using vitals::testing::make_source;
using vitals::testing::obs;
using vitals::testing::TempDir;

namespace {

PluginRegistry& registry() {
  static PluginRegistry* registry = [] {
    auto* r = new PluginRegistry(vitals::detail::null_logger());
    std::vector<Diagnostic> diagnostics;
    Status loaded = r->load_file(vitals::testing::csv_plugin(), true, diagnostics);
    if (!loaded.is_ok()) FAIL(loaded.to_string());
    return r;
  }();
  return *registry;
}

struct Run {
  Status status;
  FetchOutput out;
  std::string file;  // the CSV's path as diagnostics name it
};

// Writes `content` to data.csv in a fresh directory and fetches it.
Run run_csv(const std::string& content, std::map<std::string, std::string> settings = {}) {
  TempDir dir;
  dir.write("data.csv", content);
  settings.emplace("path", "data.csv");
  auto source = registry().create_source(make_source("csv", std::move(settings), dir.path()));
  REQUIRE(source.ok());
  Run run;
  run.file = (dir.path() / "data.csv").string();
  run.status = (*source)->fetch(run.out);
  return run;
}

Diagnostic error_at(const std::string& file, int row, int column, std::string code,
                    std::string message) {
  return Diagnostic::make(Severity::kError, std::move(code), std::move(message),
                          SourceLocation{file, row, column});
}

std::string replace_all(std::string s, const std::string& from, const std::string& to) {
  for (std::size_t at = s.find(from); at != std::string::npos; at = s.find(from, at + to.size())) {
    s.replace(at, from.size(), to);
  }
  return s;
}

}  // namespace

TEST_CASE("the Norfolk dashboard loads with every indicator and month", "[plugin][csv]") {
  const fs::path data = fs::path(VITALS_SOURCE_DIR) / "tests/plugin/data";
  auto source = registry().create_source(
      make_source("csv", {{"path", "norfolk_asc_dashboard_2016_17.csv"}}, data));
  REQUIRE(source.ok());
  FetchOutput out;
  Status status = (*source)->fetch(out);
  REQUIRE(status.is_ok());
  CHECK(out.diagnostics.empty());
  REQUIRE(out.series.size() == 15);

  std::size_t observations = 0;
  for (const auto& s : out.series) {
    CHECK(s.observations.size() == 13);
    observations += s.observations.size();
    CHECK(s.observations.front().period == Period::month(2016, 3));
    CHECK(s.observations.back().period == Period::month(2017, 3));
  }
  CHECK(observations == 195);

  CHECK(out.series[0].key == "reablement_no_ongoing_service");
  CHECK(out.series[0].observations[0] == obs("2016-03", 86.3, 334, 387));
  CHECK(out.series[1].key == "admissions_18_64_per_100k");
  CHECK(out.series[1].observations[12] == obs("2017-03", 19.3, std::nullopt, std::nullopt, 16.5));

  auto find = [&](const std::string& key) -> const vitals::Series& {
    for (const auto& s : out.series) {
      if (s.key == key) return s;
    }
    FAIL("no series " << key);
    return out.series.front();
  };
  // Blank cells are missing data ("time lags"), not zeros and not errors.
  const auto& cqc = find("cqc_good_or_above_pct");
  CHECK(cqc.observations[9] == obs("2016-12", 72.8, 302, 415));
  CHECK(cqc.observations[10] == obs("2017-01", std::nullopt));
  CHECK(find("dtoc_social_care_per_100k").observations[12] ==
        obs("2017-03", 3.56, std::nullopt, std::nullopt, 1.5));
}

TEST_CASE("council export quirks are read as the numbers they show", "[plugin][csv]") {
  const std::string eol = GENERATE(as<std::string>{}, "\n", "\r\n", "\r");
  INFO("line ending " << (eol == "\n" ? "LF" : eol == "\r\n" ? "CRLF" : "CR"));
  std::string content =
      "\xEF\xBB\xBF"
      "\"Indicator_ID\", Title ,period,Value,numerator,denominator,target\n"
      "a,\"Admissions, per 100,000 (\"\"65+\"\")\",2016-03,\"3,523\",\"1,234,567.5\",12,86.3%\n"
      "a,\"a title over\ntwo lines\", 2016-04 , 86.3 % ,  334 ,387,\n"
      "a,plain,2016-05,,,,\n"
      "  ,  ,  ,  ,  ,  ,  \n"
      ",,,,,,\n"
      "\n"
      "b, \"quoted with spaces around\" ,2016/17,-0.5,1e3,0,\"  12 \"\n"
      "b,x,2017/18,+2,,,";  // no line break at the end
  Run run = run_csv(replace_all(content, "\n", eol));
  REQUIRE(run.status.is_ok());
  CHECK(run.out.diagnostics.empty());
  REQUIRE(run.out.series.size() == 2);
  CHECK(run.out.series[0].key == "a");
  CHECK(run.out.series[0].observations ==
        std::vector<Observation>{obs("2016-03", 3523, 1234567.5, 12, 86.3),
                                 obs("2016-04", 86.3, 334, 387), obs("2016-05", std::nullopt)});
  CHECK(run.out.series[1].key == "b");
  CHECK(run.out.series[1].observations ==
        std::vector<Observation>{obs("2016/17", -0.5, 1000, 0, 12), obs("2017/18", 2)});
}

TEST_CASE("each kind of bad cell is reported at its row and column", "[plugin][csv]") {
  struct Case {
    const char* row;  // row 3 of the file
    int column;
    const char* code;
    std::string message;
  };
  const Case cases[] = {
      {"a,2016-04,n/a,2,3", 3, "data.bad_value",
       "bad number in column 'value': 'n/a' is not a number"},
      {"a,2016-04,12abc,2,3", 3, "data.bad_value",
       "bad number in column 'value': '12abc' is not a number"},
      {"a,2016-04,1.2.3,2,3", 3, "data.bad_value",
       "bad number in column 'value': '1.2.3' is not a number"},
      {"a,2016-04, 1 2 ,2,3", 3, "data.bad_value",
       "bad number in column 'value': '1 2' is not a number"},
      {"a,2016-04,--1,2,3", 3, "data.bad_value",
       "bad number in column 'value': '--1' is not a number"},
      {"a,2016-04,%,2,3", 3, "data.bad_value", "bad number in column 'value': '%' is not a number"},
      {"a,2016-04,inf,2,3", 3, "data.bad_value",
       "bad number in column 'value': 'inf' is not a number"},
      {"a,2016-04,1,\"1,23\",3", 4, "data.bad_value",
       "bad number in column 'numerator': '1,23' is not a number"},
      {"a,2016-04,1,2,\"12,3456\"", 5, "data.bad_value",
       "bad number in column 'denominator': '12,3456' is not a number"},
      {"a,2016-04,1,2,\",123\"", 5, "data.bad_value",
       "bad number in column 'denominator': ',123' is not a number"},
      {"a,2016-13,1,2,3", 2, "data.bad_period",
       std::string("bad period in column 'period': '2016-13' is not a period; ") + kPeriodForms},
      {"a,April 2016,1,2,3", 2, "data.bad_period",
       std::string("bad period in column 'period': 'April 2016' is not a period; ") + kPeriodForms},
      {"a,2016-04,1,2", 5, "data.bad_csv", "row has 4 fields but the header has 5"},
      {"a,2016-04,1,2,3,4", 6, "data.bad_csv", "row has 6 fields but the header has 5"},
      {"a,\"2016-04,1,2,3", 2, "data.bad_csv",
       "unterminated quoted field: the quote opening field 2 is never closed"},
      {"a,\"2016-04\"x,1,2,3", 2, "data.bad_csv",
       "unexpected text after the closing quote of field 2 (a quote inside a quoted field must "
       "be doubled)"},
      {"a, ,1,2,3", 2, "data.missing_period", "blank period in column 'period'"},
      {",2016-04,1,2,3", 1, "data.missing_key", "blank series key in column 'indicator_id'"},
      // What a reader cannot see is shown: a no-break space after the number.
      {"a,2016-04,9\xC2\xA0,2,3", 3, "data.bad_value",
       "bad number in column 'value': '9\\u00a0' is not a number"},
      {"a,2016-04,\"1\x1B[2J\",2,3", 3, "data.bad_value",
       "bad number in column 'value': '1\\u001b[2J' is not a number"},
      // A Windows-1252 pound sign in a UTF-8 file: the row is refused, located.
      {"a,2016-04,\xA3" "5,2,3", 3, "data.bad_encoding",
       "field 3 is not valid UTF-8 (byte 1 of the field); if the file comes from Excel, set "
       "encoding = \"windows-1252\" in the source, or save it as \"CSV UTF-8\""},
      {"a\xFF,2016-04,1,2,3", 1, "data.bad_encoding",
       "field 1 is not valid UTF-8 (byte 2 of the field); if the file comes from Excel, set "
       "encoding = \"windows-1252\" in the source, or save it as \"CSV UTF-8\""},
  };
  for (const Case& c : cases) {
    INFO(c.row);
    Run run = run_csv(std::string("indicator_id,period,value,numerator,denominator\n"
                                  "a,2016-03,1,2,3\n") +
                      c.row + "\n");
    CHECK(run.status.code() == StatusCode::kParseError);
    CHECK(run.status.message() ==
          "csv: 1 error in the data of source 'src'; the first: " + run.file +
              ":3:" + std::to_string(c.column) + ": " + c.message);
    CHECK(run.out.diagnostics ==
          std::vector<Diagnostic>{error_at(run.file, 3, c.column, c.code, c.message)});
    CHECK(run.out.series.empty());
  }
}

TEST_CASE("every bad row is reported, not only the first", "[plugin][csv]") {
  Run run = run_csv(
      "indicator_id,period,value\n"
      "a,2016-03,1\n"
      "a,2016-04,n/a\n"
      "a,2016-05,3\n"
      "a,2016-13,x\n"  // two problems on one row
      "b,2016-03,1,9\n"
      "b,2016-04,4\n");
  CHECK(run.status.code() == StatusCode::kParseError);
  CHECK(run.status.message() ==
        "csv: 4 errors in the data of source 'src'; the first: " + run.file +
            ":3:3: bad number in column 'value': 'n/a' is not a number");
  CHECK(run.out.diagnostics ==
        std::vector<Diagnostic>{
            error_at(run.file, 3, 3, "data.bad_value",
                     "bad number in column 'value': 'n/a' is not a number"),
            error_at(run.file, 5, 3, "data.bad_value",
                     "bad number in column 'value': 'x' is not a number"),
            error_at(run.file, 5, 2, "data.bad_period",
                     std::string("bad period in column 'period': '2016-13' is not a period; ") +
                         kPeriodForms),
            error_at(run.file, 6, 4, "data.bad_csv", "row has 4 fields but the header has 3")});
  CHECK(run.out.series.empty());
}

TEST_CASE("rows are counted as a spreadsheet shows them", "[plugin][csv]") {
  // A quoted line break stays within its row; a blank line is a row.
  Run run = run_csv(
      "indicator_id,title,period,value\r\n"
      "a,\"one\r\ntwo\r\nthree\",2016-03,1\r\n"
      "\r\n"
      "a,t,2016-04,oops\r\n");
  CHECK(run.out.diagnostics ==
        std::vector<Diagnostic>{error_at(run.file, 4, 4, "data.bad_value",
                                         "bad number in column 'value': 'oops' is not a number")});
}

TEST_CASE("more than 100 problems are summarised in one line", "[plugin][csv]") {
  std::string content = "indicator_id,period,value\n";
  for (int i = 0; i < 150; ++i) content += "a,2016-03,bad\n";
  Run run = run_csv(content);
  CHECK(run.status.code() == StatusCode::kParseError);
  REQUIRE(run.out.diagnostics.size() == 101);
  CHECK(run.out.diagnostics[99] == error_at(run.file, 101, 3, "data.bad_value",
                                            "bad number in column 'value': 'bad' is not a number"));
  Diagnostic summary = Diagnostic::make(Severity::kNote, "data.too_many_problems",
                                        "... and 50 more problems in this file, not listed",
                                        SourceLocation{run.file, 0, 0});
  CHECK(run.out.diagnostics[100] == summary);
}

TEST_CASE("a series and period given twice is an error naming both rows", "[plugin][csv]") {
  Run run = run_csv(
      "indicator_id,period,value\n"
      "a,2016-03,1\n"
      "b,2016-03,1\n"
      "a,2016-03,2\n"
      "a,2016-04,1\n"
      "a, 2016-03 ,3\n");
  CHECK(run.status.code() == StatusCode::kParseError);
  CHECK(run.out.diagnostics ==
        std::vector<Diagnostic>{
            error_at(run.file, 4, 2, "data.duplicate_row",
                     "duplicate row: series 'a' already has period '2016-03' on row 2"),
            error_at(run.file, 6, 2, "data.duplicate_row",
                     "duplicate row: series 'a' already has period '2016-03' on row 2")});
  CHECK(run.out.series.empty());
}

TEST_CASE("interleaved rows are gathered into their series", "[plugin][csv]") {
  Run run = run_csv(
      "indicator_id,period,value\n"
      "a,2016-03,1\n"
      "b,2016-03,10\n"
      "a,2016-04,2\n"
      "b,2016-04,20\n");
  REQUIRE(run.status.is_ok());
  REQUIRE(run.out.series.size() == 2);
  CHECK(run.out.series[0].observations ==
        std::vector<Observation>{obs("2016-03", 1), obs("2016-04", 2)});
  CHECK(run.out.series[1].observations ==
        std::vector<Observation>{obs("2016-03", 10), obs("2016-04", 20)});
}

TEST_CASE("column names can be set and a file can hold one named series", "[plugin][csv]") {
  Run run = run_csv(
      "Month,Result,Notes,Goal\n"
      "2016-03,1.5,first,1.5\n"
      "2016-04,2.9,,1.5\n",
      {{"series", "dtoc_social_care_per_100k"},
       {"period_column", "month"},
       {"value_column", "RESULT"},
       {"target_column", "goal"}});
  REQUIRE(run.status.is_ok());
  REQUIRE(run.out.series.size() == 1);
  CHECK(run.out.series[0].key == "dtoc_social_care_per_100k");
  CHECK(run.out.series[0].observations ==
        std::vector<Observation>{obs("2016-03", 1.5, std::nullopt, std::nullopt, 1.5),
                                 obs("2016-04", 2.9, std::nullopt, std::nullopt, 1.5)});

  Run keyed = run_csv("code,period,value\nx,2017,1\n", {{"series_column", "code"}});
  REQUIRE(keyed.status.is_ok());
  CHECK(keyed.out.series[0].key == "x");
}

TEST_CASE("missing or doubled columns are reported against the header", "[plugin][csv]") {
  SECTION("no series column") {
    Run run = run_csv("period,value\n2016-03,1\n");
    CHECK(run.status.code() == StatusCode::kParseError);
    CHECK(run.out.diagnostics ==
          std::vector<Diagnostic>{error_at(
              run.file, 1, 0, "data.missing_column",
              "no column named 'indicator_id' in the header (columns: period, value); set "
              "series_column to the column holding the series key, or series to name the one "
              "series this file holds")});
  }
  SECTION("a column named in the settings") {
    Run run = run_csv("indicator_id,period,value\na,2016-03,1\n", {{"numerator_column", "num"}});
    CHECK(run.out.diagnostics ==
          std::vector<Diagnostic>{error_at(
              run.file, 1, 0, "data.missing_column",
              "no column named 'num' in the header (columns: indicator_id, period, value); set "
              "numerator_column to the column's name")});
  }
  SECTION("a doubled column") {
    Run run = run_csv("indicator_id,value,period,Value\na,1,2016-03,2\n");
    CHECK(run.out.diagnostics ==
          std::vector<Diagnostic>{error_at(run.file, 1, 4, "data.bad_header",
                                           "column 'value' appears twice in the header (columns "
                                           "2 and 4)")});
  }
  SECTION("an empty file") {
    for (const char* content : {"", "\xEF\xBB\xBF", "\n\n"}) {
      Run run = run_csv(content);
      CHECK(run.out.diagnostics ==
            std::vector<Diagnostic>{error_at(run.file, 1, 0, "data.bad_csv",
                                             "the file is empty: expected a header row naming "
                                             "the columns")});
    }
  }
  SECTION("a header only") {
    Run run = run_csv("indicator_id,period,value\n");
    CHECK(run.status.is_ok());
    CHECK(run.out.series.empty());
  }
}

TEST_CASE("creating a csv source checks its settings and file", "[plugin][csv]") {
  TempDir dir;
  fs::create_directory(dir.path() / "sub");
  auto attempt = [&](std::map<std::string, std::string> settings) {
    auto source = registry().create_source(make_source("csv", std::move(settings), dir.path()));
    REQUIRE_FALSE(source.ok());
    CHECK(source.status().code() == StatusCode::kPluginError);
    return source.status().message();
  };
  CHECK(attempt({{"path", "missing.csv"}}) ==
        "csv: file not found: " + (dir.path() / "missing.csv").string());
  CHECK(attempt({{"path", "/no/such/dir/y.csv"}}) ==
        "csv: setting 'path' ('/no/such/dir/y.csv') leads to /no/such/dir/y.csv, outside the "
        "catalogue folder " + dir.path().string() +
            "; list the file's folder in [catalogue] data_dirs to let sources read it");
  CHECK(attempt({}) == "csv: source 'src' is missing required setting 'path'");
  CHECK(attempt({{"path", ""}}) == "csv: setting 'path' is empty");
  CHECK(attempt({{"path", "sub"}}) ==
        "csv: " + (dir.path() / "sub").string() + " is a directory, not a file");
  dir.write("x.csv", "indicator_id,period,value\n");
  CHECK(attempt({{"path", "x.csv"}, {"series", ""}}) == "csv: setting 'series' is empty");
  CHECK(attempt({{"path", "x.csv"}, {"value_column", ""}}) ==
        "csv: setting 'value_column' is empty");
}

// Issue 12, case 7: a source path out of the catalogue folder was read, and
// its first line echoed in a diagnostic.
TEST_CASE("a csv source reads files inside the catalogue folder and data_dirs only",
          "[plugin][csv]") {
  TempDir outside;
  outside.write("secret.csv", "root:$6$salt$hash:19000:0:99999:7:::\n");
  TempDir dir;
  dir.write("data/in.csv", "indicator_id,period,value\na,2017-03,1\n");
  const fs::path catalogue = dir.path();
  const std::string secret = (fs::canonical(outside.path()) / "secret.csv").string();
  auto create = [&](const std::string& path, std::vector<fs::path> data_dirs = {}) {
    auto def = make_source("csv", {{"path", path}}, catalogue);
    def.data_dirs = std::move(data_dirs);
    return registry().create_source(def);
  };
  const std::string refusal =
      "; list the file's folder in [catalogue] data_dirs to let sources read it";

  SECTION("a relative path climbing out") {
    const std::string climb = (fs::path("..") / outside.path().filename() / "secret.csv").string();
    auto source = create(climb);
    REQUIRE_FALSE(source.ok());
    CHECK(source.status().message() == "csv: setting 'path' ('" + climb + "') leads to " + secret +
                                           ", outside the catalogue folder " + catalogue.string() +
                                           refusal);
    CHECK(source.status().message().find("root:") == std::string::npos);
  }
  SECTION("a symbolic link inside pointing outside") {
    fs::create_symlink(outside.path() / "secret.csv", dir.path() / "data" / "link.csv");
    auto source = create("data/link.csv");
    REQUIRE_FALSE(source.ok());
    CHECK(source.status().message() == "csv: setting 'path' ('data/link.csv') leads to " + secret +
                                           ", outside the catalogue folder " + catalogue.string() +
                                           refusal);
  }
  SECTION("a linked folder inside pointing outside") {
    fs::create_directory_symlink(outside.path(), dir.path() / "exports");
    auto source = create("exports/secret.csv");
    REQUIRE_FALSE(source.ok());
    CHECK(source.status().message().find("leads to " + secret + ", outside") != std::string::npos);
  }
  SECTION("a symbolic link inside pointing inside is followed") {
    fs::create_symlink(dir.path() / "data" / "in.csv", dir.path() / "data" / "latest.csv");
    auto source = create("data/latest.csv");
    REQUIRE(source.ok());
    FetchOutput out;
    REQUIRE((*source)->fetch(out).is_ok());
    CHECK(out.series.size() == 1);
  }
  SECTION("a folder listed in data_dirs may be read, by absolute or relative path") {
    auto absolute = create(secret, {fs::canonical(outside.path())});
    CHECK(absolute.ok());
    const std::string climb = (fs::path("..") / outside.path().filename() / "secret.csv").string();
    auto relative = create(climb, {fs::canonical(outside.path())});
    CHECK(relative.ok());
    auto listed_elsewhere = create(secret, {fs::canonical(dir.path() / "data")});
    REQUIRE_FALSE(listed_elsewhere.ok());
    CHECK(listed_elsewhere.status().message() ==
          "csv: setting 'path' ('" + secret + "') leads to " + secret +
              ", outside the catalogue folder " + catalogue.string() +
              " and the folders in [catalogue] data_dirs" + refusal);
  }
}

TEST_CASE("a csv message quotes at most 40 characters of a cell, control bytes escaped",
          "[plugin][csv]") {
  const std::string long_cell(300, '9');
  Run run = run_csv("indicator_id,period,value\na,2017-03,x" + long_cell + "\nb,2017-03,\x1b[31m\n");
  REQUIRE_FALSE(run.status.is_ok());
  REQUIRE(run.out.diagnostics.size() == 2);
  CHECK(run.out.diagnostics[0].message ==
        "bad number in column 'value': 'x" + std::string(39, '9') + "...' is not a number");
  CHECK(run.out.diagnostics[1].message ==
        "bad number in column 'value': '\\u001b[31m' is not a number");
  // The header of a file that is not what was expected is quoted the same way.
  Run other = run_csv("root:$6$salt$" + std::string(100, 'h') + ":19000:0:99999:7:::\n");
  REQUIRE_FALSE(other.status.is_ok());
  REQUIRE_FALSE(other.out.diagnostics.empty());
  CHECK(other.out.diagnostics[0].message.find("(columns: root:$6$salt$" + std::string(27, 'h') +
                                              "...)") != std::string::npos);
}

TEST_CASE("an unknown csv setting is an error with a suggestion, not ignored", "[plugin][csv]") {
  TempDir dir;
  dir.write("x.csv", "indicator_id,period,value\na,2016-03,1\n");
  auto source = registry().create_source(
      make_source("csv", {{"path", "x.csv"}, {"pth", "typo"}}, dir.path()));
  REQUIRE_FALSE(source.ok());
  CHECK(source.status().message() ==
        "csv: unknown setting 'pth' for source 'src'; did you mean 'path'?");
}

TEST_CASE("a Windows-1252 file is converted to UTF-8 as it is read", "[plugin][csv]") {
  // Excel's "CSV" on Windows: a pound sign, curly quotes, a euro sign and an
  // e acute are single bytes, and 0x80-0x9F are not Latin-1's controls.
  const std::string content =
      "indicator_id,period,value\n"
      "caf\xE9_\x80,2016-03,1\n"
      "\x93quoted\x94 \xA3,2016-03,2\n";
  for (const char* name : {"windows-1252", "Windows-1252", "cp1252", "latin-1", "ISO-8859-1"}) {
    INFO(name);
    Run run = run_csv(content, {{"encoding", name}});
    REQUIRE(run.status.is_ok());
    CHECK(run.out.diagnostics.empty());
    REQUIRE(run.out.series.size() == 2);
    CHECK(run.out.series[0].key == "café_€");
    CHECK(run.out.series[1].key == "“quoted” £");
  }
  Run utf8 = run_csv("\xEF\xBB\xBFindicator_id,period,value\ncafé,2016-03,1\n",
                     {{"encoding", "utf-8"}});
  REQUIRE(utf8.status.is_ok());
  CHECK(utf8.out.series[0].key == "café");
}

TEST_CASE("a large Windows-1252 file converts across buffer boundaries", "[plugin][csv]") {
  std::string content = "indicator_id,period,value\n";
  const int rows = 60000;  // about 2 MB after conversion: several refills
  for (int i = 0; i < rows; ++i) {
    content += "s\xE9ries_" + std::to_string(i % 7) + "," + std::to_string(1000 + i / 7) + ",1\n";
  }
  Run run = run_csv(content, {{"encoding", "windows-1252"}});
  // Each row is a year of one of seven series.
  REQUIRE(run.status.is_ok());
  REQUIRE(run.out.series.size() == 7);
  CHECK(run.out.series[0].key == "séries_0");
  std::size_t points = 0;
  for (const auto& series : run.out.series) points += series.observations.size();
  CHECK(points == static_cast<std::size_t>(rows));
}

TEST_CASE("the encoding setting names a known encoding, and a BOM means UTF-8",
          "[plugin][csv]") {
  TempDir dir;
  dir.write("x.csv", "indicator_id,period,value\n");
  auto source = registry().create_source(
      make_source("csv", {{"path", "x.csv"}, {"encoding", "utf-16"}}, dir.path()));
  REQUIRE_FALSE(source.ok());
  CHECK(source.status().message() ==
        "csv: setting 'encoding' is 'utf-16'; expected utf-8 (the default), windows-1252 or "
        "latin-1");
  Run bom = run_csv("\xEF\xBB\xBFindicator_id,period,value\na,2016-03,1\n",
                    {{"encoding", "windows-1252"}});
  CHECK_FALSE(bom.status.is_ok());
  CHECK(bom.status.message().find("the file starts with a UTF-8 byte order mark, so it is UTF-8, "
                                  "not Windows-1252: remove the source's encoding setting") !=
        std::string::npos);
}

TEST_CASE("describe lists a csv file's series in order of appearance", "[plugin][csv]") {
  const fs::path data = fs::path(VITALS_SOURCE_DIR) / "tests/plugin/data";
  auto source = registry().create_source(
      make_source("csv", {{"path", "norfolk_asc_dashboard_2016_17.csv"}}, data));
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

TEST_CASE("a large file streams across buffer boundaries", "[plugin][csv]") {
  // Rows of varying length with quoted commas, escaped quotes and CRLF, so
  // that records, quotes and line breaks straddle the reader's 1 MiB chunks;
  // and one cell larger than a chunk.
  std::string content = "indicator_id,title,period,value,numerator\r\n";
  const int kRows = 60000;
  double expected_sum = 0;
  for (int i = 0; i < kRows; ++i) {
    int m = i % 120;
    char period[16];
    std::snprintf(period, sizeof period, "%04d-%02d", 2000 + m / 12, m % 12 + 1);
    double value = i + 0.25;
    expected_sum += value;
    content += "s" + std::to_string(i / 120) + ",\"t, \"\"" + std::string(i % 37, 'x') + "\"\"\"," +
               period + "," + std::to_string(value) + ",\"" + (i % 2 == 0 ? "1,234" : "77") +
               "\"\r\n";
    if (i == kRows / 2) {
      content += "big,\"" + std::string(3 << 20, 'y') + "\"\"z\",2001-01,1,2\r\n";
      expected_sum += 1;
    }
  }
  Run run = run_csv(content);
  REQUIRE(run.status.is_ok());
  CHECK(run.out.diagnostics.empty());
  REQUIRE(run.out.series.size() == kRows / 120 + 1);
  std::size_t count = 0;
  std::size_t with_numerator = 0;
  double sum = 0;
  for (const auto& s : run.out.series) {
    for (const auto& o : s.observations) {
      ++count;
      sum += o.value.value_or(0);
      with_numerator += o.numerator.has_value() ? 1 : 0;
    }
  }
  CHECK(count == kRows + 1);
  CHECK(with_numerator == count);
  CHECK(sum == Approx(expected_sum));
  CHECK(run.out.series[0].observations[1] == obs("2000-02", 1.25, 77));
  CHECK(run.out.series[0].observations[2] == obs("2000-03", 2.25, 1234));
}

TEST_CASE("the encoding example in the csv README reads a Windows-1252 file", "[plugin][csv][docs]") {
  std::ifstream in(fs::path(VITALS_SOURCE_DIR) / "plugins/csv_source/README.md");
  std::string line;
  std::map<std::string, std::string> settings;
  bool in_example = false;
  std::vector<std::string> block;
  while (std::getline(in, line)) {
    if (line == "```toml") {
      block.clear();
      in_example = true;
    } else if (line == "```" && in_example) {
      in_example = false;
      if (std::find(block.begin(), block.end(), "encoding = \"windows-1252\"") != block.end()) break;
      block.clear();
    } else if (in_example) {
      block.push_back(line);
    }
  }
  REQUIRE_FALSE(block.empty());
  for (const std::string& l : block) {
    const auto eq = l.find(" = \"");
    if (eq == std::string::npos) continue;
    settings[l.substr(0, eq)] = l.substr(eq + 4, l.size() - eq - 5);
  }
  CHECK(settings.at("plugin") == "csv");
  settings.erase("plugin");
  settings.erase("path");  // run_csv names its own file
  Run run = run_csv("indicator_id,period,value\ncost_\xA3,2016-03,1\n", settings);
  REQUIRE(run.status.is_ok());
  REQUIRE(run.out.series.size() == 1);
  CHECK(run.out.series[0].key == "cost_£");
}
