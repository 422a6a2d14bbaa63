// SPDX-License-Identifier: Apache-2.0
#include "lua/module_loader.hpp"

#include "lua/host_functions.hpp"
#include "lua/sandbox_state.hpp"
#include "lua/stdlib_allowlist.hpp"

#include <filesystem>
#include <fstream>
#include <iterator>
#include <stdexcept>
#include <system_error>

namespace vitals::detail {

namespace {

constexpr const char* kModulesKey = "vitals.modules";  // module file -> its value
constexpr const char* kLoadingKey = "vitals.loading";  // module file -> call that is loading it

bool is_word(std::string_view part) {
  if (part.empty()) return false;
  for (char c : part) {
    bool ok =
        (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
    if (!ok) return false;
  }
  return true;
}

std::string read_module(const std::filesystem::path& path, std::size_t max_bytes) {
  std::error_code ec;
  auto size = std::filesystem::file_size(path, ec);
  if (ec)
    throw std::runtime_error("cannot read module file " + path.string() + ": " + ec.message());
  if (size > max_bytes) {
    throw std::runtime_error("module file " + path.string() + " is larger than the memory limit");
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read module file " + path.string());
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

int require_body(lua_State* L) {
  std::string name = luaL_checkstring(L, 1);
  lua_settop(L, 1);
  if (is_sandbox_library(name)) {
    luaL_getsubtable(L, LUA_REGISTRYINDEX, LUA_LOADED_TABLE);
    lua_getfield(L, -1, name.c_str());
    return 1;
  }
  if (is_blocked_library(name)) return raise_blocked_library(L, name.c_str());
  std::optional<std::string> file = module_file_for(name);
  if (!file) {
    return luaL_error(L,
                      "invalid module name '%s': use names such as \"vitals.series\" (words of "
                      "letters, digits and _ joined by dots)",
                      name.c_str());
  }

  SandboxState& state = SandboxState::from(L);
  lua_getfield(L, LUA_REGISTRYINDEX, kModulesKey);  // 2
  lua_getfield(L, LUA_REGISTRYINDEX, kLoadingKey);  // 3
  if (lua_getfield(L, 2, file->c_str()) != LUA_TNIL) return 1;
  lua_pop(L, 1);
  if (lua_getfield(L, 3, file->c_str()) == LUA_TNUMBER &&
      static_cast<std::uint64_t>(lua_tointeger(L, -1)) == state.call_count()) {
    return luaL_error(L, "module '%s' requires itself (directly or through other modules)",
                      name.c_str());
  }
  lua_pop(L, 1);

  const ModuleDir* found = nullptr;
  std::string searched;
  for (const ModuleDir& dir : state.config().module_dirs) {
    std::error_code ec;
    if (std::filesystem::is_regular_file(dir.path / *file, ec)) {
      found = &dir;
      break;
    }
    searched += (searched.empty() ? "" : ", ") + dir.display + "/" + *file;
  }
  if (found == nullptr) {
    if (searched.empty()) searched = "no module folder (rules/lib) exists";
    return luaL_error(L, "module '%s' not found (looked for %s)", name.c_str(), searched.c_str());
  }

  std::string text = read_module(found->path / *file, state.config().limits.max_bytes);
  std::string chunk_name = "@" + found->display + "/" + *file;
  // A failed earlier call may have left a marker; it names another call, so
  // only a require cycle within this call is refused.
  lua_pushinteger(L, static_cast<lua_Integer>(state.call_count()));
  lua_setfield(L, 3, file->c_str());
  int status = luaL_loadbufferx(L, text.data(), text.size(), chunk_name.c_str(), "t");
  if (status == LUA_ERRMEM) state.note_memory_error();
  if (status != LUA_OK) return lua_error(L);
  lua_pushvalue(L, 1);
  lua_call(L, 1, 1);
  if (lua_isnil(L, -1)) {
    lua_pop(L, 1);
    lua_pushboolean(L, 1);
  }
  lua_pushvalue(L, -1);
  lua_setfield(L, 2, file->c_str());
  lua_pushnil(L);
  lua_setfield(L, 3, file->c_str());
  return 1;
}

}  // namespace

std::optional<std::string> module_file_for(std::string_view name) {
  constexpr std::string_view kPrefix = "vitals.";
  if (name.size() > kPrefix.size() && name.substr(0, kPrefix.size()) == kPrefix) {
    name.remove_prefix(kPrefix.size());
  }
  std::string file;
  while (true) {
    std::size_t dot = name.find('.');
    std::string_view part = name.substr(0, dot);
    if (!is_word(part)) return std::nullopt;
    file += part;
    if (dot == std::string_view::npos) break;
    file += '/';
    name.remove_prefix(dot + 1);
  }
  return file + ".lua";
}

void install_module_loader(lua_State* L) {
  lua_newtable(L);
  lua_setfield(L, LUA_REGISTRYINDEX, kModulesKey);
  lua_newtable(L);
  lua_setfield(L, LUA_REGISTRYINDEX, kLoadingKey);
  lua_pushcfunction(L, guarded<require_body>);
  lua_setglobal(L, "require");
}

}  // namespace vitals::detail
