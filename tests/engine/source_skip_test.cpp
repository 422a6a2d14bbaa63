// SPDX-License-Identifier: Apache-2.0
// An ingest does not read again a source whose files, plugin, settings and
// series mapping are unchanged since its last read, and repeats what that
// read said; anything changed is read.
#include "catch.hpp"
#include "engine/engine_test_support.hpp"
#include "store/store_test_support.hpp"
#include "support/temp_dir.hpp"

#include <vitals/engine.hpp>

#include <fcntl.h>
#include <sys/stat.h>

#include <algorithm>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <string>
#include <tuple>
#include <vector>

using namespace vitals;
using vitals::testing::RawDb;
using vitals::testing::TempDir;

namespace {

namespace fs = std::filesystem;

// Two series the catalogue reads (one with a title the catalogue disagrees
// with) and one it does not: a located warning of each kind.
const std::string kCsv =
    "indicator_id,period,value,title\n"
    "a,2024-04,1,Alpha\n"
    "a,2024-05,2,Alpha\n"
    "b,2024-04,3,Not Beta\n"
    "c,2024-04,4,Gamma\n";

std::string catalogue_toml(const std::string& settings) {
  return "[catalogue]\nname = \"Test\"\ncommittee = \"Test Committee\"\nrule_dirs = [\"" +
         std::string(VITALS_SOURCE_DIR) + "/rules/council\"]\n\n[sources.national]\nplugin = \"csv\"\n" +
         settings;
}

std::string indicators_toml(const std::string& b_series) {
  std::string out;
  for (const auto& [id, title, series] :
       {std::tuple<std::string, std::string, std::string>{"a", "Alpha", "a"},
        std::tuple<std::string, std::string, std::string>{"b", "Beta", b_series}}) {
    out += "[[indicator]]\nid = \"" + id + "\"\ntitle = \"" + title +
           "\"\npolarity = \"bigger\"\nunit = \"number\"\nfrequency = \"monthly\"\ntarget = 1\n"
           "source = \"national\"\nseries = \"" + series + "\"\n\n";
  }
  return out;
}

struct Fixture {
  TempDir dir;
  Fixture() {
    dir.write("cat/catalogue.toml", catalogue_toml("path = \"data.csv\"\n"));
    dir.write("cat/indicators/i.toml", indicators_toml("b"));
    dir.write("cat/data.csv", kCsv);
  }
  // A new engine each time, as each `vitals ingest` is a new process.
  IngestSummary ingest(const std::vector<fs::path>& plugin_dirs = {}) {
    EngineOptions options;
    options.store_path = dir / "vitals.db";
    options.plugins.enabled = true;
    options.plugins.dirs = plugin_dirs.empty() ? std::vector<fs::path>{VITALS_PLUGIN_DIR} : plugin_dirs;
    auto engine = Engine::open(options);
    REQUIRE(engine.ok());
    REQUIRE(engine->load_catalogue(dir / "cat").is_ok());
    auto summary = engine->ingest();
    REQUIRE(summary.ok());
    return std::move(*summary);
  }
};

// The sources the ingest did not read again, by their notes.
std::vector<std::string> skipped(const IngestSummary& s) {
  std::vector<std::string> out;
  for (const Diagnostic& d : s.diagnostics) {
    if (d.code != "source.unchanged") continue;
    CHECK(d.severity == Severity::kNote);
    const std::size_t open = d.message.find('\'');
    out.push_back(d.message.substr(open + 1, d.message.find('\'', open + 1) - open - 1));
  }
  return out;
}

// `b`'s diagnostics, its notes of sources not read again left out, are
// exactly `a`'s: same text, same locations, same order.
void check_same_diagnostics(const IngestSummary& a, const IngestSummary& b) {
  std::vector<Diagnostic> repeated;
  for (const Diagnostic& d : b.diagnostics) {
    if (d.code != "source.unchanged") repeated.push_back(d);
  }
  REQUIRE(a.diagnostics.size() == repeated.size());
  for (std::size_t i = 0; i < a.diagnostics.size(); ++i) {
    CHECK(a.diagnostics[i].to_string() == repeated[i].to_string());
    CHECK(a.diagnostics[i] == repeated[i]);
  }
  REQUIRE(a.unknown_series.size() == b.unknown_series.size());
  for (std::size_t i = 0; i < a.unknown_series.size(); ++i) {
    CHECK(a.unknown_series[i].key == b.unknown_series[i].key);
    CHECK(a.unknown_series[i].rows == b.unknown_series[i].rows);
    CHECK(a.unknown_series[i].suggestion == b.unknown_series[i].suggestion);
  }
}

bool has_code(const IngestSummary& s, const std::string& code) {
  return std::any_of(s.diagnostics.begin(), s.diagnostics.end(),
                     [&](const Diagnostic& d) { return d.code == code; });
}

std::int64_t stored_blocks(const fs::path& db) {
  return RawDb(db).integer("SELECT count(*) FROM observation_blocks");
}

struct Stat {
  std::int64_t device, inode, size, mtime_ns, ctime_ns;
};

Stat stat_of(const fs::path& path) {
  struct stat st {};
  REQUIRE(::stat(path.c_str(), &st) == 0);
  return Stat{static_cast<std::int64_t>(st.st_dev), static_cast<std::int64_t>(st.st_ino),
              static_cast<std::int64_t>(st.st_size),
              static_cast<std::int64_t>(st.st_mtim.tv_sec) * 1'000'000'000 + st.st_mtim.tv_nsec,
              static_cast<std::int64_t>(st.st_ctim.tv_sec) * 1'000'000'000 + st.st_ctim.tv_nsec};
}

// Sets the file's modification time (nanoseconds); its change time becomes now.
void set_mtime(const fs::path& path, std::int64_t mtime_ns) {
  timespec times[2];
  times[0].tv_sec = 0;
  times[0].tv_nsec = UTIME_OMIT;
  times[1].tv_sec = mtime_ns / 1'000'000'000;
  times[1].tv_nsec = mtime_ns % 1'000'000'000;
  REQUIRE(::utimensat(AT_FDCWD, path.c_str(), times, 0) == 0);
}

// kCsv with one figure changed, the same size.
std::string same_size_revision() {
  std::string csv = kCsv;
  csv.replace(csv.find("a,2024-05,2"), 11, "a,2024-05,3");
  return csv;
}

constexpr std::int64_t kSecond = 1'000'000'000;
const std::string kWrongHash(64, '0');

// What the store recorded of the source's one file.
std::string recorded(const fs::path& db, const std::string& column) {
  RawDb raw(db);
  REQUIRE(raw.integer("SELECT count(*) FROM source_read_files") == 1);
  return raw.text("SELECT " + column + " FROM source_read_files");
}

}  // namespace

TEST_CASE("an unchanged csv source is not read again and says what it said", "[engine][ingest][skip]") {
  Fixture f;
  IngestSummary first = f.ingest();
  CHECK(skipped(first).empty());
  CHECK(first.sources == 1);
  CHECK(first.inserted == 4);
  REQUIRE(has_code(first, "data.unknown_series"));
  REQUIRE(has_code(first, "data.metadata_mismatch"));
  CHECK(first.unknown_series.size() == 1);

  IngestSummary again = f.ingest();
  CHECK(skipped(again) == std::vector<std::string>{"national"});
  CHECK(again.sources == 1);
  CHECK(again.series == first.series);
  CHECK(again.inserted == 0);
  CHECK(again.revised == 0);
  CHECK(again.unchanged == 4);
  CHECK(again.failed.empty());
  check_same_diagnostics(first, again);
  for (const Diagnostic& d : again.diagnostics) {
    if (d.code != "source.unchanged") continue;
    REQUIRE(d.location);
    CHECK(d.location->file == (f.dir / "cat" / "catalogue.toml").string());
    CHECK(d.message.find("not read again") != std::string::npos);
  }

  // A third time too: what is repeated is what was first read.
  IngestSummary third = f.ingest();
  CHECK(skipped(third) == std::vector<std::string>{"national"});
  check_same_diagnostics(first, third);
}

TEST_CASE("a source is read again when anything its read depends on changed", "[engine][ingest][skip]") {
  Fixture f;
  IngestSummary first = f.ingest();
  REQUIRE(skipped(f.ingest()).size() == 1);

  SECTION("one byte of the file") {
    std::string csv = kCsv;
    csv.replace(csv.find("a,2024-05,2"), 11, "a,2024-05,3");
    f.dir.write("cat/data.csv", csv);
    IngestSummary read = f.ingest();
    CHECK(skipped(read).empty());
    CHECK(read.revised == 1);
    // Back to the first bytes: read again (the store holds the revision).
    f.dir.write("cat/data.csv", kCsv);
    IngestSummary back = f.ingest();
    CHECK(skipped(back).empty());
    CHECK(back.revised == 1);
    CHECK(skipped(f.ingest()).size() == 1);
  }
  SECTION("a row more: a file of another size, whose key is made while it is read") {
    f.dir.write("cat/data.csv", kCsv + "a,2024-06,5,Alpha\n");
    IngestSummary read = f.ingest();
    CHECK(skipped(read).empty());
    CHECK(read.inserted == 1);
    CHECK(read.unchanged == 4);
    CHECK(skipped(f.ingest()).size() == 1);
  }
  SECTION("the file's bytes rewritten the same") {
    // Same bytes, new modification time: the content decides, so skipped.
    f.dir.write("cat/data.csv", kCsv);
    CHECK(skipped(f.ingest()).size() == 1);
  }
  SECTION("a setting") {
    f.dir.write("cat/catalogue.toml", catalogue_toml("path = \"data.csv\"\nencoding = \"utf-8\"\n"));
    IngestSummary read = f.ingest();
    CHECK(skipped(read).empty());
    CHECK(read.unchanged == 4);
    CHECK(skipped(f.ingest()).size() == 1);
  }
  SECTION("the file a setting names, with the same bytes") {
    f.dir.write("cat/other.csv", kCsv);
    f.dir.write("cat/catalogue.toml", catalogue_toml("path = \"other.csv\"\n"));
    CHECK(skipped(f.ingest()).empty());
  }
  SECTION("the catalogue's series mapping for the source") {
    // b now reads series c: c is no longer unknown, b is.
    f.dir.write("cat/indicators/i.toml", indicators_toml("c"));
    IngestSummary read = f.ingest();
    CHECK(skipped(read).empty());
    REQUIRE(read.unknown_series.size() == 1);
    CHECK(read.unknown_series[0].key == "b");
  }
  SECTION("the plugin's file") {
    const fs::path plugins = f.dir / "plugins";
    fs::create_directories(plugins);
    fs::path copy;
    for (const auto& entry : fs::directory_iterator(VITALS_PLUGIN_DIR)) {
      const std::string name = entry.path().filename().string();
      if (name != "csv_source.so") continue;
      copy = plugins / name;
      fs::copy_file(entry.path(), copy);
    }
    REQUIRE(!copy.empty());
    CHECK(skipped(f.ingest({plugins})).empty());  // another plugin file
    CHECK(skipped(f.ingest({plugins})).size() == 1);
    // The same plugin with one more byte at its end (it still loads): another build.
    std::ofstream(copy, std::ios::app | std::ios::binary) << '\0';
    IngestSummary read = f.ingest({plugins});
    CHECK(skipped(read).empty());
    CHECK(read.unchanged == 4);
    CHECK(skipped(f.ingest({plugins})).size() == 1);
  }
  SECTION("the file removed, then back") {
    // A missing file is found when the catalogue is loaded, and the source
    // is not fetched: the store still holds what the file gave, so the same
    // file back is not read again.
    fs::remove(f.dir / "cat" / "data.csv");
    IngestSummary missing = f.ingest();
    CHECK(skipped(missing).empty());
    CHECK(missing.failed.size() == 1);
    f.dir.write("cat/data.csv", kCsv);
    CHECK(skipped(f.ingest()).size() == 1);
  }
  SECTION("a read that fails") {
    // The remembered read is forgotten before the source is read; a read
    // that fails stores nothing and remembers nothing, so the first file
    // back is read again.
    f.dir.write("cat/data.csv", kCsv + "a,2024-06,lots,Alpha\n");
    IngestSummary failed = f.ingest();
    CHECK(skipped(failed).empty());
    CHECK(failed.failed.size() == 1);
    CHECK(RawDb(f.dir / "vitals.db").integer("SELECT count(*) FROM source_reads") == 0);
    f.dir.write("cat/data.csv", kCsv);
    IngestSummary read = f.ingest();
    CHECK(skipped(read).empty());
    CHECK(read.unchanged == 4);
  }
}

TEST_CASE("series pushed by the embedding program replace a remembered read", "[engine][ingest][skip]") {
  Fixture f;
  f.ingest();
  {
    EngineOptions options;
    options.store_path = f.dir / "vitals.db";
    options.plugins.enabled = true;
    options.plugins.dirs = {VITALS_PLUGIN_DIR};
    auto engine = Engine::open(options);
    REQUIRE(engine.ok());
    REQUIRE(engine->load_catalogue(f.dir / "cat").is_ok());
    Series s;
    s.key = "a";
    s.observations.push_back(Observation{Period::month(2024, 5), 9.0, {}, {}, {}});
    REQUIRE(engine->ingest_series("national", {s}).ok());
  }
  CHECK(RawDb(f.dir / "vitals.db").integer("SELECT count(*) FROM source_reads") == 0);
  // The file is read again, so the store holds its figures once more.
  IngestSummary read = f.ingest();
  CHECK(skipped(read).empty());
  CHECK(read.revised == 1);
  CHECK(stored_blocks(f.dir / "vitals.db") > 0);
}

// A file's recorded hash is trusted while its stamp (device, inode, size,
// modification and change times) is exactly as recorded and it was last
// changed before the second in which the stamp was taken. The tests change
// the recorded hash to a wrong one: a trusted stamp keeps it (and the
// source is read, as its key no longer matches), a file hashed again
// replaces it (and the source is skipped, as its bytes are the same).
TEST_CASE("a file is hashed again only when its stamp changed or was taken too soon after a change",
          "[engine][ingest][skip][stamps]") {
  Fixture f;
  f.ingest();
  const fs::path db = f.dir / "vitals.db";
  const fs::path csv = f.dir / "cat" / "data.csv";
  CHECK(recorded(db, "path") == csv.string());
  CHECK(recorded(db, "size") == std::to_string(kCsv.size()));
  CHECK(recorded(db, "sha256").size() == 64);
  const Stat first = stat_of(csv);
  CHECK(recorded(db, "mtime_ns") == std::to_string(first.mtime_ns));
  CHECK(recorded(db, "ctime_ns") == std::to_string(first.ctime_ns));
  CHECK(recorded(db, "inode") == std::to_string(first.inode));
  const std::string right_hash = recorded(db, "sha256");
  const std::int64_t last_change = std::max(first.mtime_ns, first.ctime_ns);

  // The stamp recorded two seconds after the file's last change, with a
  // wrong hash.
  auto record = [&](std::int64_t stamped_at_ns) {
    RawDb(db).exec("UPDATE source_read_files SET sha256 = '" + kWrongHash +
                   "', stamped_at_ns = " + std::to_string(stamped_at_ns));
  };
  record(last_change + 2 * kSecond);

  SECTION("unchanged: not read to be hashed, the recorded hash is trusted") {
    CHECK(skipped(f.ingest()).empty());
  }
  SECTION("unchanged, with its true hash: skipped without hashing") {
    RawDb(db).exec("UPDATE source_read_files SET sha256 = '" + right_hash + "'");
    CHECK(skipped(f.ingest()).size() == 1);
    CHECK(skipped(f.ingest()).size() == 1);
  }
  SECTION("stamp taken in the second of its last change (racily clean): hashed") {
    record(last_change);
    CHECK(skipped(f.ingest()).size() == 1);
    CHECK(recorded(db, "sha256") == right_hash);
  }
  SECTION("touched: hashed, the same bytes, so skipped, and the new stamp recorded") {
    set_mtime(csv, first.mtime_ns + 5 * kSecond);
    CHECK(skipped(f.ingest()).size() == 1);
    CHECK(recorded(db, "sha256") == right_hash);
    CHECK(recorded(db, "mtime_ns") == std::to_string(first.mtime_ns + 5 * kSecond));
    CHECK(recorded(db, "ctime_ns") == std::to_string(stat_of(csv).ctime_ns));
  }
  SECTION("rewritten with the same size and its modification time put back: read") {
    const std::string csv_text = same_size_revision();
    f.dir.write("cat/data.csv", csv_text);
    set_mtime(csv, first.mtime_ns);
    REQUIRE(stat_of(csv).size == first.size);
    REQUIRE(stat_of(csv).mtime_ns == first.mtime_ns);
    IngestSummary read = f.ingest();
    CHECK(skipped(read).empty());
    CHECK(read.revised == 1);
  }
  SECTION("rewritten in the same second, on a clock too coarse to change its stamp: read") {
    // What a file system with one-second times gives: the rewritten file
    // has the stamp recorded for the first bytes, taken in the same second.
    const std::string csv_text = same_size_revision();
    f.dir.write("cat/data.csv", csv_text);
    const Stat now = stat_of(csv);
    RawDb(db).exec("UPDATE source_read_files SET sha256 = '" + right_hash +
                   "', mtime_ns = " + std::to_string(now.mtime_ns) +
                   ", ctime_ns = " + std::to_string(now.ctime_ns) +
                   ", stamped_at_ns = " + std::to_string(std::max(now.mtime_ns, now.ctime_ns)));
    IngestSummary read = f.ingest();
    CHECK(skipped(read).empty());
    CHECK(read.revised == 1);
  }
  SECTION("another file of the same size moved into its place: read") {
    const std::string csv_text = same_size_revision();
    f.dir.write("cat/moved.csv", csv_text);
    set_mtime(f.dir / "cat" / "moved.csv", first.mtime_ns);
    fs::rename(f.dir / "cat" / "moved.csv", csv);
    CHECK(stat_of(csv).inode != first.inode);
    IngestSummary read = f.ingest();
    CHECK(skipped(read).empty());
    CHECK(read.revised == 1);
  }
  SECTION("moved away and back: hashed, the same bytes, so skipped") {
    fs::rename(csv, f.dir / "cat" / "away.csv");
    fs::rename(f.dir / "cat" / "away.csv", csv);
    // Renaming changes the change time on the file systems tested here;
    // where it does not, the stamp is the same and trusted, with the same effect.
    IngestSummary again = f.ingest();
    if (stat_of(csv).ctime_ns != first.ctime_ns) {
      CHECK(skipped(again).size() == 1);
      CHECK(recorded(db, "sha256") == right_hash);
    } else {
      CHECK(skipped(again).empty());
    }
  }
}
