// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "store/sqlite_db.hpp"

#include <vitals/diagnostic.hpp>
#include <vitals/status.hpp>

#include <string_view>

namespace vitals::detail {

// A Diagnostic is stored in eight columns, in this order: severity (its
// public name), code, message, location_file, location_line,
// location_column (all three NULL when it has no location), indicator_id,
// rule_id. Tables run_diagnostics and source_read_diagnostics hold them so.

/// Binds `d` to the eight parameters first .. first + 7 of `stmt`.
void bind_diagnostic(Statement& stmt, int first, const Diagnostic& d);

/// The diagnostic in the eight columns first .. first + 7 of `row`. When
/// the severity is no Severity's name, the error of `db` saying
/// "<owner> holds an unknown severity '<name>'".
Result<Diagnostic> read_diagnostic(const Db& db, const Statement& row, int first,
                                   std::string_view owner);

}  // namespace vitals::detail
