// SPDX-License-Identifier: Apache-2.0
#include "lua/rule_params.hpp"

#include "common/number_format.hpp"
#include "common/quoted_list.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>

namespace vitals::detail {

namespace {

constexpr std::array kSpecFields = {"type", "default", "min", "max", "values", "description"};

bool is_param_name(std::string_view name) {
  if (name.empty()) return false;
  for (char c : name) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
    if (!ok) return false;
  }
  return true;
}

std::optional<ParamType> parse_type(std::string_view name) {
  for (ParamType t : {ParamType::kNumber, ParamType::kInteger, ParamType::kString,
                      ParamType::kBoolean, ParamType::kList}) {
    if (param_type_name(t) == name) return t;
  }
  return std::nullopt;
}

// The words of a list parameter: text separated by spaces or commas.
std::vector<std::string> words_of(std::string_view text) {
  std::vector<std::string> words;
  std::string word;
  for (char c : text) {
    if (c == ' ' || c == ',' || c == '\t') {
      if (!word.empty()) words.push_back(std::move(word));
      word.clear();
    } else {
      word.push_back(c);
    }
  }
  if (!word.empty()) words.push_back(std::move(word));
  return words;
}

std::string range_text(const ParamSpec& spec) {
  if (spec.min && spec.max) {
    return " from " + format_json_number(*spec.min) + " to " + format_json_number(*spec.max);
  }
  if (spec.min) return " of at least " + format_json_number(*spec.min);
  if (spec.max) return " of at most " + format_json_number(*spec.max);
  return "";
}

// Reads the field `key` of the declaration table at `index` (raw).
// Returns its Lua type, leaving the value on the stack.
int field(lua_State* L, int index, const char* key) {
  lua_pushstring(L, key);
  return lua_rawget(L, index);
}

// The value on top of the stack as a parameter value (numbers, text,
// booleans), else nullopt. Does not pop.
std::optional<ParamValue> scalar_on_top(lua_State* L) {
  switch (lua_type(L, -1)) {
    case LUA_TBOOLEAN:
      return ParamValue{lua_toboolean(L, -1) != 0};
    case LUA_TNUMBER:
      if (lua_isinteger(L, -1)) return ParamValue{static_cast<std::int64_t>(lua_tointeger(L, -1))};
      return ParamValue{static_cast<double>(lua_tonumber(L, -1))};
    case LUA_TSTRING: {
      std::size_t len = 0;
      const char* text = lua_tolstring(L, -1, &len);
      return ParamValue{std::string(text, len)};
    }
    default:
      return std::nullopt;
  }
}

// Reads one declaration table (at the top of the stack) into `spec`.
std::string read_spec(lua_State* L, ParamSpec& spec) {
  const int index = lua_gettop(L);
  const std::string where = "params." + spec.name + ": ";
  if (lua_type(L, index) != LUA_TTABLE) {
    return where + "must be a table such as { type = \"number\", description = \"...\" }, not a " +
           luaL_typename(L, index);
  }
  std::string unknown;
  lua_pushnil(L);
  while (lua_next(L, index) != 0) {
    lua_pop(L, 1);
    if (lua_type(L, -1) != LUA_TSTRING) {
      lua_pop(L, 1);
      return where + "every entry needs a name (type = ..., description = ...)";
    }
    std::string_view key = lua_tostring(L, -1);
    bool known = std::find(kSpecFields.begin(), kSpecFields.end(), key) != kSpecFields.end();
    if (!known && (unknown.empty() || key < unknown)) unknown = std::string(key);
  }
  if (!unknown.empty()) {
    return where + "unknown field '" + unknown +
           "' (expected type, default, min, max, values and description)";
  }

  std::string error;
  if (field(L, index, "type") != LUA_TSTRING) {
    error = where + "type must be \"number\", \"integer\", \"string\", \"boolean\" or \"list\"";
  } else if (auto type = parse_type(lua_tostring(L, -1))) {
    spec.type = *type;
  } else {
    error = where + "type '" + lua_tostring(L, -1) +
            "' is not one of \"number\", \"integer\", \"string\", \"boolean\" or \"list\"";
  }
  lua_pop(L, 1);
  if (!error.empty()) return error;

  if (field(L, index, "description") == LUA_TSTRING && lua_rawlen(L, -1) > 0) {
    std::size_t len = 0;
    const char* text = lua_tolstring(L, -1, &len);
    spec.description.assign(text, len);
  } else {
    error = where + "description must be text saying what the parameter does";
  }
  lua_pop(L, 1);
  if (!error.empty()) return error;

  const bool numeric = spec.type == ParamType::kNumber || spec.type == ParamType::kInteger;
  for (const char* bound : {"min", "max"}) {
    int type = field(L, index, bound);
    if (type == LUA_TNUMBER && numeric) {
      double value = static_cast<double>(lua_tonumber(L, -1));
      (std::string_view(bound) == "min" ? spec.min : spec.max) = value;
    } else if (type != LUA_TNIL) {
      error = where + bound + (numeric ? " must be a number" : " applies only to numbers and integers");
    }
    lua_pop(L, 1);
    if (!error.empty()) return error;
  }
  if (spec.min && spec.max && *spec.min > *spec.max) return where + "min is above max";

  int values_type = field(L, index, "values");
  if (values_type == LUA_TTABLE &&
      (spec.type == ParamType::kString || spec.type == ParamType::kList)) {
    const int list = lua_gettop(L);
    const lua_Integer n = static_cast<lua_Integer>(lua_rawlen(L, list));
    for (lua_Integer i = 1; i <= n && error.empty(); ++i) {
      if (lua_rawgeti(L, list, i) == LUA_TSTRING && lua_rawlen(L, -1) > 0) {
        spec.values.emplace_back(lua_tostring(L, -1));
      } else {
        error = where + "values must be a list of words in quotes, such as { \"all\", \"any\" }";
      }
      lua_pop(L, 1);
    }
    if (error.empty() && spec.values.empty()) error = where + "values must not be empty";
  } else if (values_type != LUA_TNIL) {
    error = where + (spec.type == ParamType::kString || spec.type == ParamType::kList
                         ? "values must be a list of words in quotes, such as { \"all\", \"any\" }"
                         : "values applies only to string and list parameters");
  }
  lua_pop(L, 1);
  if (!error.empty()) return error;

  if (field(L, index, "default") != LUA_TNIL) {
    std::optional<ParamValue> value = scalar_on_top(L);
    if (!value) {
      error = where + "default must be a number, text or true/false, not a " +
              luaL_typename(L, -1);
    } else if (std::string problem = param_problem(spec, *value); !problem.empty()) {
      error = where + "the default " + problem;
    } else {
      spec.default_value = std::move(value);
    }
  }
  lua_pop(L, 1);
  return error;
}

}  // namespace

std::string_view param_type_name(ParamType type) {
  switch (type) {
    case ParamType::kNumber:
      return "number";
    case ParamType::kInteger:
      return "integer";
    case ParamType::kString:
      return "string";
    case ParamType::kBoolean:
      return "boolean";
    case ParamType::kList:
      return "list";
  }
  return "number";
}

const ParamSpec* ParamDeclaration::find(std::string_view name) const {
  auto it = std::lower_bound(params.begin(), params.end(), name,
                             [](const ParamSpec& p, std::string_view n) { return p.name < n; });
  return it != params.end() && it->name == name ? &*it : nullptr;
}

std::string ParamDeclaration::names() const {
  std::vector<std::string> all;
  for (const ParamSpec& p : params) all.push_back(p.name);
  return all.empty() ? "none" : quoted_alternatives(all);
}

std::string read_param_declaration(lua_State* L, int index, ParamDeclaration& out) {
  index = lua_absindex(L, index);
  lua_pushliteral(L, "params");
  int type = lua_rawget(L, index);
  std::string error;
  if (type == LUA_TTABLE) {
    out.declared = true;
    const int table = lua_gettop(L);
    lua_pushnil(L);
    while (error.empty() && lua_next(L, table) != 0) {
      if (lua_type(L, -2) != LUA_TSTRING || !is_param_name(lua_tostring(L, -2))) {
        error = "params: every parameter needs a name of lower-case letters, digits and '_' "
                "(params = { run = { type = \"integer\", ... } })";
        lua_pop(L, 1);
        continue;
      }
      ParamSpec spec;
      spec.name = lua_tostring(L, -2);
      error = read_spec(L, spec);
      lua_pop(L, 1);
      if (error.empty()) out.params.push_back(std::move(spec));
    }
    if (!error.empty()) lua_pop(L, 1);  // the key lua_next left
    std::sort(out.params.begin(), out.params.end(),
              [](const ParamSpec& a, const ParamSpec& b) { return a.name < b.name; });
  } else if (type != LUA_TNIL) {
    error = std::string("field 'params' of the rule table must be a table of parameter "
                        "declarations, not a ") +
            luaL_typename(L, -1);
  }
  lua_pop(L, 1);
  return error;
}

std::string quoted_param(const ParamValue& value) {
  if (const bool* b = std::get_if<bool>(&value)) return *b ? "true" : "false";
  if (const std::int64_t* i = std::get_if<std::int64_t>(&value)) return std::to_string(*i);
  if (const double* d = std::get_if<double>(&value)) return format_json_number(*d);
  return "'" + std::get<std::string>(value) + "'";
}

std::string param_problem(const ParamSpec& spec, const ParamValue& value) {
  const std::string found = ", found " + quoted_param(value);
  switch (spec.type) {
    case ParamType::kBoolean:
      if (!std::holds_alternative<bool>(value)) return "must be true or false" + found;
      return "";
    case ParamType::kString:
      if (!std::holds_alternative<std::string>(value)) return "must be text in quotes" + found;
      if (!spec.values.empty() && std::find(spec.values.begin(), spec.values.end(),
                                            std::get<std::string>(value)) == spec.values.end()) {
        return "must be " + quoted_alternatives(spec.values) + found;
      }
      return "";
    case ParamType::kList:
      if (!std::holds_alternative<std::string>(value)) {
        return "must be text listing " + (spec.values.empty() ? std::string("words")
                                                               : quoted_alternatives(spec.values)) +
               found;
      }
      if (!spec.values.empty()) {
        for (const std::string& word : words_of(std::get<std::string>(value))) {
          if (std::find(spec.values.begin(), spec.values.end(), word) == spec.values.end()) {
            return "lists '" + word + "', which is not one of " + quoted_alternatives(spec.values);
          }
        }
      }
      return "";
    case ParamType::kNumber:
    case ParamType::kInteger: {
      double number = 0;
      if (const std::int64_t* i = std::get_if<std::int64_t>(&value)) {
        number = static_cast<double>(*i);
      } else if (const double* d = std::get_if<double>(&value)) {
        number = *d;
      } else {
        return std::string(spec.type == ParamType::kInteger ? "must be a whole number"
                                                            : "must be a number") +
               range_text(spec) + found;
      }
      const bool whole_needed = spec.type == ParamType::kInteger;
      const bool bad = !std::isfinite(number) || (whole_needed && std::trunc(number) != number) ||
                       (spec.min && number < *spec.min) || (spec.max && number > *spec.max);
      if (bad) {
        return std::string(whole_needed ? "must be a whole number" : "must be a number") +
               range_text(spec) + found;
      }
      return "";
    }
  }
  return "";
}

std::string check_params(const ParamDeclaration& declaration,
                         const std::map<std::string, ParamValue>& given) {
  if (!declaration.declared) return "";
  for (const auto& [name, value] : given) {
    const ParamSpec* spec = declaration.find(name);
    if (spec == nullptr) {
      return "parameter '" + name + "' is not declared by the rule (its parameters: " +
             declaration.names() + ")";
    }
    if (std::string problem = param_problem(*spec, value); !problem.empty()) {
      return "parameter " + name + " " + problem;
    }
  }
  return "";
}

const std::map<std::string, ParamValue>& effective_params(
    const ParamDeclaration& declaration, const std::map<std::string, ParamValue>& given,
    std::map<std::string, ParamValue>& scratch) {
  auto needs_integer = [&](const ParamSpec& spec) {
    if (spec.type != ParamType::kInteger) return false;
    auto it = given.find(spec.name);
    return it != given.end() && std::holds_alternative<double>(it->second);
  };
  bool changes = false;
  for (const ParamSpec& spec : declaration.params) {
    changes = changes || (spec.default_value && given.find(spec.name) == given.end()) ||
              needs_integer(spec);
  }
  if (!changes) return given;
  scratch = given;
  for (const ParamSpec& spec : declaration.params) {
    if (needs_integer(spec)) {
      scratch[spec.name] = static_cast<std::int64_t>(std::get<double>(given.at(spec.name)));
    } else if (spec.default_value) {
      scratch.emplace(spec.name, *spec.default_value);
    }
  }
  return scratch;
}

}  // namespace vitals::detail
