// SPDX-License-Identifier: Apache-2.0
// How the report's inline SVG writes a coordinate or a length.
#pragma once

#include <array>
#include <cstdio>
#include <string>

namespace vitals::detail {

/// `v` with one decimal, fixed, no locale ("12.5"; never "-0.0"): the
/// precision of every coordinate in the report's charts and icons.
inline std::string svg_number(double v) {
  std::array<char, 32> buf{};
  std::snprintf(buf.data(), buf.size(), "%.1f", v);
  std::string s = buf.data();
  if (s == "-0.0") s = "0.0";
  return s;
}

}  // namespace vitals::detail
