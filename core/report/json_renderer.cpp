// SPDX-License-Identifier: Apache-2.0
#include "report/renderers.hpp"

#include <cmath>

#include <vitals/version.hpp>

#include "report/criterion.hpp"
#include "report/follow_ups_view.hpp"
#include "report/finance_report.hpp"
#include "report/json_parts.hpp"
#include "report/json_writer.hpp"
#include "report/presentation.hpp"
#include "report/report_view.hpp"
#include "report/year_end_view.hpp"

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

// Where an exception stands across runs (docs/report-format.md, "lifecycle").
void write_lifecycle(JsonWriter& w, const ExceptionLifecycle& l) {
  w.key("lifecycle").begin_object();
  w.field("state", exception_state_name(l.state));
  if (l.first_reported) {
    w.field("first_reported", l.first_reported->to_string());
  } else {
    w.key("first_reported").null();
  }
  w.field("periods_reported", l.periods_reported);
  if (l.acceptance) {
    w.key("acceptance").begin_object();
    w.field("criterion", l.acceptance->criterion);
    w.field("until", l.acceptance->until);
    w.field("approver", l.acceptance->approver);
    w.field("rationale", l.acceptance->rationale);
    w.field("approved_on", l.acceptance->approved_on);
    w.end_object();
  } else {
    w.key("acceptance").null();
  }
  w.end_object();
}

}  // namespace

void write_outcome_fields(JsonWriter& w, const RuleOutcome& o, bool with_evidence) {
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
}

namespace {

void write_outcome(JsonWriter& w, const RuleOutcome& o, bool with_evidence) {
  w.begin_object();
  write_outcome_fields(w, o, with_evidence);
  w.end_object();
}

}  // namespace

// Fields shared by the entries of "exceptions" and "indicators".
void write_indicator_head(JsonWriter& w, const IndicatorResult& r) {
  w.field("indicator", r.indicator_id);
  w.field("title", r.title);
  w.field("polarity", polarity_name(r.polarity));
  w.field("unit", unit_name(r.unit));
  // How many decimals the reports show its figures with; the numbers stay exact.
  w.field("decimals", shown_decimals(r.unit, r.decimals));
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
  write_lifecycle(w, r.lifecycle);
}

void write_run_head(JsonWriter& w, const EvaluationReport& report, std::string_view format) {
  w.field("format", format);
  w.field("vitals_version", version_string());
  w.field("catalogue", report.catalogue_name);
  w.field("committee", report.committee);
  w.field("period", report.period.to_string());
  w.field("run_id", report.run_id);
  w.field("complete", report.complete());
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

void write_history(JsonWriter& w, const std::vector<SeriesPoint>& history) {
  w.key("history").begin_array();
  for (const SeriesPoint& p : history) {
    w.begin_object();
    w.field("period", p.period.to_string());
    w.field("value", p.value);
    w.field("numerator", p.numerator);
    w.field("denominator", p.denominator);
    w.field("target", p.target);
    w.field("variance_pct", rounded(p.variance_pct, 2));
    w.field("rag", rag_name(p.value ? p.rag : Rag::kNone));
    w.end_object();
  }
  w.end_array();
}

namespace {

// "comparators": the indicator's measure, the council's figure, rank of N and
// quartile and each comparator, in their own period; null when none.
void write_comparators(JsonWriter& w, const std::optional<IndicatorComparators>& c) {
  w.key("comparators");
  if (!c) {
    w.null();
    return;
  }
  w.begin_object();
  w.field("measure", c->measure);
  w.field("period", c->period);
  w.field("council", c->council_value);
  w.field("rank", c->rank);
  w.field("ranked", c->ranked);
  w.field("quartile", c->quartile);
  w.key("figures").begin_array();
  for (const ComparatorFigure& f : c->figures) {
    w.begin_object();
    w.field("kind", f.kind);
    w.field("name", f.name);
    w.field("code", f.code);
    w.field("value", f.value);
    w.field("numerator", f.numerator);
    w.field("denominator", f.denominator);
    w.field("councils", f.councils);
    w.end_object();
  }
  w.end_array();
  w.end_object();
}

void write_report_fields(JsonWriter& w, const EvaluationReport& report) {
  write_run_head(w, report, "vitals.report/1");
  w.key("incomplete").begin_array();
  for (const IncompleteReason& reason : report.incomplete) {
    w.begin_object();
    w.field("kind", incomplete_kind_name(reason.kind));
    w.field("source", reason.source);
    w.field("rule", reason.rule_id);
    w.key("indicators").begin_array();
    for (const std::string& id : reason.indicators) w.value(id);
    w.end_array();
    w.field("message", reason.message);
    w.end_object();
  }
  w.end_array();

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
    w.key("incomplete").begin_array();
    for (const std::string& phrase : r.incomplete) w.value(phrase);
    w.end_array();
    w.key("outcomes").begin_array();
    for (const RuleOutcome& o : r.outcomes) write_outcome(w, o, true);
    w.end_array();
    write_history(w, r.history);
    write_comparators(w, r.comparators);
    w.end_object();
  }
  w.end_array();

  w.key("diagnostics").begin_array();
  for (const Diagnostic& d : report.diagnostics) write_diagnostic(w, d);
  w.end_array();

  w.key("resolved").begin_array();
  for (const ResolvedException& r : report.resolved) {
    w.begin_object();
    w.field("indicator", r.indicator_id);
    w.field("title", r.title);
    w.field("first_reported", r.first_reported.to_string());
    w.field("last_reported", r.last_reported.to_string());
    w.field("periods_reported", r.periods_reported);
    w.key("criteria").begin_array();
    for (const std::string& c : r.criteria) w.value(c);
    w.end_array();
    w.end_object();
  }
  w.end_array();

  w.key("late_data").begin_array();
  for (const IndicatorResult* r : report.late_data()) w.value(r->indicator_id);
  w.end_array();

  w.key("manifest").begin_object();
  w.field("engine_version", report.manifest.engine_version);
  w.field("catalogue", report.manifest.catalogue_hash);
  w.field("rules", report.manifest.rules_hash);
  w.field("plugins", report.manifest.plugins_hash);
  w.field("data", report.manifest.data_hash);
  w.end_object();
}

void write_commentary(JsonWriter& w, const Commentary* c) {
  if (c == nullptr) {
    w.key("commentary").null();
    return;
  }
  w.key("commentary").begin_object();
  w.field("from", c->from.to_string());
  for (CommentarySection s : kCommentarySections) w.field(commentary_section_key(s), c->section(s));
  w.field("file", c->location.file);
  w.field("line", c->location.line);
  w.end_object();
}

void write_links(JsonWriter& w, std::string_view key, const std::vector<std::string>& ids,
                 const std::vector<LinkTarget>& declared) {
  w.key(key).begin_array();
  for (const std::string& id : ids) {
    std::string title = id;
    for (const LinkTarget& l : declared) {
      if (l.id == id) title = l.title;
    }
    w.begin_object().field("id", id).field("title", title).end_object();
  }
  w.end_array();
}

void write_missing(JsonWriter& w, const std::vector<CommentarySection>& missing) {
  w.key("missing_commentary").begin_array();
  for (CommentarySection s : missing) w.value(commentary_section_key(s));
  w.end_array();
}

// `letter` is the card's letter in the exception list, "" for an indicator
// that is not an exception.
void write_card(JsonWriter& w, const ReportInputs& inputs, const IndicatorResult& r, const std::string& letter) {
  const IndicatorDefinition* def = inputs.catalogue.find_indicator(r.indicator_id);
  const Period& period = inputs.report.period;
  static const std::vector<std::string> kNone;
  w.begin_object();
  w.field("indicator", r.indicator_id);
  w.field("letter", letter);
  w.field("title", r.title);
  w.field("reasons_label", r.reasons().empty() ? "" : reasons_label(r, inputs.report.reasons_shown));
  w.key("reasons").begin_array();
  for (const RuleOutcome* o : r.reasons()) {
    w.begin_object();
    w.field("criterion", o->criterion);
    w.field("label", reason_label(*o));
    w.field("message", o->message);
    w.end_object();
  }
  w.end_array();
  w.field("description", def != nullptr ? def->description : "");
  w.field("polarity", polarity_name(r.polarity));
  w.field("unit", unit_name(r.unit));
  w.field("frequency", frequency_name(r.frequency));
  w.field("lead_officer", def != nullptr ? def->lead_officer : "");
  w.field("data_owner", def != nullptr ? def->data_owner : "");
  write_links(w, "budget_lines", def != nullptr ? def->budget_lines : kNone, inputs.catalogue.budget_lines);
  write_links(w, "risks", def != nullptr ? def->risks : kNone, inputs.catalogue.risks);
  write_history(w, r.history);
  write_comparators(w, r.comparators);
  write_commentary(w, inputs.commentary.find(r.indicator_id, period));
  auto missing = missing_commentary(inputs.commentary, r, period);
  w.field("awaiting_commentary", !missing.empty());
  write_missing(w, missing);
  write_previous_decision_json(w, inputs, r.indicator_id);
  w.end_object();
}

}  // namespace

void render_json(const EvaluationReport& report, std::ostream& out) {
  JsonWriter w(out);
  w.begin_object();
  write_report_fields(w, report);
  w.end_object();
}

void render_card_json(const ReportInputs& inputs, const IndicatorResult& result, std::ostream& out) {
  std::string letter;
  auto exceptions = inputs.report.exceptions();
  for (std::size_t i = 0; i < exceptions.size(); ++i) {
    if (exceptions[i] == &result) letter = list_letter(i);
  }
  JsonWriter w(out);
  w.begin_object();
  w.field("format", "vitals.card/1");
  w.field("vitals_version", version_string());
  w.field("catalogue", inputs.report.catalogue_name);
  w.field("committee", inputs.report.committee);
  w.field("period", inputs.report.period.to_string());
  w.key("card");
  write_card(w, inputs, result, letter);
  w.end_object();
}

void render_document_json(const ReportInputs& inputs, std::ostream& out) {
  const EvaluationReport& report = inputs.report;
  JsonWriter w(out);
  w.begin_object();
  write_report_fields(w, report);

  auto exceptions = report.exceptions();
  w.key("cards").begin_array();
  for (std::size_t i = 0; i < exceptions.size(); ++i) write_card(w, inputs, *exceptions[i], list_letter(i));
  w.end_array();
  write_year_end_json(w, inputs);

  w.key("awaiting_commentary").begin_array();
  for (const AwaitingCommentary& a : awaiting_commentary(inputs)) {
    w.begin_object();
    w.field("indicator", a.indicator_id);
    w.field("title", a.title);
    w.field("lead_officer", a.lead_officer);
    write_missing(w, a.missing);
    w.end_object();
  }
  w.end_array();

  w.key("discussion_prompts").begin_array();
  for (std::string_view p : kDiscussionPrompts) w.value(p);
  w.end_array();
  w.key("follow_up_actions").begin_array();
  for (std::string_view a : kFollowUpActions) w.value(a);
  w.end_array();
  write_follow_ups_json(w, inputs);
  write_finance_json(w, report.finance);
  w.end_object();
}

}  // namespace vitals::detail
