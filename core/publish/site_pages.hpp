// SPDX-License-Identifier: Apache-2.0
#pragma once

// The pages of a published site, rendered with the report templates
// (core/report/templates/site_*.html, overridable like the others).

#include <optional>
#include <string>
#include <vector>

#include <vitals/report.hpp>

#include "publish/site_layout.hpp"
#include "report/template_engine.hpp"

namespace vitals::detail {

/// Renders the pages of one publication. Holds references to its arguments.
/// Thread safety: const methods may be called concurrently.
class SitePages {
 public:
  /// `publication` is the period the site is published for; inputs.report
  /// may be evaluated at a shorter period ending with it.
  SitePages(const TemplateSet& templates, const ReportInputs& inputs, const Period& publication);

  /// The publication's index.html. Template problems go to `diagnostics`.
  std::optional<std::string> index_page(std::vector<Diagnostic>& diagnostics) const;
  /// indicators/<id>.html for `result`.
  std::optional<std::string> indicator_page(const IndicatorResult& result,
                                            std::vector<Diagnostic>& diagnostics) const;
  /// The site's index.html listing `publications` (newest first).
  std::optional<std::string> landing_page(const std::vector<PublishedFolder>& publications,
                                          std::vector<Diagnostic>& diagnostics) const;

 private:
  TemplateValue document() const;

  const TemplateSet& templates_;
  const ReportInputs& inputs_;
  Period publication_;
};

}  // namespace vitals::detail
