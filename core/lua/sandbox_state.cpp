// SPDX-License-Identifier: Apache-2.0
#include "lua/sandbox_state.hpp"

#include "lua/host_functions.hpp"
#include "lua/line_coverage.hpp"
#include "lua/module_loader.hpp"
#include "lua/stdlib_allowlist.hpp"

#include <cassert>
#include <cstdlib>
#include <string_view>

namespace vitals::detail {

namespace {

// Every call starts from the same random sequence, so a rule that uses
// math.random gives the same report card on every run.
constexpr lua_Integer kRandomSeed = 20170619;

struct ProtectedCall {
  const std::function<void(lua_State*)>* body;
};

int protected_entry(lua_State* L) {
  auto* call = static_cast<ProtectedCall*>(lua_touserdata(L, 1));
  lua_settop(L, 0);
  SandboxState::from(L).reseed_if_used(L);
  (*call->body)(L);
  return 0;
}

int message_handler(lua_State* L) {
  const char* message = nullptr;
  if (lua_type(L, 1) == LUA_TSTRING || lua_type(L, 1) == LUA_TNUMBER) {
    message = lua_tostring(L, 1);
  } else {
    // Never call __tostring here: it would run script code in the handler.
    message = lua_pushfstring(L, "(error object is a %s value)", luaL_typename(L, 1));
  }
  luaL_traceback(L, L, message, 1);
  return 1;
}

int unknown_global(lua_State* L) {
  const char* name = lua_type(L, 2) == LUA_TSTRING ? lua_tostring(L, 2) : "?";
  if (is_blocked_library(name)) return raise_blocked_library(L, name);
  return luaL_error(L, "unknown global '%s'", name);
}

int new_global(lua_State* L) {
  const char* name = lua_type(L, 2) == LUA_TSTRING ? lua_tostring(L, 2) : "?";
  return luaL_error(L, "rule attempted to create global '%s'", name);
}

int panic(lua_State* L) {
  const char* message = lua_type(L, -1) == LUA_TSTRING ? lua_tostring(L, -1) : "(no message)";
  auto* state = *static_cast<SandboxState**>(lua_getextraspace(L));
  if (state != nullptr) {
    state->config().logger->critical("unprotected error in the rule sandbox (a bug in Vitals): {}",
                                     message);
    state->config().logger->flush();
  }
  std::abort();
}

void setup(lua_State* L) {
  open_sandbox_libraries(L);
  install_host_functions(L);
  install_module_loader(L);
  lua_pushglobaltable(L);
  lua_createtable(L, 0, 3);
  lua_pushcfunction(L, unknown_global);
  lua_setfield(L, -2, "__index");
  lua_pushliteral(L, "protected");
  lua_setfield(L, -2, "__metatable");
  lua_setmetatable(L, -2);
  lua_pop(L, 1);
}

std::string first_line(std::string_view text) {
  return std::string(text.substr(0, text.find('\n')));
}

}  // namespace

SandboxState::SandboxState(SandboxConfig config) : config_(std::move(config)) {
  budget_.max_bytes = config_.limits.max_bytes;
  budget_.max_instructions = config_.limits.max_instructions;
  budget_.max_string_bytes = config_.limits.max_string_bytes;
  budget_.max_cpu_ns = config_.limits.max_cpu_ms * 1'000'000;
  budget_.coverage = config_.coverage;
}

void SandboxState::note_chunk(lua_State* L) {
  if (config_.coverage != nullptr) config_.coverage->add_chunk(L, -1);
}

std::unique_ptr<SandboxState> SandboxState::create(SandboxConfig config, std::string& error) {
  std::unique_ptr<SandboxState> state(new SandboxState(std::move(config)));
  lua_State* L = lua_newstate(budget_alloc, &state->budget_);
  if (L == nullptr) {
    error = "cannot create a Lua state within the memory limit of " +
            std::to_string(state->config_.limits.max_bytes) + " bytes";
    return nullptr;
  }
  state->L_ = L;
  *static_cast<SandboxState**>(lua_getextraspace(L)) = state.get();
  lua_atpanic(L, panic);
  lua_setwarnf(
      L,
      [](void* ud, const char* message, int to_continue) {
        auto* self = static_cast<SandboxState*>(ud);
        try {
          if (self->warning_.empty() && !to_continue && message[0] == '@')
            return;  // control message
          self->warning_ += message;
          if (!to_continue) {
            self->config_.logger->warn("{}: Lua warning: {}", self->config_.label, self->warning_);
            self->warning_.clear();
          }
        } catch (const std::exception&) {
          self->warning_.clear();  // a lost warning is better than an exception inside Lua
        }
      },
      state.get());

  CallResult result = state->call(setup);
  if (!result.ok()) {
    error = "cannot set up the rule sandbox: " + result.message;
    return nullptr;
  }
  return state;
}

SandboxState::~SandboxState() {
  if (L_ != nullptr) {
    lua_close(L_);
    assert(budget_.used_bytes == 0 && "the Lua allocator lost track of memory");
  }
}

SandboxState& SandboxState::from(lua_State* L) {
  return **static_cast<SandboxState**>(lua_getextraspace(L));
}

void SandboxState::protect_global_writes(lua_State* L) {
  lua_pushglobaltable(L);
  if (lua_getmetatable(L, -1) != 0) {
    lua_pushcfunction(L, new_global);
    lua_setfield(L, -2, "__newindex");
    lua_pop(L, 1);
  }
  lua_pop(L, 1);
}

void SandboxState::reseed_if_used(lua_State* L) {
  if (!random_used_) return;
  push_randomseed(L);
  if (lua_type(L, -1) != LUA_TFUNCTION) {  // the libraries are not open yet
    lua_pop(L, 1);
    return;
  }
  lua_pushinteger(L, kRandomSeed);
  lua_call(L, 1, 0);
  random_used_ = false;
}

CallResult SandboxState::call(const std::function<void(lua_State*)>& body) {
  ++call_count_;
  blocked_ = false;
  size_cap_ = false;
  memory_error_ = false;
  pattern_limit_ = false;
  ProtectedCall call{&body};
  lua_settop(L_, 0);
  // Light C functions and a light userdata: nothing here allocates, so nothing
  // can raise before lua_pcall protects us.
  lua_pushcfunction(L_, message_handler);
  lua_pushcfunction(L_, guarded<protected_entry>);
  lua_pushlightuserdata(L_, &call);
  arm_budget(L_);
  int status = lua_pcall(L_, 1, 0, 1);
  disarm_budget(L_);
  CallResult result = classify(status);
  lua_settop(L_, 0);
  return result;
}

CallResult SandboxState::classify(int status) {
  CallResult result;
  if (status == LUA_OK) return result;
  if (lua_type(L_, -1) == LUA_TSTRING) {
    result.traceback = lua_tostring(L_, -1);
    result.message = first_line(result.traceback);
  } else {
    result.message = "(no error message)";
  }
  if (budget_.cpu_hit) {
    result.status = CallStatus::kInstructionLimit;
    result.needs_rebuild = true;
  } else if (budget_.time_hit) {
    result.status = CallStatus::kTimeLimit;
    result.needs_rebuild = true;
  } else if (budget_.string_cap_hit) {
    // Refused before the string was made; the error has no location.
    result.status = CallStatus::kMemoryLimit;
    result.message = "a string would be longer than the limit of " +
                     std::to_string(config_.limits.max_string_bytes) + " bytes";
  } else if (status == LUA_ERRMEM || memory_error_ || (status == LUA_ERRERR && budget_.mem_hit)) {
    result.status = CallStatus::kMemoryLimit;
    result.needs_rebuild = true;
    result.message = "not enough memory";
  } else if (pattern_limit_) {
    // Refused before it ran: the state is intact.
    result.status = CallStatus::kInstructionLimit;
  } else if (size_cap_) {
    result.status = CallStatus::kMemoryLimit;
  } else if (blocked_) {
    result.status = CallStatus::kBlockedFunction;
  } else if (status != LUA_ERRRUN && status != LUA_ERRERR && status != LUA_ERRSYNTAX) {
    // Lua 5.4's C++ build reports a foreign exception as status -1 with no
    // usable message; run_guarded should have made that impossible.
    result.status = CallStatus::kInternalError;
    result.needs_rebuild = true;
    result.message = "a host function raised an unexpected exception";
    result.traceback.clear();
  } else {
    result.status = CallStatus::kRuntimeError;
  }
  return result;
}

}  // namespace vitals::detail
