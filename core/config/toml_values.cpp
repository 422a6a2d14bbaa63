// SPDX-License-Identifier: Apache-2.0
#include "config/toml_values.hpp"

#include "common/did_you_mean.hpp"
#include "common/quoted_list.hpp"
#include "common/user_text.hpp"
#include "config/indicator_schema.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <sstream>

namespace vitals::detail {

std::string format_double(double value) {
  if (std::isnan(value)) return "nan";
  if (std::isinf(value)) return value < 0 ? "-inf" : "inf";
  std::array<char, 64> buffer{};
  auto [end, ec] = std::to_chars(buffer.data(), buffer.data() + buffer.size(), value);
  std::string out(buffer.data(), ec == std::errc() ? end : buffer.data());
  if (out.find_first_of(".e") == std::string::npos) out += ".0";
  return out;
}

std::optional<std::string> scalar_text(const toml::node& node) {
  if (auto s = node.as_string()) return s->get();
  if (auto i = node.as_integer()) return std::to_string(i->get());
  if (auto f = node.as_floating_point()) return format_double(f->get());
  if (auto b = node.as_boolean()) return b->get() ? "true" : "false";
  std::ostringstream out;
  if (auto d = node.as_date()) {
    out << d->get();
  } else if (auto t = node.as_time()) {
    out << t->get();
  } else if (auto dt = node.as_date_time()) {
    out << dt->get();
  } else {
    return std::nullopt;
  }
  return out.str();
}

std::string quoted_value(const toml::node& node) {
  if (node.is_string()) return quote_user_text(*scalar_text(node));
  if (auto text = scalar_text(node)) return *text;
  return node.is_array() ? "an array" : "a table";
}

std::string iso_date_text(const toml::date& date) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", static_cast<int>(date.year),
                static_cast<int>(date.month), static_cast<int>(date.day));
  return buf;
}

std::optional<double> number_value(const toml::node& node) {
  if (auto i = node.as_integer()) return static_cast<double>(i->get());
  if (auto f = node.as_floating_point()) return f->get();
  return std::nullopt;
}

std::vector<StringItem> read_string_array(const toml::array& array, std::string_view what,
                                          FileContext& ctx) {
  std::vector<StringItem> items;
  for (std::size_t i = 0; i < array.size(); ++i) {
    const toml::node& element = array[i];
    if (auto s = element.as_string()) {
      items.push_back(StringItem{s->get(), element.source()});
    } else {
      ctx.error(
          "config.type",
          type_message(std::string(what) + "[" + std::to_string(i) + "]", "a string", element),
          element.source());
    }
  }
  return items;
}

RuleParams read_rule_params(const toml::table& rules, std::string_view prefix, FileContext& ctx,
                            std::vector<RuleSettings>& located, const std::string& indicator_id) {
  RuleParams params;
  for (auto&& [rule_key, rule_node] : rules) {
    std::string rule_id(rule_key.str());
    const toml::table* table = rule_node.as_table();
    if (table == nullptr) {
      ctx.error(
          "config.type",
          type_message(std::string(prefix) + rule_id, "a table of rule parameters", rule_node),
          rule_node.source());
      continue;
    }
    RuleSettings settings;
    settings.rule_id = rule_id;
    settings.indicator_id = indicator_id;
    settings.location = ctx.location(rule_key.source());
    auto& own = params[rule_id];
    for (auto&& [key, node] : *table) {
      std::string name(key.str());
      std::optional<ParamValue> value;
      if (auto s = node.as_string()) {
        value = s->get();
      } else if (auto i = node.as_integer()) {
        value = i->get();
      } else if (auto f = node.as_floating_point()) {
        value = f->get();
      } else if (auto b = node.as_boolean()) {
        value = b->get();
      } else {
        ctx.error("config.type",
                  type_message(std::string(prefix) + rule_id + "." + name,
                               "a string, integer, float or boolean", node),
                  node.source());
        continue;
      }
      own[name] = *value;
      settings.values.push_back(RuleSettings::Value{name, std::move(*value),
                                                    ctx.location(key.source()),
                                                    ctx.location(node.source())});
    }
    located.push_back(std::move(settings));
  }
  return params;
}

RuleParams merge_rule_params(const RuleParams& defaults, const RuleParams& own) {
  RuleParams merged = defaults;
  for (const auto& [rule_id, values] : own) {
    for (const auto& [key, value] : values) merged[rule_id][key] = value;
  }
  return merged;
}

Tolerance read_tolerance(const toml::table& table, Tolerance base, std::string_view display,
                         std::string_view prefix, FileContext& ctx) {
  check_table(table, kToleranceSchema, display, prefix, ctx);
  auto read = [&](std::string_view key, double& out) {
    const toml::node* node = table.get(key);
    if (node == nullptr) return;
    std::optional<double> value = number_value(*node);
    if (!value) return;  // reported by check_table
    std::string name = std::string(prefix) + std::string(key);
    if (!std::isfinite(*value)) {
      ctx.error("config.bad_value", name + " must be a finite number, found " + quoted_value(*node),
                node->source());
    } else if (*value < 0) {
      ctx.error("config.bad_value", name + " must be 0 or more, found " + quoted_value(*node),
                node->source());
    } else {
      out = *value;
    }
  };
  read("red_variance_pct", base.red_variance_pct);
  read("amber_variance_pct", base.amber_variance_pct);
  return base;
}

bool check_tolerance_order(const Tolerance& tolerance, std::string_view prefix,
                           const toml::source_region& where, FileContext& ctx) {
  if (tolerance.amber_variance_pct <= tolerance.red_variance_pct) return true;
  std::string p(prefix);
  ctx.error("config.bad_value",
            p + "amber_variance_pct (" + format_double(tolerance.amber_variance_pct) +
                ") must not be greater than " + p + "red_variance_pct (" +
                format_double(tolerance.red_variance_pct) + ")",
            where);
  return false;
}

const toml::value<std::string>* string_node(const toml::table& table, std::string_view key) {
  const toml::node* node = table.get(key);
  return node ? node->as_string() : nullptr;
}

std::optional<std::size_t> read_choice(const toml::table& table, std::string_view key,
                                       const std::vector<std::string>& names, FileContext& ctx,
                                       std::string_view display) {
  const toml::value<std::string>* node = string_node(table, key);
  if (node == nullptr) return std::nullopt;
  const std::string& text = node->get();
  auto it = std::find(names.begin(), names.end(), text);
  if (it != names.end()) return static_cast<std::size_t>(it - names.begin());
  std::string message = std::string(display.empty() ? key : display) + " must be " +
                        (names.size() > 2 ? "one of " : "") + quoted_alternatives(names) +
                        ", found " + quote_user_text(text) + did_you_mean(text, names);
  ctx.error("config.bad_value", std::move(message), node->source());
  return std::nullopt;
}

}  // namespace vitals::detail
