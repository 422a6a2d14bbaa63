// SPDX-License-Identifier: Apache-2.0
// The risk report as a paper: plain text for a terminal and Markdown.
#include "report/criterion.hpp"
#include "report/escape.hpp"
#include "report/risk_report_parts.hpp"

#include <algorithm>

namespace vitals::detail {

namespace {

// "RM14079, ASC-SAVINGS" for a cell of the matrix.
std::string joined(const std::vector<std::string>& ids) {
  std::string out;
  for (const std::string& id : ids) out += (out.empty() ? "" : ", ") + id;
  return out;
}

// Pads `text` to `width` columns (bytes: ids and scores are ASCII).
std::string padded(std::string text, std::size_t width) {
  if (text.size() < width) text.append(width - text.size(), ' ');
  return text;
}

// Writes `line` without its trailing spaces, then a line break.
void text_line(std::string line, std::ostream& out) {
  while (!line.empty() && line.back() == ' ') line.pop_back();
  out << line << "\n";
}

void text_matrix(const RiskMatrix& matrix, std::ostream& out) {
  // One column per impact, Extreme 5 first, as the council prints it.
  std::size_t width = 4;
  for (const auto& row : matrix.cells) {
    for (const auto& cell : row) width = std::max(width, joined(cell).size() + 5);
  }
  std::string line = "  " + padded("Likelihood \\ impact", 20);
  for (int impact = 5; impact >= 1; --impact) {
    line += padded(std::to_string(impact) + " " + risk_impact_label(impact), width);
  }
  text_line(line, out);
  for (int likelihood = 5; likelihood >= 1; --likelihood) {
    line = "  " + padded(std::to_string(likelihood) + " " + risk_likelihood_label(likelihood), 20);
    for (int impact = 5; impact >= 1; --impact) {
      const auto& ids = matrix.cells[likelihood - 1][impact - 1];
      std::string cell = std::to_string(likelihood * impact);
      if (!ids.empty()) cell += ": " + joined(ids);
      line += padded(cell, width);
    }
    text_line(line, out);
  }
}

void text_changes(const RiskReport& report, std::ostream& out) {
  if (!report.previous_period) {
    out << "Changes since the previous register: none to report (no earlier register).\n";
    return;
  }
  out << risk_changes_heading(report) << ": " << report.changes.size() << "\n";
  for (const RiskChange& c : report.changes) {
    out << "  - " << risk_change_label(c.kind) << ": " << risk_change_text(c) << "\n";
  }
}

// A table cell: "-" for nothing (the wording functions' own "-" included).
std::string md(std::string_view text) {
  return text.empty() || text == "-" ? std::string("-") : md_escape(text);
}

void markdown_register(const RiskReport& report, std::ostream& out) {
  out << "## " << risk_summary_heading(report) << "\n\n"
      << risk_band_sentence(count_risk_bands(report.register_risks)) << "\n\n";
  if (report.register_risks.empty()) return;
  const bool own_reviews = register_next_review(report.register_risks).empty() &&
                           std::any_of(report.register_risks.begin(), report.register_risks.end(),
                                       [](const Risk& r) { return !r.next_review.empty(); });
  const bool links = report.indicators_evaluated;
  out << "| Risk | Level | Title | Original | Current | Target | Prospects | Owner |"
      << (own_reviews ? " Next review |" : "") << (links ? " Vital signs |" : "") << "\n"
      << "|---|---|---|---|---|---|---|---|" << (own_reviews ? "---|" : "")
      << (links ? "---|" : "") << "\n";
  for (const Risk& r : report.register_risks) {
    out << "| " << md(r.id) << " | " << md(risk_level_text(r)) << " | " << md(r.title) << " | "
        << risk_score_text(r.original) << " | " << risk_score_text(r.current) << " | "
        << md(risk_target_text(r)) << " | " << risk_prospects_text(r.prospects) << " | "
        << md(r.owner) << " |";
    if (own_reviews) out << " " << md(r.next_review) << " |";
    if (links) out << " " << md(risk_links_cell(report, r.id)) << " |";
    out << "\n";
  }
  out << "\n";
}

void markdown_matrix(const RiskReport& report, std::ostream& out) {
  RiskMatrix matrix = place_risks(report.register_risks);
  out << "## Risk matrix\n\nEach cell gives the score (likelihood x impact) and the risks whose "
         "current score sits there.\n\n| Likelihood \\ impact |";
  for (int impact = 5; impact >= 1; --impact) {
    out << " " << risk_impact_label(impact) << " " << impact << " |";
  }
  out << "\n|---|---|---|---|---|---|\n";
  for (int likelihood = 5; likelihood >= 1; --likelihood) {
    out << "| " << risk_likelihood_label(likelihood) << " " << likelihood << " |";
    for (int impact = 5; impact >= 1; --impact) {
      const auto& ids = matrix.cells[likelihood - 1][impact - 1];
      out << " " << likelihood * impact;
      if (!ids.empty()) out << ": **" << md_escape(joined(ids)) << "**";
      out << " |";
    }
    out << "\n";
  }
  out << "\n";
}

// The vital signs linked to the risk `risk_id`, as items of its entry's list:
// those weakening it now, then the others.
void markdown_links(const RiskReport& report, const std::string& risk_id, std::ostream& out) {
  if (!report.indicators_evaluated) return;
  const auto weakening = links_of_risk(report.indicator_links, risk_id, true);
  const auto others = links_of_risk(report.indicator_links, risk_id, false);
  if (weakening.empty() && others.empty()) {
    out << "- **Vital signs**: none is linked to this risk\n";
    return;
  }
  out << "- **Vital signs weakening it now**:" << (weakening.empty() ? " none" : "") << "\n";
  for (const RiskIndicatorLink* l : weakening) out << "  - " << md_escape(risk_link_text(*l)) << "\n";
  if (others.empty()) return;
  out << "- **Linked vital signs not weakening it now**:\n";
  for (const RiskIndicatorLink* l : others) out << "  - " << md_escape(risk_link_text(*l)) << "\n";
}

void text_links(const RiskReport& report, const std::string& risk_id, std::ostream& out) {
  const auto weakening = links_of_risk(report.indicator_links, risk_id, true);
  const auto others = links_of_risk(report.indicator_links, risk_id, false);
  for (const RiskIndicatorLink* l : weakening) out << "     weakened now by " << risk_link_text(*l) << "\n";
  for (const RiskIndicatorLink* l : others) out << "     linked, not weakening it now: " << risk_link_text(*l) << "\n";
}

// Every risk with a linked vital sign, in the register's order.
void text_register_links(const RiskReport& report, std::ostream& out) {
  if (!report.indicators_evaluated) return;
  out << "\nVital signs linked to the register's risks, as evaluated for " << report.period.label()
      << ":\n";
  bool any = false;
  for (const Risk& r : report.register_risks) {
    const std::string cell = risk_links_cell(report, r.id);
    if (cell == "-") continue;
    any = true;
    out << "  " << r.id << ": " << cell << "\n";
  }
  if (!any) out << "  none: no indicator is linked to a risk of the register\n";
}

void markdown_entry(const RiskReport& report, const Risk& r, const std::string& letter,
                    std::ostream& out) {
  out << "### " << letter << ". " << md_escape(r.id) << " " << md_escape(r.title) << "\n\n";
  for (const auto& [label, text] : risk_entry(r)) {
    out << "- **" << label << "**: " << md_escape(text) << "\n";
  }
  markdown_links(report, r.id, out);
  out << "\n";
}

}  // namespace

void render_risk_text(const RiskReport& report, std::ostream& out) {
  out << risk_report_heading(report) << "\n\n" << risk_register_line(report) << "\n\n";
  out << risk_summary_heading(report) << "; "
      << risk_band_sentence(count_risk_bands(report.register_risks)) << "\n";
  if (!report.register_risks.empty()) {
    out << "\n";
    text_matrix(place_risks(report.register_risks), out);
  }
  text_register_links(report, out);
  out << "\n" << risk_exceptions_heading(report) << "\n";
  for (std::size_t i = 0; i < report.exceptions.size(); ++i) {
    const Risk& r = report.exceptions[i];
    out << "  " << list_letter(i) << ". " << r.id << " " << r.title << "\n";
    out << "     score " << risk_score_text(r.current) << ": likelihood " << r.current->likelihood
        << " x impact " << r.current->impact << "; target " << risk_target_text(r)
        << "; prospects " << risk_prospects_text(r.prospects) << "; owner "
        << risk_owner_text(r) << "\n";
    if (report.indicators_evaluated) text_links(report, r.id, out);
  }
  out << "\n";
  text_changes(report, out);
}

void render_risk_markdown(const RiskReport& report, std::ostream& out) {
  out << "# " << md_escape(risk_report_heading(report)) << "\n\n"
      << md_escape(risk_register_line(report)) << "\n\n";
  markdown_register(report, out);
  if (!report.register_risks.empty()) markdown_matrix(report, out);
  out << "## " << risk_exceptions_heading(report) << "\n\n";
  for (std::size_t i = 0; i < report.exceptions.size(); ++i) {
    markdown_entry(report, report.exceptions[i], list_letter(i), out);
  }
  out << "## " << md_escape(risk_changes_heading(report)) << "\n\n";
  if (!report.previous_period) {
    out << "None to report: no earlier register.\n";
    return;
  }
  if (report.changes.empty()) {
    out << "No significant changes.\n";
    return;
  }
  for (const RiskChange& c : report.changes) {
    out << "- **" << risk_change_label(c.kind) << "**: " << md_escape(risk_change_text(c)) << "\n";
  }
}

}  // namespace vitals::detail
