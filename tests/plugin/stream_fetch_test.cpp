// SPDX-License-Identifier: Apache-2.0
// Streamed fetches (DataSource::fetch_streamed): series arrive in batches.
#include "catch.hpp"
#include "plugin/plugin_registry.hpp"
#include "plugin/source_handle.hpp"
#include "plugin_test_support.hpp"
#include "support/temp_dir.hpp"

#include <vitals/observation.hpp>
#include <vitals/period.hpp>

#include <map>
#include <memory>
#include <string>
#include <vector>

using vitals::Diagnostic;
using vitals::Series;
using vitals::Severity;
using vitals::SourceLocation;
using vitals::Status;
using vitals::StatusCode;
using vitals::detail::DataSource;
using vitals::detail::FetchOutput;
using vitals::detail::PluginRegistry;
using vitals::detail::SeriesBatchWriter;
using vitals::testing::fixture_plugin;
using vitals::testing::make_source;
using vitals::testing::obs;
using vitals::testing::TempDir;

namespace {

std::unique_ptr<PluginRegistry> registry_with(const std::filesystem::path& plugin) {
  auto registry = std::make_unique<PluginRegistry>(vitals::detail::null_logger());
  std::vector<Diagnostic> diagnostics;
  REQUIRE(registry->load_file(plugin, true, diagnostics).is_ok());
  return registry;
}

// Series carry no operator== of their own.
bool same(const std::vector<Series>& a, const std::vector<Series>& b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (a[i].key != b[i].key || a[i].observations != b[i].observations) return false;
  }
  return true;
}

// Every batch a streamed fetch wrote, as it wrote them.
struct Streamed {
  Status status;
  FetchOutput out;
  std::vector<std::vector<Series>> batches;
  std::string file;
};

Streamed stream_csv(const std::string& content, std::size_t batch_points,
                    Status fail_at_batch_2 = Status::ok()) {
  static auto registry = registry_with(vitals::testing::csv_plugin());
  TempDir dir;
  dir.write("data.csv", content);
  auto source = registry->create_source(make_source("csv", {{"path", "data.csv"}}, dir.path()));
  REQUIRE(source.ok());
  Streamed run;
  run.file = (dir.path() / "data.csv").string();
  SeriesBatchWriter write = [&](std::vector<Series>&& batch) {
    run.batches.push_back(std::move(batch));
    return run.batches.size() == 2 ? fail_at_batch_2 : Status::ok();
  };
  run.status = (*source)->fetch_streamed(run.out, write, batch_points);
  return run;
}

const std::string kThreeSeries =
    "indicator_id,period,value\n"
    "a,2016-03,1\n"
    "a,2016-04,2\n"
    "a,2016-05,3\n"
    "b,2016-03,10\n"
    "a,2016-06,4\n"
    "c,2016-03,100\n";

}  // namespace

TEST_CASE("a streamed fetch delivers series in batches, a series continuing in the next",
          "[plugin][stream]") {
  Streamed run = stream_csv(kThreeSeries, 2);
  REQUIRE(run.status.is_ok());
  CHECK(run.out.series.empty());
  CHECK(run.out.series_count == 3);
  REQUIRE(run.batches.size() == 3);
  CHECK(same(run.batches[0], std::vector<Series>{{"a", {obs("2016-03", 1), obs("2016-04", 2)}}}));
  CHECK(same(run.batches[1],
             std::vector<Series>{{"a", {obs("2016-05", 3)}}, {"b", {obs("2016-03", 10)}}}));
  CHECK(same(run.batches[2],
             std::vector<Series>{{"a", {obs("2016-06", 4)}}, {"c", {obs("2016-03", 100)}}}));
}

TEST_CASE("a bad row after some batches fails the streamed fetch, naming file, row and column",
          "[plugin][stream]") {
  Streamed run = stream_csv(kThreeSeries + "c,2016-04,lots\n", 2);
  CHECK(run.status.code() == StatusCode::kParseError);
  CHECK(run.status.message() == "csv: 1 error in the data of source 'src'; the first: " + run.file +
                                    ":8:3: bad number in column 'value': 'lots' is not "
                                    "a number");
  CHECK(run.status.location() == SourceLocation{run.file, 8, 3});
  CHECK(run.batches.size() == 3);  // written before the bad row: the caller discards them
}

TEST_CASE("a repeated row found at the end of the file fails the streamed fetch",
          "[plugin][stream]") {
  Streamed run = stream_csv(kThreeSeries + "a,2016-04,9\n", 100);
  CHECK(run.status.code() == StatusCode::kParseError);
  CHECK(run.out.diagnostics == std::vector<Diagnostic>{Diagnostic::make(
                                   Severity::kError, "data.duplicate_row",
                                   "duplicate row: series 'a' already has period '2016-04' on "
                                   "row 3",
                                   SourceLocation{run.file, 8, 2})});
  CHECK(run.batches.empty());  // the repeat stopped the batches
}

TEST_CASE("a failing batch writer stops the streamed fetch with its own status",
          "[plugin][stream]") {
  Status full(StatusCode::kStoreError, "store 'x.db': database or disk is full");
  Streamed run = stream_csv(kThreeSeries, 1, full);
  CHECK(run.status.code() == StatusCode::kStoreError);
  CHECK(run.status.message() == full.message());
  CHECK(run.batches.size() == 2);  // nothing after the failure
}

TEST_CASE("the host's check for a period twice in a series holds for streamed fetches",
          "[plugin][stream]") {
  auto registry = registry_with(fixture_plugin("good"));
  auto source = registry->create_source(make_source("good", {{"mode", "duplicate_period"}}));
  REQUIRE(source.ok());
  FetchOutput out;
  std::size_t batches = 0;
  Status status = (*source)->fetch_streamed(
      out, [&](std::vector<Series>&&) { return ++batches, Status::ok(); }, 1);
  CHECK(status.code() == StatusCode::kParseError);
  CHECK(status.message() ==
        "good: 1 error in the data of source 'src'; the first: source 'src': series 'alpha' has "
        "more than one observation for period 2017-01");
  CHECK(out.diagnostics == std::vector<Diagnostic>{Diagnostic::make(
                               Severity::kError, "data.duplicate_period",
                               "source 'src': series 'alpha' has more than one observation "
                               "for period 2017-01")});
}

TEST_CASE("a source without streaming support is fetched whole, then written in batches",
          "[plugin][stream]") {
  class Fixed final : public DataSource {
   public:
    Status fetch(FetchOutput& out) override {
      out.series = {{"a", {obs("2016-03", 1), obs("2016-04", 2), obs("2016-05", 3)}},
                    {"b", {}},
                    {"c", {obs("2016-03", 5)}}};
      return Status::ok();
    }
  };
  Fixed source;
  FetchOutput out;
  std::vector<std::vector<Series>> batches;
  Status status = source.fetch_streamed(
      out,
      [&](std::vector<Series>&& batch) {
        batches.push_back(std::move(batch));
        return Status::ok();
      },
      2);
  REQUIRE(status.is_ok());
  CHECK(out.series_count == 3);
  REQUIRE(batches.size() == 2);
  CHECK(same(batches[0], std::vector<Series>{{"a", {obs("2016-03", 1), obs("2016-04", 2)}}}));
  CHECK(same(batches[1], std::vector<Series>{
                             {"a", {obs("2016-05", 3)}}, {"b", {}}, {"c", {obs("2016-03", 5)}}}));
}
