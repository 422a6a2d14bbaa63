// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "lua/lua.hpp"

#include <optional>
#include <string>
#include <string_view>

namespace vitals::detail {

/// The file a module name maps to, relative to a module folder:
/// "vitals.series" and "series" give "series.lua", "a.b" gives "a/b.lua".
/// nullopt for names that are not dot-separated words of letters, digits
/// and underscores (so no name can leave the module folder).
std::optional<std::string> module_file_for(std::string_view name);

/// Installs the global `require`: serves the sandbox's own libraries (string,
/// table, math, utf8), refuses io, os, debug, package and coroutine as blocked,
/// and loads other modules as source text (mode "t") from the state's
/// ModuleDirs, each once per state, under the same limits as the caller.
/// The rule file, and modules of the rule's own folder, search every ModuleDir
/// in order (the rule's own first); a module of a shared folder searches its
/// folder and then the other shared ones only. Each module loaded is noted on
/// the SandboxState (note_module). Call inside a protected call on a SandboxState.
void install_module_loader(lua_State* L);

}  // namespace vitals::detail
