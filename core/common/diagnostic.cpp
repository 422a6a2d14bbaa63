// SPDX-License-Identifier: Apache-2.0
#include <vitals/diagnostic.hpp>

#include "common/user_text.hpp"

#include <algorithm>
#include <tuple>
#include <utility>

namespace vitals {

const char* severity_name(Severity severity) {
  switch (severity) {
    case Severity::kError: return "error";
    case Severity::kWarning: return "warning";
    case Severity::kNote: return "note";
  }
  return "error";
}

Diagnostic Diagnostic::make(Severity severity, std::string code, std::string message,
                            std::optional<SourceLocation> location) {
  Diagnostic d;
  d.severity = severity;
  d.code = std::move(code);
  d.message = std::move(message);
  d.location = std::move(location);
  return d;
}

std::string Diagnostic::to_string() const {
  std::string out;
  if (location && !location->file.empty()) out = location->to_string() + ": ";
  out += severity_name(severity);
  out += ": ";
  out += message;
  if (!code.empty()) out += " [" + code + "]";
  // Printed on terminals: no escape sequence or NUL from a message gets through.
  return detail::printable_text(out);
}

std::string printable(std::string_view text) { return detail::printable_text(text); }

std::string count_text(std::size_t n) { return detail::thousands_text(n); }

std::string count_text(std::size_t n, const char* one, const char* many) {
  return detail::count_text(n, one, many);
}

bool has_errors(const std::vector<Diagnostic>& diagnostics) {
  return std::any_of(diagnostics.begin(), diagnostics.end(),
                     [](const Diagnostic& d) { return d.severity == Severity::kError; });
}

namespace {
auto sort_key(const Diagnostic& d) {
  static const SourceLocation kNowhere;
  const SourceLocation& loc = d.location ? *d.location : kNowhere;
  return std::tie(loc.file, loc.line, loc.column, d.indicator_id, d.rule_id, d.code, d.message);
}
}  // namespace

void sort_and_deduplicate(std::vector<Diagnostic>& diagnostics) {
  std::stable_sort(diagnostics.begin(), diagnostics.end(),
                   [](const Diagnostic& a, const Diagnostic& b) {
                     auto ka = sort_key(a);
                     auto kb = sort_key(b);
                     if (ka != kb) return ka < kb;
                     return static_cast<int>(a.severity) < static_cast<int>(b.severity);
                   });
  diagnostics.erase(std::unique(diagnostics.begin(), diagnostics.end()), diagnostics.end());
}

}  // namespace vitals
