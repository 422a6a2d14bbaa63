// SPDX-License-Identifier: Apache-2.0
#include "lua/host_functions.hpp"

#include "common/number_format.hpp"
#include "common/user_text.hpp"

#include "lua/marshal.hpp"
#include "lua/sandbox_state.hpp"
#include "lua/stable_tostring.hpp"

#include <vitals/period.hpp>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <exception>
#include <optional>
#include <stdexcept>
#include <string_view>
#include <variant>
#include <vector>

namespace vitals::detail {

int run_guarded(lua_State* L, lua_CFunction body) {
  std::string error;
  try {
    return body(L);
  } catch (const std::exception& e) {
    error = e.what();
  }
  // Raised outside the handler: Lua unwinds with its own exception, and no
  // C++ handler of ours is active while it does.
  return luaL_error(L, "%s", error.c_str());
}

bool is_worse(double new_value, double old_value, Polarity polarity) {
  return polarity == Polarity::kBiggerIsBetter ? new_value < old_value : new_value > old_value;
}

namespace {

Period parse_period_arg(lua_State* L, int index, const char* function) {
  std::size_t len = 0;
  const char* text = luaL_checklstring(L, index, &len);
  Result<Period> period = Period::parse(std::string_view(text, len));
  if (!period.ok()) {
    throw std::invalid_argument(std::string(function) + ": " + period.status().message());
  }
  return *period;
}

int log_body(lua_State* L) {
  SandboxState& state = SandboxState::from(L);
  std::size_t cap = state.config().limits.max_string_bytes;
  int n = lua_gettop(L);
  std::string line;
  for (int i = 1; i <= n && line.size() < cap; ++i) {
    std::size_t len = 0;
    const char* piece = push_stable_tostring(L, i, &len);
    if (i > 1) line += ' ';
    line.append(piece, std::min(len, cap - std::min(cap, line.size())));
    lua_pop(L, 1);
  }
  // A rule's text reaches the terminal: nothing invisible or unprintable.
  state.config().logger->info("{}: {}", state.config().label, visible_text(line));
  return 0;
}

// Keys sort numbers first (by value), then text, then false before true.
using SortKey = std::variant<double, std::string, bool>;

struct KeyEntry {
  SortKey key;
  bool is_integer = false;
  lua_Integer integer = 0;
};

int sorted_next(lua_State* L) {
  lua_Integer i = lua_tointeger(L, lua_upvalueindex(3)) + 1;
  if (lua_rawgeti(L, lua_upvalueindex(2), i) == LUA_TNIL) return 1;
  lua_pushinteger(L, i);
  lua_replace(L, lua_upvalueindex(3));
  lua_pushvalue(L, -1);
  lua_rawget(L, lua_upvalueindex(1));
  return 2;
}

int sorted_pairs_body(lua_State* L) {
  luaL_checktype(L, 1, LUA_TTABLE);
  lua_settop(L, 1);
  if (!push_view_data(L, 1)) lua_pushvalue(L, 1);
  const int data = 2;

  std::vector<KeyEntry> keys;
  lua_pushnil(L);
  while (lua_next(L, data) != 0) {
    lua_pop(L, 1);
    KeyEntry entry;
    switch (lua_type(L, -1)) {
      case LUA_TNUMBER:
        entry.key = static_cast<double>(lua_tonumber(L, -1));
        entry.is_integer = lua_isinteger(L, -1) != 0;
        entry.integer = lua_tointeger(L, -1);
        break;
      case LUA_TSTRING: {
        std::size_t len = 0;
        const char* s = lua_tolstring(L, -1, &len);
        entry.key = std::string(s, len);
        break;
      }
      case LUA_TBOOLEAN:
        entry.key = lua_toboolean(L, -1) != 0;
        break;
      default:
        throw std::invalid_argument(
            std::string("vitals.sorted_pairs: keys must be numbers, text or "
                        "true/false, found a ") +
            luaL_typename(L, -1) + " key");
    }
    keys.push_back(std::move(entry));
  }
  std::sort(keys.begin(), keys.end(),
            [](const KeyEntry& a, const KeyEntry& b) { return a.key < b.key; });

  lua_createtable(L, static_cast<int>(std::min<std::size_t>(keys.size(), 1u << 20)), 0);
  lua_Integer i = 0;
  for (const KeyEntry& entry : keys) {
    if (entry.is_integer) {
      lua_pushinteger(L, entry.integer);
    } else if (const double* d = std::get_if<double>(&entry.key)) {
      lua_pushnumber(L, *d);
    } else if (const std::string* s = std::get_if<std::string>(&entry.key)) {
      lua_pushlstring(L, s->data(), s->size());
    } else {
      lua_pushboolean(L, std::get<bool>(entry.key) ? 1 : 0);
    }
    lua_rawseti(L, -2, ++i);
  }
  // upvalues: the data table, the sorted keys, the position reached
  lua_pushvalue(L, data);
  lua_insert(L, -2);
  lua_pushinteger(L, 0);
  lua_pushcclosure(L, sorted_next, 3);
  return 1;
}

int format_body(lua_State* L) {
  std::string text = format_number(static_cast<double>(luaL_checknumber(L, 1)));
  lua_pushlstring(L, text.data(), text.size());
  return 1;
}

// vitals.figure(value, indicator): the figure as reports show it, with the
// indicator's decimals and unit ("2.0%"); `indicator` is ctx.indicator or a
// table with `unit` and `decimals`. Upvalue: the state's call state
// (push_call_state).
int figure_body(lua_State* L) {
  const auto value = static_cast<double>(luaL_checknumber(L, 1));
  luaL_checktype(L, 2, LUA_TTABLE);
  // The rules pass ctx.indicator: its unit and decimals are read from the
  // indicator itself, as the view would show them, without a look-up.
  if (const IndicatorDefinition* indicator = viewed_indicator(L, 2, lua_upvalueindex(1))) {
    const int decimals = shown_decimals(indicator->unit, indicator->decimals);
    if (decimals >= 0 && decimals <= kMaxDecimals) {
      std::string text = format_figure(value, indicator->unit, decimals);
      lua_pushlstring(L, text.data(), text.size());
      return 1;
    }
  }
  lua_getfield(L, 2, "unit");
  const char* unit_text = lua_tostring(L, -1);
  const std::string unit_given = unit_text != nullptr ? unit_text : "";
  lua_pop(L, 1);
  Unit unit = Unit::kNumber;
  bool known = false;
  for (Unit u : {Unit::kPercent, Unit::kPer100k, Unit::kCount, Unit::kCurrency, Unit::kNumber}) {
    if (unit_given == unit_name(u)) {
      unit = u;
      known = true;
    }
  }
  if (!known) {
    throw std::invalid_argument("vitals.figure: the indicator's unit must be \"percent\", "
                                "\"per_100k\", \"count\", \"currency\" or \"number\", got \"" +
                                unit_given + "\"");
  }
  std::optional<int> decimals;
  if (lua_getfield(L, 2, "decimals") != LUA_TNIL) {
    int is_integer = 0;
    const lua_Integer d = lua_tointegerx(L, -1, &is_integer);
    if (is_integer == 0 || d < 0 || d > kMaxDecimals) {
      throw std::invalid_argument("vitals.figure: decimals must be an integer from 0 to " +
                                  std::to_string(kMaxDecimals));
    }
    decimals = static_cast<int>(d);
  }
  lua_pop(L, 1);
  std::string text = format_figure(value, unit, shown_decimals(unit, decimals));
  lua_pushlstring(L, text.data(), text.size());
  return 1;
}

int format_pct_body(lua_State* L) {
  std::string text = format_percent(static_cast<double>(luaL_checknumber(L, 1)));
  lua_pushlstring(L, text.data(), text.size());
  return 1;
}

Polarity check_polarity(lua_State* L, int index, const char* function) {
  std::string_view text = luaL_checkstring(L, index);
  if (text == "bigger") return Polarity::kBiggerIsBetter;
  if (text == "smaller") return Polarity::kSmallerIsBetter;
  throw std::invalid_argument(std::string(function) +
                              ": polarity must be \"bigger\" or \"smaller\", got \"" +
                              std::string(text) + "\"");
}

int is_worse_body(lua_State* L) {
  auto new_value = static_cast<double>(luaL_checknumber(L, 1));
  auto old_value = static_cast<double>(luaL_checknumber(L, 2));
  Polarity polarity = check_polarity(L, 3, "vitals.is_worse");
  lua_pushboolean(L, is_worse(new_value, old_value, polarity) ? 1 : 0);
  return 1;
}

int period_word_body(lua_State* L) {
  std::string_view frequency = luaL_checkstring(L, 1);
  lua_Integer n = luaL_optinteger(L, 2, 1);
  Result<Frequency> parsed = parse_frequency(frequency);
  if (!parsed.ok()) throw std::invalid_argument("vitals.period_word: " + parsed.status().message());
  std::string word;
  switch (*parsed) {
    case Frequency::kMonthly:
      word = "month";
      break;
    case Frequency::kQuarterly:
    case Frequency::kFinancialQuarterly:
      word = "quarter";
      break;
    case Frequency::kAnnual:
    case Frequency::kFinancialYear:
      word = "year";
      break;
  }
  if (n != 1 && n != -1) word += 's';
  lua_pushlstring(L, word.data(), word.size());
  return 1;
}

int next_period_body(lua_State* L) {
  Period period = parse_period_arg(L, 1, "vitals.next_period");
  lua_Integer n = luaL_optinteger(L, 2, 1);
  luaL_argcheck(L, n >= -100000 && n <= 100000, 2, "step too large");
  std::string text = period.shifted(static_cast<int>(n)).to_string();
  lua_pushlstring(L, text.data(), text.size());
  return 1;
}

int periods_between_body(lua_State* L) {
  Period from = parse_period_arg(L, 1, "vitals.periods_between");
  Period to = parse_period_arg(L, 2, "vitals.periods_between");
  if (from.frequency() != to.frequency()) {
    throw std::invalid_argument("vitals.periods_between: " + from.to_string() + " and " +
                                to.to_string() + " are periods of different lengths");
  }
  lua_pushinteger(L, to.steps_since(from));
  return 1;
}

int period_label_body(lua_State* L) {
  std::string text = parse_period_arg(L, 1, "vitals.period_label").label();
  lua_pushlstring(L, text.data(), text.size());
  return 1;
}

struct HostFunction {
  const char* name;
  lua_CFunction function;
};

constexpr HostFunction kHostFunctions[] = {
    {"log", guarded<log_body>},
    {"sorted_pairs", guarded<sorted_pairs_body>},
    {"format", guarded<format_body>},
    {"format_pct", guarded<format_pct_body>},
    {"figure", guarded<figure_body>},
    {"is_worse", guarded<is_worse_body>},
    {"period_word", guarded<period_word_body>},
    {"next_period", guarded<next_period_body>},
    {"periods_between", guarded<periods_between_body>},
    {"period_label", guarded<period_label_body>},
};

}  // namespace

void install_host_functions(lua_State* L) {
  lua_createtable(L, 0, static_cast<int>(std::size(kHostFunctions)));
  for (const HostFunction& f : kHostFunctions) {
    if (f.function == guarded<figure_body>) {
      // vitals.figure knows ctx.indicator's view by the call state it holds.
      push_call_state(L);
      lua_pushcclosure(L, f.function, 1);
    } else {
      lua_pushcfunction(L, f.function);
    }
    lua_setfield(L, -2, f.name);
  }
  lua_setglobal(L, "vitals");
  lua_pushcfunction(L, guarded<log_body>);
  lua_setglobal(L, "print");
}

}  // namespace vitals::detail
