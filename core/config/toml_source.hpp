// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <vitals/diagnostic.hpp>
#include <vitals/source_location.hpp>

#include <toml++/toml.h>

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace vitals::detail {

class FileContext;

/// The largest configuration file the loader reads. toml++ 3.3 recurses once
/// per nesting level, so unbounded input is refused before it is parsed.
inline constexpr std::uintmax_t kMaxConfigFileBytes = 1024 * 1024;

/// The text of one TOML document and the name it is reported under. Turns
/// toml++ source positions into SourceLocations and keeps the text, which
/// toml++ does not, so callers can quote a line.
/// Thread safety: immutable after construction; safe to share.
class TomlSource {
 public:
  /// `file` is used verbatim in every location (not canonicalised).
  TomlSource(std::string file, std::string text);

  const std::string& file() const { return file_; }
  const std::string& text() const { return text_; }
  /// Number of lines; a final line without a line break counts.
  int line_count() const { return static_cast<int>(line_starts_.size()); }

  /// The location of `position` in this file. The line is toml++'s; the
  /// column is clamped to one past the end of that line, since toml++ counts
  /// code points and can overshoot what an editor shows. A position toml++
  /// did not record (line 0) gives the file alone.
  SourceLocation location(const toml::source_position& position) const;
  /// The location of the start of `region`.
  SourceLocation location(const toml::source_region& region) const;
  /// The file alone, for problems with the file as a whole.
  SourceLocation whole_file() const;

  /// The text of 1-based `line` without its line break; empty when out of range.
  std::string_view line_text(int line) const;

 private:
  std::string file_;
  std::string text_;
  std::vector<std::size_t> line_starts_;  // byte offset of each line's start
};

/// Reads `path` for parsing, reported as path.string(). On failure appends an
/// error Diagnostic and returns nullopt: "config.missing_file" when the file
/// does not exist, "config.outside_catalogue" when `inside` is not empty and
/// the file, once every symbolic link on its way is followed, does not lie in
/// the folder `inside` (also resolved; a link inside that points inside is
/// fine), "config.file_too_large" above kMaxConfigFileBytes,
/// "config.io_error" when it cannot be read.
std::optional<TomlSource> read_toml_source(const std::filesystem::path& path,
                                           std::vector<Diagnostic>& diagnostics,
                                           const std::filesystem::path& inside = {});

/// Parses the document of `ctx.source()`: the one place Vitals hands text to
/// toml++, and the one place toml::parse_error is caught. Text that
/// check_toml_text() (config/toml_guard.hpp) refuses is reported through `ctx`
/// with its code and location and never parsed. A syntax error is reported as
/// a "config.syntax" error ("TOML syntax error: " and toml++'s description,
/// its first letter in lower case) at toml++'s line and column. Both give
/// nullopt.
std::optional<toml::table> parse_toml(FileContext& ctx);

}  // namespace vitals::detail
