// SPDX-License-Identifier: Apache-2.0
// The C API as a C, Python or .NET program sees it: only <vitals/vitals.h>,
// linked against libvitals.so.
#include <vitals/vitals.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <memory>
#include <string>

#include "catch.hpp"
#include "support/temp_dir.hpp"

namespace {

const std::string kNorfolk = std::string(VITALS_SOURCE_DIR) + "/examples/norfolk";

// Takes a string the library returned.
std::string take(char* text) {
  std::string out = text ? text : "";
  vitals_free(text);
  return out;
}

struct EngineDeleter {
  void operator()(vitals_engine* e) const { vitals_engine_free(e); }
};
struct ReportDeleter {
  void operator()(vitals_report* r) const { vitals_report_free(r); }
};
struct BatchDeleter {
  void operator()(vitals_batch* b) const { vitals_batch_free(b); }
};
struct OptionsDeleter {
  void operator()(vitals_options* o) const { vitals_options_free(o); }
};
using EnginePtr = std::unique_ptr<vitals_engine, EngineDeleter>;
using ReportPtr = std::unique_ptr<vitals_report, ReportDeleter>;
using BatchPtr = std::unique_ptr<vitals_batch, BatchDeleter>;
using OptionsPtr = std::unique_ptr<vitals_options, OptionsDeleter>;

EnginePtr open_memory_engine(int threads = 0) {
  OptionsPtr options(vitals_options_new());
  REQUIRE(vitals_options_set(options.get(), "store", ":memory:") == VITALS_OK);
  REQUIRE(vitals_options_set(options.get(), "threads", std::to_string(threads).c_str()) ==
          VITALS_OK);
  vitals_engine* engine = nullptr;
  REQUIRE(vitals_engine_open(options.get(), &engine) == VITALS_OK);
  REQUIRE(engine != nullptr);
  return EnginePtr(engine);
}

// Four months of delayed transfers of care, worse each month and off target.
BatchPtr dtoc_batch() {
  BatchPtr batch(vitals_batch_new());
  const char* periods[] = {"2016-12", "2017-01", "2017-02", "2017-03"};
  const double values[] = {3.2, 3.4, 3.5, 3.56};
  for (int i = 0; i < 4; ++i) {
    REQUIRE(vitals_batch_add(batch.get(), "dtoc_social_care_per_100k", periods[i], values[i], NAN,
                             NAN, NAN) == VITALS_OK);
  }
  return batch;
}

}  // namespace

TEST_CASE("the C API names its version and every status code", "[capi]") {
  CHECK(std::string(vitals_version()).find('.') != std::string::npos);
  CHECK(std::string(vitals_status_name(VITALS_OK)) == "ok");
  CHECK(std::string(vitals_status_name(VITALS_VALIDATION_ERROR)) == "validation_error");
  CHECK(std::string(vitals_status_name(VITALS_INTERNAL)) == "internal");
  CHECK(std::string(vitals_status_name(42)) == "unknown");
  CHECK(std::string(vitals_status_name(-1)) == "unknown");
}

TEST_CASE("C API options refuse unknown keys and bad values with a message", "[capi]") {
  OptionsPtr options(vitals_options_new());
  CHECK(vitals_options_set(options.get(), "stor", "x.db") == VITALS_INVALID_ARGUMENT);
  CHECK(std::string(vitals_last_error()).rfind("unknown option 'stor' (store, plugin_dir", 0) == 0);
  CHECK(vitals_options_set(options.get(), "threads", "two") == VITALS_INVALID_ARGUMENT);
  CHECK(std::string(vitals_last_error()) ==
        "option 'threads': 'two' is not a whole number from 0 to 1024");
  CHECK(vitals_options_set(options.get(), "log_level", "loud") == VITALS_INVALID_ARGUMENT);
  CHECK(vitals_options_set(options.get(), "threads", "2") == VITALS_OK);
  CHECK(std::string(vitals_last_error()).empty());
  CHECK(vitals_options_set(nullptr, "threads", "2") == VITALS_INVALID_ARGUMENT);
  CHECK(std::string(vitals_last_error()) == "options must not be NULL");
}

TEST_CASE("a store that is not a database is refused by the C API with the store's message",
          "[capi]") {
  vitals::testing::TempDir dir;
  auto bad = dir.write("not.db", "this is not a SQLite file, it is plain text of some length....");
  OptionsPtr options(vitals_options_new());
  REQUIRE(vitals_options_set(options.get(), "store", bad.c_str()) == VITALS_OK);
  vitals_engine* engine = reinterpret_cast<vitals_engine*>(0x1);
  CHECK(vitals_engine_open(options.get(), &engine) == VITALS_STORE_ERROR);
  CHECK(engine == nullptr);
  CHECK(std::string(vitals_last_error()).find("so it is not a Vitals store") != std::string::npos);
}

TEST_CASE("pushed observations are evaluated and rendered through the C API", "[capi]") {
  EnginePtr engine = open_memory_engine();
  REQUIRE(vitals_engine_load_catalogue(engine.get(), kNorfolk.c_str()) == VITALS_OK);
  std::string indicators;
  {
    char* text = nullptr;
    REQUIRE(vitals_engine_indicators(engine.get(), &text) == VITALS_OK);
    indicators = take(text);
  }
  CHECK(indicators.find(R"({"id":"dtoc_social_care_per_100k","title":"Number of days delay)") !=
        std::string::npos);

  BatchPtr batch = dtoc_batch();
  char* summary = nullptr;
  REQUIRE(vitals_engine_ingest(engine.get(), "dashboard", batch.get(), &summary) == VITALS_OK);
  CHECK(take(summary) ==
        R"({"sources":1,"series":1,"inserted":4,"revised":0,"unchanged":0,"diagnostics":[]})");

  vitals_report* raw = nullptr;
  REQUIRE(vitals_engine_evaluate(engine.get(), "2017-03", 1, &raw) == VITALS_OK);
  ReportPtr report(raw);
  CHECK(vitals_report_indicator_count(report.get()) == 15);
  CHECK(vitals_report_exception_count(report.get()) == 1);
  CHECK(vitals_report_run_id(report.get()) > 0);
  CHECK(vitals_report_complete(report.get()) == 1);
  CHECK(vitals_report_incomplete_count(report.get()) == 0);
  CHECK(vitals_report_incomplete_message(report.get(), 0) == nullptr);

  char* json = nullptr;
  REQUIRE(vitals_report_render(report.get(), "json", &json) == VITALS_OK);
  std::string result = take(json);
  CHECK(result.find(R"("format": "vitals.report/1")") != std::string::npos);
  CHECK(result.find(
            R"("message": "3.56 against a target of 1.50: 137% worse than target, tolerance 5%")") !=
        std::string::npos);

  char* card = nullptr;
  REQUIRE(vitals_engine_render_card(engine.get(), report.get(), "dtoc_social_care_per_100k",
                                    "html", &card) == VITALS_OK);
  CHECK(take(card).find("<html") != std::string::npos);
  char* committee = nullptr;
  REQUIRE(vitals_engine_render_report(engine.get(), report.get(), "markdown", &committee) ==
          VITALS_OK);
  CHECK(take(committee).find("Number of days delay in transfers of care") != std::string::npos);

  char* none = nullptr;
  CHECK(vitals_engine_render_card(engine.get(), report.get(), "no_such_indicator", "html",
                                  &none) == VITALS_NOT_FOUND);
  CHECK(none == nullptr);
  CHECK(vitals_report_render(report.get(), "pdf", &none) == VITALS_INVALID_ARGUMENT);
}

TEST_CASE("C API cards show the committee's decisions from the catalogue's meeting files",
          "[capi]") {
  EnginePtr engine = open_memory_engine();
  REQUIRE(vitals_engine_load_catalogue(engine.get(), kNorfolk.c_str()) == VITALS_OK);
  BatchPtr batch = dtoc_batch();
  char* summary = nullptr;
  REQUIRE(vitals_engine_ingest(engine.get(), "dashboard", batch.get(), &summary) == VITALS_OK);
  vitals_free(summary);
  vitals_report* raw = nullptr;
  REQUIRE(vitals_engine_evaluate(engine.get(), "2017-03", 1, &raw) == VITALS_OK);
  ReportPtr report(raw);

  // examples/norfolk/meetings/2017-03-06.toml approved the actions on delayed transfers.
  char* card = nullptr;
  REQUIRE(vitals_engine_render_card(engine.get(), report.get(), "dtoc_social_care_per_100k",
                                    "markdown", &card) == VITALS_OK);
  const std::string text = take(card);
  CHECK(text.find("The committee's previous decision") != std::string::npos);
  CHECK(text.find("6 March 2017: **Approve actions**") != std::string::npos);
  // The report goes to the meeting whose file names March 2017 (19 June 2017),
  // where the report-back is due.
  char* committee = nullptr;
  REQUIRE(vitals_engine_render_report(engine.get(), report.get(), "markdown", &committee) ==
          VITALS_OK);
  CHECK(take(committee).find("Follow-up of the committee's decisions") != std::string::npos);
}

TEST_CASE("the C API reports misuse as status codes, never a crash", "[capi]") {
  EnginePtr engine = open_memory_engine();
  vitals_report* report = nullptr;
  CHECK(vitals_engine_evaluate(engine.get(), "2017-03", 0, &report) == VITALS_INVALID_ARGUMENT);
  CHECK(std::string(vitals_last_error()).find("no catalogue is loaded") != std::string::npos);
  char* text = nullptr;
  CHECK(vitals_engine_indicators(engine.get(), &text) == VITALS_INVALID_ARGUMENT);
  CHECK(std::string(vitals_last_error()) ==
        "no catalogue is loaded: call vitals_engine_load_catalogue() first");

  REQUIRE(vitals_engine_load_catalogue(engine.get(), kNorfolk.c_str()) == VITALS_OK);
  CHECK(vitals_engine_evaluate(engine.get(), "2017-13", 0, &report) == VITALS_INVALID_ARGUMENT);
  CHECK(report == nullptr);
  CHECK(vitals_engine_evaluate(nullptr, "2017-03", 0, &report) == VITALS_INVALID_ARGUMENT);
  CHECK(std::string(vitals_last_error()) == "engine must not be NULL");

  BatchPtr batch(vitals_batch_new());
  CHECK(vitals_batch_add(batch.get(), "x", "March 2017", 1, NAN, NAN, NAN) ==
        VITALS_INVALID_ARGUMENT);
  CHECK(vitals_batch_add(batch.get(), "", "2017-03", 1, NAN, NAN, NAN) == VITALS_INVALID_ARGUMENT);
  CHECK(std::string(vitals_last_error()) == "the series key must not be empty");
  REQUIRE(vitals_batch_add(batch.get(), "x", "2017-03", INFINITY, NAN, NAN, NAN) == VITALS_OK);
  CHECK(vitals_engine_ingest(engine.get(), "dashboard", batch.get(), nullptr) ==
        VITALS_INVALID_ARGUMENT);
  CHECK(std::string(vitals_last_error()).find("is not a finite number") != std::string::npos);
  CHECK(vitals_engine_ingest(engine.get(), "no_such_source", batch.get(), nullptr) ==
        VITALS_INVALID_ARGUMENT);
  CHECK(std::string(vitals_last_error()).find("unknown source 'no_such_source'") !=
        std::string::npos);

  vitals_engine_free(nullptr);
  vitals_report_free(nullptr);
  vitals_batch_free(nullptr);
  vitals_options_free(nullptr);
  vitals_free(nullptr);
}

TEST_CASE("a bad catalogue is refused through the C API and its diagnostics are JSON", "[capi]") {
  vitals::testing::TempDir dir;
  dir.write("catalogue.toml", "[catalogue]\nname = \"x\"\nbogus = 1\n");
  EnginePtr engine = open_memory_engine();
  CHECK(vitals_engine_load_catalogue(engine.get(), dir.path().c_str()) == VITALS_VALIDATION_ERROR);
  char* json = nullptr;
  REQUIRE(vitals_engine_diagnostics(engine.get(), &json) == VITALS_OK);
  std::string diagnostics = take(json);
  CHECK(diagnostics.rfind(R"([{"severity":)", 0) == 0);
  CHECK(diagnostics.find(R"("line":3)") != std::string::npos);
}

TEST_CASE("C API evaluations on one and on two threads give the same JSON", "[capi]") {
  std::string results[2];
  for (int threads = 1; threads <= 2; ++threads) {
    EnginePtr engine = open_memory_engine(threads);
    REQUIRE(vitals_engine_load_catalogue(engine.get(), kNorfolk.c_str()) == VITALS_OK);
    BatchPtr batch = dtoc_batch();
    REQUIRE(vitals_engine_ingest(engine.get(), "dashboard", batch.get(), nullptr) == VITALS_OK);
    vitals_report* raw = nullptr;
    REQUIRE(vitals_engine_evaluate(engine.get(), "2017-03", 0, &raw) == VITALS_OK);
    ReportPtr report(raw);
    char* json = nullptr;
    REQUIRE(vitals_report_render(report.get(), "json", &json) == VITALS_OK);
    results[threads - 1] = take(json);
  }
  CHECK(results[0] == results[1]);
}

TEST_CASE("a run whose source failed is incomplete through the C API", "[capi][incomplete]") {
  vitals::testing::TempDir dir;
  std::filesystem::copy(kNorfolk, dir / "norfolk", std::filesystem::copy_options::recursive);
  std::filesystem::remove(dir / "norfolk" / "data" / "dashboard.csv");
  // The copy's rule_dirs is relative; point it at the shipped rules.
  std::string catalogue;
  {
    std::ifstream in(dir / "norfolk" / "catalogue.toml");
    catalogue.assign(std::istreambuf_iterator<char>(in), {});
  }
  const std::string from = "rule_dirs = [\"../../rules/council\"]";
  REQUIRE(catalogue.find(from) != std::string::npos);
  catalogue.replace(catalogue.find(from), from.size(),
                    "rule_dirs = [\"" + std::string(VITALS_SOURCE_DIR) + "/rules/council\"]");
  dir.write("norfolk/catalogue.toml", catalogue);

  OptionsPtr options(vitals_options_new());
  REQUIRE(vitals_options_set(options.get(), "store", ":memory:") == VITALS_OK);
  REQUIRE(vitals_options_set(options.get(), "plugin_dir", VITALS_PLUGIN_DIR) == VITALS_OK);
  vitals_engine* raw_engine = nullptr;
  REQUIRE(vitals_engine_open(options.get(), &raw_engine) == VITALS_OK);
  EnginePtr engine(raw_engine);
  REQUIRE(vitals_engine_load_catalogue(engine.get(), (dir / "norfolk").c_str()) == VITALS_OK);
  char* summary = nullptr;
  vitals_engine_ingest_sources(engine.get(), &summary);
  take(summary);
  vitals_report* raw = nullptr;
  REQUIRE(vitals_engine_evaluate(engine.get(), "2017-03", 0, &raw) == VITALS_OK);
  ReportPtr report(raw);
  CHECK(vitals_report_complete(report.get()) == 0);
  REQUIRE(vitals_report_incomplete_count(report.get()) == 1);
  const char* message = vitals_report_incomplete_message(report.get(), 0);
  REQUIRE(message != nullptr);
  CHECK(std::string(message).find("Source 'dashboard' could not be read") == 0);
  CHECK(vitals_report_incomplete_message(report.get(), 1) == nullptr);
}
