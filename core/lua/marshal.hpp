// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "lua/lua.hpp"
#include "lua/rule_set.hpp"

#include <vitals/evaluation.hpp>
#include <vitals/indicator.hpp>
#include <vitals/options.hpp>

#include <cstddef>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace vitals::detail {

/// Replaces the table on top of the stack with a read-only view of it: an
/// empty table whose metatable serves reads from the original (__index,
/// __len, __pairs) and raises "<path> is read-only (cannot set 'k')" on
/// writes. The original is reachable only through the view. `path` names the
/// table in messages, e.g. "ctx.tolerance", and with an `index` above 0,
/// "ctx.series[2]" for path "ctx.series" and index 2.
void make_read_only(lua_State* L, std::string_view path, lua_Integer index = 0);

/// When the value at `index` is a read-only view, pushes the table it shows
/// and returns true; otherwise pushes nothing and returns false.
bool push_view_data(lua_State* L, int index);

/// Pushes `text`, cut to at most `max_bytes` (at a UTF-8 character boundary).
void push_capped_string(lua_State* L, std::string_view text, std::size_t max_bytes);

/// Pushes the userdata in which the views keep what the current call shows
/// (made on first use; one per state), for viewed_indicator.
void push_call_state(lua_State* L);

/// When the value at `index` is the view of ctx.indicator or of the
/// indicator applies_to receives, returns the indicator it shows now (the
/// current call's); otherwise null. `call_state` is the index of the
/// state's push_call_state userdata (e.g. an upvalue). Pushes nothing.
const IndicatorDefinition* viewed_indicator(lua_State* L, int index, int call_state);

/// Pushes the read-only table applies_to receives for an indicator (named
/// "indicator" in messages). Like ctx, it is reused from call to call.
void push_indicator(lua_State* L, const IndicatorDefinition& indicator,
                    std::size_t max_string_bytes);

/// Pushes the read-only `ctx` for evaluate: period, period_label, indicator,
/// params, series, latest and data_state (see docs/rule-authoring.md). The
/// state's ctx is made once and refilled for every call: its fields are read
/// from `input` when a rule first reads them, so `input` must outlive the
/// call, and a ctx a rule keeps shows the current call's indicator.
/// `params_are_defaults` says that `params` are the rule's defaults, the
/// same on every call of this state, so that the ctx.params of the last such
/// call can be kept.
/// REQUIRES: input.indicator is not null.
void push_context(lua_State* L, const RuleInput& input,
                  const std::map<std::string, ParamValue>& params, std::size_t max_string_bytes,
                  bool params_are_defaults = false);

/// Reads the value at `index` as evaluate's result, with raw access only (no
/// metamethod runs), into outcome.status, .message and .evidence. Returns an
/// empty string when the result keeps the contract, else why it does not.
/// Text is held to the caps in `limits` (max_message_bytes and the evidence
/// caps): a message or evidence text that is too long is cut at a character
/// boundary, bytes that are not UTF-8 become U+FFFD, and evidence beyond
/// max_evidence_entries is dropped; each such change adds a sentence to
/// `notes` (when not null) for a warning. An evidence key that is too long,
/// not UTF-8 or holds a control character (such as NUL) breaks the contract.
std::string read_outcome(lua_State* L, int index, RuleOutcome& outcome,
                         const SandboxLimits& limits = SandboxLimits{},
                         std::vector<std::string>* notes = nullptr);

}  // namespace vitals::detail
