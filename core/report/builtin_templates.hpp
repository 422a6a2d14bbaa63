// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <span>
#include <string_view>

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

}  // namespace vitals::detail
