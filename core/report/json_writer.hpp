// SPDX-License-Identifier: Apache-2.0
#pragma once

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
/// REQUIRES: calls nest correctly (key() before each value inside an object).
class JsonWriter {
 public:
  explicit JsonWriter(std::ostream& out) : out_(out) {}

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

  std::ostream& out_;
  // One entry per open container: whether it has had an element yet.
  std::vector<bool> has_element_;
  bool after_key_ = false;
};

}  // namespace vitals::detail
