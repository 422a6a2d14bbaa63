// SPDX-License-Identifier: Apache-2.0
#include "config/indicator_schema.hpp"

#include <algorithm>
#include <array>
#include <cctype>

namespace vitals::detail {

namespace {

constexpr std::array kCatalogueFileKeys = {
    KeySpec{"catalogue", ValueKind::kTable, true, "a table ([catalogue])"},
    KeySpec{"tolerance", ValueKind::kTable, false, "a table ([tolerance])"},
    KeySpec{"rules", ValueKind::kTable, false, "a table ([rules.<rule id>])"},
    KeySpec{"sources", ValueKind::kTable, false, "a table ([sources.<name>])"},
    KeySpec{"budget_lines", ValueKind::kTable, false, "a table ([budget_lines.<id>])"},
    KeySpec{"risks", ValueKind::kTable, false, "a table ([risks.<id>])"},
    KeySpec{"report", ValueKind::kTable, false, "a table ([report])"},
    KeySpec{"sandbox", ValueKind::kTable, false, "a table ([sandbox])"},
    KeySpec{"comparators", ValueKind::kTable, false, "a table ([comparators])"},
    KeySpec{"year_end", ValueKind::kTable, false, "a table ([year_end])"},
};
constexpr std::array kCatalogueFileHints = {
    KeyHint{"indicator", "indicators belong in .toml files under the indicators/ directory"},
};

constexpr std::array kCatalogueTableKeys = {
    KeySpec{"name", ValueKind::kString, true},
    KeySpec{"committee", ValueKind::kString},
    KeySpec{"rule_dirs", ValueKind::kArray, false, "an array of strings"},
    KeySpec{"data_dirs", ValueKind::kArray, false, "an array of strings"},
    KeySpec{"meetings", ValueKind::kString, false, "a folder such as \"meetings\""},
};

constexpr std::array kReportTableKeys = {
    KeySpec{"organisation", ValueKind::kString},
    KeySpec{"order", ValueKind::kArray, false, "an array of indicator ids"},
    KeySpec{"templates", ValueKind::kString},
    KeySpec{"reasons", ValueKind::kString},
};

constexpr std::array kYearEndTableKeys = {
    KeySpec{"change_pct", ValueKind::kNumber},
    KeySpec{"change_points", ValueKind::kNumber},
    KeySpec{"sustained_pct", ValueKind::kNumber},
};

constexpr std::array kComparatorsTableKeys = {
    KeySpec{"path", ValueKind::kString, true},
    KeySpec{"period", ValueKind::kString, true},
    KeySpec{"council", ValueKind::kString, true},
    KeySpec{"family_group_name", ValueKind::kString},
    KeySpec{"family_group", ValueKind::kArray, false, "an array of strings"},
    KeySpec{"peers", ValueKind::kArray, false, "an array of strings"},
    KeySpec{"measures", ValueKind::kTable, true, "a table ([comparators.measures])"},
};

constexpr std::array kSandboxTableKeys = {
    KeySpec{"max_bytes", ValueKind::kInteger},
    KeySpec{"max_instructions", ValueKind::kInteger},
    KeySpec{"max_string_bytes", ValueKind::kInteger},
    KeySpec{"max_cpu_ms", ValueKind::kInteger},
    KeySpec{"max_message_bytes", ValueKind::kInteger},
    KeySpec{"max_evidence_entries", ValueKind::kInteger},
    KeySpec{"max_evidence_key_bytes", ValueKind::kInteger},
    KeySpec{"max_evidence_text_bytes", ValueKind::kInteger},
};

constexpr std::array kToleranceKeys = {
    KeySpec{"red_variance_pct", ValueKind::kNumber},
    KeySpec{"amber_variance_pct", ValueKind::kNumber},
};

constexpr std::array kLinkTargetKeys = {
    KeySpec{"title", ValueKind::kString, true},
};

constexpr std::array kIndicatorFileKeys = {
    KeySpec{"indicator", ValueKind::kArray, false, "an array of tables ([[indicator]])"},
};
constexpr std::string_view kBeforeFirstIndicator =
    "indicator keys belong after an [[indicator]] line";
constexpr std::array kIndicatorFileHints = {
    KeyHint{"id", kBeforeFirstIndicator},
    KeyHint{"title", kBeforeFirstIndicator},
    KeyHint{"description", kBeforeFirstIndicator},
    KeyHint{"polarity", kBeforeFirstIndicator},
    KeyHint{"unit", kBeforeFirstIndicator},
    KeyHint{"decimals", kBeforeFirstIndicator},
    KeyHint{"frequency", kBeforeFirstIndicator},
    KeyHint{"target", kBeforeFirstIndicator},
    KeyHint{"target_profile", kBeforeFirstIndicator},
    KeyHint{"tolerance", kBeforeFirstIndicator},
    KeyHint{"allowed_lag", kBeforeFirstIndicator},
    KeyHint{"lead_officer", kBeforeFirstIndicator},
    KeyHint{"data_owner", kBeforeFirstIndicator},
    KeyHint{"budget_lines", kBeforeFirstIndicator},
    KeyHint{"risks", kBeforeFirstIndicator},
    KeyHint{"source", kBeforeFirstIndicator},
    KeyHint{"series", kBeforeFirstIndicator},
    KeyHint{"rules", kBeforeFirstIndicator},
    KeyHint{"derived", kBeforeFirstIndicator},
};

constexpr std::array kIndicatorKeys = {
    KeySpec{"id", ValueKind::kString, true},
    KeySpec{"title", ValueKind::kString, true},
    KeySpec{"description", ValueKind::kString},
    KeySpec{"polarity", ValueKind::kString, true},
    KeySpec{"unit", ValueKind::kString, true},
    KeySpec{"decimals", ValueKind::kInteger, false, "an integer from 0 to 6"},
    KeySpec{"frequency", ValueKind::kString, true},
    KeySpec{"target", ValueKind::kNumber},
    KeySpec{"target_profile", ValueKind::kTable},
    KeySpec{"tolerance", ValueKind::kTable},
    KeySpec{"allowed_lag", ValueKind::kInteger},
    KeySpec{"lead_officer", ValueKind::kString},
    KeySpec{"data_owner", ValueKind::kString},
    KeySpec{"budget_lines", ValueKind::kArray, false, "an array of strings"},
    KeySpec{"risks", ValueKind::kArray, false, "an array of risk ids or tables"},
    // Required unless the indicator is derived (indicator_parser.cpp).
    KeySpec{"source", ValueKind::kString},
    KeySpec{"series", ValueKind::kString},
    KeySpec{"rules", ValueKind::kTable},
    KeySpec{"derived", ValueKind::kTable},
    KeySpec{"cost_driver", ValueKind::kTable},
};

constexpr std::array kCostDriverKeys = {
    KeySpec{"budget_line", ValueKind::kString, true},
    KeySpec{"unit_cost", ValueKind::kNumber, true},
    KeySpec{"per", ValueKind::kString, true},
    KeySpec{"population", ValueKind::kNumber},
    KeySpec{"population_label", ValueKind::kString},
    KeySpec{"unit_label", ValueKind::kString},
    KeySpec{"illustrative", ValueKind::kArray, false,
            "an array of \"unit_cost\" and \"population\""},
    KeySpec{"source", ValueKind::kString},
};

constexpr std::array kRiskLinkKeys = {
    KeySpec{"id", ValueKind::kString, true},
    // Required too; read_risk_mechanism says why when they are missing.
    KeySpec{"measures", ValueKind::kString},
    KeySpec{"quote", ValueKind::kString},
    KeySpec{"when", ValueKind::kString},
    KeySpec{"threshold", ValueKind::kNumber},
};

constexpr std::array kDerivedKeys = {
    KeySpec{"operation", ValueKind::kString, true},
    KeySpec{"numerator", ValueKind::kString},
    KeySpec{"denominator", ValueKind::kString},
    KeySpec{"count", ValueKind::kString},
    KeySpec{"population", ValueKind::kString},
    KeySpec{"input", ValueKind::kString},
};

}  // namespace

const TableSchema kCatalogueFileSchema{kCatalogueFileKeys, kCatalogueFileHints};
const TableSchema kCatalogueTableSchema{kCatalogueTableKeys};
const TableSchema kReportTableSchema{kReportTableKeys};
const TableSchema kSandboxTableSchema{kSandboxTableKeys};
const TableSchema kYearEndTableSchema{kYearEndTableKeys};
const TableSchema kComparatorsTableSchema{kComparatorsTableKeys};
const TableSchema kToleranceSchema{kToleranceKeys};
const TableSchema kLinkTargetSchema{kLinkTargetKeys};
const TableSchema kIndicatorFileSchema{kIndicatorFileKeys, kIndicatorFileHints};
const TableSchema kIndicatorSchema{kIndicatorKeys};
const TableSchema kDerivedSchema{kDerivedKeys};
const TableSchema kRiskLinkSchema{kRiskLinkKeys};
const TableSchema kCostDriverSchema{kCostDriverKeys};

const KeySpec* TableSchema::find(std::string_view name) const {
  auto it = std::find_if(keys.begin(), keys.end(),
                         [&](const KeySpec& spec) { return spec.name == name; });
  return it == keys.end() ? nullptr : &*it;
}

bool matches(const toml::node& node, ValueKind kind) {
  switch (kind) {
    case ValueKind::kString:
      return node.is_string();
    case ValueKind::kNumber:
      return node.is_integer() || node.is_floating_point();
    case ValueKind::kInteger:
      return node.is_integer();
    case ValueKind::kBoolean:
      return node.is_boolean();
    case ValueKind::kArray:
      return node.is_array();
    case ValueKind::kTable:
      return node.is_table();
    case ValueKind::kDate:
      return node.is_date() || node.is_string();
  }
  return false;
}

std::string_view describe(ValueKind kind) {
  switch (kind) {
    case ValueKind::kString:
      return "a string";
    case ValueKind::kNumber:
      return "a number";
    case ValueKind::kInteger:
      return "an integer";
    case ValueKind::kBoolean:
      return "a boolean";
    case ValueKind::kArray:
      return "an array";
    case ValueKind::kTable:
      return "a table";
    case ValueKind::kDate:
      return "a date such as 2017-06-19";
  }
  return "a value";
}

std::string_view type_name(const toml::node& node) {
  switch (node.type()) {
    case toml::node_type::string:
      return "string";
    case toml::node_type::integer:
      return "integer";
    case toml::node_type::floating_point:
      return "float";
    case toml::node_type::boolean:
      return "boolean";
    case toml::node_type::date:
      return "date";
    case toml::node_type::time:
      return "time";
    case toml::node_type::date_time:
      return "date-time";
    case toml::node_type::array:
      return "array";
    case toml::node_type::table:
      return "table";
    case toml::node_type::none:
      break;
  }
  return "nothing";
}

std::string type_message(std::string_view what, std::string_view expected, const toml::node& node) {
  std::string out(what);
  out += " must be ";
  out += expected;
  out += ", found ";
  out += type_name(node);
  return out;
}

bool check_table(const toml::table& table, const TableSchema& schema, std::string_view display,
                 std::string_view prefix, FileContext& ctx) {
  bool ok = true;
  for (auto&& [key, node] : table) {
    const KeySpec* spec = schema.find(key.str());
    if (spec == nullptr) {
      ok = false;
      std::string message =
          "unknown key '" + std::string(key.str()) + "' in " + std::string(display);
      const std::string_view name = key.str();  // a structured binding cannot be captured by Clang 14
      auto hint = std::find_if(schema.hints.begin(), schema.hints.end(),
                               [&](const KeyHint& h) { return h.key == name; });
      std::vector<std::string> names;
      for (const KeySpec& k : schema.keys) names.emplace_back(k.name);
      if (hint != schema.hints.end()) {
        message += ": " + std::string(hint->advice);
      } else if (auto best = closest_match(key.str(), names)) {
        message += "; did you mean '" + *best + "'?";
      } else {
        message += "; accepted keys are ";
        for (std::size_t i = 0; i < names.size(); ++i) {
          if (i > 0) message += ", ";
          message += names[i];
        }
      }
      ctx.error("config.unknown_key", std::move(message), key.source());
      continue;
    }
    if (!matches(node, spec->kind)) {
      ok = false;
      std::string_view expected = spec->expected.empty() ? describe(spec->kind) : spec->expected;
      ctx.error("config.type",
                type_message(std::string(prefix) + std::string(spec->name), expected, node),
                node.source());
    }
  }
  for (const KeySpec& spec : schema.keys) {
    if (!spec.required || table.contains(spec.name)) continue;
    ok = false;
    std::string message = std::string(display) + " is missing required ";
    if (spec.kind == ValueKind::kTable) {
      message += "table [" + std::string(prefix) + std::string(spec.name) + "]";
    } else {
      message += "key '" + std::string(spec.name) + "'";
    }
    SourceLocation where = ctx.location(table.source());
    if (where.line == 0) where = ctx.source().whole_file();
    ctx.error("config.missing_key", std::move(message), std::move(where));
  }
  return ok;
}

}  // namespace vitals::detail
