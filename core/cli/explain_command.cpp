// SPDX-License-Identifier: Apache-2.0
#include "cli_common.hpp"

#include <vitals/command_output.hpp>
#include <vitals/figures.hpp>

#include <cmath>
#include <cstdio>
#include <iostream>

namespace vitals::cli {

namespace {

std::string number_text(double value) {
  if (std::isfinite(value) && value == std::round(value) && std::fabs(value) < 1e15) {
    return std::to_string(static_cast<long long>(value));
  }
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%.2f", value);
  std::string text = buffer;
  while (!text.empty() && text.back() == '0') text.pop_back();
  if (!text.empty() && text.back() == '.') text.pop_back();
  // Tiny values would round to 0: keep their significant digits.
  if (text == "0" || text == "-0") {
    std::snprintf(buffer, sizeof buffer, "%.3g", value);
    text = buffer;
  }
  return text;
}

std::string evidence_text(const EvidenceValue& value) {
  if (const bool* b = std::get_if<bool>(&value)) return *b ? "yes" : "no";
  if (const double* d = std::get_if<double>(&value)) return number_text(*d);
  return std::get<std::string>(value);
}

std::string param_text(const ParamValue& value) {
  if (const bool* b = std::get_if<bool>(&value)) return *b ? "true" : "false";
  if (const std::int64_t* i = std::get_if<std::int64_t>(&value)) return std::to_string(*i);
  if (const double* d = std::get_if<double>(&value)) return number_text(*d);
  return "\"" + std::get<std::string>(value) + "\"";
}

// "fired", "did not fire", ... : the outcome as a verdict.
const char* verdict(RuleOutcome::Status status) {
  switch (status) {
    case RuleOutcome::Status::kException:
      return "FIRED: report by exception";
    case RuleOutcome::Status::kOk:
      return "did not fire";
    case RuleOutcome::Status::kInsufficientData:
      return "could not decide: not enough data";
    case RuleOutcome::Status::kNotApplicable:
      return "does not apply to this indicator";
    case RuleOutcome::Status::kError:
      return "FAILED: the rule has an error";
  }
  return "";
}

void print_explanation(const IndicatorResult& result, const IndicatorDefinition& indicator,
                       const EvaluationReport& report, std::ostream& out) {
  out << printable(result.title) << " (" << result.indicator_id << "), " << report.period.label() << "\n";
  out << (result.polarity == Polarity::kBiggerIsBetter ? "Bigger" : "Smaller") << " is better; "
      << frequency_name(result.frequency);
  if (result.latest && result.latest->value) {
    out << "; latest result " << figure_text(*result.latest->value, result.unit, result.decimals) << " for "
        << result.latest->period.label();
    if (result.latest->target)
      out << " against a target of " << figure_text(*result.latest->target, result.unit, result.decimals);
  }
  out << "; data " << data_state_name(result.data_state) << "\n";
  out << (result.is_exception ? "Reported by exception.\n" : "Not reported by exception.\n");

  for (const RuleOutcome& o : result.outcomes) {
    out << "\n" << o.rule_id;
    if (o.criterion != o.rule_id) out << " (" << o.criterion << ")";
    out << ": " << verdict(o.status) << "\n";
    out << "  " << printable(o.message) << "\n";
    if (!o.evidence.empty()) {
      std::string line;
      for (const auto& [key, value] : o.evidence) {
        line += (line.empty() ? "" : "; ") + key + " " + evidence_text(value);
      }
      out << "  compared: " << printable(line) << "\n";
    }
    auto params = indicator.rule_params.find(o.rule_id);
    if (params != indicator.rule_params.end() && !params->second.empty()) {
      std::string line;
      for (const auto& [key, value] : params->second) {
        line += (line.empty() ? "" : "; ") + key + " = " + param_text(value);
      }
      out << "  settings: " << line << "\n";
    }
  }
  if (result.outcomes.empty()) out << "\nNo rules are loaded.\n";
}

// "Derived (percentage) for Mar 2017 from: pushed/assessed Mar 2017, stored ...".
void print_provenance(Engine& engine, const IndicatorResult& result,
                      const IndicatorDefinition& indicator, std::ostream& out) {
  if (!indicator.derived || !result.latest) return;
  out << "\nDerived (" << derived_operation_name(indicator.derived->operation) << ") for "
      << result.latest->period.label();
  auto inputs = engine.derived_inputs(indicator.id, result.latest->period);
  if (!inputs.ok()) {
    out << ": its inputs could not be read: " << inputs.status().message() << "\n";
    return;
  }
  if (inputs->empty()) {
    out << ": the store records no inputs for this value\n";
    return;
  }
  out << " from:\n";
  for (const DerivedInputUse& input : *inputs) {
    out << "  " << printable(input.source) << "/" << printable(input.series) << " "
        << input.period.label() << ", stored " << utc_time_text(input.ingested_at) << "\n";
  }
}

}  // namespace

const CommandSpec& explain_command() {
  static const CommandSpec spec = {
      "explain",
      "explain, rule by rule, why an indicator is or is not an exception",
      "vitals explain --catalogue DIR --indicator ID --period PERIOD [options]",
      "Explains, rule by rule, why an indicator is or is not reported by exception\n"
      "for PERIOD: whether each rule fired, its reason in plain English and the\n"
      "numbers it compared; for a derived indicator, the stored inputs its latest\n"
      "value was computed from. Nothing is recorded in the store.\n",
      {
          {"indicator", "ID", "the indicator to explain"},
          {"period", "PERIOD", "the reporting period, e.g. 2017-03"},
          {"rules", "DIR", "explain with the rules in DIR (repeatable) instead of the\n"
           "catalogue's", true},
          {"no-ingest", "", "use the stored data without fetching the sources"},
          {"format", "FORMAT", "text (default) or json: one \"vitals.explain/1\" document\n"
           "on standard output (docs/report-format.md)", false, "text json"},
      },
      kEngineOptions,
      "",
      true,
  };
  return spec;
}

int run_explain(int argc, char** argv) {
  Args args;
  if (int rc = parse(argc, argv, explain_command(), args); rc >= 0) return rc;
  const std::optional<bool> json = json_format(args);
  if (!json) return kExitUsage;
  auto period = period_option(args, "explain");
  if (!period) return kExitUsage;
  auto id = args.get("indicator");
  if (!id) {
    std::cerr << "vitals: explain needs --indicator ID\n";
    return kExitUsage;
  }

  int exit_code = kExitOk;
  auto engine = open_engine(args, true, exit_code);
  if (!engine) return exit_code;
  const IndicatorDefinition* indicator = engine->catalogue().find_indicator(*id);
  if (indicator == nullptr) {
    std::cerr << "vitals: unknown indicator '" << *id << "': it is not in the catalogue\n";
    return kExitUsage;
  }
  if (!args.has_flag("no-ingest")) {
    auto ingested = engine->ingest();
    if (!ingested.ok()) {
      std::cerr << "vitals: " << ingested.status().to_string() << "\n";
      return kExitFailure;
    }
  }
  EvaluateOptions options;
  options.record_run = false;
  options.indicators = {*id};
  for (const std::string& dir : args.all("rules")) options.rule_dirs.emplace_back(dir);
  auto report = engine->evaluate(*period, options);
  if (!report.ok()) {
    std::cerr << "vitals: " << report.status().to_string() << "\n";
    return kExitFailure;
  }
  std::vector<Diagnostic> relevant;
  for (const Diagnostic& d : report->diagnostics) {
    if (d.severity == Severity::kError && (d.indicator_id.empty() || d.indicator_id == *id))
      relevant.push_back(d);
  }
  if (report->indicators.empty()) {
    print_diagnostics(relevant, std::cerr, true);
    return kExitFailure;
  }
  const IndicatorResult& result = report->indicators.front();
  if (*json) {
    Explanation explanation;
    explanation.report = &*report;
    explanation.result = &result;
    explanation.indicator = indicator;
    explanation.diagnostics = relevant;
    if (indicator->derived && result.latest) {
      auto inputs = engine->derived_inputs(indicator->id, result.latest->period);
      if (!inputs.ok()) {
        std::cerr << "vitals: " << inputs.status().to_string() << "\n";
        return kExitFailure;
      }
      explanation.derived_inputs = std::move(*inputs);
    }
    if (!render_explanation_json(explanation, std::cout).is_ok()) return kExitFailure;
  } else {
    print_diagnostics(relevant, std::cerr, true);
    print_explanation(result, *indicator, *report, std::cout);
    print_provenance(*engine, result, *indicator, std::cout);
  }
  return relevant.empty() ? kExitOk : kExitDiagnostics;
}

}  // namespace vitals::cli
