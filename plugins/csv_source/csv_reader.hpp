// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "../common/ascii_text.hpp"

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace vitals::csv {

/// One record as CsvReader::next returns it.
struct Record {
  /// The fields, unquoted and unescaped. Unquoted fields are trimmed of
  /// surrounding spaces and tabs; quoted ones are exactly what the quotes
  /// held. Valid until the next call to next().
  std::vector<std::string_view> fields;
  /// The record's row as a spreadsheet shows it: the first record is row 1,
  /// blank lines count, and a quoted field spanning lines is still one row.
  std::int64_t row = 0;
};

using plugin_common::trim_blanks;

/// How the bytes of a file encode its text. Windows-1252 is what Excel on
/// Windows writes as "CSV"; Latin-1 (ISO-8859-1) files are read as
/// Windows-1252, as web browsers read them, since the two differ only in
/// 0x80-0x9F, where Latin-1 has invisible control characters.
enum class Encoding { kUtf8, kWindows1252 };

/// The encoding a source's `encoding` setting names: "utf-8" (or "utf8"),
/// "windows-1252" ("cp1252"), "latin-1" ("latin1", "iso-8859-1"), in any
/// case. False when the name is none of these.
bool parse_encoding(std::string_view name, Encoding& out);

/// Reading the file failed (an I/O error, not bad content).
class ReadError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// Why a record could not be split.
struct RecordError {
  std::int64_t row = 0;
  std::int64_t column = 0;  // 1-based field number
  std::string message;
  const char* code = "data.bad_csv";  // data.bad_encoding for text that is not UTF-8
};

/// Streams RFC 4180 records from a file: comma-separated, fields optionally
/// quoted with '"' (a quote inside written as ""), quoted fields may hold
/// commas and line breaks; records end with LF, CRLF or CR. A UTF-8 byte
/// order mark at the start is skipped; blank lines are skipped. The text is
/// UTF-8: a Windows-1252 file is converted as it is read, and in a UTF-8 file
/// a field that is not valid UTF-8 makes its record an error
/// (data.bad_encoding), so no byte that is not UTF-8 is ever returned. Lenient
/// where RFC 4180 is strict but the meaning is clear: spaces around a quoted
/// field are ignored and a quote inside an unquoted field is kept as text.
///
/// Reads in large chunks and splits records in place, so memory stays
/// bounded by the longest record, not the file.
/// Thread safety: not safe for concurrent use.
class CsvReader {
 public:
  enum class Next { kRecord, kEnd, kError };

  /// Bytes read at a time unless the caller says otherwise.
  static constexpr std::size_t kDefaultChunkBytes = std::size_t{1} << 20;

  /// REQUIRES: `file` is open for reading and outlives the reader;
  /// `chunk_bytes` >= 4 (tests use small chunks to reach the refill paths).
  explicit CsvReader(std::FILE* file, Encoding encoding = Encoding::kUtf8,
                     std::size_t chunk_bytes = kDefaultChunkBytes);

  /// kRecord: `record` holds the next record. kError: the next record is
  /// malformed (error() says where and why); reading continues after it,
  /// except after an unterminated quote, which runs to the end of the file.
  /// kEnd: no more records. Throws ReadError when reading fails.
  Next next(Record& record);

  const RecordError& error() const { return error_; }

 private:
  // Makes room and reads more; returns false at end of file.
  bool fill();
  // Reads more of the file into buffer_ at len_, converted to UTF-8; returns
  // the bytes added (0 at end of file).
  std::size_t read_more();
  // False, with error_ set, when a field of `record` is not valid UTF-8.
  bool check_utf8(const Record& record);

  std::FILE* file_;
  Encoding encoding_;
  std::vector<char> buffer_;
  std::vector<unsigned char> raw_;  // bytes read before conversion
  std::size_t pos_ = 0;  // start of the unread data
  std::size_t len_ = 0;  // end of the valid data
  bool eof_ = false;
  bool started_ = false;
  std::int64_t row_ = 0;
  RecordError error_;
};

}  // namespace vitals::csv
