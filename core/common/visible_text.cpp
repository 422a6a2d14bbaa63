// SPDX-License-Identifier: Apache-2.0
#include "common/visible_text.hpp"

#include <cstdint>
#include <cstdio>

namespace vitals::detail {

std::uint32_t decode_utf8(std::string_view text, std::size_t i, std::size_t& length) {
  const auto byte = [&](std::size_t k) { return static_cast<unsigned char>(text[k]); };
  const unsigned char b0 = byte(i);
  length = 0;
  if (b0 < 0x80) {
    length = 1;
    return b0;
  }
  std::size_t n = 0;
  std::uint32_t cp = 0;
  std::uint32_t min = 0;
  if ((b0 & 0xE0) == 0xC0) {
    n = 2, cp = b0 & 0x1F, min = 0x80;
  } else if ((b0 & 0xF0) == 0xE0) {
    n = 3, cp = b0 & 0x0F, min = 0x800;
  } else if ((b0 & 0xF8) == 0xF0) {
    n = 4, cp = b0 & 0x07, min = 0x10000;
  } else {
    return 0;
  }
  if (i + n > text.size()) return 0;
  for (std::size_t k = 1; k < n; ++k) {
    if ((byte(i + k) & 0xC0) != 0x80) return 0;
    cp = (cp << 6) | (byte(i + k) & 0x3F);
  }
  if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return 0;
  length = n;
  return cp;
}

namespace {

// Space separators and the format characters that show as nothing.
bool is_unicode_space(std::uint32_t cp) {
  return cp == 0x00A0 || cp == 0x1680 || (cp >= 0x2000 && cp <= 0x200B) || cp == 0x202F ||
         cp == 0x205F || cp == 0x3000 || cp == 0xFEFF;
}

bool is_invisible(std::uint32_t cp) {
  return cp < 0x20 || (cp >= 0x7F && cp <= 0x9F) || is_unicode_space(cp) || cp == 0x00AD ||
         cp == 0x034F || cp == 0x061C || cp == 0x180E || (cp >= 0x200C && cp <= 0x200F) ||
         (cp >= 0x2028 && cp <= 0x202E) || (cp >= 0x2060 && cp <= 0x206F) || cp == 0x3164 ||
         cp == 0xFFA0;
}

bool is_ascii_space(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

}  // namespace

std::string visible_quote(std::string_view text) {
  std::string out = "'";
  char buf[16];
  for (std::size_t i = 0; i < text.size();) {
    std::size_t length = 0;
    const std::uint32_t cp = decode_utf8(text, i, length);
    if (length == 0) {
      std::snprintf(buf, sizeof buf, "\\x%02x", static_cast<unsigned char>(text[i]));
      out += buf;
      ++i;
      continue;
    }
    if (is_invisible(cp)) {
      std::snprintf(buf, sizeof buf, "\\u%04x", static_cast<unsigned>(cp));
      out += buf;
    } else {
      out.append(text.substr(i, length));
    }
    i += length;
  }
  out += "'";
  return out;
}

std::string_view trim_unicode_space(std::string_view text) {
  while (!text.empty()) {
    std::size_t length = 0;
    if (is_ascii_space(text.front())) {
      text.remove_prefix(1);
    } else if (std::uint32_t cp = decode_utf8(text, 0, length); length > 1 && is_unicode_space(cp)) {
      text.remove_prefix(length);
    } else {
      break;
    }
  }
  while (!text.empty()) {
    if (is_ascii_space(text.back())) {
      text.remove_suffix(1);
      continue;
    }
    // The last code point starts at the last byte that is not a continuation byte.
    std::size_t start = text.size() - 1;
    while (start > 0 && text.size() - start < 4 &&
           (static_cast<unsigned char>(text[start]) & 0xC0) == 0x80) {
      --start;
    }
    std::size_t length = 0;
    std::uint32_t cp = decode_utf8(text, start, length);
    if (length > 1 && start + length == text.size() && is_unicode_space(cp)) {
      text.remove_suffix(length);
    } else {
      break;
    }
  }
  return text;
}

}  // namespace vitals::detail
