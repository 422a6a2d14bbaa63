// SPDX-License-Identifier: Apache-2.0
#include "common/user_text.hpp"

#include <cstdint>
#include <cstring>

namespace vitals::detail {
namespace {

constexpr std::string_view kReplacement = "\xEF\xBF\xBD";  // U+FFFD

// Decodes the sequence at text[i]. Returns its length and sets `cp` when it
// is well formed; otherwise returns 0 and sets `bad` to the length of its
// maximal ill-formed subpart (at least 1).
std::size_t decode(std::string_view text, std::size_t i, char32_t& cp, std::size_t& bad) {
  const auto b0 = static_cast<unsigned char>(text[i]);
  if (b0 < 0x80) {
    cp = b0;
    return 1;
  }
  std::size_t need = 0;
  unsigned char lo = 0x80;
  unsigned char hi = 0xBF;
  if (b0 >= 0xC2 && b0 <= 0xDF) {
    need = 1;
    cp = b0 & 0x1F;
  } else if (b0 >= 0xE0 && b0 <= 0xEF) {
    need = 2;
    cp = b0 & 0x0F;
    if (b0 == 0xE0) lo = 0xA0;  // overlong
    if (b0 == 0xED) hi = 0x9F;  // surrogates
  } else if (b0 >= 0xF0 && b0 <= 0xF4) {
    need = 3;
    cp = b0 & 0x07;
    if (b0 == 0xF0) lo = 0x90;  // overlong
    if (b0 == 0xF4) hi = 0x8F;  // above U+10FFFF
  } else {
    bad = 1;
    return 0;
  }
  for (std::size_t k = 1; k <= need; ++k) {
    if (i + k >= text.size()) {
      bad = k;
      return 0;
    }
    const auto b = static_cast<unsigned char>(text[i + k]);
    if (b < lo || b > hi) {
      bad = k;
      return 0;
    }
    lo = 0x80;
    hi = 0xBF;
    cp = (cp << 6) | (b & 0x3F);
  }
  return need + 1;
}

bool is_control(char32_t cp) { return cp < 0x20 || (cp >= 0x7F && cp <= 0x9F); }

// Characters that print as nothing or as an ordinary-looking space.
bool is_invisible(char32_t cp) {
  return cp == 0xA0 || cp == 0xAD || cp == 0x34F || cp == 0x61C || cp == 0x115F ||
         cp == 0x1160 || cp == 0x17B4 || cp == 0x17B5 || cp == 0x180E ||
         (cp >= 0x2000 && cp <= 0x200F) || (cp >= 0x2028 && cp <= 0x202F) ||
         (cp >= 0x205F && cp <= 0x206F) || cp == 0x3000 || cp == 0x3164 || cp == 0xFEFF ||
         cp == 0xFFA0 || (cp >= 0xFFF9 && cp <= 0xFFFB);
}

void append_hex(std::string& out, const char* prefix, std::uint32_t value, int digits) {
  static constexpr char kHex[] = "0123456789abcdef";
  out += prefix;
  for (int shift = (digits - 1) * 4; shift >= 0; shift -= 4) out += kHex[(value >> shift) & 0xF];
}

void append_escaped_control(std::string& out, char32_t cp) {
  switch (cp) {
    case '\n': out += "\\n"; break;
    case '\r': out += "\\r"; break;
    case '\t': out += "\\t"; break;
    default: append_hex(out, "\\u", cp, 4);
  }
}

// The work of visible_text() and printable_text(): `visible` also escapes
// line breaks, tabs and invisible characters and shows bad bytes as \xNN.
void clean(std::string_view text, bool visible, std::string& out) {
  for (std::size_t i = 0; i < text.size();) {
    char32_t cp = 0;
    std::size_t bad = 0;
    const std::size_t n = decode(text, i, cp, bad);
    if (n == 0) {
      if (visible) {
        for (std::size_t k = 0; k < bad; ++k) {
          append_hex(out, "\\x", static_cast<unsigned char>(text[i + k]), 2);
        }
      } else {
        out += kReplacement;
      }
      i += bad;
      continue;
    }
    const bool keep_layout = !visible && (cp == '\n' || cp == '\r' || cp == '\t');
    if ((is_control(cp) && !keep_layout) || (visible && is_invisible(cp))) {
      append_escaped_control(out, cp);
    } else {
      out.append(text.data() + i, n);
    }
    i += n;
  }
}

// Space separators and the format characters that show as nothing.
bool is_unicode_space(char32_t cp) {
  return cp == 0x00A0 || cp == 0x1680 || (cp >= 0x2000 && cp <= 0x200B) || cp == 0x202F ||
         cp == 0x205F || cp == 0x3000 || cp == 0xFEFF;
}

bool is_ascii_space(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

}  // namespace

std::size_t decode_utf8(std::string_view text, std::size_t i, char32_t& cp) {
  std::size_t bad = 0;
  return decode(text, i, cp, bad);
}

std::size_t invalid_utf8_offset(std::string_view text) {
  for (std::size_t i = 0; i < text.size();) {
    // ASCII runs are the common case: eight bytes at a time.
    if (text.size() - i >= 8) {
      std::uint64_t word = 0;
      std::memcpy(&word, text.data() + i, sizeof word);
      if ((word & 0x8080808080808080u) == 0) {
        i += 8;
        continue;
      }
    }
    if (static_cast<unsigned char>(text[i]) < 0x80) {
      ++i;
      continue;
    }
    char32_t cp = 0;
    std::size_t bad = 0;
    const std::size_t n = decode(text, i, cp, bad);
    if (n == 0) return i;
    i += n;
  }
  return std::string_view::npos;
}

std::string replace_invalid_utf8(std::string_view text) {
  std::string out;
  out.reserve(text.size() + 4);
  for (std::size_t i = 0; i < text.size();) {
    char32_t cp = 0;
    std::size_t bad = 0;
    const std::size_t n = decode(text, i, cp, bad);
    if (n == 0) {
      out += kReplacement;
      i += bad;
    } else {
      out.append(text.data() + i, n);
      i += n;
    }
  }
  return out;
}

std::size_t utf8_char_count(std::string_view text) {
  std::size_t n = 0;
  for (char c : text) n += (static_cast<unsigned char>(c) & 0xC0) != 0x80 ? 1 : 0;
  return n;
}

std::size_t utf8_prefix_length(std::string_view text, std::size_t max_bytes) {
  if (text.size() <= max_bytes) return text.size();
  std::size_t end = max_bytes;
  // Back up over continuation bytes to the start of the cut character.
  while (end > 0 && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80 &&
         max_bytes - end < 3) {
    --end;
  }
  if ((static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) return max_bytes;  // not UTF-8 here
  return end;
}

std::string visible_text(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  clean(text, true, out);
  return out;
}

std::string quote_user_text(std::string_view text, std::size_t max_bytes) {
  const std::size_t keep = utf8_prefix_length(text, max_bytes);
  std::string out = "'";
  clean(text.substr(0, keep), true, out);
  out += keep < text.size() ? "...'" : "'";
  return out;
}

bool needs_printable(std::string_view text) {
  for (std::size_t i = 0; i < text.size();) {
    const auto b = static_cast<unsigned char>(text[i]);
    if (b < 0x80) {
      if ((b < 0x20 && b != '\n' && b != '\r' && b != '\t') || b == 0x7F) return true;
      ++i;
      continue;
    }
    char32_t cp = 0;
    std::size_t bad = 0;
    const std::size_t n = decode(text, i, cp, bad);
    if (n == 0 || is_control(cp)) return true;
    i += n;
  }
  return false;
}

std::string printable_text(std::string_view text) {
  if (!needs_printable(text)) return std::string(text);
  std::string out;
  out.reserve(text.size() + 8);
  clean(text, false, out);
  return out;
}

std::string_view trim_unicode_space(std::string_view text) {
  while (!text.empty()) {
    char32_t cp = 0;
    std::size_t length = 0;
    if (is_ascii_space(text.front())) {
      text.remove_prefix(1);
    } else if (length = decode_utf8(text, 0, cp); length > 1 && is_unicode_space(cp)) {
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
    char32_t cp = 0;
    const std::size_t length = decode_utf8(text, start, cp);
    if (length > 1 && start + length == text.size() && is_unicode_space(cp)) {
      text.remove_suffix(length);
    } else {
      break;
    }
  }
  return text;
}

std::string count_text(std::size_t n, const char* one, const char* many) {
  return thousands_text(n) + " " + (n == 1 ? one : many);
}

std::string thousands_text(std::size_t n) {
  std::string digits = std::to_string(n);
  std::string out;
  out.reserve(digits.size() + digits.size() / 3);
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return out;
}

}  // namespace vitals::detail
