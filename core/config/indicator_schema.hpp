// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "common/did_you_mean.hpp"
#include "common/quoted_list.hpp"  // quoted_alternatives, used with did_you_mean
#include "config/file_context.hpp"

#include <toml++/toml.h>

#include <cstddef>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace vitals::detail {

/// The TOML types a key may hold. kNumber accepts integers and floats;
/// kDate a TOML date or a string (whose form the reader checks).
enum class ValueKind { kString, kNumber, kInteger, kBoolean, kArray, kTable, kDate };

/// One key a table may hold.
struct KeySpec {
  std::string_view name;
  ValueKind kind;
  bool required = false;
  /// Replaces describe(kind) in "config.type" messages when set.
  std::string_view expected = {};
};

/// Extra advice for a key that is not accepted but is a known mistake.
struct KeyHint {
  std::string_view key;
  std::string_view advice;
};

/// The keys of one kind of table.
struct TableSchema {
  std::span<const KeySpec> keys;
  std::span<const KeyHint> hints = {};

  /// The spec for `name`, or nullptr.
  const KeySpec* find(std::string_view name) const;
};

/// Top level of catalogue.toml: catalogue, tolerance, rules, sources, budget_lines, risks,
/// report, sandbox, comparators, year_end.
extern const TableSchema kCatalogueFileSchema;
/// [catalogue]: name, committee, rule_dirs, data_dirs, meetings.
extern const TableSchema kCatalogueTableSchema;
/// [report] in catalogue.toml.
extern const TableSchema kReportTableSchema;
/// [sandbox] in catalogue.toml: max_bytes, max_instructions, max_string_bytes, max_cpu_ms,
/// max_message_bytes, max_evidence_entries, max_evidence_key_bytes, max_evidence_text_bytes.
extern const TableSchema kSandboxTableSchema;
/// [year_end] in catalogue.toml: change_pct, change_points, sustained_pct.
extern const TableSchema kYearEndTableSchema;
/// [comparators] in catalogue.toml: path, period, council, family_group_name, family_group,
/// peers, measures.
extern const TableSchema kComparatorsTableSchema;
/// [tolerance] and an indicator's tolerance: red_variance_pct, amber_variance_pct.
extern const TableSchema kToleranceSchema;
/// [budget_lines.ID] and [risks.ID]: title.
extern const TableSchema kLinkTargetSchema;
/// Top level of an indicator file: indicator.
extern const TableSchema kIndicatorFileSchema;
/// [[indicator]].
extern const TableSchema kIndicatorSchema;
/// An indicator's [indicator.derived]: operation and its inputs.
extern const TableSchema kDerivedSchema;
/// A risk link written as a table in an indicator's `risks`: id, measures,
/// quote, when, threshold.
extern const TableSchema kRiskLinkSchema;
/// An indicator's [indicator.cost_driver]: budget_line, unit_cost, per,
/// population, population_label, unit_label, illustrative, source.
extern const TableSchema kCostDriverSchema;

/// Checks `table` against `schema` and reports, through `ctx`, every key the
/// schema lacks ("config.unknown_key" at the key, with a suggestion), every
/// value of the wrong type ("config.type" at the value) and every missing
/// required key ("config.missing_key" at the table). `display` names the table
/// in messages ("[[indicator]]"); `prefix` goes before key names ("tolerance.").
/// Returns true when nothing was reported.
bool check_table(const toml::table& table, const TableSchema& schema, std::string_view display,
                 std::string_view prefix, FileContext& ctx);

/// True when `node` holds a value of `kind`.
bool matches(const toml::node& node, ValueKind kind);
/// "a string", "a number", "an integer", "a boolean", "an array", "a table".
std::string_view describe(ValueKind kind);
/// The TOML type of `node`: "string", "integer", "float", "boolean", "date",
/// "time", "date-time", "array" or "table".
std::string_view type_name(const toml::node& node);

/// "<what> must be <expected>, found <type of node>", the "config.type" message.
std::string type_message(std::string_view what, std::string_view expected, const toml::node& node);

}  // namespace vitals::detail
