// SPDX-License-Identifier: Apache-2.0
#pragma once

// The one place Lua is included. Vitals links the C++ build of Lua 5.4
// (liblua5.4-c++), in which lua_error unwinds C++ frames with an exception
// instead of longjmp, so destructors of host locals run.
#include <lua.hpp>

static_assert(LUA_VERSION_NUM == 504,
              "Vitals' sandbox is written against the Lua 5.4 C API (lua_newstate and the "
              "library openers change in 5.5)");
