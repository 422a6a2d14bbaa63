// SPDX-License-Identifier: Apache-2.0
#pragma once

// The ASCII text helpers the bundled plugins share, and the engine with them
// (core/common/ascii_text.hpp): headings, setting values, cells and keys are
// compared and trimmed the same way everywhere. Standard library only, as
// the plugins build against the SDK alone.

#include <cstddef>
#include <string>
#include <string_view>

namespace vitals::plugin_common {

/// `c` in lower case when it is an ASCII capital, else `c`.
inline char ascii_lower(char c) {
  return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
}

/// `s` with its ASCII capitals in lower case.
inline std::string lower_ascii(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = ascii_lower(c);
  return out;
}

/// Whether `a` and `b` are equal ignoring ASCII case.
inline bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (ascii_lower(a[i]) != ascii_lower(b[i])) return false;
  }
  return true;
}

/// `s` without the spaces and tabs around it.
inline std::string_view trim_blanks(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

}  // namespace vitals::plugin_common
