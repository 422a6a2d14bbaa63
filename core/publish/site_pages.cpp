// SPDX-License-Identifier: Apache-2.0
#include "publish/site_pages.hpp"

#include <algorithm>

#include "common/user_text.hpp"
#include "publish/download_tables.hpp"
#include "report/criterion.hpp"
#include "report/escape.hpp"
#include "report/presentation.hpp"
#include "report/report_view.hpp"

namespace vitals::detail {

namespace {

using V = TemplateValue;

constexpr const char* kKind = "Published vital signs";

// "Monthly vital signs are shown for Mar 2017." for each frequency whose
// latest period differs from the publication's, so a reader of "Q4 2016/17"
// knows which month a monthly figure is.
std::string shown_at_text(const EvaluationReport& report, const Period& publication) {
  std::vector<Frequency> seen;
  std::string out;
  for (const IndicatorResult& r : report.indicators) {
    if (std::find(seen.begin(), seen.end(), r.frequency) != seen.end()) continue;
    seen.push_back(r.frequency);
    const Period shown = report.period.latest_complete(r.frequency);
    if (shown == publication) continue;
    std::string label = frequency_label(r.frequency);
    out += " " + label + " vital signs are shown for " + shown.label() + ", their latest period in " +
           publication.label() + ".";
  }
  return out;
}

std::string summary_text(const EvaluationReport& report, const Period& publication) {
  const std::size_t all = report.indicators.size();
  const std::size_t exceptions = report.exceptions().size();
  std::string out = "This publication shows all " + count_text(all, "vital sign", "vital signs") +
                    " for " + publication.label() + ", whether or not they were reported to committee as exceptions." +
                    shown_at_text(report, publication);
  if (exceptions == 0) return out + " None was reported as an exception.";
  return out + " " + std::to_string(exceptions) + (exceptions == 1 ? " was" : " were") +
         " reported as " + (exceptions == 1 ? "an exception" : "exceptions") + ", for these reasons:";
}

}  // namespace

SitePages::SitePages(const TemplateSet& templates, const ReportInputs& inputs, const Period& publication)
    : templates_(templates), inputs_(inputs), publication_(publication) {}

TemplateValue SitePages::document() const {
  V document = document_part(inputs_);
  const std::string heading = document.find("heading")->str();
  document.set("kind", kKind);
  set_document_title(document, heading + ": vital signs, " + publication_.label());
  document.set("period", publication_.to_string());
  document.set("period_label", publication_.label());
  return document;
}

std::optional<std::string> SitePages::index_page(std::vector<Diagnostic>& diagnostics) const {
  V root = V::object();
  root.set("document", document());
  root.set("summary_text", summary_text(inputs_.report, publication_));
  V exceptions = V::list();
  for (const IndicatorResult* r : inputs_.report.exceptions()) {
    V item = V::object();
    item.set("indicator", r->indicator_id);
    item.set("title", r->title);
    item.set("href", indicator_page_href(r->indicator_id));
    item.set("reasons_label", reasons_label(*r, inputs_.report.reasons_shown));
    item.set("reasons", reasons_part(*r));
    exceptions.push(std::move(item));
  }
  root.set("has_exceptions", exceptions.truthy());
  root.set("exceptions", std::move(exceptions));
  root.set("dashboard", dashboard_part(inputs_, DashboardLinks::kIndicatorPages));
  root.set("notes", notes_part(inputs_));
  return templates_.render("site_index.html", root, html_escape, diagnostics);
}

std::optional<std::string> SitePages::indicator_page(const IndicatorResult& result,
                                                     std::vector<Diagnostic>& diagnostics) const {
  V root = V::object();
  root.set("document", document());
  root.set("card", card_part(inputs_, result, ViewTarget::kHtml));
  V history = V::list();
  bool ratios = false;
  for (const SeriesPoint& p : published_history(result)) {
    ratios = ratios || p.numerator || p.denominator;
    history.push(point_part(p, result.unit, result.decimals));
  }
  root.set("has_history", history.truthy());
  root.set("history", std::move(history));
  root.set("has_ratios", ratios);
  return templates_.render("site_indicator.html", root, html_escape, diagnostics);
}

std::optional<std::string> SitePages::landing_page(const std::vector<PublishedFolder>& publications,
                                                   std::vector<Diagnostic>& diagnostics) const {
  V root = V::object();
  V document = document_part(inputs_);
  document.set("kind", kKind);
  set_document_title(document, document.find("heading")->str() + ": published vital signs");
  document.set("period_label", "every publication");
  // The banner is about this run; the landing page lists every publication.
  document.set("is_incomplete", false);
  root.set("document", std::move(document));
  V list = V::list();
  for (std::size_t i = 0; i < publications.size(); ++i) {
    V item = V::object();
    item.set("folder", publications[i].folder);
    item.set("href", publications[i].folder + "/index.html");
    item.set("period", publications[i].period.to_string());
    item.set("label", publications[i].period.label());
    item.set("is_latest", i == 0);
    list.push(std::move(item));
  }
  root.set("publications", std::move(list));
  return templates_.render("site_landing.html", root, html_escape, diagnostics);
}

}  // namespace vitals::detail
