// SPDX-License-Identifier: Apache-2.0
// The risk exception report and the reconciliation of registers: building
// (is_risk_exception, reconcile_risks) and rendering (text, Markdown, JSON).
#include <vitals/risk_report.hpp>

#include "report/json_writer.hpp"

#include <algorithm>
#include <exception>
#include <map>
#include <sstream>

namespace vitals {

namespace {

std::string score_text(const std::optional<RiskScore>& s) {
  if (!s) return "-";
  return std::to_string(s->score()) + " (" + risk_band_label(risk_band(s->score())) + ")";
}

std::string prospects_text(Rag prospects) {
  return prospects == Rag::kNone ? "not given" : rag_name(prospects);
}

const char* change_label(RiskChange::Kind kind) {
  switch (kind) {
    case RiskChange::Kind::kNew:
      return "new risk";
    case RiskChange::Kind::kClosed:
      return "closed risk";
    case RiskChange::Kind::kScoreChanged:
      return "change of score";
    case RiskChange::Kind::kTitleChanged:
      return "change of title";
    case RiskChange::Kind::kDescriptionChanged:
      return "change of description";
  }
  return "change";
}

// "RM14247 Failure in the care market: score 9 → 12" and the like.
std::string change_text(const RiskChange& c) {
  std::string text = c.risk_id + " " + c.title;
  auto score = [](const std::optional<int>& s) { return s ? std::to_string(*s) : "-"; };
  switch (c.kind) {
    case RiskChange::Kind::kNew:
      return text + " (score " + score(c.score_after) + ")";
    case RiskChange::Kind::kClosed:
      return text + " (last score " + score(c.score_before) + ")";
    case RiskChange::Kind::kScoreChanged:
      return text + ": score " + score(c.score_before) + " → " + score(c.score_after);
    case RiskChange::Kind::kTitleChanged:
    case RiskChange::Kind::kDescriptionChanged:
      return text + ": was \"" + c.text_before + "\"";
  }
  return text;
}

std::string target_text(const Risk& r) {
  std::string text = r.target ? std::to_string(r.target->score()) : std::string("-");
  if (!r.target_date.empty()) text += " by " + r.target_date;
  return text;
}

std::string heading(const RiskReport& report) {
  std::string who = !report.committee.empty() ? report.committee : report.catalogue_name;
  return who + ": corporate risks, " + report.period.label();
}

std::string register_line(const RiskReport& report) {
  if (!report.register_period) {
    return "No risk register is stored for " + report.period.label() + " or earlier.";
  }
  std::string line = "Risk register as at " + report.register_period->label() + "; ";
  line += report.previous_period ? "reconciled with the register as at " +
                                       report.previous_period->label() + "."
                                 : "no earlier register to reconcile with.";
  return line;
}

std::string exceptions_intro(const RiskReport& report) {
  return "Risks reported by exception (current score " + std::to_string(report.threshold) +
         " or more, prospects red or amber): " + std::to_string(report.exceptions.size());
}

void render_text(const RiskReport& report, std::ostream& out) {
  out << heading(report) << "\n\n" << register_line(report) << "\n\n";
  out << exceptions_intro(report) << "\n";
  char letter = 'a';
  for (const Risk& r : report.exceptions) {
    out << "  " << letter << ". " << r.id << " " << r.title << "\n";
    out << "     score " << score_text(r.current) << ": likelihood " << r.current->likelihood
        << " x impact " << r.current->impact << "; target " << target_text(r) << "; prospects "
        << prospects_text(r.prospects) << "; owner " << (r.owner.empty() ? "-" : r.owner) << "\n";
    letter = letter == 'z' ? 'a' : static_cast<char>(letter + 1);
  }
  out << "\n";
  if (!report.previous_period) {
    out << "Changes since the previous register: none to report (no earlier register).\n";
    return;
  }
  out << "Changes since the register as at " << report.previous_period->label() << ": "
      << report.changes.size() << "\n";
  for (const RiskChange& c : report.changes) {
    out << "  - " << change_label(c.kind) << ": " << change_text(c) << "\n";
  }
}

std::string md_cell(std::string text) {
  std::string out;
  for (char c : text) {
    if (c == '|') {
      out += "\\|";
    } else if (c == '\n' || c == '\r') {
      out += ' ';
    } else {
      out += c;
    }
  }
  return out;
}

void render_markdown(const RiskReport& report, std::ostream& out) {
  out << "# " << heading(report) << "\n\n" << register_line(report) << "\n\n";
  out << "## " << exceptions_intro(report) << "\n\n";
  if (!report.exceptions.empty()) {
    out << "| Risk | Title | Score | Likelihood x impact | Target | Prospects | Owner |\n"
        << "|---|---|---|---|---|---|---|\n";
    for (const Risk& r : report.exceptions) {
      out << "| " << md_cell(r.id) << " | " << md_cell(r.title) << " | " << score_text(r.current)
          << " | " << r.current->likelihood << " x " << r.current->impact << " | "
          << md_cell(target_text(r)) << " | " << prospects_text(r.prospects) << " | "
          << md_cell(r.owner.empty() ? "-" : r.owner) << " |\n";
    }
    out << "\n";
  }
  if (!report.previous_period) {
    out << "## Changes since the previous register\n\nNone to report: no earlier register.\n";
    return;
  }
  out << "## Changes since the register as at " << report.previous_period->label() << "\n\n";
  if (report.changes.empty()) {
    out << "No significant changes.\n";
    return;
  }
  for (const RiskChange& c : report.changes) {
    out << "- **" << change_label(c.kind) << "**: " << md_cell(change_text(c)) << "\n";
  }
}

void write_score(detail::JsonWriter& w, std::string_view key, const std::optional<RiskScore>& s) {
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

void write_risk(detail::JsonWriter& w, const Risk& r) {
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
  w.key("previous_score");
  if (r.previous_score) {
    w.value(*r.previous_score);
  } else {
    w.null();
  }
  w.end_object();
}

void write_optional_int(detail::JsonWriter& w, std::string_view key, const std::optional<int>& v) {
  w.key(key);
  if (v) {
    w.value(*v);
  } else {
    w.null();
  }
}

void render_json(const RiskReport& report, std::ostream& out) {
  detail::JsonWriter w(out);
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
  w.key("exceptions").begin_array();
  for (const Risk& r : report.exceptions) write_risk(w, r);
  w.end_array();
  w.key("changes").begin_array();
  for (const RiskChange& c : report.changes) {
    w.begin_object();
    w.field("kind", risk_change_name(c.kind));
    w.field("risk", c.risk_id);
    w.field("title", c.title);
    write_optional_int(w, "score_before", c.score_before);
    write_optional_int(w, "score_after", c.score_after);
    w.field("text_before", c.text_before);
    w.field("text_after", c.text_after);
    w.end_object();
  }
  w.end_array();
  w.key("register").begin_array();
  for (const Risk& r : report.register_risks) write_risk(w, r);
  w.end_array();
  w.end_object();
  out << "\n";
}

std::optional<int> current_score(const Risk& r) {
  return r.current ? std::optional<int>(r.current->score()) : std::nullopt;
}

}  // namespace

const char* risk_change_name(RiskChange::Kind kind) {
  switch (kind) {
    case RiskChange::Kind::kNew:
      return "new";
    case RiskChange::Kind::kClosed:
      return "closed";
    case RiskChange::Kind::kScoreChanged:
      return "score_changed";
    case RiskChange::Kind::kTitleChanged:
      return "title_changed";
    case RiskChange::Kind::kDescriptionChanged:
      return "description_changed";
  }
  return "new";
}

bool is_risk_exception(const Risk& risk, int threshold) {
  return risk.current && risk.current->score() >= threshold &&
         (risk.prospects == Rag::kRed || risk.prospects == Rag::kAmber);
}

std::vector<RiskChange> reconcile_risks(const std::vector<Risk>& previous,
                                        const std::vector<Risk>& current) {
  std::map<std::string, const Risk*> before;
  std::map<std::string, const Risk*> after;
  for (const Risk& r : previous) before.emplace(r.id, &r);
  for (const Risk& r : current) after.emplace(r.id, &r);
  std::vector<RiskChange> out;
  // Both maps are sorted by id: walk them together.
  auto b = before.begin();
  auto a = after.begin();
  while (b != before.end() || a != after.end()) {
    if (a == after.end() || (b != before.end() && b->first < a->first)) {
      const Risk& r = *b->second;
      out.push_back(RiskChange{RiskChange::Kind::kClosed, r.id, r.title, current_score(r),
                               std::nullopt, "", ""});
      ++b;
      continue;
    }
    if (b == before.end() || a->first < b->first) {
      const Risk& r = *a->second;
      out.push_back(RiskChange{RiskChange::Kind::kNew, r.id, r.title, std::nullopt,
                               current_score(r), "", ""});
      ++a;
      continue;
    }
    const Risk& old_risk = *b->second;
    const Risk& new_risk = *a->second;
    if (current_score(old_risk) != current_score(new_risk)) {
      out.push_back(RiskChange{RiskChange::Kind::kScoreChanged, new_risk.id, new_risk.title,
                               current_score(old_risk), current_score(new_risk), "", ""});
    }
    if (old_risk.title != new_risk.title) {
      out.push_back(RiskChange{RiskChange::Kind::kTitleChanged, new_risk.id, new_risk.title,
                               std::nullopt, std::nullopt, old_risk.title, new_risk.title});
    }
    if (old_risk.description != new_risk.description) {
      out.push_back(RiskChange{RiskChange::Kind::kDescriptionChanged, new_risk.id,
                               new_risk.title, std::nullopt, std::nullopt, old_risk.description,
                               new_risk.description});
    }
    ++a;
    ++b;
  }
  return out;
}

Status render_risk_report(const RiskReport& report, ReportFormat format, std::ostream& out) {
  try {
    std::ostringstream buffer;
    switch (format) {
      case ReportFormat::kText:
        render_text(report, buffer);
        break;
      case ReportFormat::kMarkdown:
        render_markdown(report, buffer);
        break;
      case ReportFormat::kJson:
        render_json(report, buffer);
        break;
      default:
        return Status(StatusCode::kInvalidArgument,
                      "the risk report is written as text, markdown or json");
    }
    out << buffer.str();
    if (!out) return Status(StatusCode::kIoError, "cannot write the risk report");
    return Status::ok();
  } catch (const std::exception& e) {
    return Status(StatusCode::kInternal, std::string("cannot render the risk report: ") + e.what());
  }
}

}  // namespace vitals
