// SPDX-License-Identifier: Apache-2.0
#include "lua/marshal.hpp"

#include "lua/marshal_links.hpp"

#include "common/user_text.hpp"

#include <vitals/period.hpp>

#include <cstdint>
#include <algorithm>
#include <iterator>
#include <map>
#include <new>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

namespace vitals::detail {

namespace {

constexpr const char* kPathField = "vitals_path";
constexpr const char* kIndexField = "vitals_index";  // for a point: its index in the series

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
  const int metatable = lua_gettop(L);
  lua_getfield(L, metatable, kPathField);
  if (lua_getfield(L, metatable, kIndexField) == LUA_TNUMBER) {
    lua_pushfstring(L, "%s[%I]", lua_tostring(L, -2), lua_tointeger(L, -1));
  } else {
    lua_pop(L, 1);
  }
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

void push_string_list(lua_State* L, const std::vector<std::string>& items, std::string_view path,
                      std::size_t cap) {
  lua_createtable(L, static_cast<int>(items.size()), 0);
  lua_Integer i = 0;
  for (const std::string& item : items) {
    push_capped_string(L, item, cap);
    lua_rawseti(L, -2, ++i);
  }
  make_read_only(L, path);
}

// Pushes the table the registry holds under `key`, made (with room for
// `array` and `hash` entries) on first use.
void push_registry_table(lua_State* L, const void* key, int array, int hash) {
  if (lua_rawgetp(L, LUA_REGISTRYINDEX, key) == LUA_TTABLE) return;
  lua_pop(L, 1);
  lua_createtable(L, array, hash);
  lua_pushvalue(L, -1);
  lua_rawsetp(L, LUA_REGISTRYINDEX, key);
}

// Periods whose text a state keeps: a few hundred in practice (ten years of
// months); beyond this they are made on every read.
constexpr lua_Integer kMaxPeriodTexts = 4096;

// Pushes the text of `period` ("2017-03") and then its label ("Mar 2017"),
// made once per Lua state and kept in the table at index `texts`: the points
// of every indicator share the same few periods.
void push_period_texts(lua_State* L, int texts, const Period& period) {
  // Slot 0 counts the periods kept; a period's text and label are at 2c+1 and 2c+2.
  const lua_Integer code = 2 * (static_cast<lua_Integer>(period.last_month_index()) * 8 +
                                static_cast<lua_Integer>(period.frequency())) + 1;
  if (lua_rawgeti(L, texts, code) == LUA_TSTRING) {
    lua_rawgeti(L, texts, code + 1);
    return;
  }
  lua_pop(L, 1);
  const std::string text = period.to_string();
  const std::string label = period.label();
  lua_pushlstring(L, text.data(), text.size());
  lua_pushlstring(L, label.data(), label.size());
  lua_rawgeti(L, texts, 0);
  const lua_Integer kept = lua_tointeger(L, -1);
  lua_pop(L, 1);
  if (kept < kMaxPeriodTexts && code > 0) {
    lua_pushvalue(L, -2);
    lua_rawseti(L, texts, code);
    lua_pushvalue(L, -1);
    lua_rawseti(L, texts, code + 1);
    lua_pushinteger(L, kept + 1);
    lua_rawseti(L, texts, 0);
  }
}

constexpr const char* kPointKeys[] = {"period", "label",  "value",        "numerator",
                                      "denominator", "target", "variance_pct", "rag"};
// The point kit: what filling a point needs, in one table so that a point
// costs one registry look-up. Slots 1 to 8 hold the names of a point's
// fields (kPointKeys), then:
constexpr lua_Integer kKitPool = 9;     // the pool of point views (see push_point)
constexpr lua_Integer kKitPeriods = 10;  // period texts (push_period_texts)

// Fills the new point kit on top of the stack.
void fill_point_kit(lua_State* L) {
  const int kit = lua_gettop(L);
  lua_Integer i = 0;
  for (const char* key : kPointKeys) {
    lua_pushstring(L, key);
    lua_rawseti(L, kit, ++i);
  }
  lua_createtable(L, 48, 0);
  lua_rawseti(L, kit, kKitPool);
  lua_createtable(L, 0, 256);
  lua_rawseti(L, kit, kKitPeriods);
}

// Sets every field of the point data table on top of the stack (to nil for
// a figure it lacks: the table may be a reused one). The field names come
// from the point kit at index `kit`, cheaper than lua_setfield's lookup of
// a C string eight times a point.
void fill_point(lua_State* L, int kit, const SeriesPoint& point) {
  const int data = lua_gettop(L);
  lua_rawgeti(L, kit, kKitPeriods);
  push_period_texts(L, data + 1, point.period);  // texts, text, label
  lua_rawgeti(L, kit, 2);
  lua_insert(L, -2);
  lua_rawset(L, data);
  lua_rawgeti(L, kit, 1);
  lua_insert(L, -2);
  lua_rawset(L, data);
  lua_pop(L, 1);
  lua_Integer field = 2;
  for (const std::optional<double>* figure : {&point.value, &point.numerator, &point.denominator,
                                              &point.target, &point.variance_pct}) {
    lua_rawgeti(L, kit, ++field);
    if (*figure) {
      lua_pushnumber(L, static_cast<lua_Number>(**figure));
    } else {
      lua_pushnil(L);
    }
    lua_rawset(L, data);
  }
  lua_rawgeti(L, kit, 8);
  lua_pushstring(L, rag_name(point.rag));
  lua_rawset(L, data);
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

char kParamsKey;  // its address keys this state's ctx.params tables in the registry
// Distinct parameter sets a state keeps (catalogues repeat a few); beyond
// this a new table is made for each call.
constexpr lua_Integer kMaxParamTables = 1024;

// Pushes a read-only ctx.params holding `params`. The tables are kept per
// Lua state by content, as the shared empty one is: indicators with the same
// parameters share one, so a call makes none.
void push_params(lua_State* L, const std::map<std::string, ParamValue>& params, std::size_t cap) {
  // The content as bytes: name, NUL, type, value, for each parameter.
  std::string key;
  for (const auto& [name, value] : params) {
    key.append(name).push_back('\0');
    key.push_back(static_cast<char>('0' + value.index()));
    if (const bool* b = std::get_if<bool>(&value)) {
      key.push_back(*b ? '1' : '0');
    } else if (const std::int64_t* i = std::get_if<std::int64_t>(&value)) {
      key.append(reinterpret_cast<const char*>(i), sizeof *i);
    } else if (const double* d = std::get_if<double>(&value)) {
      key.append(reinterpret_cast<const char*>(d), sizeof *d);
    } else {
      const std::string& text = std::get<std::string>(value);
      const std::size_t size = text.size();
      key.append(reinterpret_cast<const char*>(&size), sizeof size).append(text);
    }
  }
  push_registry_table(L, &kParamsKey, 0, 8);
  const int kept = lua_gettop(L);
  lua_pushlstring(L, key.data(), key.size());
  if (lua_rawget(L, kept) == LUA_TTABLE) {
    lua_remove(L, kept);
    return;
  }
  lua_pop(L, 1);
  lua_createtable(L, 0, static_cast<int>(params.size()));
  for (const auto& [name, value] : params) {
    push_param(L, value, cap);
    lua_setfield(L, -2, name.c_str());
  }
  make_read_only(L, "ctx.params");
  // Slot 1 counts the tables kept (the other keys are strings).
  lua_rawgeti(L, kept, 1);
  const lua_Integer count = lua_tointeger(L, -1);
  lua_pop(L, 1);
  if (count < kMaxParamTables) {
    lua_pushlstring(L, key.data(), key.size());
    lua_pushvalue(L, -2);
    lua_rawset(L, kept);
    lua_pushinteger(L, count + 1);
    lua_rawseti(L, kept, 1);
  }
  lua_remove(L, kept);
}

}  // namespace

void make_read_only(lua_State* L, std::string_view path, lua_Integer index) {
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
  if (index > 0) {
    lua_pushinteger(L, index);
    lua_setfield(L, -2, kIndexField);
  }
  lua_setmetatable(L, -2);
  lua_replace(L, -2);
}

void push_capped_string(lua_State* L, std::string_view text, std::size_t max_bytes) {
  text = text.substr(0, utf8_prefix_length(text, max_bytes));
  lua_pushlstring(L, text.data(), text.size());
}

namespace {

// ---------------------------------------------------------------------------
// Lazily filled views. Building a whole ctx per call (a ten-year monthly
// series is 120 point tables) costs far more than most rules read: the
// shipped rules look at the latest few points. So ctx, ctx.indicator and
// ctx.series are views whose data table is filled on first read of each key.
//
//   view (empty) --metatable--> { __index = data, __newindex = refuse,
//                                 __len, __pairs, vitals_fill, ... }
//   data (filled so far) --metatable--> { __index = fill one key }
//
// Reads of filled keys take Lua's fast path (a table __index); a miss calls
// into C once and stores the result, so every later read sees the same
// table. pairs() and vitals.sorted_pairs fill everything first.
//
// The views and their data tables are made once per Lua state and reused:
// each call empties the data tables, so a view shows the current call's
// indicator (a view a rule kept from an earlier call shows the current one
// too), and a call allocates only what its rule reads.

// Per Lua state: what the current call reads.
struct LiveCall {
  const RuleInput* input = nullptr;
  const IndicatorDefinition* indicator = nullptr;
  const std::map<std::string, ParamValue>* params = nullptr;
  std::size_t cap = 0;
  std::size_t points_used = 0;  // point views handed out in this call
  unsigned filled = 0;          // a bit per Lazy kind whose data table holds keys
  // The indices of ctx.series filled in this call, to empty just those;
  // past kMaxSeriesKeys the series' data table is replaced instead.
  static constexpr std::size_t kMaxSeriesKeys = 16;
  lua_Integer series_keys[kMaxSeriesKeys];
  std::size_t series_key_count = 0;
  // The same for the fields of ctx.indicator ([0]) and of applies_to's
  // indicator ([1]): a field's name is read from the key the data table
  // holds, so it stays valid until the key is removed.
  struct NamedKeys {
    static constexpr std::size_t kMax = 16;
    const char* names[kMax];
    std::size_t sizes[kMax];
    std::size_t count = 0;
  };
  NamedKeys indicator_keys[2];
  // The views of ctx.indicator ([0]) and of applies_to's indicator ([1]),
  // once made: viewed_indicator() recognises them by address.
  const void* indicator_views[2] = {nullptr, nullptr};
  // The keys of ctx's data table the last call filled that the next must
  // empty: a bit per kContextLatest, kContextLinks, kContextComparators.
  unsigned context_keys = 0;
  // Registry references (luaL_ref: an array slot, cheaper to reach than a
  // key) of this state's table of reused views and of its point kit.
  int views_ref = LUA_NOREF;
  int kit_ref = LUA_NOREF;
  bool has_period = false;      // whether ctx holds `period` and its label
  // Whether ctx.params is the rule's defaults (push_context's params_are_defaults).
  bool ctx_has_defaults = false;
  // The data state ctx.data_state shows; none before the first call.
  std::optional<DataState> data_state;
  Period period;
};

constexpr unsigned kContextLatest = 1;       // ctx.latest
constexpr unsigned kContextLinks = 2;        // ctx.budget_lines and ctx.risks
constexpr unsigned kContextComparators = 4;  // ctx.comparators

char kLiveCallKey;  // its address keys the LiveCall userdata in the registry

// kIndicatorArg is the indicator applies_to receives: ctx.indicator under
// another name.
enum class Lazy : lua_Integer { kContext, kIndicator, kSeries, kIndicatorArg };
constexpr const char* kViewPaths[] = {"ctx", "ctx.indicator", "ctx.series", "indicator"};
constexpr lua_Integer kViewKinds = 4;
// After the views and their data: shared empty read-only tables, for the
// parameters and link lists most indicators do not have.
constexpr lua_Integer kNoParamsSlot = 2 * kViewKinds + 1;  // ctx.params
// indicator.budget_lines and indicator.risks (then ctx.indicator's) follow it.
constexpr lua_Integer kEmptyListSlots = kNoParamsSlot + 1;
constexpr lua_Integer kSharedSlots = kEmptyListSlots + 3;

// Pushes this state's LiveCall userdata (made on first use) and returns it.
LiveCall& push_live_call(lua_State* L) {
  if (lua_rawgetp(L, LUA_REGISTRYINDEX, &kLiveCallKey) == LUA_TUSERDATA) {
    return *static_cast<LiveCall*>(lua_touserdata(L, -1));
  }
  lua_pop(L, 1);
  auto* live = static_cast<LiveCall*>(lua_newuserdatauv(L, sizeof(LiveCall), 0));
  new (live) LiveCall();  // trivially destructible: no __gc needed
  lua_pushvalue(L, -1);
  lua_rawsetp(L, LUA_REGISTRYINDEX, &kLiveCallKey);
  return *live;
}

// Pushes the table the registry holds at reference `ref`; when there is none
// yet, makes one (with room for `array` and `hash` entries, then filled by
// `fill` when given) and sets `ref`.
void push_referenced_table(lua_State* L, int& ref, int array, int hash,
                           void (*fill)(lua_State*) = nullptr) {
  if (ref != LUA_NOREF) {
    lua_rawgeti(L, LUA_REGISTRYINDEX, ref);
    return;
  }
  lua_createtable(L, array, hash);
  if (fill != nullptr) fill(L);
  lua_pushvalue(L, -1);
  ref = luaL_ref(L, LUA_REGISTRYINDEX);
}

void forget_call(lua_State* L, LiveCall& live, bool latest_follows);

// Starts a call: the views show `input` / `indicator` from now on.
LiveCall& begin_call(lua_State* L, const RuleInput* input, const IndicatorDefinition* indicator,
                     const std::map<std::string, ParamValue>* params, std::size_t cap) {
  LiveCall& live = push_live_call(L);
  lua_pop(L, 1);
  forget_call(L, live, input != nullptr && input->series_size() > 0);
  live.input = input;
  live.indicator = indicator;
  live.params = params;
  live.cap = cap;
  live.points_used = 0;
  return live;
}

Lazy lazy_kind(lua_State* L) { return static_cast<Lazy>(lua_tointeger(L, lua_upvalueindex(2))); }

std::string lazy_path(lua_State* L) { return lua_tostring(L, lua_upvalueindex(3)); }

// The LiveCall of a lazy closure (upvalues: LiveCall, kind, path), or a Lua
// error naming the view when the current call has no data for it (ctx kept
// from evaluate and read in applies_to).
LiveCall& live_for(lua_State* L) {
  auto* live = static_cast<LiveCall*>(lua_touserdata(L, lua_upvalueindex(1)));
  const Lazy kind = lazy_kind(L);
  const bool has_data = kind == Lazy::kIndicator || kind == Lazy::kIndicatorArg
                            ? live->indicator != nullptr
                            : live->input != nullptr;
  if (!has_data) {
    push_script_where(L);
    lua_pushfstring(L, "%s can only be read during evaluate", lua_tostring(L, lua_upvalueindex(3)));
    lua_concat(L, 2);
    lua_error(L);
  }
  return *live;
}

void push_view(lua_State* L, LiveCall& live, Lazy kind);
void push_shared_empty(lua_State* L, LiveCall& live, lua_Integer slot, const char* path);

// The paths of indicator.budget_lines, indicator.risks and ctx.indicator's, in
// the order of their kEmptyListSlots.
constexpr const char* kListPaths[] = {"indicator.budget_lines", "indicator.risks",
                                      "ctx.indicator.budget_lines", "ctx.indicator.risks"};

constexpr const char* kContextKeys[] = {"indicator", "series",      "latest",
                                        "budget_lines", "risks", "comparators"};

// Sets t[key] = value on the table on top of the stack when there is a value.
template <typename T>
void set_number(lua_State* L, const char* key, const std::optional<T>& value) {
  if (!value) return;
  if constexpr (std::is_integral_v<T>) {
    lua_pushinteger(L, *value);
  } else {
    lua_pushnumber(L, *value);
  }
  lua_setfield(L, -2, key);
}

// Pushes ctx.comparators: the council's figure, rank and quartile and one
// table per comparator (england, region, family_group; peers a list), read-only.
void push_comparators(lua_State* L, const IndicatorComparators& c, std::size_t cap) {
  lua_createtable(L, 0, 10);
  push_capped_string(L, c.measure, cap);
  lua_setfield(L, -2, "measure");
  push_capped_string(L, c.period, cap);
  lua_setfield(L, -2, "period");
  set_number(L, "council", c.council_value);
  set_number(L, "rank", c.rank);
  set_number(L, "ranked", std::optional<int>(c.ranked));
  set_number(L, "quartile", c.quartile);
  lua_createtable(L, 0, 0);  // peers
  lua_Integer peers = 0;
  for (const ComparatorFigure& f : c.figures) {
    lua_createtable(L, 0, 6);
    push_capped_string(L, f.name, cap);
    lua_setfield(L, -2, "name");
    push_capped_string(L, f.code, cap);
    lua_setfield(L, -2, "code");
    set_number(L, "value", f.value);
    set_number(L, "numerator", f.numerator);
    set_number(L, "denominator", f.denominator);
    set_number(L, "councils", std::optional<int>(f.councils));
    if (f.kind == "peer") {
      make_read_only(L, "ctx.comparators.peers", peers + 1);
      lua_rawseti(L, -2, ++peers);
    } else {
      make_read_only(L, "ctx.comparators." + f.kind);
      lua_setfield(L, -3, f.kind.c_str());
    }
  }
  make_read_only(L, "ctx.comparators.peers");
  lua_setfield(L, -2, "peers");
  make_read_only(L, "ctx.comparators");
}
constexpr const char* kIndicatorKeys[] = {"id",           "title",        "description",
                                          "polarity",     "unit",         "frequency",
                                          "lead_officer", "data_owner",   "budget_lines",
                                          "risks",        "allowed_lag",  "tolerance",
                                          "cost_driver_line", "decimals"};

// Pushes a read-only view of `point`, the `index`th of ctx.series. Point
// views are reused like ctx's: each call takes them in turn from the state's
// pool (made as needed, as many as the most points one call has read) and
// refills them, so reading a point costs no new tables.
void push_point(lua_State* L, LiveCall& live, const SeriesPoint& point, lua_Integer index) {
  push_referenced_table(L, live.kit_ref, static_cast<int>(kKitPeriods), 0, fill_point_kit);
  const int kit = lua_gettop(L);
  lua_rawgeti(L, kit, kKitPool);
  const int pool = kit + 1;
  // A pooled point is three slots: its view, its data table and the view's
  // metatable (which names the point's index in messages).
  const auto slot = 3 * static_cast<lua_Integer>(live.points_used++);
  if (lua_rawgeti(L, pool, slot + 1) == LUA_TTABLE) {
    lua_rawgeti(L, pool, slot + 3);
    lua_pushinteger(L, index);
    lua_setfield(L, -2, kIndexField);
    lua_pop(L, 1);
    lua_rawgeti(L, pool, slot + 2);
  } else {
    lua_pop(L, 1);
    lua_createtable(L, 0, 8);  // the data
    lua_pushvalue(L, -1);
    lua_rawseti(L, pool, slot + 2);
    lua_pushvalue(L, -1);
    make_read_only(L, "ctx.series", index);  // data, view
    lua_pushvalue(L, -1);
    lua_rawseti(L, pool, slot + 1);
    lua_getmetatable(L, -1);  // the view's own metatable (lua_getmetatable ignores __metatable)
    lua_rawseti(L, pool, slot + 3);
    lua_insert(L, -2);  // view, data
  }
  fill_point(L, kit, point);  // view, data
  lua_pop(L, 1);
  lua_remove(L, pool);
  lua_remove(L, kit);
}

// Pushes the value of `key` for a view of `kind` (nil when it has none).
// The data table is at index `data`, for fields filled together.
void push_lazy_value(lua_State* L, LiveCall& live, Lazy kind, const std::string& path,
                     int data, int key) {
  if (kind == Lazy::kSeries) {
    const RuleInput& input = *live.input;
    if (!lua_isinteger(L, key)) {
      lua_pushnil(L);
      return;
    }
    lua_Integer i = lua_tointeger(L, key);
    if (i < 1 || static_cast<std::size_t>(i) > input.series_size()) {
      lua_pushnil(L);
      return;
    }
    push_point(L, live, input.series_at(static_cast<std::size_t>(i - 1)), i);
    return;
  }
  if (lua_type(L, key) != LUA_TSTRING) {
    lua_pushnil(L);
    return;
  }
  std::string_view name = lua_tostring(L, key);
  if (kind == Lazy::kContext) {
    const RuleInput& input = *live.input;
    if (name == "indicator") {
      push_view(L, live, Lazy::kIndicator);
    } else if (name == "series" || name == "latest") {
      // Both at once: ctx.latest is the same table as the last point of ctx.series.
      const auto size = static_cast<lua_Integer>(input.series_size());
      push_view(L, live, Lazy::kSeries);
      lua_pushvalue(L, -1);
      lua_setfield(L, data, "series");
      if (size > 0) {
        lua_geti(L, -1, size);
        lua_setfield(L, data, "latest");
        live.context_keys |= kContextLatest;
      }
      lua_pop(L, 1);
      lua_pushlstring(L, name.data(), name.size());
      lua_rawget(L, data);
    } else if (name == "budget_lines" || name == "risks") {
      // push_links sets both on the table on top of the stack.
      lua_pushvalue(L, data);
      push_links(L, input, live.cap);
      lua_pop(L, 1);
      live.context_keys |= kContextLinks;
      lua_pushlstring(L, name.data(), name.size());
      lua_rawget(L, data);
    } else if (name == "comparators" && input.comparators != nullptr) {
      push_comparators(L, *input.comparators, live.cap);
      live.context_keys |= kContextComparators;
    } else {
      lua_pushnil(L);
    }
    return;
  }
  // Lazy::kIndicator and kIndicatorArg: one field at a time (rules read one
  // or two of them, and titles and descriptions can be long).
  const IndicatorDefinition& indicator = *live.indicator;
  const std::size_t cap = live.cap;
  if (name == "budget_lines" || name == "risks") {
    const bool risks = name == "risks";
    const std::vector<std::string>& list = risks ? indicator.risks : indicator.budget_lines;
    const int which = (kind == Lazy::kIndicatorArg ? 0 : 2) + (risks ? 1 : 0);
    if (list.empty()) {
      // Most indicators link to no budget line or risk.
      push_shared_empty(L, live, kEmptyListSlots + which, kListPaths[which]);
    } else {
      push_string_list(L, list, kListPaths[which], cap);
    }
  } else if (name == "tolerance") {
    lua_createtable(L, 0, 2);
    lua_pushnumber(L, indicator.tolerance.red_variance_pct);
    lua_setfield(L, -2, "red_variance_pct");
    lua_pushnumber(L, indicator.tolerance.amber_variance_pct);
    lua_setfield(L, -2, "amber_variance_pct");
    make_read_only(L, path + ".tolerance");
  } else if (name == "id") {
    push_capped_string(L, indicator.id, cap);
  } else if (name == "title") {
    push_capped_string(L, indicator.title, cap);
  } else if (name == "description") {
    push_capped_string(L, indicator.description, cap);
  } else if (name == "polarity") {
    lua_pushstring(L, polarity_name(indicator.polarity));
  } else if (name == "unit") {
    lua_pushstring(L, unit_name(indicator.unit));
  } else if (name == "decimals") {
    lua_pushinteger(L, shown_decimals(indicator.unit, indicator.decimals));
  } else if (name == "frequency") {
    lua_pushstring(L, frequency_name(indicator.frequency));
  } else if (name == "lead_officer") {
    push_capped_string(L, indicator.lead_officer, cap);
  } else if (name == "data_owner") {
    push_capped_string(L, indicator.data_owner, cap);
  } else if (name == "cost_driver_line" && indicator.cost_driver != nullptr) {
    push_capped_string(L, indicator.cost_driver->budget_line, cap);
  } else if (name == "allowed_lag") {
    lua_pushinteger(L, indicator.allowed_lag);
  } else {
    lua_pushnil(L);
  }
}

// data.__index: fills one key of the data table (args: data, key).
int lazy_index(lua_State* L) {
  LiveCall& live = live_for(L);
  const Lazy kind = lazy_kind(L);
  lua_settop(L, 2);
  push_lazy_value(L, live, kind, lazy_path(L), 1, 2);
  if (!lua_isnil(L, -1)) {
    lua_pushvalue(L, 2);
    lua_pushvalue(L, -2);
    lua_rawset(L, 1);
    live.filled |= 1u << static_cast<unsigned>(kind);
    // Past the limits the counts stay above them, and the whole table goes.
    if (kind == Lazy::kSeries) {
      if (live.series_key_count < LiveCall::kMaxSeriesKeys) {
        live.series_keys[live.series_key_count] = lua_tointeger(L, 2);
      }
      ++live.series_key_count;
    } else if (kind == Lazy::kIndicator || kind == Lazy::kIndicatorArg) {
      LiveCall::NamedKeys& keys = live.indicator_keys[kind == Lazy::kIndicator ? 0 : 1];
      if (keys.count < LiveCall::NamedKeys::kMax) {
        keys.names[keys.count] = lua_tolstring(L, 2, &keys.sizes[keys.count]);
      }
      ++keys.count;
    }
  }
  return 1;
}

// Fills every key of the data table of the view at index 1 and pushes it.
int lazy_fill(lua_State* L) {
  LiveCall& live = live_for(L);
  const Lazy kind = lazy_kind(L);
  const std::string path = lazy_path(L);
  lua_settop(L, 1);
  lua_getmetatable(L, 1);
  lua_getfield(L, -1, "__index");
  const int data = lua_gettop(L);
  live.filled |= 1u << static_cast<unsigned>(kind);
  if (kind == Lazy::kSeries) live.series_key_count = LiveCall::kMaxSeriesKeys + 1;
  if (kind == Lazy::kIndicator || kind == Lazy::kIndicatorArg) {
    live.indicator_keys[kind == Lazy::kIndicator ? 0 : 1].count = LiveCall::NamedKeys::kMax + 1;
  }
  auto fill = [&](auto push_key) {
    push_key();
    if (lua_rawget(L, data) == LUA_TNIL) {
      lua_pop(L, 1);
      push_key();
      const int key = lua_gettop(L);
      push_lazy_value(L, live, kind, path, data, key);
      if (!lua_isnil(L, -1)) {
        lua_pushvalue(L, key);
        lua_pushvalue(L, -2);
        lua_rawset(L, data);
      }
      lua_pop(L, 2);
    } else {
      lua_pop(L, 1);
    }
  };
  if (kind == Lazy::kSeries) {
    const std::size_t n = live.input->series_size();
    for (std::size_t i = 1; i <= n; ++i) {
      fill([&] { lua_pushinteger(L, static_cast<lua_Integer>(i)); });
    }
  } else if (kind == Lazy::kContext) {
    for (const char* key : kContextKeys) fill([&] { lua_pushstring(L, key); });
  } else {
    for (const char* key : kIndicatorKeys) fill([&] { lua_pushstring(L, key); });
  }
  lua_pushvalue(L, data);
  return 1;
}

int lazy_pairs(lua_State* L) {
  lua_settop(L, 1);
  lua_getmetatable(L, 1);
  lua_getfield(L, -1, "vitals_fill");
  lua_pushvalue(L, 1);
  lua_call(L, 1, 1);
  const int data = lua_gettop(L);
  lua_pushcfunction(L, raw_next);
  lua_pushvalue(L, data);
  lua_pushnil(L);
  return 3;
}

// # of a view: the number of points for ctx.series, else 0.
int lazy_len(lua_State* L) {
  if (lazy_kind(L) != Lazy::kSeries) {
    lua_pushinteger(L, 0);
    return 1;
  }
  const LiveCall& live = live_for(L);
  lua_pushinteger(L, static_cast<lua_Integer>(live.input->series_size()));
  return 1;
}

// Pushes the three upvalues of a lazy closure: LiveCall, kind, path.
void push_lazy_upvalues(lua_State* L, Lazy kind, const std::string& path) {
  push_live_call(L);
  lua_pushinteger(L, static_cast<lua_Integer>(kind));
  lua_pushlstring(L, path.data(), path.size());
}

// Replaces the data table on top of the stack with a lazy read-only view of
// it (see above).
void push_lazy_view(lua_State* L, Lazy kind, const std::string& path) {
  const int data = lua_gettop(L);
  lua_createtable(L, 0, 1);  // the data's metatable
  push_lazy_upvalues(L, kind, path);
  lua_pushcclosure(L, lazy_index, 3);
  lua_setfield(L, -2, "__index");
  lua_setmetatable(L, data);

  lua_createtable(L, 0, 0);  // the view
  lua_createtable(L, 0, 8);  // its metatable
  lua_pushvalue(L, data);
  lua_setfield(L, -2, "__index");
  lua_pushcfunction(L, read_only_newindex);
  lua_setfield(L, -2, "__newindex");
  push_lazy_upvalues(L, kind, path);
  lua_pushcclosure(L, lazy_len, 3);
  lua_setfield(L, -2, "__len");
  lua_pushcfunction(L, lazy_pairs);
  lua_setfield(L, -2, "__pairs");
  push_lazy_upvalues(L, kind, path);
  lua_pushcclosure(L, lazy_fill, 3);
  lua_setfield(L, -2, "vitals_fill");
  lua_pushliteral(L, "read-only");
  lua_setfield(L, -2, "__metatable");
  lua_pushlstring(L, path.data(), path.size());
  lua_setfield(L, -2, kPathField);
  lua_setmetatable(L, -2);
  lua_replace(L, data);
}

// Pushes this state's table of reused views (made on first use): slot
// 2k+1 holds the view of kind k, slot 2k+2 its data table.
void push_views(lua_State* L, LiveCall& live) {
  push_referenced_table(L, live.views_ref, static_cast<int>(kSharedSlots), 0);
}

// Pushes the shared, read-only empty table in `slot` of the views table
// (made on first use), whose writes are refused naming `path`.
void push_shared_empty(lua_State* L, LiveCall& live, lua_Integer slot, const char* path) {
  push_views(L, live);
  if (lua_rawgeti(L, -1, slot) != LUA_TTABLE) {
    lua_pop(L, 1);
    lua_createtable(L, 0, 0);
    make_read_only(L, path);
    lua_pushvalue(L, -1);
    lua_rawseti(L, -3, slot);
  }
  lua_remove(L, -2);
}

// Pushes the view of `kind` (made on first use), or with `data` its data table.
void push_view(lua_State* L, LiveCall& live, Lazy kind, bool data) {
  push_views(L, live);
  const auto k = static_cast<lua_Integer>(kind);
  if (lua_rawgeti(L, -1, 2 * k + 1) != LUA_TTABLE) {
    lua_pop(L, 1);
    lua_createtable(L, 0, 8);
    lua_pushvalue(L, -1);
    lua_rawseti(L, -3, 2 * k + 2);
    push_lazy_view(L, kind, kViewPaths[k]);
    lua_pushvalue(L, -1);
    lua_rawseti(L, -3, 2 * k + 1);
    if (kind == Lazy::kIndicator || kind == Lazy::kIndicatorArg) {
      // A view lives as long as the state (the registry holds it), and Lua
      // does not move tables: its address identifies it.
      live.indicator_views[kind == Lazy::kIndicator ? 0 : 1] = lua_topointer(L, -1);
    }
  }
  if (data) {
    lua_pop(L, 1);
    lua_rawgeti(L, -1, 2 * k + 2);
  }
  lua_remove(L, -2);
}

void push_view(lua_State* L, LiveCall& live, Lazy kind) { push_view(L, live, kind, false); }

// Gives the view of every kind in `kinds` (a bit per Lazy kind) a new, empty
// data table for a new call: cheaper than emptying the old one key by key
// (a series' data can hold a hundred points), which is left as garbage.
void renew_views(lua_State* L, LiveCall& live, unsigned kinds) {
  if (kinds == 0) return;
  push_views(L, live);
  const int views = lua_gettop(L);
  for (lua_Integer k = 0; k < kViewKinds; ++k) {
    if ((kinds & (1u << k)) == 0) continue;
    if (lua_rawgeti(L, views, 2 * k + 2) != LUA_TTABLE) {
      lua_pop(L, 1);
      continue;
    }
    lua_createtable(L, 0, 8);  // old data, new data
    lua_getmetatable(L, -2);   // the fill-on-read metatable, shared
    lua_setmetatable(L, -2);
    lua_pushvalue(L, -1);
    lua_rawseti(L, views, 2 * k + 2);
    lua_rawgeti(L, views, 2 * k + 1);  // the view
    lua_getmetatable(L, -1);
    lua_pushvalue(L, -3);
    lua_setfield(L, -2, "__index");
    lua_pop(L, 4);
  }
  lua_pop(L, 1);
}

// Empties what the last call filled in the views' data tables, for a new
// call. ctx keeps its indicator and series (the same views on every call)
// and loses the rest; the indicator views and ctx.series lose just the keys
// read, when few, else get a new table. With `latest_follows`, the new
// call sets ctx.latest itself, so it is left to be replaced.
void forget_call(lua_State* L, LiveCall& live, bool latest_follows) {
  auto bit = [](Lazy kind) { return 1u << static_cast<unsigned>(kind); };
  unsigned renew = 0;
  if (live.filled & bit(Lazy::kSeries)) {
    if (live.series_key_count <= LiveCall::kMaxSeriesKeys) {
      push_view(L, live, Lazy::kSeries, true);
      for (std::size_t i = 0; i < live.series_key_count; ++i) {
        lua_pushnil(L);
        lua_rawseti(L, -2, live.series_keys[i]);
      }
      lua_pop(L, 1);
    } else {
      renew |= bit(Lazy::kSeries);
    }
  }
  for (Lazy kind : {Lazy::kIndicator, Lazy::kIndicatorArg}) {
    LiveCall::NamedKeys& keys = live.indicator_keys[kind == Lazy::kIndicator ? 0 : 1];
    if (live.filled & bit(kind)) {
      if (keys.count <= LiveCall::NamedKeys::kMax) {
        push_view(L, live, kind, true);
        for (std::size_t i = 0; i < keys.count; ++i) {
          lua_pushlstring(L, keys.names[i], keys.sizes[i]);
          lua_pushnil(L);
          lua_rawset(L, -3);
        }
        lua_pop(L, 1);
      } else {
        renew |= bit(kind);
      }
    }
    keys.count = 0;
  }
  const unsigned kept = latest_follows ? live.context_keys & kContextLatest : 0u;
  if ((live.context_keys & ~kept) != 0) {
    push_view(L, live, Lazy::kContext, true);
    if ((live.context_keys & kContextLatest) && !latest_follows) {
      lua_pushnil(L);
      lua_setfield(L, -2, "latest");
    }
    if (live.context_keys & kContextLinks) {
      lua_pushnil(L);
      lua_setfield(L, -2, "budget_lines");
      lua_pushnil(L);
      lua_setfield(L, -2, "risks");
    }
    if (live.context_keys & kContextComparators) {
      lua_pushnil(L);
      lua_setfield(L, -2, "comparators");
    }
    lua_pop(L, 1);
  }
  renew_views(L, live, renew);
  // A ctx.latest left to be replaced stays marked until it is: should the
  // new call fail first, the call after empties it.
  live.context_keys = kept;
  live.filled = 0;
  live.series_key_count = 0;
}

}  // namespace

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
  if (lua_getfield(L, -1, "vitals_fill") == LUA_TFUNCTION) {
    // A lazy view: fill it, then show its (complete) data.
    lua_remove(L, -2);
    lua_pushvalue(L, index);
    lua_call(L, 1, 1);
    return true;
  }
  lua_pop(L, 1);
  lua_getfield(L, -1, "__index");
  lua_remove(L, -2);
  return true;
}

void push_call_state(lua_State* L) { push_live_call(L); }

const IndicatorDefinition* viewed_indicator(lua_State* L, int index, int call_state) {
  if (lua_type(L, index) != LUA_TTABLE) return nullptr;
  const void* table = lua_topointer(L, index);
  const auto* live = static_cast<const LiveCall*>(lua_touserdata(L, call_state));
  if (live == nullptr) return nullptr;
  if (table != live->indicator_views[0] && table != live->indicator_views[1]) return nullptr;
  return live->indicator;
}

void push_indicator(lua_State* L, const IndicatorDefinition& indicator, std::size_t max_string_bytes) {
  LiveCall& live = begin_call(L, nullptr, &indicator, nullptr, max_string_bytes);
  push_view(L, live, Lazy::kIndicatorArg);
}

void push_context(lua_State* L, const RuleInput& input,
                  const std::map<std::string, ParamValue>& params, std::size_t max_string_bytes,
                  bool params_are_defaults) {
  LiveCall& live = begin_call(L, &input, input.indicator, &params, max_string_bytes);
  push_view(L, live, Lazy::kContext);
  push_view(L, live, Lazy::kContext, true);
  // Every call of an evaluation has the same period: its text is set once.
  // Nothing else writes these keys of ctx's data (the view refuses writes,
  // and a new call empties only the keys filled on read).
  if (!live.has_period || live.period != input.period) {
    std::string period = input.period.to_string();
    std::string label = input.period.label();
    lua_pushlstring(L, period.data(), period.size());
    lua_setfield(L, -2, "period");
    lua_pushlstring(L, label.data(), label.size());
    lua_setfield(L, -2, "period_label");
    live.period = input.period;
    live.has_period = true;
  }
  if (live.data_state != input.data_state) {
    lua_pushstring(L, data_state_name(input.data_state));
    lua_setfield(L, -2, "data_state");
    live.data_state = input.data_state;
  }
  // ctx.latest is set now rather than on first read: every rule reads it.
  // It is the table ctx.series shows as its last point, as when filled on read.
  if (const auto size = static_cast<lua_Integer>(input.series_size()); size > 0) {
    push_view(L, live, Lazy::kSeries, true);
    push_point(L, live, input.series_at(static_cast<std::size_t>(size - 1)), size);
    lua_pushvalue(L, -1);
    lua_rawseti(L, -3, size);
    live.filled |= 1u << static_cast<unsigned>(Lazy::kSeries);
    live.series_keys[live.series_key_count++] = size;  // the first key of the call
    lua_setfield(L, -3, "latest");
    live.context_keys |= kContextLatest;
    lua_pop(L, 1);
  }

  // Most indicators take the rule's defaults: ctx.params is then the table
  // the last such call set, which nothing else replaces.
  if (!params_are_defaults || !live.ctx_has_defaults) {
    live.ctx_has_defaults = false;
    if (params.empty()) {
      // Most indicators set no parameters.
      push_shared_empty(L, live, kNoParamsSlot, "ctx.params");
    } else {
      push_params(L, params, max_string_bytes);
    }
    lua_setfield(L, -2, "params");
    live.ctx_has_defaults = params_are_defaults;
  }
  // indicator, series, budget_lines and risks are filled on first read.
  lua_pop(L, 1);
}

// How a note names a result's text: "the message", or "evidence 'x'" for the
// evidence named `key` (quoted only when a note is made).
std::string rule_text_name(const std::string_view* key) {
  return key == nullptr ? std::string("the message") : "evidence " + quote_user_text(*key);
}

// `text` as a result may keep it: at most `cap` bytes (cut at a character
// boundary) and valid UTF-8, with a note for each change. `key` names the
// evidence the text is for, or is null for the message.
std::string capped_rule_text(std::string_view text, std::size_t cap, const std::string_view* key,
                             const char* setting, std::vector<std::string>* notes) {
  std::string_view kept = text.substr(0, utf8_prefix_length(text, cap));
  if (kept.size() < text.size() && notes != nullptr) {
    notes->push_back(rule_text_name(key) + " was cut to " + std::to_string(kept.size()) + " of its " +
                     std::to_string(text.size()) + " bytes (the limit, [sandbox] " + setting +
                     ", is " + std::to_string(cap) + ")");
  }
  const std::size_t bad = invalid_utf8_offset(kept);
  if (bad == std::string_view::npos) return std::string(kept);
  if (notes != nullptr) {
    notes->push_back(rule_text_name(key) + " is not valid UTF-8 (byte " + std::to_string(bad + 1) +
                     " is not): the bad bytes are shown as U+FFFD");
  }
  return replace_invalid_utf8(kept);
}

// Whether `key` is short enough and only printable ASCII: the common case,
// which evidence_key_problem would find no fault with.
bool plain_evidence_key(std::string_view key, const SandboxLimits& limits) {
  if (key.size() > limits.max_evidence_key_bytes) return false;
  for (char c : key) {
    const auto b = static_cast<unsigned char>(c);
    if (b < 0x20 || b > 0x7E) return false;
  }
  return true;
}

// Why `key` cannot name evidence, or "" when it can.
std::string evidence_key_problem(std::string_view key, const SandboxLimits& limits) {
  if (key.size() > limits.max_evidence_key_bytes) {
    return "is longer than the limit of " + std::to_string(limits.max_evidence_key_bytes) +
           " bytes ([sandbox] max_evidence_key_bytes)";
  }
  if (!is_valid_utf8(key)) return "is not valid UTF-8";
  if (needs_printable(key)) return "holds a control character";
  return {};
}

// The most evidence entries read_outcome's per-thread buffer keeps room for.
constexpr std::size_t kKeptEvidenceEntries = 256;

std::string read_outcome(lua_State* L, int index, RuleOutcome& outcome,
                         const SandboxLimits& limits, std::vector<std::string>* notes) {
  index = lua_absindex(L, index);
  if (lua_type(L, index) != LUA_TTABLE) {
    return "evaluate must return a table such as { status = \"ok\", message = \"...\" }, not a " +
           type_of(L, index);
  }
  // Table order varies from run to run; report the first problem by name.
  // Keys are read up to their first NUL, as lua_tostring gives them.
  std::optional<std::string> unknown;  // the alphabetically first unknown field
  // The values of status, message and evidence are kept in three slots as the
  // walk meets them (nil when absent), as raw look-ups would find them.
  luaL_checkstack(L, 8, "reading the result of evaluate");
  const int fields = lua_gettop(L);
  lua_settop(L, fields + 3);
  lua_pushnil(L);
  while (lua_next(L, index) != 0) {
    if (lua_type(L, -2) != LUA_TSTRING) {
      return "the result of evaluate has an unnamed entry; use status = ..., message = ... and "
             "evidence = { ... }";
    }
    std::size_t key_len = 0;
    const char* key_data = lua_tolstring(L, -2, &key_len);
    const std::string_view whole(key_data, key_len);
    const int slot = whole == "status" ? 1 : whole == "message" ? 2 : whole == "evidence" ? 3 : 0;
    if (slot != 0) lua_copy(L, -1, fields + slot);
    lua_pop(L, 1);
    std::string_view key = key_data;
    if (key != "status" && key != "message" && key != "evidence" && (!unknown || key < *unknown)) {
      unknown.emplace(key);
    }
  }
  if (unknown) {
    return "the result of evaluate has an unknown field '" + *unknown +
           "' (expected status, message and evidence)";
  }

  lua_pushvalue(L, fields + 1);  // status
  if (lua_type(L, -1) != LUA_TSTRING) {
    return "the result of evaluate needs status = \"exception\", \"ok\" or \"insufficient_data\", "
           "not a " +
           type_of(L, -1);
  }
  std::string_view status = lua_tostring(L, -1);
  if (status == "exception") {
    outcome.status = RuleOutcome::Status::kException;
  } else if (status == "ok") {
    outcome.status = RuleOutcome::Status::kOk;
  } else if (status == "insufficient_data") {
    outcome.status = RuleOutcome::Status::kInsufficientData;
  } else {
    return "the result of evaluate has status \"" + std::string(status) +
           "\"; expected \"exception\", \"ok\" or \"insufficient_data\"";
  }
  lua_pop(L, 1);

  lua_pushvalue(L, fields + 2);  // message
  if (lua_type(L, -1) != LUA_TSTRING) {
    return "the result of evaluate needs message = \"...\" (text), not a " + type_of(L, -1);
  }
  std::size_t len = 0;
  const char* message = lua_tolstring(L, -1, &len);
  outcome.message = capped_rule_text(std::string_view(message, len), limits.max_message_bytes,
                                     nullptr, "max_message_bytes", notes);
  lua_pop(L, 1);

  outcome.evidence.clear();
  lua_pushvalue(L, fields + 3);  // evidence
  if (lua_type(L, -1) == LUA_TNIL) return {};
  if (lua_type(L, -1) != LUA_TTABLE) {
    return "the evidence of the result must be a table, not a " + type_of(L, -1);
  }
  // evidence = ctx.latest is allowed: read the table the view shows, still raw.
  push_view_data(L, -1);
  int evidence = lua_gettop(L);
  // Collected in table order into a buffer each thread reuses, then moved into
  // one exactly sized vector, which Evidence sorts: one allocation.
  thread_local std::vector<Evidence::value_type> entries;
  entries.clear();
  // The alphabetically first bad key (the first seen of equal keys) and what
  // is wrong with it.
  std::optional<std::string> bad_key;
  std::string bad_reason;
  auto note_bad_key = [&](std::string_view key, std::string reason) {
    if (!bad_key || key < *bad_key) {
      bad_key.emplace(key);
      bad_reason = std::move(reason);
    }
  };
  lua_pushnil(L);
  while (lua_next(L, evidence) != 0) {
    if (lua_type(L, -2) != LUA_TSTRING) {
      return "evidence keys must be names (evidence = { value = 3.5 }), found a " + type_of(L, -2) +
             " key";
    }
    std::size_t key_len = 0;
    const char* key_data = lua_tolstring(L, -2, &key_len);
    const std::string_view key(key_data, key_len);
    if (!plain_evidence_key(key, limits)) {
      if (std::string problem = evidence_key_problem(key, limits); !problem.empty()) {
        note_bad_key(key, "evidence key " + quote_user_text(key, 80) + " " + problem);
        lua_pop(L, 1);
        continue;
      }
    }
    switch (lua_type(L, -1)) {
      case LUA_TNUMBER:
        entries.emplace_back(key, static_cast<double>(lua_tonumber(L, -1)));
        break;
      case LUA_TBOOLEAN:
        entries.emplace_back(key, lua_toboolean(L, -1) != 0);
        break;
      case LUA_TSTRING: {
        const char* text = lua_tolstring(L, -1, &len);
        entries.emplace_back(key, capped_rule_text(std::string_view(text, len),
                                                   limits.max_evidence_text_bytes, &key,
                                                   "max_evidence_text_bytes", notes));
        break;
      }
      default:
        note_bad_key(key, "evidence " + quote_user_text(key) +
                              " must be a number, text or true/false, not a " + type_of(L, -1));
        break;
    }
    lua_pop(L, 1);
  }
  if (bad_key) return bad_reason;
  if (entries.size() > limits.max_evidence_entries) {
    std::sort(entries.begin(), entries.end(),
              [](const auto& a, const auto& b) { return a.first < b.first; });
    if (notes != nullptr) {
      notes->push_back("the evidence has " + std::to_string(entries.size()) +
                       " entries; only the first " + std::to_string(limits.max_evidence_entries) +
                       " in key order are kept (the limit, [sandbox] max_evidence_entries)");
    }
    entries.erase(entries.begin() + static_cast<std::ptrdiff_t>(limits.max_evidence_entries),
                  entries.end());
  }
  std::vector<Evidence::value_type> collected;
  collected.reserve(entries.size());
  std::move(entries.begin(), entries.end(), std::back_inserter(collected));
  // A rule's evidence is a handful of entries; a huge one is not kept for the
  // rest of the thread's life.
  if (entries.capacity() > kKeptEvidenceEntries) entries = {};
  outcome.evidence = Evidence(std::move(collected));
  return {};
}

}  // namespace vitals::detail
