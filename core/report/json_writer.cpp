// SPDX-License-Identifier: Apache-2.0
#include "report/json_writer.hpp"

#include "common/json_text.hpp"
#include "common/number_format.hpp"

namespace vitals::detail {

void JsonWriter::newline() {
  out_ << '\n';
  for (std::size_t i = 0; i < has_element_.size(); ++i) out_ << "  ";
}

void JsonWriter::before_value() {
  if (after_key_) {
    after_key_ = false;
    return;
  }
  if (!has_element_.empty()) {
    if (has_element_.back()) out_ << (one_line() ? ", " : ",");
    has_element_.back() = true;
    if (!one_line()) newline();
  }
}

JsonWriter& JsonWriter::begin_object() {
  before_value();
  out_ << '{';
  has_element_.push_back(false);
  return *this;
}

JsonWriter& JsonWriter::end_object() {
  const bool had = has_element_.back() && !one_line();
  has_element_.pop_back();
  if (had) newline();
  out_ << '}';
  if (has_element_.empty()) out_ << '\n';
  return *this;
}

JsonWriter& JsonWriter::begin_array() {
  before_value();
  out_ << '[';
  has_element_.push_back(false);
  return *this;
}

JsonWriter& JsonWriter::end_array() {
  const bool had = has_element_.back() && !one_line();
  has_element_.pop_back();
  if (had) newline();
  out_ << ']';
  if (has_element_.empty()) out_ << '\n';
  return *this;
}

JsonWriter& JsonWriter::key(std::string_view name) {
  before_value();
  out_ << json_quote(name) << ": ";
  after_key_ = true;
  return *this;
}

JsonWriter& JsonWriter::value(std::string_view text) {
  before_value();
  out_ << json_quote(text);
  return *this;
}

JsonWriter& JsonWriter::value(double number) {
  before_value();
  out_ << format_json_number(number);
  return *this;
}

JsonWriter& JsonWriter::value(std::int64_t number) {
  before_value();
  out_ << number;
  return *this;
}

JsonWriter& JsonWriter::value(bool flag) {
  before_value();
  out_ << (flag ? "true" : "false");
  return *this;
}

JsonWriter& JsonWriter::null() {
  before_value();
  out_ << "null";
  return *this;
}

JsonWriter& JsonWriter::value(const std::optional<double>& number) {
  return number ? value(*number) : null();
}

JsonWriter& JsonWriter::value(const std::optional<int>& number) {
  return number ? value(*number) : null();
}

}  // namespace vitals::detail
