// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstddef>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <vitals/indicator.hpp>
#include <vitals/options.hpp>
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
  SourceLocation location;
};

/// A budget line or corporate risk that indicators may link to.
struct LinkTarget {
  std::string id;
  std::string title;
  SourceLocation location;
};

/// [sandbox] in catalogue.toml: caps on what the catalogue's rules may put in
/// a report (docs/sandbox.md). Each key given replaces the engine's value
/// (EngineOptions::sandbox); the others keep it.
struct SandboxSettings {
  std::optional<std::size_t> max_message_bytes;
  std::optional<std::size_t> max_evidence_entries;
  std::optional<std::size_t> max_evidence_key_bytes;
  std::optional<std::size_t> max_evidence_text_bytes;

  /// `limits` with each setting given here in place of its value.
  VITALS_API SandboxLimits applied_to(SandboxLimits limits) const;
};

/// Everything a catalogue directory defines.
struct Catalogue {
  std::string name;       // e.g. "Adult Social Care"
  std::string committee;  // e.g. "Adult Social Care Committee"
  std::string organisation;  // e.g. "Norfolk County Council" ([report] organisation)
  /// Template overrides for reports ([report] templates), absolute; empty
  /// for the built-in templates.
  std::filesystem::path report_templates;
  std::filesystem::path root;
  std::vector<IndicatorDefinition> indicators;  // sorted by id
  std::vector<SourceDefinition> sources;        // sorted by name
  std::vector<LinkTarget> budget_lines;         // sorted by id
  std::vector<LinkTarget> risks;                // sorted by id
  std::vector<std::filesystem::path> rule_dirs; // absolute
  Tolerance default_tolerance;
  RuleParams default_rule_params;
  SandboxSettings sandbox;  // [sandbox]

  /// The indicator with `id`, or nullptr.
  VITALS_API const IndicatorDefinition* find_indicator(const std::string& id) const;
};

}  // namespace vitals
