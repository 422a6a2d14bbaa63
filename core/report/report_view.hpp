// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <string>
#include <vector>

#include <vitals/report.hpp>

#include "report/template_engine.hpp"

namespace vitals::detail {

// The data the report templates render ("view models"), built from the
// catalogue, the evaluation and the commentary. Every name a template may use
// is listed in docs/report-cards.md; every field is always present (flags
// say when a part is empty), so a misspelt name in a template is an error.

/// Whether the view is for HTML (charts as inline SVG) or Markdown (no charts).
enum class ViewTarget { kHtml, kMarkdown };

/// The anchor of an indicator's card in a page: "card-<indicator id>".
std::string card_anchor(const std::string& indicator_id);

/// Where the dashboard's row titles link: the exception cards of the same
/// page (the committee report), or every indicator's own page (a published
/// site, indicator_page_href()).
enum class DashboardLinks { kExceptionCards, kIndicatorPages };

/// The page of an indicator in a published site, relative to the
/// publication's folder: "indicators/<indicator id>.html".
std::string indicator_page_href(const std::string& indicator_id);

// The parts of the committee report's view, for pages that lay them out
// differently (the published site, core/publish).

/// The "document" object (headings, period, generator, incomplete banner).
TemplateValue document_part(const ReportInputs& inputs);
/// Sets the "document" object's title: the page's <title> and the running
/// footer on paper (print_title, escaped for a CSS string).
void set_document_title(TemplateValue& document, const std::string& title);
/// The "dashboard" object, rows linked as `links` says (has_link, href).
TemplateValue dashboard_part(const ReportInputs& inputs, DashboardLinks links);
/// One report card, unlettered.
TemplateValue card_part(const ReportInputs& inputs, const IndicatorResult& result, ViewTarget target);
/// One point as the dashboard's cells and the card's table show it
/// (period, label, value, numerator, denominator, target, rag...).
TemplateValue point_part(const SeriesPoint& point, Unit unit, const std::optional<int>& decimals);
/// The "notes" object (late data, indicators not fully evaluated).
TemplateValue notes_part(const ReportInputs& inputs);
/// An indicator's reasons for being an exception: `label`, `message` each.
TemplateValue reasons_part(const IndicatorResult& result);

/// The commentary sections a card for `result` lacks when reporting `period`:
/// all of them without an entry, else the empty ones.
std::vector<CommentarySection> missing_commentary(const CommentarySet& commentary,
                                                  const IndicatorResult& result, const Period& period);

/// "commentary required from <lead officer>" (or "from the lead officer"
/// when the catalogue names none).
std::string commentary_required_text(const std::string& lead_officer);

/// The whole committee report: document, exceptions, awaiting, dashboard,
/// cards, notes, discussion_prompts, follow_up_actions.
TemplateValue committee_report_view(const ReportInputs& inputs, ViewTarget target);

/// One card as a document of its own: document and card.
TemplateValue card_page_view(const ReportInputs& inputs, const IndicatorResult& result,
                             ViewTarget target);

}  // namespace vitals::detail
