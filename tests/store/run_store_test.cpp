// SPDX-License-Identifier: Apache-2.0
#include "catch.hpp"
#include "store/history_store.hpp"
#include "store/store_test_support.hpp"
#include "support/temp_dir.hpp"

#include <vitals/figures.hpp>

#include <cmath>
#include <limits>
#include <string>

using vitals::DataState;
using vitals::Diagnostic;
using vitals::EvaluationReport;
using vitals::Frequency;
using vitals::IndicatorResult;
using vitals::Period;
using vitals::Polarity;
using vitals::Rag;
using vitals::RuleOutcome;
using vitals::SeriesPoint;
using vitals::Severity;
using vitals::SourceLocation;
using vitals::StatusCode;
using vitals::Unit;
using vitals::detail::HistoryStore;
using vitals::detail::RunRecord;
using vitals::testing::RawDb;
using vitals::testing::TempDir;

using vitals::testing::open_store;

namespace {

// The June 2017 committee paper: delayed transfers of care off target.
EvaluationReport june_2017() {
  EvaluationReport report;
  report.period = Period::month(2017, 3);
  report.catalogue_name = "norfolk_asc";
  report.committee = "Adult Social Care Committee";
  report.run_id = 77;  // ignored by record_run

  IndicatorResult dtoc;
  dtoc.indicator_id = "asc_dtoc_social_care";
  dtoc.title = "Delayed transfers of care attributable to social care";
  dtoc.polarity = Polarity::kSmallerIsBetter;
  dtoc.unit = Unit::kPer100k;
  dtoc.decimals = 2;  // the catalogue's: "3.56", where the unit's default shows "3.6"
  dtoc.frequency = Frequency::kMonthly;
  dtoc.data_state = DataState::kCurrent;
  dtoc.latest = SeriesPoint{Period::month(2017, 3), 3.56,     std::nullopt, std::nullopt, 1.5,
                            137.33333333333334,     Rag::kRed};
  dtoc.is_exception = true;
  RuleOutcome deterioration;
  deterioration.rule_id = "deterioration";
  deterioration.criterion = "deterioration";
  deterioration.status = RuleOutcome::Status::kOk;
  deterioration.message = "No run of 3 worse periods.";
  deterioration.evidence = {{"run", 3.0}};
  RuleOutcome off_target;
  off_target.rule_id = "off_target";
  off_target.criterion = "off_target";
  off_target.status = RuleOutcome::Status::kException;
  off_target.message = "3.56 against a target of 1.5: 137% worse than target (tolerance 5%)";
  off_target.evidence = {{"variance_pct", 137.33333333333334},
                         {"rag", std::string("red")},
                         {"met", true},
                         {"quoted", std::string("say \"hi\"\n\tback\\slash \x01 \xC2\xA3m")},
                         {"unset", false}};
  dtoc.outcomes = {deterioration, off_target};

  IndicatorResult reviews;
  reviews.indicator_id = "asc_reviews";
  reviews.title = "Service users reviewed in the last 12 months";
  reviews.polarity = Polarity::kBiggerIsBetter;
  reviews.unit = Unit::kPercent;
  reviews.frequency = Frequency::kQuarterly;
  reviews.data_state = DataState::kNoData;
  RuleOutcome insufficient;
  insufficient.rule_id = "off_target";
  insufficient.criterion = "off_target";
  insufficient.status = RuleOutcome::Status::kInsufficientData;
  insufficient.message = "No observation at or before Mar 2017.";
  RuleOutcome failed;
  failed.rule_id = "budget_impact";
  failed.criterion = "budget";
  failed.status = RuleOutcome::Status::kError;
  failed.message = "The rule could not be evaluated.";
  reviews.outcomes = {failed, insufficient};

  IndicatorResult quiet;  // no outcomes at all, stale data without a target
  quiet.indicator_id = "asc_zz";
  quiet.title = "Financial year count";
  quiet.unit = Unit::kCount;
  quiet.frequency = Frequency::kFinancialYear;
  quiet.data_state = DataState::kStale;
  quiet.latest = SeriesPoint{
      Period::financial_year(2015), 12.0, 3.0, 25.0, std::nullopt, std::nullopt, Rag::kNone};

  report.indicators = {dtoc, reviews, quiet};

  Diagnostic limit;
  limit.severity = Severity::kError;
  limit.code = "rule.instruction_limit";
  limit.message = "Rule 'budget_impact' ran more than 1000000 instructions.";
  limit.location = SourceLocation{"rules/budget/budget_impact.lua", 12, 3};
  limit.indicator_id = "asc_reviews";
  limit.rule_id = "budget_impact";
  Diagnostic note;
  note.severity = Severity::kNote;
  note.code = "data.late";
  note.message = "No data for Mar 2017 yet.";
  note.indicator_id = "asc_reviews";
  Diagnostic warning;
  warning.severity = Severity::kWarning;
  warning.code = "config.unknown_key";
  warning.message = "Unknown key 'polarty'.";
  warning.location = SourceLocation{"catalogue/asc.toml", 40, 0};
  report.diagnostics = {limit, note, warning};
  return report;
}

void check_same_report(const EvaluationReport& got, const EvaluationReport& want,
                       std::int64_t run_id) {
  CHECK(got.run_id == run_id);
  CHECK(got.period == want.period);
  CHECK(got.catalogue_name == want.catalogue_name);
  CHECK(got.committee == want.committee);
  REQUIRE(got.indicators.size() == want.indicators.size());
  for (std::size_t i = 0; i < want.indicators.size(); ++i) {
    const IndicatorResult& g = got.indicators[i];
    const IndicatorResult& w = want.indicators[i];
    CHECK(g.indicator_id == w.indicator_id);
    CHECK(g.title == w.title);
    CHECK(g.polarity == w.polarity);
    CHECK(g.unit == w.unit);
    CHECK(g.decimals == w.decimals);
    CHECK(g.frequency == w.frequency);
    CHECK(g.data_state == w.data_state);
    CHECK(g.is_exception == w.is_exception);
    REQUIRE(g.latest.has_value() == w.latest.has_value());
    if (w.latest) {
      CHECK(g.latest->period == w.latest->period);
      CHECK(g.latest->value == w.latest->value);
      CHECK(g.latest->numerator == w.latest->numerator);
      CHECK(g.latest->denominator == w.latest->denominator);
      CHECK(g.latest->target == w.latest->target);
      CHECK(g.latest->variance_pct == w.latest->variance_pct);
      CHECK(g.latest->rag == w.latest->rag);
    }
    REQUIRE(g.outcomes.size() == w.outcomes.size());
    for (std::size_t j = 0; j < w.outcomes.size(); ++j) {
      CHECK(g.outcomes[j].rule_id == w.outcomes[j].rule_id);
      CHECK(g.outcomes[j].criterion == w.outcomes[j].criterion);
      CHECK(g.outcomes[j].status == w.outcomes[j].status);
      CHECK(g.outcomes[j].message == w.outcomes[j].message);
      CHECK(g.outcomes[j].evidence == w.outcomes[j].evidence);
    }
  }
  CHECK(got.diagnostics == want.diagnostics);
}

}  // namespace

TEST_CASE("a recorded run loads back as the same report", "[store][runs]") {
  TempDir dir;
  auto store = open_store(dir / "h.db");
  const EvaluationReport report = june_2017();
  auto id = store->record_run(report, "0.1.0", 1497866400);
  REQUIRE(id.ok());
  CHECK(*id > 0);

  auto loaded = store->load_run(*id);
  REQUIRE(loaded.ok());
  check_same_report(*loaded, report, *id);
  CHECK(loaded->exceptions().size() == 1);

  SECTION("also after reopening the store") {
    store.reset();
    auto reopened = open_store(dir / "h.db");
    auto again = reopened->load_run(*id);
    REQUIRE(again.ok());
    check_same_report(*again, report, *id);
  }
}

TEST_CASE("a run read back shows its figures with the decimals the run showed them with",
          "[store][runs]") {
  TempDir dir;
  auto store = open_store(dir / "h.db");
  auto id = store->record_run(june_2017(), "0.1.0", 1497866400);
  REQUIRE(id.ok());
  CHECK(RawDb(dir / "h.db").integer("SELECT count(*) FROM run_indicators WHERE decimals = 2") == 1);
  // An indicator whose catalogue sets none is stored without: the unit's default.
  CHECK(RawDb(dir / "h.db").integer("SELECT count(*) FROM run_indicators WHERE decimals IS NULL") ==
        2);
  auto loaded = store->load_run(*id);
  REQUIRE(loaded.ok());
  const IndicatorResult& dtoc = loaded->indicators.at(0);
  REQUIRE(dtoc.latest);
  CHECK(dtoc.decimals == 2);
  CHECK(vitals::figure_text(*dtoc.latest->value, dtoc.unit, dtoc.decimals) == "3.56");
  CHECK(vitals::figure_text(*dtoc.latest->target, dtoc.unit, dtoc.decimals) == "1.50");
  CHECK_FALSE(loaded->indicators.at(1).decimals);
}

TEST_CASE("evidence is stored as JSON text with sorted keys", "[store][runs]") {
  TempDir dir;
  auto store = open_store(dir / "h.db");
  auto id = store->record_run(june_2017(), "0.1.0", 1);
  REQUIRE(id.ok());
  RawDb raw(dir / "h.db");
  CHECK(raw.text("SELECT evidence FROM findings WHERE rule_id = 'off_target'"
                 " AND status = 'exception'") ==
        "{\"met\":true,\"quoted\":\"say \\\"hi\\\"\\n\\tback\\\\slash \\u0001 \xC2\xA3m\","
        "\"rag\":\"red\",\"unset\":false,\"variance_pct\":137.33333333333334}");
  CHECK(raw.text("SELECT evidence FROM findings WHERE rule_id = 'budget_impact'") == "{}");
  CHECK(raw.text("SELECT group_concat(status) FROM (SELECT status FROM findings"
                 " ORDER BY indicator_position, position)") ==
        "ok,exception,error,insufficient_data");
  CHECK(raw.integer("SELECT min(json_valid(evidence)) FROM findings") == 1);
}

TEST_CASE("evidence numbers that JSON cannot spell survive a round trip", "[store][runs]") {
  TempDir dir;
  auto store = open_store(dir / "h.db");
  EvaluationReport report = june_2017();
  auto& evidence = report.indicators[0].outcomes[1].evidence;
  evidence = {{"inf", std::numeric_limits<double>::infinity()},
              {"minus_inf", -std::numeric_limits<double>::infinity()},
              {"nan", std::nan("")},
              {"tiny", 5e-324},
              {"zero", 0.0}};
  auto id = store->record_run(report, "0.1.0", 1);
  REQUIRE(id.ok());
  auto loaded = store->load_run(*id);
  REQUIRE(loaded.ok());
  const auto& got = loaded->indicators[0].outcomes[1].evidence;
  REQUIRE(got.size() == 5);
  CHECK(std::get<double>(got.at("inf")) == std::numeric_limits<double>::infinity());
  CHECK(std::get<double>(got.at("minus_inf")) == -std::numeric_limits<double>::infinity());
  CHECK(std::isnan(std::get<double>(got.at("nan"))));
  CHECK(std::get<double>(got.at("tiny")) == 5e-324);
  CHECK(std::get<double>(got.at("zero")) == 0.0);
}

TEST_CASE("runs are listed newest first with their counts", "[store][runs]") {
  TempDir dir;
  auto store = open_store(dir / "h.db");
  CHECK(store->list_runs()->empty());

  EvaluationReport february = june_2017();
  february.period = Period::month(2017, 2);
  february.diagnostics.clear();
  auto first = store->record_run(february, "0.1.0", 1000);
  auto second = store->record_run(june_2017(), "0.2.0", 3000);
  auto third = store->record_run(EvaluationReport{}, "0.2.0", 2000);
  REQUIRE((first.ok() && second.ok() && third.ok()));
  CHECK(*first < *second);
  CHECK(*second < *third);

  auto runs = store->list_runs();
  REQUIRE(runs.ok());
  REQUIRE(runs->size() == 3);
  const RunRecord& newest = (*runs)[0];
  CHECK(newest.id == *second);
  CHECK(newest.catalogue == "norfolk_asc");
  CHECK(newest.period == Period::month(2017, 3));
  CHECK(newest.created_at == 3000);
  CHECK(newest.engine_version == "0.2.0");
  CHECK(newest.indicators == 3);
  CHECK(newest.exceptions == 1);
  CHECK(newest.diagnostics == 3);
  CHECK((*runs)[1].id == *third);
  CHECK((*runs)[1].indicators == 0);
  CHECK((*runs)[1].catalogue.empty());
  CHECK((*runs)[2].id == *first);
  CHECK((*runs)[2].period == Period::month(2017, 2));
  CHECK((*runs)[2].diagnostics == 0);

  auto empty = store->load_run(*third);
  REQUIRE(empty.ok());
  CHECK(empty->indicators.empty());
  CHECK(empty->diagnostics.empty());
}

TEST_CASE("loading a run that does not exist is not found", "[store][runs]") {
  TempDir dir;
  auto store = open_store(dir / "h.db");
  auto run = store->load_run(42);
  REQUIRE_FALSE(run.ok());
  CHECK(run.status().code() == StatusCode::kNotFound);
  CHECK(run.status().message() == "store '" + (dir / "h.db").string() + "': no run 42");
}

TEST_CASE("a run that fails to record leaves no trace", "[store][runs]") {
  TempDir dir;
  auto path = dir / "h.db";
  auto store = open_store(path);
  auto kept = store->record_run(june_2017(), "0.1.0", 1);
  REQUIRE(kept.ok());
  // Fail on the very last row written: the third diagnostic.
  RawDb(path).exec(
      "CREATE TRIGGER refuse AFTER INSERT ON run_diagnostics WHEN NEW.position = 2"
      " BEGIN SELECT RAISE(ABORT, 'simulated failure'); END");
  auto failed = store->record_run(june_2017(), "0.1.0", 2);
  REQUIRE_FALSE(failed.ok());
  CHECK(failed.status().code() == StatusCode::kStoreError);
  CHECK(failed.status().message().find("simulated failure") != std::string::npos);

  RawDb raw(path);
  CHECK(raw.integer("SELECT count(*) FROM runs") == 1);
  CHECK(raw.integer("SELECT count(*) FROM run_indicators") == 3);
  CHECK(raw.integer("SELECT count(*) FROM findings") == 4);
  CHECK(raw.integer("SELECT count(*) FROM run_diagnostics") == 3);
  auto runs = store->list_runs();
  REQUIRE(runs.ok());
  REQUIRE(runs->size() == 1);
  CHECK((*runs)[0].id == *kept);
}

TEST_CASE("runs recorded through one store are seen through another", "[store][runs]") {
  TempDir dir;
  auto a = open_store(dir / "h.db");
  auto b = open_store(dir / "h.db");
  CHECK(b->list_runs()->empty());
  auto id = a->record_run(june_2017(), "0.1.0", 1);
  REQUIRE(id.ok());
  auto runs = b->list_runs();
  REQUIRE(runs.ok());
  REQUIRE(runs->size() == 1);
  auto loaded = b->load_run(*id);
  REQUIRE(loaded.ok());
  check_same_report(*loaded, june_2017(), *id);
}
