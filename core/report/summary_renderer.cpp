// SPDX-License-Identifier: Apache-2.0
// The committee's exception summary, as plain text and as Markdown. Both
// follow the paper's wording: "The following indicators are reported as
// exceptions on this occasion: a. <title> (off target)".
#include <string>
#include <vector>

#include "common/number_format.hpp"
#include "report/criterion.hpp"
#include "report/renderers.hpp"

namespace vitals::detail {

namespace {

enum class Style { kText, kMarkdown };

// Markdown punctuation in user text (titles, messages) is escaped so a title
// cannot turn into a link, a table cell break or raw HTML.
std::string md_escape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '\\': case '`': case '*': case '_': case '{': case '}': case '[': case ']':
      case '(': case ')': case '#': case '+': case '!': case '|': case '<': case '>':
        out += '\\';
        out += c;
        break;
      case '\n': case '\r': out += ' '; break;
      default: out += c;
    }
  }
  return out;
}

std::string brackets(const IndicatorResult& r) {
  std::vector<std::string> labels;
  for (const RuleOutcome* o : r.reasons()) {
    std::string label = criterion_label(o->criterion);
    bool seen = false;
    for (const std::string& l : labels) seen = seen || l == label;
    if (!seen) labels.push_back(label);
  }
  std::string out = "(";
  for (std::size_t i = 0; i < labels.size(); ++i) out += (i ? ", " : "") + labels[i];
  return out + ")";
}

std::string value_text(const std::optional<double>& v, Unit unit) {
  if (!v) return "-";
  std::string text = format_number(*v);
  return unit == Unit::kPercent ? text + "%" : text;
}

std::string heading(const EvaluationReport& report) {
  std::string who = report.committee.empty() ? report.catalogue_name : report.committee;
  return who + ": vital signs, " + report.period.label();
}

std::vector<const IndicatorResult*> late_data(const EvaluationReport& report) {
  std::vector<const IndicatorResult*> out;
  for (const IndicatorResult& r : report.indicators) {
    if (r.data_state != DataState::kCurrent) out.push_back(&r);
  }
  return out;
}

std::string late_text(const IndicatorResult& r) {
  if (r.data_state == DataState::kNoData) return "no data at or before the period";
  return "latest figure is for " + r.latest->period.label();
}

void write_summary(const EvaluationReport& report, Style style, std::ostream& out) {
  const bool md = style == Style::kMarkdown;
  auto esc = [md](std::string_view s) { return md ? md_escape(s) : std::string(s); };

  out << (md ? "# " : "") << esc(heading(report)) << "\n\n";

  auto exceptions = report.exceptions();
  if (exceptions.empty()) {
    out << "No indicators are reported as exceptions on this occasion.\n";
  } else {
    out << "The following indicators are reported as exceptions on this occasion:\n\n";
    for (std::size_t i = 0; i < exceptions.size(); ++i) {
      const IndicatorResult& r = *exceptions[i];
      std::string title = md ? "**" + esc(r.title) + "**" : r.title;
      out << (md ? "" : "  ") << list_letter(i) << ". " << title << " " << esc(brackets(r)) << "\n";
      for (const RuleOutcome* o : r.reasons()) {
        out << (md ? "    - " : "       - ") << esc(criterion_label(o->criterion)) << ": "
            << esc(o->message) << "\n";
      }
    }
  }

  if (md) {
    out << "\n## All indicators\n\n"
        << "| Indicator | Better | Period | Value | Target | RAG | Reported |\n"
        << "|---|---|---|---:|---:|---|---|\n";
    for (const IndicatorResult& r : report.indicators) {
      const SeriesPoint* p = r.latest ? &*r.latest : nullptr;
      out << "| " << esc(r.title) << " | " << (r.polarity == Polarity::kBiggerIsBetter ? "Bigger" : "Smaller")
          << " | " << (p ? p->period.label() : "-") << " | " << value_text(p ? p->value : std::nullopt, r.unit)
          << " | " << value_text(p ? p->target : std::nullopt, r.unit) << " | "
          << (p && p->rag != Rag::kNone ? rag_name(p->rag) : "-") << " | "
          << (r.is_exception ? esc(brackets(r)) : "") << " |\n";
    }
  }

  auto late = late_data(report);
  if (!late.empty()) {
    out << "\n" << (md ? "## " : "") << "Late data (not rated for this period)\n\n";
    for (const IndicatorResult* r : late) {
      out << (md ? "- " : "  - ") << esc(r->title) << ": " << esc(late_text(*r)) << "\n";
    }
  }

  if (!report.diagnostics.empty()) {
    out << "\n" << (md ? "## " : "") << "Diagnostics\n\n";
    for (const Diagnostic& d : report.diagnostics) {
      out << (md ? "- " : "  ") << esc(d.to_string()) << "\n";
    }
  }
}

}  // namespace

void render_markdown(const EvaluationReport& report, std::ostream& out) {
  write_summary(report, Style::kMarkdown, out);
}

void render_text(const EvaluationReport& report, std::ostream& out) {
  write_summary(report, Style::kText, out);
}

}  // namespace vitals::detail
