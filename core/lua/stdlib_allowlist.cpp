// SPDX-License-Identifier: Apache-2.0
#include "lua/stdlib_allowlist.hpp"

#include "lua/sandbox_state.hpp"

#include <algorithm>
#include <array>
#include <string>
#include <vector>

namespace vitals::detail {

namespace {

constexpr const char* kRandomSeedKey = "vitals.randomseed";

// Per-library allowlists. A function missing here (including ones a future
// Lua release adds) becomes a blocked stub. Non-function fields (math.pi,
// utf8.charpattern, _VERSION) are left alone.
constexpr std::array kBaseAllowed = {"assert",   "error",    "ipairs", "next",
                                     "pairs",    "rawequal", "rawlen", "select",
                                     "tonumber", "tostring", "type"};
constexpr std::array kStringAllowed = {"byte",    "char",  "find",   "format", "gmatch",   "gsub",
                                       "len",     "lower", "match",  "pack",   "packsize", "rep",
                                       "reverse", "sub",   "unpack", "upper"};
constexpr std::array kTableAllowed = {"concat", "insert", "move",  "pack",
                                      "remove", "sort",   "unpack"};
constexpr std::array kMathAllowed = {"abs",  "acos", "asin",      "atan",   "ceil",       "cos",
                                     "deg",  "exp",  "floor",     "fmod",   "log",        "max",
                                     "min",  "modf", "rad",       "random", "randomseed", "sin",
                                     "sqrt", "tan",  "tointeger", "type",   "ult"};
constexpr std::array kUtf8Allowed = {"char", "codepoint", "codes", "len", "offset"};

constexpr std::array kBlockedLibraries = {"io", "os", "debug", "package", "coroutine"};
constexpr std::array kSandboxLibraries = {"string", "table", "math", "utf8"};

int blocked_stub(lua_State* L) {
  SandboxState::from(L).note_blocked();
  return luaL_error(L, "blocked function called: %s", lua_tostring(L, lua_upvalueindex(1)));
}

// Replaces the functions of the table on top of the stack that are not in
// `allowed` with stubs named `prefix` + name.
template <std::size_t N>
void block_unlisted(lua_State* L, const std::array<const char*, N>& allowed,
                    const std::string& prefix) {
  std::vector<std::string> blocked;
  lua_pushnil(L);
  while (lua_next(L, -2) != 0) {
    if (lua_type(L, -2) == LUA_TSTRING && lua_type(L, -1) == LUA_TFUNCTION) {
      std::string name = lua_tostring(L, -2);
      if (std::find_if(allowed.begin(), allowed.end(), [&](const char* a) { return name == a; }) ==
          allowed.end()) {
        blocked.push_back(name);
      }
    }
    lua_pop(L, 1);
  }
  for (const std::string& name : blocked) {
    std::string full = prefix + name;
    lua_pushlstring(L, full.data(), full.size());
    lua_pushcclosure(L, blocked_stub, 1);
    lua_setfield(L, -2, name.c_str());
  }
}

int limited_rep(lua_State* L) {
  std::size_t len = 0;
  std::size_t sep_len = 0;
  luaL_checklstring(L, 1, &len);
  lua_Integer n = luaL_checkinteger(L, 2);
  luaL_optlstring(L, 3, "", &sep_len);
  // Lua's own rep loops n times even when nothing is copied, outside the
  // instruction budget, so the empty case is answered here.
  if (n <= 0 || len + sep_len == 0) {
    lua_pushliteral(L, "");
    return 1;
  }
  SandboxState& state = SandboxState::from(L);
  auto cap = static_cast<unsigned long long>(state.config().limits.max_string_bytes);
  auto count = static_cast<unsigned long long>(n);
  unsigned long long unit = len + sep_len;
  if (count - 1 > cap / unit || count * len + (count - 1) * sep_len > cap) {
    state.note_size_cap();
    return luaL_error(L, "string.rep would make a string longer than the limit of %I bytes",
                      static_cast<lua_Integer>(cap));
  }
  lua_pushvalue(L, lua_upvalueindex(1));
  lua_insert(L, 1);
  lua_call(L, lua_gettop(L) - 1, 1);
  return 1;
}

int limited_move(lua_State* L) {
  lua_Integer first = luaL_checkinteger(L, 2);
  lua_Integer last = luaL_checkinteger(L, 3);
  SandboxState& state = SandboxState::from(L);
  // No table under the memory limit holds more elements than this, and
  // table.move copies element by element outside the instruction budget.
  auto cap = static_cast<unsigned long long>(state.config().limits.max_bytes / 16);
  if (last >= first &&
      static_cast<unsigned long long>(last) - static_cast<unsigned long long>(first) >= cap) {
    state.note_size_cap();
    return luaL_error(L, "table.move would copy more than the limit of %I elements",
                      static_cast<lua_Integer>(cap));
  }
  lua_pushvalue(L, lua_upvalueindex(1));
  lua_insert(L, 1);
  lua_call(L, lua_gettop(L) - 1, LUA_MULTRET);
  return lua_gettop(L);
}

// Replaces field `name` of the table on top with `wrapper`, which gets the
// original function as its upvalue.
void wrap_field(lua_State* L, const char* name, lua_CFunction wrapper) {
  lua_getfield(L, -1, name);
  lua_pushcclosure(L, wrapper, 1);
  lua_setfield(L, -2, name);
}

template <std::size_t N>
void open_library(lua_State* L, const char* name, lua_CFunction opener,
                  const std::array<const char*, N>& allowed, const std::string& prefix) {
  luaL_requiref(L, name, opener, 1);
  block_unlisted(L, allowed, prefix);
}

}  // namespace

void open_sandbox_libraries(lua_State* L) {
  open_library(L, LUA_GNAME, luaopen_base, kBaseAllowed, "");
  lua_pop(L, 1);
  open_library(L, LUA_TABLIBNAME, luaopen_table, kTableAllowed, "table.");
  wrap_field(L, "move", limited_move);
  lua_pop(L, 1);
  open_library(L, LUA_STRLIBNAME, luaopen_string, kStringAllowed, "string.");
  wrap_field(L, "rep", limited_rep);
  lua_pop(L, 1);
  open_library(L, LUA_MATHLIBNAME, luaopen_math, kMathAllowed, "math.");
  lua_getfield(L, -1, "randomseed");
  lua_setfield(L, LUA_REGISTRYINDEX, kRandomSeedKey);
  lua_pop(L, 1);
  open_library(L, LUA_UTF8LIBNAME, luaopen_utf8, kUtf8Allowed, "utf8.");
  lua_pop(L, 1);

  // Strings reach the string table through their metatable; scripts must not
  // reach the metatable itself.
  lua_pushliteral(L, "");
  if (lua_getmetatable(L, -1) != 0) {
    lua_pushliteral(L, "protected");
    lua_setfield(L, -2, "__metatable");
    lua_pop(L, 1);
  }
  lua_pop(L, 1);
}

void push_randomseed(lua_State* L) { lua_getfield(L, LUA_REGISTRYINDEX, kRandomSeedKey); }

bool is_blocked_library(std::string_view name) {
  return std::find(kBlockedLibraries.begin(), kBlockedLibraries.end(), name) !=
         kBlockedLibraries.end();
}

bool is_sandbox_library(std::string_view name) {
  return std::find(kSandboxLibraries.begin(), kSandboxLibraries.end(), name) !=
         kSandboxLibraries.end();
}

int raise_blocked_library(lua_State* L, const char* name) {
  SandboxState::from(L).note_blocked();
  return luaL_error(L, "blocked library used: %s is not available to rules", name);
}

}  // namespace vitals::detail
