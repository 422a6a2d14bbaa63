// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "catch.hpp"
#include "log/logging.hpp"
#include "lua/rule_set.hpp"
#include "lua/sandbox_state.hpp"
#include "support/temp_dir.hpp"

#include <vitals/diagnostic.hpp>
#include <vitals/evaluation.hpp>
#include <vitals/indicator.hpp>
#include <vitals/options.hpp>
#include <vitals/period.hpp>

#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace vitals::testing {

inline Period period(const std::string& text) { return Period::parse(text).value(); }

inline IndicatorDefinition make_indicator(std::string id,
                                          Polarity polarity = Polarity::kBiggerIsBetter,
                                          Frequency frequency = Frequency::kMonthly) {
  IndicatorDefinition indicator;
  indicator.id = std::move(id);
  indicator.title = "Title of " + indicator.id;
  indicator.description = "Why " + indicator.id + " matters";
  indicator.polarity = polarity;
  indicator.unit = Unit::kPercent;
  indicator.frequency = frequency;
  indicator.lead_officer = "Director of Adult Social Services";
  indicator.data_owner = "Business Intelligence";
  indicator.budget_lines = {"care_purchasing"};
  indicator.risks = {"RM14"};
  return indicator;
}

/// A point assessed against `target` as the engine would.
inline SeriesPoint make_point(const std::string& period_text, std::optional<double> value,
                              std::optional<double> target, Polarity polarity,
                              const Tolerance& tolerance = Tolerance{}) {
  SeriesPoint p;
  p.period = period(period_text);
  p.value = value;
  if (value) {
    Assessment a = assess(*value, target, polarity, tolerance);
    p.target = a.target;
    p.variance_pct = a.variance_pct;
    p.rag = a.rag;
  } else {
    p.target = target;
  }
  return p;
}

/// Consecutive points of the frequency of `first`, one per value.
inline std::vector<SeriesPoint> make_series(const std::string& first,
                                            const std::vector<std::optional<double>>& values,
                                            std::optional<double> target, Polarity polarity) {
  std::vector<SeriesPoint> out;
  Period p = period(first);
  for (const auto& v : values) {
    out.push_back(make_point(p.to_string(), v, target, polarity));
    p = p.next();
  }
  return out;
}

inline detail::RuleInput make_input(const IndicatorDefinition& indicator,
                                    std::vector<SeriesPoint> series,
                                    std::optional<std::string> reporting = std::nullopt) {
  detail::RuleInput input;
  input.indicator = &indicator;
  input.series = std::move(series);
  if (reporting) {
    input.period = period(*reporting);
  } else if (!input.series.empty()) {
    input.period = input.series.back().period;
  } else {
    input.period = period("2017-03");
  }
  input.data_state = input.series.empty() ? DataState::kNoData : DataState::kCurrent;
  return input;
}

inline detail::SandboxConfig test_config(SandboxLimits limits = {}) {
  return detail::SandboxConfig{limits, detail::null_logger(), {}, "test"};
}

/// Small limits so hostile scripts fail fast. No time limit: these tests
/// expect the instruction limit, which does not depend on the machine's speed
/// (or on a sanitizer's).
inline SandboxLimits tight_limits() {
  SandboxLimits limits;
  limits.max_bytes = 2u << 20;
  limits.max_instructions = 1'000'000;
  limits.max_string_bytes = 64u << 10;
  limits.max_cpu_ms = 0;
  return limits;
}

/// A SandboxState for tests that runs snippets as the chunk "rules/t.lua".
struct ScriptSandbox {
  std::unique_ptr<detail::SandboxState> state;

  explicit ScriptSandbox(detail::SandboxConfig config = test_config()) {
    std::string error;
    state = detail::SandboxState::create(std::move(config), error);
    INFO(error);
    REQUIRE(state != nullptr);
  }
  explicit ScriptSandbox(SandboxLimits limits) : ScriptSandbox(test_config(limits)) {}

  /// Runs `code`; when `result` is given, stores its first result as text.
  detail::CallResult run(const std::string& code, std::string* result = nullptr) {
    return state->call([&](lua_State* L) {
      if (luaL_loadbufferx(L, code.data(), code.size(), "@rules/t.lua", "t") != LUA_OK)
        lua_error(L);
      lua_call(L, 0, 1);
      if (result != nullptr) {
        std::size_t len = 0;
        const char* text = luaL_tolstring(L, -1, &len);
        result->assign(text, len);
      }
    });
  }

  /// Runs `code`, which must succeed, and returns its first result as text.
  std::string eval(const std::string& code) {
    std::string out;
    detail::CallResult r = run(code, &out);
    INFO(r.message);
    REQUIRE(r.ok());
    return out;
  }
};

/// The outcome of `rule_id` in `outcomes`, or a default one with an empty id.
inline RuleOutcome find_outcome(const std::vector<RuleOutcome>& outcomes,
                                const std::string& rule_id) {
  for (const RuleOutcome& o : outcomes) {
    if (o.rule_id == rule_id) return o;
  }
  return RuleOutcome{};
}

inline std::string codes_of(const std::vector<Diagnostic>& diagnostics) {
  std::string out;
  for (const Diagnostic& d : diagnostics) out += (out.empty() ? "" : " ") + d.code;
  return out;
}

inline const EvidenceValue* evidence(const RuleOutcome& outcome, const std::string& key) {
  auto it = outcome.evidence.find(key);
  return it == outcome.evidence.end() ? nullptr : &it->second;
}

}  // namespace vitals::testing
