// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "lua/rule_params.hpp"
#include "lua/sandbox_state.hpp"

#include <vitals/diagnostic.hpp>
#include <vitals/evaluation.hpp>
#include <vitals/indicator.hpp>
#include <vitals/options.hpp>
#include <vitals/period.hpp>

#include <spdlog/logger.h>

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

namespace vitals::detail {

struct RuleInfo {
  std::string id, version, description, criterion;
  /// How reports name the criterion ("below the England average"); empty
  /// when the rule declares no `label`.
  std::string label;
  std::filesystem::path file;
  /// The modules the rule file required while it loaded, in that order.
  std::vector<LoadedModule> modules;
  /// The parameters the rule declares (its `params` table).
  ParamDeclaration params;
};

struct LinkedRecords;  // lua/linked_records.hpp

/// Points of a series made when first read (the engine's series: a rule
/// usually reads only the latest few of a ten-year history). Not thread-safe:
/// one per worker.
class PointSource {
 public:
  virtual ~PointSource() = default;
  virtual std::size_t size() const = 0;
  /// REQUIRES: i < size(). The reference stays valid until the source is
  /// rebuilt for another indicator.
  virtual const SeriesPoint& at(std::size_t i) const = 0;
};

/// What a rule sees for one indicator.
struct RuleInput {
  const IndicatorDefinition* indicator = nullptr;  // REQUIRES non-null
  Period period;                                   // the reporting period
  /// Ascending; ends with the latest observation at or before `period`.
  /// Ignored when `points` is set.
  std::vector<SeriesPoint> series;
  /// The same series, made on demand; not owned. Null: `series` holds it.
  const PointSource* points = nullptr;
  DataState data_state = DataState::kNoData;
  /// Budget lines and risks as at `period` (ctx.budget_lines, ctx.risks show
  /// the indicator's linked ones); null: none. Not owned.
  const LinkedRecords* links = nullptr;
  /// The indicator's comparators (ctx.comparators); null: none. Not owned.
  const IndicatorComparators* comparators = nullptr;

  std::size_t series_size() const { return points ? points->size() : series.size(); }
  /// REQUIRES: i < series_size().
  const SeriesPoint& series_at(std::size_t i) const {
    return points ? points->at(i) : series[i];
  }
};

/// How the rules of one rule folder are named and what they may require.
///
/// A folder holding a `lib` folder is a rule tree: its files are named from
/// the folder itself ("rules/off_target.lua", "rules/council/off_target.lua")
/// and its lib, its own, serves `require`. A folder whose parent holds a `lib`
/// folder is a pack inside a rule tree (rules/council, rules/spc): its files
/// are named from the tree ("rules/council/off_target.lua") and the tree's lib,
/// shared (ModuleDir::shared) by the packs of the tree, serves `require`. Any
/// other folder names its files from itself and has no modules.
struct RuleFolder {
  std::filesystem::path dir;           // absolute, normalised
  std::string display;                 // how chunk names start: "rules/council"
  std::vector<ModuleDir> module_dirs;  // at most one: the lib described above
};

/// Describes `dir` as above. Never fails; a missing folder has no modules.
RuleFolder describe_rule_folder(const std::filesystem::path& dir);

/// The rules of a catalogue, each in its own sandboxed Lua state.
/// Thread safety: not safe for concurrent use; load one RuleSet per thread.
class RuleSet {
 public:
  /// Loads every *.lua under each dir, recursively in sorted path order, except files under a
  /// folder named `lib` (modules for require) and editor definition files (starting
  /// with `---@meta`). A rule requires from the module folder of its own dir
  /// (describe_rule_folder) first, then from the shared module folders of all `dirs`, in
  /// their order; never from another dir's own module folder. A module file found in two
  /// module folders is a "rule.duplicate_module" warning located at the second. A rule that fails to load (syntax error, bad
  /// contract, duplicate id, limit hit while loading) becomes an error Diagnostic (code
  /// "rule.load_error" / "rule.bad_contract" / "rule.duplicate_id", location file:line when known,
  /// rule_id when known) and is left out. A missing directory is a "rule.load_error" Diagnostic
  /// located at the directory. Locations name files as Lua messages do: relative to the parent of
  /// the rule directory
  /// ("rules/off_target.lua"), or to the parent of the rule tree for a pack inside one
  /// ("rules/council/off_target.lua"), so reports do not depend on where the rules are installed.
  /// With `coverage`, the rules' states record the lines they run there
  /// (SandboxConfig::coverage); it must outlive the set.
  static RuleSet load(const std::vector<std::filesystem::path>& dirs, const SandboxLimits& limits,
                      std::shared_ptr<spdlog::logger> logger, std::vector<Diagnostic>& diagnostics,
                      LineCoverage* coverage = nullptr);

  /// Loads the single rule in `file`, named and served modules as a rule of its folder
  /// would be (describe_rule_folder). Problems are diagnostics as for load(); the
  /// set is then empty. A definition file (---@meta) gives an empty set and no diagnostic.
  static RuleSet load_file(const std::filesystem::path& file, const SandboxLimits& limits,
                           std::shared_ptr<spdlog::logger> logger,
                           std::vector<Diagnostic>& diagnostics,
                           LineCoverage* coverage = nullptr);

  /// True when the file at `file` is an editor definition file (its text starts
  /// with `---@meta`), which load() skips. False when it cannot be read.
  static bool is_definition_file(const std::filesystem::path& file);

  RuleSet(RuleSet&&) noexcept;
  RuleSet& operator=(RuleSet&&) noexcept;
  ~RuleSet();

  const std::vector<RuleInfo>& rules() const;  // sorted by id

  /// Runs every rule (applies_to first, then evaluate) on `input`; one outcome per rule, sorted by
  /// rule id. Rule params are input.indicator->rule_params[rule id] (already merged with catalogue
  /// defaults). A failing rule gives an outcome with Status::kError and message "could not
  /// evaluate: <reason>", and appends an error Diagnostic with code "rule.runtime_error" |
  /// "rule.instruction_limit" | "rule.time_limit" | "rule.memory_limit" |
  /// "rule.blocked_function" | "rule.bad_result", the rule id, the indicator id, and location
  /// file:line parsed from the Lua message. A rule
  /// whose state cannot be rebuilt after a limit error gives "rule.load_error". Never throws.
  std::vector<RuleOutcome> evaluate(const RuleInput& input, std::vector<Diagnostic>& diagnostics);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
  explicit RuleSet(std::unique_ptr<Impl>);
};

}  // namespace vitals::detail
