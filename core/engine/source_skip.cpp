// SPDX-License-Identifier: Apache-2.0
// When an ingest may skip a source: the key of everything its read depends on.
#include "engine/source_skip.hpp"

#include "common/sha256.hpp"
#include "config/catalogue_cache.hpp"

#include <vitals/version.hpp>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <memory>
#include <tuple>

namespace vitals::detail {

namespace {

namespace fs = std::filesystem;

std::optional<FileStamp> stamp_of(int fd, const fs::path& path) {
  struct stat st {};
  if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) return std::nullopt;
  FileStamp s;
  s.path = path;
  s.device = static_cast<std::uint64_t>(st.st_dev);
  s.inode = static_cast<std::uint64_t>(st.st_ino);
  s.size = static_cast<std::uint64_t>(st.st_size);
  s.mtime_ns = static_cast<std::int64_t>(st.st_mtim.tv_sec) * 1'000'000'000 + st.st_mtim.tv_nsec;
  s.ctime_ns = static_cast<std::int64_t>(st.st_ctim.tv_sec) * 1'000'000'000 + st.st_ctim.tv_nsec;
  return s;
}

// Adds the file's bytes and size; its stamp, taken before reading, to
// `stamp`. False when it is not a readable regular file.
bool add_file(Sha256& h, const fs::path& path, FileStamp* stamp) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return false;
  struct Closer {
    int fd;
    ~Closer() { ::close(fd); }
  } closer{fd};
  auto before = stamp_of(fd, path);
  if (!before) return false;
  constexpr std::size_t kChunk = 1 << 20;
  std::unique_ptr<char[]> buf(new char[kChunk]);
  std::uint64_t size = 0;
  while (true) {
    const ssize_t n = ::read(fd, buf.get(), kChunk);
    if (n < 0) return false;
    if (n == 0) break;
    h.update(buf.get(), static_cast<std::size_t>(n));
    size += static_cast<std::uint64_t>(n);
  }
  h.field(std::to_string(size));
  if (stamp != nullptr) *stamp = *before;
  return true;
}

void add_location(Sha256& h, const SourceLocation& loc) {
  h.field(loc.file);
  h.field(std::to_string(loc.line));
  h.field(std::to_string(loc.column));
}

}  // namespace

std::optional<SourceReadKey> source_read_key(const Catalogue& catalogue,
                                             const SourceDefinition& source,
                                             const PluginLibrary& library, std::string& why) {
  const auto& input_settings = library.input_file_settings();
  if (!input_settings) {
    why = "its plugin '" + library.name() + "' does not declare that it reads only files";
    return std::nullopt;
  }
  const std::optional<std::string> build = running_build_identity();
  if (!build) {
    why = "the running build cannot be told";
    return std::nullopt;
  }
  SourceReadKey key;
  Sha256 h;
  h.field("vitals source read 1");
  h.field(version_string());
  h.field(*build);

  h.field("plugin");
  h.field(library.name());
  h.field(library.version());
  h.field(library.path().string());
  if (!add_file(h, library.path(), nullptr)) {
    why = "its plugin's file cannot be read";
    return std::nullopt;
  }

  h.field("source");
  h.field(source.name);
  h.field(source.plugin);
  h.field(std::to_string(source.settings.size()));
  for (const auto& [name, value] : source.settings) {
    h.field(name);
    h.field(value);
  }
  h.field(source.base_dir.string());
  h.field(std::to_string(source.data_dirs.size()));
  for (const fs::path& dir : source.data_dirs) h.field(dir.string());
  add_location(h, source.location);
  h.field(source.isolation ? std::to_string(static_cast<int>(*source.isolation)) : "-");
  h.field(source.timeout_s ? std::to_string(*source.timeout_s) : "-");
  h.field(std::to_string(static_cast<int>(source.period_form)));
  if (source.period_form_location) add_location(h, *source.period_form_location);
  h.field(std::to_string(source.setting_locations.size()));
  for (const auto& [name, loc] : source.setting_locations) {
    h.field(name);
    add_location(h, loc);
  }

  h.field("files");
  for (const std::string& setting : *input_settings) {
    auto value = source.settings.find(setting);
    h.field(setting);
    if (value == source.settings.end()) {
      h.field("<absent>");
      continue;
    }
    fs::path path(value->second);
    if (path.is_relative() && !source.base_dir.empty()) path = source.base_dir / path;
    FileStamp stamp;
    if (!add_file(h, path, &stamp)) {
      why = "the file its setting '" + setting + "' names cannot be read";
      return std::nullopt;
    }
    key.files.push_back(std::move(stamp));
  }

  // The catalogue's mapping: what the checks of a read compare its series
  // and metadata with (engine/series_keys.hpp).
  h.field("mapping");
  std::vector<std::tuple<std::string, std::string, std::string, std::string, std::string>> read_by;
  std::vector<std::string> derived_inputs;
  for (const IndicatorDefinition& indicator : catalogue.indicators) {
    if (indicator.source.source == source.name) {
      read_by.emplace_back(indicator.source.series, indicator.id, indicator.title,
                           polarity_name(indicator.polarity), unit_name(indicator.unit));
    }
    if (!indicator.derived) continue;
    for (const DerivedInput& input : indicator.derived->inputs) {
      if (input.series.source == source.name) derived_inputs.push_back(input.series.series);
    }
  }
  std::sort(read_by.begin(), read_by.end());
  std::sort(derived_inputs.begin(), derived_inputs.end());
  derived_inputs.erase(std::unique(derived_inputs.begin(), derived_inputs.end()),
                       derived_inputs.end());
  h.field(std::to_string(read_by.size()));
  for (const auto& [series, id, title, polarity, unit] : read_by) {
    h.field(series);
    h.field(id);
    h.field(title);
    h.field(polarity);
    h.field(unit);
  }
  h.field(std::to_string(derived_inputs.size()));
  for (const std::string& series : derived_inputs) h.field(series);

  key.hex = h.hex_digest();
  return key;
}

bool files_unchanged(const SourceReadKey& key) {
  for (const FileStamp& before : key.files) {
    const int fd = ::open(before.path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) return false;
    auto now = stamp_of(fd, before.path);
    ::close(fd);
    if (!now || !(*now == before)) return false;
  }
  return true;
}

}  // namespace vitals::detail
