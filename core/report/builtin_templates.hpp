// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <filesystem>
#include <span>
#include <string_view>
#include <vector>

#include <vitals/diagnostic.hpp>

#include "report/template_engine.hpp"

namespace vitals::detail {

/// A template shipped inside the library (core/report/templates/).
struct BuiltinTemplate {
  std::string_view name;  // the file name, e.g. "card.html"
  std::string_view text;
};

/// Every built-in template, sorted by name. Generated at build time from
/// core/report/templates/ (core/report/templates.cmake), so the library
/// renders reports with no files installed.
std::span<const BuiltinTemplate> builtin_templates();

/// The built-in templates overlaid with a council's own from `dir` (empty:
/// built-ins only), as every report and published page renders them.
/// Problems are appended to `diagnostics`, located.
TemplateSet report_templates(const std::filesystem::path& dir, std::vector<Diagnostic>& diagnostics);

}  // namespace vitals::detail
