// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "lua/lua.hpp"

#include <string_view>

namespace vitals::detail {

/// Opens base, table, string, math and utf8 and replaces, inside the real
/// library tables, every function not on that library's allowlist with a stub
/// raising "blocked function called: <name>". Wraps string.rep and table.move
/// with size caps, protects the string metatable with __metatable, and keeps
/// the original math.randomseed in the registry for per-call reseeding.
/// Call inside a protected call on a SandboxState.
void open_sandbox_libraries(lua_State* L);

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
