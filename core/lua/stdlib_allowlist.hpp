// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "lua/lua.hpp"

#include <cstddef>
#include <string_view>

namespace vitals::detail {

/// Opens base, table, string, math and utf8 and replaces, inside the real
/// library tables, every function not on that library's allowlist with a stub
/// raising "blocked function called: <name>". Wraps string.rep and table.move
/// with size caps and string.find, match, gmatch and gsub with a pattern cost
/// guard (pattern_cost, charged to the instruction budget); charges the
/// functions whose work grows with their text or table (string byte, char,
/// format, lower, pack, rep, reverse, sub, unpack, upper; table concat,
/// insert, move, remove, sort, unpack; utf8 char, codepoint, len, offset;
/// tonumber, rawequal) to the budget after each call (charge_work), so the
/// time limit also stops loops of them; protects the string metatable with
/// __metatable, and keeps the original math.randomseed in the registry for
/// per-call reseeding. Call inside a protected call on a SandboxState.
void open_sandbox_libraries(lua_State* L);

/// The worst case of one Lua pattern call, as the sandbox estimates it.
struct PatternCost {
  int items = 0;       // single-character classes, %b, %f and back references
  int open_ended = 0;  // items repeated with *, + or -, plus %b and back references
  int optional = 0;    // items made optional with ?
  /// What matching one subject character against every item costs: one per
  /// item, but a set [...] (also in %f[...]) costs its length.
  double width = 0.0;
  /// Upper bound on matcher steps: starts x (n+1)^open_ended x 2^optional x width,
  /// where starts is 1 for an anchored pattern ('^') and n+1 otherwise.
  double steps = 0.0;
};

/// Estimates `pattern` on a subject of `subject_len` bytes. `can_anchor` is
/// false for gmatch (where '^' is not an anchor); `plain` is string.find's
/// plain search, which costs subject length times pattern length.
PatternCost pattern_cost(std::string_view pattern, std::size_t subject_len, bool can_anchor,
                         bool plain);

/// Pushes the original math.randomseed kept by open_sandbox_libraries.
void push_randomseed(lua_State* L);

/// True for the standard libraries rules may never use: io, os, debug,
/// package and coroutine.
bool is_blocked_library(std::string_view name);

/// True for the libraries open in the sandbox: string, table, math, utf8.
bool is_sandbox_library(std::string_view name);

/// Notes a blocked-function use on the state and raises
/// "blocked library used: <name> is not available to rules".
int raise_blocked_library(lua_State* L, const char* name);

}  // namespace vitals::detail
