// SPDX-License-Identifier: Apache-2.0
#include "common/number_format.hpp"

#include <array>
#include <charconv>
#include <cmath>
#include <string_view>
#include <system_error>

namespace vitals::detail {

std::string format_number(double value, int max_decimals) {
  if (!std::isfinite(value)) return std::isnan(value) ? "n/a" : (value > 0 ? "∞" : "-∞");
  if (max_decimals < 0) max_decimals = 6;  // as printf does with a negative precision
  // The largest finite double prints as 309 digits plus decimals and a sign.
  std::array<char, 400> buf;
  auto [end, ec] = std::to_chars(buf.data(), buf.data() + buf.size(), value,
                                 std::chars_format::fixed, max_decimals);
  if (ec != std::errc()) return "n/a";
  std::string_view fixed(buf.data(), static_cast<std::size_t>(end - buf.data()));
  const bool negative = !fixed.empty() && fixed.front() == '-';
  if (negative) fixed.remove_prefix(1);
  const std::size_t dot = fixed.find('.');
  std::string_view integer = fixed.substr(0, dot);
  std::string_view fraction = dot == std::string_view::npos ? std::string_view() : fixed.substr(dot + 1);
  while (!fraction.empty() && fraction.back() == '0') fraction.remove_suffix(1);

  std::string out;
  out.reserve(integer.size() + integer.size() / 3 + fraction.size() + 2);
  // "-0" after rounding is just "0".
  if (negative && (integer.find_first_not_of('0') != std::string_view::npos || !fraction.empty())) {
    out += '-';
  }
  for (std::size_t i = 0; i < integer.size(); ++i) {
    if (i > 0 && (integer.size() - i) % 3 == 0) out += ',';
    out += integer[i];
  }
  if (!fraction.empty()) {
    out += '.';
    out += fraction;
  }
  return out;
}

std::string format_json_number(double value) {
  if (!std::isfinite(value)) return "null";
  std::array<char, 64> buf{};
  auto [end, ec] = std::to_chars(buf.data(), buf.data() + buf.size(), value);
  if (ec != std::errc()) return "null";
  return std::string(buf.data(), end);
}

}  // namespace vitals::detail
