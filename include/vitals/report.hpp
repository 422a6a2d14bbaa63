// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <ostream>
#include <string_view>

#include <vitals/evaluation.hpp>
#include <vitals/export.hpp>
#include <vitals/status.hpp>

namespace vitals {

enum class ReportFormat {
  kJson,      // the documented contract, docs/report-format.md
  kMarkdown,  // the committee's exception summary as Markdown
  kText,      // the same for a terminal
};

/// Parses "json", "markdown" or "text".
VITALS_API Result<ReportFormat> parse_report_format(std::string_view text);

/// Writes `report` to `out`. Output is deterministic: the same report gives
/// the same bytes. Never throws; returns kIoError when the stream fails.
VITALS_API Status render(const EvaluationReport& report, ReportFormat format, std::ostream& out);

}  // namespace vitals
