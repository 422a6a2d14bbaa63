// SPDX-License-Identifier: Apache-2.0
#include "config/comparators_parser.hpp"

#include "config/indicator_schema.hpp"
#include "config/toml_values.hpp"

#include <algorithm>
#include <string>
#include <system_error>

namespace vitals::detail {

namespace {

// A string setting that must not be empty, with where it is written.
void read_text(const toml::table& table, const char* key, std::string& out,
               ComparatorSettings& settings, FileContext& ctx) {
  const toml::node* node = table.get(key);
  if (node == nullptr || !node->is_string()) return;  // check_table reported it
  out = node->as_string()->get();
  settings.locations[key] = ctx.location(node->source());
  if (out.empty()) {
    ctx.error("config.bad_value", std::string("comparators.") + key + " must not be empty",
              node->source());
  }
}

void read_codes(const toml::table& table, const char* key, std::vector<std::string>& out,
                ComparatorSettings& settings, FileContext& ctx) {
  const toml::array* array = table[key].as_array();
  if (array == nullptr) return;
  const std::string what = std::string("comparators.") + key;
  for (const StringItem& item : read_string_array(*array, what, ctx)) {
    if (item.value.empty()) {
      ctx.error("config.bad_value", what + " entries must not be empty", item.where);
      continue;
    }
    settings.locations[std::string(key) + "[" + std::to_string(out.size()) + "]"] =
        ctx.location(item.where);
    out.push_back(item.value);
  }
}

}  // namespace

ComparatorSettings read_comparators_table(const toml::table& table,
                                          const std::filesystem::path& dir, FileContext& ctx) {
  ComparatorSettings settings;
  settings.locations[""] = ctx.location(table.source());
  check_table(table, kComparatorsTableSchema, "[comparators]", "comparators.", ctx);
  std::string relative;
  read_text(table, "path", relative, settings, ctx);
  if (!relative.empty()) {
    std::error_code ec;
    std::filesystem::path resolved = std::filesystem::absolute(dir / relative, ec);
    if (ec) resolved = dir / relative;
    resolved = resolved.lexically_normal();
    if (!std::filesystem::is_regular_file(resolved, ec)) {
      ctx.error("config.missing_file",
                "comparator file '" + relative + "' does not exist (looked for " +
                    resolved.string() + ")",
                settings.locations["path"]);
    }
    settings.path = resolved.string();
  }
  read_text(table, "period", settings.period, settings, ctx);
  read_text(table, "council", settings.council, settings, ctx);
  if (auto name = table["family_group_name"].value<std::string>()) {
    settings.family_group_name = *name;
  }
  read_codes(table, "family_group", settings.family_group, settings, ctx);
  read_codes(table, "peers", settings.peers, settings, ctx);
  if (const toml::table* measures = table["measures"].as_table()) {
    for (auto&& [key, node] : *measures) {
      const std::string id(key.str());
      const std::string name = "comparators.measures." + id;
      if (!node.is_string()) {
        ctx.error("config.type", type_message(name, "a string (the measure's reference)", node),
                  node.source());
        continue;
      }
      const std::string& measure = node.as_string()->get();
      if (measure.empty()) {
        ctx.error("config.bad_value", name + " must not be empty", node.source());
        continue;
      }
      settings.measures[id] = measure;
      settings.locations["measures." + id] = ctx.location(key.source());
    }
  }
  return settings;
}

void check_comparator_indicators(const ComparatorSettings& settings,
                                 const std::vector<IndicatorDefinition>& indicators,
                                 std::vector<Diagnostic>& diagnostics) {
  std::vector<std::string> ids;
  for (const IndicatorDefinition& indicator : indicators) ids.push_back(indicator.id);
  for (const auto& [id, measure] : settings.measures) {
    if (std::find(ids.begin(), ids.end(), id) != ids.end()) continue;
    auto where = settings.locations.find("measures." + id);
    diagnostics.push_back(Diagnostic::make(
        Severity::kError, "config.unknown_indicator",
        "comparators.measures names indicator '" + id + "', which the catalogue does not define" +
            did_you_mean(id, ids),
        where != settings.locations.end() ? where->second : SourceLocation{}));
  }
}

}  // namespace vitals::detail
