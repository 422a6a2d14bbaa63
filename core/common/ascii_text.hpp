// SPDX-License-Identifier: Apache-2.0
#pragma once

// Case folding and trimming of ASCII text: keys, headings, keywords and
// template tags are compared in the same way everywhere. The helpers the
// engine shares with the bundled plugins are defined once, in
// plugins/common/ascii_text.hpp (standard library only, as the plugins build
// against the SDK alone); the engine adds trimming of all ASCII white space.

#include "../../plugins/common/ascii_text.hpp"

#include <string_view>

namespace vitals::detail {

using plugin_common::ascii_lower;
using plugin_common::lower_ascii;
using plugin_common::trim_blanks;

/// Whether `c` is ASCII white space: space, tab, newline, vertical tab,
/// form feed or carriage return.
inline bool is_ascii_space(char c) { return c == ' ' || (c >= '\t' && c <= '\r'); }

/// `s` without the ASCII white space around it.
inline std::string_view trim_ascii_space(std::string_view s) {
  while (!s.empty() && is_ascii_space(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_ascii_space(s.back())) s.remove_suffix(1);
  return s;
}

}  // namespace vitals::detail
