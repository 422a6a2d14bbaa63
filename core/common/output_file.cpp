// SPDX-License-Identifier: Apache-2.0
#include <vitals/output_file.hpp>

#include "common/output_file.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <string>
#include <system_error>

namespace vitals {

namespace fs = std::filesystem;

namespace {

Status cannot_write(const fs::path& path, const std::string& reason) {
  return Status(StatusCode::kIoError, "cannot write " + path.string() + ": " + reason);
}

std::string system_reason(int error) { return std::generic_category().message(error); }

// A new file beside `target`, created exclusively (so two writers never share
// one) with the mode a plain open would give it: 0666 less the umask.
int create_beside(const fs::path& target, fs::path& created, int& error) {
  static std::atomic<unsigned> counter{0};
  for (int attempt = 0; attempt < 100; ++attempt) {
    fs::path candidate = target;
    candidate += ".tmp-" + std::to_string(::getpid()) + "-" + std::to_string(counter++);
    const int fd = ::open(candidate.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
    if (fd >= 0) {
      created = std::move(candidate);
      return fd;
    }
    if (errno != EEXIST) break;
  }
  error = errno;
  return -1;
}

Status write_in_place(const fs::path& target, const std::function<bool(std::ostream&)>& write) {
  std::ofstream out(target, std::ios::binary);
  if (!out) return cannot_write(target, system_reason(errno));
  if (!write(out) || !out.flush()) return cannot_write(target, "the content could not be written");
  return Status::ok();
}

}  // namespace

namespace detail {

Status replace_file(const fs::path& path, const std::function<bool(std::ostream&)>& write,
                    FileSync sync) {
  std::error_code ec;
  fs::path target = path;
  if (fs::is_symlink(fs::symlink_status(path, ec))) {
    target = fs::weakly_canonical(path, ec);
    if (ec) return cannot_write(path, ec.message());
  }
  struct stat existing {};
  const bool exists = ::stat(target.c_str(), &existing) == 0;
  if (exists && S_ISDIR(existing.st_mode)) return cannot_write(path, "it is a folder");
  if (exists && !S_ISREG(existing.st_mode)) return write_in_place(target, write);
  if (target.has_parent_path()) {
    fs::create_directories(target.parent_path(), ec);
    if (ec) return cannot_write(path, ec.message());
  }

  fs::path temporary;
  int error = 0;
  const int fd = create_beside(target, temporary, error);
  if (fd < 0) return cannot_write(path, system_reason(error));
  if (exists) ::fchmod(fd, existing.st_mode & 07777);
  auto discard = [&temporary](Status status) {
    std::error_code ignored;
    fs::remove(temporary, ignored);
    return status;
  };
  bool written = false;
  {
    std::ofstream out(temporary, std::ios::binary | std::ios::trunc);
    written = out && write(out) && out.flush();
  }
  if (!written) {
    ::close(fd);
    return discard(cannot_write(path, "the content could not be written"));
  }
  // On the disk before the rename, so that a crash leaves the old file or
  // the whole new one, not an empty one under the new name.
  if (sync == FileSync::kToDisk && ::fsync(fd) != 0) {
    const int sync_error = errno;
    ::close(fd);
    return discard(cannot_write(path, system_reason(sync_error)));
  }
  ::close(fd);
  fs::rename(temporary, target, ec);
  if (ec) return discard(cannot_write(path, ec.message()));
  return Status::ok();
}

}  // namespace detail

Status write_output_file(const fs::path& path, const std::function<bool(std::ostream&)>& write) {
  return detail::replace_file(path, write, detail::FileSync::kToDisk);
}

Status write_output_file(const fs::path& path, std::string_view content) {
  return write_output_file(path, [content](std::ostream& out) {
    out.write(content.data(), static_cast<std::streamsize>(content.size()));
    return static_cast<bool>(out);
  });
}

}  // namespace vitals
