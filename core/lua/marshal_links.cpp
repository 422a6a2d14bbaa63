// SPDX-License-Identifier: Apache-2.0
#include "lua/marshal_links.hpp"

#include "lua/linked_records.hpp"
#include "lua/marshal.hpp"

#include <algorithm>
#include <optional>
#include <string>

namespace vitals::detail {

namespace {

void set_text(lua_State* L, const char* key, std::string_view value, std::size_t cap) {
  push_capped_string(L, value, cap);
  lua_setfield(L, -2, key);
}

void set_number(lua_State* L, const char* key, const std::optional<double>& value) {
  if (!value) return;
  lua_pushnumber(L, static_cast<lua_Number>(*value));
  lua_setfield(L, -2, key);
}

void set_integer(lua_State* L, const char* key, std::optional<int> value) {
  if (!value) return;
  lua_pushinteger(L, static_cast<lua_Integer>(*value));
  lua_setfield(L, -2, key);
}

void push_saving(lua_State* L, const Saving& s, const std::string& path, std::size_t cap) {
  lua_createtable(L, 0, 6);
  set_text(L, "id", s.id, cap);
  set_text(L, "name", s.name, cap);
  set_text(L, "budget_line", s.budget_line, cap);
  set_number(L, "planned", s.planned);
  set_number(L, "forecast", s.forecast);
  set_text(L, "rag", s.red_or_amber ? "red_or_amber" : rag_name(s.rag), cap);
  make_read_only(L, path);
}

// Sets line.cost_driver on the budget line table on top of the stack (before
// it is made read-only): what the indicator's gap to target costs the line,
// with the `per`s left in the financial year after `period`.
void set_cost_driver(lua_State* L, const CostDriver& d, const Period& period,
                     const std::string& path, std::size_t cap) {
  lua_createtable(L, 0, 10);
  set_number(L, "unit_cost", std::optional<double>(d.unit_cost));
  set_text(L, "per", cost_per_name(d.per), cap);
  set_number(L, "remaining", std::optional<double>(cost_periods_remaining(d.per, period)));
  set_number(L, "population", d.population);
  set_text(L, "population_label", d.population_label, cap);
  set_text(L, "unit_label", d.unit_label, cap);
  lua_pushboolean(L, d.unit_cost_illustrative);
  lua_setfield(L, -2, "unit_cost_illustrative");
  lua_pushboolean(L, d.population_illustrative);
  lua_setfield(L, -2, "population_illustrative");
  set_text(L, "source", d.source, cap);
  make_read_only(L, path + ".cost_driver");
  lua_setfield(L, -2, "cost_driver");
}

void push_budget_line(lua_State* L, const BudgetLine& line, const CostDriver* driver,
                      const Period& period, const std::string& path, std::size_t cap) {
  lua_createtable(L, 0, 15);
  if (driver != nullptr) set_cost_driver(L, *driver, period, path, cap);
  set_text(L, "basis", budget_basis_name(line.basis), cap);
  set_integer(L, "finance_period", line.finance_period);
  set_number(L, "previous_variance", line.previous_variance);
  if (line.previous_period) set_text(L, "previous_period", line.previous_period->to_string(), cap);
  set_text(L, "id", line.id, cap);
  set_text(L, "title", line.title, cap);
  set_text(L, "parent", line.parent, cap);
  set_text(L, "period", line.period.to_string(), cap);
  set_number(L, "budget", line.budget);
  set_number(L, "forecast", line.forecast);
  set_number(L, "variance", line.variance);
  set_number(L, "variance_pct", line.variance_pct);
  lua_createtable(L, static_cast<int>(line.savings.size()), 0);
  lua_Integer i = 0;
  for (const Saving& s : line.savings) {
    ++i;
    push_saving(L, s, path + ".savings[" + std::to_string(i) + "]", cap);
    lua_rawseti(L, -2, i);
  }
  make_read_only(L, path + ".savings");
  lua_setfield(L, -2, "savings");
  make_read_only(L, path);
}

std::optional<int> score(const std::optional<RiskScore>& s) {
  return s ? std::optional<int>(s->score()) : std::nullopt;
}

// Sets risk.link on the risk table on top of the stack (before it is made
// read-only): what the indicator measures in the risk and when it worsens it.
void set_mechanism(lua_State* L, const RiskMechanism& m, const std::string& path,
                   std::size_t cap) {
  lua_createtable(L, 0, 4);
  set_text(L, "measures", risk_measures_name(m.measures), cap);
  set_text(L, "quote", m.quote, cap);
  set_text(L, "when", risk_when_name(m.when), cap);
  if (m.when == RiskMechanism::When::kThreshold) set_number(L, "threshold", m.threshold);
  make_read_only(L, path + ".link");
  lua_setfield(L, -2, "link");
}

void push_risk(lua_State* L, const Risk& risk, const RiskMechanism* mechanism,
               const std::string& path, std::size_t cap) {
  lua_createtable(L, 0, 17);
  if (mechanism != nullptr) set_mechanism(L, *mechanism, path, cap);
  set_text(L, "id", risk.id, cap);
  set_text(L, "title", risk.title, cap);
  set_text(L, "description", risk.description, cap);
  set_text(L, "owner", risk.owner, cap);
  set_text(L, "period", risk.period.to_string(), cap);
  if (risk.current) {
    set_integer(L, "likelihood", risk.current->likelihood);
    set_integer(L, "impact", risk.current->impact);
    set_integer(L, "score", risk.current->score());
    set_text(L, "band", risk_band_name(risk_band(risk.current->score())), cap);
  }
  set_integer(L, "original_score", score(risk.original));
  if (risk.target) {
    set_integer(L, "target_likelihood", risk.target->likelihood);
    set_integer(L, "target_impact", risk.target->impact);
    set_integer(L, "target_score", risk.target->score());
  }
  set_text(L, "target_date", risk.target_date, cap);
  set_text(L, "prospects", rag_name(risk.prospects), cap);
  set_integer(L, "previous_score", risk.previous_score);
  make_read_only(L, path);
}

template <typename T, typename Push>
void push_list(lua_State* L, const std::vector<std::string>& ids,
               const std::map<std::string, T>* found, const char* name, Push push,
               std::size_t cap) {
  const std::string base = std::string("ctx.") + name;
  lua_createtable(L, static_cast<int>(ids.size()), 0);
  lua_Integer i = 0;
  if (found != nullptr) {
    for (const std::string& id : ids) {
      auto it = found->find(id);
      if (it == found->end()) continue;
      ++i;
      push(L, it->second, base + "[" + std::to_string(i) + "]", cap);
      lua_rawseti(L, -2, i);
    }
  }
  make_read_only(L, base);
  lua_setfield(L, -2, name);
}

}  // namespace

void push_links(lua_State* L, const RuleInput& input, std::size_t max_string_bytes) {
  const LinkedRecords* links = input.links;
  const CostDriver* driver = input.indicator->cost_driver.get();
  auto push_linked_line = [&](lua_State* S, const BudgetLine& line, const std::string& path,
                              std::size_t cap) {
    push_budget_line(S, line,
                     driver != nullptr && driver->budget_line == line.id ? driver : nullptr,
                     input.period, path, cap);
  };
  push_list(L, input.indicator->budget_lines, links ? &links->budget_lines : nullptr,
            "budget_lines", push_linked_line, max_string_bytes);
  const std::vector<RiskMechanism>& mechanisms = input.indicator->risk_mechanisms;
  auto push_linked_risk = [&](lua_State* S, const Risk& risk, const std::string& path,
                              std::size_t cap) {
    auto it = std::find_if(mechanisms.begin(), mechanisms.end(),
                           [&](const RiskMechanism& m) { return m.risk_id == risk.id; });
    push_risk(S, risk, it == mechanisms.end() ? nullptr : &*it, path, cap);
  };
  push_list(L, input.indicator->risks, links ? &links->risks : nullptr, "risks", push_linked_risk,
            max_string_bytes);
}

}  // namespace vitals::detail
