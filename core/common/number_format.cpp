// SPDX-License-Identifier: Apache-2.0
#include "common/number_format.hpp"

#include <array>
#include <charconv>
#include <cmath>
#include <cstdio>

namespace vitals::detail {

std::string format_number(double value, int max_decimals) {
  if (!std::isfinite(value)) return std::isnan(value) ? "n/a" : (value > 0 ? "∞" : "-∞");
  // The largest finite double prints as 309 digits plus decimals and a sign.
  std::array<char, 400> buf{};
  std::snprintf(buf.data(), buf.size(), "%.*f", max_decimals, value);
  std::string fixed = buf.data();
  bool negative = !fixed.empty() && fixed[0] == '-';
  if (negative) fixed.erase(0, 1);
  std::string::size_type dot = fixed.find('.');
  std::string integer = fixed.substr(0, dot);
  std::string fraction = dot == std::string::npos ? "" : fixed.substr(dot + 1);
  while (!fraction.empty() && fraction.back() == '0') fraction.pop_back();

  std::string grouped;
  int digits = 0;
  for (auto it = integer.rbegin(); it != integer.rend(); ++it) {
    if (digits > 0 && digits % 3 == 0) grouped.insert(grouped.begin(), ',');
    grouped.insert(grouped.begin(), *it);
    ++digits;
  }
  std::string out = grouped;
  if (!fraction.empty()) out += "." + fraction;
  // "-0" after rounding is just "0".
  if (negative && out.find_first_not_of("0.,") != std::string::npos) out.insert(out.begin(), '-');
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
