// SPDX-License-Identifier: Apache-2.0
#include "store/evidence_json.hpp"

#include "common/json_text.hpp"
#include "common/number_format.hpp"

#include <cmath>
#include <limits>
#include <type_traits>

namespace vitals::detail {

namespace {

constexpr const char* kPositiveInfinity = "9e999";
constexpr const char* kNegativeInfinity = "-9e999";

void append_string(std::string& out, std::string_view text) { append_json_quoted(out, text); }

void append_number(std::string& out, double value) {
  if (std::isnan(value)) {
    out += "null";
  } else if (std::isinf(value)) {
    out += value > 0 ? kPositiveInfinity : kNegativeInfinity;
  } else {
    out += format_json_number(value);  // shortest round trip
  }
}

class Parser {
 public:
  explicit Parser(std::string_view text) : text_(text) {}

  Result<Evidence> parse_object() {
    Evidence out;
    skip_space();
    if (!consume('{')) return fail("expected '{'");
    skip_space();
    if (!consume('}')) {
      while (true) {
        skip_space();
        std::size_t key_at = pos_;
        auto key = parse_string();
        if (!key.ok()) return key.status();
        skip_space();
        if (!consume(':')) return fail("expected ':'");
        skip_space();
        auto value = parse_value();
        if (!value.ok()) return value.status();
        if (!out.insert_or_assign(std::move(*key), std::move(*value)).second) {
          pos_ = key_at;
          return fail("duplicate key");
        }
        skip_space();
        if (consume('}')) break;
        if (!consume(',')) return fail("expected ',' or '}'");
      }
    }
    skip_space();
    if (pos_ != text_.size()) return fail("unexpected text after the object");
    return out;
  }

 private:
  Status fail(std::string_view what) const {
    return Status(StatusCode::kInvalidArgument,
                  "evidence JSON at byte " + std::to_string(pos_) + ": " + std::string(what));
  }

  bool consume(char c) {
    if (pos_ < text_.size() && text_[pos_] == c) {
      ++pos_;
      return true;
    }
    return false;
  }

  bool consume_word(std::string_view word) {
    if (text_.substr(pos_, word.size()) == word) {
      pos_ += word.size();
      return true;
    }
    return false;
  }

  void skip_space() { pos_ = skip_json_space(text_, pos_); }

  Result<EvidenceValue> parse_value() {
    if (consume_word("true")) return EvidenceValue(true);
    if (consume_word("false")) return EvidenceValue(false);
    if (consume_word("null")) return EvidenceValue(std::numeric_limits<double>::quiet_NaN());
    if (pos_ < text_.size() && text_[pos_] == '"') {
      auto s = parse_string();
      if (!s.ok()) return s.status();
      return EvidenceValue(std::move(*s));
    }
    auto d = parse_number();
    if (!d.ok()) return d.status();
    return EvidenceValue(*d);
  }

  Result<double> parse_number() {
    double value = 0.0;
    if (const char* error = read_json_number(text_, pos_, value)) return fail(error);
    return value;
  }

  static void append_utf8(std::string& out, unsigned cp) {
    if (cp < 0x80) {
      out += static_cast<char>(cp);
    } else if (cp < 0x800) {
      out += static_cast<char>(0xC0 | (cp >> 6));
      out += static_cast<char>(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
      out += static_cast<char>(0xE0 | (cp >> 12));
      out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
      out += static_cast<char>(0x80 | (cp & 0x3F));
    } else {
      out += static_cast<char>(0xF0 | (cp >> 18));
      out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
      out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
      out += static_cast<char>(0x80 | (cp & 0x3F));
    }
  }

  bool read_hex4(unsigned& out) {
    if (text_.size() - pos_ < 4) return false;
    out = 0;
    for (int i = 0; i < 4; ++i) {
      char c = text_[pos_++];
      out <<= 4;
      if (c >= '0' && c <= '9') {
        out |= static_cast<unsigned>(c - '0');
      } else if (c >= 'a' && c <= 'f') {
        out |= static_cast<unsigned>(c - 'a' + 10);
      } else if (c >= 'A' && c <= 'F') {
        out |= static_cast<unsigned>(c - 'A' + 10);
      } else {
        return false;
      }
    }
    return true;
  }

  Result<std::string> parse_string() {
    if (!consume('"')) return fail("expected a string");
    std::string out;
    while (true) {
      if (pos_ >= text_.size()) return fail("unterminated string");
      char c = text_[pos_++];
      if (c == '"') return out;
      if (static_cast<unsigned char>(c) < 0x20) {
        --pos_;
        return fail("control character in a string");
      }
      if (c != '\\') {
        out += c;
        continue;
      }
      if (pos_ >= text_.size()) return fail("unterminated string");
      char e = text_[pos_++];
      switch (e) {
        case '"':
          out += '"';
          break;
        case '\\':
          out += '\\';
          break;
        case '/':
          out += '/';
          break;
        case 'b':
          out += '\b';
          break;
        case 'f':
          out += '\f';
          break;
        case 'n':
          out += '\n';
          break;
        case 'r':
          out += '\r';
          break;
        case 't':
          out += '\t';
          break;
        case 'u': {
          unsigned cp = 0;
          if (!read_hex4(cp)) return fail("malformed \\u escape");
          if (cp >= 0xD800 && cp <= 0xDBFF) {
            unsigned low = 0;
            if (!consume('\\') || !consume('u') || !read_hex4(low) || low < 0xDC00 ||
                low > 0xDFFF) {
              return fail("unpaired surrogate in a \\u escape");
            }
            cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
          } else if (cp >= 0xDC00 && cp <= 0xDFFF) {
            return fail("unpaired surrogate in a \\u escape");
          }
          append_utf8(out, cp);
          break;
        }
        default:
          pos_ -= 2;
          return fail("unknown escape");
      }
    }
  }

  std::string_view text_;
  std::size_t pos_ = 0;
};

}  // namespace

void append_evidence_json(std::string& out, const Evidence& evidence) {
  out += '{';
  bool first = true;
  for (const auto& [key, value] : evidence) {
    if (!first) out += ',';
    first = false;
    append_string(out, key);
    out += ':';
    std::visit(
        [&out](const auto& v) {
          using T = std::decay_t<decltype(v)>;
          if constexpr (std::is_same_v<T, bool>) {
            out += v ? "true" : "false";
          } else if constexpr (std::is_same_v<T, double>) {
            append_number(out, v);
          } else {
            append_string(out, v);
          }
        },
        value);
  }
  out += '}';
}

std::string evidence_to_json(const Evidence& evidence) {
  std::string out;
  append_evidence_json(out, evidence);
  return out;
}

Result<Evidence> evidence_from_json(std::string_view text) { return Parser(text).parse_object(); }

}  // namespace vitals::detail
