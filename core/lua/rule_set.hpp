// SPDX-License-Identifier: Apache-2.0
#pragma once

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
  std::filesystem::path file;
};

/// What a rule sees for one indicator.
struct RuleInput {
  const IndicatorDefinition* indicator = nullptr;  // REQUIRES non-null
  Period period;                                   // the reporting period
  std::vector<SeriesPoint>
      series;  // ascending; ends with the latest observation at or before `period`
  DataState data_state = DataState::kNoData;
};

/// The rules of a catalogue, each in its own sandboxed Lua state.
/// Thread safety: not safe for concurrent use; load one RuleSet per thread.
class RuleSet {
 public:
  /// Loads every *.lua under each dir, recursively in sorted path order, except files under a
  /// folder named `lib` (modules for require). A rule that fails to load (syntax error, bad
  /// contract, duplicate id, limit hit while loading) becomes an error Diagnostic (code
  /// "rule.load_error" / "rule.bad_contract" / "rule.duplicate_id", location file:line when known,
  /// rule_id when known) and is left out. A missing directory is a "rule.load_error" Diagnostic
  /// located at the directory. Locations name files as Lua messages do: relative to the parent of
  /// the rule directory
  /// ("rules/off_target.lua"), so reports do not depend on where the rules are installed.
  static RuleSet load(const std::vector<std::filesystem::path>& dirs, const SandboxLimits& limits,
                      std::shared_ptr<spdlog::logger> logger, std::vector<Diagnostic>& diagnostics);

  RuleSet(RuleSet&&) noexcept;
  RuleSet& operator=(RuleSet&&) noexcept;
  ~RuleSet();

  const std::vector<RuleInfo>& rules() const;  // sorted by id

  /// Runs every rule (applies_to first, then evaluate) on `input`; one outcome per rule, sorted by
  /// rule id. Rule params are input.indicator->rule_params[rule id] (already merged with catalogue
  /// defaults). A failing rule gives an outcome with Status::kError and message "could not
  /// evaluate: <reason>", and appends an error Diagnostic with code "rule.runtime_error" |
  /// "rule.instruction_limit" | "rule.memory_limit" | "rule.blocked_function" | "rule.bad_result",
  /// the rule id, the indicator id, and location file:line parsed from the Lua message. A rule
  /// whose state cannot be rebuilt after a limit error gives "rule.load_error". Never throws.
  std::vector<RuleOutcome> evaluate(const RuleInput& input, std::vector<Diagnostic>& diagnostics);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
  explicit RuleSet(std::unique_ptr<Impl>);
};

}  // namespace vitals::detail
