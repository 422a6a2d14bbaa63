// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "config/file_context.hpp"

#include <vitals/comparators.hpp>
#include <vitals/indicator.hpp>

#include <toml++/toml.h>

#include <filesystem>
#include <vector>

namespace vitals::detail {

/// Reads [comparators] of catalogue.toml found in `dir`: `path` (relative to
/// `dir` or absolute; the file must exist), `period`, `council`, the optional
/// `family_group_name`, `family_group` and `peers` (arrays of council codes)
/// and `measures` (indicator id = "measure reference"). Every problem is
/// reported through `ctx` ("config.missing_file", "config.bad_value",
/// "config.type", at the value).
ComparatorSettings read_comparators_table(const toml::table& table,
                                          const std::filesystem::path& dir, FileContext& ctx);

/// Checks that each indicator `settings.measures` names is defined
/// ("config.unknown_indicator" at the key, with a suggestion).
void check_comparator_indicators(const ComparatorSettings& settings,
                                 const std::vector<IndicatorDefinition>& indicators,
                                 std::vector<Diagnostic>& diagnostics);

}  // namespace vitals::detail
