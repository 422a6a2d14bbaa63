// SPDX-License-Identifier: Apache-2.0
// The compact JSON of a run ("vitals.results/1", docs/report-format.md): what
// a program needs from a national run (150,000 indicators) without the
// evidence and history that make vitals.report/1 hundreds of megabytes. Each
// indicator, diagnostic and reason is one line, written as it goes.
#include "report/json_parts.hpp"
#include "report/json_writer.hpp"
#include "report/renderers.hpp"

namespace vitals::detail {

namespace {

// "exception", "no_result" or "ok": the one word a consumer filters on.
const char* indicator_status(const IndicatorResult& r) {
  if (r.is_exception) return "exception";
  return r.incomplete.empty() ? "ok" : "no_result";
}

void write_indicator(JsonWriter& w, const IndicatorResult& r, bool history) {
  w.begin_object();
  w.field("indicator", r.indicator_id);
  w.field("status", indicator_status(r));
  w.field("data_state", data_state_name(r.data_state));
  if (r.latest) {
    w.field("period", r.latest->period.to_string());
    w.field("value", r.latest->value);
    w.field("target", r.latest->target);
    w.field("rag", rag_name(r.latest->rag));
  } else {
    w.key("period").null();
    w.key("value").null();
    w.key("target").null();
    w.field("rag", rag_name(Rag::kNone));
  }
  w.field("lifecycle", exception_state_name(r.lifecycle.state));
  w.key("outcomes").begin_object();
  for (const RuleOutcome& o : r.outcomes) w.field(o.rule_id, outcome_status_name(o.status));
  w.end_object();
  w.key("reasons").begin_array();
  for (const RuleOutcome* o : r.reasons()) {
    w.begin_object().field("criterion", o->criterion).field("rule", o->rule_id);
    w.field("message", o->message).end_object();
  }
  w.end_array();
  w.key("incomplete").begin_array();
  for (const std::string& phrase : r.incomplete) w.value(phrase);
  w.end_array();
  if (history) write_history(w, r.history);
  w.end_object();
}

}  // namespace

void render_results_json(const EvaluationReport& report, bool history, std::ostream& out) {
  // Depth 2: the elements of the top-level arrays, one line each.
  JsonWriter w(out, 2);
  w.begin_object();
  write_run_head(w, report, "vitals.results/1");
  w.key("incomplete").begin_array();
  for (const IncompleteReason& reason : report.incomplete) {
    w.begin_object();
    w.field("kind", incomplete_kind_name(reason.kind));
    w.field("message", reason.message);
    w.field("indicators", static_cast<std::int64_t>(reason.indicators.size()));
    w.end_object();
  }
  w.end_array();

  std::int64_t exceptions = 0;
  std::int64_t no_result = 0;
  for (const IndicatorResult& r : report.indicators) {
    if (r.is_exception) ++exceptions;
    if (!r.incomplete.empty()) ++no_result;
  }
  w.key("counts").begin_object();
  w.field("indicators", static_cast<std::int64_t>(report.indicators.size()));
  w.field("exceptions", exceptions);
  w.field("no_result", no_result);
  w.field("late_data", static_cast<std::int64_t>(report.late_data().size()));
  w.field("diagnostics", static_cast<std::int64_t>(report.diagnostics.size()));
  w.end_object();

  w.key("indicators").begin_array();
  for (const IndicatorResult& r : report.indicators) write_indicator(w, r, history);
  w.end_array();

  w.key("diagnostics").begin_array();
  for (const Diagnostic& d : report.diagnostics) write_diagnostic(w, d);
  w.end_array();

  w.key("resolved").begin_array();
  for (const ResolvedException& r : report.resolved) w.value(r.indicator_id);
  w.end_array();
  w.end_object();
}

}  // namespace vitals::detail
