// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "lua/rule_set.hpp"
#include "lua/sandbox_state.hpp"

#include <vitals/evaluation.hpp>
#include <vitals/indicator.hpp>
#include <vitals/source_location.hpp>

#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>
#include <string_view>
#include <variant>

namespace vitals::detail {

/// A rule file as read from disk.
struct RuleSource {
  std::filesystem::path file;  // where it was found
  std::string chunk_name;      // how Lua messages name it: "rules/off_target.lua"
  std::string text;
};

/// Why loading or calling a rule failed.
struct RuleFailure {
  /// "rule.load_error", "rule.bad_contract", "rule.bad_param", "rule.runtime_error",
  /// "rule.instruction_limit", "rule.time_limit", "rule.memory_limit", "rule.blocked_function" or
  /// "rule.bad_result".
  std::string code;
  std::string reason;  // one line, without the "file:line:" prefix
  std::optional<SourceLocation> location;
  std::string rule_id;    // when known
  std::string traceback;  // the Lua traceback, for the debug log
};

/// The location at the start of a Lua error message ("rules/x.lua:12: boom"
/// gives rules/x.lua line 12), or nullopt when it has none.
std::optional<SourceLocation> parse_lua_location(std::string_view message);

/// `message` without a leading "file.lua:line: " location.
std::string strip_lua_location(std::string_view message);

/// One rule: its source compiled in its own SandboxState, the contract
/// checked, and registry references to applies_to and evaluate.
/// Thread safety: not thread-safe.
class RuleScript {
 public:
  /// Compiles `source` (text only, chunk name "@" + chunk_name), runs it,
  /// checks that it returned a rule table and then forbids new globals.
  /// Returns null and fills `failure` ("rule.load_error" or
  /// "rule.bad_contract") when it cannot.
  static std::unique_ptr<RuleScript> load(RuleSource source, SandboxConfig config,
                                          RuleFailure& failure);

  const RuleInfo& info() const { return info_; }
  bool has_applies_to() const { return applies_to_ref_ != LUA_NOREF; }

  /// Checks `params` against the rule's declaration ("rule.bad_param" when
  /// one is not declared or does not fit), then calls applies_to(indicator)
  /// if the rule has one (kNotApplicable when it returns false), then
  /// evaluate(ctx) with the declared defaults added to ctx.params. Returns the outcome, with rule_id and
  /// criterion set, or why the rule failed. A limit error makes the next call
  /// start from a freshly loaded state. What read_outcome() changed in the
  /// result to keep it within the limits is added to `notes` (when not null).
  std::variant<RuleOutcome, RuleFailure> evaluate(const RuleInput& input,
                                                  const std::map<std::string, ParamValue>& params,
                                                  std::vector<std::string>* notes = nullptr);

 private:
  RuleScript(RuleSource source, SandboxConfig config);
  /// Creates state_ and loads the source into it; fills info_ and the refs.
  bool load_state(RuleFailure& failure);
  RuleFailure failure_from(const CallResult& call, const char* doing) const;

  RuleSource source_;
  SandboxConfig config_;
  std::unique_ptr<SandboxState> state_;
  RuleInfo info_;
  int applies_to_ref_ = LUA_NOREF;
  int evaluate_ref_ = LUA_NOREF;
  // Where applies_to and evaluate are defined, for a bad result's diagnostic.
  SourceLocation applies_to_at_;
  SourceLocation evaluate_at_;
  // The declared defaults: ctx.params of an indicator that sets none.
  std::map<std::string, ParamValue> defaults_;
};

}  // namespace vitals::detail
