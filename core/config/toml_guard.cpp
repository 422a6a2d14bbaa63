// SPDX-License-Identifier: Apache-2.0
#include "config/toml_guard.hpp"

#include <cstdint>
#include <cstdio>
#include <string>

namespace vitals::detail {

namespace {

// The code point at the start of `text` and its length in bytes, or a length
// of 0 when the bytes there are not strict UTF-8.
struct Decoded {
  char32_t cp = 0;
  std::size_t length = 0;
};

Decoded decode_utf8(std::string_view text) {
  const auto byte = [&](std::size_t i) { return static_cast<unsigned char>(text[i]); };
  const unsigned char b0 = byte(0);
  if (b0 < 0x80) return {b0, 1};
  std::size_t length = 0;
  char32_t cp = 0;
  unsigned char low = 0x80, high = 0xBF;  // the allowed range of the second byte
  if (b0 >= 0xC2 && b0 <= 0xDF) {
    length = 2, cp = b0 & 0x1F;
  } else if (b0 >= 0xE0 && b0 <= 0xEF) {
    length = 3, cp = b0 & 0x0F;
    if (b0 == 0xE0) low = 0xA0;   // no overlong forms
    if (b0 == 0xED) high = 0x9F;  // no surrogates
  } else if (b0 >= 0xF0 && b0 <= 0xF4) {
    length = 4, cp = b0 & 0x07;
    if (b0 == 0xF0) low = 0x90;   // no overlong forms
    if (b0 == 0xF4) high = 0x8F;  // nothing above U+10FFFF
  } else {
    return {};
  }
  if (text.size() < length) return {};
  for (std::size_t i = 1; i < length; ++i) {
    const unsigned char b = byte(i);
    if (i == 1 ? (b < low || b > high) : (b & 0xC0) != 0x80) return {};
    cp = (cp << 6) | (b & 0x3F);
  }
  return {cp, length};
}

std::string code_point_name(char32_t cp) {
  char buffer[16];
  std::snprintf(buffer, sizeof buffer, "U+%04X", static_cast<unsigned>(cp));
  return buffer;
}

bool is_bare_key_char(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' ||
         c == '-';
}

bool is_space(char c) { return c == ' ' || c == '\t'; }
bool is_ascii_whitespace(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_hex_digit(char c) { return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }
bool is_octal_digit(char c) { return c >= '0' && c <= '7'; }
bool is_binary_digit(char c) { return c == '0' || c == '1'; }

// Digits, with single underscores between them only ("1_000").
bool digit_run(std::string_view s, bool (*digit)(char)) {
  if (s.empty() || !digit(s.front()) || !digit(s.back())) return false;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (digit(s[i])) continue;
    if (s[i] != '_' || !digit(s[i + 1]) || !digit(s[i - 1])) return false;
  }
  return true;
}

std::string_view without_sign(std::string_view s) {
  if (!s.empty() && (s[0] == '+' || s[0] == '-')) s.remove_prefix(1);
  return s;
}

// A decimal integer without its sign: "0", or digits not starting with 0.
bool unsigned_decimal(std::string_view s) {
  return s == "0" || (!s.empty() && s[0] != '0' && digit_run(s, is_digit));
}

bool is_integer(std::string_view s) {
  if (s.size() > 2 && s[0] == '0') {
    const std::string_view digits = s.substr(2);
    if (s[1] == 'x') return digit_run(digits, is_hex_digit);
    if (s[1] == 'o') return digit_run(digits, is_octal_digit);
    if (s[1] == 'b') return digit_run(digits, is_binary_digit);
  }
  return unsigned_decimal(without_sign(s));
}

bool is_float(std::string_view s) {
  s = without_sign(s);
  if (s == "inf" || s == "nan") return true;
  const std::size_t exponent = s.find_first_of("eE");
  std::string_view mantissa = s.substr(0, exponent);
  const std::size_t dot = mantissa.find('.');
  if (exponent == std::string_view::npos && dot == std::string_view::npos) return false;
  if (!unsigned_decimal(mantissa.substr(0, dot))) return false;
  if (dot != std::string_view::npos && !digit_run(mantissa.substr(dot + 1), is_digit)) return false;
  return exponent == std::string_view::npos || digit_run(without_sign(s.substr(exponent + 1)), is_digit);
}

// `s` is `pattern`, where 'd' stands for a digit.
bool shaped(std::string_view s, std::string_view pattern) {
  if (s.size() != pattern.size()) return false;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (pattern[i] == 'd' ? !is_digit(s[i]) : s[i] != pattern[i]) return false;
  }
  return true;
}

bool is_time(std::string_view s) {
  if (s.size() < 8 || !shaped(s.substr(0, 8), "dd:dd:dd")) return false;
  return s.size() == 8 || (s[8] == '.' && s.size() > 9 &&
                           s.substr(9).find_first_not_of("0123456789") == std::string_view::npos);
}

bool is_date_time(std::string_view s) {
  if (s.size() < 10 || !shaped(s.substr(0, 10), "dddd-dd-dd")) return is_time(s);
  if (s.size() == 10) return true;
  if (s[10] != 'T' && s[10] != 't' && s[10] != ' ') return false;
  std::string_view time = s.substr(11);
  if (!time.empty() && (time.back() == 'Z' || time.back() == 'z')) {
    time.remove_suffix(1);
  } else if (time.size() > 6 && (time[time.size() - 6] == '+' || time[time.size() - 6] == '-')) {
    if (!shaped(time.substr(time.size() - 6), "+dd:dd") &&
        !shaped(time.substr(time.size() - 6), "-dd:dd")) {
      return false;
    }
    time.remove_suffix(6);
  }
  return is_time(time);
}

// Whether `s` is a value TOML writes without quotes: a boolean, an integer,
// a float, or a date, time or date-time.
bool is_bare_value(std::string_view s) {
  return s == "true" || s == "false" || is_integer(s) || is_float(s) || is_date_time(s);
}

class Scanner {
 public:
  explicit Scanner(std::string_view text) : text_(text) {}

  std::optional<TomlTextProblem> run() {
    if (text_.substr(0, 3) == "\xEF\xBB\xBF") pos_ = 3;
    while (pos_ < text_.size() && !problem_) step();
    return problem_;
  }

 private:
  enum class State { kNormal, kComment, kBasic, kLiteral, kMultiBasic, kMultiLiteral };

  void fail(std::string code, std::string message, int column) {
    problem_ = TomlTextProblem{std::move(code), std::move(message), line_, column};
  }

  // The number of `quote` characters starting at pos_.
  std::size_t run_of(char quote) const {
    std::size_t n = 0;
    while (pos_ + n < text_.size() && text_[pos_ + n] == quote) ++n;
    return n;
  }

  // Moves past `bytes` bytes that are one code point on the current line.
  void advance(std::size_t bytes) {
    pos_ += bytes;
    ++column_;
  }

  void new_line() {
    ++pos_;
    ++line_;
    column_ = 1;
  }

  void step() {
    const Decoded d = decode_utf8(text_.substr(pos_));
    if (d.length == 0) {
      char byte[8];
      std::snprintf(byte, sizeof byte, "0x%02X", static_cast<unsigned char>(text_[pos_]));
      fail("config.bad_utf8",
           std::string("the file is not valid UTF-8: byte ") + byte +
               " is not part of a UTF-8 character; save the file as UTF-8",
           column_);
      return;
    }
    const char c = d.cp < 0x80 ? static_cast<char>(d.cp) : '\0';
    if (c == '\n') {
      if (state_ == State::kComment || state_ == State::kBasic || state_ == State::kLiteral) {
        state_ = State::kNormal;  // a single-line string ends here (toml++ reports it)
      }
      new_line();
      line_start_ = state_ == State::kNormal;
      prev_ = '\n';
      return;
    }
    switch (state_) {
      case State::kNormal: normal(d, c); return;
      case State::kComment: break;
      case State::kBasic:
        if (c == '\\') {
          advance(1);
          if (pos_ < text_.size() && text_[pos_] != '\n') {
            const Decoded next = decode_utf8(text_.substr(pos_));
            if (next.length == 0) return;  // reported by the next step
            advance(next.length);
          }
          return;
        }
        if (c == '"') state_ = State::kNormal;
        break;
      case State::kLiteral:
        if (c == '\'') state_ = State::kNormal;
        break;
      case State::kMultiBasic: multi_basic(d, c); return;
      case State::kMultiLiteral:
        if (c == '\'' && run_of('\'') >= 3) {
          close_multi('\'');
          return;
        }
        break;
    }
    advance(d.length);
  }

  // Whether a quote after `prev` (the character before it on the line, or
  // '\n' at its start) opens a string for toml++. Anywhere else it is part of
  // a malformed bare value, which toml++ reads up to the next terminator,
  // asking about every character; such text is then checked as bare text.
  static bool opens_string_after(char prev) {
    return prev == '\n' || is_space(prev) || prev == '=' || prev == '[' || prev == '{' ||
           prev == ',' || prev == '.';
  }

  static bool is_value_terminator(char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r' || c == ']' ||
           c == '}' || c == ',' || c == '#';
  }

  void normal(const Decoded& d, char c) {
    if (d.cp >= 0x80) {
      fail("config.syntax",
           "character " + code_point_name(d.cp) +
               " outside a string or comment; TOML allows characters other than ASCII only in "
               "quoted strings and comments",
           column_);
      return;
    }
    const bool at_line_start = line_start_;
    if (!is_space(c) && c != '\r') line_start_ = false;
    const char prev = prev_;
    prev_ = c;
    // A bare value: toml++ picks a parser from a glance at its characters,
    // and the parsers assert what the glance did not check ("2017-03-01 1",
    // "1979-05-27Tp07:32"). Only well-formed values reach it.
    if (expect_value_ && !is_space(c) && c != '\r' && c != '#' && c != '"' && c != '\'' &&
        c != '[' && c != '{' && c != ']' && c != '}' && c != ',') {
      bare_value();
      return;
    }
    if ((c == '"' || c == '\'') && !opens_string_after(prev)) {
      advance(1);
      return;
    }
    switch (c) {
      case '#': state_ = State::kComment; break;
      case '"':
      case '\'': {
        expect_value_ = false;
        const bool multi_line = run_of(c) >= 3;
        if (multi_line) pos_ += 2, column_ += 2;
        state_ = c == '"' ? (multi_line ? State::kMultiBasic : State::kBasic)
                          : (multi_line ? State::kMultiLiteral : State::kLiteral);
        break;
      }
      case '=': expect_value_ = true; break;
      case ',': expect_value_ = !open_.empty() && open_.back() == '['; break;
      case '[':
        if (at_line_start && open_.empty()) {
          table_header();
          return;
        }
        open_.push_back('[');
        expect_value_ = true;
        break;
      case '{':
        open_.push_back('{');
        expect_value_ = false;
        break;
      case '}':
        // Where an array expects a value, toml++ asserts that '}' is not there.
        if (!open_.empty() && open_.back() == '[') {
          fail("config.syntax", "'}' inside an array, where a value or ']' belongs", column_);
          return;
        }
        [[fallthrough]];
      case ']':
        if (!open_.empty()) open_.pop_back();
        expect_value_ = false;
        break;
      default: break;
    }
    advance(1);
  }

  // At the first character of a bare value: reads it up to the next
  // terminator (through one space after a date, as toml++ does when a digit
  // follows) and checks it.
  void bare_value() {
    std::size_t end = pos_;
    while (end < text_.size() && !is_value_terminator(text_[end])) ++end;
    if (end + 1 < text_.size() && text_[end] == ' ' && is_digit(text_[end + 1]) &&
        shaped(text_.substr(pos_, end - pos_), "dddd-dd-dd")) {
      for (++end; end < text_.size() && !is_value_terminator(text_[end]);) ++end;
    }
    const std::string_view value = text_.substr(pos_, end - pos_);
    if (!is_bare_value(value)) {
      const bool quotable = value.size() <= 40 && value.find_first_not_of(
          " !#$%&()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[]^_`abcdefghijklmnopqrstuvwxyz{|}~") ==
                                                 std::string_view::npos;
      fail("config.syntax",
           (quotable ? "'" + std::string(value) + "' is" : std::string("this value is")) +
               " not a TOML value: a number, true or false, a date or a time (text belongs in "
               "quotes)",
           column_);
      return;
    }
    expect_value_ = false;
    prev_ = value.back();
    pos_ = end;
    column_ += static_cast<int>(value.size());  // ASCII only, as checked
  }

  // At the '[' opening a table header: what follows '[' or '[[' (after
  // spaces) must start a key, or be ']' or the end, which toml++ reports.
  void table_header() {
    std::size_t i = pos_ + 1;
    int column = column_ + 1;
    const auto skip_spaces = [&] {
      while (i < text_.size() && is_space(text_[i])) ++i, ++column;
    };
    skip_spaces();
    if (i < text_.size() && text_[i] == '[') {
      ++i, ++column;
      skip_spaces();
    }
    if (i < text_.size()) {
      const char next = text_[i];
      if (!is_bare_key_char(next) && next != '"' && next != '\'' && next != ']' &&
          static_cast<unsigned char>(next) < 0x80) {
        fail("config.syntax",
             "a table header needs a name after '[': a bare key (letters, digits, '_' and '-') "
             "or a quoted one",
             column);
        return;
      }
    }
    // The header's own brackets are not counted as nesting, nor taken for
    // the start of an array.
    advance(1);
    if (pos_ < text_.size() && text_[pos_] == '[') advance(1);
  }

  void multi_basic(const Decoded& d, char c) {
    if (skipping_) {
      if (is_ascii_whitespace(c)) {
        advance(d.length);
        return;
      }
      skipping_ = false;
      if (d.cp >= 0x80) {
        fail("config.syntax",
             "character " + code_point_name(d.cp) +
                 " right after a line-ending backslash in a multi-line string; Vitals cannot "
                 "read this safely: write it as the escape \\u" +
                 code_point_name(d.cp).substr(2) + ", or end the line without a backslash",
             column_);
        return;
      }
    }
    if (c == '\\') {
      advance(1);
      if (pos_ >= text_.size()) return;
      const Decoded next = decode_utf8(text_.substr(pos_));
      if (next.length == 0) return;  // reported by the next step
      if (next.cp >= 0x80) {
        fail("config.syntax",
             "'\\' followed by character " + code_point_name(next.cp) +
                 " is not an escape sequence; write '\\\\' for a backslash",
             column_ - 1);
        return;
      }
      if (is_ascii_whitespace(static_cast<char>(next.cp))) {
        skipping_ = true;  // a line-ending backslash: whitespace up to the next text is dropped
        return;
      }
      advance(1);  // the escaped character, e.g. '"' or '\\'
      return;
    }
    if (c == '"' && run_of('"') >= 3) {
      close_multi('"');
      return;
    }
    advance(d.length);
  }

  // At a run of three or more quotes ending a multi-line string: up to two
  // more belong to the string, as in toml++.
  void close_multi(char quote) {
    std::size_t n = run_of(quote);
    if (n > 5) n = 5;
    pos_ += n;
    column_ += static_cast<int>(n);
    state_ = State::kNormal;
  }

  std::string_view text_;
  std::size_t pos_ = 0;
  int line_ = 1;
  int column_ = 1;
  bool line_start_ = true;
  std::string open_;  // the '[' and '{' of values still open, innermost last
  char prev_ = '\n';  // the last character outside strings on this line; '\n' at its start
  bool expect_value_ = false;  // after '=', or where an array takes its next value
  bool skipping_ = false;
  State state_ = State::kNormal;
  std::optional<TomlTextProblem> problem_;
};

}  // namespace

std::optional<TomlTextProblem> check_toml_text(std::string_view text) {
  return Scanner(text).run();
}

}  // namespace vitals::detail
