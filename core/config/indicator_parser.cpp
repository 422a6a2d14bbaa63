// SPDX-License-Identifier: Apache-2.0
#include "config/indicator_parser.hpp"

#include "common/user_text.hpp"
#include "config/derived_parser.hpp"
#include "config/indicator_schema.hpp"
#include "config/toml_values.hpp"

#include <vitals/period.hpp>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <memory>
#include <string>

namespace vitals::detail {

bool is_valid_indicator_id(std::string_view id) {
  return !id.empty() && std::all_of(id.begin(), id.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '.' || c == '-';
  });
}

namespace {

// The source region of the key `name` in `table` (the key, not its value).
toml::source_region key_region(const toml::table& table, std::string_view name) {
  auto it = table.find(name);
  return it == table.end() ? table.source() : it->first.source();
}

// A non-empty string, or nullopt (reporting an empty one).
std::optional<std::string> read_nonempty(const toml::table& table, std::string_view key,
                                         FileContext& ctx) {
  const toml::value<std::string>* node = string_node(table, key);
  if (node == nullptr) return std::nullopt;
  if (node->get().empty()) {
    ctx.error("config.bad_value", std::string(key) + " must not be empty", node->source());
    return std::nullopt;
  }
  return node->get();
}

std::optional<double> read_finite(const toml::node& node, const std::string& name,
                                  FileContext& ctx) {
  std::optional<double> value = number_value(node);
  if (!value) {
    ctx.error("config.type", type_message(name, "a number", node), node.source());
    return std::nullopt;
  }
  if (!std::isfinite(*value)) {
    ctx.error("config.bad_value", name + " must be a finite number, found " + quoted_value(node),
              node.source());
    return std::nullopt;
  }
  return value;
}

std::vector<std::string> ids_of(const std::vector<LinkTarget>& targets) {
  std::vector<std::string> ids;
  for (const LinkTarget& t : targets) ids.push_back(t.id);
  return ids;
}

// Reports a reference to something the catalogue does not declare.
void check_reference(const StringItem& item, std::string_view what, std::string_view section,
                     const std::vector<std::string>& declared, FileContext& ctx) {
  if (std::find(declared.begin(), declared.end(), item.value) != declared.end()) return;
  std::string message = "unknown " + std::string(what) + " " + quote_user_text(item.value);
  if (auto best = closest_match(item.value, declared)) {
    message += "; did you mean '" + *best + "'?";
  } else {
    message +=
        ": declare it in catalogue.toml as [" + std::string(section) + "." + item.value + "]";
  }
  ctx.error("config.unknown_reference", std::move(message), item.where);
}

// Appends `item` to `ids` unless it is already there (reported); reports a
// reference to an id `declared` lacks. Returns whether it was appended.
bool add_link(const StringItem& item, std::string_view what, std::string_view section,
              const std::vector<std::string>* declared, std::vector<std::string>& ids,
              FileContext& ctx) {
  if (std::find(ids.begin(), ids.end(), item.value) != ids.end()) {
    ctx.error("config.bad_value",
              std::string(what) + " '" + item.value + "' is listed more than once", item.where);
    return false;
  }
  if (declared != nullptr) check_reference(item, what, section, *declared, ctx);
  ids.push_back(item.value);
  return true;
}

std::vector<std::string> read_links(const toml::table& table, std::string_view key,
                                    std::string_view what, std::string_view section,
                                    const std::vector<LinkTarget>* declared, FileContext& ctx) {
  std::vector<std::string> ids;
  const toml::node* node = table.get(key);
  if (node == nullptr || !node->is_array()) return ids;
  std::vector<std::string> declared_ids;
  if (declared != nullptr) declared_ids = ids_of(*declared);
  for (const StringItem& item : read_string_array(*node->as_array(), key, ctx)) {
    add_link(item, what, section, declared != nullptr ? &declared_ids : nullptr, ids, ctx);
  }
  return ids;
}

// `risks`: each element a risk id (the weaker reading: the risk counts
// whenever performance is adverse) or a table stating the mechanism.
void read_risk_links(const toml::table& table, const std::vector<LinkTarget>* declared,
                     IndicatorDefinition& def, FileContext& ctx) {
  const toml::node* node = table.get("risks");
  if (node == nullptr || !node->is_array()) return;
  std::vector<std::string> declared_ids;
  if (declared != nullptr) declared_ids = ids_of(*declared);
  const toml::array& array = *node->as_array();
  for (std::size_t i = 0; i < array.size(); ++i) {
    const toml::node& element = array[i];
    std::optional<StringItem> item;
    std::optional<RiskMechanism> mechanism;
    if (const toml::value<std::string>* text = element.as_string()) {
      item = StringItem{text->get(), text->source()};
    } else if (const toml::table* link = element.as_table()) {
      const std::string display = "risks[" + std::to_string(i + 1) + "]";
      if (!check_table(*link, kRiskLinkSchema, display, display + ".", ctx)) continue;
      item = StringItem{link->get("id")->as_string()->get(), link->get("id")->source()};
      mechanism = read_risk_mechanism(*link, display, ctx);
      if (!mechanism) continue;
      mechanism->risk_id = item->value;
    } else {
      ctx.error("config.type",
                type_message("risks[" + std::to_string(i + 1) + "]",
                             "a risk id or a table (id, measures, quote, when)", element),
                element.source());
      continue;
    }
    if (!item) continue;
    if (add_link(*item, "risk", "risks", declared != nullptr ? &declared_ids : nullptr, def.risks,
                 ctx) &&
        mechanism) {
      def.risk_mechanisms.push_back(std::move(*mechanism));
    }
  }
}

void read_target(const toml::table& table, IndicatorDefinition& def, bool frequency_known,
                 FileContext& ctx) {
  const toml::node* fixed = table.get("target");
  const toml::node* profile_node = table.get("target_profile");
  if (fixed != nullptr && profile_node != nullptr) {
    ctx.error("config.conflict",
              "target and target_profile cannot both be set: use target for a target that "
              "stays the same and target_profile for one that changes",
              key_region(table, "target_profile"));
  }
  if (fixed != nullptr && fixed->is_number()) {
    if (auto value = read_finite(*fixed, "target", ctx)) {
      def.target.kind = Target::Kind::kFixed;
      def.target.fixed_value = *value;
    }
  }
  const toml::table* profile = profile_node ? profile_node->as_table() : nullptr;
  if (profile == nullptr) return;
  if (profile->empty()) {
    ctx.error("config.bad_value", "target_profile must list at least one period",
              profile->source());
    return;
  }
  std::vector<TargetStep> steps;
  for (auto&& [key, node] : *profile) {
    Result<Period> period = Period::parse(key.str());
    if (!period.ok()) {
      ctx.error("config.bad_period", "target_profile: " + period.status().message(), key.source());
      continue;
    }
    if (frequency_known && period->frequency() != def.frequency) {
      ctx.error("config.bad_period",
                "target_profile period '" + std::string(key.str()) + "' is " +
                    frequency_name(period->frequency()) + ", but the indicator is " +
                    frequency_name(def.frequency),
                key.source());
      continue;
    }
    std::optional<double> value =
        read_finite(node, "target_profile." + std::string(key.str()), ctx);
    if (value) steps.push_back(TargetStep{*period, *value});
  }
  std::sort(steps.begin(), steps.end(),
            [](const TargetStep& a, const TargetStep& b) { return a.from < b.from; });
  if (fixed == nullptr) {
    def.target.kind = Target::Kind::kProfiled;
    def.target.profile = std::move(steps);
  }
}

ParsedIndicator parse_indicator(const toml::table& table, const Catalogue* catalogue,
                                FileContext& ctx) {
  ParsedIndicator out;
  IndicatorDefinition& def = out.definition;
  def.location = ctx.location(table.source());
  ctx.set_indicator_id("");

  if (const toml::value<std::string>* id = string_node(table, "id")) {
    if (is_valid_indicator_id(id->get())) {
      def.id = id->get();
      out.id_location = ctx.location(id->source());
      ctx.set_indicator_id(def.id);
    } else {
      ctx.error("config.bad_value",
                "id '" + id->get() +
                    "' is not valid: use only lower-case letters, digits, '_', '.' and '-'",
                id->source());
    }
  }
  check_table(table, kIndicatorSchema, "[[indicator]]", "", ctx);

  if (auto title = read_nonempty(table, "title", ctx)) def.title = *title;
  if (auto s = string_node(table, "description")) def.description = s->get();
  if (auto s = string_node(table, "lead_officer")) def.lead_officer = s->get();
  if (auto s = string_node(table, "data_owner")) def.data_owner = s->get();

  static const std::vector<std::string> kPolarities = {polarity_name(Polarity::kBiggerIsBetter),
                                                       polarity_name(Polarity::kSmallerIsBetter)};
  if (auto i = read_choice(table, "polarity", kPolarities, ctx)) {
    def.polarity = *i == 0 ? Polarity::kBiggerIsBetter : Polarity::kSmallerIsBetter;
  }
  static const std::vector<Unit> kUnits = {Unit::kPercent, Unit::kPer100k, Unit::kCount,
                                           Unit::kCurrency, Unit::kNumber};
  std::vector<std::string> unit_names;
  for (Unit u : kUnits) unit_names.emplace_back(unit_name(u));
  if (auto i = read_choice(table, "unit", unit_names, ctx)) def.unit = kUnits[*i];
  if (const toml::node* node = table.get("decimals"); node && node->is_integer()) {
    const std::int64_t decimals = node->as_integer()->get();
    if (decimals < 0 || decimals > kMaxDecimals) {
      ctx.error("config.bad_value",
                "decimals must be from 0 to " + std::to_string(kMaxDecimals) + ", found " +
                    std::to_string(decimals),
                node->source());
    } else {
      def.decimals = static_cast<int>(decimals);
    }
  }

  static const std::vector<Frequency> kFrequencies = {
      Frequency::kMonthly, Frequency::kQuarterly, Frequency::kAnnual, Frequency::kFinancialYear,
      Frequency::kFinancialQuarterly};
  std::vector<std::string> frequency_names;
  for (Frequency f : kFrequencies) frequency_names.emplace_back(frequency_name(f));
  bool frequency_known = false;
  if (auto i = read_choice(table, "frequency", frequency_names, ctx)) {
    def.frequency = kFrequencies[*i];
    frequency_known = true;
  }

  read_target(table, def, frequency_known, ctx);

  def.tolerance = catalogue ? catalogue->default_tolerance : Tolerance{};
  if (const toml::node* node = table.get("tolerance"); node && node->is_table()) {
    const toml::table& own = *node->as_table();
    def.tolerance =
        read_tolerance(own, def.tolerance, "the indicator's tolerance", "tolerance.", ctx);
    const toml::node* where = own.get("amber_variance_pct");
    if (where == nullptr) where = own.get("red_variance_pct");
    check_tolerance_order(def.tolerance, "tolerance.", where ? where->source() : own.source(), ctx);
  }

  if (const toml::node* node = table.get("allowed_lag"); node && node->is_integer()) {
    std::int64_t lag = node->as_integer()->get();
    if (lag < 0) {
      ctx.error("config.bad_value", "allowed_lag must be 0 or more, found " + std::to_string(lag),
                node->source());
    } else if (lag > std::numeric_limits<int>::max()) {
      ctx.error("config.bad_value", "allowed_lag is too large, found " + std::to_string(lag),
                node->source());
    } else {
      def.allowed_lag = static_cast<int>(lag);
    }
  }

  def.budget_lines = read_links(table, "budget_lines", "budget line", "budget_lines",
                                catalogue ? &catalogue->budget_lines : nullptr, ctx);
  read_risk_links(table, catalogue ? &catalogue->risks : nullptr, def, ctx);
  if (const toml::node* node = table.get("cost_driver"); node && node->is_table()) {
    if (auto driver = read_cost_driver(*node->as_table(), &def.unit, &def.budget_lines, ctx)) {
      def.cost_driver = std::make_shared<const CostDriver>(std::move(*driver));
    }
  }

  const toml::node* derived_node = table.get("derived");
  const bool is_derived = derived_node != nullptr && derived_node->is_table();
  if (is_derived) {
    for (std::string_view key : {"source", "series"}) {
      if (!table.contains(key)) continue;
      ctx.error("config.conflict",
                std::string(key) +
                    " cannot be set for a derived indicator: its values are computed from the "
                    "inputs its [indicator.derived] table names",
                key_region(table, key));
    }
    if (auto derived = parse_derived(*derived_node->as_table(), catalogue, ctx)) {
      def.derived = std::make_shared<const DerivedDefinition>(std::move(*derived));
    }
    def.source = SourceBinding{kDerivedSourceName, def.id};
  } else if (derived_node == nullptr && !table.contains("source")) {
    SourceLocation where = ctx.location(table.source());
    if (where.line == 0) where = ctx.source().whole_file();
    ctx.error("config.missing_key", "[[indicator]] is missing required key 'source'",
              std::move(where));
  }
  if (is_derived) {
    // Read from where the engine stores it.
  } else if (auto source = read_nonempty(table, "source", ctx)) {
    def.source.source = *source;
    if (catalogue != nullptr) {
      std::vector<std::string> names;
      for (const SourceDefinition& s : catalogue->sources) names.push_back(s.name);
      check_reference(StringItem{*source, table.get("source")->source()}, "source", "sources",
                      names, ctx);
    }
  }
  if (!is_derived) {
    def.source.series = def.id;
    if (auto series = read_nonempty(table, "series", ctx)) def.source.series = *series;
  }

  RuleParams own_params;
  if (const toml::node* node = table.get("rules"); node && node->is_table()) {
    own_params = read_rule_params(*node->as_table(), "rules.", ctx, out.rule_settings, def.id);
  }
  def.rule_params =
      merge_rule_params(catalogue ? catalogue->default_rule_params : RuleParams{}, own_params);

  ctx.set_indicator_id("");
  return out;
}

}  // namespace

std::optional<RiskMechanism> read_risk_mechanism(const toml::table& table,
                                                 const std::string& display, FileContext& ctx) {
  const int errors_before = ctx.error_count();
  for (std::string_view key : {"measures", "quote", "when"}) {
    if (table.contains(key)) continue;
    SourceLocation where = ctx.location(table.source());
    if (where.line == 0) where = ctx.source().whole_file();
    ctx.error("config.missing_key",
              display + " is missing required key '" + std::string(key) +
                  "': a risk link written as a table says what in the risk the indicator "
                  "measures (measures, quote) and when its state worsens the risk (when)",
              std::move(where));
  }
  RiskMechanism mechanism;
  mechanism.location = ctx.location(table.source());
  static const std::vector<std::string> kMeasures = {
      risk_measures_name(RiskMechanism::Measures::kCause),
      risk_measures_name(RiskMechanism::Measures::kConsequence),
      risk_measures_name(RiskMechanism::Measures::kMitigation)};
  if (auto i = read_choice(table, "measures", kMeasures, ctx)) {
    mechanism.measures = static_cast<RiskMechanism::Measures>(*i);
  }
  static const std::vector<std::string> kWhens = {
      risk_when_name(RiskMechanism::When::kOffTarget),
      risk_when_name(RiskMechanism::When::kDeteriorating),
      risk_when_name(RiskMechanism::When::kThreshold)};
  const std::optional<std::size_t> when = read_choice(table, "when", kWhens, ctx);
  if (when) mechanism.when = static_cast<RiskMechanism::When>(*when);
  if (auto quote = read_nonempty(table, "quote", ctx)) mechanism.quote = *quote;
  const toml::node* threshold = table.get("threshold");
  if (threshold != nullptr) {
    if (auto value = read_finite(*threshold, display + ".threshold", ctx)) {
      mechanism.threshold = *value;
    }
  }
  if (when && mechanism.when == RiskMechanism::When::kThreshold && threshold == nullptr) {
    ctx.error("config.missing_key",
              display + " has when = \"threshold\" but no threshold: give the value at or "
                        "beyond which the indicator worsens the risk",
              table.get("when")->source());
  } else if (when && mechanism.when != RiskMechanism::When::kThreshold &&
             threshold != nullptr) {
    ctx.error("config.conflict",
              display + ".threshold is only used with when = \"threshold\", not when = \"" +
                  kWhens[*when] + "\"",
              key_region(table, "threshold"));
  }
  if (ctx.error_count() != errors_before) return std::nullopt;
  return mechanism;
}

std::optional<CostDriver> read_cost_driver(const toml::table& table, const Unit* unit,
                                           const std::vector<std::string>* budget_lines,
                                           FileContext& ctx) {
  const int errors_before = ctx.error_count();
  if (!check_table(table, kCostDriverSchema, "[indicator.cost_driver]", "cost_driver.", ctx)) {
    return std::nullopt;
  }
  CostDriver driver;
  driver.location = ctx.location(table.source());
  if (auto line = read_nonempty(table, "budget_line", ctx)) {
    driver.budget_line = *line;
    if (budget_lines != nullptr &&
        std::find(budget_lines->begin(), budget_lines->end(), *line) == budget_lines->end()) {
      ctx.error("config.unknown_reference",
                "cost_driver.budget_line '" + *line +
                    "' is not one of the indicator's budget_lines (the line the gap to target "
                    "is charged to must be linked)" +
                    did_you_mean(*line, *budget_lines),
                table.get("budget_line")->source());
    }
  }
  auto positive = [&](const char* key) -> std::optional<double> {
    const toml::node* node = table.get(key);
    if (node == nullptr) return std::nullopt;
    std::optional<double> value = read_finite(*node, std::string("cost_driver.") + key, ctx);
    if (value && *value <= 0) {
      ctx.error(
          "config.bad_value",
          std::string("cost_driver.") + key + " must be more than 0, found " + quoted_value(*node),
          node->source());
      return std::nullopt;
    }
    return value;
  };
  if (auto cost = positive("unit_cost")) driver.unit_cost = *cost;
  driver.population = positive("population");
  static const std::vector<std::string> kPers = {
      cost_per_name(CostDriver::Per::kWeek), cost_per_name(CostDriver::Per::kDay),
      cost_per_name(CostDriver::Per::kMonth), cost_per_name(CostDriver::Per::kOnce)};
  if (auto i = read_choice(table, "per", kPers, ctx)) driver.per = static_cast<CostDriver::Per>(*i);
  const bool is_rate = unit != nullptr && (*unit == Unit::kPer100k || *unit == Unit::kPercent);
  if (unit == nullptr) {
    // A rule test: the rule says what a missing population means.
  } else if (is_rate && !table.contains("population")) {
    SourceLocation where = ctx.location(table.source());
    if (where.line == 0) where = ctx.source().whole_file();
    ctx.error("config.missing_key",
              std::string("[indicator.cost_driver] is missing required key 'population': the "
                          "indicator is ") +
                  (*unit == Unit::kPer100k ? "a rate per 100,000" : "a percentage") +
                  ", and the population turns its gap to target into people",
              std::move(where));
  } else if (!is_rate && table.contains("population")) {
    ctx.error("config.conflict",
              std::string("cost_driver.population is only used for a rate per 100,000 or a "
                          "percentage, and the indicator's unit is \"") +
                  unit_name(*unit) + "\"",
              key_region(table, "population"));
  }
  if (auto s = string_node(table, "population_label")) driver.population_label = s->get();
  if (auto s = string_node(table, "unit_label")) driver.unit_label = s->get();
  if (auto s = string_node(table, "source")) driver.source = s->get();
  if (const toml::node* node = table.get("illustrative"); node && node->is_array()) {
    static const std::vector<std::string> kFigures = {"unit_cost", "population"};
    for (const StringItem& item :
         read_string_array(*node->as_array(), "cost_driver.illustrative", ctx)) {
      if (item.value == "unit_cost" && !driver.unit_cost_illustrative) {
        driver.unit_cost_illustrative = true;
      } else if (item.value == "population" && !driver.population_illustrative) {
        driver.population_illustrative = true;
      } else if (item.value == "unit_cost" || item.value == "population") {
        ctx.error("config.bad_value",
                  "cost_driver.illustrative lists '" + item.value + "' more than once", item.where);
      } else {
        ctx.error(
            "config.bad_value",
            "cost_driver.illustrative names the figures not taken from the papers: \"unit_cost\" "
            "or \"population\", found " +
                quote_user_text(item.value) + did_you_mean(item.value, kFigures),
            item.where);
      }
    }
  }
  if (ctx.error_count() != errors_before) return std::nullopt;
  return driver;
}

std::vector<ParsedIndicator> parse_indicator_file(const toml::table& root,
                                                  const Catalogue* catalogue, FileContext& ctx) {
  std::vector<ParsedIndicator> indicators;
  const int errors_before = ctx.error_count();
  check_table(root, kIndicatorFileSchema, "indicator file", "", ctx);
  if (const toml::array* array = root["indicator"].as_array()) {
    for (std::size_t i = 0; i < array->size(); ++i) {
      const toml::node& element = (*array)[i];
      if (const toml::table* table = element.as_table()) {
        indicators.push_back(parse_indicator(*table, catalogue, ctx));
      } else {
        ctx.error("config.type",
                  type_message("indicator[" + std::to_string(i) + "]", "a table", element),
                  element.source());
      }
    }
  }
  if (indicators.empty() && ctx.error_count() == errors_before) {
    ctx.warning("config.no_indicators",
                "file defines no indicators; start each one with an [[indicator]] line",
                ctx.source().whole_file());
  }
  return indicators;
}

}  // namespace vitals::detail
