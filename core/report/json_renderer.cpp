// SPDX-License-Identifier: Apache-2.0
#include "report/renderers.hpp"

#include <cmath>

#include <vitals/version.hpp>

#include "report/json_writer.hpp"

namespace vitals::detail {

namespace {

std::optional<double> rounded(const std::optional<double>& v, int decimals) {
  if (!v) return v;
  double scale = std::pow(10.0, decimals);
  return std::round(*v * scale) / scale;
}

void write_evidence_value(JsonWriter& w, const EvidenceValue& v) {
  if (const bool* b = std::get_if<bool>(&v)) {
    w.value(*b);
  } else if (const double* d = std::get_if<double>(&v)) {
    w.value(*d);
  } else {
    w.value(std::get<std::string>(v));
  }
}

void write_outcome(JsonWriter& w, const RuleOutcome& o, bool with_evidence) {
  w.begin_object();
  w.field("criterion", o.criterion);
  w.field("rule", o.rule_id);
  w.field("status", outcome_status_name(o.status));
  w.field("message", o.message);
  if (with_evidence) {
    w.key("evidence").begin_object();
    for (const auto& [k, v] : o.evidence) {
      w.key(k);
      write_evidence_value(w, v);
    }
    w.end_object();
  }
  w.end_object();
}

// Fields shared by the entries of "exceptions" and "indicators".
void write_indicator_head(JsonWriter& w, const IndicatorResult& r) {
  w.field("indicator", r.indicator_id);
  w.field("title", r.title);
  w.field("polarity", polarity_name(r.polarity));
  w.field("unit", unit_name(r.unit));
  w.field("frequency", frequency_name(r.frequency));
  w.field("data_state", data_state_name(r.data_state));
  if (r.latest) {
    w.field("period", r.latest->period.to_string());
    w.field("value", r.latest->value);
    w.field("numerator", r.latest->numerator);
    w.field("denominator", r.latest->denominator);
    w.field("target", r.latest->target);
    w.field("variance_pct", rounded(r.latest->variance_pct, 2));
    w.field("rag", rag_name(r.latest->rag));
  } else {
    w.key("period").null();
    w.key("value").null();
    w.key("numerator").null();
    w.key("denominator").null();
    w.key("target").null();
    w.key("variance_pct").null();
    w.field("rag", rag_name(Rag::kNone));
  }
}

void write_diagnostic(JsonWriter& w, const Diagnostic& d) {
  w.begin_object();
  w.field("severity", severity_name(d.severity));
  w.field("code", d.code);
  w.field("message", d.message);
  if (d.location) {
    w.field("file", d.location->file);
    w.field("line", d.location->line);
    w.field("column", d.location->column);
  } else {
    w.key("file").null();
    w.key("line").null();
    w.key("column").null();
  }
  w.field("indicator", d.indicator_id);
  w.field("rule", d.rule_id);
  w.end_object();
}

}  // namespace

void render_json(const EvaluationReport& report, std::ostream& out) {
  JsonWriter w(out);
  w.begin_object();
  w.field("format", "vitals.report/1");
  w.field("vitals_version", version_string());
  w.field("catalogue", report.catalogue_name);
  w.field("committee", report.committee);
  w.field("period", report.period.to_string());
  w.field("run_id", report.run_id);

  w.key("exceptions").begin_array();
  for (const IndicatorResult* r : report.exceptions()) {
    w.begin_object();
    write_indicator_head(w, *r);
    w.key("reasons").begin_array();
    for (const RuleOutcome* o : r->reasons()) write_outcome(w, *o, false);
    w.end_array();
    w.end_object();
  }
  w.end_array();

  w.key("indicators").begin_array();
  for (const IndicatorResult& r : report.indicators) {
    w.begin_object();
    write_indicator_head(w, r);
    w.field("exception", r.is_exception);
    w.key("outcomes").begin_array();
    for (const RuleOutcome& o : r.outcomes) write_outcome(w, o, true);
    w.end_array();
    w.end_object();
  }
  w.end_array();

  w.key("diagnostics").begin_array();
  for (const Diagnostic& d : report.diagnostics) write_diagnostic(w, d);
  w.end_array();
  w.end_object();
}

}  // namespace vitals::detail
