// SPDX-License-Identifier: Apache-2.0
// Schema version 9: a run stores only the indicator positions that differ
// from its base run, and reads back exactly as if it had been stored whole.
#include "catch.hpp"
#include "store/history_store.hpp"
#include "store/migrations.hpp"
#include "store/run_delta.hpp"
#include "store/run_history_store.hpp"
#include "store/sqlite_db.hpp"
#include "store/store_test_support.hpp"
#include "support/temp_dir.hpp"

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

using namespace vitals;
using vitals::detail::Db;
using vitals::detail::HistoryStore;
using vitals::detail::LifecycleRow;
using vitals::detail::RunExtras;
using vitals::testing::RawDb;
using vitals::testing::TempDir;

using vitals::testing::open_store;

namespace {

// Indicator `n` of a run: odd ones are exceptions (continuing since January),
// every fourth has no latest point, every fifth could not be completed.
IndicatorResult indicator(int n, const Period& period) {
  IndicatorResult r;
  r.indicator_id = "ind_" + std::to_string(100 + n);
  r.title = "Indicator " + std::to_string(n);
  r.polarity = n % 2 ? Polarity::kBiggerIsBetter : Polarity::kSmallerIsBetter;
  r.unit = Unit::kPercent;
  if (n % 3 == 0) r.decimals = 2;  // the others: the unit's default
  r.frequency = Frequency::kMonthly;
  r.data_state = DataState::kCurrent;
  r.is_exception = n % 2 == 1;
  if (n % 4 != 0) {
    r.latest = SeriesPoint{period, 40.0 + n, n % 3 ? std::optional<double>(4.0 + n) : std::nullopt,
                           10.0, 50.0, -20.0 + n, r.is_exception ? Rag::kRed : Rag::kGreen};
  }
  if (n % 5 == 0) r.incomplete = {"source 'csv' failed", "rule 'x' failed"};
  RuleOutcome off;
  off.rule_id = off.criterion = "off_target";
  off.status = r.is_exception ? RuleOutcome::Status::kException : RuleOutcome::Status::kOk;
  off.message = "value " + std::to_string(40 + n);
  off.evidence = {{"variance_pct", -20.0 + n}, {"rag", std::string("red")}, {"met", n % 2 == 0}};
  RuleOutcome worse;
  worse.rule_id = worse.criterion = "deterioration";
  worse.status = RuleOutcome::Status::kOk;
  worse.message = "no run of 3 worse periods";
  r.outcomes = {off, worse};
  if (r.is_exception) {
    r.lifecycle.state = ExceptionState::kContinuing;
    r.lifecycle.first_reported = Period::month(2017, 1);
    r.lifecycle.periods_reported = 2 + n;
  }
  return r;
}

EvaluationReport report_of(const std::string& period, int count) {
  EvaluationReport report;
  report.period = Period::parse(period).value();
  report.catalogue_name = "Adult Social Care";
  report.committee = "Adult Social Care Committee";
  for (int n = 0; n < count; ++n) report.indicators.push_back(indicator(n, report.period));
  return report;
}

RunExtras extras_for(const std::vector<LifecycleRow>& others = {}) {
  RunExtras extras;
  extras.manifest = RunManifest{"0.1.0", "cat", "rules", "plugins", "data"};
  extras.rows_for_exceptions = true;
  extras.lifecycle = others;
  return extras;
}

LifecycleRow resolved(const std::string& id) {
  LifecycleRow r;
  r.indicator_id = id;
  r.title = "Resolved " + id;
  r.state = ExceptionState::kResolved;
  r.first_reported = Period::month(2016, 11);
  r.last_reported = Period::month(2017, 2);
  r.periods_reported = 4;
  r.criteria = {"off_target"};
  return r;
}

// Every stored field of two reports, compared.
void check_same(const EvaluationReport& got, const EvaluationReport& want) {
  CHECK(got.period == want.period);
  CHECK(got.catalogue_name == want.catalogue_name);
  REQUIRE(got.indicators.size() == want.indicators.size());
  for (std::size_t i = 0; i < want.indicators.size(); ++i) {
    INFO("position " << i);
    const IndicatorResult& g = got.indicators[i];
    const IndicatorResult& w = want.indicators[i];
    CHECK(g.indicator_id == w.indicator_id);
    CHECK(g.title == w.title);
    CHECK(g.polarity == w.polarity);
    CHECK(g.decimals == w.decimals);
    CHECK(g.data_state == w.data_state);
    CHECK(g.is_exception == w.is_exception);
    CHECK(g.incomplete == w.incomplete);
    REQUIRE(g.latest.has_value() == w.latest.has_value());
    if (w.latest) {
      CHECK(g.latest->period == w.latest->period);
      CHECK(g.latest->value == w.latest->value);
      CHECK(g.latest->numerator == w.latest->numerator);
      CHECK(g.latest->variance_pct == w.latest->variance_pct);
      CHECK(g.latest->rag == w.latest->rag);
    }
    REQUIRE(g.outcomes.size() == w.outcomes.size());
    for (std::size_t j = 0; j < w.outcomes.size(); ++j) {
      CHECK(g.outcomes[j].rule_id == w.outcomes[j].rule_id);
      CHECK(g.outcomes[j].status == w.outcomes[j].status);
      CHECK(g.outcomes[j].message == w.outcomes[j].message);
      CHECK(g.outcomes[j].evidence == w.outcomes[j].evidence);
    }
  }
}

// The lifecycle rows a report stores: each exception's, then `others`, by id.
std::vector<std::string> lifecycle_text(const std::vector<LifecycleRow>& rows) {
  std::vector<std::string> out;
  for (const LifecycleRow& r : rows) {
    out.push_back(r.indicator_id + " " + r.title + " " + exception_state_name(r.state) + " " +
                  r.first_reported.to_string() + " " + r.last_reported.to_string() + " " +
                  std::to_string(r.periods_reported) + " " +
                  detail::join_criteria(r.criteria) +
                  (r.acceptance ? " accepted by " + r.acceptance->approver : ""));
  }
  return out;
}

std::vector<std::string> expected_lifecycle(const EvaluationReport& report,
                                            std::vector<LifecycleRow> others = {}) {
  for (const IndicatorResult& r : report.indicators) {
    if (r.is_exception) others.push_back(detail::exception_row(r, report.period));
  }
  std::sort(others.begin(), others.end(), [](const LifecycleRow& a, const LifecycleRow& b) {
    return a.indicator_id < b.indicator_id;
  });
  return lifecycle_text(others);
}

std::vector<std::string> stored_lifecycle(HistoryStore& store, std::int64_t run) {
  auto rows = detail::load_lifecycle(store.db(), run);
  REQUIRE(rows.ok());
  return lifecycle_text(*rows);
}

struct Stored {
  std::optional<std::int64_t> base;
  std::int64_t indicator_rows = 0;
  std::int64_t finding_rows = 0;
};

Stored stored(const std::filesystem::path& path, std::int64_t run) {
  RawDb raw(path);
  const std::string id = std::to_string(run);
  Stored s;
  if (raw.integer("SELECT base_run IS NOT NULL FROM runs WHERE id = " + id) != 0) {
    s.base = raw.integer("SELECT base_run FROM runs WHERE id = " + id);
  }
  s.indicator_rows = raw.integer("SELECT count(*) FROM run_indicators WHERE run_id = " + id);
  s.finding_rows = raw.integer("SELECT count(*) FROM findings WHERE run_id = " + id);
  return s;
}

}  // namespace

TEST_CASE("a sequence of runs stores only what changed and each reads back whole",
          "[store][runs][delta]") {
  TempDir dir;
  const auto path = dir / "h.db";
  auto store = open_store(path);

  // March, first run: stored whole.
  EvaluationReport first = report_of("2017-03", 20);
  auto run1 = store->record_run(first, "0.1.0", 10, extras_for());
  REQUIRE(run1.ok());
  CHECK_FALSE(stored(path, *run1).base);
  CHECK(stored(path, *run1).indicator_rows == 20);
  CHECK(RawDb(path).integer("SELECT length(digests) FROM runs WHERE id = " +
                            std::to_string(*run1)) == 20 * detail::kPositionDigestSize);

  // March again, one message and one lifecycle changed: two positions stored.
  EvaluationReport second = first;
  second.indicators[3].outcomes[1].message = "a run of 3 worse periods";
  second.indicators[7].lifecycle.periods_reported = 99;
  auto run2 = store->record_run(second, "0.1.0", 20, extras_for());
  REQUIRE(run2.ok());
  CHECK(stored(path, *run2).base == *run1);
  CHECK(stored(path, *run2).indicator_rows == 2);
  CHECK(stored(path, *run2).finding_rows == 4);
  CHECK(RawDb(path).integer("SELECT count(*) FROM run_exceptions WHERE run_id = " +
                            std::to_string(*run2)) == 2);

  // March a third time, replacing the delta: its base is still the whole run,
  // and it has fewer indicators, one of them changed only in evidence.
  EvaluationReport third = first;
  third.indicators.resize(17);
  third.indicators[12].outcomes[0].evidence["rag"] = std::string("amber");
  // One unit in the last place of an evidence figure is a change too.
  third.indicators[14].outcomes[0].evidence["variance_pct"] = std::nextafter(-6.0, 0.0);
  // Decimals set, changed or dropped are a change too.
  third.indicators[1].decimals = 3;
  third.indicators[6].decimals = std::nullopt;
  auto run3 = store->record_run(third, "0.1.0", 30, extras_for());
  REQUIRE(run3.ok());
  CHECK(stored(path, *run3).base == *run1);
  CHECK(stored(path, *run3).indicator_rows == 4);

  // March a fourth time, with more indicators and a resolved exception on an
  // indicator whose own row is as before: the lifecycle row alone makes its
  // position differ.
  EvaluationReport fourth = first;
  fourth.indicators.push_back(indicator(20, first.period));
  fourth.indicators.push_back(indicator(21, first.period));
  const std::vector<LifecycleRow> fourth_others = {resolved("ind_102")};
  auto run4 = store->record_run(fourth, "0.1.0", 40, extras_for(fourth_others));
  REQUIRE(run4.ok());
  CHECK(stored(path, *run4).base == *run1);
  CHECK(stored(path, *run4).indicator_rows == 3);

  // April: every exception's last reported period moves on, so more than
  // half of the positions differ and the run is stored whole.
  EvaluationReport april = fourth;
  april.period = Period::month(2017, 4);
  auto run5 = store->record_run(april, "0.1.0", 50, extras_for());
  REQUIRE(run5.ok());
  CHECK_FALSE(stored(path, *run5).base);
  CHECK(stored(path, *run5).indicator_rows == 22);

  // Each run reads back whole, findings, incompleteness and lifecycle alike.
  const std::vector<std::pair<std::int64_t, const EvaluationReport*>> runs = {
      {*run1, &first}, {*run2, &second}, {*run3, &third}, {*run4, &fourth}, {*run5, &april}};
  for (const auto& [id, report] : runs) {
    INFO("run " << id);
    auto loaded = store->load_run(id);
    REQUIRE(loaded.ok());
    check_same(*loaded, *report);
    CHECK(loaded->run_id == id);
  }
  CHECK(stored_lifecycle(*store, *run1) == expected_lifecycle(first));
  CHECK(stored_lifecycle(*store, *run2) == expected_lifecycle(second));
  CHECK(stored_lifecycle(*store, *run3) == expected_lifecycle(third));
  CHECK(stored_lifecycle(*store, *run4) == expected_lifecycle(fourth, fourth_others));
  CHECK(stored_lifecycle(*store, *run5) == expected_lifecycle(april));

  // And after reopening the store.
  store.reset();
  auto reopened = open_store(path);
  auto again = reopened->load_run(*run3);
  REQUIRE(again.ok());
  check_same(*again, third);
}

TEST_CASE("a run where more than half the indicators changed is stored whole and becomes a base",
          "[store][runs][delta]") {
  TempDir dir;
  const auto path = dir / "h.db";
  auto store = open_store(path);
  EvaluationReport march = report_of("2017-03", 10);
  auto run1 = store->record_run(march, "0.1.0", 10, extras_for());
  REQUIRE(run1.ok());

  EvaluationReport april = report_of("2017-04", 10);  // every latest point is April's
  auto run2 = store->record_run(april, "0.1.0", 20, extras_for());
  REQUIRE(run2.ok());
  CHECK_FALSE(stored(path, *run2).base);
  CHECK(stored(path, *run2).indicator_rows == 10);

  // April re-run, unchanged: nothing stored for any indicator, based on April.
  auto run3 = store->record_run(april, "0.1.0", 30, extras_for());
  REQUIRE(run3.ok());
  CHECK(stored(path, *run3).base == *run2);
  CHECK(stored(path, *run3).indicator_rows == 0);
  auto loaded = store->load_run(*run3);
  REQUIRE(loaded.ok());
  check_same(*loaded, april);
  CHECK(stored_lifecycle(*store, *run3) == expected_lifecycle(april));

  // A run recorded without a lifecycle (the plain record_run) differs from its
  // base in every exception's position, and reads its exceptions from its
  // findings as before.
  auto run4 = store->record_run(april, "0.1.0", 40);
  REQUIRE(run4.ok());
  CHECK(stored(path, *run4).base == *run2);
  CHECK(stored(path, *run4).indicator_rows == 5);
  auto plain = store->load_run(*run4);
  REQUIRE(plain.ok());
  check_same(*plain, april);
  auto rows = detail::load_lifecycle(store->db(), *run4);
  REQUIRE(rows.ok());
  CHECK(rows->size() == 5);
}

TEST_CASE("a run of indicators not evaluated carries their lifecycle rows whatever its base",
          "[store][runs][delta]") {
  TempDir dir;
  auto store = open_store(dir / "h.db");
  EvaluationReport march = report_of("2017-03", 10);
  REQUIRE(store->record_run(march, "0.1.0", 10, extras_for()).ok());
  // Carried forward: a row of an indicator that is at no position of the run.
  const std::vector<LifecycleRow> carried = {resolved("not_evaluated")};
  auto run2 = store->record_run(march, "0.1.0", 20, extras_for(carried));
  REQUIRE(run2.ok());
  CHECK(stored_lifecycle(*store, *run2) == expected_lifecycle(march, carried));
}

TEST_CASE("a version 6 store's runs read back at version 9 and the next run is stored whole",
          "[store][runs][delta][migrations]") {
  TempDir dir;
  const auto path = dir / "old.db";
  {
    auto db = Db::open(path);
    REQUIRE(db.ok());
    REQUIRE(detail::migrate_to(*db, 6).is_ok());
    REQUIRE(db->exec("INSERT INTO runs (id, catalogue, committee, period, created_at,"
                     " engine_version, indicators, exceptions, diagnostics, catalogue_hash)"
                     " VALUES (1, 'Adult Social Care', 'Committee', '2017-03', 100, '0.1.0', 2, 1,"
                     " 0, 'cat');"
                     "INSERT INTO run_indicators (run_id, position, indicator_id, title, polarity,"
                     " unit, frequency, data_state, is_exception) VALUES"
                     " (1, 0, 'visits', 'Visits', 'bigger', 'number', 'monthly', 'current', 0),"
                     " (1, 1, 'dtoc', 'Delays', 'smaller', 'number', 'monthly', 'current', 1);"
                     "INSERT INTO findings (run_id, indicator_position, position, rule_id,"
                     " criterion, status, message, evidence) VALUES"
                     " (1, 1, 0, 'off_target', 'off_target', 'exception', 'off', '{}');"
                     "INSERT INTO run_exceptions (run_id, indicator_id, title, state,"
                     " first_reported, last_reported, periods_reported, criteria) VALUES"
                     " (1, 'dtoc', 'Delays', 'new', '2017-03', '2017-03', 1, 'off_target');",
                     "a version 6 run")
                .is_ok());
  }
  auto store = open_store(path);
  CHECK(RawDb(path).integer("PRAGMA user_version") == vitals::detail::latest_schema_version());
  auto old = store->load_run(1);
  REQUIRE(old.ok());
  REQUIRE(old->indicators.size() == 2);
  CHECK(old->indicators[1].indicator_id == "dtoc");
  CHECK(old->indicators[1].outcomes.at(0).message == "off");
  auto old_rows = detail::load_lifecycle(store->db(), 1);
  REQUIRE(old_rows.ok());
  REQUIRE(old_rows->size() == 1);
  CHECK((*old_rows)[0].indicator_id == "dtoc");

  // The old run has no digests, so the run replacing it is stored whole; the
  // one after that is a delta of it.
  EvaluationReport march = report_of("2017-03", 6);
  auto run2 = store->record_run(march, "0.1.0", 200, extras_for());
  REQUIRE(run2.ok());
  CHECK_FALSE(stored(path, *run2).base);
  CHECK(stored(path, *run2).indicator_rows == 6);
  auto run3 = store->record_run(march, "0.1.0", 300, extras_for());
  REQUIRE(run3.ok());
  CHECK(stored(path, *run3).base == *run2);
  auto loaded = store->load_run(*run3);
  REQUIRE(loaded.ok());
  check_same(*loaded, march);
  auto still = store->load_run(1);
  REQUIRE(still.ok());
  CHECK(still->indicators.size() == 2);
}

TEST_CASE("a position's digest does not depend on the positions digested before it",
          "[store][runs][delta]") {
  auto digest_of = [](detail::RowDigest& d, const std::string& text, std::int64_t n) {
    d.row('i');
    d(3, text);
    d(9, n);
    d(11, std::optional<double>(0.5));
    d(12, std::optional<double>());
    std::string out;
    d.finish(out);
    return out;
  };
  detail::RowDigest fresh;
  const std::string alone = digest_of(fresh, "b", 2);
  CHECK(alone.size() == detail::kPositionDigestSize);
  detail::RowDigest reused;
  const std::string first = digest_of(reused, "a", 1);
  CHECK(first != alone);
  CHECK(digest_of(reused, "b", 2) == alone);
  // A blank figure is not a zero, and field boundaries count.
  detail::RowDigest other;
  CHECK(digest_of(other, "b", 3) != alone);
  CHECK(digest_of(other, "ab", 2) != alone);
}

TEST_CASE("a run of thousands of indicators makes its digests beside its inserts and reads back",
          "[store][runs][delta]") {
  // 5,000 positions: more than record_run digests on one thread.
  TempDir dir;
  const auto path = dir / "h.db";
  auto store = open_store(path);
  EvaluationReport march = report_of("2017-03", 5000);
  auto run1 = store->record_run(march, "0.1.0", 10, extras_for({resolved("gone")}));
  REQUIRE(run1.ok());
  CHECK_FALSE(stored(path, *run1).base);
  CHECK(stored(path, *run1).indicator_rows == 5000);
  CHECK(stored(path, *run1).finding_rows == 10000);
  auto loaded = store->load_run(*run1);
  REQUIRE(loaded.ok());
  check_same(*loaded, march);
  CHECK(stored_lifecycle(*store, *run1) == expected_lifecycle(march, {resolved("gone")}));

  // A re-run where three indicators changed stores those three, against run 1,
  // with digests made on two threads; the same digests as a run stored whole.
  EvaluationReport again = march;
  for (int n : {0, 2500, 4999}) again.indicators[n].outcomes[0].message += " (revised)";
  auto run2 = store->record_run(again, "0.1.0", 20, extras_for({resolved("gone")}));
  REQUIRE(run2.ok());
  CHECK(stored(path, *run2).base == *run1);
  CHECK(stored(path, *run2).indicator_rows == 3);
  auto reloaded = store->load_run(*run2);
  REQUIRE(reloaded.ok());
  check_same(*reloaded, again);
  CHECK(stored_lifecycle(*store, *run2) == expected_lifecycle(again, {resolved("gone")}));
  RawDb raw(path);
  CHECK(raw.text("SELECT hex(substr(digests, 16 * 1 + 1, 16 * 2499)) FROM runs WHERE id = " +
                 std::to_string(*run2)) ==
        raw.text("SELECT hex(substr(digests, 16 * 1 + 1, 16 * 2499)) FROM runs WHERE id = " +
                 std::to_string(*run1)));
  CHECK(raw.text("SELECT hex(substr(digests, 1, 16)) FROM runs WHERE id = " +
                 std::to_string(*run2)) !=
        raw.text("SELECT hex(substr(digests, 1, 16)) FROM runs WHERE id = " +
                 std::to_string(*run1)));
}

TEST_CASE("a run recorded inside an open transaction is kept or undone with it",
          "[store][runs][delta]") {
  // The foreign key checks cannot be switched off inside a transaction: the
  // run is still recorded, with them.
  TempDir dir;
  const auto path = dir / "h.db";
  auto store = open_store(path);
  EvaluationReport march = report_of("2017-03", 10);
  {
    auto outer = detail::Transaction::begin(store->db(), detail::Transaction::Mode::kImmediate);
    REQUIRE(outer.ok());
    auto run = store->record_run(march, "0.1.0", 10, extras_for());
    REQUIRE(run.ok());
    // rolled back with `outer`
  }
  CHECK(RawDb(path).integer("SELECT count(*) FROM runs") == 0);
  CHECK(RawDb(path).integer("SELECT count(*) FROM run_indicators") == 0);
  {
    auto outer = detail::Transaction::begin(store->db(), detail::Transaction::Mode::kImmediate);
    REQUIRE(outer.ok());
    auto run = store->record_run(march, "0.1.0", 10, extras_for());
    REQUIRE(run.ok());
    REQUIRE(outer->commit().is_ok());
  }
  auto runs = store->list_runs();
  REQUIRE(runs.ok());
  REQUIRE(runs->size() == 1);
  auto loaded = store->load_run(runs->front().id);
  REQUIRE(loaded.ok());
  check_same(*loaded, march);
  // Outside a transaction they are left out while the run is recorded, and
  // back on afterwards.
  auto april = store->record_run(report_of("2017-04", 10), "0.1.0", 20, extras_for());
  REQUIRE(april.ok());
  auto fk = store->db().prepare("PRAGMA foreign_keys");
  REQUIRE(fk.ok());
  REQUIRE(*fk->step());
  CHECK(fk->column_int64(0) == 1);
}
