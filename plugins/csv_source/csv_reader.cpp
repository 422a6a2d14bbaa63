// SPDX-License-Identifier: Apache-2.0
#include "csv_reader.hpp"

#include <cerrno>
#include <cstring>
#include <string>
#include <string_view>

namespace vitals::csv {
namespace {

using plugin_common::lower_ascii;

bool is_blank(char c) { return c == ' ' || c == '\t'; }

// Windows-1252's 0x80-0x9F (0xA0-0xFF are U+00A0-U+00FF, as in Latin-1).
// The five bytes it leaves undefined map to the C1 controls, as WHATWG's
// decoder maps them.
constexpr char16_t kWindows1252High[32] = {
    0x20AC, 0x0081, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,  // 80-87
    0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0x008D, 0x017D, 0x008F,  // 88-8F
    0x0090, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,  // 90-97
    0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x009D, 0x017E, 0x0178,  // 98-9F
};

// Appends the UTF-8 of a code point below U+10000.
char* put_utf8(char* out, char16_t cp) {
  if (cp < 0x80) {
    *out++ = static_cast<char>(cp);
  } else if (cp < 0x800) {
    *out++ = static_cast<char>(0xC0 | (cp >> 6));
    *out++ = static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    *out++ = static_cast<char>(0xE0 | (cp >> 12));
    *out++ = static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    *out++ = static_cast<char>(0x80 | (cp & 0x3F));
  }
  return out;
}

// The offset of the first byte of `text` that is not well-formed UTF-8, or
// npos. (Plugins build against the SDK alone, so this is the plugin's own
// copy of the engine's check.)
std::size_t invalid_utf8_at(std::string_view text) {
  for (std::size_t i = 0; i < text.size();) {
    const auto b = static_cast<unsigned char>(text[i]);
    if (b < 0x80) {
      ++i;
      continue;
    }
    std::size_t need = 0;
    unsigned char lo = 0x80;
    unsigned char hi = 0xBF;
    if (b >= 0xC2 && b <= 0xDF) {
      need = 1;
    } else if (b >= 0xE0 && b <= 0xEF) {
      need = 2;
      if (b == 0xE0) lo = 0xA0;
      if (b == 0xED) hi = 0x9F;
    } else if (b >= 0xF0 && b <= 0xF4) {
      need = 3;
      if (b == 0xF0) lo = 0x90;
      if (b == 0xF4) hi = 0x8F;
    } else {
      return i;
    }
    for (std::size_t k = 1; k <= need; ++k) {
      if (i + k >= text.size()) return i;
      const auto c = static_cast<unsigned char>(text[i + k]);
      if (c < lo || c > hi) return i;
      lo = 0x80;
      hi = 0xBF;
    }
    i += need + 1;
  }
  return std::string_view::npos;
}

}  // namespace

bool parse_encoding(std::string_view name, Encoding& out) {
  const std::string n = lower_ascii(name);
  if (n == "utf-8" || n == "utf8") {
    out = Encoding::kUtf8;
    return true;
  }
  if (n == "windows-1252" || n == "cp1252" || n == "latin-1" || n == "latin1" ||
      n == "iso-8859-1") {
    out = Encoding::kWindows1252;
    return true;
  }
  return false;
}

CsvReader::CsvReader(std::FILE* file, Encoding encoding, std::size_t chunk_bytes)
    : file_(file), encoding_(encoding), buffer_(chunk_bytes) {}

std::size_t CsvReader::read_more() {
  if (encoding_ == Encoding::kUtf8) {
    return std::fread(buffer_.data() + len_, 1, buffer_.size() - len_, file_);
  }
  // A byte becomes at most three: read a third of the room.
  if (buffer_.size() - len_ < 3) buffer_.resize(buffer_.size() * 2);
  raw_.resize((buffer_.size() - len_) / 3);
  std::size_t n = std::fread(raw_.data(), 1, raw_.size(), file_);
  if (!started_ && n >= 3 && raw_[0] == 0xEF && raw_[1] == 0xBB && raw_[2] == 0xBF) {
    throw ReadError(
        "the file starts with a UTF-8 byte order mark, so it is UTF-8, not Windows-1252: "
        "remove the source's encoding setting");
  }
  char* const start = buffer_.data() + len_;
  char* out = start;
  for (std::size_t i = 0; i < n; ++i) {
    const unsigned char b = raw_[i];
    if (b < 0x80) {
      *out++ = static_cast<char>(b);
    } else {
      out = put_utf8(out, b < 0xA0 ? kWindows1252High[b - 0x80] : static_cast<char16_t>(b));
    }
  }
  return static_cast<std::size_t>(out - start);
}

bool CsvReader::check_utf8(const Record& record) {
  for (std::size_t f = 0; f < record.fields.size(); ++f) {
    const std::size_t at = invalid_utf8_at(record.fields[f]);
    if (at == std::string_view::npos) continue;
    error_ = RecordError{
        record.row, static_cast<std::int64_t>(f) + 1,
        "field " + std::to_string(f + 1) + " is not valid UTF-8 (byte " + std::to_string(at + 1) +
            " of the field); if the file comes from Excel, set encoding = \"windows-1252\" "
            "in the source, or save it as \"CSV UTF-8\"",
        "data.bad_encoding"};
    return false;
  }
  return true;
}

bool CsvReader::fill() {
  if (eof_) return false;
  if (pos_ > 0) {
    std::memmove(buffer_.data(), buffer_.data() + pos_, len_ - pos_);
    len_ -= pos_;
    pos_ = 0;
  }
  // A record longer than the buffer: grow it.
  if (len_ == buffer_.size()) buffer_.resize(buffer_.size() * 2);
  std::size_t n = read_more();
  if (n == 0) {
    if (std::ferror(file_)) throw ReadError(std::string("read failed: ") + std::strerror(errno));
    eof_ = true;
    return false;
  }
  len_ += n;
  if (!started_) {
    started_ = true;
    if (len_ >= 3 && std::memcmp(buffer_.data(), "\xEF\xBB\xBF", 3) == 0) pos_ = 3;
  }
  return true;
}

CsvReader::Next CsvReader::next(Record& record) {
  for (;;) {
    // Pass 1: find where the record ends, without changing the bytes, so the
    // scan can resume after a refill moves them.
    std::size_t p = pos_;
    bool in_quotes = false;
    bool field_start = true;
    std::int64_t field = 1;
    std::int64_t quote_field = 0;
    std::size_t term = 0;  // length of the line break ending the record
    // Most records are one line with no quote and no CR: memchr finds the end.
    bool plain = false;
    if (const void* lf = std::memchr(buffer_.data() + pos_, '\n', len_ - pos_)) {
      const std::size_t n = static_cast<std::size_t>(static_cast<const char*>(lf) -
                                                     (buffer_.data() + pos_));
      plain = std::memchr(buffer_.data() + pos_, '"', n) == nullptr &&
              std::memchr(buffer_.data() + pos_, '\r', n) == nullptr;
      if (plain) {
        p = pos_ + n;
        term = 1;
      }
    }
    while (!plain) {
      if (p == len_) {
        // fill() moves the unread data to the front, even when it finds no more.
        std::size_t offset = p - pos_;
        bool more = fill();
        p = pos_ + offset;
        if (more) continue;
        if (p == pos_) return Next::kEnd;
        if (in_quotes) {
          error_ = RecordError{row_ + 1, quote_field,
                               "unterminated quoted field: the quote opening field " +
                                   std::to_string(quote_field) + " is never closed"};
          row_ += 1;
          pos_ = len_;
          return Next::kError;
        }
        break;  // the last record has no line break
      }
      char c = buffer_[p];
      if (in_quotes) {
        const void* q = std::memchr(buffer_.data() + p, '"', len_ - p);
        if (q == nullptr) {
          p = len_;
          continue;
        }
        p = static_cast<std::size_t>(static_cast<const char*>(q) - buffer_.data());
        if (p + 1 == len_) {
          // Need the next byte to tell "" from a closing quote; fill() moves the data.
          std::size_t offset = p - pos_;
          bool more = fill();
          p = pos_ + offset;
          if (more) continue;
        }
        if (p + 1 < len_ && buffer_[p + 1] == '"') {
          p += 2;
        } else {
          in_quotes = false;
          p += 1;
        }
        continue;
      }
      if (c == ',') {
        field_start = true;
        ++field;
        ++p;
      } else if (c == '\n') {
        term = 1;
        break;
      } else if (c == '\r') {
        if (p + 1 == len_) {
          std::size_t offset = p - pos_;
          bool more = fill();
          p = pos_ + offset;
          if (more) continue;
        }
        term = (p + 1 < len_ && buffer_[p + 1] == '\n') ? 2 : 1;
        break;
      } else if (c == '"' && field_start) {
        in_quotes = true;
        field_start = false;
        quote_field = field;
        ++p;
      } else {
        if (!is_blank(c)) field_start = false;
        ++p;
      }
    }

    const std::size_t end = p;
    const std::size_t next_pos = p + term;
    ++row_;
    if (end == pos_) {  // a blank line
      pos_ = next_pos;
      continue;
    }

    // Pass 2: split into fields, unescaping "" in place (the text only shrinks).
    record.fields.clear();
    record.row = row_;
    char* s = buffer_.data() + pos_;
    char* const e = buffer_.data() + end;
    std::int64_t column = 1;
    for (;;) {
      while (s < e && is_blank(*s)) ++s;
      if (s < e && *s == '"') {
        ++s;
        char* const start = s;
        char* w = s;
        while (s < e) {
          if (*s == '"') {
            if (s + 1 < e && s[1] == '"') {
              *w++ = '"';
              s += 2;
              continue;
            }
            break;
          }
          *w++ = *s++;
        }
        ++s;  // the closing quote, which pass 1 guarantees
        record.fields.emplace_back(start, static_cast<std::size_t>(w - start));
        while (s < e && is_blank(*s)) ++s;
        if (s < e && *s != ',') {
          error_ = RecordError{row_, column,
                               "unexpected text after the closing quote of field " +
                                   std::to_string(column) +
                                   " (a quote inside a quoted field must be doubled)"};
          pos_ = next_pos;
          return Next::kError;
        }
      } else {
        char* const start = s;
        const void* comma = s < e ? std::memchr(s, ',', static_cast<std::size_t>(e - s)) : nullptr;
        s = comma != nullptr ? static_cast<char*>(const_cast<void*>(comma)) : e;
        char* fe = s;
        while (fe > start && is_blank(fe[-1])) --fe;
        record.fields.emplace_back(start, static_cast<std::size_t>(fe - start));
      }
      if (s >= e) break;
      ++s;  // the comma
      ++column;
      if (s == e) {  // a trailing comma: one more, empty field
        record.fields.emplace_back();
        break;
      }
    }
    pos_ = next_pos;
    // Converted text is UTF-8 by construction.
    if (encoding_ == Encoding::kUtf8 && !check_utf8(record)) return Next::kError;
    return Next::kRecord;
  }
}

}  // namespace vitals::csv
