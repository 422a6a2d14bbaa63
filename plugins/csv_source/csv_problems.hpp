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
/// characters (then "..."), control characters and bytes that are not UTF-8
/// written as \xNN. The one place the csv plugins quote what a file holds, so
/// that a message never carries more than a short, visible excerpt of it.
inline std::string excerpt(std::string_view text) {
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
    for (std::size_t k = 1; whole && k < length; ++k) {
      whole = (static_cast<unsigned char>(text[i + k]) & 0xC0) == 0x80;
    }
    if (!whole || byte < 0x20 || byte == 0x7F) {
      static constexpr char kHex[] = "0123456789ABCDEF";
      out += "\\x";
      out += kHex[byte >> 4];
      out += kHex[byte & 0xF];
      ++i;
      continue;
    }
    out.append(text.substr(i, length));
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
    if (std::all_of(f.begin(), f.end(), [](std::string_view s) { return trim(s).empty(); })) {
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
