// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include <vitals/plugin/sdk.hpp>

#include "csv_reader.hpp"

namespace vitals::csv {

/// Beyond this many, problems in one file are counted and summarised in one line.
inline constexpr int kMaxReportedProblems = 100;

/// The most characters of a file's text one message quotes.
inline constexpr std::size_t kMaxExcerptChars = 40;

/// A cell of the file as a message quotes it: at most kMaxExcerptChars
/// characters (then "..."), with what a reader cannot see made visible as
/// Vitals shows it everywhere: control characters and invisible or
/// space-like characters (no-break space, zero-width space, byte order mark)
/// as \u followed by four hex digits, bytes that are not UTF-8 as \x and two.
/// The one place the csv plugins quote what a file holds, so that a message
/// never carries more than a short, visible excerpt of it. (The plugins build
/// against the SDK only, so this is their own copy of the host's rule.)
inline std::string excerpt(std::string_view text) {
  static constexpr char kHex[] = "0123456789abcdef";
  auto hex = [&](std::string& out, const char* prefix, std::uint32_t value, int digits) {
    out += prefix;
    for (int d = digits - 1; d >= 0; --d) out += kHex[(value >> (4 * d)) & 0xF];
  };
  auto invisible = [](std::uint32_t cp) {
    return cp < 0x20 || (cp >= 0x7F && cp <= 0x9F) || cp == 0x00A0 || cp == 0x00AD ||
           cp == 0x1680 || (cp >= 0x2000 && cp <= 0x200F) || (cp >= 0x2028 && cp <= 0x202F) ||
           (cp >= 0x205F && cp <= 0x206F) || cp == 0x3000 || cp == 0xFEFF;
  };
  std::string out;
  std::size_t chars = 0;
  for (std::size_t i = 0; i < text.size(); ++chars) {
    if (chars == kMaxExcerptChars) {
      out += "...";
      break;
    }
    const auto byte = static_cast<unsigned char>(text[i]);
    std::size_t length = byte < 0x80 ? 1 : (byte >> 5) == 0x6 ? 2 : (byte >> 4) == 0xE ? 3
                                       : (byte >> 3) == 0x1E ? 4 : 0;
    bool whole = length > 0 && i + length <= text.size();
    std::uint32_t cp = length == 1 ? byte : length == 2 ? byte & 0x1F : length == 3 ? byte & 0x0F
                                                                                 : byte & 0x07;
    for (std::size_t k = 1; whole && k < length; ++k) {
      const auto next = static_cast<unsigned char>(text[i + k]);
      whole = (next & 0xC0) == 0x80;
      cp = (cp << 6) | (next & 0x3F);
    }
    if (!whole) {
      hex(out, "\\x", byte, 2);
      ++i;
      continue;
    }
    if (invisible(cp)) {
      hex(out, "\\u", cp, 4);
    } else {
      out.append(text.substr(i, length));
    }
    i += length;
  }
  return out;
}

/// Reports a file's problems up to kMaxReportedProblems and counts the rest;
/// finish() adds the summary line. Shared by the csv plugins.
class Problems {
 public:
  explicit Problems(plugin::Sink& sink) : sink_(sink) {}
  void error(std::int64_t row, std::int64_t column, const std::string& message, const char* code) {
    ++count_;
    if (count_ <= kMaxReportedProblems) sink_.problem(row, column, message, code);
  }
  int count() const { return count_; }
  void finish() {
    if (count_ > kMaxReportedProblems) {
      // A note, not an error: the errors it summarises were counted already.
      sink_.report(VITALS_SEVERITY_NOTE, 0, 0,
                   "... and " + std::to_string(count_ - kMaxReportedProblems) +
                       " more problems in this file, not listed",
                   "data.too_many_problems");
    }
  }

 private:
  plugin::Sink& sink_;
  int count_ = 0;
};

/// The source's `encoding` setting (UTF-8 when absent). Throws ConfigError
/// naming the accepted values when it names another encoding.
inline Encoding encoding_setting(const plugin::Settings& settings) {
  const std::string name = settings.get("encoding", "utf-8");
  Encoding encoding = Encoding::kUtf8;
  if (!parse_encoding(name, encoding)) {
    throw plugin::ConfigError("setting 'encoding' is '" + name +
                              "'; expected utf-8 (the default), windows-1252 or latin-1");
  }
  return encoding;
}

/// Reads the header row into `record`. False, with the problem reported,
/// when the file is empty or its first record is malformed.
inline bool read_header_row(CsvReader& reader, Record& record, Problems& problems) {
  switch (reader.next(record)) {
    case CsvReader::Next::kRecord: return true;
    case CsvReader::Next::kEnd:
      problems.error(1, 0, "the file is empty: expected a header row naming the columns",
                     "data.bad_csv");
      return false;
    case CsvReader::Next::kError: break;
  }
  problems.error(reader.error().row, reader.error().column, reader.error().message,
                 reader.error().code);
  return false;
}

/// Reads the next data row into `record`: one with `width` fields. Malformed
/// rows and rows of another width are reported and skipped; blank rows
/// (spreadsheets pad exports with them) are skipped. False at the end of the
/// file.
inline bool next_data_row(CsvReader& reader, Record& record, std::size_t width,
                          Problems& problems) {
  CsvReader::Next next;
  while ((next = reader.next(record)) != CsvReader::Next::kEnd) {
    if (next == CsvReader::Next::kError) {
      problems.error(reader.error().row, reader.error().column, reader.error().message,
                     reader.error().code);
      continue;
    }
    const auto& f = record.fields;
    if (std::all_of(f.begin(), f.end(), [](std::string_view s) { return trim_blanks(s).empty(); })) {
      continue;
    }
    if (f.size() != width) {
      problems.error(record.row, static_cast<std::int64_t>(std::min(f.size(), width)) + 1,
                     "row has " + std::to_string(f.size()) + " fields but the header has " +
                         std::to_string(width),
                     "data.bad_csv");
      continue;
    }
    return true;
  }
  return false;
}

}  // namespace vitals::csv
