// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "config/file_context.hpp"

#include <vitals/catalogue.hpp>
#include <vitals/indicator.hpp>

#include <toml++/toml.h>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace vitals::detail {

/// A double as TOML writes it: the shortest text that reads back exactly,
/// with ".0" on whole numbers ("5.0", "0.1", "1e+300", "inf", "nan").
std::string format_double(double value);

/// A scalar as text: strings as they are; integers, floats, booleans, dates,
/// times and date-times as TOML writes them. nullopt for arrays and tables.
std::optional<std::string> scalar_text(const toml::node& node);

/// A value as quoted in a message: strings in single quotes, other scalars as
/// scalar_text, "an array" / "a table" otherwise.
std::string quoted_value(const toml::node& node);

/// A TOML date as "YYYY-MM-DD".
std::string iso_date_text(const toml::date& date);

/// The value of an integer or float node, else nullopt.
std::optional<double> number_value(const toml::node& node);

/// An array of strings with where each element is, for reference checks.
struct StringItem {
  std::string value;
  toml::source_region where;
};

/// The string elements of `array`. Reports each non-string element as
/// "config.type" ("<what>[<index>] must be a string, found integer").
std::vector<StringItem> read_string_array(const toml::array& array, std::string_view what,
                                          FileContext& ctx);

/// Reads a [rules] table: each entry a table (one per rule id) of parameters
/// whose values are strings, integers, floats or booleans. Reports anything
/// else as "config.type", naming keys with `prefix` ("rules."). Appends each
/// rule's table, located, to `located` (tagged with `indicator_id`).
RuleParams read_rule_params(const toml::table& rules, std::string_view prefix, FileContext& ctx,
                            std::vector<RuleSettings>& located,
                            const std::string& indicator_id = {});

/// `defaults` with `own` laid over them, key by key (own wins).
RuleParams merge_rule_params(const RuleParams& defaults, const RuleParams& own);

/// Reads a tolerance table over `base` (keys it sets replace base's). Checks
/// keys and types (kToleranceSchema) and reports values that are negative or
/// not finite as "config.bad_value". `display` names the table in messages
/// and `prefix` precedes its key names ("tolerance.").
Tolerance read_tolerance(const toml::table& table, Tolerance base, std::string_view display,
                         std::string_view prefix, FileContext& ctx);

/// Reports "config.bad_value" at `where` when the amber threshold of
/// `tolerance` is above its red threshold. Returns false when it reported.
bool check_tolerance_order(const Tolerance& tolerance, std::string_view prefix,
                           const toml::source_region& where, FileContext& ctx);

/// The string value of `key` in `table` (a key check_table has already
/// type-checked), or nullptr when it is absent or not a string.
const toml::value<std::string>* string_node(const toml::table& table, std::string_view key);

/// The index in `names` of the string `key` holds, or nullopt when it is
/// absent or is none of `names`; then a located "config.bad_value" error
/// lists them, with "did you mean" for a misspelling. `display` names the
/// key in that message (default: `key`).
std::optional<std::size_t> read_choice(const toml::table& table, std::string_view key,
                                       const std::vector<std::string>& names, FileContext& ctx,
                                       std::string_view display = {});

}  // namespace vitals::detail
