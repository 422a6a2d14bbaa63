// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <charconv>
#include <cstddef>
#include <string_view>

namespace vitals::detail {

/// The canonical period forms, for messages.
inline constexpr std::string_view kCanonicalPeriodForms =
    "YYYY-MM (month), YYYY-Qn (quarter), YYYY (year), YYYY/YY (financial year) or YYYY/YY-Qn "
    "(financial quarter)";

/// Parses exactly `digits` decimal digits.
inline bool parse_fixed_digits(std::string_view text, std::size_t digits, int& out) {
  if (text.size() != digits) return false;
  for (char c : text) {
    if (c < '0' || c > '9') return false;
  }
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
  return ec == std::errc() && ptr == text.data() + text.size();
}

}  // namespace vitals::detail
