// SPDX-License-Identifier: Apache-2.0
// Ingest streams a source into the store in batches, in one transaction.
#include "catch.hpp"
#include "engine/engine_test_support.hpp"
#include "store/store_test_support.hpp"
#include "support/temp_dir.hpp"

#include <vitals/engine.hpp>

#include <algorithm>
#include <filesystem>
#include <string>

using namespace vitals;
using vitals::testing::RawDb;
using vitals::testing::TempDir;

namespace {

constexpr int kSeries = 1000;
constexpr int kMonths = 70;  // 70,000 rows: more than one batch reaches the store

// A long CSV; `shift` changes every figure, `last_row` is appended at the end.
std::string national_csv(double shift, const std::string& last_row) {
  std::string csv = "indicator_id,period,value\n";
  for (int s = 0; s < kSeries; ++s) {
    for (int m = 0; m < kMonths; ++m) {
      csv += "i" + std::to_string(s) + "," + Period::month(2015, 4).shifted(m).to_string() + "," +
             std::to_string(s + m + shift) + "\n";
    }
  }
  return csv + last_row;
}

Engine open_engine(TempDir& dir) {
  dir.write("cat/catalogue.toml",
            "[catalogue]\nname = \"Test\"\ncommittee = \"Test Committee\"\nrule_dirs = [\"" +
                std::string(VITALS_SOURCE_DIR) +
                "/rules/council\"]\n\n[sources.national]\nplugin = \"csv\"\npath = "
                "\"data.csv\"\n");
  dir.write("cat/indicators/i.toml",
            "[[indicator]]\nid = \"i0\"\ntitle = \"First\"\npolarity = \"bigger\"\nunit = "
            "\"number\"\nfrequency = \"monthly\"\ntarget = 1\nsource = \"national\"\n");
  Engine engine = vitals::testing::open_with_plugins(dir.path());
  REQUIRE(engine.load_catalogue(dir / "cat").is_ok());
  return engine;
}

// What the store holds, in row order.
std::string store_content(const std::filesystem::path& db) {
  RawDb raw(db);
  return raw.text(
      "SELECT count(*) || ';' || ifnull(max(id), 0) || ';' || total(length(points)) || ';' ||"
      " (SELECT count(*) FROM series) || ';' || (SELECT count(*) FROM observations) || ';' ||"
      " (SELECT group_concat(points) FROM (SELECT points FROM observation_blocks ORDER BY id DESC"
      " LIMIT 20)) FROM observation_blocks");
}

bool has_diagnostic(const IngestSummary& summary, const std::string& code,
                    const std::string& text) {
  return std::any_of(summary.diagnostics.begin(), summary.diagnostics.end(),
                     [&](const Diagnostic& d) {
                       return d.code == code && d.to_string().find(text) != std::string::npos;
                     });
}

// An error diagnostic with exactly this location and message.
bool has_error_at(const IngestSummary& summary, const std::string& code, const std::string& file,
                  int row, int column, const std::string& message) {
  return std::any_of(
      summary.diagnostics.begin(), summary.diagnostics.end(), [&](const Diagnostic& d) {
        return d.severity == Severity::kError && d.code == code && d.location &&
               *d.location == SourceLocation{file, row, column} && d.message == message;
      });
}

}  // namespace

TEST_CASE("a source streamed in many batches is stored whole", "[engine][ingest]") {
  TempDir dir;
  dir.write("cat/data.csv", national_csv(0, ""));
  Engine engine = open_engine(dir);
  auto first = engine.ingest();
  REQUIRE(first.ok());
  // The catalogue reads one of the file's series: the others are stored and
  // reported as warnings, 100 one by one and the rest counted in one more.
  CHECK(first->unknown_series.size() == kSeries - 1);
  CHECK(first->diagnostics.size() == 101);
  CHECK(std::all_of(first->diagnostics.begin(), first->diagnostics.end(), [](const Diagnostic& d) {
    return d.code == "data.unknown_series" && d.severity == Severity::kWarning;
  }));
  CHECK(has_diagnostic(*first, "data.unknown_series",
                       "delivered 70 rows for series 'i1', which no indicator of the catalogue "
                       "reads; did you mean 'i0'?"));
  CHECK(has_diagnostic(*first, "data.unknown_series",
                       "rows for 899 more series no indicator of the catalogue reads"));
  CHECK(first->sources == 1);
  CHECK(first->series == kSeries);
  CHECK(first->inserted == kSeries * kMonths);
  CHECK(RawDb(dir / "vitals.db").integer("SELECT count(*) FROM observations") == kSeries * kMonths);

  // The same file again: nothing new; then every figure changed: all revised.
  auto again = engine.ingest();
  REQUIRE(again.ok());
  CHECK(again->unchanged == kSeries * kMonths);
  dir.write("cat/data.csv", national_csv(0.5, ""));
  auto revised = engine.ingest();
  REQUIRE(revised.ok());
  CHECK(revised->revised == kSeries * kMonths);
  CHECK(RawDb(dir / "vitals.db")
            .integer("SELECT count(*) FROM observations WHERE superseded_at IS NULL") ==
        kSeries * kMonths);
}

TEST_CASE("a source failing after some batches were stored leaves the history unchanged",
          "[engine][ingest]") {
  TempDir dir;
  dir.write("cat/data.csv", national_csv(0, ""));
  Engine engine = open_engine(dir);
  REQUIRE(engine.ingest().ok());
  const std::string before = store_content(dir / "vitals.db");
  const std::string file = (dir / "cat" / "data.csv").string();
  const int last_row = kSeries * kMonths + 2;

  SECTION("a bad number on the last row") {
    dir.write("cat/data.csv", national_csv(0.5, "extra,2016-01,lots\n"));
    auto failed = engine.ingest();
    REQUIRE(failed.ok());
    CHECK(failed->sources == 0);
    CHECK(has_error_at(*failed, "data.bad_value", file, last_row, 3,
                       "bad number in column 'value': 'lots' is not a number"));
    CHECK(has_diagnostic(*failed, "source.rejected", "the stored history is unchanged"));
  }
  SECTION("a repeated row found at the end of the file") {
    dir.write("cat/data.csv", national_csv(0.5, "i3,2015-05,1\n"));
    auto failed = engine.ingest();
    REQUIRE(failed.ok());
    CHECK(failed->sources == 0);
    CHECK(has_error_at(*failed, "data.duplicate_row", file, last_row, 2,
                       "duplicate row: series 'i3' already has period '2015-05' on row " +
                           std::to_string(3 * kMonths + 3)));
  }
  CHECK(store_content(dir / "vitals.db") == before);
  auto report = engine.evaluate(Period::month(2021, 1));
  REQUIRE(report.ok());
  REQUIRE(report->indicators.size() == 1);
  REQUIRE(report->indicators[0].latest);
  CHECK(report->indicators[0].latest->value == 69.0);  // i0's last month, as first stored
}

TEST_CASE("a source failing after some batches were staged leaves an empty store empty",
          "[engine][ingest]") {
  // A first ingest checks and builds the blocks while the file is read; a
  // row refused at the end still stores nothing.
  TempDir dir;
  dir.write("cat/data.csv", national_csv(0, "extra,2016-01,lots\n"));
  Engine engine = open_engine(dir);
  auto failed = engine.ingest();
  REQUIRE(failed.ok());
  CHECK(failed->sources == 0);
  CHECK(has_diagnostic(*failed, "source.rejected", "the stored history is unchanged"));
  {
    RawDb raw(dir / "vitals.db");
    CHECK(raw.integer("SELECT count(*) FROM series") == 0);
    CHECK(raw.integer("SELECT count(*) FROM observation_blocks") == 0);
  }
  dir.write("cat/data.csv", national_csv(0, ""));
  auto stored = engine.ingest();
  REQUIRE(stored.ok());
  CHECK(stored->sources == 1);
  CHECK(stored->inserted == kSeries * kMonths);
  CHECK(RawDb(dir / "vitals.db").integer("SELECT count(*) FROM observations") == kSeries * kMonths);
}
