// SPDX-License-Identifier: Apache-2.0
// The risk report as JSON ("vitals.risk_report/1").
#include "report/json_writer.hpp"
#include "report/risk_report_parts.hpp"

namespace vitals::detail {

namespace {

void write_score(JsonWriter& w, std::string_view key, const std::optional<RiskScore>& s) {
  w.key(key);
  if (!s) {
    w.null();
    return;
  }
  w.begin_object();
  w.field("likelihood", s->likelihood);
  w.field("impact", s->impact);
  w.field("score", s->score());
  w.field("band", risk_band_name(risk_band(s->score())));
  w.end_object();
}

void write_ids(JsonWriter& w, std::string_view key, const std::vector<const RiskIndicatorLink*>& links) {
  w.key(key).begin_array();
  for (const RiskIndicatorLink* l : links) w.value(l->indicator_id);
  w.end_array();
}

void write_risk(JsonWriter& w, const RiskReport& report, const Risk& r) {
  w.begin_object();
  w.field("id", r.id);
  w.field("title", r.title);
  w.field("description", r.description);
  w.field("owner", r.owner);
  w.field("period", r.period.to_string());
  write_score(w, "original", r.original);
  write_score(w, "current", r.current);
  write_score(w, "target", r.target);
  w.field("target_date", r.target_date);
  w.field("prospects", rag_name(r.prospects));
  w.field("previous_score", r.previous_score);
  w.field("level", risk_level_name(r.level));
  w.field("area", r.area);
  w.field("date_entered", r.date_entered);
  w.field("mitigation", r.mitigation);
  w.field("progress", r.progress);
  w.field("reviewed_by", r.reviewed_by);
  w.field("last_review", r.last_review);
  w.field("next_review", r.next_review);
  if (report.indicators_evaluated) {
    write_ids(w, "weakened_by", links_of_risk(report.indicator_links, r.id, true));
    write_ids(w, "linked_not_weakening", links_of_risk(report.indicator_links, r.id, false));
  }
  w.end_object();
}

void write_bands(JsonWriter& w, const RiskBandCounts& c) {
  w.key("bands").begin_object();
  w.field("high", c.high);
  w.field("medium", c.medium);
  w.field("low", c.low);
  w.field("unscored", c.unscored);
  w.end_object();
}

// The matrix as a list of its occupied cells, highest score first.
void write_matrix(JsonWriter& w, const RiskMatrix& matrix) {
  w.key("matrix").begin_array();
  for (int likelihood = 5; likelihood >= 1; --likelihood) {
    for (int impact = 5; impact >= 1; --impact) {
      const auto& ids = matrix.cells[likelihood - 1][impact - 1];
      if (ids.empty()) continue;
      w.begin_object();
      w.field("likelihood", likelihood);
      w.field("impact", impact);
      w.field("score", likelihood * impact);
      w.key("risks").begin_array();
      for (const std::string& id : ids) w.value(id);
      w.end_array();
      w.end_object();
    }
  }
  w.end_array();
}

}  // namespace

void render_risk_json(const RiskReport& report, std::ostream& out) {
  JsonWriter w(out);
  w.begin_object();
  w.field("format", "vitals.risk_report/1");
  w.field("catalogue", report.catalogue_name);
  w.field("committee", report.committee);
  w.field("period", report.period.to_string());
  w.key("register_period");
  report.register_period ? w.value(report.register_period->to_string()) : w.null();
  w.key("previous_period");
  report.previous_period ? w.value(report.previous_period->to_string()) : w.null();
  w.field("threshold", report.threshold);
  w.field("next_review", register_next_review(report.register_risks));
  write_bands(w, count_risk_bands(report.register_risks));
  write_matrix(w, place_risks(report.register_risks));
  w.key("exceptions").begin_array();
  for (const Risk& r : report.exceptions) write_risk(w, report, r);
  w.end_array();
  w.key("changes").begin_array();
  for (const RiskChange& c : report.changes) {
    w.begin_object();
    w.field("kind", risk_change_name(c.kind));
    w.field("risk", c.risk_id);
    w.field("title", c.title);
    w.field("score_before", c.score_before);
    w.field("score_after", c.score_after);
    w.field("text_before", c.text_before);
    w.field("text_after", c.text_after);
    w.end_object();
  }
  w.end_array();
  w.field("indicators_evaluated", report.indicators_evaluated);
  w.key("indicator_links").begin_array();
  for (const RiskIndicatorLink& l : report.indicator_links) {
    w.begin_object();
    w.field("risk", l.risk_id);
    w.field("indicator", l.indicator_id);
    w.field("title", l.indicator_title);
    w.field("weakens", l.weakens);
    w.key("mechanism");
    if (l.mechanism) {
      w.begin_object();
      w.field("measures", risk_measures_name(l.mechanism->measures));
      w.field("quote", l.mechanism->quote);
      w.field("when", risk_when_name(l.mechanism->when));
      if (l.mechanism->when == RiskMechanism::When::kThreshold) {
        w.field("threshold", l.mechanism->threshold);
      }
      w.end_object();
    } else {
      w.null();
    }
    w.field("state", l.state);
    w.end_object();
  }
  w.end_array();
  w.key("register").begin_array();
  for (const Risk& r : report.register_risks) write_risk(w, report, r);
  w.end_array();
  w.end_object();
  out << "\n";
}

}  // namespace vitals::detail
