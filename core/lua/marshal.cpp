// SPDX-License-Identifier: Apache-2.0
#include "lua/marshal.hpp"

#include <vitals/period.hpp>

#include <map>
#include <set>
#include <string>

namespace vitals::detail {

namespace {

constexpr const char* kPathField = "vitals_path";

// Pushes "file:line: " of the innermost Lua function on the stack, so a
// write through table.insert is reported at the rule's line, not in C.
void push_script_where(lua_State* L) {
  lua_Debug ar;
  for (int level = 1; lua_getstack(L, level, &ar) != 0; ++level) {
    lua_getinfo(L, "Sl", &ar);
    if (ar.currentline > 0) {
      lua_pushfstring(L, "%s:%d: ", ar.short_src, ar.currentline);
      return;
    }
  }
  lua_pushliteral(L, "");
}

int read_only_newindex(lua_State* L) {
  lua_getmetatable(L, 1);
  lua_getfield(L, -1, kPathField);
  const char* path = lua_tostring(L, -1);
  push_script_where(L);
  switch (lua_type(L, 2)) {
    case LUA_TSTRING:
      lua_pushfstring(L, "%s is read-only (cannot set '%s')", path, lua_tostring(L, 2));
      break;
    case LUA_TNUMBER:
      if (lua_isinteger(L, 2)) {
        lua_pushfstring(L, "%s is read-only (cannot set [%I])", path, lua_tointeger(L, 2));
      } else {
        lua_pushfstring(L, "%s is read-only (cannot set [%f])", path, lua_tonumber(L, 2));
      }
      break;
    default:
      lua_pushfstring(L, "%s is read-only", path);
      break;
  }
  lua_concat(L, 2);
  return lua_error(L);
}

int read_only_len(lua_State* L) {
  lua_getmetatable(L, 1);
  lua_getfield(L, -1, "__index");
  lua_pushinteger(L, static_cast<lua_Integer>(lua_rawlen(L, -1)));
  return 1;
}

int raw_next(lua_State* L) {
  luaL_checktype(L, 1, LUA_TTABLE);
  lua_settop(L, 2);
  if (lua_next(L, 1) != 0) return 2;
  lua_pushnil(L);
  return 1;
}

int read_only_pairs(lua_State* L) {
  lua_pushcfunction(L, raw_next);
  lua_getmetatable(L, 1);
  lua_getfield(L, -1, "__index");
  lua_remove(L, -2);
  lua_pushnil(L);
  return 3;
}

void set_string(lua_State* L, const char* key, std::string_view value, std::size_t cap) {
  push_capped_string(L, value, cap);
  lua_setfield(L, -2, key);
}

void set_number(lua_State* L, const char* key, const std::optional<double>& value) {
  if (!value) return;
  lua_pushnumber(L, static_cast<lua_Number>(*value));
  lua_setfield(L, -2, key);
}

void push_string_list(lua_State* L, const std::vector<std::string>& items, const std::string& path,
                      std::size_t cap) {
  lua_createtable(L, static_cast<int>(items.size()), 0);
  lua_Integer i = 0;
  for (const std::string& item : items) {
    push_capped_string(L, item, cap);
    lua_rawseti(L, -2, ++i);
  }
  make_read_only(L, path);
}

void push_point(lua_State* L, const SeriesPoint& point, const std::string& path) {
  lua_createtable(L, 0, 8);
  std::string period = point.period.to_string();
  std::string label = point.period.label();
  lua_pushlstring(L, period.data(), period.size());
  lua_setfield(L, -2, "period");
  lua_pushlstring(L, label.data(), label.size());
  lua_setfield(L, -2, "label");
  set_number(L, "value", point.value);
  set_number(L, "numerator", point.numerator);
  set_number(L, "denominator", point.denominator);
  set_number(L, "target", point.target);
  set_number(L, "variance_pct", point.variance_pct);
  lua_pushstring(L, rag_name(point.rag));
  lua_setfield(L, -2, "rag");
  make_read_only(L, path);
}

void push_param(lua_State* L, const ParamValue& value, std::size_t cap) {
  if (const bool* b = std::get_if<bool>(&value)) {
    lua_pushboolean(L, *b ? 1 : 0);
  } else if (const std::int64_t* i = std::get_if<std::int64_t>(&value)) {
    lua_pushinteger(L, static_cast<lua_Integer>(*i));
  } else if (const double* d = std::get_if<double>(&value)) {
    lua_pushnumber(L, static_cast<lua_Number>(*d));
  } else {
    push_capped_string(L, std::get<std::string>(value), cap);
  }
}

std::string type_of(lua_State* L, int index) { return luaL_typename(L, index); }

}  // namespace

void make_read_only(lua_State* L, std::string_view path) {
  lua_createtable(L, 0, 0);  // the view
  lua_createtable(L, 0, 6);  // its metatable
  lua_pushvalue(L, -3);
  lua_setfield(L, -2, "__index");
  lua_pushcfunction(L, read_only_newindex);
  lua_setfield(L, -2, "__newindex");
  lua_pushcfunction(L, read_only_len);
  lua_setfield(L, -2, "__len");
  lua_pushcfunction(L, read_only_pairs);
  lua_setfield(L, -2, "__pairs");
  lua_pushliteral(L, "read-only");
  lua_setfield(L, -2, "__metatable");
  lua_pushlstring(L, path.data(), path.size());
  lua_setfield(L, -2, kPathField);
  lua_setmetatable(L, -2);
  lua_replace(L, -2);
}

bool push_view_data(lua_State* L, int index) {
  index = lua_absindex(L, index);
  if (lua_type(L, index) != LUA_TTABLE || lua_getmetatable(L, index) == 0) return false;
  lua_getfield(L, -1, "__newindex");
  bool is_view = lua_tocfunction(L, -1) == read_only_newindex;
  lua_pop(L, 1);
  if (!is_view) {
    lua_pop(L, 1);
    return false;
  }
  lua_getfield(L, -1, "__index");
  lua_remove(L, -2);
  return true;
}

void push_capped_string(lua_State* L, std::string_view text, std::size_t max_bytes) {
  if (text.size() > max_bytes) {
    std::size_t cut = max_bytes;
    while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;
    text = text.substr(0, cut);
  }
  lua_pushlstring(L, text.data(), text.size());
}

void push_indicator(lua_State* L, const IndicatorDefinition& indicator, std::string_view path,
                    std::size_t max_string_bytes) {
  const std::size_t cap = max_string_bytes;
  const std::string base(path);
  lua_createtable(L, 0, 14);
  set_string(L, "id", indicator.id, cap);
  set_string(L, "title", indicator.title, cap);
  set_string(L, "description", indicator.description, cap);
  set_string(L, "polarity", polarity_name(indicator.polarity), cap);
  set_string(L, "unit", unit_name(indicator.unit), cap);
  set_string(L, "frequency", frequency_name(indicator.frequency), cap);
  set_string(L, "lead_officer", indicator.lead_officer, cap);
  set_string(L, "data_owner", indicator.data_owner, cap);
  push_string_list(L, indicator.budget_lines, base + ".budget_lines", cap);
  lua_setfield(L, -2, "budget_lines");
  push_string_list(L, indicator.risks, base + ".risks", cap);
  lua_setfield(L, -2, "risks");
  lua_pushinteger(L, indicator.allowed_lag);
  lua_setfield(L, -2, "allowed_lag");
  lua_createtable(L, 0, 2);
  lua_pushnumber(L, indicator.tolerance.red_variance_pct);
  lua_setfield(L, -2, "red_variance_pct");
  lua_pushnumber(L, indicator.tolerance.amber_variance_pct);
  lua_setfield(L, -2, "amber_variance_pct");
  make_read_only(L, base + ".tolerance");
  lua_setfield(L, -2, "tolerance");
  make_read_only(L, base);
}

void push_context(lua_State* L, const RuleInput& input,
                  const std::map<std::string, ParamValue>& params, std::size_t max_string_bytes) {
  lua_createtable(L, 0, 7);
  std::string period = input.period.to_string();
  std::string label = input.period.label();
  lua_pushlstring(L, period.data(), period.size());
  lua_setfield(L, -2, "period");
  lua_pushlstring(L, label.data(), label.size());
  lua_setfield(L, -2, "period_label");
  push_indicator(L, *input.indicator, "ctx.indicator", max_string_bytes);
  lua_setfield(L, -2, "indicator");

  lua_createtable(L, 0, static_cast<int>(params.size()));
  for (const auto& [name, value] : params) {
    push_param(L, value, max_string_bytes);
    lua_setfield(L, -2, name.c_str());
  }
  make_read_only(L, "ctx.params");
  lua_setfield(L, -2, "params");

  lua_createtable(L, static_cast<int>(input.series.size()), 0);
  lua_Integer i = 0;
  for (const SeriesPoint& point : input.series) {
    ++i;
    push_point(L, point, "ctx.series[" + std::to_string(i) + "]");
    lua_rawseti(L, -2, i);
  }
  if (i > 0) {
    // ctx.latest is the same table as the last point of ctx.series.
    lua_rawgeti(L, -1, i);
    lua_setfield(L, -3, "latest");
  }
  make_read_only(L, "ctx.series");
  lua_setfield(L, -2, "series");

  lua_pushstring(L, data_state_name(input.data_state));
  lua_setfield(L, -2, "data_state");
  make_read_only(L, "ctx");
}

std::string read_outcome(lua_State* L, int index, RuleOutcome& outcome) {
  index = lua_absindex(L, index);
  if (lua_type(L, index) != LUA_TTABLE) {
    return "evaluate must return a table such as { status = \"ok\", message = \"...\" }, not a " +
           type_of(L, index);
  }
  // Table order varies from run to run; report the first problem by name.
  std::set<std::string> unknown;
  lua_pushnil(L);
  while (lua_next(L, index) != 0) {
    lua_pop(L, 1);
    if (lua_type(L, -1) != LUA_TSTRING) {
      return "the result of evaluate has an unnamed entry; use status = ..., message = ... and "
             "evidence = { ... }";
    }
    std::string key = lua_tostring(L, -1);
    if (key != "status" && key != "message" && key != "evidence") unknown.insert(key);
  }
  if (!unknown.empty()) {
    return "the result of evaluate has an unknown field '" + *unknown.begin() +
           "' (expected status, message and evidence)";
  }

  lua_pushliteral(L, "status");
  lua_rawget(L, index);
  if (lua_type(L, -1) != LUA_TSTRING) {
    return "the result of evaluate needs status = \"exception\", \"ok\" or \"insufficient_data\", "
           "not a " +
           type_of(L, -1);
  }
  std::string status = lua_tostring(L, -1);
  lua_pop(L, 1);
  if (status == "exception") {
    outcome.status = RuleOutcome::Status::kException;
  } else if (status == "ok") {
    outcome.status = RuleOutcome::Status::kOk;
  } else if (status == "insufficient_data") {
    outcome.status = RuleOutcome::Status::kInsufficientData;
  } else {
    return "the result of evaluate has status \"" + status +
           "\"; expected \"exception\", \"ok\" or \"insufficient_data\"";
  }

  lua_pushliteral(L, "message");
  lua_rawget(L, index);
  if (lua_type(L, -1) != LUA_TSTRING) {
    return "the result of evaluate needs message = \"...\" (text), not a " + type_of(L, -1);
  }
  std::size_t len = 0;
  const char* message = lua_tolstring(L, -1, &len);
  outcome.message.assign(message, len);
  lua_pop(L, 1);

  outcome.evidence.clear();
  lua_pushliteral(L, "evidence");
  lua_rawget(L, index);
  if (lua_type(L, -1) == LUA_TNIL) return {};
  if (lua_type(L, -1) != LUA_TTABLE) {
    return "the evidence of the result must be a table, not a " + type_of(L, -1);
  }
  // evidence = ctx.latest is allowed: read the table the view shows, still raw.
  push_view_data(L, -1);
  int evidence = lua_gettop(L);
  std::map<std::string, std::string> bad;  // key -> type, sorted for a stable message
  lua_pushnil(L);
  while (lua_next(L, evidence) != 0) {
    if (lua_type(L, -2) != LUA_TSTRING) {
      return "evidence keys must be names (evidence = { value = 3.5 }), found a " + type_of(L, -2) +
             " key";
    }
    std::string key = lua_tostring(L, -2);
    switch (lua_type(L, -1)) {
      case LUA_TNUMBER:
        outcome.evidence[key] = static_cast<double>(lua_tonumber(L, -1));
        break;
      case LUA_TBOOLEAN:
        outcome.evidence[key] = lua_toboolean(L, -1) != 0;
        break;
      case LUA_TSTRING: {
        const char* text = lua_tolstring(L, -1, &len);
        outcome.evidence[key] = std::string(text, len);
        break;
      }
      default:
        bad.emplace(key, type_of(L, -1));
        break;
    }
    lua_pop(L, 1);
  }
  if (!bad.empty()) {
    outcome.evidence.clear();
    return "evidence '" + bad.begin()->first + "' must be a number, text or true/false, not a " +
           bad.begin()->second;
  }
  return {};
}

}  // namespace vitals::detail
