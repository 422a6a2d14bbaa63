// SPDX-License-Identifier: Apache-2.0
// A run says when it is incomplete: a source that could not be read, a rule
// that failed, data under a series the catalogue does not know, periods of
// the wrong frequency.
#include "catch.hpp"
#include "engine/engine_test_support.hpp"
#include "support/temp_dir.hpp"

#include <vitals/engine.hpp>

#include <algorithm>
#include <string>

using namespace vitals;
using vitals::testing::TempDir;

namespace {

constexpr const char* kIndicators = R"([[indicator]]
id = "flat_breaks"
title = "Flat breaks"
polarity = "smaller"
unit = "number"
frequency = "monthly"
target = 10
source = "dashboard"

[[indicator]]
id = "visits"
title = "Visits"
polarity = "bigger"
unit = "number"
frequency = "quarterly"
target = 3
source = "dashboard"
)";

// The catalogue.toml whose one source reads `path`.
std::string catalogue_toml(const std::string& path) {
  return "[catalogue]\nname = \"Test\"\ncommittee = \"Test Committee\"\nrule_dirs = [\"" +
         std::string(VITALS_SOURCE_DIR) + "/rules/council\"]\n\n[sources.dashboard]\nplugin = \"csv\"\npath = \"" +
         path + "\"\n";
}

// A catalogue of two indicators read from data/dashboard.csv holding `csv`.
Engine open_catalogue(TempDir& dir, const std::string& csv, const std::string& path = "data/dashboard.csv") {
  dir.write("cat/catalogue.toml", catalogue_toml(path));
  dir.write("cat/indicators/i.toml", kIndicators);
  dir.write("cat/data/dashboard.csv", csv);
  Engine engine = vitals::testing::open_with_plugins(dir.path(), 1);
  REQUIRE(engine.load_catalogue(dir / "cat").is_ok());
  return engine;
}

const std::string kGoodCsv =
    "indicator_id,period,value\n"
    "flat_breaks,2017-01,8\nflat_breaks,2017-02,9\nflat_breaks,2017-03,7\n"
    "visits,2016-Q4,4\nvisits,2017-Q1,5\n";

EvaluationReport evaluate(Engine& engine) {
  auto ingested = engine.ingest();
  REQUIRE(ingested.ok());
  auto report = engine.evaluate(Period::month(2017, 3));
  REQUIRE(report.ok());
  return std::move(*report);
}

using vitals::testing::result_of;

const Diagnostic* find_code(const std::vector<Diagnostic>& diagnostics, const std::string& code) {
  auto it = std::find_if(diagnostics.begin(), diagnostics.end(),
                         [&](const Diagnostic& d) { return d.code == code; });
  return it == diagnostics.end() ? nullptr : &*it;
}

}  // namespace

TEST_CASE("a run that read every source and evaluated every indicator is complete",
          "[engine][completeness]") {
  TempDir dir;
  Engine engine = open_catalogue(dir, kGoodCsv);
  EvaluationReport report = evaluate(engine);
  for (const Diagnostic& d : report.diagnostics) INFO(d.to_string());
  CHECK(report.complete());
  CHECK(report.incomplete.empty());
  for (const IndicatorResult& r : report.indicators) CHECK(r.incomplete.empty());
}

TEST_CASE("a source that cannot be read makes the run incomplete, not late",
          "[engine][completeness]") {
  TempDir dir;
  Engine engine = open_catalogue(dir, kGoodCsv, "data/dashbord.csv");
  auto ingested = engine.ingest();
  REQUIRE(ingested.ok());
  REQUIRE(ingested->failed.size() == 1);
  CHECK(ingested->failed[0].source == "dashboard");
  auto report = engine.evaluate(Period::month(2017, 3));
  REQUIRE(report.ok());

  CHECK_FALSE(report->complete());
  REQUIRE(report->incomplete.size() == 1);
  const IncompleteReason& reason = report->incomplete[0];
  CHECK(reason.kind == IncompleteReason::Kind::kSourceFailed);
  CHECK(std::string(incomplete_kind_name(reason.kind)) == "source_failed");
  CHECK(reason.source == "dashboard");
  CHECK(reason.indicators == std::vector<std::string>{"flat_breaks", "visits"});
  CHECK(reason.message.find("Source 'dashboard' could not be read, so 2 indicators have no result") == 0);
  CHECK(reason.message.find("dashbord.csv") != std::string::npos);
  CHECK(result_of(*report, "flat_breaks").incomplete == std::vector<std::string>{"source 'dashboard' failed"});
  // Not merely late: the indicators are listed as without a result instead.
  CHECK(report->late_data().empty());
}

TEST_CASE("a run without an ingest of its own knows which sources failed at the last ingest",
          "[engine][completeness]") {
  TempDir dir;
  {
    // The good file is ingested first: the store has every figure.
    Engine engine = open_catalogue(dir, kGoodCsv);
    REQUIRE(evaluate(engine).complete());
  }
  {
    // Then the monthly ingest fails (a misspelt path); the history stays.
    dir.write("cat/catalogue.toml", catalogue_toml("data/dashbord.csv"));
    Engine engine = vitals::testing::open_with_plugins(dir.path(), 1);
    REQUIRE(engine.load_catalogue(dir / "cat").is_ok());
    auto ingested = engine.ingest();
    REQUIRE(ingested.ok());
    REQUIRE(ingested->failed.size() == 1);
  }
  // A later process evaluates without ingesting (vitals evaluate --no-ingest):
  // the stored figures are those of before the failure, so the run says so.
  Engine later = vitals::testing::open_with_plugins(dir.path(), 1);
  REQUIRE(later.load_catalogue(dir / "cat").is_ok());
  auto report = later.evaluate(Period::month(2017, 3));
  REQUIRE(report.ok());
  CHECK_FALSE(report->complete());
  REQUIRE(report->incomplete.size() == 1);
  CHECK(report->incomplete[0].kind == IncompleteReason::Kind::kSourceFailed);
  CHECK(report->incomplete[0].source == "dashboard");
  CHECK(report->incomplete[0].message.find("dashbord.csv") != std::string::npos);
  CHECK(report->incomplete[0].message.find("at the last ingest") != std::string::npos);
  CHECK(result_of(*report, "flat_breaks").incomplete == std::vector<std::string>{"source 'dashboard' failed"});

  // Once the source is read again, the failure no longer stands.
  dir.write("cat/catalogue.toml", catalogue_toml("data/dashboard.csv"));
  {
    Engine engine = vitals::testing::open_with_plugins(dir.path(), 1);
    REQUIRE(engine.load_catalogue(dir / "cat").is_ok());
    auto ingested = engine.ingest();
    REQUIRE(ingested.ok());
    CHECK(ingested->failed.empty());
  }
  Engine after = vitals::testing::open_with_plugins(dir.path(), 1);
  REQUIRE(after.load_catalogue(dir / "cat").is_ok());
  auto repaired = after.evaluate(Period::month(2017, 3));
  REQUIRE(repaired.ok());
  CHECK(repaired->complete());
}

TEST_CASE("a recorded incomplete run reads back incomplete, with its reasons",
          "[engine][completeness]") {
  TempDir dir;
  Engine engine = open_catalogue(dir, kGoodCsv, "data/dashbord.csv");
  REQUIRE(engine.ingest().ok());
  EvaluateOptions options;
  options.record_run = true;
  auto report = engine.evaluate(Period::month(2017, 3), options);
  REQUIRE(report.ok());
  REQUIRE_FALSE(report->complete());
  REQUIRE(report->run_id > 0);

  auto loaded = engine.load_run(report->run_id);
  REQUIRE(loaded.ok());
  CHECK_FALSE(loaded->complete());
  CHECK(loaded->incomplete == report->incomplete);
  for (const IndicatorResult& r : report->indicators) {
    CHECK(result_of(*loaded, r.indicator_id).incomplete == r.incomplete);
  }
  auto runs = engine.runs();
  REQUIRE(runs.ok());
  REQUIRE(runs->size() == 1);
  CHECK_FALSE(runs->front().complete);

  // A complete run of the same catalogue reads back complete.
  TempDir other;
  Engine good = open_catalogue(other, kGoodCsv);
  REQUIRE(good.ingest().ok());
  auto complete = good.evaluate(Period::month(2017, 3), options);
  REQUIRE(complete.ok());
  REQUIRE(complete->complete());
  auto complete_loaded = good.load_run(complete->run_id);
  REQUIRE(complete_loaded.ok());
  CHECK(complete_loaded->complete());
  for (const IndicatorResult& r : complete_loaded->indicators) CHECK(r.incomplete.empty());
  auto good_runs = good.runs();
  REQUIRE(good_runs.ok());
  CHECK(good_runs->front().complete);
}

TEST_CASE("a rule that fails for an indicator makes the run incomplete for it",
          "[engine][completeness]") {
  TempDir dir;
  dir.write("rules/boom.lua",
            "return { id = 'boom', version = '1', description = 'fails for visits',\n"
            "  applies_to = function(indicator) return true end,\n"
            "  evaluate = function(ctx)\n"
            "    if ctx.indicator.id == 'visits' then error('no figures') end\n"
            "    return { status = 'ok', message = 'fine' }\n"
            "  end }\n");
  Engine engine = open_catalogue(dir, kGoodCsv);
  // Load again with a second rule folder.
  std::string text = "[catalogue]\nname = \"Test\"\ncommittee = \"Test Committee\"\nrule_dirs = [\"" +
                     std::string(VITALS_SOURCE_DIR) + "/rules/council\", \"" +
                     (dir / "rules").string() +
                     "\"]\n\n[sources.dashboard]\nplugin = \"csv\"\npath = \"data/dashboard.csv\"\n";
  dir.write("cat/catalogue.toml", text);
  REQUIRE(engine.load_catalogue(dir / "cat").is_ok());
  EvaluationReport report = evaluate(engine);

  CHECK_FALSE(report.complete());
  REQUIRE(report.incomplete.size() == 1);
  CHECK(report.incomplete[0].kind == IncompleteReason::Kind::kRuleFailed);
  CHECK(report.incomplete[0].rule_id == "boom");
  CHECK(report.incomplete[0].indicators == std::vector<std::string>{"visits"});
  CHECK(result_of(report, "visits").incomplete == std::vector<std::string>{"rule 'boom' failed"});
  CHECK(result_of(report, "flat_breaks").incomplete.empty());
}

TEST_CASE("rows under a mis-keyed series id are one located diagnostic with a suggestion",
          "[engine][completeness][unknown_series]") {
  const std::string nbsp = "flat_breaks\xC2\xA0";
  auto [key, shown] = GENERATE_COPY(table<std::string, std::string>(
      {{"Flat_Breaks", "'Flat_Breaks'"}, {nbsp, "'flat_breaks\\u00a0'"}}));
  TempDir dir;
  Engine engine = open_catalogue(dir, "indicator_id,period,value\n" + key + ",2017-01,8\n" + key +
                                          ",2017-02,9\n" + key + ",2017-03,7\n"
                                          "visits,2016-Q4,4\nvisits,2017-Q1,5\n");
  auto ingested = engine.ingest();
  REQUIRE(ingested.ok());
  REQUIRE(ingested->unknown_series.size() == 1);
  CHECK(ingested->unknown_series[0].key == key);
  CHECK(ingested->unknown_series[0].rows == 3);
  CHECK(ingested->unknown_series[0].suggestion == "flat_breaks");
  // One diagnostic for the series, not one per row.
  CHECK(std::count_if(ingested->diagnostics.begin(), ingested->diagnostics.end(),
                      [](const Diagnostic& d) { return d.code == "data.unknown_series"; }) == 1);
  const Diagnostic* d = find_code(ingested->diagnostics, "data.unknown_series");
  REQUIRE(d != nullptr);
  CHECK(d->severity == Severity::kError);
  CHECK(d->message == "source 'dashboard' delivered 3 rows for series " + shown +
                          ", which no indicator of the catalogue reads; did you mean 'flat_breaks'? "
                          "(the rows are stored but not used)");
  REQUIRE(d->location);
  CHECK(d->location->file.find("catalogue.toml") != std::string::npos);

  auto report = engine.evaluate(Period::month(2017, 3));
  REQUIRE(report.ok());
  CHECK_FALSE(report->complete());
  REQUIRE(report->incomplete.size() == 1);
  CHECK(report->incomplete[0].kind == IncompleteReason::Kind::kUnknownSeries);
  CHECK(report->incomplete[0].indicators == std::vector<std::string>{"flat_breaks"});
  CHECK(result_of(*report, "flat_breaks").incomplete ==
        std::vector<std::string>{"its data may be under series " + shown});
  CHECK(result_of(*report, "visits").incomplete.empty());
}

TEST_CASE("a series a source carries on purpose is a warning and leaves the run complete",
          "[engine][completeness][unknown_series]") {
  TempDir dir;
  Engine engine = open_catalogue(dir, kGoodCsv + "population,2017-03,900000\n");
  auto ingested = engine.ingest();
  REQUIRE(ingested.ok());
  const Diagnostic* d = find_code(ingested->diagnostics, "data.unknown_series");
  REQUIRE(d != nullptr);
  CHECK(d->severity == Severity::kWarning);
  CHECK(d->message.find("series 'population'") != std::string::npos);
  auto report = engine.evaluate(Period::month(2017, 3));
  REQUIRE(report.ok());
  CHECK(report->complete());
}

TEST_CASE("quarterly data written as quarter-end months makes the run incomplete",
          "[engine][completeness][frequency]") {
  TempDir dir;
  Engine engine = open_catalogue(
      dir, "indicator_id,period,value\nflat_breaks,2017-03,7\nvisits,2016-12,4\nvisits,2017-03,5\n");
  EvaluationReport report = evaluate(engine);
  const Diagnostic* d = find_code(report.diagnostics, "data.frequency_mismatch");
  REQUIRE(d != nullptr);
  CHECK(d->severity == Severity::kError);
  CHECK(d->indicator_id == "visits");
  REQUIRE(d->location);
  CHECK(d->location->file.find("i.toml") != std::string::npos);
  CHECK(d->message ==
        "2 observation(s) of 'visits' (series 'visits' of source 'dashboard', e.g. 2016-12) are "
        "monthly periods, but 'visits' is quarterly; they were left out, so it has no data; "
        "2016-12 looks like the end month of 2016-Q4: write 2016-Q4, or give the source "
        "period_form = \"quarter_end_month\"");
  CHECK_FALSE(report.complete());
  REQUIRE(report.incomplete.size() == 1);
  CHECK(report.incomplete[0].kind == IncompleteReason::Kind::kNoDataForFrequency);
  CHECK(report.incomplete[0].indicators == std::vector<std::string>{"visits"});
  CHECK(result_of(report, "visits").incomplete == std::vector<std::string>{"its data is not quarterly"});
}

TEST_CASE("rows under a key like no indicator's make the run incomplete when an indicator has none",
          "[engine][completeness][unknown_series]") {
  TempDir dir;
  Engine engine = open_catalogue(
      dir, "indicator_id,period,value\nbreaks_of_flats,2017-03,7\nvisits,2017-Q1,5\n");
  EvaluationReport report = evaluate(engine);
  CHECK_FALSE(report.complete());
  REQUIRE(report.incomplete.size() == 1);
  CHECK(report.incomplete[0].kind == IncompleteReason::Kind::kUnknownSeries);
  CHECK(report.incomplete[0].message ==
        "Source 'dashboard' delivered 1 series no indicator reads ('breaks_of_flats'), while "
        "flat_breaks has no data at all");
  CHECK(result_of(report, "flat_breaks").incomplete ==
        std::vector<std::string>{"its data may be under series 'breaks_of_flats'"});
  CHECK(result_of(report, "visits").incomplete.empty());
}

TEST_CASE("title, polarity and unit columns that contradict the catalogue are located warnings",
          "[engine][metadata]") {
  TempDir dir;
  Engine engine = open_catalogue(
      dir,
      "indicator_id,title,polarity,unit,period,value\n"
      "flat_breaks,  FLAT   breaks ,smaller,number,2017-01,8\n"  // same title, other spacing
      "flat_breaks,Flat breaks,smaller,number,2017-02,9\n"
      "visits,Home visits,bigger,percent,2016-Q4,4\n"
      "visits,Home visits,bigger,percent,2017-Q1,5\n");
  auto ingested = engine.ingest();
  REQUIRE(ingested.ok());
  std::vector<std::string> warnings;
  for (const Diagnostic& d : ingested->diagnostics) {
    INFO(d.to_string());
    CHECK(d.code == "data.metadata_mismatch");
    CHECK(d.severity == Severity::kWarning);
    CHECK(d.indicator_id == "visits");
    REQUIRE(d.location);
    CHECK(d.location->file.find("dashboard.csv") != std::string::npos);
    CHECK(d.location->line == 4);
    warnings.push_back(d.message);
  }
  CHECK(warnings ==
        std::vector<std::string>{
            "source 'dashboard': the title column says 'Home visits' for series 'visits', but the "
            "catalogue's title of 'visits' is 'Visits'; the catalogue's is used",
            "source 'dashboard': the unit column says 'percent' for series 'visits', but the "
            "catalogue's unit of 'visits' is 'number'; the catalogue's is used"});
  // The data is used, and nothing of the kind is stored as a record.
  auto report = engine.evaluate(Period::month(2017, 3));
  REQUIRE(report.ok());
  CHECK(result_of(*report, "visits").latest.has_value());
}
