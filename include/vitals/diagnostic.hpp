// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <vitals/export.hpp>
#include <vitals/source_location.hpp>

namespace vitals {

enum class Severity { kError, kWarning, kNote };

/// "error", "warning" or "note".
VITALS_API const char* severity_name(Severity severity);

/// A problem a user can cause and fix: bad TOML, a failing rule, a broken
/// plugin, a bad data row. Diagnostics are attached to a run's report; they
/// never abort the run unless nothing at all could be evaluated.
struct Diagnostic {
  Severity severity = Severity::kError;
  /// Stable, dotted machine-readable code, e.g. "config.unknown_key",
  /// "rule.instruction_limit", "plugin.abi_mismatch", "data.bad_value".
  std::string code;
  /// One plain-English sentence (or two) saying what is wrong and how to fix it.
  std::string message;
  std::optional<SourceLocation> location;
  std::string indicator_id;  // empty when not about one indicator
  std::string rule_id;       // empty when not about one rule

  /// A diagnostic with these fields and no indicator or rule.
  VITALS_API static Diagnostic make(Severity severity, std::string code, std::string message,
                                    std::optional<SourceLocation> location = std::nullopt);

  /// "file:line:column: error: message [code]" (the location part omitted
  /// when unknown), the form compilers use so editors can jump to it.
  VITALS_API std::string to_string() const;

  friend bool operator==(const Diagnostic&, const Diagnostic&) = default;
};

/// `text` safe to print on a terminal: valid UTF-8 (bytes that are not
/// become U+FFFD) and control characters other than line breaks and tabs
/// written as \u001b etc., so no escape sequence in a title or a rule's
/// message reaches the terminal. Diagnostic::to_string() applies it.
VITALS_API std::string printable(std::string_view text);

/// A count as messages write it, thousands separated by commas ("2,351,666"),
/// with its noun when one is given: count_text(1, "series", "series").
VITALS_API std::string count_text(std::size_t n);
VITALS_API std::string count_text(std::size_t n, const char* one, const char* many);

/// True when any diagnostic has Severity::kError.
VITALS_API bool has_errors(const std::vector<Diagnostic>& diagnostics);

/// Sorts by (file, line, column, code, message) and removes exact duplicates,
/// so output is stable from run to run.
VITALS_API void sort_and_deduplicate(std::vector<Diagnostic>& diagnostics);

}  // namespace vitals
