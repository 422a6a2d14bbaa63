// SPDX-License-Identifier: Apache-2.0
#include "catch.hpp"

#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>

#include <vitals/output_file.hpp>

#include "common/output_file.hpp"
#include "support/temp_dir.hpp"

namespace fs = std::filesystem;
using vitals::write_output_file;
using vitals::testing::read_file;
using vitals::testing::TempDir;

namespace {

mode_t mode_of(const fs::path& p) {
  struct stat st {};
  REQUIRE(::lstat(p.c_str(), &st) == 0);
  return st.st_mode;
}

std::size_t entries_in(const fs::path& folder) {
  std::size_t n = 0;
  for ([[maybe_unused]] const auto& e : fs::directory_iterator(folder)) ++n;
  return n;
}

}  // namespace

TEST_CASE("write_output_file writes a new file, making its folders", "[common][output_file]") {
  TempDir dir;
  const fs::path path = dir / "reports/2017-03/report.html";
  REQUIRE(write_output_file(path, "<p>whole</p>").is_ok());
  CHECK(read_file(path) == "<p>whole</p>");
  CHECK(entries_in(path.parent_path()) == 1);  // no temporary file left behind
}

TEST_CASE("write_output_file gives a new file the umask's mode and keeps a replaced file's", "[common][output_file]") {
  TempDir dir;
  const mode_t old_mask = ::umask(022);
  const fs::path fresh = dir / "fresh.json";
  REQUIRE(write_output_file(fresh, "{}").is_ok());
  CHECK((mode_of(fresh) & 0777) == 0644);

  const fs::path shared = dir.write("shared.html", "old");
  ::chmod(shared.c_str(), 0664);
  REQUIRE(write_output_file(shared, "new").is_ok());
  CHECK(read_file(shared) == "new");
  CHECK((mode_of(shared) & 0777) == 0664);
  ::umask(old_mask);
}

TEST_CASE("write_output_file leaves the old file when writing fails", "[common][output_file]") {
  TempDir dir;
  const fs::path path = dir.write("result.json", "the previous run");
  const vitals::Status st = write_output_file(path, [](std::ostream& out) {
    out << "half of";
    return false;
  });
  CHECK_FALSE(st.is_ok());
  CHECK(st.code() == vitals::StatusCode::kIoError);
  CHECK(st.message().find(path.string()) != std::string::npos);
  CHECK(read_file(path) == "the previous run");
  CHECK(entries_in(dir.path()) == 1);
}

TEST_CASE("write_output_file follows a symbolic link and keeps it", "[common][output_file]") {
  TempDir dir;
  const fs::path target = dir.write("runs/latest-2017-03.json", "old");
  const fs::path link = dir / "latest.json";
  fs::create_symlink("runs/latest-2017-03.json", link);
  REQUIRE(write_output_file(link, "new").is_ok());
  CHECK(fs::is_symlink(fs::symlink_status(link)));
  CHECK(read_file(target) == "new");
}

TEST_CASE("write_output_file writes a device or a pipe in place", "[common][output_file]") {
  TempDir dir;
  // /dev/null: only where it is the device (some containers have a plain file).
  if (S_ISCHR(mode_of("/dev/null"))) {
    REQUIRE(write_output_file("/dev/null", "discarded").is_ok());
    CHECK(S_ISCHR(mode_of("/dev/null")));
  }
  const fs::path fifo = dir / "pipe";
  REQUIRE(::mkfifo(fifo.c_str(), 0600) == 0);
  std::string received;
  const pid_t reader = ::fork();
  REQUIRE(reader >= 0);
  if (reader == 0) {
    std::ifstream in(fifo);
    std::string line;
    std::getline(in, line);
    ::_exit(line == "through the pipe" ? 0 : 1);
  }
  REQUIRE(write_output_file(fifo, "through the pipe\n").is_ok());
  int status = 0;
  REQUIRE(::waitpid(reader, &status, 0) == reader);
  CHECK(WIFEXITED(status));
  CHECK(WEXITSTATUS(status) == 0);
  CHECK(S_ISFIFO(mode_of(fifo)));
}

TEST_CASE("write_output_file refuses a folder and names it", "[common][output_file]") {
  TempDir dir;
  fs::create_directories(dir / "site");
  const vitals::Status st = write_output_file(dir / "site", "x");
  CHECK_FALSE(st.is_ok());
  CHECK(st.message().find("folder") != std::string::npos);
  CHECK(fs::is_directory(dir / "site"));
}

TEST_CASE("write_output_file reports a folder it cannot write in", "[common][output_file]") {
  if (::geteuid() == 0) return;  // root writes anywhere
  TempDir dir;
  fs::create_directories(dir / "locked");
  ::chmod((dir / "locked").c_str(), 0555);
  const vitals::Status st = write_output_file(dir / "locked/report.html", "x");
  ::chmod((dir / "locked").c_str(), 0755);
  CHECK_FALSE(st.is_ok());
  CHECK(st.message().find("report.html") != std::string::npos);
}

TEST_CASE("replace_file without a flush to disk writes the same bytes", "[common][output_file]") {
  TempDir dir;
  const fs::path path = dir / "catalogue-cache";
  REQUIRE(vitals::detail::replace_file(
              path,
              [](std::ostream& out) {
                out << std::string("\0binary\xff", 8);
                return static_cast<bool>(out);
              },
              vitals::detail::FileSync::kNone)
              .is_ok());
  CHECK(read_file(path) == std::string("\0binary\xff", 8));
}
