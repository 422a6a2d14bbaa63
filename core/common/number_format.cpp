// SPDX-License-Identifier: Apache-2.0
#include "common/number_format.hpp"

#include <vitals/figures.hpp>

#include <array>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <string_view>
#include <system_error>

namespace vitals::detail {

namespace {

// The largest finite double prints as 309 digits plus decimals and a sign.
using FixedBuffer = std::array<char, 400>;
// The most decimals format_fixed writes, well within FixedBuffer.
constexpr int kMostDecimals = 30;

// `value` with `decimals` decimals into `buf`, as std::to_chars(fixed) writes
// it, or an empty view when it cannot. Most figures are a whole number once
// scaled (3.56 x 100 gives 356 exactly): a scaled product that is a whole
// number below 10^15 is within an eighth of the exact one, so its digits are
// the correctly rounded ones, and an integer prints much faster than a double.
std::string_view fixed_text(double value, int decimals, FixedBuffer& buf) {
  static constexpr double kScale[] = {1, 10, 100, 1e3, 1e4, 1e5, 1e6};
  static constexpr std::uint64_t kPower[] = {1, 10, 100, 1000, 10000, 100000, 1000000};
  if (decimals <= 6) {
    const double scaled = value * kScale[decimals];
    if (std::fabs(scaled) < 1e15 && scaled == std::trunc(scaled)) {
      const auto magnitude = static_cast<std::uint64_t>(std::fabs(scaled));
      char* p = buf.data();
      if (std::signbit(value)) *p++ = '-';
      p = std::to_chars(p, buf.data() + 40, magnitude / kPower[decimals]).ptr;
      if (decimals > 0) {
        *p++ = '.';
        std::uint64_t fraction = magnitude % kPower[decimals];
        for (int i = decimals - 1; i >= 0; --i) {
          p[i] = static_cast<char>('0' + fraction % 10);
          fraction /= 10;
        }
        p += decimals;
      }
      return std::string_view(buf.data(), static_cast<std::size_t>(p - buf.data()));
    }
  }
  auto [end, ec] = std::to_chars(buf.data(), buf.data() + buf.size(), value,
                                 std::chars_format::fixed, decimals);
  if (ec != std::errc()) return {};
  return std::string_view(buf.data(), static_cast<std::size_t>(end - buf.data()));
}

}  // namespace

std::string format_fixed(double value, int decimals, NumberStyle style) {
  if (!std::isfinite(value)) return std::isnan(value) ? "n/a" : (value > 0 ? "∞" : "-∞");
  if (decimals < 0) decimals = 0;
  if (decimals > kMostDecimals) decimals = kMostDecimals;
  FixedBuffer buf;
  std::string_view fixed = fixed_text(value, decimals, buf);
  if (fixed.empty()) return "n/a";
  const bool negative = !fixed.empty() && fixed.front() == '-';
  if (negative) fixed.remove_prefix(1);
  const std::size_t dot = fixed.find('.');
  std::string_view integer = fixed.substr(0, dot);
  std::string_view fraction = dot == std::string_view::npos ? std::string_view() : fixed.substr(dot + 1);
  if (style.trim_zeros) {
    while (!fraction.empty() && fraction.back() == '0') fraction.remove_suffix(1);
  }

  std::string out;
  out.reserve(integer.size() + integer.size() / 3 + fraction.size() + 4);
  // "-0" or "-0.0" after rounding is just "0" or "0.0".
  const bool shows_sign = negative && fixed.find_first_not_of("0.") != std::string_view::npos;
  if (shows_sign) out += style.brackets ? '(' : '-';
  for (std::size_t i = 0; i < integer.size(); ++i) {
    if (style.thousands && i > 0 && (integer.size() - i) % 3 == 0) out += ',';
    out += integer[i];
  }
  if (!fraction.empty()) {
    out += '.';
    out += fraction;
  }
  if (shows_sign && style.brackets) out += ')';
  return out;
}

std::string format_number(double value, int max_decimals) {
  // A negative maximum reads as printf's negative precision: its default of 6.
  NumberStyle style;
  style.trim_zeros = true;
  return format_fixed(value, max_decimals < 0 ? 6 : max_decimals, style);
}

std::string format_figure(double value, Unit unit, int decimals) {
  switch (unit) {
    case Unit::kPercent:
      return format_fixed(value, decimals) + "%";
    case Unit::kCurrency: {
      std::string digits = format_fixed(std::fabs(value), decimals);
      const bool negative = value < 0 && digits.find_first_not_of("0.,") != std::string::npos;
      return (negative ? "-£" : "£") + digits;
    }
    case Unit::kPer100k:
    case Unit::kCount:
    case Unit::kNumber: break;
  }
  return format_fixed(value, decimals);
}

std::string format_percent(double value) {
  if (!std::isfinite(value)) return format_number(value);
  if (std::fabs(value) >= 10.0) return format_number(std::round(value));
  return format_number(std::round(value * 10.0) / 10.0);
}

std::string format_json_number(double value) {
  if (!std::isfinite(value)) return "null";
  std::array<char, 64> buf{};
  auto [end, ec] = std::to_chars(buf.data(), buf.data() + buf.size(), value);
  if (ec != std::errc()) return "null";
  return std::string(buf.data(), end);
}

}  // namespace vitals::detail

namespace vitals {

std::string figure_text(double value, Unit unit, const std::optional<int>& decimals) {
  return detail::format_figure(value, unit, shown_decimals(unit, decimals));
}

}  // namespace vitals
