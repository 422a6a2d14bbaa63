// SPDX-License-Identifier: Apache-2.0
#include "config/catalogue_parser.hpp"

#include "config/comparators_parser.hpp"
#include "config/indicator_schema.hpp"
#include "config/toml_values.hpp"
#include "common/did_you_mean.hpp"
#include "common/quoted_list.hpp"
#include "common/user_text.hpp"

#include <vitals/install.hpp>

#include <algorithm>
#include <cmath>
#include <limits>
#include <cstdint>
#include <string>
#include <utility>
#include <system_error>
#include <type_traits>
#include <unordered_set>

namespace vitals::detail {

namespace {

std::filesystem::path resolve_directory(const std::filesystem::path& dir,
                                        const std::string& relative) {
  std::error_code ec;
  std::filesystem::path joined = dir / relative;
  std::filesystem::path absolute = std::filesystem::absolute(joined, ec);
  if (ec) absolute = joined;
  absolute = absolute.lexically_normal();
  if (absolute.has_relative_path() && absolute.filename().empty()) {
    absolute = absolute.parent_path();  // "rules/" -> "rules"
  }
  return absolute;
}

// The rule packs shipped with Vitals, by the names a catalogue gives them
// ("vitals:council"): the folders of shipped_rules_dir() but its modules.
std::vector<std::string> shipped_rule_packs(const std::filesystem::path& root) {
  std::vector<std::string> packs;
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator(root, ec)) {
    const std::string name = entry.path().filename().string();
    if (entry.is_directory(ec) && name != "lib" && name != "types") {
      packs.push_back(std::string(kShippedRulesPrefix) + name);
    }
  }
  std::sort(packs.begin(), packs.end());
  return packs;
}

// The folder of the shipped rule pack `name` ("vitals:council"), or nullopt
// after a located error saying which packs there are.
std::optional<std::filesystem::path> shipped_rule_pack(const std::string& name,
                                                       const std::string& key,
                                                       const toml::source_region& where,
                                                       FileContext& ctx) {
  const std::filesystem::path root = shipped_rules_dir();
  if (root.empty()) {
    ctx.error("config.missing_file",
              key + " names '" + name + "', but the rules shipped with Vitals were not found " +
                  "(share/vitals/rules beside the Vitals library); give the rules' folder instead",
              where);
    return std::nullopt;
  }
  const std::vector<std::string> packs = shipped_rule_packs(root);
  if (std::find(packs.begin(), packs.end(), name) == packs.end()) {
    ctx.error("config.missing_file",
              key + " names '" + name + "', which is not a rule pack shipped with Vitals" +
                  did_you_mean(name, packs) + " (shipped: " + quoted_alternatives(packs) +
                  ", in " + root.string() + ")",
              where);
    return std::nullopt;
  }
  return root / name.substr(kShippedRulesPrefix.size());
}

// The directories `dirs` ([catalogue] `key`) names, relative to `dir` or
// absolute, each of which must exist; with `resolve_links`, each with every
// symbolic link resolved. `noun` names one in messages.
std::vector<std::filesystem::path> read_directories(const toml::array& dirs, std::string_view key,
                                                    std::string_view noun,
                                                    const std::filesystem::path& dir,
                                                    bool resolve_links, FileContext& ctx) {
  std::vector<std::filesystem::path> out;
  const std::string name = "catalogue." + std::string(key);
  for (const StringItem& item : read_string_array(dirs, name, ctx)) {
    if (item.value.empty()) {
      ctx.error("config.bad_value", name + " entries must not be empty", item.where);
      continue;
    }
    if (key == "rule_dirs" && item.value.starts_with(kShippedRulesPrefix)) {
      if (auto pack = shipped_rule_pack(item.value, name, item.where, ctx)) {
        out.push_back(std::move(*pack));
      }
      continue;
    }
    std::filesystem::path resolved = resolve_directory(dir, item.value);
    std::error_code ec;
    if (!std::filesystem::is_directory(resolved, ec)) {
      ctx.error("config.missing_file",
                std::string(noun) + " '" + item.value + "' does not exist (looked for " +
                    resolved.string() + ")",
                item.where);
      continue;
    }
    if (resolve_links) {
      std::filesystem::path real = std::filesystem::canonical(resolved, ec);
      if (!ec) resolved = std::move(real);
    }
    out.push_back(std::move(resolved));
  }
  return out;
}

void read_catalogue_table(const toml::table& table, const std::filesystem::path& dir,
                          CatalogueFile& out, FileContext& ctx) {
  check_table(table, kCatalogueTableSchema, "[catalogue]", "catalogue.", ctx);
  if (const toml::node* name = table.get("name"); name && name->is_string()) {
    out.catalogue.name = name->as_string()->get();
    if (out.catalogue.name.empty()) {
      ctx.error("config.bad_value", "catalogue.name must not be empty", name->source());
    }
  }
  if (auto committee = table["committee"].value<std::string>()) {
    out.catalogue.committee = *committee;
  }
  if (const toml::array* dirs = table["rule_dirs"].as_array()) {
    out.catalogue.rule_dirs = read_directories(*dirs, "rule_dirs", "rule directory", dir, false, ctx);
  }
  if (const toml::array* dirs = table["data_dirs"].as_array()) {
    out.catalogue.data_dirs = read_directories(*dirs, "data_dirs", "data folder", dir, true, ctx);
  }
  if (const toml::node* meetings = table.get("meetings"); meetings && meetings->is_string()) {
    const std::string& relative = meetings->as_string()->get();
    std::filesystem::path resolved = resolve_directory(dir, relative);
    std::error_code ec;
    if (relative.empty() || !std::filesystem::is_directory(resolved, ec)) {
      ctx.error("config.missing_file",
                "meetings folder '" + relative + "' does not exist (looked for " + resolved.string() + ")",
                meetings->source());
    } else {
      out.catalogue.meetings_dir = std::move(resolved);
    }
  }
}

void read_report_table(const toml::table& table, const std::filesystem::path& dir,
                       CatalogueFile& out, FileContext& ctx) {
  check_table(table, kReportTableSchema, "[report]", "report.", ctx);
  if (auto organisation = table["organisation"].value<std::string>()) {
    out.catalogue.organisation = *organisation;
  }
  if (auto shown = read_choice(table, "reasons", {"all", "first"}, ctx, "report.reasons")) {
    out.catalogue.reasons_shown = *shown == 0 ? ReasonsShown::kAll : ReasonsShown::kFirst;
  }
  if (const toml::node* order = table.get("order"); order && order->is_array()) {
    for (const StringItem& item : read_string_array(*order->as_array(), "report.order", ctx)) {
      out.report_order.emplace_back(item.value, ctx.location(item.where));
    }
  }
  if (const toml::node* templates = table.get("templates"); templates && templates->is_string()) {
    const std::string& relative = templates->as_string()->get();
    std::filesystem::path resolved = resolve_directory(dir, relative);
    std::error_code ec;
    if (relative.empty() || !std::filesystem::is_directory(resolved, ec)) {
      ctx.error("config.missing_file",
                "template directory '" + relative + "' does not exist (looked for " +
                    resolved.string() + ")",
                templates->source());
    } else {
      out.catalogue.report_templates = std::move(resolved);
    }
  }
}

// [sandbox]: each limit a positive integer (max_cpu_ms may be 0: no time limit);
// each cap on a result a whole number of at least 1 (a cap of 0 would drop everything).
void read_sandbox_table(const toml::table& table, CatalogueFile& out, FileContext& ctx) {
  check_table(table, kSandboxTableSchema, "[sandbox]", "sandbox.", ctx);
  SandboxSettings& settings = out.catalogue.sandbox;
  auto read = [&](const char* key, bool zero_allowed, auto& field) {
    const toml::node* node = table.get(key);
    if (node == nullptr || !node->is_integer()) return;  // check_table reported a wrong type
    const std::int64_t value = node->as_integer()->get();
    if (value < 0 || (value == 0 && !zero_allowed)) {
      ctx.error("config.bad_value",
                std::string("sandbox.") + key + " must be " +
                    (zero_allowed ? "0 or more" : "more than 0") + ", found " +
                    std::to_string(value),
                node->source());
      return;
    }
    field = static_cast<typename std::decay_t<decltype(field)>::value_type>(value);
  };
  read("max_bytes", false, settings.max_bytes);
  read("max_instructions", false, settings.max_instructions);
  read("max_string_bytes", false, settings.max_string_bytes);
  read("max_cpu_ms", true, settings.max_cpu_ms);
  const std::pair<const char*, std::optional<std::size_t>*> keys[] = {
      {"max_message_bytes", &settings.max_message_bytes},
      {"max_evidence_entries", &settings.max_evidence_entries},
      {"max_evidence_key_bytes", &settings.max_evidence_key_bytes},
      {"max_evidence_text_bytes", &settings.max_evidence_text_bytes}};
  constexpr std::int64_t kLargest = std::int64_t{1} << 30;
  for (const auto& [key, slot] : keys) {
    const toml::node* node = table.get(key);
    if (node == nullptr || !node->is_integer()) continue;  // check_table reported the type
    const std::int64_t n = node->as_integer()->get();
    if (n < 1 || n > kLargest) {
      ctx.error("config.bad_value",
                "sandbox." + std::string(key) + " must be from 1 to " + std::to_string(kLargest) +
                    ", found " + std::to_string(n),
                node->source());
      continue;
    }
    *slot = static_cast<std::size_t>(n);
  }
}

// [year_end]: the year-end summary's thresholds, each a finite number; the
// shares are percentages, so sustained_pct is from 0 to 100.
void read_year_end_table(const toml::table& table, CatalogueFile& out, FileContext& ctx) {
  check_table(table, kYearEndTableSchema, "[year_end]", "year_end.", ctx);
  YearEndSettings& settings = out.catalogue.year_end;
  auto read = [&](const char* key, double most, double& field) {
    const toml::node* node = table.get(key);
    if (node == nullptr) return;
    std::optional<double> value = number_value(*node);
    if (!value) return;  // check_table reported a wrong type
    if (!std::isfinite(*value) || *value < 0 || *value > most) {
      ctx.error("config.bad_value",
                std::string("year_end.") + key + " must be " +
                    (most == 100 ? "a percentage from 0 to 100" : "a finite number, 0 or more") +
                    ", found " + quoted_value(*node),
                node->source());
      return;
    }
    field = *value;
  };
  constexpr double kAny = std::numeric_limits<double>::max();
  read("change_pct", kAny, settings.change_pct);
  read("change_points", kAny, settings.change_points);
  read("sustained_pct", 100, settings.sustained_pct);
}

// `period_form = "<form>"`: one of the closed list, with a suggestion for a misspelling.
void read_period_form(const toml::node& setting, const std::string& prefix,
                      SourceDefinition& source, FileContext& ctx) {
  std::vector<std::string> names;
  for (PeriodForm f : all_period_forms()) names.emplace_back(period_form_name(f));
  const std::string* text = setting.is_string() ? &setting.as_string()->get() : nullptr;
  if (text == nullptr) {
    ctx.error("config.type", type_message(prefix + "period_form", "a string", setting),
              setting.source());
    return;
  }
  Result<PeriodForm> form = parse_period_form(*text);
  if (!form.ok()) {
    ctx.error("config.bad_value",
              prefix + "period_form must be one of " + quoted_alternatives(names) + ", found " +
                  quote_user_text(*text) + did_you_mean(*text, names),
              setting.source());
    return;
  }
  source.period_form = *form;
  source.period_form_location = ctx.location(setting.source());
}

void read_sources(const toml::table& sources, const std::filesystem::path& dir, CatalogueFile& out,
                  FileContext& ctx) {
  std::error_code ec;
  std::filesystem::path base = std::filesystem::absolute(dir, ec);
  if (ec) base = dir;
  base = base.lexically_normal();
  for (auto&& [key, node] : sources) {
    SourceDefinition source;
    source.name = std::string(key.str());
    source.base_dir = base;
    source.data_dirs = out.catalogue.data_dirs;
    source.location = ctx.location(node.source());
    const std::string prefix = "sources." + source.name + ".";
    if (source.name == kDerivedSourceName) {
      ctx.error("config.bad_value",
                "the source name '" + source.name +
                    "' is where Vitals stores derived indicators: give the source another name",
                key.source());
    }
    const toml::table* table = node.as_table();
    if (table == nullptr) {
      ctx.error("config.type",
                type_message("sources." + source.name, "a table with a 'plugin' key", node),
                node.source());
      out.catalogue.sources.push_back(std::move(source));
      continue;
    }
    if (const toml::node* plugin = table->get("plugin"); plugin == nullptr) {
      ctx.error("config.missing_key",
                "[sources." + source.name + "] is missing required key 'plugin'", source.location);
    } else if (!plugin->is_string()) {
      ctx.error("config.type", type_message(prefix + "plugin", "a string", *plugin),
                plugin->source());
    } else if (plugin->as_string()->get().empty()) {
      ctx.error("config.bad_value", prefix + "plugin must not be empty", plugin->source());
    } else {
      source.plugin = plugin->as_string()->get();
    }
    for (auto&& [setting_key, setting] : *table) {
      if (setting_key.str() == "plugin") continue;
      std::string name(setting_key.str());
      if (name == "isolation") {
        const std::string* text = setting.is_string() ? &setting.as_string()->get() : nullptr;
        if (text != nullptr && *text == "process") {
          source.isolation = PluginIsolation::kProcess;
        } else if (text != nullptr && *text == "none") {
          source.isolation = PluginIsolation::kNone;
        } else {
          ctx.error("config.bad_value", prefix + "isolation must be \"process\" or \"none\"",
                    setting.source());
        }
        continue;
      }
      if (name == "period_form") {
        read_period_form(setting, prefix, source, ctx);
        continue;
      }
      if (name == "timeout_s") {
        std::optional<double> seconds = setting.value<double>();
        if (!seconds || !(*seconds > 0) || *seconds > 1e9) {
          ctx.error("config.bad_value", prefix + "timeout_s must be a number of seconds above 0",
                    setting.source());
        } else {
          source.timeout_s = *seconds;
        }
        continue;
      }
      source.setting_locations[name] = ctx.location(setting_key.source());
      if (auto text = scalar_text(setting)) {
        source.settings[name] = *text;
      } else {
        ctx.error("config.type",
                  type_message(prefix + name, "a string, number, boolean or date", setting),
                  setting.source());
      }
    }
    out.catalogue.sources.push_back(std::move(source));
  }
}

void read_link_targets(const toml::table& targets, std::string_view section,
                       std::vector<LinkTarget>& out, FileContext& ctx) {
  for (auto&& [key, node] : targets) {
    LinkTarget target;
    target.id = std::string(key.str());
    target.location = ctx.location(node.source());
    const std::string display = "[" + std::string(section) + "." + target.id + "]";
    if (const toml::table* table = node.as_table()) {
      check_table(*table, kLinkTargetSchema, display, std::string(section) + "." + target.id + ".",
                  ctx);
      if (const toml::node* title = table->get("title"); title && title->is_string()) {
        target.title = title->as_string()->get();
        if (target.title.empty()) {
          ctx.error("config.bad_value",
                    std::string(section) + "." + target.id + ".title must not be empty",
                    title->source());
        }
      }
    } else {
      ctx.error(
          "config.type",
          type_message(std::string(section) + "." + target.id, "a table with a 'title' key", node),
          node.source());
    }
    out.push_back(std::move(target));
  }
}

template <typename T, typename Key>
void sort_by(std::vector<T>& items, Key key) {
  std::sort(items.begin(), items.end(), [&](const T& a, const T& b) { return key(a) < key(b); });
}

}  // namespace

void resolve_period_forms(std::vector<SourceDefinition>& sources,
                          const std::vector<IndicatorDefinition>& indicators,
                          std::vector<Diagnostic>& diagnostics) {
  for (SourceDefinition& source : sources) {
    if (!source.period_form_location) continue;
    const std::string setting = "sources." + source.name + ".period_form = \"" +
                                period_form_name(source.period_form) + "\"";
    const std::optional<Frequency> writes = period_form_frequency(source.period_form);
    const IndicatorDefinition* first_quarterly = nullptr;
    for (const IndicatorDefinition& indicator : indicators) {
      if (indicator.source.source != source.name) continue;
      const Frequency f = indicator.frequency;
      std::string problem;
      if (writes && *writes != f) {
        problem = setting + " writes " + frequency_name(*writes) + " periods, but indicator '" +
                  indicator.id + "' (" + indicator.location.to_string() + ") is " +
                  frequency_name(f);
      } else if (source.period_form == PeriodForm::kQuarterEndMonth) {
        if (f != Frequency::kQuarterly && f != Frequency::kFinancialQuarterly) {
          problem = setting + " writes quarters, but indicator '" + indicator.id + "' (" +
                    indicator.location.to_string() + ") is " + frequency_name(f);
        } else if (first_quarterly != nullptr && first_quarterly->frequency != f) {
          problem = setting + " cannot be both calendar and financial quarters: indicator '" +
                    first_quarterly->id + "' is " + frequency_name(first_quarterly->frequency) +
                    " and '" + indicator.id + "' is " + frequency_name(f) +
                    "; write calendar_quarter_end_month or financial_quarter_end_month";
        } else if (first_quarterly == nullptr) {
          first_quarterly = &indicator;
        }
      }
      if (problem.empty()) continue;
      Diagnostic d = Diagnostic::make(Severity::kError, "config.period_form_mismatch",
                                      std::move(problem), *source.period_form_location);
      d.indicator_id = indicator.id;
      diagnostics.push_back(std::move(d));
    }
    if (source.period_form == PeriodForm::kQuarterEndMonth && first_quarterly != nullptr) {
      source.period_form = first_quarterly->frequency == Frequency::kFinancialQuarterly
                               ? PeriodForm::kFinancialQuarterEndMonth
                               : PeriodForm::kCalendarQuarterEndMonth;
    }
  }
}

CatalogueFile parse_catalogue_file(const toml::table& root, const std::filesystem::path& dir,
                                   FileContext& ctx) {
  CatalogueFile out;
  out.catalogue.root = dir;
  out.header = ctx.source().whole_file();
  check_table(root, kCatalogueFileSchema, "catalogue.toml", "", ctx);

  if (const toml::table* table = root["catalogue"].as_table()) {
    out.header = ctx.location(table->source());
    read_catalogue_table(*table, dir, out, ctx);
  }
  if (const toml::table* report = root["report"].as_table()) {
    read_report_table(*report, dir, out, ctx);
  }
  if (const toml::table* sandbox = root["sandbox"].as_table()) {
    read_sandbox_table(*sandbox, out, ctx);
  }
  if (const toml::table* year_end = root["year_end"].as_table()) {
    read_year_end_table(*year_end, out, ctx);
  }
  if (const toml::table* tolerance = root["tolerance"].as_table()) {
    out.catalogue.default_tolerance =
        read_tolerance(*tolerance, Tolerance{}, "[tolerance]", "tolerance.", ctx);
    const toml::node* where = tolerance->get("amber_variance_pct");
    if (where == nullptr) where = tolerance->get("red_variance_pct");
    check_tolerance_order(out.catalogue.default_tolerance, "tolerance.",
                          where ? where->source() : tolerance->source(), ctx);
  }
  if (const toml::table* rules = root["rules"].as_table()) {
    out.catalogue.default_rule_params =
        read_rule_params(*rules, "rules.", ctx, out.catalogue.rule_settings);
  }
  if (const toml::table* sources = root["sources"].as_table()) {
    read_sources(*sources, dir, out, ctx);
  }
  if (const toml::table* lines = root["budget_lines"].as_table()) {
    read_link_targets(*lines, "budget_lines", out.catalogue.budget_lines, ctx);
  }
  if (const toml::table* risks = root["risks"].as_table()) {
    read_link_targets(*risks, "risks", out.catalogue.risks, ctx);
  }
  if (const toml::table* comparators = root["comparators"].as_table()) {
    out.catalogue.comparators = read_comparators_table(*comparators, dir, ctx);
  }

  sort_by(out.catalogue.sources, [](const SourceDefinition& s) { return s.name; });
  sort_by(out.catalogue.budget_lines, [](const LinkTarget& t) { return t.id; });
  sort_by(out.catalogue.risks, [](const LinkTarget& t) { return t.id; });
  return out;
}

void check_report_order(CatalogueFile& file, const std::vector<IndicatorDefinition>& indicators,
                        std::vector<Diagnostic>& diagnostics) {
  if (file.report_order.empty()) return;  // no copy of every id for a catalogue without one
  std::vector<std::string> ids;
  for (const IndicatorDefinition& indicator : indicators) ids.push_back(indicator.id);
  const std::unordered_set<std::string_view> defined(ids.begin(), ids.end());
  std::unordered_set<std::string> listed;
  std::vector<std::string>& order = file.catalogue.report_order;
  for (const auto& [id, where] : file.report_order) {
    if (listed.contains(id)) {
      diagnostics.push_back(Diagnostic::make(Severity::kError, "config.bad_value",
                                             "report.order lists indicator '" + id +
                                                 "' more than once",
                                             where));
    } else if (!defined.contains(id)) {
      diagnostics.push_back(Diagnostic::make(
          Severity::kError, "config.unknown_indicator",
          "report.order names indicator '" + id + "', which the catalogue does not define" +
              did_you_mean(id, ids),
          where));
    } else {
      listed.insert(id);
      order.push_back(id);
    }
  }
}

}  // namespace vitals::detail
