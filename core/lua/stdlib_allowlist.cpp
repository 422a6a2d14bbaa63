// SPDX-License-Identifier: Apache-2.0
#include "lua/stdlib_allowlist.hpp"

#include "lua/budget.hpp"
#include "lua/sandbox_state.hpp"
#include "lua/stable_tostring.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
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

enum class PatternFunction { kFind, kMatch, kGmatch, kGsub };

constexpr const char* pattern_function_name(PatternFunction f) {
  switch (f) {
    case PatternFunction::kFind:
      return "string.find";
    case PatternFunction::kMatch:
      return "string.match";
    case PatternFunction::kGmatch:
      return "string.gmatch";
    case PatternFunction::kGsub:
      return "string.gsub";
  }
  return "string";
}

// A position argument as Lua's string library reads it (1-based, negative
// from the end), clamped to the subject.
std::size_t start_offset(lua_State* L, int arg, std::size_t len) {
  lua_Integer pos = luaL_optinteger(L, arg, 1);
  if (pos > 0) return std::min(static_cast<std::size_t>(pos - 1), len);
  if (pos == 0) return 0;
  auto back = static_cast<std::size_t>(-(pos + 1)) + 1;
  return back >= len ? 0 : len - back;
}

// Returns the position after the character class "[...]" whose '[' is at
// `open` in `pattern` (or the end of the pattern when the class is not
// closed). A ']' right after '[' or '[^' belongs to the class, as in Lua.
std::size_t skip_class(std::string_view pattern, std::size_t open) {
  const std::size_t len = pattern.size();
  std::size_t i = open + 1;
  if (i < len && pattern[i] == '^') ++i;
  do {
    if (i >= len) break;
    i += (pattern[i] == '%' && i + 1 < len) ? 2 : 1;
  } while (i < len && pattern[i] != ']');
  if (i < len) ++i;
  return i;
}

}  // namespace

PatternCost pattern_cost(std::string_view pattern, std::size_t subject_len, bool can_anchor,
                         bool plain) {
  PatternCost cost;
  const double n = static_cast<double>(subject_len) + 1.0;
  std::size_t i = 0;
  bool anchored = false;
  if (!plain && can_anchor && !pattern.empty() && pattern[0] == '^') {
    anchored = true;
    i = 1;
  }
  const std::size_t len = pattern.size();
  if (plain) {
    cost.items = static_cast<int>(std::min<std::size_t>(len, 1u << 30));
    i = len;
  }
  while (i < len) {
    char c = pattern[i];
    if (c == '(' || c == ')') {
      ++i;
      continue;
    }
    if (c == '$' && i + 1 == len) {
      ++i;
      continue;
    }
    bool repeatable = true;
    if (c == '%' && i + 1 < len) {
      char d = pattern[i + 1];
      if (d == 'b') {
        // %bxy scans up to the whole subject for the closing delimiter.
        ++cost.open_ended;
        repeatable = false;
        i = std::min(len, i + 4);
      } else if (d == 'f') {
        repeatable = false;
        i += 2;
        if (i < len && pattern[i] == '[') i = skip_class(pattern, i);
      } else if (d >= '0' && d <= '9') {
        // A back reference compares up to a whole capture.
        ++cost.open_ended;
        repeatable = false;
        i += 2;
      } else {
        i += 2;
      }
    } else if (c == '[') {
      i = skip_class(pattern, i);
    } else {
      ++i;
    }
    ++cost.items;
    if (repeatable && i < len) {
      char q = pattern[i];
      if (q == '*' || q == '+' || q == '-') {
        ++cost.open_ended;
        ++i;
      } else if (q == '?') {
        ++cost.optional;
        ++i;
      }
    }
  }
  const double starts = anchored ? 1.0 : n;
  double steps = starts * std::pow(n, cost.open_ended) * std::pow(2.0, cost.optional) *
                 std::max(1, cost.items);
  cost.steps = std::isfinite(steps) ? steps : 1e300;
  return cost;
}

namespace {

// string.find / match / gmatch / gsub, refused before they run when the
// pattern's worst case on this subject would not fit in what is left of the
// instruction budget, and otherwise charged that worst case: the matcher runs
// in C, where the count hook cannot stop it.
template <PatternFunction F>
int guarded_pattern(lua_State* L) {
  std::size_t subject_len = 0;
  std::size_t pattern_len = 0;
  luaL_checklstring(L, 1, &subject_len);
  const char* pattern = luaL_checklstring(L, 2, &pattern_len);
  std::size_t from = 0;
  bool plain = false;
  if constexpr (F == PatternFunction::kFind || F == PatternFunction::kMatch) {
    from = start_offset(L, 3, subject_len);
  }
  if constexpr (F == PatternFunction::kFind) plain = lua_toboolean(L, 4) != 0;
  PatternCost cost = pattern_cost(std::string_view(pattern, pattern_len), subject_len - from,
                                  F != PatternFunction::kGmatch, plain);
  Budget& budget = budget_of(L);
  const double left = budget.max_instructions > budget.instructions
                          ? static_cast<double>(budget.max_instructions - budget.instructions)
                          : 0.0;
  if (cost.steps > left) {
    SandboxState::from(L).note_pattern_limit();
    std::string shown(pattern, std::min<std::size_t>(pattern_len, 40));
    if (pattern_len > 40) shown += "...";
    std::array<char, 32> steps{};
    std::snprintf(steps.data(), steps.size(), "%.3g", cost.steps);
    return luaL_error(L,
                      "%s: the pattern '%s' could take up to %s steps on a text of %I "
                      "characters, more than the %I instructions the rule has left; use fewer "
                      "'-', '*', '+' and '?' in the pattern, or a shorter text",
                      pattern_function_name(F), shown.c_str(), steps.data(),
                      static_cast<lua_Integer>(subject_len), static_cast<lua_Integer>(left));
  }
  budget.instructions += static_cast<std::uint64_t>(cost.steps);
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

// math.random and math.randomseed note that they ran, so the next call
// reseeds the generator only when this one touched it.
int noting_random(lua_State* L) {
  SandboxState::from(L).note_random_used();
  lua_pushvalue(L, lua_upvalueindex(1));
  lua_insert(L, 1);
  lua_call(L, lua_gettop(L) - 1, LUA_MULTRET);
  return lua_gettop(L);
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
  wrap_field(L, "find", guarded_pattern<PatternFunction::kFind>);
  wrap_field(L, "match", guarded_pattern<PatternFunction::kMatch>);
  wrap_field(L, "gmatch", guarded_pattern<PatternFunction::kGmatch>);
  wrap_field(L, "gsub", guarded_pattern<PatternFunction::kGsub>);
  lua_pop(L, 1);
  open_library(L, LUA_MATHLIBNAME, luaopen_math, kMathAllowed, "math.");
  lua_getfield(L, -1, "randomseed");
  lua_setfield(L, LUA_REGISTRYINDEX, kRandomSeedKey);
  wrap_field(L, "random", noting_random);
  wrap_field(L, "randomseed", noting_random);
  lua_pop(L, 1);
  open_library(L, LUA_UTF8LIBNAME, luaopen_utf8, kUtf8Allowed, "utf8.");
  lua_pop(L, 1);
  install_stable_tostring(L);

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
