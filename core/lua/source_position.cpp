// SPDX-License-Identifier: Apache-2.0
#include "lua/source_position.hpp"

#include <cctype>

namespace vitals::detail {

namespace {

// Line `line` (1-based) of `text`, without its end of line; empty past the end.
std::string_view line_of(std::string_view text, int line) {
  std::size_t start = 0;
  for (int i = 1; i < line; ++i) {
    start = text.find('\n', start);
    if (start == std::string_view::npos) return {};
    ++start;
  }
  std::size_t end = text.find('\n', start);
  std::string_view out = text.substr(start, end == std::string_view::npos ? text.size() - start : end - start);
  if (!out.empty() && out.back() == '\r') out.remove_suffix(1);
  return out;
}

bool is_name_char(char c) { return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_'; }

}  // namespace

int syntax_error_column(std::string_view text, int line, std::string_view message) {
  constexpr std::string_view kNear = "near '";
  const std::size_t near = message.rfind(kNear);
  if (line <= 0 || near == std::string_view::npos) return 0;
  const std::size_t begin = near + kNear.size();
  const std::size_t end = message.rfind('\'');
  if (end == std::string_view::npos || end <= begin) return 0;
  const std::string_view token = message.substr(begin, end - begin);
  const std::string_view here = line_of(text, line);
  const std::size_t first = here.find(token);
  if (first == std::string_view::npos || here.find(token, first + 1) != std::string_view::npos) return 0;
  return static_cast<int>(first) + 1;
}

LinePosition field_position(std::string_view text, std::string_view name) {
  if (name.empty()) return {};
  int line = 1;
  std::size_t start = 0;
  while (start <= text.size()) {
    std::size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    std::string_view here = text.substr(start, end - start);
    here = here.substr(0, here.find("--"));
    for (std::size_t at = here.find(name); at != std::string_view::npos; at = here.find(name, at + 1)) {
      const std::size_t after = at + name.size();
      if (at > 0 && is_name_char(here[at - 1])) continue;
      if (after < here.size() && is_name_char(here[after])) continue;
      std::size_t next = after;
      while (next < here.size() && (here[next] == ' ' || here[next] == '\t')) ++next;
      if (next < here.size() && here[next] == '=' && (next + 1 >= here.size() || here[next + 1] != '=')) {
        return {line, static_cast<int>(at) + 1};
      }
    }
    if (end == text.size()) break;
    start = end + 1;
    ++line;
  }
  return {};
}

}  // namespace vitals::detail
