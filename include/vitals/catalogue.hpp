// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <vitals/comparators.hpp>
#include <vitals/indicator.hpp>
#include <vitals/options.hpp>
#include <vitals/period_form.hpp>
#include <vitals/source_location.hpp>

namespace vitals {

/// A data source declared in the catalogue: which plugin reads it and the
/// settings handed to that plugin (scalars only, as text).
struct SourceDefinition {
  std::string name;
  std::string plugin;
  std::map<std::string, std::string> settings;
  /// Directory relative paths in `settings` are resolved against.
  std::filesystem::path base_dir;
  /// Folders outside base_dir that files named in `settings` may lie in (the
  /// catalogue's data_dirs), absolute, symbolic links resolved. A plugin reads
  /// files inside base_dir or these only.
  std::vector<std::filesystem::path> data_dirs;
  SourceLocation location;
  /// `isolation = "process" | "none"`: where the plugin runs; unset: the
  /// engine's PluginPolicy decides. Not passed to the plugin.
  std::optional<PluginIsolation> isolation;
  /// `timeout_s = N` (seconds, > 0): the deadline of each call into the
  /// plugin when it runs isolated; unset: PluginPolicy::timeout_s. Not
  /// passed to the plugin.
  std::optional<double> timeout_s;
  /// `period_form = "..."`: how the source writes its periods
  /// (docs/periods.md); kCanonical when unset. The catalogue loader resolves
  /// kQuarterEndMonth to calendar or financial quarter-end months from the
  /// frequency of the indicators reading the source. Not passed to the plugin.
  PeriodForm period_form = PeriodForm::kCanonical;
  /// Where the period_form value is written; unset when it is not.
  std::optional<SourceLocation> period_form_location;
  /// Where each setting's key is written, so that a plugin's complaint
  /// about a setting can point at it; empty when not read from a file.
  std::map<std::string, SourceLocation> setting_locations;
};

/// A rule's parameters as one catalogue file sets them: a [rules.<id>] table
/// of catalogue.toml, or an indicator's [indicator.rules.<id>] overrides,
/// with where each was written. The engine checks them against the
/// parameters the loaded rule declares.
struct RuleSettings {
  std::string rule_id;
  std::string indicator_id;  // empty for catalogue.toml's [rules.<id>]
  SourceLocation location;   // the rule id in the table's name
  struct Value {
    std::string name;
    ParamValue value;
    SourceLocation key_location;
    SourceLocation value_location;
  };
  std::vector<Value> values;  // sorted by name
};

/// A budget line or corporate risk that indicators may link to.
struct LinkTarget {
  std::string id;
  std::string title;
  SourceLocation location;
};

/// [sandbox] in catalogue.toml: limits for the catalogue's rules and caps on
/// what they may put in a report (docs/sandbox.md). Each key given replaces
/// the engine's value (EngineOptions::sandbox); the others keep it.
struct SandboxSettings {
  std::optional<std::size_t> max_bytes;
  std::optional<std::uint64_t> max_instructions;
  std::optional<std::size_t> max_string_bytes;
  std::optional<std::uint64_t> max_cpu_ms;
  std::optional<std::size_t> max_message_bytes;
  std::optional<std::size_t> max_evidence_entries;
  std::optional<std::size_t> max_evidence_key_bytes;
  std::optional<std::size_t> max_evidence_text_bytes;

  /// `limits` with each setting given here in place of its value.
  VITALS_API SandboxLimits applied_to(SandboxLimits limits) const;
};

/// [year_end] in catalogue.toml: the thresholds of the year-end summary
/// (vitals/year_end.hpp, docs/year-end-summary.md). The defaults are the
/// project's, not the council's: its papers give the groups, not the figures.
struct YearEndSettings {
  /// The smallest change over the year, as a percentage of the start value,
  /// that counts as improved or worsened (indicators that are not
  /// percentages).
  double change_pct = 1.0;
  /// The same for percentages, in percentage points.
  double change_points = 1.0;
  /// The share of the year's periods (with a value and a target), in
  /// percent, that must be on target for sustained good performance, or off
  /// target for performance that remains challenging.
  double sustained_pct = 75.0;
};

/// Everything a catalogue directory defines.
struct Catalogue {
  std::string name;       // e.g. "Adult Social Care"
  std::string committee;  // e.g. "Adult Social Care Committee"
  std::string organisation;  // e.g. "Norfolk County Council" ([report] organisation)
  /// [report] reasons: "all" (the default) or "first".
  ReasonsShown reasons_shown = ReasonsShown::kAll;
  /// Template overrides for reports ([report] templates), absolute; empty
  /// for the built-in templates.
  std::filesystem::path report_templates;
  std::filesystem::path root;
  std::vector<IndicatorDefinition> indicators;  // sorted by id
  std::vector<SourceDefinition> sources;        // sorted by name
  std::vector<LinkTarget> budget_lines;         // sorted by id
  std::vector<LinkTarget> risks;                // sorted by id
  std::vector<std::filesystem::path> rule_dirs; // absolute
  /// The folder of the committee's meeting files ([catalogue] meetings),
  /// absolute; empty when the catalogue records no meetings.
  std::filesystem::path meetings_dir;
  /// Folders outside the catalogue folder that sources may read files from
  /// ([catalogue] data_dirs): absolute, symbolic links resolved. Each
  /// SourceDefinition carries a copy.
  std::vector<std::filesystem::path> data_dirs;
  Tolerance default_tolerance;
  RuleParams default_rule_params;
  SandboxSettings sandbox;  // [sandbox]
  YearEndSettings year_end;  // [year_end]
  /// [comparators]: the national file and the council's comparator groups;
  /// unset when the catalogue has none.
  std::optional<ComparatorSettings> comparators;
  /// Every rule parameter table the catalogue writes: catalogue.toml's first
  /// (by rule id), then the indicators' in the order of `indicators`.
  std::vector<RuleSettings> rule_settings;

  /// [report] order: the ids of indicators in the order the committee's
  /// papers list them (the dashboard's rows); each defined, each once.
  std::vector<std::string> report_order;

  /// The indicator with `id`, or nullptr.
  VITALS_API const IndicatorDefinition* find_indicator(const std::string& id) const;

  /// Every indicator in the order reports list them: those `report_order`
  /// names, in its order, then the others by id.
  VITALS_API std::vector<const IndicatorDefinition*> in_report_order() const;
};

/// OK when `period` can be evaluated for `indicators`: at least one of them
/// is reported at the period's frequency (or there are none). Otherwise
/// kInvalidArgument saying which frequencies the indicators have and the
/// period of theirs that `period` would stand for ("the period 2016/17 is
/// a financial year, but the indicators are monthly (15): evaluate a monthly
/// period such as 2017-03"): a run for such a period would silently report
/// a different one.
VITALS_API Status check_evaluation_period(const std::vector<const IndicatorDefinition*>& indicators,
                                          const Period& period);

}  // namespace vitals
