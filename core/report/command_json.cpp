// SPDX-License-Identifier: Apache-2.0
// The JSON documents of `vitals check` and `vitals explain`
// (docs/report-format.md).
#include <vitals/command_output.hpp>
#include <vitals/version.hpp>

#include "report/json_parts.hpp"
#include "report/json_writer.hpp"

namespace vitals {

namespace {

void write_param(detail::JsonWriter& w, const ParamValue& value) {
  if (const bool* b = std::get_if<bool>(&value)) {
    w.value(*b);
  } else if (const std::int64_t* i = std::get_if<std::int64_t>(&value)) {
    w.value(*i);
  } else if (const double* d = std::get_if<double>(&value)) {
    w.value(*d);
  } else {
    w.value(std::get<std::string>(value));
  }
}

Status finished(std::ostream& out) {
  out.flush();
  if (!out) return Status(StatusCode::kIoError, "could not write the JSON output");
  return Status::ok();
}

}  // namespace

Status render_check_json(const CheckReport& report, std::ostream& out) {
  try {
    detail::JsonWriter w(out, 2);
    w.begin_object();
    w.field("format", "vitals.check/1");
    w.field("vitals_version", version_string());
    w.field("ok", !has_errors(report.diagnostics));
    if (report.loaded) {
      w.field("catalogue", report.catalogue);
      w.field("indicators", static_cast<std::int64_t>(report.indicators));
      w.field("sources", static_cast<std::int64_t>(report.sources));
      w.field("rules", static_cast<std::int64_t>(report.rules));
    } else {
      w.key("catalogue").null();
      w.key("indicators").null();
      w.key("sources").null();
      w.key("rules").null();
    }
    std::int64_t errors = 0;
    std::int64_t warnings = 0;
    for (const Diagnostic& d : report.diagnostics) {
      errors += d.severity == Severity::kError ? 1 : 0;
      warnings += d.severity == Severity::kWarning ? 1 : 0;
    }
    w.field("errors", errors);
    w.field("warnings", warnings);
    w.key("diagnostics").begin_array();
    for (const Diagnostic& d : report.diagnostics) detail::write_diagnostic(w, d);
    w.end_array();
    w.key("modules").begin_array();
    for (const RuleModule& m : report.modules) {
      w.begin_object();
      w.field("rule", m.rule_id);
      w.field("module", m.module);
      w.field("file", m.file);
      w.end_object();
    }
    w.end_array();
    w.end_object();
    return finished(out);
  } catch (const std::exception& e) {
    return Status(StatusCode::kIoError, std::string("could not write the JSON output: ") + e.what());
  }
}

Status render_explanation_json(const Explanation& explanation, std::ostream& out) {
  try {
    const EvaluationReport& report = *explanation.report;
    const IndicatorResult& r = *explanation.result;
    detail::JsonWriter w(out);
    w.begin_object();
    detail::write_run_head(w, report, "vitals.explain/1");
    w.key("result").begin_object();
    detail::write_indicator_head(w, r);
    w.field("exception", r.is_exception);
    w.key("incomplete").begin_array();
    for (const std::string& phrase : r.incomplete) w.value(phrase);
    w.end_array();
    w.key("outcomes").begin_array();
    for (const RuleOutcome& o : r.outcomes) {
      w.begin_object();
      detail::write_outcome_fields(w, o, true);
      w.key("settings").begin_object();
      auto params = explanation.indicator->rule_params.find(o.rule_id);
      if (params != explanation.indicator->rule_params.end()) {
        for (const auto& [key, value] : params->second) {
          w.key(key);
          write_param(w, value);
        }
      }
      w.end_object();
      w.end_object();
    }
    w.end_array();
    w.key("derived_from").begin_array();
    for (const DerivedInputUse& input : explanation.derived_inputs) {
      w.begin_object();
      w.field("source", input.source);
      w.field("series", input.series);
      w.field("period", input.period.to_string());
      w.field("ingested_at", utc_time_text(input.ingested_at));
      w.end_object();
    }
    w.end_array();
    detail::write_history(w, r.history);
    w.end_object();
    w.key("diagnostics").begin_array();
    for (const Diagnostic& d : explanation.diagnostics) detail::write_diagnostic(w, d);
    w.end_array();
    w.end_object();
    return finished(out);
  } catch (const std::exception& e) {
    return Status(StatusCode::kIoError, std::string("could not write the JSON output: ") + e.what());
  }
}

}  // namespace vitals
