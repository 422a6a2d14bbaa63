// SPDX-License-Identifier: Apache-2.0
#include "store/history_store.hpp"

#include "catch.hpp"
#include "store/store_test_support.hpp"
#include "support/temp_dir.hpp"

#include <cmath>
#include <limits>
#include <string>
#include <thread>
#include <vector>

using vitals::Observation;
using vitals::Period;
using vitals::Series;
using vitals::StatusCode;
using vitals::detail::HistoryStore;
using vitals::detail::IngestCounts;
using vitals::testing::month;
using vitals::testing::obs;
using vitals::testing::RawDb;
using vitals::testing::TempDir;

using vitals::testing::open_store;
using vitals::testing::load;
using vitals::testing::same;
using vitals::testing::ingest;

namespace {

std::vector<std::string> periods_of(const std::vector<Observation>& observations) {
  std::vector<std::string> out;
  for (const Observation& o : observations) out.push_back(o.period.to_string());
  return out;
}

// Delayed transfers of care attributable to social care, Norfolk 2016/17 (per 100k).
Series dtoc() {
  return Series{"asc_dtoc_social_care",
                {obs(month(2017, 1), 3.12, std::nullopt, std::nullopt, 1.5),
                 obs(month(2017, 2), 3.4, std::nullopt, std::nullopt, 1.5),
                 obs(month(2017, 3), 3.56, std::nullopt, std::nullopt, 1.5)}};
}

}  // namespace

TEST_CASE("ingest counts inserted, revised and unchanged periods", "[store][history]") {
  TempDir dir;
  auto store = open_store(dir / "h.db");

  CHECK(same(ingest(*store, "dashboard", {dtoc()}, 1000), 3, 0, 0));
  CHECK(same(ingest(*store, "dashboard", {dtoc()}, 2000), 0, 0, 3));

  Series revised = dtoc();
  revised.observations[2].value = 3.6;                       // figure changed
  revised.observations.push_back(obs(month(2017, 4), 2.9));  // new period
  CHECK(same(ingest(*store, "dashboard", {revised}, 3000), 1, 1, 2));

  auto loaded = load(*store, "dashboard", "asc_dtoc_social_care");
  REQUIRE(loaded.size() == 4);
  CHECK(loaded[2] == revised.observations[2]);
  CHECK(loaded[3] == obs(month(2017, 4), 2.9));

  RawDb raw(dir / "h.db");
  CHECK(raw.integer("SELECT count(*) FROM observations") == 5);
  CHECK(raw.integer("SELECT count(*) FROM observations WHERE superseded_at IS NULL") == 4);
}

TEST_CASE("counts add up over several series in one ingest", "[store][history]") {
  TempDir dir;
  auto store = open_store(dir / "h.db");
  Series employment{"asc_ld_employment", {obs(month(2017, 3), 2.6, 58, 2231, 3.0)}};
  CHECK(same(ingest(*store, "dashboard", {dtoc(), employment}, 1), 4, 0, 0));
  employment.observations[0].numerator = 59;
  CHECK(same(ingest(*store, "dashboard", {dtoc(), employment}, 2), 0, 1, 3));
}

TEST_CASE("any difference in value, numerator, denominator or target is a revision",
          "[store][history]") {
  TempDir dir;
  auto store = open_store(dir / "h.db");
  const Observation base = obs(month(2017, 3), 2.6, 58, 2231, 3.0);
  REQUIRE(same(ingest(*store, "dashboard", {Series{"ld", {base}}}, 1), 1, 0, 0));

  Observation changed = base;
  SECTION("value to a different number") { changed.value = std::nextafter(2.6, 3.0); }
  SECTION("value to nothing") { changed.value.reset(); }
  SECTION("numerator") { changed.numerator = 57; }
  SECTION("numerator to nothing") { changed.numerator.reset(); }
  SECTION("denominator") { changed.denominator = 2230; }
  SECTION("target to nothing") { changed.target.reset(); }
  SECTION("target") { changed.target = 3.5; }
  REQUIRE(changed != base);
  CHECK(same(ingest(*store, "dashboard", {Series{"ld", {changed}}}, 2), 0, 1, 0));
  CHECK(load(*store, "dashboard", "ld") == std::vector<Observation>{changed});
  // Going back is a revision again, not a return to the old row.
  CHECK(same(ingest(*store, "dashboard", {Series{"ld", {base}}}, 3), 0, 1, 0));
  auto history = store->revisions("dashboard", "ld", month(2017, 3));
  REQUIRE(history.ok());
  CHECK(history->size() == 3);
}

TEST_CASE("a number appearing where there was none is a revision", "[store][history]") {
  TempDir dir;
  auto store = open_store(dir / "h.db");
  // A blank in the dashboard: no value yet, but the target is published.
  Observation blank = obs(month(2017, 3), std::nullopt, std::nullopt, std::nullopt, 88.0);
  CHECK(same(ingest(*store, "dashboard", {Series{"reviews", {blank}}}, 1), 1, 0, 0));
  CHECK(load(*store, "dashboard", "reviews") == std::vector<Observation>{blank});
  CHECK(same(ingest(*store, "dashboard", {Series{"reviews", {blank}}}, 2), 0, 0, 1));

  Observation filled = blank;
  filled.value = 0.0;
  CHECK(same(ingest(*store, "dashboard", {Series{"reviews", {filled}}}, 3), 0, 1, 0));
  CHECK(load(*store, "dashboard", "reviews") == std::vector<Observation>{filled});
}

TEST_CASE("an observation with no figures at all is stored", "[store][history]") {
  TempDir dir;
  auto store = open_store(dir / "h.db");
  Observation empty = obs(month(2017, 3), std::nullopt);
  CHECK(same(ingest(*store, "dashboard", {Series{"late", {empty}}}, 1), 1, 0, 0));
  CHECK(load(*store, "dashboard", "late") == std::vector<Observation>{empty});
}

TEST_CASE("revisions are kept oldest first with the last one current", "[store][history]") {
  TempDir dir;
  auto store = open_store(dir / "h.db");
  const Period march = month(2017, 3);
  for (auto [value, at] :
       {std::pair{3.5, 100}, std::pair{3.56, 200}, std::pair{3.56, 300}, std::pair{3.61, 400}}) {
    ingest(*store, "dashboard", {Series{"dtoc", {obs(march, value)}}}, at);
  }
  auto history = store->revisions("dashboard", "dtoc", march);
  REQUIRE(history.ok());
  REQUIRE(history->size() == 3);
  CHECK((*history)[0].observation == obs(march, 3.5));
  CHECK((*history)[0].ingested_at == 100);
  CHECK_FALSE((*history)[0].current);
  CHECK((*history)[1].observation == obs(march, 3.56));
  CHECK((*history)[1].ingested_at == 200);  // the identical delivery at 300 added nothing
  CHECK_FALSE((*history)[1].current);
  CHECK((*history)[2].observation == obs(march, 3.61));
  CHECK((*history)[2].ingested_at == 400);
  CHECK((*history)[2].current);

  RawDb raw(dir / "h.db");
  CHECK(raw.text("SELECT group_concat(superseded_at) FROM (SELECT superseded_at FROM observations"
                 " ORDER BY block_id)") == "200,400");

  auto none = store->revisions("dashboard", "dtoc", month(2017, 4));
  REQUIRE(none.ok());
  CHECK(none->empty());
}

TEST_CASE("series load in period order across year boundaries", "[store][history]") {
  TempDir dir;
  auto store = open_store(dir / "h.db");
  // Delivered out of order, and over two ingests.
  ingest(*store, "dashboard",
         {Series{"m", {obs(month(2017, 2), 2), obs(month(2016, 11), -1), obs(month(2017, 1), 1)}}},
         1);
  ingest(*store, "dashboard", {Series{"m", {obs(month(2016, 12), 0), obs(month(2016, 3), -9)}}}, 2);
  CHECK(periods_of(load(*store, "dashboard", "m")) ==
        std::vector<std::string>{"2016-03", "2016-11", "2016-12", "2017-01", "2017-02"});
}

TEST_CASE("quarterly and yearly periods load in period order", "[store][history]") {
  TempDir dir;
  auto store = open_store(dir / "h.db");
  ingest(*store, "ascof",
         {Series{"q",
                 {obs(Period::quarter(2017, 1), 1), obs(Period::quarter(2016, 3), 2),
                  obs(Period::quarter(2016, 4), 3), obs(Period::quarter(2015, 4), 4)}},
          Series{"fy",
                 {obs(Period::financial_year(2016), 1), obs(Period::financial_year(2015), 2),
                  obs(Period::financial_year(2009), 3)}},
          Series{"mixed",
                 {obs(Period::quarter(2017, 1), 1), obs(month(2017, 3), 2),
                  obs(Period::calendar_year(2016), 3), obs(Period::financial_year(2016), 4),
                  obs(month(2016, 12), 5)}}},
         1);
  CHECK(periods_of(load(*store, "ascof", "q")) ==
        std::vector<std::string>{"2015-Q4", "2016-Q3", "2016-Q4", "2017-Q1"});
  CHECK(periods_of(load(*store, "ascof", "fy")) ==
        std::vector<std::string>{"2009/10", "2015/16", "2016/17"});
  // A month sorts before the quarter or year that ends with it.
  CHECK(periods_of(load(*store, "ascof", "mixed")) ==
        std::vector<std::string>{"2016-12", "2016", "2017-03", "2017-Q1", "2016/17"});
}

TEST_CASE("series are kept apart by source and key", "[store][history]") {
  TempDir dir;
  auto store = open_store(dir / "h.db");
  ingest(*store, "dashboard", {Series{"x", {obs(month(2017, 3), 1)}}}, 1);
  ingest(*store, "ascof", {Series{"x", {obs(month(2017, 3), 2)}}}, 1);
  CHECK(load(*store, "dashboard", "x") == std::vector<Observation>{obs(month(2017, 3), 1)});
  CHECK(load(*store, "ascof", "x") == std::vector<Observation>{obs(month(2017, 3), 2)});
  CHECK(load(*store, "dashboard", "y").empty());
  CHECK(load(*store, "nowhere", "x").empty());
}

TEST_CASE("doubles are stored and compared exactly", "[store][history]") {
  TempDir dir;
  auto store = open_store(dir / "h.db");
  const std::vector<double> values = {0.1 + 0.2, 1e-300, -1.7976931348623157e308,
                                      std::numeric_limits<double>::denorm_min(), 4.0 / 3.0};
  std::vector<Observation> observations;
  for (std::size_t i = 0; i < values.size(); ++i) {
    observations.push_back(obs(month(2017, static_cast<int>(i) + 1), values[i]));
  }
  ingest(*store, "s", {Series{"k", observations}}, 1);
  CHECK(load(*store, "s", "k") == observations);
  CHECK(same(ingest(*store, "s", {Series{"k", observations}}, 2), 0, 0, 5));
}

TEST_CASE("reopening a store keeps its data", "[store][history]") {
  TempDir dir;
  {
    auto store = open_store(dir / "h.db");
    ingest(*store, "dashboard", {dtoc()}, 1000);
  }
  auto store = open_store(dir / "h.db");
  CHECK(load(*store, "dashboard", "asc_dtoc_social_care") == dtoc().observations);
  CHECK(same(ingest(*store, "dashboard", {dtoc()}, 2000), 0, 0, 3));
}

TEST_CASE("bad input is refused before anything is written", "[store][history]") {
  TempDir dir;
  auto store = open_store(dir / "h.db");
  ingest(*store, "dashboard", {dtoc()}, 1000);

  // Each bad batch starts with a good, changed series that must not be written.
  Series changed = dtoc();
  changed.observations[0].value = 99;
  changed.observations.push_back(obs(month(2017, 4), 1));
  std::string source = "dashboard";
  std::vector<Series> batch = {changed};
  std::string message;
  SECTION("an empty series key") {
    batch.push_back(Series{"", {obs(month(2017, 3), 1)}});
    message = "source 'dashboard' delivered a series with an empty key";
  }
  SECTION("an empty source name") {
    source.clear();
    message = "cannot store observations under an empty source name";
  }
  SECTION("the same key twice") {
    batch.push_back(Series{"other", {}});
    batch.push_back(Series{"other", {}});
    message = "source 'dashboard' delivered series 'other' twice";
  }
  SECTION("the same period twice") {
    batch.push_back(
        Series{"other", {obs(month(2017, 3), 1), obs(month(2017, 1), 2), obs(month(2017, 3), 1)}});
    message = "series 'other' from source 'dashboard' lists period 2017-03 more than once";
  }
  SECTION("a value that is not a number") {
    batch.push_back(Series{"other", {obs(month(2017, 3), std::nan(""))}});
    message =
        "series 'other' from source 'dashboard': the value for 2017-03 is not a finite number";
  }
  SECTION("an infinite denominator") {
    batch.push_back(
        Series{"other", {obs(month(2017, 3), 1, 1, std::numeric_limits<double>::infinity())}});
    message =
        "series 'other' from source 'dashboard': the denominator for 2017-03 is not a finite "
        "number";
  }
  auto counts = store->ingest(source, batch, 2000);
  REQUIRE_FALSE(counts.ok());
  CHECK(counts.status().code() == StatusCode::kInvalidArgument);
  CHECK(counts.status().message() == message);
  CHECK(load(*store, "dashboard", "asc_dtoc_social_care") == dtoc().observations);
  RawDb raw(dir / "h.db");
  CHECK(raw.integer("SELECT count(*) FROM observations") == 3);
  CHECK(raw.integer("SELECT count(*) FROM series") == 1);
}

TEST_CASE("an ingest that fails part way writes nothing", "[store][history]") {
  TempDir dir;
  auto path = dir / "h.db";
  auto store = open_store(path);
  ingest(*store, "dashboard", {dtoc()}, 1000);
  // A trigger makes SQLite itself fail on the last row of the batch.
  RawDb(path).exec(
      "CREATE TRIGGER refuse_june AFTER INSERT ON observation_blocks"
      " WHEN NEW.points LIKE '%\"2017-06\"%'"
      " BEGIN SELECT RAISE(ABORT, 'simulated failure'); END");

  Series changed = dtoc();
  changed.observations[0].value = 99;
  changed.observations.push_back(obs(month(2017, 4), 1));
  std::vector<Series> batch = {
      changed, Series{"new_series", {obs(month(2017, 5), 1), obs(month(2017, 6), 2)}}};
  auto counts = store->ingest("new_source", batch, 2000);
  REQUIRE_FALSE(counts.ok());
  CHECK(counts.status().code() == StatusCode::kStoreError);
  CHECK(counts.status().message().find("store '" + path.string() + "'") == 0);
  CHECK(counts.status().message().find("simulated failure") != std::string::npos);

  RawDb raw(path);
  CHECK(raw.integer("SELECT count(*) FROM observations") == 3);
  CHECK(raw.integer("SELECT count(*) FROM sources") == 1);
  CHECK(raw.integer("SELECT count(*) FROM series") == 1);
  CHECK(raw.integer("SELECT count(*) FROM observations WHERE superseded_at IS NOT NULL") == 0);
  CHECK(raw.integer("SELECT count(*) FROM observation_blocks") == 1);
  CHECK(load(*store, "dashboard", "asc_dtoc_social_care") == dtoc().observations);

  // The store is still usable once the cause is gone.
  raw.exec("DROP TRIGGER refuse_june");
  auto retry = store->ingest("new_source", batch, 3000);
  REQUIRE(retry.ok());
  CHECK(same(*retry, 6, 0, 0));
  // One block per series and ingest, numbered on from the first ingest's.
  CHECK(raw.text("SELECT group_concat(id || ':' || series_id || ':' || ingested_at) FROM"
                 " (SELECT * FROM observation_blocks ORDER BY id)") == "1:1:1000,2:2:3000,3:3:3000");
}

TEST_CASE("two stores on one file see each other's commits", "[store][history]") {
  TempDir dir;
  auto a = open_store(dir / "h.db");
  auto b = open_store(dir / "h.db");
  // b reads first, so a stale snapshot would show if statements held reads open.
  CHECK(load(*b, "dashboard", "asc_dtoc_social_care").empty());
  ingest(*a, "dashboard", {dtoc()}, 1000);
  CHECK(load(*b, "dashboard", "asc_dtoc_social_care") == dtoc().observations);

  Series revised = dtoc();
  revised.observations[2].value = 3.61;
  CHECK(same(ingest(*b, "dashboard", {revised}, 2000), 0, 1, 2));
  CHECK(load(*a, "dashboard", "asc_dtoc_social_care") == revised.observations);
  auto history = a->revisions("dashboard", "asc_dtoc_social_care", month(2017, 3));
  REQUIRE(history.ok());
  CHECK(history->size() == 2);
}

TEST_CASE("stores in two threads on one file both commit every ingest", "[store][history]") {
  TempDir dir;
  const auto path = dir / "h.db";
  { open_store(path); }
  auto writer = [&path](const std::string& key, std::vector<std::string>& errors) {
    auto store = HistoryStore::open(path);
    if (!store.ok()) {
      errors.push_back(store.status().to_string());
      return;
    }
    for (int round = 1; round <= 25; ++round) {
      std::vector<Observation> observations;
      for (int m = 1; m <= 12; ++m) observations.push_back(obs(month(2016, m), round * 100 + m));
      auto counts = (*store)->ingest("dashboard", {Series{key, observations}}, round);
      if (!counts.ok()) errors.push_back(counts.status().to_string());
    }
  };
  std::vector<std::string> errors_a, errors_b;
  std::thread a(writer, "a", std::ref(errors_a));
  std::thread b(writer, "b", std::ref(errors_b));
  a.join();
  b.join();
  CHECK(errors_a.empty());
  CHECK(errors_b.empty());

  auto store = open_store(path);
  for (const char* key : {"a", "b"}) {
    auto loaded = load(*store, "dashboard", key);
    REQUIRE(loaded.size() == 12);
    CHECK(loaded.back() == obs(month(2016, 12), 2512));
    auto history = store->revisions("dashboard", key, month(2016, 1));
    REQUIRE(history.ok());
    CHECK(history->size() == 25);
  }
  // Every ingest of either writer left its one block, and every revision is there.
  RawDb raw(path);
  CHECK(raw.integer("SELECT count(*) FROM observation_blocks") == 2 * 25);
  CHECK(raw.integer("SELECT count(*) FROM observations") == 2 * 25 * 12);
  CHECK(raw.integer("SELECT count(*) FROM observations WHERE superseded_at IS NULL") == 2 * 12);
}

TEST_CASE("the observations view reads only the series a query names", "[store][history]") {
  TempDir dir;
  auto store = open_store(dir / "h.db");
  std::vector<Series> all;
  for (int k = 0; k < 100; ++k) {
    Series s{"k" + std::to_string(k), {}};
    for (int m = 1; m <= 12; ++m) s.observations.push_back(obs(month(2016, m), k * 100.0 + m));
    all.push_back(s);
  }
  ingest(*store, "national", all, 100);
  all[7].observations[11].value = 1.5;
  ingest(*store, "national", {all[7]}, 200);

  RawDb raw(dir / "h.db");
  CHECK(raw.integer("SELECT count(*) FROM observations") == 100 * 12 + 1);
  CHECK(raw.text("SELECT group_concat(value || ':' || ifnull(superseded_at, '-')) FROM"
                 " (SELECT * FROM observations WHERE source = 'national' AND series = 'k7'"
                 " AND period = '2016-12' ORDER BY block_id)") == "712:200,1.5:-");
  // A filter on the source, series or period is applied before the view
  // unpacks the blocks, so one series costs a small part of the whole.
  const auto whole = raw.vm_steps("SELECT count(*) FROM observations");
  for (const char* where : {"series = 'k7'", "source = 'national' AND series = 'k7'",
                            "series_id = 8"}) {
    INFO(where);
    CHECK(raw.vm_steps(std::string("SELECT count(*) FROM observations WHERE ") + where) * 20 <
          whole);
  }
}
