// SPDX-License-Identifier: Apache-2.0
#include "lua/stable_tostring.hpp"

#include <cstring>

namespace vitals::detail {
namespace {

// A table, function, userdata or thread whose default text would be
// "<type>: 0x...".
bool shows_address(lua_State* L, int index) {
  switch (lua_type(L, index)) {
    case LUA_TTABLE:
    case LUA_TFUNCTION:
    case LUA_TUSERDATA:
    case LUA_TLIGHTUSERDATA:
    case LUA_TTHREAD:
      return luaL_getmetafield(L, index, "__tostring") == LUA_TNIL ||
             (lua_pop(L, 1), false);
    default:
      return false;
  }
}

int stable_tostring(lua_State* L) {
  luaL_checkany(L, 1);
  push_stable_tostring(L, 1, nullptr);
  return 1;
}

int stable_format(lua_State* L) {
  std::size_t len = 0;
  const char* format = luaL_checklstring(L, 1, &len);
  for (std::size_t i = 0; i + 1 < len; ++i) {
    if (format[i] != '%') continue;
    // Skip flags, width and precision to the conversion letter.
    std::size_t j = i + 1;
    while (j < len && std::strchr("-+ #0123456789.", format[j]) != nullptr) ++j;
    if (j < len && format[j] == 'p') {
      return luaL_error(L, "string.format: '%%p' (a memory address) is not available to rules");
    }
    i = j;
  }
  const int top = lua_gettop(L);
  for (int arg = 2; arg <= top; ++arg) {
    if (!shows_address(L, arg)) continue;
    push_stable_tostring(L, arg, nullptr);
    lua_replace(L, arg);
  }
  lua_pushvalue(L, lua_upvalueindex(1));
  lua_insert(L, 1);
  lua_call(L, top, 1);
  return 1;
}

}  // namespace

const char* push_stable_tostring(lua_State* L, int index, std::size_t* len) {
  index = lua_absindex(L, index);
  if (shows_address(L, index)) {
    const int name = luaL_getmetafield(L, index, "__name");
    if (name == LUA_TSTRING) return lua_tolstring(L, -1, len);
    if (name != LUA_TNIL) lua_pop(L, 1);
    lua_pushstring(L, luaL_typename(L, index));
    return lua_tolstring(L, -1, len);
  }
  return luaL_tolstring(L, index, len);
}

void install_stable_tostring(lua_State* L) {
  lua_pushcfunction(L, stable_tostring);
  lua_setglobal(L, "tostring");
  lua_getglobal(L, LUA_STRLIBNAME);
  lua_getfield(L, -1, "format");
  lua_pushcclosure(L, stable_format, 1);
  lua_setfield(L, -2, "format");
  lua_pop(L, 1);
}

}  // namespace vitals::detail
