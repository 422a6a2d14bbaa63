// SPDX-License-Identifier: Apache-2.0
// Schema version 2: run manifests and replacement, the exception lifecycle,
// and record snapshots (budget lines, savings, risks).
#include "catch.hpp"
#include "store/history_store.hpp"
#include "store/migrations.hpp"
#include "store/record_store.hpp"
#include "store/run_history_store.hpp"
#include "store/sqlite_db.hpp"
#include "store/store_test_support.hpp"
#include "support/temp_dir.hpp"

#include <string>

using namespace vitals;
using vitals::detail::Db;
using vitals::detail::HistoryStore;
using vitals::detail::LifecycleRow;
using vitals::detail::RunExtras;
using vitals::testing::RawDb;
using vitals::testing::TempDir;

using vitals::testing::open_store;

namespace {

IndicatorResult result(const std::string& id, bool exception, const std::string& criterion = "") {
  IndicatorResult r;
  r.indicator_id = id;
  r.title = "Title of " + id;
  r.data_state = DataState::kCurrent;
  r.is_exception = exception;
  RuleOutcome o;
  o.rule_id = criterion.empty() ? "off_target" : criterion;
  o.criterion = o.rule_id;
  o.status = exception ? RuleOutcome::Status::kException : RuleOutcome::Status::kOk;
  o.message = exception ? "off target" : "on target";
  r.outcomes.push_back(o);
  return r;
}

EvaluationReport report_for(const std::string& period, std::vector<IndicatorResult> indicators) {
  EvaluationReport report;
  report.period = Period::parse(period).value();
  report.catalogue_name = "Adult Social Care";
  report.committee = "Adult Social Care Committee";
  report.indicators = std::move(indicators);
  return report;
}

LifecycleRow row(const std::string& id, ExceptionState state, const std::string& first,
                 const std::string& last, int n) {
  LifecycleRow r;
  r.indicator_id = id;
  r.title = "Title of " + id;
  r.state = state;
  r.first_reported = Period::parse(first).value();
  r.last_reported = Period::parse(last).value();
  r.periods_reported = n;
  r.criteria = {"off_target", "budget_impact"};
  return r;
}

RunManifest manifest(const std::string& tag) {
  return RunManifest{"0.1.0", "cat-" + tag, "rules-" + tag, "plugins-" + tag, "data-" + tag};
}

Record risk(const std::string& key, const std::string& period, double likelihood, double impact,
            const std::string& title = "A risk") {
  Record r;
  r.kind = "risk";
  r.key = key;
  r.period = Period::parse(period).value();
  r.fields = {{"title", title},
              {"current_likelihood", likelihood},
              {"current_impact", impact},
              {"prospects", std::string("amber")}};
  return r;
}

}  // namespace

TEST_CASE("a version 1 store is migrated to version 2 and its runs keep their exceptions",
          "[store][migrations][lifecycle]") {
  TempDir dir;
  auto path = dir / "old.db";
  {
    auto db = Db::open(path);
    REQUIRE(db.ok());
    REQUIRE(detail::migrate_to(*db, 1).is_ok());
  }
  {
    RawDb raw(path);
    CHECK(raw.integer("PRAGMA user_version") == 1);
    raw.exec(
        "INSERT INTO runs (id, catalogue, committee, period, created_at, engine_version,"
        " indicators, exceptions, diagnostics) VALUES (1, 'Adult Social Care', 'ASC', '2017-02',"
        " 100, '0.0.9', 2, 1, 0);"
        "INSERT INTO run_indicators (run_id, position, indicator_id, title, polarity, unit,"
        " frequency, data_state, is_exception) VALUES"
        " (1, 0, 'dtoc', 'Delayed transfers', 'smaller', 'per_100k', 'monthly', 'current', 1),"
        " (1, 1, 'reablement', 'Reablement', 'bigger', 'percent', 'monthly', 'current', 0);"
        "INSERT INTO findings (run_id, indicator_position, position, rule_id, criterion, status,"
        " message, evidence) VALUES"
        " (1, 0, 0, 'deterioration', 'deterioration', 'exception', 'worse', '{}'),"
        " (1, 0, 1, 'off_target', 'off_target', 'exception', 'off', '{}'),"
        " (1, 1, 0, 'off_target', 'off_target', 'ok', 'on', '{}')");
  }
  auto store = open_store(path);
  // Through version 2 to the latest.
  CHECK(RawDb(path).integer("PRAGMA user_version") == detail::latest_schema_version());

  auto info = detail::run_info(store->db(), 1);
  REQUIRE(info.ok());
  CHECK(info->manifest.engine_version == "0.0.9");
  CHECK(info->manifest.catalogue_hash.empty());
  CHECK_FALSE(info->replaced_by);

  auto rows = detail::load_lifecycle(store->db(), 1);
  REQUIRE(rows.ok());
  REQUIRE(rows->size() == 1);
  CHECK((*rows)[0].indicator_id == "dtoc");
  CHECK((*rows)[0].state == ExceptionState::kNew);
  CHECK((*rows)[0].first_reported == Period::month(2017, 2));
  CHECK((*rows)[0].periods_reported == 1);
  CHECK((*rows)[0].criteria == std::vector<std::string>{"deterioration", "off_target"});

  auto previous = detail::previous_run(store->db(), "Adult Social Care", Period::month(2017, 3));
  REQUIRE(previous.ok());
  REQUIRE(*previous);
  CHECK((*previous)->id == 1);
}

TEST_CASE("a run's manifest and exception lifecycle are stored with it and read back",
          "[store][lifecycle]") {
  TempDir dir;
  auto store = open_store(dir / "h.db");
  RunExtras extras;
  extras.manifest = manifest("a");
  extras.lifecycle.push_back(row("dtoc", ExceptionState::kContinuing, "2017-01", "2017-03", 3));
  LifecycleRow accepted = row("mh", ExceptionState::kAccepted, "2017-03", "2017-03", 1);
  Acceptance a;
  a.criterion = "off_target";
  a.until = "2017-06-30";
  a.approver = "Director of Community Social Work";
  a.rationale = "Action plan agreed";
  accepted.acceptance = a;
  extras.lifecycle.push_back(accepted);
  extras.lifecycle.push_back(row("reablement", ExceptionState::kResolved, "2016-11", "2017-02", 4));

  auto id = store->record_run(report_for("2017-03", {result("dtoc", true), result("mh", true),
                                                    result("reablement", false)}),
                              "0.1.0", 1000, extras);
  REQUIRE(id.ok());
  auto info = detail::run_info(store->db(), *id);
  REQUIRE(info.ok());
  CHECK(info->manifest == manifest("a"));
  CHECK(info->manifest.engine_version == "0.1.0");  // record_run's, not the extras'

  auto rows = detail::load_lifecycle(store->db(), *id);
  REQUIRE(rows.ok());
  REQUIRE(rows->size() == 3);
  CHECK((*rows)[0].indicator_id == "dtoc");
  CHECK((*rows)[0].state == ExceptionState::kContinuing);
  CHECK((*rows)[0].first_reported == Period::month(2017, 1));
  CHECK((*rows)[0].periods_reported == 3);
  CHECK((*rows)[0].criteria == std::vector<std::string>{"off_target", "budget_impact"});
  CHECK((*rows)[1].indicator_id == "mh");
  REQUIRE((*rows)[1].acceptance);
  CHECK((*rows)[1].acceptance->until == "2017-06-30");
  CHECK((*rows)[1].acceptance->approver == "Director of Community Social Work");
  CHECK((*rows)[1].acceptance->rationale == "Action plan agreed");
  CHECK((*rows)[1].acceptance->criterion == "off_target");
  CHECK((*rows)[2].state == ExceptionState::kResolved);
  CHECK((*rows)[2].last_reported == Period::month(2017, 2));
}

TEST_CASE("a run's exceptions can be stored from the lifecycle their results carry",
          "[store][lifecycle]") {
  TempDir dir;
  auto store = open_store(dir / "h.db");
  IndicatorResult dtoc = result("dtoc", true);
  RuleOutcome worse;
  worse.rule_id = worse.criterion = "deterioration";
  worse.status = RuleOutcome::Status::kException;
  dtoc.outcomes.push_back(worse);
  dtoc.lifecycle.state = ExceptionState::kContinuing;
  dtoc.lifecycle.first_reported = Period::month(2017, 1);
  dtoc.lifecycle.periods_reported = 3;
  IndicatorResult mh = result("mh", true);
  mh.lifecycle.state = ExceptionState::kAccepted;
  mh.lifecycle.periods_reported = 1;
  Acceptance a;
  a.until = "2017-06-30";
  a.approver = "Director of Community Social Work";
  mh.lifecycle.acceptance = a;
  RunExtras extras;
  extras.rows_for_exceptions = true;
  // Rows of indicators that are not exceptions now still come from `lifecycle`.
  extras.lifecycle.push_back(row("reablement", ExceptionState::kResolved, "2016-11", "2017-02", 4));

  auto id = store->record_run(
      report_for("2017-03", {dtoc, result("ok_one", false), mh, result("reablement", false)}),
      "0.1.0", 1000, extras);
  REQUIRE(id.ok());
  auto rows = detail::load_lifecycle(store->db(), *id);
  REQUIRE(rows.ok());
  REQUIRE(rows->size() == 3);
  CHECK((*rows)[0].indicator_id == "dtoc");
  CHECK((*rows)[0].title == "Title of dtoc");
  CHECK((*rows)[0].state == ExceptionState::kContinuing);
  CHECK((*rows)[0].first_reported == Period::month(2017, 1));
  CHECK((*rows)[0].last_reported == Period::month(2017, 3));
  CHECK((*rows)[0].periods_reported == 3);
  CHECK((*rows)[0].criteria == std::vector<std::string>{"off_target", "deterioration"});
  CHECK((*rows)[1].indicator_id == "mh");
  CHECK((*rows)[1].state == ExceptionState::kAccepted);
  CHECK((*rows)[1].first_reported == Period::month(2017, 3));  // first reported now
  REQUIRE((*rows)[1].acceptance);
  CHECK((*rows)[1].acceptance->approver == "Director of Community Social Work");
  CHECK((*rows)[2].indicator_id == "reablement");
  CHECK((*rows)[2].state == ExceptionState::kResolved);
}

TEST_CASE("re-running a period replaces its run, which is kept for audit",
          "[store][lifecycle]") {
  TempDir dir;
  auto path = dir / "h.db";
  std::int64_t first = 0, second = 0, feb = 0;
  {
    auto store = open_store(path);
    RunExtras extras;
    extras.manifest = manifest("1");
    feb = store->record_run(report_for("2017-02", {result("dtoc", true)}), "0.1.0", 10, extras)
              .value();
    first = store->record_run(report_for("2017-03", {result("dtoc", true)}), "0.1.0", 20, extras)
                .value();
    extras.manifest = manifest("2");
    second = store->record_run(report_for("2017-03", {result("dtoc", false)}), "0.1.0", 30, extras)
                 .value();
  }
  // Reopened: the replacement is in the file.
  auto store = open_store(path);
  auto runs = detail::list_run_infos(store->db());
  REQUIRE(runs.ok());
  REQUIRE(runs->size() == 3);
  CHECK((*runs)[0].id == second);
  CHECK_FALSE((*runs)[0].replaced_by);
  CHECK((*runs)[1].id == first);
  REQUIRE((*runs)[1].replaced_by);
  CHECK(*(*runs)[1].replaced_by == second);
  CHECK((*runs)[1].manifest == manifest("1"));  // the replaced run's manifest is kept
  CHECK_FALSE((*runs)[2].replaced_by);           // another period: untouched

  // The replaced run still loads, findings and all.
  auto old = store->load_run(first);
  REQUIRE(old.ok());
  CHECK(old->indicators.at(0).is_exception);

  // A later period compares with the current run of March, not the replaced one.
  auto previous = detail::previous_run(store->db(), "Adult Social Care", Period::month(2017, 4));
  REQUIRE(previous.ok());
  REQUIRE(*previous);
  CHECK((*previous)->id == second);
  // March itself compares with February, whatever March's own runs.
  auto before_march =
      detail::previous_run(store->db(), "Adult Social Care", Period::month(2017, 3));
  REQUIRE(before_march.ok());
  REQUIRE(*before_march);
  CHECK((*before_march)->id == feb);
  // Another catalogue has no previous run.
  auto other = detail::previous_run(store->db(), "Children's Services", Period::month(2017, 4));
  REQUIRE(other.ok());
  CHECK_FALSE(*other);
}

TEST_CASE("a run recorded without extras replaces nothing and has no manifest",
          "[store][lifecycle]") {
  TempDir dir;
  auto store = open_store(dir / "h.db");
  auto a = store->record_run(report_for("2017-03", {result("dtoc", true)}), "0.1.0", 1);
  auto b = store->record_run(report_for("2017-03", {result("dtoc", true)}), "0.1.0", 2);
  REQUIRE(a.ok());
  REQUIRE(b.ok());
  auto info = detail::run_info(store->db(), *a);
  REQUIRE(info.ok());
  CHECK_FALSE(info->replaced_by);
  CHECK(info->manifest.catalogue_hash.empty());
  auto missing = detail::run_info(store->db(), 99);
  REQUIRE_FALSE(missing.ok());
  CHECK(missing.status().code() == StatusCode::kNotFound);
  CHECK(missing.status().message().find("no run 99") != std::string::npos);
}

TEST_CASE("records are stored as one snapshot per ingest and an identical one is not stored again",
          "[store][records]") {
  TempDir dir;
  auto store = open_store(dir / "h.db");
  std::vector<Record> march = {risk("RM1", "2017-03", 4, 5), risk("RM2", "2017-03", 2, 3)};
  auto stored = detail::store_records(store->db(), "risks", march, 100);
  REQUIRE(stored.ok());
  CHECK(stored->records == 2);
  CHECK(stored->stored);
  // The same content in another order: unchanged.
  std::vector<Record> reordered = {march[1], march[0]};
  auto again = detail::store_records(store->db(), "risks", reordered, 200);
  REQUIRE(again.ok());
  CHECK_FALSE(again->stored);
  RawDb raw(dir / "h.db");
  CHECK(raw.integer("SELECT count(*) FROM record_snapshots") == 1);

  auto set = detail::load_records(store->db(), "risks", "risk", Period::month(2017, 3), false);
  REQUIRE(set.ok());
  REQUIRE(set->period);
  CHECK(*set->period == Period::month(2017, 3));
  REQUIRE(set->records.size() == 2);
  CHECK(set->records[0].key == "RM1");
  CHECK(std::get<double>(set->records[0].fields.at("current_likelihood")) == 4);
  CHECK(std::get<std::string>(set->records[0].fields.at("prospects")) == "amber");
}

TEST_CASE("records as at a period come from the latest period at or before it, read whole",
          "[store][records]") {
  TempDir dir;
  auto store = open_store(dir / "h.db");
  REQUIRE(detail::store_records(store->db(), "risks",
                                {risk("RM1", "2017-01", 3, 3), risk("RM2", "2017-01", 2, 2)}, 1)
              .ok());
  // March's register drops RM2 (closed) and adds RM3.
  REQUIRE(detail::store_records(store->db(), "risks",
                                {risk("RM1", "2017-03", 4, 4), risk("RM3", "2017-03", 1, 5)}, 2)
              .ok());

  auto keys = [&](const Period& p, bool before) {
    auto set = detail::load_records(store->db(), "risks", "risk", p, before);
    REQUIRE(set.ok());
    std::string out = set->period ? set->period->to_string() + ":" : "none:";
    for (const Record& r : set->records) out += " " + r.key;
    return out;
  };
  CHECK(keys(Period::month(2016, 12), false) == "none:");
  CHECK(keys(Period::month(2017, 1), false) == "2017-01: RM1 RM2");
  CHECK(keys(Period::month(2017, 2), false) == "2017-01: RM1 RM2");
  CHECK(keys(Period::month(2017, 3), false) == "2017-03: RM1 RM3");  // RM2 is closed
  CHECK(keys(Period::month(2017, 6), false) == "2017-03: RM1 RM3");
  CHECK(keys(Period::month(2017, 3), true) == "2017-01: RM1 RM2");
  CHECK(keys(Period::month(2017, 1), true) == "none:");
  // Another source or kind holds nothing.
  auto other = detail::load_records(store->db(), "budget", "risk", Period::month(2017, 3), false);
  REQUIRE(other.ok());
  CHECK_FALSE(other->period);

  SECTION("a corrected register for a period replaces it whole") {
    REQUIRE(detail::store_records(store->db(), "risks", {risk("RM1", "2017-03", 5, 5)}, 3).ok());
    CHECK(keys(Period::month(2017, 3), false) == "2017-03: RM1");
    auto set = detail::load_records(store->db(), "risks", "risk", Period::month(2017, 3), false);
    CHECK(std::get<double>(set->records.at(0).fields.at("current_likelihood")) == 5);
  }
}

TEST_CASE("invalid records are refused before anything is stored", "[store][records]") {
  TempDir dir;
  auto store = open_store(dir / "h.db");
  auto refused = [&](std::vector<Record> records) {
    auto r = detail::store_records(store->db(), "risks", records, 1);
    REQUIRE_FALSE(r.ok());
    CHECK(r.status().code() == StatusCode::kInvalidArgument);
    return r.status().message();
  };
  CHECK(refused({risk("RM1", "2017-03", 4, 5), risk("RM1", "2017-03", 1, 1)}) ==
        "source 'risks' delivered risk 'RM1' for 2017-03 more than once");
  CHECK(refused({risk("", "2017-03", 4, 5)}) ==
        "source 'risks' delivered a record with an empty key");
  CHECK(refused({risk("RM1", "2017-03", 6, 5)}) ==
        "source 'risks': risk 'RM1' for 2017-03: field 'current_likelihood' must be a whole "
        "number from 1 to 5");
  Record saving;
  saving.kind = "saving";
  saving.key = "s1";
  saving.period = Period::month(2017, 3);
  saving.fields = {{"name", std::string("Care savings")}, {"rag", std::string("purple")},
                   {"budget_line", std::string("older_people")}};
  CHECK(refused({saving}) ==
        "source 'risks': saving 's1' for 2017-03: field 'rag' is 'purple'; expected red, amber, "
        "green, red_or_amber or nothing");
  RawDb raw(dir / "h.db");
  CHECK(raw.integer("SELECT count(*) FROM record_snapshots") == 0);
}
