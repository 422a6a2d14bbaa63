// SPDX-License-Identifier: Apache-2.0
#include "lua/module_loader.hpp"

#include "lua/host_functions.hpp"
#include "lua/sandbox_state.hpp"
#include "lua/stdlib_allowlist.hpp"

#include <filesystem>
#include <fstream>
#include <iterator>
#include <stdexcept>
#include <string_view>
#include <system_error>
#include <vector>

namespace vitals::detail {

namespace {

constexpr const char* kModulesKey = "vitals.modules";  // module chunk -> its value
constexpr const char* kLoadingKey = "vitals.loading";  // module chunk -> call that is loading it
constexpr const char* kResolvedKey = "vitals.resolved";  // "<caller folder>|file" -> module chunk

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

// The module folder holding the code that called `require`, or null when the
// caller is not a module (the rule file).
const ModuleDir* calling_folder(lua_State* L, const std::vector<ModuleDir>& dirs) {
  lua_Debug ar;
  if (lua_getstack(L, 1, &ar) == 0 || lua_getinfo(L, "S", &ar) == 0 || ar.source == nullptr ||
      ar.source[0] != '@') {
    return nullptr;
  }
  std::string_view source = ar.source + 1;
  for (const ModuleDir& dir : dirs) {
    if (source.size() > dir.display.size() && source.substr(0, dir.display.size()) == dir.display &&
        source[dir.display.size()] == '/') {
      return &dir;
    }
  }
  return nullptr;
}

// The module folders `require` searches, in order, for code in `from`. A
// module of a shared folder searches that folder first, then the other shared
// ones; any other code (the rule file, its own modules) searches all of the
// state's folders, which start with the rule's own. So neither a shared
// module nor another folder's rule ever gets a pack's own module in place of
// a shared one.
std::vector<const ModuleDir*> search_order(const ModuleDir* from,
                                           const std::vector<ModuleDir>& dirs) {
  std::vector<const ModuleDir*> order;
  if (from == nullptr || !from->shared) {
    for (const ModuleDir& dir : dirs) order.push_back(&dir);
    return order;
  }
  order.push_back(from);
  for (const ModuleDir& dir : dirs) {
    if (dir.shared && &dir != from) order.push_back(&dir);
  }
  return order;
}

// Finds `file` for code in `from`; returns its chunk name ("rules/lib/series.lua")
// or raises "module not found". Answers are kept in the registry table at
// `resolved`, so a require repeated on every call does not touch the disk.
std::string resolve_module(lua_State* L, int resolved, const std::string& name,
                           const std::string& file) {
  const std::vector<ModuleDir>& dirs = SandboxState::from(L).config().module_dirs;
  const ModuleDir* from = calling_folder(L, dirs);
  const std::string key = (from ? from->display : std::string()) + "|" + file;
  if (lua_getfield(L, resolved, key.c_str()) == LUA_TSTRING) {
    std::string chunk = lua_tostring(L, -1);
    lua_pop(L, 1);
    return chunk;
  }
  lua_pop(L, 1);
  std::string searched;
  for (const ModuleDir* dir : search_order(from, dirs)) {
    std::error_code ec;
    if (std::filesystem::is_regular_file(dir->path / file, ec)) {
      std::string chunk = dir->display + "/" + file;
      lua_pushlstring(L, chunk.data(), chunk.size());
      lua_setfield(L, resolved, key.c_str());
      return chunk;
    }
    searched += (searched.empty() ? "" : ", ") + dir->display + "/" + file;
  }
  if (searched.empty()) searched = "no module folder (rules/lib) exists";
  luaL_error(L, "module '%s' not found (looked for %s)", name.c_str(), searched.c_str());
  return {};
}

// The folder a chunk name found by resolve_module is in.
const ModuleDir& folder_of(const std::vector<ModuleDir>& dirs, const std::string& chunk) {
  for (const ModuleDir& dir : dirs) {
    if (chunk.size() > dir.display.size() && chunk.compare(0, dir.display.size(), dir.display) == 0 &&
        chunk[dir.display.size()] == '/') {
      return dir;
    }
  }
  throw std::logic_error("module " + chunk + " is in no module folder");
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
  lua_getfield(L, LUA_REGISTRYINDEX, kModulesKey);   // 2
  lua_getfield(L, LUA_REGISTRYINDEX, kLoadingKey);   // 3
  lua_getfield(L, LUA_REGISTRYINDEX, kResolvedKey);  // 4
  // Modules are known by their chunk name, so a pack's own module and a
  // shared one with the same file name are two modules.
  const std::string chunk = resolve_module(L, 4, name, *file);
  if (lua_getfield(L, 2, chunk.c_str()) != LUA_TNIL) return 1;
  lua_pop(L, 1);
  if (lua_getfield(L, 3, chunk.c_str()) == LUA_TNUMBER &&
      static_cast<std::uint64_t>(lua_tointeger(L, -1)) == state.call_count()) {
    return luaL_error(L, "module '%s' requires itself (directly or through other modules)",
                      name.c_str());
  }
  lua_pop(L, 1);

  const ModuleDir& found = folder_of(state.config().module_dirs, chunk);
  std::string text = read_module(found.path / *file, state.config().limits.max_bytes);
  std::string chunk_name = "@" + chunk;
  // A failed earlier call may have left a marker; it names another call, so
  // only a require cycle within this call is refused.
  lua_pushinteger(L, static_cast<lua_Integer>(state.call_count()));
  lua_setfield(L, 3, chunk.c_str());
  int status = luaL_loadbufferx(L, text.data(), text.size(), chunk_name.c_str(), "t");
  if (status == LUA_ERRMEM) state.note_memory_error();
  if (status != LUA_OK) return lua_error(L);
  state.note_chunk(L);
  lua_pushvalue(L, 1);
  lua_call(L, 1, 1);
  if (lua_isnil(L, -1)) {
    lua_pop(L, 1);
    lua_pushboolean(L, 1);
  }
  lua_pushvalue(L, -1);
  lua_setfield(L, 2, chunk.c_str());
  lua_pushnil(L);
  lua_setfield(L, 3, chunk.c_str());
  state.note_module(name, chunk);
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
  lua_newtable(L);
  lua_setfield(L, LUA_REGISTRYINDEX, kResolvedKey);
  lua_pushcfunction(L, guarded<require_body>);
  lua_setglobal(L, "require");
}

}  // namespace vitals::detail
