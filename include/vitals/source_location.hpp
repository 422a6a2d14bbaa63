// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <string>

#include <vitals/export.hpp>

namespace vitals {

/// A place in a user's file: a TOML catalogue, a Lua rule, a CSV row.
/// Lines and columns are 1-based; 0 means "not known". For CSV input the line
/// is the row number in the file (the header is row 1) and the column is the
/// field number. For TOML files the line is authoritative; the column can be
/// too high on lines holding non-ASCII text.
struct SourceLocation {
  std::string file;
  int line = 0;
  int column = 0;

  /// "file:line:column", "file:line" or "file", omitting what is unknown.
  VITALS_API std::string to_string() const;

  friend bool operator==(const SourceLocation&, const SourceLocation&) = default;
};

}  // namespace vitals
