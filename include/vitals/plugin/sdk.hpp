// SPDX-License-Identifier: Apache-2.0
#pragma once

/// \file
/// The C++ SDK for Vitals source plugins. Header-only; depends only on the C
/// ABI in <vitals/plugin/abi.h> and the standard library (C++17 or later), so
/// a plugin links neither libvitals nor any of its dependencies.
///
///     #include <vitals/plugin/sdk.hpp>
///
///     class Hello final : public vitals::plugin::Source {
///      public:
///       explicit Hello(const vitals::plugin::Settings& settings)
///           : key_(settings.get("series", "hello")) {}
///       void fetch(vitals::plugin::Sink& sink) override {
///         sink.series(key_);
///         sink.push("2017-03", 42.0);
///       }
///      private:
///       std::string key_;
///     };
///
///     VITALS_PLUGIN(Hello, "hello", "1.0.0", vitals::plugin::kDeterministic)
///
/// The macro defines the plugin's only exported symbol, `vitals_plugin_entry_v1`,
/// a static descriptor, and shims around the constructor, `fetch`, the optional
/// `describe` and the destructor that turn every exception into an error code
/// and message for the host: no exception, C++ type or RTTI crosses the ABI.
/// A class that declares its settings (SettingSpec, `declared_settings`) also
/// gets the descriptor's `validate` function (ABI 1.2), so that `vitals check`
/// reports misspelt settings and missing files without fetching.
/// A class whose fetch reads nothing but the files some of its settings name
/// declares those settings as `static constexpr const char* kInputFileSettings[]
/// = {"path", nullptr};` (ABI 1.3): the host may then skip a source whose
/// files, settings and plugin are unchanged since it last read it.
/// Build the plugin with hidden visibility (-fvisibility=hidden
/// -fvisibility-inlines-hidden) and a linker version script exporting only
/// vitals_plugin_entry_v* (plugins/vitals_plugin.map), so that nothing else
/// is exported; see docs/plugin-abi.md.

#include <vitals/plugin/abi.h>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <exception>
#include <filesystem>
#include <initializer_list>
#include <memory>
#include <new>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <system_error>
#include <type_traits>
#include <utility>
#include <vector>

#define VITALS_PLUGIN_SDK_VERSION "1.3.0"

#define VITALS_PLUGIN_STRINGIFY_(x) #x
#define VITALS_PLUGIN_STRINGIFY(x) VITALS_PLUGIN_STRINGIFY_(x)

#if defined(__clang__)
#define VITALS_PLUGIN_COMPILER_ "clang " __clang_version__
#elif defined(__GNUC__)
#define VITALS_PLUGIN_COMPILER_ "gcc " __VERSION__
#else
#define VITALS_PLUGIN_COMPILER_ "unknown compiler"
#endif

#if defined(__GLIBCXX__)
#define VITALS_PLUGIN_STDLIB_ "libstdc++ " VITALS_PLUGIN_STRINGIFY(__GLIBCXX__)
#elif defined(_LIBCPP_VERSION)
#define VITALS_PLUGIN_STDLIB_ "libc++ " VITALS_PLUGIN_STRINGIFY(_LIBCPP_VERSION)
#else
#define VITALS_PLUGIN_STDLIB_ "unknown standard library"
#endif

/// What the host logs about how a plugin was built (never parsed).
#define VITALS_PLUGIN_BUILD_INFO                                                             \
  VITALS_PLUGIN_COMPILER_                                                                    \
      "; " VITALS_PLUGIN_STDLIB_ "; vitals plugin SDK " VITALS_PLUGIN_SDK_VERSION            \
      " (ABI " VITALS_PLUGIN_STRINGIFY(VITALS_PLUGIN_ABI_MAJOR) "." VITALS_PLUGIN_STRINGIFY( \
          VITALS_PLUGIN_ABI_MINOR) ")"

#if defined(__GNUC__) || defined(__clang__)
#define VITALS_PLUGIN_HIDDEN_ __attribute__((visibility("hidden")))
#else
#define VITALS_PLUGIN_HIDDEN_
#endif

namespace vitals::plugin {

/// Capability flags for VITALS_PLUGIN(...); combine with |.
inline constexpr std::uint64_t kDeterministic = VITALS_CAP_DETERMINISTIC;
inline constexpr std::uint64_t kThreadSafe = VITALS_CAP_THREAD_SAFE;
inline constexpr std::uint64_t kNeedsNetwork = VITALS_CAP_NEEDS_NETWORK;

/// The lowest host ABI minor that plugins built with this SDK need. Records
/// (ABI 1.1) are checked when used instead: Sink::supports_records().
inline constexpr std::uint32_t kSdkRequiredAbiMinor = 0;

/// Throw from a constructor, fetch or describe to fail the call with `code`
/// (a VITALS_ERROR_* value) and the message. Any other std::exception fails
/// it with VITALS_ERROR and its what(); std::bad_alloc with VITALS_ERROR_NOMEM.
class Error : public std::runtime_error {
 public:
  explicit Error(const std::string& message, int code = VITALS_ERROR)
      : std::runtime_error(message), code_(code == VITALS_OK ? VITALS_ERROR : code) {}
  int code() const noexcept { return code_; }

 private:
  int code_;
};

/// A setting is missing or invalid (VITALS_ERROR_CONFIG).
class ConfigError : public Error {
 public:
  explicit ConfigError(const std::string& message) : Error(message, VITALS_ERROR_CONFIG) {}
};

/// A file or service could not be read (VITALS_ERROR_IO).
class IoError : public Error {
 public:
  explicit IoError(const std::string& message) : Error(message, VITALS_ERROR_IO) {}
};

/// The data is unusable as a whole (VITALS_ERROR_DATA). Prefer Sink::problem
/// for located problems and keep reading.
class DataError : public Error {
 public:
  explicit DataError(const std::string& message) : Error(message, VITALS_ERROR_DATA) {}
};

namespace detail {

// Process-wide plugin state. Hidden so that a plugin built without
// -fvisibility=hidden still exports nothing but its entry symbol from here.
struct VITALS_PLUGIN_HIDDEN_ State {
  static inline const vitals_host_api* host = nullptr;
  // The host call the current thread is serving; host functions need it.
  static inline thread_local vitals_call* call = nullptr;
};

// Thrown when a host sink function asks the plugin to stop. Deliberately not
// a std::exception, so plugin code catching std::exception does not swallow it.
struct VITALS_PLUGIN_HIDDEN_ HostAbort {};

class VITALS_PLUGIN_HIDDEN_ CallScope {
 public:
  explicit CallScope(vitals_call* call) noexcept : previous_(State::call) { State::call = call; }
  ~CallScope() { State::call = previous_; }
  CallScope(const CallScope&) = delete;
  CallScope& operator=(const CallScope&) = delete;

 private:
  vitals_call* previous_;
};

/// The longest message (log line, error, problem) a host reads; it refuses
/// longer ones without reading them (docs/plugin-abi.md).
inline constexpr std::size_t kMaxMessageBytes = 4096;

/// `message` cut to what the host reads, at a UTF-8 character boundary.
inline std::string_view fit_message(std::string_view message) noexcept {
  if (message.size() <= kMaxMessageBytes) return message;
  std::size_t end = kMaxMessageBytes;
  while (end > 0 && (static_cast<unsigned char>(message[end]) & 0xC0) == 0x80) --end;
  return message.substr(0, end);
}

inline void set_error(vitals_call* call, int code, std::string_view message) noexcept {
  const vitals_host_api* host = State::host;
  if (host != nullptr && host->set_error != nullptr) {
    message = fit_message(message);
    host->set_error(call, code, message.data(), message.size());
  }
}

}  // namespace detail

/// Writes to the host's log (never to stdout or stderr directly). Usable
/// from the constructor, fetch, describe and the destructor, on the thread
/// the host called; lines written elsewhere are dropped.
namespace log {
inline void write(int level, std::string_view message) noexcept {
  const vitals_host_api* host = detail::State::host;
  if (host != nullptr && host->log != nullptr) {
    message = detail::fit_message(message);
    host->log(detail::State::call, level, message.data(), message.size());
  }
}
inline void trace(std::string_view message) noexcept { write(VITALS_LOG_TRACE, message); }
inline void debug(std::string_view message) noexcept { write(VITALS_LOG_DEBUG, message); }
inline void info(std::string_view message) noexcept { write(VITALS_LOG_INFO, message); }
/// Warnings and errors also reach the run's report as diagnostics.
inline void warning(std::string_view message) noexcept { write(VITALS_LOG_WARNING, message); }
inline void error(std::string_view message) noexcept { write(VITALS_LOG_ERROR, message); }
}  // namespace log

/// A source's settings: the catalogue's [sources.NAME] table as text
/// key/value pairs, plus the directory relative paths are resolved against
/// and the folders files may be read from. Copied from the host's call, so a
/// Source may keep it.
class Settings {
 public:
  Settings() = default;
  explicit Settings(const vitals_source_config& config) {
    source_name_.assign(config.source_name != nullptr ? config.source_name : "",
                        config.source_name != nullptr ? config.source_name_len : 0);
    if (config.base_dir != nullptr) {
      base_dir_ = std::filesystem::path(std::string(config.base_dir, config.base_dir_len));
    }
    entries_.reserve(config.setting_count);
    for (std::size_t i = 0; i < config.setting_count; ++i) {
      const vitals_setting& s = config.settings[i];
      entries_.emplace_back(std::string(s.key, s.key_len), std::string(s.value, s.value_len));
    }
    // As VITALS_CONFIG_HAS(config, data_dir_count), for a reference.
    if (config.struct_size >=
        offsetof(vitals_source_config, data_dir_count) + sizeof(config.data_dir_count)) {
      confined_ = true;
      for (std::size_t i = 0; i < config.data_dir_count && config.data_dirs != nullptr; ++i) {
        const vitals_string& d = config.data_dirs[i];
        data_dirs_.emplace_back(std::string(d.text, d.len));
      }
    }
  }

  /// The catalogue's name for the source, e.g. "dashboard".
  const std::string& source_name() const noexcept { return source_name_; }
  /// The directory relative paths are resolved against (may be empty).
  const std::filesystem::path& base_dir() const noexcept { return base_dir_; }
  /// The folders besides base_dir() that files may be read from (the
  /// catalogue's [catalogue] data_dirs; ABI 1.2).
  const std::vector<std::filesystem::path>& data_dirs() const noexcept { return data_dirs_; }
  /// Whether the host asks that files be read only inside base_dir() and
  /// data_dirs() (hosts of ABI 1.2 and later).
  bool confined() const noexcept { return confined_; }
  /// Every setting, sorted by key.
  const std::vector<std::pair<std::string, std::string>>& entries() const noexcept {
    return entries_;
  }

  bool has(std::string_view key) const noexcept { return find(key) != nullptr; }

  /// The value of `key`, or nullptr when it is not set.
  const std::string* find(std::string_view key) const noexcept {
    for (const auto& [k, v] : entries_) {
      if (k == key) return &v;
    }
    return nullptr;
  }

  /// The value of a required setting. Throws ConfigError
  /// "missing required setting 'key'" when it is not set.
  std::string get(std::string_view key) const {
    if (const std::string* v = find(key)) return *v;
    throw ConfigError("missing required setting '" + std::string(key) + "'");
  }

  /// The value of an optional setting, or `fallback`.
  std::string get(std::string_view key, std::string_view fallback) const {
    if (const std::string* v = find(key)) return *v;
    return std::string(fallback);
  }

  /// A required setting holding the path of a file to read, resolved against
  /// base_dir() when relative and lexically normalised. Throws ConfigError
  /// when it is not set or empty, or (when confined()) when the file lies
  /// outside base_dir() and every data_dirs() folder once every symbolic
  /// link on its way is followed (check_readable()).
  std::filesystem::path path(std::string_view key) const {
    std::string value = get(key);
    if (value.empty()) throw ConfigError("setting '" + std::string(key) + "' is empty");
    std::filesystem::path resolved = resolve(std::filesystem::path(value));
    check_readable(key, value, resolved);
    return resolved;
  }

  /// `p` resolved against base_dir() when relative, lexically normalised.
  /// Nothing is checked: use path(), or check_readable() before reading.
  std::filesystem::path resolve(const std::filesystem::path& p) const {
    if (p.is_absolute() || base_dir_.empty()) return p.lexically_normal();
    return (base_dir_ / p).lexically_normal();
  }

  /// Throws ConfigError, naming setting `key` and its `value`, when
  /// confined(), base_dir() is known, and `resolved` (a path from resolve()) lies outside
  /// base_dir() and every data_dirs() folder, symbolic links followed; a link
  /// inside pointing inside is fine. The check is made when it is called: a
  /// plugin calls it (or path()) before it reads.
  void check_readable(std::string_view key, std::string_view value,
                      const std::filesystem::path& resolved) const {
    if (!confined_ || base_dir_.empty()) return;  // no catalogue folder to stay inside
    std::error_code ec;
    const std::filesystem::path real = std::filesystem::weakly_canonical(resolved, ec);
    if (ec) {
      throw ConfigError("setting '" + std::string(key) + "' ('" + std::string(value) +
                        "'): cannot resolve " + resolved.string() + ": " + ec.message());
    }
    std::vector<std::filesystem::path> allowed = {base_dir_};
    allowed.insert(allowed.end(), data_dirs_.begin(), data_dirs_.end());
    for (const std::filesystem::path& dir : allowed) {
      std::error_code dir_ec;
      const std::filesystem::path real_dir = std::filesystem::weakly_canonical(dir, dir_ec);
      if (!dir_ec && contains(real_dir, real)) return;
    }
    std::string message = "setting '" + std::string(key) + "' ('" + std::string(value) +
                          "') leads to " + real.string() + ", outside the catalogue folder " +
                          base_dir_.string();
    if (!data_dirs_.empty()) message += " and the folders in [catalogue] data_dirs";
    message += "; list the file's folder in [catalogue] data_dirs to let sources read it";
    throw ConfigError(message);
  }

  /// The keys that are not in `known`, in sorted order: for warning about typos.
  std::vector<std::string> unknown_keys(std::initializer_list<std::string_view> known) const {
    std::vector<std::string> unknown;
    for (const auto& entry : entries_) {
      bool found = false;
      for (std::string_view k : known) found = found || entry.first == k;
      if (!found) unknown.push_back(entry.first);
    }
    return unknown;
  }

 private:
  // Whether `path` is `dir` or lies under it (both canonical).
  static bool contains(const std::filesystem::path& dir, const std::filesystem::path& path) {
    auto p = path.begin();
    for (auto d = dir.begin(); d != dir.end(); ++d) {
      if (d->empty()) continue;  // the trailing separator of "/srv/exports/"
      if (p == path.end() || *p != *d) return false;
      ++p;
    }
    return true;
  }

  std::string source_name_;
  std::filesystem::path base_dir_;
  std::vector<std::pair<std::string, std::string>> entries_;
  std::vector<std::filesystem::path> data_dirs_;
  bool confined_ = false;
};

/// One setting a plugin accepts. A plugin declares its settings once, as a
/// public static member of its Source class,
///
///     static std::vector<vitals::plugin::SettingSpec> declared_settings(
///         const vitals::plugin::Settings& settings) {
///       return {vitals::plugin::required_file("path"),
///               vitals::plugin::optional_setting("series")};
///     }
///
/// and the SDK then checks the catalogue's settings against it twice: in the
/// descriptor's validate function (ABI 1.2; `vitals check` calls it without
/// fetching) and before the constructor runs. Unknown keys (with a "did you
/// mean"), missing required settings, empty values, values outside
/// `choices` and files that do not exist are each reported, naming the
/// setting so that the host can point at its line in the catalogue. The
/// declaration may depend on other settings (which columns a `kind` has).
struct SettingSpec {
  std::string name;
  bool required = false;
  /// A path (resolved against Settings::base_dir()) that must name an existing file.
  bool is_file = false;
  /// The values allowed; empty: any text that is not empty.
  std::vector<std::string> choices;
};

/// A setting that may be left out.
inline SettingSpec optional_setting(std::string name, std::vector<std::string> choices = {}) {
  return SettingSpec{std::move(name), false, false, std::move(choices)};
}
/// A setting the catalogue must give.
inline SettingSpec required_setting(std::string name, std::vector<std::string> choices = {}) {
  return SettingSpec{std::move(name), true, false, std::move(choices)};
}
/// A required setting naming a file that must exist.
inline SettingSpec required_file(std::string name) {
  return SettingSpec{std::move(name), true, true, {}};
}

/// One problem with a source's settings, about `setting`.
struct SettingProblem {
  std::string setting;
  std::string code;  // "source.unknown_setting", "source.missing_setting", ...
  std::string message;
};

namespace detail {

// Edit distance and "did you mean" for setting names. The host has its own
// (core/config/indicator_schema.hpp), but this header must not depend on
// anything outside <vitals/plugin/abi.h> and the standard library: plugins
// are built without libvitals. Optimal string alignment distance, as there.
inline std::size_t setting_distance(std::string_view a, std::string_view b) {
  std::vector<std::size_t> before(b.size() + 1), previous(b.size() + 1), current(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) previous[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    current[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      std::size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
      std::size_t best = std::min(previous[j] + 1, current[j - 1] + 1);
      best = std::min(best, previous[j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) {
        best = std::min(best, before[j - 2] + 1);
      }
      current[j] = best;
    }
    std::swap(before, previous);
    std::swap(previous, current);
  }
  return previous[b.size()];
}

// The closest of `names` to `word` when close enough to be a slip (a third of
// the longer word, at least one edit), else "".
inline std::string closest_setting(std::string_view word, const std::vector<std::string>& names) {
  std::string best;
  std::size_t best_distance = 0;
  for (const std::string& name : names) {
    std::size_t distance = setting_distance(word, name);
    std::size_t allowed = std::max<std::size_t>(1, std::max(word.size(), name.size()) / 3);
    if (distance > allowed) continue;
    if (best.empty() || distance < best_distance) {
      best = name;
      best_distance = distance;
    }
  }
  return best;
}

inline std::string joined(const std::vector<std::string>& words) {
  std::string out;
  for (const std::string& w : words) out += (out.empty() ? "" : ", ") + w;
  return out;
}

}  // namespace detail

/// Checks `settings` against `declared` (see SettingSpec) without reading
/// any data. Returns every problem: unknown, empty and disallowed values in
/// the order of the settings, then missing required settings and missing
/// files in the order of the declaration.
inline std::vector<SettingProblem> check_settings(const Settings& settings,
                                                  const std::vector<SettingSpec>& declared) {
  std::vector<SettingProblem> problems;
  std::vector<std::string> names;
  for (const SettingSpec& spec : declared) names.push_back(spec.name);
  for (const auto& [key, value] : settings.entries()) {
    const SettingSpec* spec = nullptr;
    for (const SettingSpec& s : declared) {
      if (s.name == key) spec = &s;
    }
    if (spec == nullptr) {
      std::string message = "unknown setting '" + key + "' for source '" +
                            settings.source_name() + "'";
      // A near miss of a key Vitals reads itself from the source's table
      // (never handed to the plugin) is suggested too.
      std::vector<std::string> candidates = names;
      for (const char* host_key : {"isolation", "timeout_s", "period_form"}) {
        candidates.emplace_back(host_key);
      }
      std::string best = detail::closest_setting(key, candidates);
      message += best.empty() ? "; the settings are " + detail::joined(names)
                              : "; did you mean '" + best + "'?";
      problems.push_back({key, "source.unknown_setting", std::move(message)});
      continue;
    }
    if (value.empty()) {
      problems.push_back({key, "source.bad_setting", "setting '" + key + "' is empty"});
      continue;
    }
    if (!spec->choices.empty() &&
        std::find(spec->choices.begin(), spec->choices.end(), value) == spec->choices.end()) {
      problems.push_back({key, "source.bad_setting",
                          "setting '" + key + "' is '" + value + "'; expected one of " +
                              detail::joined(spec->choices)});
      continue;
    }
  }
  for (const SettingSpec& spec : declared) {
    const std::string* value = settings.find(spec.name);
    if (value == nullptr) {
      if (spec.required) {
        problems.push_back({spec.name, "source.missing_setting",
                            "source '" + settings.source_name() +
                                "' is missing required setting '" + spec.name + "'"});
      }
      continue;
    }
    if (!spec.is_file || value->empty()) continue;
    const std::filesystem::path file = settings.resolve(std::filesystem::path(*value));
    try {
      // A file outside the catalogue folder and data_dirs is refused before
      // anything about it (even whether it exists) is said.
      settings.check_readable(spec.name, *value, file);
    } catch (const ConfigError& e) {
      problems.push_back({spec.name, "source.outside_catalogue", e.what()});
      continue;
    }
    std::error_code ec;
    if (!std::filesystem::exists(file, ec)) {
      problems.push_back({spec.name, "source.missing_file", "file not found: " + file.string()});
    } else if (std::filesystem::is_directory(file, ec)) {
      problems.push_back(
          {spec.name, "source.missing_file", file.string() + " is a directory, not a file"});
    }
  }
  return problems;
}

/// One observation for Sink::push. Missing numbers are std::nullopt (a blank
/// cell is "not available", never zero). The location is optional and only
/// used in messages, e.g. when the host rejects the period text.
struct Point {
  std::string_view period;  // "2017-03", "2017-Q1", "2017" or "2016/17"
  std::optional<double> value;
  std::optional<double> numerator;
  std::optional<double> denominator;
  std::optional<double> target;
  std::int64_t row = 0;     // 1-based; 0 = unknown
  std::int64_t column = 0;  // 1-based field number of the period; 0 = unknown
  std::string_view field;   // the period's column name, e.g. "period"
};

/// Where fetch and describe deliver data. The host copies everything during
/// each call. Methods throw (an internal type, not std::exception) when the
/// host asks the plugin to stop; let it propagate.
/// Thread safety: use only on the thread that called fetch or describe.
class Sink {
 public:
  explicit Sink(vitals_call* call) noexcept : call_(call) {}
  Sink(const Sink&) = delete;
  Sink& operator=(const Sink&) = delete;

  /// The file named in the locations of later points and problems.
  void set_file(std::string file) { file_ = std::move(file); }
  const std::string& file() const noexcept { return file_; }

  /// Starts the series `key`, ending the open series or record. Starting a
  /// key that was already delivered in this call appends to it.
  void series(std::string_view key) {
    end_record();
    if (open_) end_series();
    check(host().begin_series(call_, key.data(), key.size()));
    open_ = true;
  }

  /// Ends the open series (fetch ends a series left open for you).
  void end_series() {
    if (!open_) return;
    open_ = false;
    check(host().end_series(call_));
  }

  /// Appends an observation to the open series.
  /// REQUIRES: series() was called.
  void push(const Point& p) {
    if (!open_) throw std::logic_error("Sink::push called before Sink::series");
    vitals_point point{};
    point.struct_size = sizeof(vitals_point);
    point.period = p.period.data();
    point.period_len = p.period.size();
    if (p.value) {
      point.flags |= VITALS_POINT_HAS_VALUE;
      point.value = *p.value;
    }
    if (p.numerator) {
      point.flags |= VITALS_POINT_HAS_NUMERATOR;
      point.numerator = *p.numerator;
    }
    if (p.denominator) {
      point.flags |= VITALS_POINT_HAS_DENOMINATOR;
      point.denominator = *p.denominator;
    }
    if (p.target) {
      point.flags |= VITALS_POINT_HAS_TARGET;
      point.target = *p.target;
    }
    if (!file_.empty()) {
      point.file = file_.data();
      point.file_len = file_.size();
    }
    point.line = p.row;
    point.column = p.column;
    point.field = p.field.data();
    point.field_len = p.field.size();
    check(host().push_point(call_, &point));
  }

  void push(std::string_view period, std::optional<double> value,
            std::optional<double> numerator = std::nullopt,
            std::optional<double> denominator = std::nullopt,
            std::optional<double> target = std::nullopt) {
    Point p;
    p.period = period;
    p.value = value;
    p.numerator = numerator;
    p.denominator = denominator;
    p.target = target;
    push(p);
  }

  /// True when the host can receive records (ABI 1.1 or later). Plugins that
  /// deliver only records may instead let record() fail with a clear message.
  bool supports_records() const noexcept {
    const vitals_host_api* h = detail::State::host;
    return VITALS_HOST_HAS(h, begin_record) && VITALS_HOST_HAS(h, record_text) &&
           VITALS_HOST_HAS(h, record_number) && VITALS_HOST_HAS(h, end_record);
  }

  /// Starts a record (ABI 1.1): a budget line, saving, risk or other entry
  /// that is not a time series. `kind` says which, `key` is the id the
  /// catalogue links to, `period` the period it describes ("2017-03"), `row`
  /// where it was read in file() (0 = unknown). Ends the open series or
  /// record. Throws Error when the host is older than ABI 1.1.
  void record(std::string_view kind, std::string_view key, std::string_view period,
              std::int64_t row = 0) {
    if (!supports_records()) {
      const vitals_host_api* h = detail::State::host;
      throw Error("this host (plugin ABI " + std::to_string(h != nullptr ? h->abi_major : 0) + "." +
                  std::to_string(h != nullptr ? h->abi_minor : 0) +
                  ") cannot receive records; they need plugin ABI 1.1 or later");
    }
    end_record();
    if (open_) end_series();
    vitals_record r{};
    r.struct_size = sizeof(vitals_record);
    r.kind = kind.data();
    r.kind_len = kind.size();
    r.key = key.data();
    r.key_len = key.size();
    r.period = period.data();
    r.period_len = period.size();
    if (!file_.empty()) {
      r.file = file_.data();
      r.file_len = file_.size();
    }
    r.line = row;
    check(host().begin_record(call_, &r));
    record_open_ = true;
  }

  /// Adds a text field to the open record. REQUIRES: record() was called.
  void text(std::string_view name, std::string_view value) {
    if (!record_open_) throw std::logic_error("Sink::text called before Sink::record");
    check(host().record_text(call_, name.data(), name.size(), value.data(), value.size()));
  }

  /// Adds a number field to the open record. REQUIRES: record() was called.
  void number(std::string_view name, double value) {
    if (!record_open_) throw std::logic_error("Sink::number called before Sink::record");
    check(host().record_number(call_, name.data(), name.size(), value));
  }

  /// Ends the open record, if any (fetch ends a record left open for you).
  void end_record() {
    if (!record_open_) return;
    record_open_ = false;
    check(host().end_record(call_));
  }

  /// Reports an error at `row`/`column` of file() (0 = unknown). The fetch
  /// fails, but keep reading so that every bad row is reported at once.
  void problem(std::int64_t row, std::int64_t column, std::string_view message,
               std::string_view code = "data.problem") {
    report(VITALS_SEVERITY_ERROR, row, column, message, code);
  }

  /// Reports a warning: the data is used, but the user should look.
  void warning(std::int64_t row, std::int64_t column, std::string_view message,
               std::string_view code = "data.warning") {
    report(VITALS_SEVERITY_WARNING, row, column, message, code);
  }

  void report(int severity, std::int64_t row, std::int64_t column, std::string_view message,
              std::string_view code) {
    vitals_problem problem{};
    problem.struct_size = sizeof(vitals_problem);
    problem.severity = severity;
    problem.code = code.data();
    problem.code_len = code.size();
    message = detail::fit_message(message);
    problem.message = message.data();
    problem.message_len = message.size();
    if (!file_.empty()) {
      problem.file = file_.data();
      problem.file_len = file_.size();
    }
    problem.line = row;
    problem.column = column;
    check(host().report_problem(call_, &problem));
  }

 private:
  static const vitals_host_api& host() { return *detail::State::host; }
  static void check(int rc) {
    if (rc != 0) throw detail::HostAbort{};
  }

  vitals_call* call_;
  std::string file_;
  bool open_ = false;
  bool record_open_ = false;
};

/// Base class of a plugin's source. The derived class is constructed once
/// per catalogue source with `explicit Derived(const Settings&)` (throw to
/// refuse, e.g. ConfigError or IoError), and may define a public
/// `void describe(Sink&)` that announces its series keys without points.
/// Thread safety: the host never calls one instance from two threads at once.
class Source {
 public:
  Source() = default;
  Source(const Source&) = delete;
  Source& operator=(const Source&) = delete;
  virtual ~Source() = default;

  /// Pushes everything the source holds into `sink`.
  virtual void fetch(Sink& sink) = 0;
};

namespace detail {

template <typename F>
int guarded(vitals_call* call, F&& body) noexcept {
  CallScope scope(call);
  try {
    body();
    return VITALS_OK;
  } catch (const HostAbort&) {
    return VITALS_ERROR_ABORTED;
  } catch (const Error& e) {
    set_error(call, e.code(), e.what());
    return e.code();
  } catch (const std::bad_alloc&) {
    set_error(call, VITALS_ERROR_NOMEM, "out of memory");
    return VITALS_ERROR_NOMEM;
  } catch (const std::exception& e) {
    set_error(call, VITALS_ERROR, e.what());
    return VITALS_ERROR;
  } catch (...) {
    set_error(call, VITALS_ERROR, "an exception not derived from std::exception was thrown");
    return VITALS_ERROR;
  }
}

template <typename T, typename = void>
struct HasDescribe : std::false_type {};
template <typename T>
struct HasDescribe<T, std::void_t<decltype(std::declval<T&>().describe(std::declval<Sink&>()))>>
    : std::true_type {};

template <typename T, typename = void>
struct HasDeclaredSettings : std::false_type {};
template <typename T>
struct HasDeclaredSettings<
    T, std::enable_if_t<std::is_convertible_v<decltype(T::declared_settings(
                                                  std::declval<const Settings&>())),
                                              std::vector<SettingSpec>>>> : std::true_type {};

template <typename T, typename = void>
struct HasInputFileSettings : std::false_type {};
template <typename T>
struct HasInputFileSettings<
    T, std::enable_if_t<std::is_convertible_v<decltype(+T::kInputFileSettings), const char* const*>>>
    : std::true_type {};

// Reports `problem` to the host as an error about its setting (ABI 1.2).
inline void report_setting_problem(vitals_call* call, const SettingProblem& problem) {
  vitals_problem p{};
  p.struct_size = sizeof(vitals_problem);
  p.severity = VITALS_SEVERITY_ERROR;
  p.code = problem.code.data();
  p.code_len = problem.code.size();
  p.message = problem.message.data();
  p.message_len = problem.message.size();
  p.setting = problem.setting.data();
  p.setting_len = problem.setting.size();
  if (State::host->report_problem(call, &p) != 0) throw HostAbort{};
}

template <typename T>
struct Shims {
  static int create(vitals_call* call, const vitals_source_config* config,
                    void** out_instance) noexcept {
    if (out_instance == nullptr || config == nullptr) {
      set_error(call, VITALS_ERROR, "create called without a configuration");
      return VITALS_ERROR;
    }
    *out_instance = nullptr;
    return guarded(call, [&] {
      const Settings settings(*config);
      if constexpr (HasDeclaredSettings<T>::value) {
        // The same checks as validate: a host that did not call it, or a
        // catalogue changed since, still gets them.
        std::vector<SettingProblem> problems = check_settings(settings, T::declared_settings(settings));
        if (!problems.empty()) {
          std::string message = problems.front().message;
          if (problems.size() > 1) {
            message += " (and " + std::to_string(problems.size() - 1) + " more problem" +
                       (problems.size() > 2 ? "s" : "") + " with the settings)";
          }
          throw ConfigError(message);
        }
      }
      std::unique_ptr<Source> source = std::make_unique<T>(settings);
      *out_instance = source.release();
    });
  }

  static int validate(vitals_call* call, const vitals_source_config* config) noexcept {
    if (config == nullptr) {
      set_error(call, VITALS_ERROR, "validate called without a configuration");
      return VITALS_ERROR;
    }
    int errors = 0;
    int rc = guarded(call, [&] {
      const Settings settings(*config);
      for (const SettingProblem& problem : check_settings(settings, T::declared_settings(settings))) {
        report_setting_problem(call, problem);
        ++errors;
      }
    });
    if (rc != VITALS_OK) return rc;
    return errors > 0 ? VITALS_ERROR_CONFIG : VITALS_OK;
  }

  static int describe(void* instance, vitals_call* call) noexcept {
    return guarded(call, [&] {
      Sink sink(call);
      static_cast<T*>(static_cast<Source*>(instance))->describe(sink);
      sink.end_series();
    });
  }

  static int fetch(void* instance, vitals_call* call) noexcept {
    return guarded(call, [&] {
      Sink sink(call);
      static_cast<Source*>(instance)->fetch(sink);
      sink.end_series();
      sink.end_record();
    });
  }

  static int destroy(void* instance, vitals_call* call) noexcept {
    return guarded(call, [&] { delete static_cast<Source*>(instance); });
  }
};

template <typename T>
constexpr vitals_plugin_descriptor make_descriptor(const char* name, const char* version,
                                                   const char* build_info,
                                                   std::uint64_t capabilities) noexcept {
  static_assert(std::is_base_of_v<Source, T>,
                "a plugin class must derive from vitals::plugin::Source");
  static_assert(std::is_constructible_v<T, const Settings&>,
                "a plugin class needs a constructor taking const vitals::plugin::Settings&");
  vitals_plugin_descriptor d{};
  d.struct_size = sizeof(vitals_plugin_descriptor);
  d.abi_major = VITALS_PLUGIN_ABI_MAJOR;
  d.abi_minor_required = kSdkRequiredAbiMinor;
  d.name = name;
  d.version = version;
  d.build_info = build_info;
  d.capabilities = capabilities;
  d.create = &Shims<T>::create;
  if constexpr (HasDescribe<T>::value) {
    d.describe = &Shims<T>::describe;
  } else {
    d.describe = nullptr;
  }
  d.fetch = &Shims<T>::fetch;
  d.destroy = &Shims<T>::destroy;
  if constexpr (HasDeclaredSettings<T>::value) {
    d.validate = &Shims<T>::validate;
  } else {
    d.validate = nullptr;  // the host notes that the settings are not checked
  }
  if constexpr (HasInputFileSettings<T>::value) {
    d.input_file_settings = T::kInputFileSettings;
  } else {
    d.input_file_settings = nullptr;  // always fetched
  }
  return d;
}

inline const vitals_plugin_descriptor* enter(const vitals_host_api* host,
                                             const vitals_plugin_descriptor* descriptor) noexcept {
  if (host == nullptr || host->abi_major != VITALS_PLUGIN_ABI_MAJOR) return nullptr;
  State::host = host;
  return descriptor;
}

}  // namespace detail
}  // namespace vitals::plugin

/// Defines the plugin's entry point for `ClassName` (derived from
/// vitals::plugin::Source). Use once per plugin, at namespace scope.
/// `name`: unique plugin name ([A-Za-z0-9_.-], at most 64 characters) that
/// catalogues refer to; `version`: the plugin's version; `capabilities`: a
/// combination of vitals::plugin::kDeterministic, kThreadSafe, kNeedsNetwork (or 0).
#define VITALS_PLUGIN(ClassName, name, version, capabilities)                          \
  extern "C" VITALS_PLUGIN_EXPORT const vitals_plugin_descriptor* VITALS_PLUGIN_ENTRY( \
      const vitals_host_api* host) {                                                   \
    static constexpr vitals_plugin_descriptor kVitalsPluginDescriptor =                \
        ::vitals::plugin::detail::make_descriptor<ClassName>(                          \
            name, version, VITALS_PLUGIN_BUILD_INFO, (capabilities));                  \
    return ::vitals::plugin::detail::enter(host, &kVitalsPluginDescriptor);            \
  }
