// SPDX-License-Identifier: Apache-2.0
#include "store/diagnostic_rows.hpp"

#include "store/enum_names.hpp"

#include <array>
#include <string>
#include <utility>

namespace vitals::detail {

namespace {

constexpr std::array kSeverities = {Severity::kError, Severity::kWarning, Severity::kNote};

}  // namespace

void bind_diagnostic(Statement& stmt, int first, const Diagnostic& d) {
  stmt.bind(first, severity_name(d.severity));
  stmt.bind(first + 1, d.code);
  stmt.bind(first + 2, d.message);
  if (d.location) {
    stmt.bind(first + 3, d.location->file);
    stmt.bind(first + 4, d.location->line);
    stmt.bind(first + 5, d.location->column);
  } else {
    stmt.bind_null(first + 3);
    stmt.bind_null(first + 4);
    stmt.bind_null(first + 5);
  }
  stmt.bind(first + 6, d.indicator_id);
  stmt.bind(first + 7, d.rule_id);
}

Result<Diagnostic> read_diagnostic(const Db& db, const Statement& row, int first,
                                   std::string_view owner) {
  const std::string severity = row.column_text(first);
  auto sv = enum_from_name(severity, kSeverities, severity_name);
  if (!sv) {
    return db.error(std::string(owner) + " holds an unknown severity '" + severity + "'");
  }
  Diagnostic d;
  d.severity = *sv;
  d.code = row.column_text(first + 1);
  d.message = row.column_text(first + 2);
  if (!row.is_null(first + 3)) {
    d.location = SourceLocation{row.column_text(first + 3), row.column_int(first + 4),
                                row.column_int(first + 5)};
  }
  d.indicator_id = row.column_text(first + 6);
  d.rule_id = row.column_text(first + 7);
  return d;
}

}  // namespace vitals::detail
