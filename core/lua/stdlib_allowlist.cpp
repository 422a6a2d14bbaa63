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

// Cost accounting for library functions whose work grows with their input or
// output. They run in C, where the count hook cannot see them, so after each
// call the work is charged to the call's budget (charge_work), which also
// looks at the CPU clock: a loop of such calls stops within the time budget.
// One unit is about one Lua instruction; copying, comparing or converting
// kBytesPerUnit bytes of text is one unit.
constexpr std::uint64_t kBytesPerUnit = 8;

std::uint64_t text_units(std::size_t bytes) { return bytes / kBytesPerUnit; }

// The text units of the strings at stack indices first..last.
std::uint64_t string_units(lua_State* L, int first, int last) {
  std::uint64_t units = 0;
  for (int i = first; i <= last; ++i) {
    if (lua_type(L, i) == LUA_TSTRING) units += text_units(lua_rawlen(L, i));
  }
  return units;
}

// Work measured on the arguments, before the call.
std::uint64_t no_input(lua_State* /*L*/) { return 0; }
// Functions that scan their text arguments (utf8.len, utf8.offset,
// tonumber, rawequal).
std::uint64_t text_arguments(lua_State* L) { return string_units(L, 1, lua_gettop(L)); }
// table.insert and table.remove shift up to #t elements.
std::uint64_t table_length(lua_State* L) {
  return lua_type(L, 1) == LUA_TTABLE ? lua_rawlen(L, 1) : 0;
}
// Elements i..j of table.concat(t, sep, i, j).
std::uint64_t concat_range(lua_State* L) {
  const auto length =
      lua_type(L, 1) == LUA_TTABLE ? static_cast<lua_Integer>(lua_rawlen(L, 1)) : 0;
  const lua_Integer first = luaL_optinteger(L, 3, 1);
  const lua_Integer last = luaL_optinteger(L, 4, length);
  if (last < first) return 0;
  return static_cast<std::uint64_t>(last) - static_cast<std::uint64_t>(first) + 1;
}

// Runs the original library function (upvalue 1, a C function without
// upvalues of its own) in this call's frame, so its errors name the function
// and the rule's line as they would unwrapped; then charges one unit,
// `input`, one unit per result and the text units of the results.
int call_charged(lua_State* L, std::uint64_t input) {
  const int results = lua_tocfunction(L, lua_upvalueindex(1))(L);
  const int top = lua_gettop(L);
  charge_work(L, 1 + input + static_cast<std::uint64_t>(results) +
                     string_units(L, top - results + 1, top));
  return results;
}

// The original function, charged for what `Input` measures in its arguments
// and for what it returns.
template <std::uint64_t (*Input)(lua_State*)>
int costed(lua_State* L) {
  return call_charged(L, Input(L));
}

// The default comparison of table.sort, charged: comparing two strings costs
// up to the length of the shorter one.
int counted_less(lua_State* L) {
  std::uint64_t units = 1;
  if (lua_type(L, 1) == LUA_TSTRING && lua_type(L, 2) == LUA_TSTRING) {
    units += text_units(std::min(lua_rawlen(L, 1), lua_rawlen(L, 2)));
  }
  charge_work(L, units);
  lua_pushboolean(L, lua_compare(L, 1, 2, LUA_OPLT));
  return 1;
}

// A comparison function written in C (upvalue 1), charged one unit per call:
// unlike a Lua function, it runs no instruction the count hook could see.
int counted_compare(lua_State* L) {
  charge_work(L, 1);
  lua_pushvalue(L, lua_upvalueindex(1));
  lua_insert(L, 1);
  lua_call(L, 2, 1);
  return 1;
}

// table.sort with every comparison counted: the default one by counted_less,
// a C function by counted_compare, a Lua function by the count hook. The
// elements moved are charged up front.
int counted_sort(lua_State* L) {
  luaL_checktype(L, 1, LUA_TTABLE);
  charge_work(L, lua_rawlen(L, 1));
  lua_settop(L, 2);
  if (lua_isnoneornil(L, 2)) {
    lua_pushcfunction(L, counted_less);
    lua_replace(L, 2);
  } else if (lua_iscfunction(L, 2)) {
    lua_pushvalue(L, 2);
    lua_pushcclosure(L, counted_compare, 1);
    lua_replace(L, 2);
  }
  // In this call's frame, so that its errors name the rule's line.
  return lua_tocfunction(L, lua_upvalueindex(1))(L);
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
  // Lua copies the text once per repetition: many short copies cost more
  // than their bytes.
  return call_charged(L, count);
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
  return call_charged(L, last >= first ? static_cast<std::uint64_t>(last - first) + 1 : 0);
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
    cost.width = static_cast<double>(len);
    i = len;
  }
  while (i < len) {
    const std::size_t start = i;
    std::size_t width = 1;  // a set [...] is compared character by character
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
        if (i < len && pattern[i] == '[') {
          const std::size_t open = i;
          i = skip_class(pattern, i);
          width = i - open;
        }
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
      width = i - start;
    } else {
      ++i;
    }
    ++cost.items;
    cost.width += static_cast<double>(width);
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
                 std::max(1.0, cost.width);
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
  // The steps are charged; the text made (gsub's result, captures) is
  // charged after the call, and the clock looked at if the matching was long.
  budget.unchecked += static_cast<std::uint64_t>(cost.steps);
  return call_charged(L, 0);
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
  for (const char* name : {"tonumber", "rawequal"}) wrap_field(L, name, costed<text_arguments>);
  lua_pop(L, 1);
  open_library(L, LUA_TABLIBNAME, luaopen_table, kTableAllowed, "table.");
  wrap_field(L, "move", limited_move);
  wrap_field(L, "concat", costed<concat_range>);
  for (const char* name : {"insert", "remove"}) wrap_field(L, name, costed<table_length>);
  wrap_field(L, "unpack", costed<no_input>);
  wrap_field(L, "sort", counted_sort);
  lua_pop(L, 1);
  open_library(L, LUA_STRLIBNAME, luaopen_string, kStringAllowed, "string.");
  wrap_field(L, "rep", limited_rep);
  for (const char* name :
       {"byte", "char", "format", "lower", "pack", "reverse", "sub", "unpack", "upper"}) {
    wrap_field(L, name, costed<no_input>);
  }
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
  for (const char* name : {"char", "codepoint"}) wrap_field(L, name, costed<no_input>);
  for (const char* name : {"len", "offset"}) wrap_field(L, name, costed<text_arguments>);
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
