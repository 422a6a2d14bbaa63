// SPDX-License-Identifier: Apache-2.0
// Adversarial rules (DESIGN.md §2.4 checklist). Every hostile rule must end in
// the named diagnostic while the other rules of the same set keep working, on
// the first evaluation and on the next one.
#include "catch.hpp"
#include "lua/lua_test_support.hpp"

#include <algorithm>
#include <array>
#include <chrono>
#include <cstdlib>
#include <fstream>
#include <string>
#include <unistd.h>
#include <vector>

namespace vitals::detail {
namespace {

using vitals::testing::find_outcome;
using vitals::testing::make_indicator;
using vitals::testing::make_input;
using vitals::testing::make_series;
using vitals::testing::TempDir;

std::string rule(const std::string& id, const std::string& body) {
  return "return {\n  id = '" + id +
         "', version = '1', description = 'hostile',\n  evaluate = function(ctx)\n" + body +
         "\n  end,\n}\n";
}

const char* kCanary = R"(return {
  id = "canary", version = "1", description = "checks the set still works",
  evaluate = function(ctx)
    local total = 0
    for _, p in ipairs(ctx.series) do total = total + p.value end
    return { status = "ok", message = "total " .. vitals.format(total), evidence = { n = #ctx.series } }
  end,
})";

struct Escape {
  const char* name;
  std::string body;
  const char* code;     // the expected diagnostic code
  const char* message;  // expected text in the outcome's message
};

RuleSet load_with_canary(const TempDir& dir, const std::string& hostile_rule, SandboxLimits limits,
                         std::vector<Diagnostic>& diagnostics) {
  dir.write("rules/canary.lua", kCanary);
  dir.write("rules/hostile.lua", hostile_rule);
  dir.write("rules/lib/bytecode.lua",
            std::string("\x1bLua\x54\x00\x19\x93\r\n\x1a\n", 12) + "payload");
  return RuleSet::load({dir / "rules"}, limits, nullptr, diagnostics);
}

struct Harness {
  TempDir dir;
  std::vector<Diagnostic> load_diagnostics;
  RuleSet set;
  IndicatorDefinition indicator =
      make_indicator("dtoc_social_care_per_100k", Polarity::kSmallerIsBetter);

  Harness(const std::string& hostile_rule, SandboxLimits limits)
      : set(load_with_canary(dir, hostile_rule, limits, load_diagnostics)) {}

  RuleInput input() const {
    return make_input(
        indicator, make_series("2016-12", {3.2, 3.4, 3.5, 3.56}, 1.5, Polarity::kSmallerIsBetter));
  }
};

// No time limit: these tests expect the instruction limit, which does not
// depend on the machine's speed (or on a sanitizer's).
SandboxLimits test_limits() {
  SandboxLimits limits;
  limits.max_bytes = 4u << 20;
  limits.max_instructions = 2'000'000;
  limits.max_string_bytes = 256u << 10;
  limits.max_cpu_ms = 0;
  return limits;
}

void check_escape(const Escape& e, SandboxLimits limits = test_limits()) {
  INFO(e.name);
  Harness h(rule("hostile", e.body), limits);
  REQUIRE(h.load_diagnostics.empty());
  REQUIRE(h.set.rules().size() == 2);
  for (int round = 1; round <= 2; ++round) {
    INFO("round " << round);
    std::vector<Diagnostic> diagnostics;
    auto outcomes = h.set.evaluate(h.input(), diagnostics);
    REQUIRE(outcomes.size() == 2);
    RuleOutcome canary = find_outcome(outcomes, "canary");
    CHECK(canary.status == RuleOutcome::Status::kOk);
    CHECK(canary.message == "total 13.66");
    RuleOutcome hostile = find_outcome(outcomes, "hostile");
    CHECK(hostile.status == RuleOutcome::Status::kError);
    CHECK(hostile.message.rfind("could not evaluate: ", 0) == 0);
    CHECK(hostile.message.find(e.message) != std::string::npos);
    REQUIRE(diagnostics.size() == 1);
    CHECK(diagnostics[0].code == e.code);
    CHECK(diagnostics[0].rule_id == "hostile");
    CHECK(diagnostics[0].indicator_id == "dtoc_social_care_per_100k");
    REQUIRE(diagnostics[0].location);
    CHECK(diagnostics[0].location->file == "rules/hostile.lua");
  }
}

TEST_CASE("an endless loop hits the instruction limit", "[lua][sandbox][escape]") {
  check_escape(
      {"while true", "while true do end", "rule.instruction_limit", "instruction limit exceeded"});
}

TEST_CASE("a loop wrapped in pcall is stopped: pcall is blocked", "[lua][sandbox][escape]") {
  check_escape({"pcall loop", "while true do pcall(function() while true do end end) end",
                "rule.blocked_function", "blocked function called: pcall"});
  check_escape({"xpcall", "return xpcall(error, print)", "rule.blocked_function",
                "blocked function called: xpcall"});
}

TEST_CASE("memory bombs hit the memory limit", "[lua][sandbox][escape]") {
  // Capped by max_string_bytes before any allocation.
  check_escape({"string.rep bomb", "local s = string.rep('x', 1 << 30)", "rule.memory_limit",
                "string.rep would make a string longer than the limit of 262144 bytes"});
  // Fresh allocations past the byte budget (doubling concatenation).
  check_escape({"concat bomb", "local s = 'x' while true do s = s .. s end", "rule.memory_limit",
                "a string would be longer than the limit of 262144 bytes"});
  // Reallocation path: a table that keeps growing.
  check_escape({"table growth", "local t = {} local i = 0 while true do i = i + 1 t[i] = i end",
                "rule.memory_limit", "memory limit exceeded"});
  // Many strings kept alive.
  check_escape({"string hoard", "local t = {} for i = 1, 1e9 do t[i] = ('yyyyyyyyyy'):rep(100) .. i end",
                "rule.memory_limit", "memory limit exceeded"});
}

TEST_CASE("string.rep past the string cap fails even when memory would allow it",
          "[lua][sandbox][escape]") {
  SandboxLimits limits = test_limits();
  limits.max_bytes = 64u << 20;
  limits.max_string_bytes = 1u << 20;
  check_escape({"rep over cap", "return ('x'):rep((1 << 20) + 1)", "rule.memory_limit",
                "string.rep would make a string longer than the limit of 1048576 bytes"},
               limits);
  // With a string cap above the memory limit the allocator catches the same bomb.
  limits.max_bytes = 2u << 20;
  limits.max_string_bytes = 64u << 20;
  check_escape({"rep over memory", "return ('x'):rep(32 << 20)", "rule.memory_limit",
                "memory limit exceeded"},
               limits);
}

TEST_CASE("an overlong pattern subject is rejected by the size cap before matching",
          "[lua][sandbox][escape]") {
  // Backtracking patterns run in C, outside the instruction budget; the cap keeps subjects small.
  check_escape(
      {"pattern subject",
       "local s = ('a'):rep(1 << 24) return { status = 'ok', message = s:match('.-.-.-b') }",
       "rule.memory_limit", "string.rep would make a string longer than the limit"});
}

TEST_CASE("a backtracking pattern on a subject within the string cap is refused",
          "[lua][sandbox][escape]") {
  // 50,000 bytes is under the 256 KiB cap, so the size cap alone would let this run for years.
  check_escape({"pattern blow-up", "return { status = 'ok', message = tostring(string.rep('a', 50000):find('.-.-.-.-.-.-b')) }",
                "rule.instruction_limit",
                "string.find: the pattern '.-.-.-.-.-.-b' could take up to"});
  check_escape({"nested repetition", "return { status = 'ok', message = (('a'):rep(40000):match('(a*)*b')) }",
                "rule.instruction_limit", "string.match: the pattern '(a*)*b'"});
}

TEST_CASE("many affordable pattern calls still add up to the instruction budget",
          "[lua][sandbox][escape]") {
  // Each call could take 301 x 301 x 2 steps: affordable once, not eleven times over.
  check_escape({"pattern loop",
                "local s = ('a'):rep(300) for i = 1, 1e9 do s:find('a-b') end",
                "rule.instruction_limit", "string.find: the pattern 'a-b' could take up to"});
}

// Work done in C for one Lua instruction: each of these loops ran for minutes
// to hours per call under the instruction budget alone. Under the default
// limits each must stop, with `codes` (the time limit, or the instruction
// limit when the library functions' charges use it up first), well within
// a few seconds of wall time, even on a busy machine.
void check_stopped(const char* name, const std::string& body, std::vector<std::string> codes) {
  INFO(name);
  Harness h(rule("hostile", body), SandboxLimits{});
  REQUIRE(h.load_diagnostics.empty());
  for (int round = 1; round <= 2; ++round) {
    INFO("round " << round);
    std::vector<Diagnostic> diagnostics;
    const auto start = std::chrono::steady_clock::now();
    auto outcomes = h.set.evaluate(h.input(), diagnostics);
    const std::chrono::duration<double> took = std::chrono::steady_clock::now() - start;
    CHECK(took.count() < 5.0);
    CHECK(find_outcome(outcomes, "canary").message == "total 13.66");
    CHECK(find_outcome(outcomes, "hostile").status == RuleOutcome::Status::kError);
    REQUIRE(diagnostics.size() == 1);
    INFO(diagnostics[0].to_string());
    CHECK(std::find(codes.begin(), codes.end(), diagnostics[0].code) != codes.end());
    CHECK(diagnostics[0].indicator_id == "dtoc_social_care_per_100k");
    REQUIRE(diagnostics[0].location);
    CHECK(diagnostics[0].location->file == "rules/hostile.lua");
    CHECK(diagnostics[0].location->line > 0);
  }
}

const char* const kTwoLongStrings =
    "local a = ('x'):rep(1 << 20)\n    local b = ('x'):rep(1 << 20)\n    local n = 0\n";

TEST_CASE("comparing long strings in a loop stops at the time limit", "[lua][sandbox][escape][time]") {
  // Each == is a 1 MiB memcmp in the VM, which the instruction count cannot see.
  check_stopped("== on 1 MiB strings",
                std::string(kTwoLongStrings) + "    while true do if a == b then n = n + 1 end end",
                {"rule.time_limit"});
  check_stopped("< on 1 MiB strings",
                std::string(kTwoLongStrings) + "    while true do if a < b then n = n + 1 end end",
                {"rule.time_limit"});
}

TEST_CASE("string functions on long text in a loop stop within the budget",
          "[lua][sandbox][escape][time]") {
  check_stopped("upper",
                std::string(kTwoLongStrings) + "    while true do local u = a:upper() end",
                {"rule.time_limit", "rule.instruction_limit"});
  check_stopped("lower", std::string(kTwoLongStrings) + "    while true do local u = a:lower() end",
                {"rule.time_limit", "rule.instruction_limit"});
  check_stopped("sub", std::string(kTwoLongStrings) + "    while true do local u = a:sub(2) end",
                {"rule.time_limit", "rule.instruction_limit"});
  check_stopped("reverse",
                std::string(kTwoLongStrings) + "    while true do local u = a:reverse() end",
                {"rule.time_limit", "rule.instruction_limit"});
  check_stopped("format",
                std::string(kTwoLongStrings) + "    while true do local u = ('%s'):format(a) end",
                {"rule.time_limit", "rule.instruction_limit"});
  check_stopped("byte", std::string(kTwoLongStrings) + "    while true do local u = a:byte(1, 100000) end",
                {"rule.time_limit", "rule.instruction_limit"});
  check_stopped("utf8.len", std::string(kTwoLongStrings) + "    while true do local u = utf8.len(a) end",
                {"rule.time_limit", "rule.instruction_limit"});
  check_stopped("table.concat",
                std::string(kTwoLongStrings) +
                    "    local t = {} for i = 1, 1000 do t[i] = a:sub(1, 1000) end\n"
                    "    while true do local u = table.concat(t) end",
                {"rule.time_limit", "rule.instruction_limit"});
  check_stopped("table.insert at the front",
                "    local t = {} for i = 1, 500000 do t[i] = i end\n"
                "    while true do table.insert(t, 1, 0) table.remove(t, 1) end",
                {"rule.time_limit", "rule.instruction_limit"});
}

TEST_CASE("table.sort of many long strings stops within the budget",
          "[lua][sandbox][escape][time]") {
  // 400,000 references to one 1 MiB string: each comparison is a 1 MiB strcoll.
  check_stopped("sort", std::string(kTwoLongStrings) +
                            "    local t = {} for i = 1, 400000 do t[i] = a end\n    table.sort(t)",
                {"rule.time_limit", "rule.instruction_limit"});
  // A comparison function written in C is charged too.
  check_stopped("sort with a C comparison",
                "    local t = {} for i = 1, 400000 do t[i] = i end\n"
                "    while true do table.sort(t, rawequal) end",
                {"rule.time_limit", "rule.instruction_limit"});
}

TEST_CASE("a pattern with a long character class is charged for the class",
          "[lua][sandbox][escape][time]") {
  check_stopped("1 MiB class",
                "    local class = '[' .. ('a'):rep((1 << 20) - 2) .. ']'\n"
                "    local s = ('b'):rep(100)\n    while true do s:gsub(class, '') end",
                {"rule.instruction_limit"});
}

TEST_CASE("strings longer than the string cap cannot be made by concatenation",
          "[lua][sandbox][escape]") {
  // Two 7 MiB strings fit in the memory limit; the string cap refuses them.
  check_escape({"..", "local s = ('x'):rep(1 << 20)\n    local a = s .. s .. s .. s .. s .. s .. s",
                "rule.memory_limit", "a string would be longer than the limit of 1048576 bytes"},
               SandboxLimits{});
  check_escape({"table.concat",
                "local s = ('x'):rep(1 << 20)\n    local a = table.concat({ s, s, s, s, s, s, s })",
                "rule.memory_limit", "a string would be longer than the limit of 1048576 bytes"},
               SandboxLimits{});
}

TEST_CASE("loaders and dangerous libraries are blocked", "[lua][sandbox][escape]") {
  check_escape({"load", "return load('return 1')()", "rule.blocked_function",
                "blocked function called: load"});
  check_escape({"loadstring", "return loadstring('return 1')()", "rule.runtime_error",
                "unknown global 'loadstring'"});
  check_escape({"dofile", "dofile('/etc/passwd')", "rule.blocked_function",
                "blocked function called: dofile"});
  check_escape({"loadfile", "loadfile('/etc/passwd')", "rule.blocked_function",
                "blocked function called: loadfile"});
  check_escape({"require os", "local os = require 'os' return os.execute('true')",
                "rule.blocked_function", "blocked library used: os is not available to rules"});
  check_escape({"require path", "return require '../../../etc/passwd'", "rule.runtime_error",
                "invalid module name '../../../etc/passwd'"});
  check_escape({"dump method", "return ('x'):dump()", "rule.blocked_function",
                "blocked function called: string.dump"});
  check_escape({"io", "return io.open('/etc/passwd'):read('a')", "rule.blocked_function",
                "blocked library used: io is not available to rules"});
  check_escape({"os.execute", "os.execute('touch /tmp/pwned')", "rule.blocked_function",
                "blocked library used: os is not available to rules"});
  check_escape(
      {"debug", "debug.sethook()", "rule.blocked_function", "blocked library used: debug"});
  check_escape({"coroutine", "coroutine.wrap(function() end)()", "rule.blocked_function",
                "blocked library used: coroutine"});
  check_escape({"collectgarbage", "collectgarbage('stop')", "rule.blocked_function",
                "blocked function called: collectgarbage"});
  check_escape({"setmetatable", "return setmetatable({}, { __gc = function() end })",
                "rule.blocked_function", "blocked function called: setmetatable"});
  check_escape({"getmetatable", "getmetatable('').__index.dump = print", "rule.blocked_function",
                "blocked function called: getmetatable"});
  check_escape(
      {"rawset", "rawset(_G, 'x', 1)", "rule.blocked_function", "blocked function called: rawset"});
  check_escape({"rawget", "return rawget(_G, 'io')", "rule.blocked_function",
                "blocked function called: rawget"});
}

TEST_CASE("bytecode cannot reach the loader", "[lua][sandbox][escape]") {
  // string.dump is blocked, so no bytecode can be made in the sandbox ...
  check_escape({"dump then load", "return load(string.dump(function() end), nil, 'b')",
                "rule.blocked_function", "blocked function called: string.dump"});
  // ... and bytecode written to a file is refused: modules and rules load as text only.
  check_escape({"bytecode module", "return require 'bytecode'", "rule.runtime_error",
                "attempt to load a binary chunk (mode is 't')"});
  TempDir dir;
  dir.write("rules/binary.lua", std::string("\x1bLua\x54\x00", 6) + "payload");
  std::vector<Diagnostic> diagnostics;
  RuleSet set = RuleSet::load({dir / "rules"}, test_limits(), nullptr, diagnostics);
  CHECK(set.rules().empty());
  REQUIRE(diagnostics.size() == 1);
  CHECK(diagnostics[0].code == "rule.load_error");
  CHECK(diagnostics[0].message ==
        "could not load rule: attempt to load a binary chunk (mode is 't')");
}

TEST_CASE("global writes and unknown global reads are refused", "[lua][sandbox][escape]") {
  check_escape({"global write", "leaked = ctx", "rule.runtime_error",
                "rule attempted to create global 'leaked'"});
  check_escape({"global write via _G", "_G.leaked = 1", "rule.runtime_error",
                "rule attempted to create global 'leaked'"});
  check_escape({"unknown global", "return { status = 'ok', message = tostring(undefined_thing) }",
                "rule.runtime_error", "unknown global 'undefined_thing'"});
}

TEST_CASE("returned tables are read raw: metatables never run", "[lua][sandbox][escape]") {
  // The only tables with metatables a rule can hold are ctx views.
  check_escape(
      {"return ctx", "return ctx", "rule.bad_result", "the result of evaluate needs status"});
  check_escape({"return latest", "return ctx.latest", "rule.bad_result",
                "the result of evaluate needs status"});
  check_escape(
      {"string result", "return 'exception'", "rule.bad_result", "evaluate must return a table"});
  check_escape({"view as evidence",
                "return { status = 'ok', message = 'x', evidence = ctx.indicator }",
                "rule.bad_result",
                "evidence 'budget_lines' must be a number, text or true/false, not a table"});
}

TEST_CASE("metatable tricks on ctx views and results fail cleanly", "[lua][sandbox][escape]") {
  // A view's metatable is hidden, so it cannot be taken apart or reused.
  check_escape({"view metatable", "return getmetatable(ctx)", "rule.blocked_function",
                "blocked function called: getmetatable"});
  // A view cannot be a to-be-closed value: it has no __close, and none can be added.
  check_escape({"close a view", "local c <close> = ctx return { status = 'ok', message = 'x' }",
                "rule.runtime_error", "variable 'c' got a non-closable value"});
  // The result's own fields are read raw: a view as the message is not text.
  check_escape({"view as message", "return { status = 'ok', message = ctx.latest }",
                "rule.bad_result", "needs message = \"...\" (text), not a table"});
  // A view as the status, and a function as evidence.
  check_escape({"view as status", "return { status = ctx.params, message = 'x' }",
                "rule.bad_result", "needs status = \"exception\", \"ok\" or"});
  check_escape({"function as evidence",
                "return { status = 'ok', message = 'x', evidence = { f = print } }",
                "rule.bad_result", "evidence 'f' must be a number, text or true/false, not a function"});
  // String methods cannot be replaced through the protected string metatable.
  check_escape({"string index", "local s = 'x' s.upper = nil", "rule.runtime_error",
                "attempt to index a string value"});
}

TEST_CASE("ctx cannot be changed to fool the host or other rules", "[lua][sandbox][escape]") {
  check_escape({"write ctx", "ctx.latest.value = 0", "rule.runtime_error",
                "ctx.series[4] is read-only (cannot set 'value')"});
}

TEST_CASE("a host function that throws fails only its rule", "[lua][sandbox][escape]") {
  check_escape({"host throws", "return vitals.next_period('not a period')", "rule.runtime_error",
                "vitals.next_period: invalid period 'not a period'"});
  check_escape({"host bad argument", "return vitals.format({})", "rule.runtime_error",
                "bad argument #1 to 'format' (number expected, got table)"});
}

TEST_CASE("deep recursion is an error, not a crash", "[lua][sandbox][escape]") {
  SandboxLimits limits = test_limits();
  limits.max_bytes = 256u << 20;
  limits.max_instructions = 200'000'000;
  check_escape({"Lua recursion", "local function f(n) return 1 + f(n + 1) end return f(1)",
                "rule.runtime_error", "stack overflow"},
               limits);
  check_escape({"C recursion", "local function f(s) return (s:gsub('.', f)) end return f('x')",
                "rule.runtime_error", "stack overflow"},
               limits);
  // Under a tight memory limit the Lua stack itself runs out of memory first.
  check_escape({"recursion under memory limit",
                "local function f(n) return 1 + f(n + 1) end return f(1)", "rule.memory_limit",
                "memory limit exceeded"});
}

TEST_CASE("a hostile applies_to is contained like evaluate", "[lua][sandbox][escape]") {
  Harness h(R"(return {
  id = "hostile", version = "1", description = "d",
  applies_to = function(indicator) while true do end end,
  evaluate = function(ctx) return { status = "ok", message = "" } end,
})",
            test_limits());
  std::vector<Diagnostic> diagnostics;
  auto outcomes = h.set.evaluate(h.input(), diagnostics);
  CHECK(find_outcome(outcomes, "canary").status == RuleOutcome::Status::kOk);
  CHECK(find_outcome(outcomes, "hostile").status == RuleOutcome::Status::kError);
  REQUIRE(diagnostics.size() == 1);
  CHECK(diagnostics[0].code == "rule.instruction_limit");
  CHECK(*diagnostics[0].location == SourceLocation{"rules/hostile.lua", 3, 0});
}

TEST_CASE("limits hit while loading leave the rule out and the others loaded",
          "[lua][sandbox][escape]") {
  TempDir dir;
  dir.write("rules/canary.lua", kCanary);
  dir.write("rules/spin.lua", "while true do end");
  dir.write("rules/hog.lua", "local t = {} for i = 1, 1e9 do t[i] = i end");
  std::vector<Diagnostic> diagnostics;
  RuleSet set = RuleSet::load({dir / "rules"}, test_limits(), nullptr, diagnostics);
  REQUIRE(set.rules().size() == 1);
  CHECK(set.rules()[0].id == "canary");
  REQUIRE(diagnostics.size() == 2);
  CHECK(diagnostics[0].to_string() ==
        "rules/hog.lua: error: could not load rule: memory limit exceeded while loading (4194304 "
        "bytes) "
        "[rule.load_error]");
  CHECK(diagnostics[1].to_string() ==
        "rules/spin.lua:1: error: could not load rule: instruction limit exceeded while loading "
        "(2000000 "
        "instructions); does the rule loop forever? [rule.load_error]");
}

// The outcome of a rule that leans on everything Lua randomises per process:
// string hashing (pairs order), table addresses and math.random.
std::string deterministic_run() {
  TempDir dir;
  dir.write("rules/noisy.lua", R"(return {
  id = "noisy", version = "1", description = "d",
  evaluate = function(ctx)
    local t = {}
    for i = 1, 50 do t["key" .. i] = i end
    local order = {}
    for k in vitals.sorted_pairs(t) do order[#order + 1] = k end
    local evidence = {}
    for i = 1, 20 do evidence["e" .. i] = math.random(1000) end
    return { status = "ok", message = table.concat(order, ",") .. ";" .. math.random(1 << 30), evidence = evidence }
  end,
})");
  std::vector<Diagnostic> diagnostics;
  RuleSet set = RuleSet::load({dir / "rules"}, SandboxLimits{}, nullptr, diagnostics);
  IndicatorDefinition indicator = make_indicator("i");
  std::string out;
  for (int i = 0; i < 2; ++i) {
    for (const RuleOutcome& o : set.evaluate(make_input(indicator, {}), diagnostics)) {
      out += o.message + "|";
      for (const auto& [k, v] : o.evidence)
        out += k + "=" + std::to_string(std::get<double>(v)) + ",";
    }
  }
  return out;
}

// Run by the test below in a fresh process (its own address layout and hash seed).
TEST_CASE("determinism child process", "[.determinism_child]") {
  const char* out = std::getenv("VITALS_DETERMINISM_OUT");
  REQUIRE(out != nullptr);
  std::ofstream(out, std::ios::binary) << deterministic_run();
}

TEST_CASE("identical output across two processes (determinism)",
          "[lua][sandbox][escape][determinism]") {
  std::string here = deterministic_run();
  REQUIRE(here.find("key1,key10,key11") == 0);
  // Two evaluations in one state agree, and so does a second state in this process.
  CHECK(here.substr(0, here.size() / 2) == here.substr(here.size() / 2));
  CHECK(deterministic_run() == here);

  std::array<char, 4096> self{};
  ssize_t len = readlink("/proc/self/exe", self.data(), self.size() - 1);
  REQUIRE(len > 0);
  TempDir dir;
  std::string out = (dir / "child.txt").string();
  std::string command = "VITALS_DETERMINISM_OUT='" + out + "' '" +
                        std::string(self.data(), static_cast<std::size_t>(len)) +
                        "' '[.determinism_child]' > /dev/null 2>&1";
  REQUIRE(std::system(command.c_str()) == 0);
  CHECK(vitals::testing::read_file(out) == here);
}

}  // namespace
}  // namespace vitals::detail
