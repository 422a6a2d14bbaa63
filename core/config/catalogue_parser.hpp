// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "config/file_context.hpp"

#include <vitals/catalogue.hpp>
#include <vitals/source_location.hpp>

#include <toml++/toml.h>

#include <filesystem>
#include <optional>
#include <utility>
#include <vector>

namespace vitals::detail {

/// What catalogue.toml declares.
struct CatalogueFile {
  /// Everything but the indicators: name, committee, root, sources,
  /// budget_lines, risks (sorted), rule_dirs (absolute), default_tolerance,
  /// default_rule_params and sandbox. Every declared source, budget line and risk is
  /// listed even when its table has errors, so references to it still resolve.
  Catalogue catalogue;
  /// Where the [catalogue] table starts, or the file when it is missing.
  SourceLocation header;
  /// [report] order: the indicator ids as written, each with where it is
  /// (checked against the indicators by check_report_order).
  std::vector<std::pair<std::string, SourceLocation>> report_order;
};

/// Checks `file.report_order` against `indicators` and sets
/// file.catalogue.report_order: an id the catalogue does not define is
/// "config.unknown_indicator" and one listed twice "config.bad_value", each
/// located at the id.
void check_report_order(CatalogueFile& file, const std::vector<IndicatorDefinition>& indicators,
                        std::vector<Diagnostic>& diagnostics);

/// Reads the parsed root table of catalogue.toml found in `dir`. Relative
/// rule_dirs are resolved against `dir`; each must be an existing directory.
/// Every problem is reported through `ctx`; the result is only meaningful
/// when none was an error.
CatalogueFile parse_catalogue_file(const toml::table& root, const std::filesystem::path& dir,
                                   FileContext& ctx);

/// Checks each source's declared period_form against the frequency of the
/// indicators reading it ("config.period_form_mismatch" at the period_form
/// value), and resolves quarter_end_month to calendar or financial
/// quarter-end months from them.
void resolve_period_forms(std::vector<SourceDefinition>& sources,
                          const std::vector<IndicatorDefinition>& indicators,
                          std::vector<Diagnostic>& diagnostics);

}  // namespace vitals::detail
