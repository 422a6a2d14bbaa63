// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "common/number_format.hpp"  // format_number and format_percent, vitals.format and format_pct

#include "lua/lua.hpp"

#include <vitals/indicator.hpp>

#include <string>

namespace vitals::detail {

/// The single exception -> lua_error trampoline. Calls `body(L)`; if it throws
/// a std::exception, copies what() and raises it as a Lua error after the try
/// block has ended. Lua's own errors (C++ exceptions of Lua's internal type)
/// pass through untouched.
int run_guarded(lua_State* L, lua_CFunction body);

/// `body` as a light C function going through run_guarded. Every host
/// function that runs C++ code that can throw is registered this way.
template <lua_CFunction Body>
int guarded(lua_State* L) {
  return run_guarded(L, Body);
}

/// Installs the global table `vitals` (log, sorted_pairs, format, format_pct, figure,
/// is_worse, period_word, next_period, periods_between, period_label) and
/// `print` (the same function as vitals.log). Call inside a protected call
/// on a SandboxState.
void install_host_functions(lua_State* L);

/// True when `new_value` is worse than `old_value` for `polarity`; equal
/// values are not worse.
bool is_worse(double new_value, double old_value, Polarity polarity);

}  // namespace vitals::detail
