// SPDX-License-Identifier: Apache-2.0
#include "config/toml_source.hpp"

#include "config/file_context.hpp"
#include "config/toml_guard.hpp"

#include "common/user_text.hpp"

#include <algorithm>
#include <cctype>
#include <fstream>
#include <system_error>
#include <utility>

#if !TOML_EXCEPTIONS
#error "the configuration loaders expect toml++ built with exceptions (toml::parse_error)"
#endif

namespace vitals::detail {

TomlSource::TomlSource(std::string file, std::string text)
    : file_(std::move(file)), text_(std::move(text)) {
  line_starts_.push_back(0);
  for (std::size_t i = 0; i < text_.size(); ++i) {
    if (text_[i] == '\n') line_starts_.push_back(i + 1);
  }
}

std::string_view TomlSource::line_text(int line) const {
  if (line < 1 || line > line_count()) return {};
  std::size_t begin = line_starts_[static_cast<std::size_t>(line - 1)];
  std::size_t end = static_cast<std::size_t>(line) < line_starts_.size()
                        ? line_starts_[static_cast<std::size_t>(line)] - 1
                        : text_.size();
  std::string_view out(text_.data() + begin, end - begin);
  if (!out.empty() && out.back() == '\r') out.remove_suffix(1);
  return out;
}

SourceLocation TomlSource::location(const toml::source_position& position) const {
  SourceLocation loc{file_, 0, 0};
  if (position.line == 0) return loc;
  loc.line = static_cast<int>(position.line);
  loc.column = static_cast<int>(position.column);
  if (loc.line <= line_count()) {
    // Count code points (not continuation bytes) the way toml++ does.
    int code_points = static_cast<int>(utf8_char_count(line_text(loc.line)));
    loc.column = std::min(loc.column, code_points + 1);
  }
  return loc;
}

SourceLocation TomlSource::location(const toml::source_region& region) const {
  return location(region.begin);
}

SourceLocation TomlSource::whole_file() const { return SourceLocation{file_, 0, 0}; }

namespace {

Diagnostic file_error(std::string code, std::string message, const std::filesystem::path& path) {
  return Diagnostic::make(Severity::kError, std::move(code), std::move(message),
                          SourceLocation{path.string(), 0, 0});
}

std::string size_limit_text() { return std::to_string(kMaxConfigFileBytes) + " bytes (1 MiB)"; }

}  // namespace

std::optional<TomlSource> read_toml_source(const std::filesystem::path& path,
                                           std::vector<Diagnostic>& diagnostics,
                                           const std::filesystem::path& inside) {
  std::error_code ec;
  auto status = std::filesystem::status(path, ec);
  if (!std::filesystem::exists(status)) {
    diagnostics.push_back(
        file_error("config.missing_file", "file '" + path.string() + "' does not exist", path));
    return std::nullopt;
  }
  if (!inside.empty()) {
    std::error_code real_ec, folder_ec;
    const std::filesystem::path real = std::filesystem::canonical(path, real_ec);
    const std::filesystem::path folder = std::filesystem::canonical(inside, folder_ec);
    const auto [end, at] = std::mismatch(folder.begin(), folder.end(), real.begin(), real.end());
    if (real_ec || folder_ec || end != folder.end()) {
      diagnostics.push_back(file_error(
          "config.outside_catalogue",
          "'" + path.string() + "' leads to " + (real_ec ? path.string() : real.string()) +
              ", outside the catalogue folder " + (folder_ec ? inside : folder).string() +
              "; files of a catalogue must lie inside its folder (a symbolic link must point "
              "inside it too)",
          path));
      return std::nullopt;
    }
  }
  if (!std::filesystem::is_regular_file(status)) {
    diagnostics.push_back(
        file_error("config.io_error", "'" + path.string() + "' is not a regular file", path));
    return std::nullopt;
  }
  std::uintmax_t size = std::filesystem::file_size(path, ec);
  if (!ec && size > kMaxConfigFileBytes) {
    diagnostics.push_back(file_error("config.file_too_large",
                                     "file is " + std::to_string(size) +
                                         " bytes; configuration files are limited to " +
                                         size_limit_text(),
                                     path));
    return std::nullopt;
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    diagnostics.push_back(
        file_error("config.io_error", "cannot open '" + path.string() + "' for reading", path));
    return std::nullopt;
  }
  // Read at most one byte past the limit: the size seen above can change.
  std::string text;
  if (!ec) text.reserve(static_cast<std::size_t>(size));
  char buffer[16384];
  while (text.size() <= kMaxConfigFileBytes && in) {
    in.read(buffer, sizeof buffer);
    text.append(buffer, static_cast<std::size_t>(in.gcount()));
  }
  if (in.bad()) {
    diagnostics.push_back(
        file_error("config.io_error", "reading '" + path.string() + "' failed", path));
    return std::nullopt;
  }
  if (text.size() > kMaxConfigFileBytes) {
    diagnostics.push_back(file_error(
        "config.file_too_large",
        "file is larger than " + size_limit_text() + ", the limit for configuration files", path));
    return std::nullopt;
  }
  // Catalogue and commentary text is published: it must be UTF-8. (toml++
  // would refuse a bad TOML file too, but not a Markdown one, and with a
  // vaguer message.)
  if (std::size_t bad = invalid_utf8_offset(text); bad != std::string::npos) {
    const std::size_t newline = bad == 0 ? std::string::npos : text.rfind('\n', bad - 1);
    const std::size_t line_start = newline == std::string::npos ? 0 : newline + 1;
    const auto line = 1 + std::count(text.begin(), text.begin() + static_cast<std::ptrdiff_t>(bad), '\n');
    const auto column =
        1 + utf8_char_count(std::string_view(text.data() + line_start, bad - line_start));
    diagnostics.push_back(Diagnostic::make(
        Severity::kError, "config.bad_encoding",
        "the file is not valid UTF-8 here (byte " +
            quote_user_text(std::string_view(text).substr(bad, 1)) +
            "); save it as UTF-8 (in Excel or Notepad: Save As, encoding UTF-8)",
        SourceLocation{path.string(), static_cast<int>(line), static_cast<int>(column)}));
    return std::nullopt;
  }
  return TomlSource(path.string(), std::move(text));
}

std::optional<toml::table> parse_toml(FileContext& ctx) {
  const TomlSource& source = ctx.source();
  // toml++ 3.3 reaches undefined behaviour on some malformed text; such text
  // never gets to it.
  if (std::optional<TomlTextProblem> problem = check_toml_text(source.text())) {
    ctx.error(std::move(problem->code), std::move(problem->message),
              SourceLocation{source.file(), problem->line, problem->column});
    return std::nullopt;
  }
  try {
    return toml::parse(std::string_view(source.text()), std::string_view(source.file()));
  } catch (const toml::parse_error& e) {
    std::string description(e.description());
    // "Error while parsing ..." reads as the tail of our sentence; "TOML ..." keeps its capital.
    if (description.size() > 1 && std::isupper(static_cast<unsigned char>(description[0])) &&
        std::islower(static_cast<unsigned char>(description[1]))) {
      description[0] = static_cast<char>(std::tolower(static_cast<unsigned char>(description[0])));
    }
    ctx.error("config.syntax", "TOML syntax error: " + description, source.location(e.source().begin));
    return std::nullopt;
  }
}

}  // namespace vitals::detail
