// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <vitals/records.hpp>
#include <vitals/status.hpp>

#include <optional>
#include <string>
#include <string_view>

namespace vitals::detail {

/// Checks the fields of a record of a known kind (see vitals::Record): each
/// known field has its type (text or number), scores are whole numbers 1 to
/// 5 given in likelihood/impact pairs, rag and prospects are "red", "amber",
/// "green" (any case) or empty, a saving names its budget line, and every
/// number is finite. kInvalidArgument naming the record ("risk 'RM1' for
/// 2017-03") and the field otherwise; records of other kinds pass.
Status validate_record(const Record& record);

/// Rag from "red", "amber", "green" (any case, surrounding spaces ignored);
/// Rag::kNone for empty text; nullopt for anything else.
std::optional<Rag> parse_rag_text(std::string_view text);

/// True for "red_or_amber" or "red or amber" (any case): a saving the source
/// groups as not, or only partly, achieved without saying which.
bool is_red_or_amber_text(std::string_view text);

/// The typed view of a record that passed validate_record().
BudgetLine budget_line_from_record(const Record& record);
Saving saving_from_record(const Record& record);
Risk risk_from_record(const Record& record);

/// The text field `name` of `record`, or "" when absent or a number.
std::string record_text(const Record& record, std::string_view name);
/// The number field `name` of `record`, or nullopt when absent or text.
std::optional<double> record_number(const Record& record, std::string_view name);

}  // namespace vitals::detail
