// SPDX-License-Identifier: Apache-2.0
// The risk report as one self-contained HTML page in the committee report's
// look: the summary of every risk, the matrix, the exceptions' full entries
// and the reconciliation.
#include "report/builtin_templates.hpp"
#include "report/criterion.hpp"
#include "report/escape.hpp"
#include "report/risk_report_parts.hpp"

namespace vitals::detail {

namespace {

// What only this page needs, besides the committee report's styles.
constexpr std::string_view kRiskStyles = R"(
table.risks, table.risk-matrix { border-collapse: collapse; margin: 0.5rem 0 1.25rem; font-variant-numeric: tabular-nums; }
table.risks { width: 100%; font-size: 0.9rem; }
table.risks th, table.risks td, table.risk-matrix th, table.risk-matrix td { border: 1px solid var(--rule); padding: 0.3rem 0.45rem; vertical-align: top; }
table.risks thead th, table.risk-matrix thead th { background: var(--panel); text-align: left; }
table.risks tbody th, table.risks td.score { text-align: left; white-space: nowrap; }
table.risk-matrix .id { white-space: nowrap; }
table.risks caption, table.risk-matrix caption { text-align: left; color: var(--muted); padding-bottom: 0.3rem; }
table.risk-matrix td { width: 8.5rem; height: 3.2rem; }
table.risk-matrix td .score { font-weight: 700; display: block; }
td.band-high { background: var(--red-tint); }
td.band-medium { background: var(--amber-tint); }
td.band-low { background: var(--green-tint); }
article.risk { border-top: 4px solid var(--brand); padding-top: 0.4rem; margin: 1.25rem 0; max-width: 60rem; }
article.risk h3 { font-size: 1.2rem; margin-bottom: 0.5rem; }
article.risk dl { display: grid; grid-template-columns: 15rem 1fr; gap: 0.3rem 1rem; margin: 0; }
article.risk dt { font-weight: 700; }
article.risk dd { margin: 0; }
@media print {
  table.risks { font-size: 8pt; }
  table.risk-matrix { font-size: 8pt; }
  article.risk { break-inside: avoid; }
}
)";

std::string_view builtin_styles() {
  for (const BuiltinTemplate& t : builtin_templates()) {
    if (t.name == "styles.css") return t.text;
  }
  return {};
}

std::string h(std::string_view text) { return text.empty() ? "-" : html_escape(text); }


const char* band_class(int score) {
  switch (risk_band(score)) {
    case RiskBand::kHigh:
      return "band-high";
    case RiskBand::kMedium:
      return "band-medium";
    case RiskBand::kLow:
      return "band-low";
  }
  return "band-low";
}

// "risk-b": the anchor of the second risk reported by exception (letters,
// unlike ids, are unique and safe in a URL).
std::string anchor(const std::string& letter) { return "risk-" + letter; }

void html_register(const RiskReport& report, std::ostream& out) {
  out << "<section aria-labelledby=\"register-heading\">\n<h2 id=\"register-heading\">"
      << h(risk_summary_heading(report)) << "</h2>\n<p>"
      << h(risk_band_sentence(count_risk_bands(report.register_risks))) << "</p>\n";
  if (!report.register_risks.empty()) {
    out << "<table class=\"risks\">\n<caption>Every risk on the register, with its scores "
           "(likelihood x impact) and the prospects of meeting the target score by the target "
           "date.</caption>\n<thead><tr><th scope=\"col\">Risk</th><th scope=\"col\">Level</th>"
           "<th scope=\"col\">Title</th><th scope=\"col\">Original</th><th scope=\"col\">"
           "Current</th><th scope=\"col\">Target</th><th scope=\"col\">Prospects</th>"
           "<th scope=\"col\">Owner</th>"
        << (report.indicators_evaluated ? "<th scope=\"col\">Vital signs</th>" : "")
        << "</tr></thead>\n<tbody>\n";
    for (const Risk& r : report.register_risks) {
      std::string letter;
      for (std::size_t i = 0; i < report.exceptions.size() && letter.empty(); ++i) {
        if (report.exceptions[i].id == r.id) letter = list_letter(i);
      }
      out << "<tr><th scope=\"row\">";
      if (!letter.empty()) {
        out << "<a href=\"#" << anchor(letter) << "\">" << h(r.id) << "</a>";
      } else {
        out << h(r.id);
      }
      out << "</th><td>" << h(risk_level_text(r)) << "</td><td>" << h(r.title)
          << "</td><td class=\"score\">" << h(risk_score_text(r.original))
          << "</td><td class=\"score\">" << h(risk_score_text(r.current))
          << "</td><td class=\"score\">" << h(risk_target_text(r)) << "</td><td>"
          << h(risk_prospects_text(r.prospects)) << "</td><td>" << h(r.owner) << "</td>";
      if (report.indicators_evaluated) out << "<td>" << h(risk_links_cell(report, r.id)) << "</td>";
      out << "</tr>\n";
    }
    out << "</tbody>\n</table>\n";
  }
  out << "</section>\n";
}

void html_matrix(const RiskReport& report, std::ostream& out) {
  RiskMatrix matrix = place_risks(report.register_risks);
  out << "<section aria-labelledby=\"matrix-heading\">\n<h2 id=\"matrix-heading\">Risk matrix</h2>\n"
         "<table class=\"risk-matrix\">\n<caption>Each cell gives the score (likelihood x impact), "
         "its band, and the risks whose current score sits there.</caption>\n<thead><tr>"
         "<th scope=\"col\">Likelihood \\ impact</th>";
  for (int impact = 5; impact >= 1; --impact) {
    out << "<th scope=\"col\">" << risk_impact_label(impact) << " " << impact << "</th>";
  }
  out << "</tr></thead>\n<tbody>\n";
  for (int likelihood = 5; likelihood >= 1; --likelihood) {
    out << "<tr><th scope=\"row\">" << risk_likelihood_label(likelihood) << " " << likelihood
        << "</th>";
    for (int impact = 5; impact >= 1; --impact) {
      int score = likelihood * impact;
      out << "<td class=\"" << band_class(score) << "\"><span class=\"score\">" << score
          << " <span class=\"sr\">(" << risk_band_label(risk_band(score)) << ")</span></span>";
      const auto& ids = matrix.cells[likelihood - 1][impact - 1];
      for (std::size_t i = 0; i < ids.size(); ++i) {
        out << (i ? ", " : "") << "<span class=\"id\">" << h(ids[i]) << "</span>";
      }
      out << "</td>";
    }
    out << "</tr>\n";
  }
  out << "</tbody>\n</table>\n</section>\n";
}

void html_link_list(const std::vector<const RiskIndicatorLink*>& links, std::ostream& out) {
  out << "<ul>\n";
  for (const RiskIndicatorLink* l : links) out << "<li>" << html_escape(risk_link_text(*l)) << "</li>\n";
  out << "</ul>";
}

void html_entry(const RiskReport& report, const Risk& r, const std::string& letter,
                std::ostream& out) {
  out << "<article class=\"risk\" id=\"" << anchor(letter) << "\">\n<h3>" << letter << ". "
      << h(r.id) << " " << h(r.title) << "</h3>\n<dl>\n";
  for (const auto& [label, text] : risk_entry(r)) {
    out << "<dt>" << label << "</dt><dd>" << html_escape(text) << "</dd>\n";
  }
  if (report.indicators_evaluated) {
    const auto weakening = links_of_risk(report.indicator_links, r.id, true);
    const auto others = links_of_risk(report.indicator_links, r.id, false);
    if (weakening.empty() && others.empty()) {
      out << "<dt>Vital signs</dt><dd>None is linked to this risk.</dd>\n";
    } else {
      out << "<dt>Vital signs weakening it now</dt><dd>";
      if (weakening.empty()) out << "None.";
      else html_link_list(weakening, out);
      out << "</dd>\n";
      if (!others.empty()) {
        out << "<dt>Linked vital signs not weakening it now</dt><dd>";
        html_link_list(others, out);
        out << "</dd>\n";
      }
    }
  }
  out << "</dl>\n</article>\n";
}

void html_changes(const RiskReport& report, std::ostream& out) {
  out << "<section aria-labelledby=\"changes-heading\">\n<h2 id=\"changes-heading\">"
      << h(risk_changes_heading(report)) << "</h2>\n";
  if (!report.previous_period) {
    out << "<p>None to report: no earlier register.</p>\n";
  } else if (report.changes.empty()) {
    out << "<p>No significant changes.</p>\n";
  } else {
    out << "<ul>\n";
    for (const RiskChange& c : report.changes) {
      out << "<li><strong>" << risk_change_label(c.kind) << "</strong>: "
          << html_escape(risk_change_text(c)) << "</li>\n";
    }
    out << "</ul>\n";
  }
  out << "</section>\n";
}

}  // namespace

void render_risk_html(const RiskReport& report, std::ostream& out) {
  const std::string heading = risk_report_heading(report);
  out << "<!DOCTYPE html>\n<html lang=\"en-GB\">\n<head>\n<meta charset=\"utf-8\">\n"
         "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
         "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
         "style-src 'unsafe-inline'; img-src data:\">\n<title>"
      << html_escape(heading) << "</title>\n<style>\n"
      << builtin_styles() << kRiskStyles << "</style>\n</head>\n<body>\n"
      << "<header class=\"masthead\">\n<div class=\"inner\">\n<div class=\"organisation\">"
      << h(!report.committee.empty() ? report.committee : report.catalogue_name)
      << "</div>\n<h1>Risk management report</h1>\n<p class=\"subtitle\">Corporate and "
         "departmental risks · <strong>"
      << html_escape(report.period.label()) << "</strong></p>\n</div>\n</header>\n"
      << "<main id=\"content\">\n<p>" << html_escape(risk_register_line(report)) << "</p>\n";
  html_register(report, out);
  if (!report.register_risks.empty()) html_matrix(report, out);
  out << "<section aria-labelledby=\"exceptions-heading\">\n<h2 id=\"exceptions-heading\">"
      << h(risk_exceptions_heading(report)) << "</h2>\n";
  for (std::size_t i = 0; i < report.exceptions.size(); ++i) {
    html_entry(report, report.exceptions[i], list_letter(i), out);
  }
  out << "</section>\n";
  html_changes(report, out);
  out << "</main>\n</body>\n</html>\n";
}

}  // namespace vitals::detail
