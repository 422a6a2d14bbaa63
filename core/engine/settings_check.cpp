// SPDX-License-Identifier: Apache-2.0
// What `vitals check` (and every load of a catalogue) verifies once the rules
// and plugins are known: rule parameters against the rules' declarations,
// and source settings through their plugins' validate functions.
#include "config/indicator_schema.hpp"
#include "engine/engine_impl.hpp"

#include <algorithm>

namespace vitals::detail {

namespace {

Diagnostic located(Severity severity, std::string code, std::string message,
                   const SourceLocation& where, const RuleSettings& settings) {
  Diagnostic d = Diagnostic::make(severity, std::move(code), std::move(message), where);
  d.rule_id = settings.rule_id;
  d.indicator_id = settings.indicator_id;
  return d;
}

// "'a', 'b' and 'c'"
std::string quoted_names(const std::vector<RuleSettings::Value>& values) {
  std::string out;
  for (std::size_t i = 0; i < values.size(); ++i) {
    if (i > 0) out += i + 1 == values.size() ? " and " : ", ";
    out += "'" + values[i].name + "'";
  }
  return out;
}

void check_one(const RuleSettings& settings, const RuleInfo& rule,
               std::vector<Diagnostic>& diagnostics) {
  if (settings.values.empty()) return;
  const ParamDeclaration& declaration = rule.params;
  if (!declaration.declared) {
    const std::string names = quoted_names(settings.values);
    diagnostics.push_back(located(
        Severity::kWarning, "config.unchecked_rule_params",
        "rule '" + rule.id + "' does not declare its parameters, so " + names +
            " cannot be checked; declare them in the rule file's params table "
            "(see docs/rule-authoring.md)",
        settings.location, settings));
    return;
  }
  std::vector<std::string> declared;
  for (const ParamSpec& spec : declaration.params) declared.push_back(spec.name);
  for (const RuleSettings::Value& value : settings.values) {
    const ParamSpec* spec = declaration.find(value.name);
    if (spec == nullptr) {
      std::string message = "unknown parameter '" + value.name + "' for rule '" + rule.id + "'";
      if (std::string hint = did_you_mean(value.name, declared); !hint.empty()) {
        message += hint;
      } else if (declared.empty()) {
        message += ": the rule takes no parameters";
      } else {
        message += "; its parameters are " + declaration.names();
      }
      diagnostics.push_back(located(Severity::kError, "config.unknown_rule_param",
                                    std::move(message), value.key_location, settings));
      continue;
    }
    if (std::string problem = param_problem(*spec, value.value); !problem.empty()) {
      diagnostics.push_back(located(Severity::kError, "config.bad_rule_param",
                                    "rules." + rule.id + "." + value.name + " " + problem,
                                    value.value_location, settings));
    }
  }
}

}  // namespace

void check_rule_settings(const Catalogue& catalogue, const std::vector<RuleInfo>& rules,
                         std::vector<Diagnostic>& diagnostics) {
  std::vector<std::string> ids;
  for (const RuleInfo& rule : rules) ids.push_back(rule.id);
  for (const RuleSettings& settings : catalogue.rule_settings) {
    auto rule = std::find_if(rules.begin(), rules.end(),
                             [&](const RuleInfo& r) { return r.id == settings.rule_id; });
    if (rule == rules.end()) {
      std::string message = "no rule '" + settings.rule_id + "' is loaded";
      if (std::string hint = did_you_mean(settings.rule_id, ids); !hint.empty()) {
        message += hint;
      } else if (ids.empty()) {
        message += " (no rules are loaded)";
      } else {
        message += "; the loaded rules are " + quoted_alternatives(ids);
      }
      diagnostics.push_back(located(Severity::kError, "config.unknown_rule", std::move(message),
                                    settings.location, settings));
      continue;
    }
    check_one(settings, *rule, diagnostics);
  }
}

std::map<std::string, std::string> validate_sources(const Catalogue& catalogue,
                                                    PluginRegistry& plugins,
                                                    std::vector<Diagnostic>& diagnostics) {
  std::map<std::string, std::string> invalid;
  for (const SourceDefinition& source : catalogue.sources) {
    const std::size_t first = diagnostics.size();
    Status st = plugins.validate_source(source, diagnostics);
    if (st.code() == StatusCode::kValidationError || st.code() == StatusCode::kPluginError) {
      std::string why = st.message();
      for (std::size_t i = first; i < diagnostics.size(); ++i) {
        if (diagnostics[i].severity == Severity::kError) {
          why = diagnostics[i].message;
          break;
        }
      }
      invalid.emplace(source.name, std::move(why));
    }
  }
  return invalid;
}

}  // namespace vitals::detail
