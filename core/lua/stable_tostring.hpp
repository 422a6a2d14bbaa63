// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "lua/lua.hpp"

#include <cstddef>

namespace vitals::detail {

/// Pushes the text of the value at `index` as tostring() shows it inside the
/// sandbox: numbers, strings, booleans and nil as Lua writes them; a value
/// with a __tostring metamethod as that returns; any other table, function,
/// userdata or thread as its type name alone ("table", "function"), never
/// with its heap address, so rule output is the same in every run. Returns
/// the text, valid while it stays on the stack. May raise a Lua error (from
/// __tostring).
const char* push_stable_tostring(lua_State* L, int index, std::size_t* len);

/// Replaces the global tostring with one built on push_stable_tostring, and
/// wraps string.format so that "%s" of a table shows no address and "%p" is
/// refused. Call inside a protected call, after the base and string
/// libraries are open.
void install_stable_tostring(lua_State* L);

}  // namespace vitals::detail
