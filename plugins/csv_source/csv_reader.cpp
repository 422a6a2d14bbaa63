// SPDX-License-Identifier: Apache-2.0
#include "csv_reader.hpp"

#include <cerrno>
#include <cstring>

namespace vitals::csv {
namespace {

bool is_blank(char c) { return c == ' ' || c == '\t'; }

}  // namespace

CsvReader::CsvReader(std::FILE* file, std::size_t chunk_bytes)
    : file_(file), buffer_(chunk_bytes) {}

bool CsvReader::fill() {
  if (eof_) return false;
  if (pos_ > 0) {
    std::memmove(buffer_.data(), buffer_.data() + pos_, len_ - pos_);
    len_ -= pos_;
    pos_ = 0;
  }
  // A record longer than the buffer: grow it.
  if (len_ == buffer_.size()) buffer_.resize(buffer_.size() * 2);
  std::size_t n = std::fread(buffer_.data() + len_, 1, buffer_.size() - len_, file_);
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
    return Next::kRecord;
  }
}

}  // namespace vitals::csv
