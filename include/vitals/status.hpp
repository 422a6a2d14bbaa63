// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cassert>
#include <optional>
#include <string>
#include <utility>
#include <variant>

#include <vitals/export.hpp>
#include <vitals/source_location.hpp>

namespace vitals {

enum class StatusCode {
  kOk = 0,
  kInvalidArgument,   // the caller passed something malformed
  kNotFound,          // a file, indicator, plugin or run does not exist
  kParseError,        // a user's file could not be read as its format
  kValidationError,   // a user's file parsed but says something invalid
  kIoError,           // reading or writing the file system failed
  kPluginError,       // a source plugin failed to load or to run
  kRuleError,         // a rule script failed to load or to run
  kStoreError,        // the SQLite store failed
  kInternal,          // a bug in Vitals
};

/// Returns a stable lower-case name for `code`, e.g. "parse_error".
VITALS_API const char* status_code_name(StatusCode code);

/// The outcome of an operation: OK, or an error code with a message and,
/// when the error is in a user's file, where.
/// Thread safety: a Status is a value; distinct objects may be used freely.
class [[nodiscard]] VITALS_API Status {
 public:
  Status() = default;
  Status(StatusCode code, std::string message,
         std::optional<SourceLocation> location = std::nullopt);

  static Status ok() { return Status(); }

  bool is_ok() const { return code_ == StatusCode::kOk; }
  explicit operator bool() const { return is_ok(); }
  StatusCode code() const { return code_; }
  const std::string& message() const { return message_; }
  const std::optional<SourceLocation>& location() const { return location_; }

  /// "file:line:column: parse_error: message", or "OK".
  std::string to_string() const;

 private:
  StatusCode code_ = StatusCode::kOk;
  std::string message_;
  std::optional<SourceLocation> location_;
};

/// A value of type T, or the Status explaining why there is none.
/// REQUIRES: value() only when ok(); status() is OK when ok().
template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : data_(std::move(value)) {}  // NOLINT: implicit by design
  Result(Status status) : data_(std::move(status)) {  // NOLINT
    assert(!std::get<Status>(data_).is_ok() && "Result built from an OK Status");
  }

  bool ok() const { return std::holds_alternative<T>(data_); }
  explicit operator bool() const { return ok(); }

  T& value() & { return std::get<T>(data_); }
  const T& value() const& { return std::get<T>(data_); }
  T&& value() && { return std::get<T>(std::move(data_)); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }

  /// OK when a value is held, else the error.
  Status status() const { return ok() ? Status::ok() : std::get<Status>(data_); }

 private:
  std::variant<T, Status> data_;
};

}  // namespace vitals
