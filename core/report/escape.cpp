// SPDX-License-Identifier: Apache-2.0
#include "report/escape.hpp"

#include "common/user_text.hpp"

#include <cctype>

namespace vitals::detail {

std::string html_escape(std::string_view raw) {
  // Control characters and bytes that are not UTF-8 never reach a document.
  std::string storage;
  const std::string_view text = printable_view(raw, storage);
  std::string out;
  out.reserve(text.size() + text.size() / 8);
  for (char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default: out += c;
    }
  }
  return out;
}

std::string md_escape(std::string_view raw) {
  std::string storage;
  const std::string_view text = printable_view(raw, storage);
  std::string out;
  out.reserve(text.size() + text.size() / 8);
  // "1. " or "1) " at the start would open an ordered list.
  std::size_t digits = 0;
  while (digits < text.size() && std::isdigit(static_cast<unsigned char>(text[digits]))) ++digits;
  const bool numbered = digits > 0 && digits < text.size() && (text[digits] == '.' || text[digits] == ')') &&
                        (digits + 1 == text.size() || text[digits + 1] == ' ' || text[digits + 1] == '\t');
  for (std::size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    switch (c) {
      // Raw HTML, entities, table cells and strikethrough: character
      // references, which every renderer shows as the character and none
      // reads as markup (Python-Markdown keeps "\\<" as a backslash and a
      // live "<").
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '|': out += "&#124;"; break;
      case '~': out += "&#126;"; break;
      // Emphasis, code and links: backslash escapes, which CommonMark and
      // Python-Markdown both honour. Parentheses need no escape once
      // brackets have one.
      case '\\': case '`': case '*': case '_': case '[': case ']':
        out += '\\';
        out += c;
        break;
      // Markup only at the start of a line: lists, headings, underlines.
      case '-': case '+': case '#':
        if (i == 0) out += '\\';
        out += c;
        break;
      case '=':  // Python-Markdown has no "\\=" escape
        out += i == 0 ? "&#61;" : "=";
        break;
      case '.': case ')':
        if (numbered && i == digits) out += '\\';
        out += c;
        break;
      case '\n': case '\r': out += ' '; break;
      default: out += c;
    }
  }
  return out;
}

std::string css_string_escape(std::string_view raw) {
  std::string storage;
  const std::string_view text = printable_view(raw, storage);
  std::string out;
  out.reserve(text.size() + text.size() / 4);
  static const char* const kHex = "0123456789abcdef";
  for (char c : text) {
    const auto u = static_cast<unsigned char>(c);
    if (u >= 0x80 || std::isalnum(u) || c == ' ') {
      out += c;
    } else {
      out += '\\';
      if (u >= 0x10) out += kHex[u >> 4];
      out += kHex[u & 0xf];
      out += ' ';
    }
  }
  return out;
}

}  // namespace vitals::detail
