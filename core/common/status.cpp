// SPDX-License-Identifier: Apache-2.0
#include <vitals/status.hpp>

namespace vitals {

const char* status_code_name(StatusCode code) {
  switch (code) {
    case StatusCode::kOk: return "ok";
    case StatusCode::kInvalidArgument: return "invalid_argument";
    case StatusCode::kNotFound: return "not_found";
    case StatusCode::kParseError: return "parse_error";
    case StatusCode::kValidationError: return "validation_error";
    case StatusCode::kIoError: return "io_error";
    case StatusCode::kPluginError: return "plugin_error";
    case StatusCode::kRuleError: return "rule_error";
    case StatusCode::kStoreError: return "store_error";
    case StatusCode::kInternal: return "internal";
  }
  return "unknown";
}

Status::Status(StatusCode code, std::string message, std::optional<SourceLocation> location)
    : code_(code), message_(std::move(message)), location_(std::move(location)) {}

std::string Status::to_string() const {
  if (is_ok()) return "OK";
  std::string out;
  if (location_) out = location_->to_string() + ": ";
  out += status_code_name(code_);
  out += ": ";
  out += message_;
  return out;
}

}  // namespace vitals
