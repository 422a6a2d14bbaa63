// SPDX-License-Identifier: Apache-2.0
#include "report/report_view.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>

#include <vitals/version.hpp>

#include "common/number_format.hpp"
#include "report/criterion.hpp"
#include "report/escape.hpp"
#include "report/follow_ups_view.hpp"
#include "report/finance_report.hpp"
#include "report/presentation.hpp"
#include "report/svg_chart.hpp"
#include "report/year_end_view.hpp"

namespace vitals::detail {

namespace {

using V = TemplateValue;

constexpr std::string_view kNoCommentaryNeeded =
    "No commentary: this vital sign is not reported as an exception for the period.";

V text_list(const std::vector<std::string>& items) {
  V list = V::list();
  for (const std::string& item : items) list.push(V::text(item));
  return list;
}

V prose_view(std::string_view text) {
  V blocks = V::list();
  for (const ProseBlock& b : split_prose(text)) {
    V block = V::object();
    block.set("is_paragraph", b.kind == ProseBlock::Kind::kParagraph);
    block.set("is_bullets", b.kind == ProseBlock::Kind::kBullets);
    block.set("is_numbered", b.kind == ProseBlock::Kind::kNumbered);
    block.set("text", b.text);
    block.set("items", text_list(b.items));
    blocks.push(std::move(block));
  }
  V prose = V::object();
  prose.set("has_text", blocks.truthy());
  prose.set("blocks", std::move(blocks));
  return prose;
}

std::string rag_class(Rag rag) { return rag_name(rag); }

// The fields every rated number shares: the value, its rating in words, as a
// shape and as a class for colour.
void set_rating(V& v, Rag rag) {
  v.set("rag", rag_class(rag));
  v.set("rag_label", rag_label(rag));
  v.set("rag_symbol", rag_symbol(rag));
  v.set("has_rag", rag != Rag::kNone);
}

V period_view(const Period& period) {
  auto lines = period_label_lines(period);
  V v = V::object();
  v.set("period", period.to_string());
  v.set("label", period.label());
  v.set("line1", lines[0]);
  v.set("line2", lines[1]);
  return v;
}

V point_view(const SeriesPoint& p, Unit unit, const std::optional<int>& decimals) {
  V v = period_view(p.period);
  v.set("has_value", p.value.has_value());
  v.set("value", value_text(p.value, unit, decimals));
  v.set("numerator", p.numerator ? format_number(*p.numerator) : "");
  v.set("denominator", p.denominator ? format_number(*p.denominator) : "");
  std::string ratio = ratio_text(p.numerator, p.denominator);
  v.set("has_ratio", !ratio.empty());
  v.set("ratio", ratio);
  v.set("has_target", p.target.has_value());
  v.set("target", value_text(p.target, unit, decimals));
  set_rating(v, p.value ? p.rag : Rag::kNone);
  // A figure with a target but no rating: its indicator has no complete result.
  v.set("not_rated", p.value.has_value() && p.target.has_value() && p.rag == Rag::kNone);
  std::string description = p.period.label() + ": ";
  if (!p.value) {
    description += "no data (time lag)";
  } else {
    description += value_text(p.value, unit, decimals);
    if (p.target) description += ", target " + value_text(p.target, unit, decimals) + ", " + point_rating_text(p);
    else description += ", no target set";
  }
  v.set("description", description);
  return v;
}

const LinkTarget* find_link(const std::vector<LinkTarget>& links, const std::string& id) {
  for (const LinkTarget& l : links) {
    if (l.id == id) return &l;
  }
  return nullptr;
}

// The linked budget lines or risks as a list, and as one line of text
// ("id title; id title" for risks, whose ids are how officers know them).
V links_view(const std::vector<std::string>& ids, const std::vector<LinkTarget>& declared, bool with_ids,
             std::string& joined) {
  V list = V::list();
  for (const std::string& id : ids) {
    const LinkTarget* link = find_link(declared, id);
    std::string title = link != nullptr ? link->title : id;
    if (!joined.empty()) joined += "; ";
    joined += with_ids && title != id ? id + " " + title : title;
    V v = V::object();
    v.set("id", id);
    v.set("title", title);
    list.push(std::move(v));
  }
  return list;
}

V document_view(const ReportInputs& inputs) {
  const EvaluationReport& report = inputs.report;
  std::string committee = report.committee.empty() ? inputs.catalogue.committee : report.committee;
  std::string catalogue = report.catalogue_name.empty() ? inputs.catalogue.name : report.catalogue_name;
  std::string heading = committee.empty() ? catalogue : committee;
  V v = V::object();
  v.set("heading", heading);
  set_document_title(v, heading + ": vital signs exception report, " + report.period.label());
  v.set("kind", "Vital signs exception report");
  v.set("committee", committee);
  v.set("catalogue", catalogue);
  v.set("organisation", inputs.organisation);
  v.set("has_organisation", !inputs.organisation.empty());
  v.set("period", report.period.to_string());
  v.set("period_label", report.period.label());
  v.set("generator", std::string("Vitals ") + version_string());
  // An incomplete run: every page opens with the banner, every card is stamped.
  V reasons = V::list();
  for (const IncompleteReason& reason : report.incomplete) {
    V r = V::object();
    r.set("kind", incomplete_kind_name(reason.kind));
    r.set("message", reason.message);
    reasons.push(std::move(r));
  }
  v.set("is_incomplete", !report.complete());
  v.set("incomplete_heading", std::string(kIncompleteHeading));
  v.set("incomplete_intro", std::string(kIncompleteIntro));
  v.set("incomplete", std::move(reasons));
  return v;
}

V reasons_view(const IndicatorResult& r) {
  V list = V::list();
  for (const RuleOutcome* o : r.reasons()) {
    V v = V::object();
    std::string label = reason_label(*o);
    v.set("message", reason_message(label, o->message));
    v.set("label", std::move(label));
    list.push(std::move(v));
  }
  return list;
}

// A comparator figure as the national tables print it: one decimal place.
std::string comparator_text(const std::optional<double>& value, Unit unit) {
  if (!value) return "–";
  return value_text(*value, unit, 1);
}

// "119th of 152 (bottom quartile)", or "" without a rank.
std::string rank_text(const IndicatorComparators& c) {
  if (!c.rank) return "";
  const int n = *c.rank;
  const char* suffix = (n % 100 >= 11 && n % 100 <= 13) ? "th"
                       : n % 10 == 1                     ? "st"
                       : n % 10 == 2                     ? "nd"
                       : n % 10 == 3                     ? "rd"
                                                         : "th";
  static constexpr const char* kQuartiles[] = {"", "top quartile", "second quartile",
                                               "third quartile", "bottom quartile"};
  std::string out = std::to_string(n) + suffix + " of " + std::to_string(c.ranked);
  if (c.quartile && *c.quartile >= 1 && *c.quartile <= 4) {
    out += std::string(" (") + kQuartiles[*c.quartile] + ")";
  }
  return out;
}

// The council's heading in comparator tables.
std::string council_heading(const ReportInputs& inputs) {
  return inputs.organisation.empty() ? "Council" : inputs.organisation;
}

// The comparators of the ASCOF layout, in order: family group, region,
// England (the peers follow on cards).
constexpr const char* kComparatorKinds[] = {"family_group", "region", "england"};

// One column of a comparator table: heading, its period, the value.
V comparator_column(std::string heading, std::string period, std::string value) {
  V column = V::object();
  column.set("heading", std::move(heading));
  column.set("period", std::move(period));
  column.set("value", std::move(value));
  return column;
}

// A card's comparator table in the ASCOF layout: the council this period and
// in the comparators' period, family group, region, England, the peers, and
// the rank of N.
V comparators_view(const ReportInputs& inputs, const IndicatorResult& r) {
  V view = V::object();
  V columns = V::list();
  const IndicatorComparators* c = r.comparators ? &*r.comparators : nullptr;
  if (c != nullptr) {
    const std::string council = council_heading(inputs);
    columns.push(comparator_column(council, r.latest ? r.latest->period.label() : "",
                                   r.latest ? value_text(r.latest->value, r.unit, r.decimals) : "–"));
    columns.push(comparator_column(council, c->period, comparator_text(c->council_value, r.unit)));
    for (const char* kind : kComparatorKinds) {
      if (const ComparatorFigure* f = c->find(kind)) {
        columns.push(comparator_column(f->name, c->period, comparator_text(f->value, r.unit)));
      }
    }
    for (const ComparatorFigure& f : c->figures) {
      if (f.kind == "peer") columns.push(comparator_column(f.name, c->period, comparator_text(f.value, r.unit)));
    }
  }
  view.set("measure", c != nullptr ? c->measure : "");
  view.set("period", c != nullptr ? c->period : "");
  view.set("columns", std::move(columns));
  const std::string rank = c != nullptr ? rank_text(*c) : "";
  view.set("has_rank", !rank.empty());
  view.set("rank_text", rank);
  return view;
}

// The committee report's comparison section: every indicator with
// comparators, one row each, in the ASCOF layout.
V comparison_view(const ReportInputs& inputs) {
  V view = V::object();
  V rows = V::list();
  V headings = V::list();
  std::string period;
  for (const IndicatorResult& r : inputs.report.indicators) {
    if (!r.comparators) continue;
    const IndicatorComparators& c = *r.comparators;
    if (headings.items().empty()) {
      period = c.period;
      const std::string council = council_heading(inputs);
      headings.push(comparator_column(council, "this period", ""));
      headings.push(comparator_column(council, c.period, ""));
      for (const char* kind : kComparatorKinds) {
        const ComparatorFigure* f = c.find(kind);
        std::string name = f != nullptr ? f->name
                           : std::string(kind) == "england" ? "England"
                           : std::string(kind) == "region"  ? "Region"
                                                            : "Family group";
        headings.push(comparator_column(std::move(name), c.period, ""));
      }
    }
    V row = V::object();
    row.set("measure", c.measure);
    row.set("title", r.title);
    row.set("anchor", card_anchor(r.indicator_id));
    V cells = V::list();
    V now = V::object();
    now.set("value", r.latest ? value_text(r.latest->value, r.unit, r.decimals) : "–");
    now.set("period", r.latest ? r.latest->period.label() : "");
    cells.push(std::move(now));
    V then = V::object();
    then.set("value", comparator_text(c.council_value, r.unit));
    then.set("period", c.period);
    cells.push(std::move(then));
    for (const char* kind : kComparatorKinds) {
      const ComparatorFigure* f = c.find(kind);
      V cell = V::object();
      cell.set("value", comparator_text(f != nullptr ? f->value : std::nullopt, r.unit));
      cell.set("period", c.period);
      cells.push(std::move(cell));
    }
    row.set("cells", std::move(cells));
    row.set("rank_text", rank_text(c).empty() ? "–" : rank_text(c));
    rows.push(std::move(row));
  }
  view.set("period", period);
  view.set("headings", std::move(headings));
  view.set("rows", std::move(rows));
  return view;
}

V card_view(const ReportInputs& inputs, const IndicatorResult& r, int letter, ViewTarget target) {
  const IndicatorDefinition* def = inputs.catalogue.find_indicator(r.indicator_id);
  const Period& period = inputs.report.period;
  const std::string lead = def != nullptr ? def->lead_officer : "";
  const std::string required = commentary_required_text(lead);

  V card = V::object();
  card.set("indicator", r.indicator_id);
  card.set("anchor", card_anchor(r.indicator_id));
  card.set("has_letter", letter >= 0);
  card.set("letter", letter >= 0 ? list_letter(static_cast<std::size_t>(letter)) : "");
  card.set("title", r.title);
  card.set("is_exception", r.is_exception);
  card.set("has_no_result", !r.incomplete.empty());
  card.set("no_result_text", no_result_text(r));
  card.set("has_reasons", !r.reasons().empty());
  card.set("reasons_label", r.reasons().empty() ? "" : reasons_label(r, inputs.report.reasons_shown));
  card.set("reasons", reasons_view(r));
  card.set("why", prose_view(def != nullptr ? def->description : ""));
  card.set("polarity_text", polarity_text(r.polarity));
  card.set("frequency_label", frequency_label(r.frequency));

  ChartInput chart;
  chart.id = r.indicator_id;
  chart.title = r.title;
  chart.polarity = r.polarity;
  chart.unit = r.unit;
  chart.decimals = r.decimals;
  chart.frequency = r.frequency;
  chart.points = r.history;
  if (chart.points.empty() && r.latest) chart.points.push_back(*r.latest);
  if (r.comparators) {
    for (const char* kind : kComparatorKinds) {
      const ComparatorFigure* f = r.comparators->find(kind);
      if (f == nullptr || !f->value) continue;
      chart.references.push_back({f->name + " " + r.comparators->period, std::round(*f->value * 10) / 10});
    }
  }
  // An indicator without a complete result in this run is never rated: its
  // figures are shown as they are, without a colour, shape or RAG word.
  const bool rated = r.incomplete.empty();
  std::optional<SeriesPoint> latest_point = r.latest;
  if (!rated) {
    for (SeriesPoint& p : chart.points) p.rag = Rag::kNone;
    if (latest_point) latest_point->rag = Rag::kNone;
  }
  if (rated) chart.spc = spc_overlay(r.outcomes);
  card.set("has_spc", target == ViewTarget::kHtml && chart.spc.has_value());
  card.set("spc_icons", target == ViewTarget::kHtml && chart.spc
                            ? V::markup(spc_icons_html(*chart.spc, r.indicator_id, r.polarity, r.unit, r.decimals))
                            : V());
  card.set("has_chart", target == ViewTarget::kHtml);
  card.set("chart", target == ViewTarget::kHtml ? V::markup(render_chart_svg(chart)) : V());
  card.set("chart_description", chart_description(chart));

  V periods = V::list();
  bool has_ratios = false;
  for (const SeriesPoint& p : chart.points) {
    has_ratios = has_ratios || (p.numerator.has_value() && p.denominator.has_value());
    periods.push(point_view(p, r.unit, r.decimals));
  }
  card.set("periods", std::move(periods));
  card.set("has_ratios", has_ratios);

  SeriesPoint none;
  none.period = period;
  const SeriesPoint& last = latest_point ? *latest_point : none;
  V latest = point_view(last, r.unit, r.decimals);
  latest.set("has_variance", last.variance_pct.has_value());
  latest.set("variance", variance_text(last.variance_pct));
  card.set("has_latest", r.latest.has_value());
  card.set("latest", std::move(latest));
  std::string data_note;
  if (r.data_state != DataState::kCurrent) data_note = "Data is late: " + late_data_text(r) + ".";
  if (!rated) {
    if (!data_note.empty()) data_note += " ";
    data_note += "Not rated: this run has no complete result for this indicator, so its figures are shown "
                 "without ratings.";
  }
  card.set("has_data_note", !data_note.empty());
  card.set("data_note", data_note);
  std::string status_note = lifecycle_text(r.lifecycle);
  card.set("has_status_note", !status_note.empty());
  card.set("status_note", status_note);

  const Commentary* c = inputs.commentary.find(r.indicator_id, period);
  for (CommentarySection section : kCommentarySections) {
    V s = prose_view(c != nullptr ? c->section(section) : "");
    s.set("heading", commentary_section_heading(section));
    s.set("key", commentary_section_key(section));
    // Only exceptions need commentary: another card (a published site's)
    // says so instead of asking an officer for it in public.
    s.set("required_text", r.is_exception ? required : std::string(kNoCommentaryNeeded));
    card.set(commentary_section_key(section), std::move(s));
  }
  const bool awaiting = r.is_exception && !missing_commentary(inputs.commentary, r, period).empty();
  card.set("awaiting_commentary", awaiting);
  card.set("required_text", required);
  card.set("has_commentary", c != nullptr);
  card.set("commentary_from", c != nullptr ? c->from.to_string() : "");
  card.set("commentary_from_label", c != nullptr ? c->from.label() : "");
  // Older commentary still applies, but readers are told when it was written.
  const bool current = c != nullptr && c->from.last_month_index() >= period.last_month_index();
  card.set("commentary_is_current", current);
  card.set("commentary_note", c != nullptr && !current ? "Commentary as at " + c->from.label() + "." : "");

  card.set("lead_officer", lead);
  card.set("has_lead_officer", !lead.empty());
  card.set("data_owner", def != nullptr ? def->data_owner : "");
  card.set("has_data_owner", def != nullptr && !def->data_owner.empty());
  std::string budget_text;
  std::string risks_text;
  V budget = links_view(def != nullptr ? def->budget_lines : std::vector<std::string>{},
                        inputs.catalogue.budget_lines, false, budget_text);
  V risks = links_view(def != nullptr ? def->risks : std::vector<std::string>{}, inputs.catalogue.risks, true,
                       risks_text);
  card.set("budget_lines_text", budget_text);
  card.set("risks_text", risks_text);
  card.set("has_budget_lines", budget.truthy());
  card.set("has_risks", risks.truthy());
  card.set("has_links", budget.truthy() || risks.truthy());
  card.set("budget_lines", std::move(budget));
  card.set("risks", std::move(risks));
  card.set("has_comparators", r.comparators.has_value());
  card.set("comparators", comparators_view(inputs, r));
  card.set("previous_decision", previous_decision_part(inputs, r.indicator_id));
  return card;
}

const SeriesPoint* point_at(const IndicatorResult& r, const Period& p) {
  for (const SeriesPoint& point : r.history) {
    if (point.period == p) return &point;
  }
  if (r.history.empty() && r.latest && r.latest->period == p) return &*r.latest;
  return nullptr;
}

V dashboard_view(const ReportInputs& inputs, DashboardLinks links) {
  const EvaluationReport& report = inputs.report;
  // One table per frequency, in the order the frequencies first appear.
  std::vector<Frequency> frequencies;
  for (const IndicatorResult& r : report.indicators) {
    if (std::find(frequencies.begin(), frequencies.end(), r.frequency) == frequencies.end()) {
      frequencies.push_back(r.frequency);
    }
  }
  V groups = V::list();
  for (Frequency f : frequencies) {
    std::vector<Period> periods;
    for (const IndicatorResult& r : report.indicators) {
      if (r.frequency != f || r.history.empty()) continue;
      for (const SeriesPoint& p : r.history) periods.push_back(p.period);
      break;
    }
    if (periods.empty()) periods.push_back(report.period.latest_complete(f));

    V group = V::object();
    group.set("frequency_label", frequency_label(f));
    group.set("period_count", std::to_string(periods.size()));
    V header = V::list();
    for (const Period& p : periods) header.push(period_view(p));
    group.set("periods", std::move(header));

    V rows = V::list();
    for (const IndicatorResult& r : report.indicators) {
      if (r.frequency != f) continue;
      const IndicatorDefinition* def = inputs.catalogue.find_indicator(r.indicator_id);
      V row = V::object();
      row.set("indicator", r.indicator_id);
      row.set("title", r.title);
      row.set("anchor", card_anchor(r.indicator_id));
      const bool linked = links == DashboardLinks::kIndicatorPages || r.is_exception;
      row.set("has_link", linked);
      row.set("href", !linked ? ""
                      : links == DashboardLinks::kIndicatorPages ? indicator_page_href(r.indicator_id)
                                                                 : "#" + card_anchor(r.indicator_id));
      row.set("is_exception", r.is_exception);
      row.set("reasons_label", r.is_exception ? reasons_label(r, inputs.report.reasons_shown) : "");
      // A label of its own in the row ("New this period"), so capitalised.
      std::string lifecycle = r.is_exception ? lifecycle_label(r.lifecycle) : "";
      if (!lifecycle.empty()) {
        lifecycle[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(lifecycle[0])));
      }
      row.set("has_lifecycle", !lifecycle.empty());
      row.set("lifecycle_label", lifecycle);
      row.set("lifecycle_state", exception_state_name(r.lifecycle.state));
      row.set("polarity_word", polarity_word(r.polarity));
      row.set("polarity_text", polarity_text(r.polarity));
      // A result the run could not complete is one cell across the periods:
      // never a rating, never a dash that reads as a time lag.
      row.set("has_no_result", !r.incomplete.empty());
      row.set("no_result_text", no_result_text(r));
      row.set("span", std::to_string(periods.size()));
      V blanks = V::list();
      for (std::size_t i = 1; i < periods.size(); ++i) blanks.push(V::text(""));
      row.set("blank_cells", std::move(blanks));
      V cells = V::list();
      for (const Period& p : periods) {
        const SeriesPoint* point = point_at(r, p);
        SeriesPoint gap;
        gap.period = p;
        cells.push(point_view(point != nullptr ? *point : gap, r.unit, r.decimals));
      }
      row.set("cells", std::move(cells));
      const SeriesPoint* last = point_at(r, periods.back());
      std::optional<double> target = last != nullptr ? last->target : std::nullopt;
      if (!target && def != nullptr) target = def->target.value_at(periods.back());
      row.set("has_target", target.has_value());
      row.set("target", value_text(target, r.unit, r.decimals));
      row.set("target_profiled", def != nullptr && def->target.kind == Target::Kind::kProfiled);
      rows.push(std::move(row));
    }
    group.set("rows", std::move(rows));
    groups.push(std::move(group));
  }
  V dashboard = V::object();
  dashboard.set("groups", std::move(groups));
  return dashboard;
}

V notes_view(const ReportInputs& inputs) {
  const EvaluationReport& report = inputs.report;
  V late = V::list();
  V failed = V::list();
  for (const IndicatorResult& r : report.indicators) {
    if (r.data_state != DataState::kCurrent && r.incomplete.empty()) {
      const IndicatorDefinition* def = inputs.catalogue.find_indicator(r.indicator_id);
      V v = V::object();
      v.set("title", r.title);
      v.set("text", late_data_note(r, report.period, def != nullptr ? def->allowed_lag : 0));
      late.push(std::move(v));
    }
    std::vector<std::string> rules;
    for (const RuleOutcome& o : r.outcomes) {
      if (o.status == RuleOutcome::Status::kError) rules.push_back(o.rule_id);
    }
    if (!rules.empty()) {
      std::string list;
      for (std::size_t i = 0; i < rules.size(); ++i) list += (i ? ", " : "") + rules[i];
      V v = V::object();
      v.set("title", r.title);
      v.set("rules", list);
      failed.push(std::move(v));
    }
  }
  V notes = V::object();
  notes.set("has_notes", late.truthy() || failed.truthy());
  notes.set("has_late", late.truthy());
  notes.set("has_not_evaluated", failed.truthy());
  notes.set("late", std::move(late));
  notes.set("not_evaluated", std::move(failed));
  return notes;
}

std::string sections_text(const std::vector<CommentarySection>& sections) {
  std::string out;
  for (std::size_t i = 0; i < sections.size(); ++i) {
    if (i > 0) out += i + 1 == sections.size() ? " and " : ", ";
    out += std::string("\u201c") + commentary_section_heading(sections[i]) + "\u201d";
  }
  return out;
}

}  // namespace

std::string card_anchor(const std::string& indicator_id) { return "card-" + indicator_id; }

std::string indicator_page_href(const std::string& indicator_id) {
  return "indicators/" + indicator_id + ".html";
}

TemplateValue document_part(const ReportInputs& inputs) { return document_view(inputs); }

void set_document_title(TemplateValue& document, const std::string& title) {
  document.set("title", title);
  // The running footer on paper (an @page margin box in the page's <style>).
  document.set("print_title", V::markup(css_string_escape(title)));
}

TemplateValue dashboard_part(const ReportInputs& inputs, DashboardLinks links) {
  return dashboard_view(inputs, links);
}

TemplateValue card_part(const ReportInputs& inputs, const IndicatorResult& result, ViewTarget target) {
  return card_view(inputs, result, -1, target);
}

TemplateValue point_part(const SeriesPoint& point, Unit unit, const std::optional<int>& decimals) {
  return point_view(point, unit, decimals);
}

TemplateValue notes_part(const ReportInputs& inputs) { return notes_view(inputs); }

TemplateValue reasons_part(const IndicatorResult& result) { return reasons_view(result); }

std::vector<CommentarySection> missing_commentary(const CommentarySet& commentary,
                                                  const IndicatorResult& result, const Period& period) {
  const Commentary* c = commentary.find(result.indicator_id, period);
  std::vector<CommentarySection> missing;
  for (CommentarySection s : kCommentarySections) {
    if (c == nullptr || c->section(s).find_first_not_of(" \t\r\n") == std::string::npos) missing.push_back(s);
  }
  return missing;
}

std::string commentary_required_text(const std::string& lead_officer) {
  return "Commentary required from " + (lead_officer.empty() ? std::string("the lead officer") : lead_officer);
}

TemplateValue committee_report_view(const ReportInputs& inputs, ViewTarget target) {
  const EvaluationReport& report = inputs.report;
  V root = V::object();
  root.set("document", document_view(inputs));

  auto exceptions = report.exceptions();
  V summary = V::list();
  V cards = V::list();
  V awaiting = V::list();
  for (std::size_t i = 0; i < exceptions.size(); ++i) {
    const IndicatorResult& r = *exceptions[i];
    V item = V::object();
    item.set("letter", list_letter(i));
    item.set("title", r.title);
    item.set("indicator", r.indicator_id);
    item.set("anchor", card_anchor(r.indicator_id));
    item.set("reasons_label", reasons_label(r, inputs.report.reasons_shown));
    item.set("reasons", reasons_view(r));
    summary.push(std::move(item));
    cards.push(card_view(inputs, r, static_cast<int>(i), target));

    auto missing = missing_commentary(inputs.commentary, r, report.period);
    if (!missing.empty()) {
      const IndicatorDefinition* def = inputs.catalogue.find_indicator(r.indicator_id);
      std::string lead = def != nullptr ? def->lead_officer : "";
      V a = V::object();
      a.set("letter", list_letter(i));
      a.set("title", r.title);
      a.set("anchor", card_anchor(r.indicator_id));
      a.set("lead_officer", lead);
      a.set("required_text", commentary_required_text(lead));
      a.set("sections_text", sections_text(missing));
      awaiting.push(std::move(a));
    }
  }
  root.set("has_exceptions", summary.truthy());
  root.set("exceptions", std::move(summary));
  root.set("has_awaiting", awaiting.truthy());
  root.set("awaiting", std::move(awaiting));
  V year_end = year_end_part(inputs);
  root.set("has_year_end", year_end.find("is_included")->truthy());
  root.set("year_end", std::move(year_end));
  root.set("dashboard", dashboard_view(inputs, DashboardLinks::kExceptionCards));
  V comparison = comparison_view(inputs);
  root.set("has_comparison", comparison.find("rows")->truthy());
  root.set("comparison", std::move(comparison));
  root.set("finance", finance_part(report.finance));
  root.set("cards", std::move(cards));
  root.set("notes", notes_view(inputs));

  V prompts = V::list();
  for (std::string_view p : kDiscussionPrompts) prompts.push(V::text(std::string(p)));
  root.set("discussion_prompts", std::move(prompts));
  V actions = V::list();
  for (std::size_t i = 0; i < kFollowUpActions.size(); ++i) {
    V a = V::object();
    a.set("number", std::to_string(i + 1));
    a.set("text", std::string(kFollowUpActions[i]));
    actions.push(std::move(a));
  }
  root.set("follow_up_actions", std::move(actions));
  root.set("follow_ups", follow_ups_part(inputs));
  return root;
}

TemplateValue card_page_view(const ReportInputs& inputs, const IndicatorResult& result, ViewTarget target) {
  int letter = -1;
  auto exceptions = inputs.report.exceptions();
  for (std::size_t i = 0; i < exceptions.size(); ++i) {
    if (exceptions[i] == &result) letter = static_cast<int>(i);
  }
  V root = V::object();
  root.set("document", document_view(inputs));
  root.set("card", card_view(inputs, result, letter, target));
  return root;
}

}  // namespace vitals::detail
