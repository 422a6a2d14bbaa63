// SPDX-License-Identifier: Apache-2.0
// When an ingest may skip a source: the key of everything its read depends on.
#include "engine/source_skip.hpp"

#include "common/sha256.hpp"
#include "config/catalogue_cache.hpp"

#include <vitals/version.hpp>

#include <fcntl.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <memory>

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

// The clock the kernel stamps files with (the coarse real-time clock; a
// finer one never gives a time before it), in nanoseconds.
std::int64_t file_clock_ns() {
  timespec ts{};
  ::clock_gettime(CLOCK_REALTIME_COARSE, &ts);
  return static_cast<std::int64_t>(ts.tv_sec) * 1'000'000'000 + ts.tv_nsec;
}

// Hashes the bytes of the open file `fd` into `h`, and counts them.
bool hash_bytes(int fd, Sha256& h, std::uint64_t& size) {
  constexpr std::size_t kChunk = 1 << 20;
  std::unique_ptr<char[]> buf(new char[kChunk]);
  size = 0;
  while (true) {
    const ssize_t n = ::read(fd, buf.get(), kChunk);
    if (n < 0) return false;
    if (n == 0) return true;
    h.update(buf.get(), static_cast<std::size_t>(n));
    size += static_cast<std::uint64_t>(n);
  }
}

struct Fd {
  int fd;
  ~Fd() {
    if (fd >= 0) ::close(fd);
  }
};

// Adds the file's bytes and size to `h`. False when it is not a readable
// regular file.
bool add_file(Sha256& h, const fs::path& path) {
  const Fd file{::open(path.c_str(), O_RDONLY | O_CLOEXEC)};
  if (file.fd < 0 || !stamp_of(file.fd, path)) return false;
  std::uint64_t size = 0;
  if (!hash_bytes(file.fd, h, size)) return false;
  h.field(std::to_string(size));
  return true;
}

// The file's stamp and the SHA-256 of its bytes: the recorded hash of the
// `known` file of the same path when its stamp is trusted, else the bytes
// read and hashed (`hashed` set). False when it is not a readable regular
// file.
bool known_file(const fs::path& path, const std::vector<KnownFile>& known, KnownFile& out,
                bool& hashed) {
  const std::int64_t stamped_at = file_clock_ns();
  const Fd file{::open(path.c_str(), O_RDONLY | O_CLOEXEC)};
  if (file.fd < 0) return false;
  auto stamp = stamp_of(file.fd, path);
  if (!stamp) return false;
  for (const KnownFile& k : known) {
    if (k.stamp.path == path && stamp_trusted(k, *stamp)) {
      out = k;
      hashed = false;
      return true;
    }
  }
  Sha256 content;
  std::uint64_t size = 0;
  if (!hash_bytes(file.fd, content, size) || size != stamp->size) return false;
  out.stamp = *stamp;
  out.sha256 = content.hex_digest();
  out.stamped_at_ns = stamped_at;
  hashed = true;
  return true;
}

void add_location(Sha256& h, const SourceLocation& loc) {
  h.field(loc.file);
  h.field(std::to_string(loc.line));
  h.field(std::to_string(loc.column));
}

// The file a source's input file setting names, relative to its base_dir.
fs::path input_file_path(const SourceDefinition& source, const std::string& value) {
  fs::path path(value);
  if (path.is_relative() && !source.base_dir.empty()) path = source.base_dir / path;
  return path;
}

}  // namespace

std::optional<std::vector<FileStamp>> input_file_stamps(const SourceDefinition& source,
                                                        const PluginLibrary& library) {
  const auto& input_settings = library.input_file_settings();
  if (!input_settings) return std::nullopt;
  std::vector<FileStamp> stamps;
  for (const std::string& setting : *input_settings) {
    auto value = source.settings.find(setting);
    if (value == source.settings.end()) continue;
    const fs::path path = input_file_path(source, value->second);
    const Fd file{::open(path.c_str(), O_RDONLY | O_CLOEXEC)};
    if (file.fd < 0) return std::nullopt;
    auto stamp = stamp_of(file.fd, path);
    if (!stamp) return std::nullopt;
    stamps.push_back(std::move(*stamp));
  }
  return stamps;
}

bool key_cannot_match(const std::vector<FileStamp>& stamps, const SourceRead* remembered) {
  if (remembered == nullptr) return true;
  if (remembered->files.empty()) return false;  // remembered before files were: cannot tell
  for (const FileStamp& stamp : stamps) {
    const bool same_size = std::any_of(
        remembered->files.begin(), remembered->files.end(), [&](const KnownFile& k) {
          return k.stamp.path == stamp.path && k.stamp.size == stamp.size;
        });
    if (!same_size) return true;
  }
  return false;
}

bool stamp_trusted(const KnownFile& known, const FileStamp& now) {
  if (!(known.stamp == now) || known.sha256.empty()) return false;
  constexpr std::int64_t kSecond = 1'000'000'000;
  const std::int64_t second = known.stamped_at_ns - known.stamped_at_ns % kSecond;
  return now.mtime_ns < second && now.ctime_ns < second;
}

std::optional<SourceReadKey> source_read_key(const Catalogue& catalogue,
                                             const SourceDefinition& source,
                                             const PluginLibrary& library,
                                             const std::vector<KnownFile>& known, std::string& why) {
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
  h.field("vitals source read 2");
  h.field(version_string());
  h.field(*build);

  h.field("plugin");
  h.field(library.name());
  h.field(library.version());
  h.field(library.path().string());
  if (!add_file(h, library.path())) {
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
    const fs::path path = input_file_path(source, value->second);
    KnownFile file;
    bool hashed = false;
    if (!known_file(path, known, file, hashed)) {
      why = "the file its setting '" + setting + "' names cannot be read";
      return std::nullopt;
    }
    h.field(path.string());
    h.field(std::to_string(file.stamp.size));
    h.field(file.sha256);
    if (hashed) ++key.files_hashed;
    key.files.push_back(std::move(file));
  }

  // The catalogue's mapping: what the checks of a read compare its series
  // and metadata with (engine/series_keys.hpp).
  h.field("mapping");
  // Pointers, sorted by series then id, not copies: a national catalogue
  // maps 150,000 indicators.
  std::vector<const IndicatorDefinition*> read_by;
  std::vector<std::string_view> derived_inputs;
  for (const IndicatorDefinition& indicator : catalogue.indicators) {
    if (indicator.source.source == source.name) read_by.push_back(&indicator);
    if (!indicator.derived) continue;
    for (const DerivedInput& input : indicator.derived->inputs) {
      if (input.series.source == source.name) derived_inputs.push_back(input.series.series);
    }
  }
  std::sort(read_by.begin(), read_by.end(),
            [](const IndicatorDefinition* a, const IndicatorDefinition* b) {
              const int series = a->source.series.compare(b->source.series);
              return series != 0 ? series < 0 : a->id < b->id;
            });
  std::sort(derived_inputs.begin(), derived_inputs.end());
  derived_inputs.erase(std::unique(derived_inputs.begin(), derived_inputs.end()),
                       derived_inputs.end());
  h.field(std::to_string(read_by.size()));
  for (const IndicatorDefinition* indicator : read_by) {
    h.field(indicator->source.series);
    h.field(indicator->id);
    h.field(indicator->title);
    h.field(polarity_name(indicator->polarity));
    h.field(unit_name(indicator->unit));
  }
  h.field(std::to_string(derived_inputs.size()));
  for (std::string_view series : derived_inputs) h.field(series);

  key.hex = h.hex_digest();
  return key;
}

bool files_unchanged(const SourceReadKey& key) {
  for (const KnownFile& before : key.files) {
    const Fd file{::open(before.stamp.path.c_str(), O_RDONLY | O_CLOEXEC)};
    if (file.fd < 0) return false;
    auto now = stamp_of(file.fd, before.stamp.path);
    if (!now || !(*now == before.stamp)) return false;
  }
  return true;
}

}  // namespace vitals::detail
