// SPDX-License-Identifier: Apache-2.0
// The committee's exception summary, as plain text and as Markdown. Both
// follow the paper's wording: "The following indicators are reported as
// exceptions on this occasion: a. <title> (off target)".
#include <map>
#include <string>
#include <vector>

#include "common/user_text.hpp"
#include "report/criterion.hpp"
#include "report/escape.hpp"
#include "report/presentation.hpp"
#include "report/renderers.hpp"

namespace vitals::detail {

namespace {

enum class Style { kText, kMarkdown };

std::string cell_text(const std::optional<double>& v, Unit unit, const std::optional<int>& decimals) {
  return v ? value_text(v, unit, decimals) : "-";
}

std::string heading(const EvaluationReport& report) {
  std::string who = report.committee.empty() ? report.catalogue_name : report.committee;
  return who + ": vital signs, " + report.period.label();
}

// Whether a list of `count` indicators is written as counts per group.
bool by_group(std::size_t count, const RenderOptions& options) {
  return options.list_limit != 0 && count > options.list_limit;
}

// "  carers: 3 (off target 2, deteriorating 1)": how many of `items` each
// group has, groups in name order, with the reasons' labels counted when
// `with_reasons` (one indicator may count under several).
template <typename Escape>
void write_group_counts(const std::vector<const IndicatorResult*>& items,
                        const RenderOptions& options, bool with_reasons, bool md, Escape esc,
                        std::ostream& out) {
  struct Group {
    std::size_t count = 0;
    std::map<std::string, std::size_t> reasons;
  };
  std::map<std::string, Group> groups;
  for (const IndicatorResult* r : items) {
    Group& g = groups[options.group ? options.group(*r) : std::string("all")];
    ++g.count;
    if (!with_reasons) continue;
    for (const RuleOutcome* o : r->reasons()) ++g.reasons[reason_label(*o)];
  }
  for (const auto& [name, g] : groups) {
    out << (md ? "- " : "  ") << esc(name) << ": " << g.count;
    std::string sep = " (";
    for (const auto& [label, n] : g.reasons) {
      out << sep << esc(label) << " " << n;
      sep = ", ";
    }
    out << (g.reasons.empty() ? "" : ")") << "\n";
  }
}

void write_summary(const EvaluationReport& report, const RenderOptions& options, Style style,
                   std::ostream& out) {
  const bool md = style == Style::kMarkdown;
  // Plain text may go to a terminal: no control character gets through.
  auto esc = [md](std::string_view s) { return md ? md_escape(s) : printable_text(s); };

  out << (md ? "# " : "") << esc(heading(report)) << "\n\n";

  if (!report.complete()) {
    // First, and loud: a committee must not read a partial run as a whole one.
    if (md) {
      out << "> **" << esc(kIncompleteHeading) << ".** " << esc(kIncompleteIntro) << "\n>\n";
      for (const IncompleteReason& reason : report.incomplete) {
        out << "> - " << esc(reason.message) << "\n";
      }
      out << "\n";
    } else {
      out << "*** INCOMPLETE RUN: " << kIncompleteHeading << " ***\n" << kIncompleteIntro << "\n";
      for (const IncompleteReason& reason : report.incomplete) out << "  ! " << reason.message << "\n";
      out << "\n";
    }
  }

  auto exceptions = report.exceptions();
  if (exceptions.empty() && !report.complete()) {
    out << "No exceptions were found among the indicators that have a result. Those without a "
           "result may be exceptions too.\n";
  } else if (exceptions.empty()) {
    out << "No indicators are reported as exceptions on this occasion.\n";
  } else if (by_group(exceptions.size(), options)) {
    out << count_text(exceptions.size(), "indicator", "indicators") << " are reported as exceptions on this "
        << "occasion, too many to list here; by group, with how many for each reason:\n\n";
    write_group_counts(exceptions, options, true, md, esc, out);
  } else {
    out << "The following indicators are reported as exceptions on this occasion:\n\n";
    for (std::size_t i = 0; i < exceptions.size(); ++i) {
      const IndicatorResult& r = *exceptions[i];
      std::string title = md ? "**" + esc(r.title) + "**" : esc(r.title);
      out << (md ? "" : "  ") << list_letter(i) << ". " << title << " " << esc(reasons_label(r, report.reasons_shown)) << "\n";
      for (const RuleOutcome* o : r.reasons()) {
        const std::string label = reason_label(*o);
        out << (md ? "    - " : "       - ") << esc(label) << ": " << esc(reason_message(label, o->message))
            << "\n";
      }
      if (std::string state = lifecycle_text(r.lifecycle); !state.empty()) {
        out << (md ? "    - " : "       - ") << "status: " << esc(state) << "\n";
      }
    }
  }

  if (!report.resolved.empty()) {
    out << "\n" << (md ? "## " : "") << "Resolved since the last report\n\n";
    for (const ResolvedException& r : report.resolved) {
      out << (md ? "- " : "  - ") << esc(r.title) << ": reported from "
          << r.first_reported.label() << " to " << r.last_reported.label() << "\n";
    }
  }

  if (md && by_group(report.indicators.size(), options)) {
    out << "\n## All indicators\n\n"
        << "The table of all " << count_text(report.indicators.size(), "indicator", "indicators")
        << " is left out at this size.\n";
  } else if (md) {
    out << "\n## All indicators\n\n"
        << "| Indicator | Better | Period | Value | Target | RAG | Reported |\n"
        << "|---|---|---|---:|---:|---|---|\n";
    for (const IndicatorResult& r : report.indicators) {
      const SeriesPoint* p = r.latest ? &*r.latest : nullptr;
      out << "| " << esc(r.title) << " | " << (r.polarity == Polarity::kBiggerIsBetter ? "Bigger" : "Smaller")
          << " | " << (p ? p->period.label() : "-") << " | " << cell_text(p ? p->value : std::nullopt, r.unit, r.decimals)
          << " | " << cell_text(p ? p->target : std::nullopt, r.unit, r.decimals) << " | "
          << (!r.incomplete.empty()       ? "**" + esc(no_result_text(r)) + "**"
              : p && p->rag != Rag::kNone ? std::string(rag_name(p->rag))
                                          : std::string("-"))
          << " | "
          << (r.is_exception ? esc(reasons_label(r, report.reasons_shown)) : "") << " |\n";
    }
  }

  std::vector<const IndicatorResult*> no_result;
  for (const IndicatorResult& r : report.indicators) {
    if (!r.incomplete.empty()) no_result.push_back(&r);
  }
  if (!no_result.empty()) {
    out << "\n" << (md ? "## " : "") << "No result (not read or not evaluated in this run)\n\n";
    if (by_group(no_result.size(), options)) {
      write_group_counts(no_result, options, false, md, esc, out);
      no_result.clear();
    }
    for (const IndicatorResult* r : no_result) {
      out << (md ? "- " : "  - ") << esc(r->title) << ": " << esc(no_result_text(*r)) << "\n";
    }
  }

  auto late = report.late_data();
  if (!late.empty()) {
    out << "\n" << (md ? "## " : "") << "Late data (older than the indicator's allowed lag)\n\n";
    if (by_group(late.size(), options)) {
      write_group_counts(late, options, false, md, esc, out);
      late.clear();
    }
    for (const IndicatorResult* r : late) {
      out << (md ? "- " : "  - ") << esc(r->title) << ": " << esc(late_data_text(*r)) << "\n";
    }
  }

  if (!report.diagnostics.empty()) {
    out << "\n" << (md ? "## " : "") << "Diagnostics\n\n";
    if (by_group(report.diagnostics.size(), options)) {
      // Counted by severity and code: "warning data.missing_period: 2,250".
      std::map<std::string, std::size_t> counts;
      for (const Diagnostic& d : report.diagnostics) {
        ++counts[std::string(severity_name(d.severity)) + " " + d.code];
      }
      for (const auto& [what, n] : counts) {
        out << (md ? "- " : "  ") << esc(what) << ": " << n << "\n";
      }
    } else {
      for (const Diagnostic& d : report.diagnostics) {
        out << (md ? "- " : "  ") << esc(d.to_string()) << "\n";
      }
    }
  }
}

}  // namespace

void render_markdown(const EvaluationReport& report, const RenderOptions& options,
                     std::ostream& out) {
  write_summary(report, options, Style::kMarkdown, out);
}

void render_text(const EvaluationReport& report, const RenderOptions& options, std::ostream& out) {
  write_summary(report, options, Style::kText, out);
}

}  // namespace vitals::detail
