// SPDX-License-Identifier: Apache-2.0
#include "common/json_text.hpp"
#include "common/user_text.hpp"

#include <array>
#include <charconv>
#include <cstdio>
#include <limits>

namespace vitals::detail {

void append_json_quoted(std::string& out, std::string_view text) {
  // JSON text is UTF-8: bytes that are not become U+FFFD, so the document
  // always parses.
  std::string repaired;
  if (!is_valid_utf8(text)) {
    repaired = replace_invalid_utf8(text);
    text = repaired;
  }
  out.reserve(out.size() + text.size() + 2);
  out += '"';
  // Runs of bytes that need no escape are appended whole.
  std::size_t plain = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    const bool escaped = c == '"' || c == '\\' || static_cast<unsigned char>(c) < 0x20 ||
                         (c == '/' && i > 0 && text[i - 1] == '<');
    if (!escaped) continue;
    out.append(text.data() + plain, i - plain);
    plain = i + 1;
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      case '\b': out += "\\b"; break;
      case '\f': out += "\\f"; break;
      case '/': out += "\\/"; break;
      default: {
        std::array<char, 8> buf{};
        std::snprintf(buf.data(), buf.size(), "\\u%04x", static_cast<unsigned>(c));
        out += buf.data();
      }
    }
  }
  out.append(text.data() + plain, text.size() - plain);
  out += '"';
}

std::string json_quote(std::string_view text) {
  std::string out;
  append_json_quoted(out, text);
  return out;
}

std::size_t skip_json_space(std::string_view text, std::size_t pos) {
  while (pos < text.size() &&
         (text[pos] == ' ' || text[pos] == '\t' || text[pos] == '\n' || text[pos] == '\r')) {
    ++pos;
  }
  return pos;
}

const char* read_json_number(std::string_view text, std::size_t& pos, double& value) {
  auto at = [&](char c) { return pos < text.size() && text[pos] == c; };
  auto digit = [&] { return pos < text.size() && text[pos] >= '0' && text[pos] <= '9'; };
  const std::size_t start = pos;
  const bool negative = at('-');
  if (negative) ++pos;
  // Decimal exponent of the leading significant digit, to tell overflow
  // (infinity) from underflow (zero) when from_chars reports out of range.
  long magnitude = 0;
  bool significant = false;
  if (at('0')) {
    ++pos;
  } else {
    if (!digit()) return "expected a value";
    significant = true;
    for (; digit(); ++pos) ++magnitude;
  }
  if (at('.')) {
    ++pos;
    if (!digit()) return "expected a digit";
    for (; digit(); ++pos) {
      if (significant) continue;
      if (text[pos] == '0') {
        --magnitude;
      } else {
        significant = true;
      }
    }
  }
  long exponent = 0;
  if (at('e') || at('E')) {
    ++pos;
    bool exponent_negative = false;
    if (at('+') || at('-')) exponent_negative = text[pos++] == '-';
    if (!digit()) return "expected a digit";
    for (; digit(); ++pos) {
      if (exponent < 100000) exponent = exponent * 10 + (text[pos] - '0');
    }
    if (exponent_negative) exponent = -exponent;
  }
  auto [end, ec] = std::from_chars(text.data() + start, text.data() + pos, value);
  if (ec == std::errc::result_out_of_range) {
    const double huge = magnitude + exponent > 0 ? std::numeric_limits<double>::infinity() : 0.0;
    value = negative ? -huge : huge;
    return nullptr;
  }
  if (ec != std::errc() || end != text.data() + pos) {
    pos = start;
    return "malformed number";
  }
  return nullptr;
}

}  // namespace vitals::detail
