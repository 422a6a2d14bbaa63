// SPDX-License-Identifier: Apache-2.0
#include "store/store_file.hpp"

#include "catch.hpp"
#include "store/history_store.hpp"
#include "store/migrations.hpp"
#include "store/store_test_support.hpp"
#include "support/temp_dir.hpp"

#include <filesystem>
#include <iterator>
#include <string>

using vitals::StatusCode;
using vitals::detail::HistoryStore;
using vitals::detail::kStoreApplicationId;
using vitals::detail::open_store_file;
using vitals::testing::month;
using vitals::testing::obs;
using vitals::testing::RawDb;
using vitals::testing::read_file;
using vitals::testing::TempDir;

namespace fs = std::filesystem;

namespace {

std::size_t entries(const fs::path& dir) {
  return static_cast<std::size_t>(
      std::distance(fs::directory_iterator(dir), fs::directory_iterator()));
}

}  // namespace

TEST_CASE("a store truncated to 0 or 1 byte is refused, not re-created empty", "[store][file]") {
  TempDir dir;
  auto path = dir / "history.db";
  {
    auto store = HistoryStore::open(path);
    REQUIRE(store.ok());
    REQUIRE((*store)->ingest("s", {vitals::Series{"k", {obs(month(2017, 1), 1.0)}}}, 1).ok());
  }
  fs::remove(dir / "history.db-wal");
  fs::remove(dir / "history.db-shm");
  const std::string cut = GENERATE(std::string(), std::string("S"));
  fs::resize_file(path, cut.size());
  if (!cut.empty()) dir.write("history.db", cut);

  auto store = HistoryStore::open(path);
  REQUIRE_FALSE(store.ok());
  CHECK(store.status().code() == StatusCode::kStoreError);
  const std::string what = cut.empty() ? "is empty (0 bytes)" : "is only 1 byte long";
  CHECK(store.status().message() ==
        "store '" + path.string() + "': " + what +
            ", so it is not a Vitals store; a store is never this short, so it may have been"
            " truncated. Restore it from a backup, or remove it to start a new, empty store");
  CHECK(read_file(path) == cut);
  CHECK(entries(dir.path()) == 1);  // no -wal or -shm beside it
}

TEST_CASE("files that cannot be a store are refused, saying what they are", "[store][file]") {
  TempDir dir;
  SECTION("shorter than the smallest SQLite database") {
    auto path = dir.write("short.db", std::string("SQLite format 3\0", 16) + std::string(80, 'x'));
    auto db = open_store_file(path);
    REQUIRE_FALSE(db.ok());
    CHECK(db.status().message().find("': is only 96 bytes long, so it is not a Vitals store") !=
          std::string::npos);
  }
  SECTION("not SQLite") {
    const std::string content = std::string(600, ',') + "\n";
    auto path = dir.write("notes.csv", content);
    auto db = open_store_file(path);
    REQUIRE_FALSE(db.ok());
    CHECK(db.status().message() ==
          "store '" + path.string() +
              "': is not a SQLite database, so it is not a Vitals store; choose another file");
    CHECK(read_file(path) == content);
    CHECK(entries(dir.path()) == 1);
  }
  SECTION("a folder") {
    fs::create_directory(dir / "stores");
    auto db = open_store_file(dir / "stores");
    REQUIRE_FALSE(db.ok());
    CHECK(db.status().message() == "store '" + (dir / "stores").string() +
                                       "': is a folder, not a store file; name a file, for example " +
                                       (dir / "stores" / "vitals.db").string());
  }
}

TEST_CASE("a new store is made whole under another name and linked into place", "[store][file]") {
  TempDir dir;
  auto path = dir / "new.db";
  auto db = open_store_file(path);
  REQUIRE(db.ok());
  CHECK(fs::file_size(path) >= 512);
  CHECK(RawDb(path).integer("PRAGMA application_id") == kStoreApplicationId);
  CHECK(RawDb(path).integer("PRAGMA page_size") == 16384);
  // Only the store and its WAL files: the temporary name is gone.
  for (const auto& entry : fs::directory_iterator(dir.path())) {
    CHECK(entry.path().filename().string().rfind("new.db", 0) == 0);
  }
}

TEST_CASE("a store in a folder that does not exist is an error and no folder is made",
          "[store][file]") {
  TempDir dir;
  auto path = dir / "no/such/h.db";
  auto store = HistoryStore::open(path);
  REQUIRE_FALSE(store.ok());
  CHECK(store.status().code() == StatusCode::kStoreError);
  CHECK(store.status().message() ==
        "store '" + path.string() + "': the folder '" + (dir / "no/such").string() +
            "' does not exist; create it first (Vitals does not create folders)");
  CHECK_FALSE(fs::exists(dir / "no"));
}

TEST_CASE("a dangling symbolic link is refused rather than followed to make a file",
          "[store][file]") {
  TempDir dir;
  fs::create_symlink(dir / "elsewhere.db", dir / "link.db");
  auto db = open_store_file(dir / "link.db");
  REQUIRE_FALSE(db.ok());
  CHECK(db.status().message().find("is a symbolic link to a file that does not exist") !=
        std::string::npos);
  CHECK_FALSE(fs::exists(dir / "elsewhere.db"));
}
