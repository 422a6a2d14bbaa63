// SPDX-License-Identifier: Apache-2.0
#include "config/derived_parser.hpp"

#include "common/user_text.hpp"
#include "config/indicator_parser.hpp"
#include "config/indicator_schema.hpp"

#include <algorithm>
#include <array>
#include <functional>
#include <map>
#include <memory>
#include <set>
#include <string>

namespace vitals::detail {

namespace {

constexpr std::array kOperations = {
    DerivedOperation::kPercentage, DerivedOperation::kRatePer100k,
    DerivedOperation::kRolling12MonthSum, DerivedOperation::kRolling12MonthAverage,
    DerivedOperation::kYearToDate};

// The inputs an operation takes, in DerivedDefinition::inputs order.
std::vector<std::string> roles_of(DerivedOperation operation) {
  switch (operation) {
    case DerivedOperation::kPercentage: return {"numerator", "denominator"};
    case DerivedOperation::kRatePer100k: return {"count", "population"};
    default: return {"input"};
  }
}

constexpr std::array<std::string_view, 5> kAllRoles = {"numerator", "denominator", "count",
                                                       "population", "input"};

std::string and_list(const std::vector<std::string>& words) {
  std::string out;
  for (std::size_t i = 0; i < words.size(); ++i) {
    if (i > 0) out += i + 1 == words.size() ? " and " : ", ";
    out += words[i];
  }
  return out;
}

// Reads one input reference: an indicator id, or "source/series".
std::optional<DerivedInput> read_input(const toml::value<std::string>& node, std::string role,
                                       const Catalogue* catalogue, FileContext& ctx) {
  DerivedInput input;
  input.role = std::move(role);
  input.reference = node.get();
  input.location = ctx.location(node.source());
  const std::string& text = input.reference;
  const std::string where = "derived." + input.role;
  const std::size_t slash = text.find('/');
  if (slash == std::string::npos) {
    if (!is_valid_indicator_id(text)) {
      ctx.error("config.bad_value",
                where + " must be an indicator id or \"source/series\", found " +
                    quote_user_text(text),
                node.source());
      return std::nullopt;
    }
    input.indicator_id = text;
    return input;
  }
  input.series.source = text.substr(0, slash);
  input.series.series = text.substr(slash + 1);
  if (input.series.source.empty() || input.series.series.empty()) {
    ctx.error("config.bad_value",
              where + " must name a source and a series of it, as \"source/series\", found " +
                  quote_user_text(text),
              node.source());
    return std::nullopt;
  }
  if (catalogue != nullptr) {
    std::vector<std::string> names;
    for (const SourceDefinition& s : catalogue->sources) names.push_back(s.name);
    if (std::find(names.begin(), names.end(), input.series.source) == names.end()) {
      ctx.error("config.unknown_reference",
                where + " names unknown source " + quote_user_text(input.series.source) +
                    did_you_mean(input.series.source, names),
                node.source());
      return std::nullopt;
    }
  }
  return input;
}

Diagnostic located_error(std::string code, std::string message, const SourceLocation& where,
                         const std::string& indicator_id) {
  Diagnostic d = Diagnostic::make(Severity::kError, std::move(code), std::move(message), where);
  d.indicator_id = indicator_id;
  return d;
}

bool windowed(DerivedOperation operation) {
  return operation == DerivedOperation::kRolling12MonthSum ||
         operation == DerivedOperation::kRolling12MonthAverage ||
         operation == DerivedOperation::kYearToDate;
}

// The frequency `input` must have, for an indicator of `frequency`.
Frequency required_frequency(const DerivedInput& input, Frequency frequency) {
  return input.role == "population" ? Frequency::kAnnual : frequency;
}

}  // namespace

std::optional<DerivedDefinition> parse_derived(const toml::table& table, const Catalogue* catalogue,
                                               FileContext& ctx) {
  const int errors_before = ctx.error_count();
  check_table(table, kDerivedSchema, "[indicator.derived]", "derived.", ctx);
  DerivedDefinition def;
  def.location = ctx.location(table.source());
  const toml::node* op_node = table.get("operation");
  if (op_node == nullptr || !op_node->is_string()) return std::nullopt;
  const std::string& op_text = op_node->as_string()->get();
  std::vector<std::string> op_names;
  for (DerivedOperation op : kOperations) op_names.emplace_back(derived_operation_name(op));
  auto found = std::find(op_names.begin(), op_names.end(), op_text);
  if (found == op_names.end()) {
    ctx.error("config.bad_value",
              "derived.operation must be one of " + quoted_alternatives(op_names) + ", found " +
                  quote_user_text(op_text) + did_you_mean(op_text, op_names),
              op_node->source());
    return std::nullopt;
  }
  def.operation = kOperations[static_cast<std::size_t>(found - op_names.begin())];
  const std::vector<std::string> roles = roles_of(def.operation);
  for (std::string_view role : kAllRoles) {
    const toml::node* node = table.get(role);
    if (node == nullptr) continue;
    if (std::find(roles.begin(), roles.end(), role) != roles.end()) continue;
    auto it = table.find(role);
    ctx.error("config.unknown_key",
              "operation '" + op_text + "' takes no " + std::string(role) + ": it takes " +
                  and_list(roles),
              it->first.source());
  }
  for (const std::string& role : roles) {
    const toml::node* node = table.get(role);
    if (node == nullptr) {
      ctx.error("config.missing_key",
                "[indicator.derived] with operation '" + op_text + "' is missing required key '" +
                    role + "'",
                table.source());
      continue;
    }
    if (!node->is_string()) continue;  // reported by check_table
    if (auto input = read_input(*node->as_string(), role, catalogue, ctx)) {
      def.inputs.push_back(std::move(*input));
    }
  }
  if (ctx.error_count() != errors_before) return std::nullopt;
  return def;
}

void resolve_derived(std::vector<IndicatorDefinition>& indicators,
                     std::vector<Diagnostic>& diagnostics) {
  std::map<std::string, std::size_t> by_id;
  std::vector<std::string> ids;
  for (std::size_t i = 0; i < indicators.size(); ++i) {
    by_id.emplace(indicators[i].id, i);
    ids.push_back(indicators[i].id);
  }
  // Mutable copies of the derived tables, shared by the indicators once resolved.
  std::vector<std::shared_ptr<DerivedDefinition>> own(indicators.size());
  for (std::size_t i = 0; i < indicators.size(); ++i) {
    if (indicators[i].derived) own[i] = std::make_shared<DerivedDefinition>(*indicators[i].derived);
  }
  // Each derived indicator's edges to the derived indicators it reads.
  std::map<std::size_t, std::vector<std::pair<std::size_t, const DerivedInput*>>> edges;
  for (std::size_t i = 0; i < indicators.size(); ++i) {
    IndicatorDefinition& def = indicators[i];
    if (!own[i]) continue;
    DerivedDefinition& derived = *own[i];
    if (windowed(derived.operation) && (def.frequency == Frequency::kAnnual ||
                                        def.frequency == Frequency::kFinancialYear)) {
      diagnostics.push_back(located_error(
          "config.derived_frequency",
          std::string("operation '") + derived_operation_name(derived.operation) +
              "' needs months or quarters, but '" + def.id + "' is " +
              frequency_name(def.frequency),
          derived.location, def.id));
    }
    for (DerivedInput& input : derived.inputs) {
      if (input.indicator_id.empty()) continue;
      auto it = by_id.find(input.indicator_id);
      if (it == by_id.end()) {
        std::string message = "derived." + input.role + " names unknown indicator " +
                              quote_user_text(input.indicator_id);
        if (auto best = closest_match(input.indicator_id, ids)) {
          message += "; did you mean '" + *best + "'?";
        } else {
          message += "; to read a series no indicator shows, write \"source/series\"";
        }
        diagnostics.push_back(
            located_error("config.unknown_reference", std::move(message), input.location, def.id));
        continue;
      }
      const IndicatorDefinition& from = indicators[it->second];
      input.series = from.source;
      const Frequency wanted = required_frequency(input, def.frequency);
      if (from.frequency != wanted) {
        diagnostics.push_back(located_error(
            "config.derived_frequency",
            "derived." + input.role + " '" + from.id + "' is " + frequency_name(from.frequency) +
                ", but '" + def.id + "' needs " + frequency_name(wanted) +
                (input.role == "population" ? " figures (mid-year estimates, one per year)"
                                            : " figures, as it is itself"),
            input.location, def.id));
      }
      if (from.derived) edges[i].emplace_back(it->second, &input);
    }
  }

  // Cycles, by depth-first search; each reported once, at the reference
  // that closes it.
  enum class Mark { kNone, kActive, kDone };
  std::vector<Mark> marks(indicators.size(), Mark::kNone);
  std::vector<std::size_t> path;
  std::set<std::size_t> cyclic;
  std::function<void(std::size_t)> visit = [&](std::size_t i) {
    marks[i] = Mark::kActive;
    path.push_back(i);
    for (const auto& [next, input] : edges[i]) {
      if (marks[next] == Mark::kActive) {
        std::string chain;
        auto start = std::find(path.begin(), path.end(), next);
        for (auto p = start; p != path.end(); ++p) {
          chain += indicators[*p].id + " -> ";
          cyclic.insert(*p);
        }
        chain += indicators[next].id;
        diagnostics.push_back(located_error(
            "config.derived_cycle",
            "derived indicators depend on themselves: " + chain +
                "; a derived indicator may read only series that do not depend on it",
            input->location, indicators[i].id));
      } else if (marks[next] == Mark::kNone) {
        visit(next);
      }
    }
    path.pop_back();
    marks[i] = Mark::kDone;
  };
  for (std::size_t i = 0; i < indicators.size(); ++i) {
    if (indicators[i].derived && marks[i] == Mark::kNone) visit(i);
  }

  // The sources each derived indicator depends on, through derived inputs.
  std::map<std::size_t, std::set<std::string>> sources;
  std::function<const std::set<std::string>&(std::size_t)> sources_of =
      [&](std::size_t i) -> const std::set<std::string>& {
    auto [it, inserted] = sources.try_emplace(i);
    if (!inserted) return it->second;
    std::set<std::string> out;
    for (const DerivedInput& input : own[i]->inputs) {
      auto from = input.indicator_id.empty() ? by_id.end() : by_id.find(input.indicator_id);
      if (from != by_id.end() && indicators[from->second].derived) {
        if (cyclic.count(from->second) == 0) {
          const std::set<std::string>& more = sources_of(from->second);
          out.insert(more.begin(), more.end());
        }
      } else if (!input.series.source.empty()) {
        out.insert(input.series.source);
      }
    }
    sources[i] = std::move(out);
    return sources[i];
  };
  for (std::size_t i = 0; i < indicators.size(); ++i) {
    if (!own[i] || cyclic.count(i) != 0) continue;
    const std::set<std::string>& s = sources_of(i);
    own[i]->sources.assign(s.begin(), s.end());
  }
  for (std::size_t i = 0; i < indicators.size(); ++i) {
    if (own[i]) indicators[i].derived = std::move(own[i]);
  }
}

}  // namespace vitals::detail
