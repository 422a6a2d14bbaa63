// SPDX-License-Identifier: Apache-2.0
#include "lua/rule_script.hpp"

#include "common/did_you_mean.hpp"
#include "common/user_text.hpp"
#include "lua/marshal.hpp"
#include "lua/source_position.hpp"

#include <array>
#include <cctype>
#include <set>

namespace vitals::detail {

namespace {

constexpr std::array kContractFields = {"id",         "version",  "description", "criterion",
                                        "label",      "applies_to", "evaluate", "params"};

bool is_rule_id(const std::string& id) {
  if (id.empty()) return false;
  for (char c : id) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '.' || c == '-';
    if (!ok) return false;
  }
  return true;
}

std::string type_name(lua_State* L, int index) { return luaL_typename(L, index); }

// Reads field `key` of the table at `index` (raw) as text into `out`.
// Returns an error text, or "" when it is text (or absent and optional).
std::string read_text_field(lua_State* L, int index, const char* key, bool required,
                            std::string& out) {
  lua_pushstring(L, key);
  int type = lua_rawget(L, index);
  std::string error;
  if (type == LUA_TSTRING) {
    std::size_t len = 0;
    const char* text = lua_tolstring(L, -1, &len);
    out.assign(text, len);
    // These label every report card: they must be printable UTF-8.
    if (!is_valid_utf8(out) || needs_printable(out)) {
      error = std::string("field '") + key + "' of the rule table is " + quote_user_text(out, 80) +
              ", which holds " + (is_valid_utf8(out) ? "a control character" : "bytes that are not UTF-8");
    }
  } else if (type != LUA_TNIL || required) {
    error = std::string("field '") + key + "' of the rule table must be text in quotes, not a " +
            type_name(L, -1);
  }
  lua_pop(L, 1);
  return error;
}

// Checks the table a rule file returned (raw access only) and fills `info`.
// Reads the rule's table into `info`; returns what is wrong with it, or "".
// A misspelt field's name is left in `unknown_field`.
std::string read_contract(lua_State* L, int index, RuleInfo& info, bool& has_applies_to,
                          std::string& unknown_field) {
  index = lua_absindex(L, index);
  if (lua_type(L, index) != LUA_TTABLE) {
    return "the rule file must end with return { id = ..., evaluate = function(ctx) ... end }, but "
           "it "
           "returned a " +
           type_name(L, index);
  }
  std::set<std::string> unknown;  // sorted: table order varies from run to run
  lua_pushnil(L);
  while (lua_next(L, index) != 0) {
    lua_pop(L, 1);
    if (lua_type(L, -1) != LUA_TSTRING) {
      return "the rule table has an unnamed entry; every field needs a name (id = ..., evaluate = "
             "...)";
    }
    std::string_view key = lua_tostring(L, -1);
    bool known = false;
    for (const char* field : kContractFields) known = known || key == field;
    if (!known) unknown.emplace(key);
  }
  if (!unknown.empty()) {
    unknown_field = *unknown.begin();
    const std::vector<std::string> fields(kContractFields.begin(), kContractFields.end());
    const std::string suggestion = did_you_mean(unknown_field, fields);
    return "unknown field '" + unknown_field + "' in the rule table" +
           (suggestion.empty() ? " (expected id, version, description, criterion, label, params, applies_to "
                                 "and evaluate)"
                               : suggestion);
  }
  if (std::string e = read_text_field(L, index, "id", true, info.id); !e.empty()) return e;
  if (!is_rule_id(info.id)) {
    return "rule id '" + info.id +
           "' must be lower-case letters, digits, '_', '.' or '-' (e.g. \"off_target\")";
  }
  if (std::string e = read_text_field(L, index, "version", true, info.version); !e.empty())
    return e;
  if (std::string e = read_text_field(L, index, "description", true, info.description); !e.empty())
    return e;
  if (std::string e = read_text_field(L, index, "criterion", false, info.criterion); !e.empty())
    return e;
  if (info.criterion.empty()) info.criterion = info.id;
  if (std::string e = read_text_field(L, index, "label", false, info.label); !e.empty()) return e;
  if (std::string e = read_param_declaration(L, index, info.params); !e.empty()) return e;

  lua_pushliteral(L, "evaluate");
  if (int type = lua_rawget(L, index); type != LUA_TFUNCTION) {
    return "field 'evaluate' of the rule table must be a function(ctx) ... end, not a " +
           type_name(L, -1);
  }
  lua_pop(L, 1);
  lua_pushliteral(L, "applies_to");
  int type = lua_rawget(L, index);
  if (type != LUA_TFUNCTION && type != LUA_TNIL) {
    return "field 'applies_to' of the rule table must be a function(indicator) ... end, not a " +
           type_name(L, -1);
  }
  has_applies_to = type == LUA_TFUNCTION;
  lua_pop(L, 1);
  return {};
}

// Where the Lua function on top of the stack is defined; pops it.
SourceLocation function_location(lua_State* L, const std::string& fallback_file) {
  lua_Debug ar;
  lua_getinfo(L, ">S", &ar);
  SourceLocation location{fallback_file, 0, 0};
  if (ar.source != nullptr && ar.source[0] == '@') {
    location.file = ar.source + 1;
    location.line = ar.linedefined > 0 ? ar.linedefined : 0;
  }
  return location;
}

}  // namespace

std::optional<SourceLocation> parse_lua_location(std::string_view message) {
  message = message.substr(0, message.find('\n'));
  std::size_t pos = message.find(".lua:");
  if (pos == std::string_view::npos) return std::nullopt;
  std::string_view file = message.substr(0, pos + 4);
  if (file.find(": ") != std::string_view::npos) return std::nullopt;
  std::size_t i = pos + 5;
  int line = 0;
  std::size_t digits = 0;
  while (i < message.size() && std::isdigit(static_cast<unsigned char>(message[i])) && digits < 9) {
    line = line * 10 + (message[i] - '0');
    ++i;
    ++digits;
  }
  if (digits == 0 || i >= message.size() || message[i] != ':') return std::nullopt;
  return SourceLocation{std::string(file), line, 0};
}

std::string strip_lua_location(std::string_view message) {
  if (!parse_lua_location(message)) return std::string(message);
  std::size_t pos = message.find(".lua:") + 5;
  pos = message.find(':', pos) + 1;
  if (pos < message.size() && message[pos] == ' ') ++pos;
  return std::string(message.substr(pos));
}

RuleScript::RuleScript(RuleSource source, SandboxConfig config)
    : source_(std::move(source)), config_(std::move(config)) {}

std::unique_ptr<RuleScript> RuleScript::load(RuleSource source, SandboxConfig config,
                                             RuleFailure& failure) {
  std::unique_ptr<RuleScript> script(new RuleScript(std::move(source), std::move(config)));
  if (!script->load_state(failure)) return nullptr;
  return script;
}

bool RuleScript::load_state(RuleFailure& failure) {
  std::string error;
  std::unique_ptr<SandboxState> state = SandboxState::create(config_, error);
  if (!state) {
    failure =
        RuleFailure{"rule.load_error", error, SourceLocation{source_.chunk_name, 0, 0}, {}, {}};
    return false;
  }
  RuleInfo info;
  info.file = source_.file;
  bool has_applies_to = false;
  std::string contract_error;
  std::string unknown_field;
  int applies_to_ref = LUA_NOREF;
  int evaluate_ref = LUA_NOREF;
  SourceLocation applies_to_at;
  SourceLocation evaluate_at;
  const std::string chunk = "@" + source_.chunk_name;
  CallResult result = state->call([&](lua_State* L) {
    int status = luaL_loadbufferx(L, source_.text.data(), source_.text.size(), chunk.c_str(), "t");
    if (status == LUA_ERRMEM) SandboxState::from(L).note_memory_error();
    if (status != LUA_OK) lua_error(L);
    SandboxState::from(L).note_chunk(L);
    lua_call(L, 0, 1);
    contract_error = read_contract(L, -1, info, has_applies_to, unknown_field);
    if (!contract_error.empty()) return;
    lua_pushliteral(L, "evaluate");
    lua_rawget(L, -2);
    lua_pushvalue(L, -1);
    evaluate_at = function_location(L, source_.chunk_name);
    evaluate_ref = luaL_ref(L, LUA_REGISTRYINDEX);
    if (has_applies_to) {
      lua_pushliteral(L, "applies_to");
      lua_rawget(L, -2);
      lua_pushvalue(L, -1);
      applies_to_at = function_location(L, source_.chunk_name);
      applies_to_ref = luaL_ref(L, LUA_REGISTRYINDEX);
    }
    SandboxState::protect_global_writes(L);
  });

  if (!result.ok()) {
    failure = failure_from(result, "loading");
    failure.code = "rule.load_error";
    failure.rule_id = info.id;
    if (failure.location && failure.location->column == 0) {
      failure.location->column = syntax_error_column(source_.text, failure.location->line, failure.reason);
    }
    return false;
  }
  if (!contract_error.empty()) {
    const LinePosition at = field_position(source_.text, unknown_field);
    failure = RuleFailure{"rule.bad_contract", contract_error,
                          SourceLocation{source_.chunk_name, at.line, at.column}, info.id, {}};
    return false;
  }
  info.modules = state->modules();
  state_ = std::move(state);
  info_ = std::move(info);
  applies_to_ref_ = applies_to_ref;
  evaluate_ref_ = evaluate_ref;
  applies_to_at_ = std::move(applies_to_at);
  evaluate_at_ = std::move(evaluate_at);
  defaults_.clear();
  for (const ParamSpec& spec : info_.params.params) {
    if (spec.default_value) defaults_.emplace(spec.name, *spec.default_value);
  }
  return true;
}

RuleFailure RuleScript::failure_from(const CallResult& call, const char* doing) const {
  RuleFailure failure;
  failure.rule_id = info_.id;
  failure.traceback = call.traceback;
  failure.location = parse_lua_location(call.message);
  if (!failure.location) {
    failure.location = SourceLocation{source_.chunk_name, 0, 0};
  } else if (std::string_view file = failure.location->file; file.substr(0, 3) == "...") {
    // Lua shortens chunk names longer than LUA_IDSIZE to "...<tail>".
    const std::string& chunk = source_.chunk_name;
    std::string_view tail = file.substr(3);
    if (chunk.size() >= tail.size() &&
        chunk.compare(chunk.size() - tail.size(), tail.size(), tail) == 0) {
      failure.location->file = chunk;
    }
  }
  const std::string during = std::string(" while ") + doing;
  switch (call.status) {
    case CallStatus::kOk:
    case CallStatus::kRuntimeError:
      failure.code = "rule.runtime_error";
      failure.reason = strip_lua_location(call.message);
      break;
    case CallStatus::kInstructionLimit:
      failure.code = "rule.instruction_limit";
      failure.reason = call.needs_rebuild
                           ? "instruction limit exceeded" + during + " (" +
                                 std::to_string(config_.limits.max_instructions) +
                                 " instructions); does the rule loop forever?"
                           : strip_lua_location(call.message);
      break;
    case CallStatus::kTimeLimit:
      failure.code = "rule.time_limit";
      failure.reason = "time limit exceeded" + during + " (" +
                       std::to_string(config_.limits.max_cpu_ms) +
                       " ms of CPU time); does the rule loop forever, or work on very long text?";
      break;
    case CallStatus::kMemoryLimit:
      failure.code = "rule.memory_limit";
      failure.reason = call.needs_rebuild ? "memory limit exceeded" + during + " (" +
                                                std::to_string(config_.limits.max_bytes) + " bytes)"
                                          : strip_lua_location(call.message);
      break;
    case CallStatus::kBlockedFunction:
      failure.code = "rule.blocked_function";
      failure.reason = strip_lua_location(call.message);
      break;
    case CallStatus::kInternalError:
      failure.code = "rule.runtime_error";
      failure.reason = "internal error: " + call.message;
      break;
  }
  return failure;
}

std::variant<RuleOutcome, RuleFailure> RuleScript::evaluate(
    const RuleInput& input, const std::map<std::string, ParamValue>& params,
    std::vector<std::string>* notes) {
  if (!state_) {
    RuleFailure failure;
    if (!load_state(failure)) {
      failure.code = "rule.load_error";
      failure.reason = "could not reload the rule after a limit error: " + failure.reason;
      failure.rule_id = info_.id;
      return failure;
    }
  }
  const std::size_t cap = config_.limits.max_string_bytes;
  auto fail = [&](const CallResult& call, const char* doing) {
    RuleFailure failure = failure_from(call, doing);
    if (call.needs_rebuild) {
      // The state was interrupted mid-update; the next call starts afresh.
      state_.reset();
      applies_to_ref_ = LUA_NOREF;
      evaluate_ref_ = LUA_NOREF;
    }
    return failure;
  };

  // The catalogue's values were checked, with their locations, when it was
  // loaded; a rule must still never run on parameters it did not declare.
  if (std::string problem = check_params(info_.params, params); !problem.empty()) {
    return RuleFailure{"rule.bad_param", problem, std::nullopt, info_.id, {}};
  }
  // Most indicators set nothing: their parameters are the defaults, made once.
  std::map<std::string, ParamValue> scratch;
  const std::map<std::string, ParamValue>& effective =
      params.empty() ? defaults_ : effective_params(info_.params, params, scratch);

  RuleOutcome outcome;
  outcome.rule_id = info_.id;
  outcome.criterion = info_.criterion;
  outcome.label = info_.label;
  std::string bad_result;

  if (has_applies_to()) {
    bool applies = true;
    CallResult call = state_->call([&](lua_State* L) {
      lua_rawgeti(L, LUA_REGISTRYINDEX, applies_to_ref_);
      push_indicator(L, *input.indicator, cap);
      lua_call(L, 1, 1);
      if (lua_type(L, -1) == LUA_TBOOLEAN) {
        applies = lua_toboolean(L, -1) != 0;
      } else {
        bad_result = "applies_to must return true or false, not a " + type_name(L, -1);
      }
    });
    if (!call.ok()) return fail(call, "running applies_to");
    if (!bad_result.empty()) {
      return RuleFailure{"rule.bad_result", bad_result, applies_to_at_, info_.id, {}};
    }
    if (!applies) {
      outcome.status = RuleOutcome::Status::kNotApplicable;
      outcome.message = "does not apply to this indicator";
      return outcome;
    }
  }

  CallResult call = state_->call([&](lua_State* L) {
    lua_rawgeti(L, LUA_REGISTRYINDEX, evaluate_ref_);
    push_context(L, input, effective, cap, params.empty());
    lua_call(L, 1, 1);
    bad_result = read_outcome(L, -1, outcome, config_.limits, notes);
  });
  if (!call.ok()) return fail(call, "running evaluate");
  if (!bad_result.empty())
    return RuleFailure{"rule.bad_result", bad_result, evaluate_at_, info_.id, {}};
  return outcome;
}

}  // namespace vitals::detail
