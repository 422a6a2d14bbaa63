// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "common/json_text.hpp"

namespace vitals::detail {

/// A small streaming JSON writer: two-space indentation, keys written in the
/// order given (callers give them sorted or in a documented order), strings
/// escaped per RFC 8259 (control characters, quotes, backslashes; "</" is
/// written as "<\/" so the text is safe inside an HTML <script>).
/// Containers opened deeper than `one_line_depth` (the outermost container
/// is at depth 1) are written on one line, elements separated by ", ": with
/// 2, each element of a top-level object's arrays is one line.
/// REQUIRES: calls nest correctly (key() before each value inside an object).
class JsonWriter {
 public:
  explicit JsonWriter(std::ostream& out, std::size_t one_line_depth = SIZE_MAX)
      : out_(out), one_line_depth_(one_line_depth) {}

  JsonWriter& begin_object();
  JsonWriter& end_object();
  JsonWriter& begin_array();
  JsonWriter& end_array();
  JsonWriter& key(std::string_view name);

  JsonWriter& value(std::string_view text);
  JsonWriter& value(const char* text) { return value(std::string_view(text)); }
  JsonWriter& value(double number);
  JsonWriter& value(std::int64_t number);
  JsonWriter& value(int number) { return value(static_cast<std::int64_t>(number)); }
  JsonWriter& value(bool flag);
  JsonWriter& null();
  /// The number, or null.
  JsonWriter& value(const std::optional<double>& number);
  JsonWriter& value(const std::optional<int>& number);

  /// Shorthand for key(name).value(v).
  template <typename T>
  JsonWriter& field(std::string_view name, const T& v) {
    key(name);
    return value(v);
  }

 private:
  void before_value();
  void newline();
  // Whether the innermost open container is written on one line.
  bool one_line() const { return has_element_.size() > one_line_depth_; }

  std::ostream& out_;
  std::size_t one_line_depth_;
  // One entry per open container: whether it has had an element yet.
  std::vector<bool> has_element_;
  bool after_key_ = false;
};

}  // namespace vitals::detail
