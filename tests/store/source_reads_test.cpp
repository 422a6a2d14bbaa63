// SPDX-License-Identifier: Apache-2.0
#include "store/source_reads.hpp"

#include "catch.hpp"
#include "store/history_store.hpp"
#include "store/migrations.hpp"
#include "store/sqlite_db.hpp"
#include "store/store_test_support.hpp"
#include "support/temp_dir.hpp"

#include <filesystem>
#include <string>

using namespace vitals;
using vitals::detail::forget_source_read;
using vitals::detail::HistoryStore;
using vitals::detail::load_source_read;
using vitals::detail::remember_source_read;
using vitals::detail::SourceRead;
using vitals::testing::RawDb;
using vitals::testing::TempDir;

namespace {

SourceRead sample_read() {
  SourceRead read;
  read.source = "national";
  read.read_key = std::string(64, 'a');
  read.read_at = 1'700'000'000;
  read.series = 3;
  read.observations = 4'000'000'000;  // more than an int holds
  read.records = 2;
  Diagnostic located = Diagnostic::make(Severity::kWarning, "data.metadata_mismatch",
                                        "the title column says 'x'", SourceLocation{"/d/data.csv", 4, 0});
  located.indicator_id = "b";
  read.diagnostics.push_back(located);
  read.diagnostics.push_back(Diagnostic::make(Severity::kError, "data.unknown_series", "'A ' is 'a'",
                                              SourceLocation{"/d/data.csv", 7, 2}));
  read.diagnostics.push_back(Diagnostic::make(Severity::kNote, "plugin.note", "no location"));
  read.unknown_series.push_back(UnknownSeries{"national", "c", 1, ""});
  read.unknown_series.push_back(UnknownSeries{"national", "A ", 5, "a"});
  detail::KnownFile file;
  file.stamp.path = "/d/data.csv";
  file.stamp.device = 0xfd01;
  file.stamp.inode = 0xffff'ffff'ffff'fff0;  // more than an int64 holds: its bits are kept
  file.stamp.size = 630'000'000;
  file.stamp.mtime_ns = 1'700'000'000'123'456'789;
  file.stamp.ctime_ns = 1'700'000'001'987'654'321;
  file.sha256 = std::string(64, 'c');
  file.stamped_at_ns = 1'700'000'005'000'000'001;
  read.files.push_back(file);
  file.stamp.path = "/d/other.csv";
  file.sha256 = std::string(64, 'd');
  read.files.push_back(file);
  return read;
}

void check_same(const SourceRead& a, const SourceRead& b) {
  CHECK(a.source == b.source);
  CHECK(a.read_key == b.read_key);
  CHECK(a.read_at == b.read_at);
  CHECK(a.series == b.series);
  CHECK(a.observations == b.observations);
  CHECK(a.records == b.records);
  CHECK(a.diagnostics == b.diagnostics);
  REQUIRE(a.unknown_series.size() == b.unknown_series.size());
  for (std::size_t i = 0; i < a.unknown_series.size(); ++i) {
    CHECK(a.unknown_series[i].source == b.unknown_series[i].source);
    CHECK(a.unknown_series[i].key == b.unknown_series[i].key);
    CHECK(a.unknown_series[i].rows == b.unknown_series[i].rows);
    CHECK(a.unknown_series[i].suggestion == b.unknown_series[i].suggestion);
  }
  CHECK(a.files == b.files);
}

}  // namespace

TEST_CASE("a source's read is remembered whole and forgotten", "[store][source_reads]") {
  TempDir dir;
  auto store = HistoryStore::open(dir / "history.db");
  REQUIRE(store.ok());
  detail::Db& db = (*store)->db();

  auto none = load_source_read(db, "national");
  REQUIRE(none.ok());
  CHECK(!none->has_value());

  const SourceRead read = sample_read();
  REQUIRE(remember_source_read(db, read).is_ok());
  auto loaded = load_source_read(db, "national");
  REQUIRE(loaded.ok());
  REQUIRE(loaded->has_value());
  check_same(**loaded, read);
  CHECK(!load_source_read(db, "other")->has_value());

  // Remembering again replaces, diagnostics and all.
  SourceRead fewer = read;
  fewer.read_key = std::string(64, 'b');
  fewer.diagnostics.resize(1);
  fewer.unknown_series.clear();
  REQUIRE(remember_source_read(db, fewer).is_ok());
  check_same(**load_source_read(db, "national"), fewer);

  // The files' stamps refreshed: the rest stays.
  SourceRead refreshed = fewer;
  refreshed.files.resize(1);
  refreshed.files[0].stamp.mtime_ns += 1;
  refreshed.files[0].stamped_at_ns += 1;
  REQUIRE(detail::refresh_source_read_files(db, "national", refreshed.files).is_ok());
  check_same(**load_source_read(db, "national"), refreshed);
  // Nothing to refresh for a source with no remembered read.
  REQUIRE(detail::refresh_source_read_files(db, "other", refreshed.files).is_ok());
  CHECK(!load_source_read(db, "other")->has_value());

  REQUIRE(forget_source_read(db, "national").is_ok());
  CHECK(!load_source_read(db, "national")->has_value());
  RawDb raw(dir / "history.db");
  CHECK(raw.integer("SELECT count(*) FROM source_read_files") == 0);
  CHECK(raw.integer("SELECT count(*) FROM source_read_diagnostics") == 0);
  CHECK(raw.integer("SELECT count(*) FROM source_read_unknown_series") == 0);
  // Forgetting what is not there is no error.
  CHECK(forget_source_read(db, "national").is_ok());
}

TEST_CASE("a store of the previous schema gains the remembered reads and keeps its data",
          "[store][source_reads][migrations]") {
  TempDir dir;
  const auto path = dir / "history.db";
  {
    auto db = detail::Db::open(path);
    REQUIRE(db.ok());
    REQUIRE(detail::migrate_to(*db, 6).is_ok());
  }
  {
    RawDb raw(path);
    REQUIRE(raw.integer("PRAGMA user_version") == 6);
    CHECK(raw.integer("SELECT count(*) FROM sqlite_schema WHERE name = 'source_reads'") == 0);
  }
  {
    auto store = HistoryStore::open(path);
    REQUIRE(store.ok());
    Series s;
    s.key = "a";
    s.observations.push_back(Observation{Period::month(2024, 4), 1.0, {}, {}, {}});
    REQUIRE((*store)->ingest("national", {s}, 100).ok());
    CHECK(!load_source_read((*store)->db(), "national")->has_value());
    REQUIRE(remember_source_read((*store)->db(), sample_read()).is_ok());
  }
  RawDb raw(path);
  CHECK(raw.integer("PRAGMA user_version") == vitals::detail::latest_schema_version());
  CHECK(raw.integer("SELECT count(*) FROM source_reads") == 1);
  CHECK(raw.integer("SELECT count(*) FROM observations") == 1);
}

TEST_CASE("a store of schema version 9 gains the files of remembered reads and keeps its reads",
          "[store][source_reads][migrations]") {
  TempDir dir;
  const auto path = dir / "history.db";
  SourceRead before = sample_read();
  before.files.clear();
  {
    auto db = detail::Db::open(path);
    REQUIRE(db.ok());
    REQUIRE(detail::migrate_to(*db, 9).is_ok());
    RawDb raw(path);
    REQUIRE(raw.integer("PRAGMA user_version") == 9);
    CHECK(raw.integer("SELECT count(*) FROM sqlite_schema WHERE name = 'source_read_files'") == 0);
    raw.exec("INSERT INTO source_reads (source, read_key, read_at, series, observations, records)"
             " VALUES ('national', '" + before.read_key + "', 1700000000, 3, 4000000000, 2)");
  }
  auto store = HistoryStore::open(path);
  REQUIRE(store.ok());
  CHECK(RawDb(path).integer("PRAGMA user_version") == vitals::detail::latest_schema_version());
  auto loaded = load_source_read((*store)->db(), "national");
  REQUIRE(loaded.ok());
  REQUIRE(loaded->has_value());
  CHECK((*loaded)->read_key == before.read_key);
  CHECK((*loaded)->files.empty());
  REQUIRE(remember_source_read((*store)->db(), sample_read()).is_ok());
  check_same(**load_source_read((*store)->db(), "national"), sample_read());
}
