// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "config/file_context.hpp"

#include <vitals/catalogue.hpp>
#include <vitals/indicator.hpp>
#include <vitals/source_location.hpp>

#include <toml++/toml.h>

#include <optional>
#include <string>
#include <vector>

namespace vitals::detail {

/// One [[indicator]] as read from its file.
struct ParsedIndicator {
  /// Complete, with catalogue defaults merged in, when no error was reported
  /// for it; otherwise holds whatever could be read.
  IndicatorDefinition definition;
  /// Where the id's value is; nullopt when the id is missing or invalid.
  std::optional<SourceLocation> id_location;
  /// Its [indicator.rules.<id>] tables, located.
  std::vector<RuleSettings> rule_settings;
};

/// Reads every [[indicator]] table of an indicator file's root table, in file
/// order. `catalogue` supplies the declared sources, budget lines and risks
/// that references are checked against, the default tolerance and the
/// default rule parameters; when it is nullptr (catalogue.toml unreadable)
/// built-in defaults apply and references are not checked. Every problem is
/// reported through `ctx`; a file with no indicators and no errors gets a
/// warning.
std::vector<ParsedIndicator> parse_indicator_file(const toml::table& root,
                                                  const Catalogue* catalogue, FileContext& ctx);

/// Reads the mechanism of a risk link from `table` (its keys and their types
/// already checked): measures, quote and when, required, and threshold,
/// required with when = "threshold" and refused otherwise. `display` names
/// the table in messages ("risks[2]"). Every problem is reported through
/// `ctx` at the key or value; nullopt when there was one. risk_id is left
/// for the caller.
std::optional<RiskMechanism> read_risk_mechanism(const toml::table& table,
                                                 const std::string& display, FileContext& ctx);

/// Reads a cost driver from `table` (an [indicator.cost_driver], checked
/// here against kCostDriverSchema) for an indicator measured in `*unit`:
/// unit_cost positive, per one of week, day, month, once, population
/// positive and required for a rate per 100,000 or a percentage (refused
/// otherwise; not checked when `unit` is null), illustrative naming unit_cost or population. When
/// `budget_lines` is not null, budget_line must be one of them. Problems are
/// reported through `ctx` at the key or value; nullopt when there was one.
std::optional<CostDriver> read_cost_driver(const toml::table& table, const Unit* unit,
                                           const std::vector<std::string>* budget_lines,
                                           FileContext& ctx);

/// True when `id` is a valid indicator id: one or more of a-z, 0-9, '_', '.', '-'.
bool is_valid_indicator_id(std::string_view id);

}  // namespace vitals::detail
