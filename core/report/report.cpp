// SPDX-License-Identifier: Apache-2.0
#include <vitals/report.hpp>

#include <exception>

#include "report/renderers.hpp"

namespace vitals {

Result<ReportFormat> parse_report_format(std::string_view text) {
  if (text == "json") return ReportFormat::kJson;
  if (text == "markdown" || text == "md") return ReportFormat::kMarkdown;
  if (text == "text") return ReportFormat::kText;
  return Status(StatusCode::kInvalidArgument,
                "unknown report format '" + std::string(text) + "': expected json, markdown or text");
}

Status render(const EvaluationReport& report, ReportFormat format, std::ostream& out) {
  return render(report, format, RenderOptions{}, out);
}

Status render(const EvaluationReport& report, ReportFormat format, const RenderOptions& options,
              std::ostream& out) {
  try {
    switch (format) {
      case ReportFormat::kJson:
        if (options.compact) {
          detail::render_results_json(report, options.history, out);
        } else {
          detail::render_json(report, out);
        }
        break;
      case ReportFormat::kMarkdown: detail::render_markdown(report, options, out); break;
      case ReportFormat::kText: detail::render_text(report, options, out); break;
    }
    out.flush();
  } catch (const std::exception& e) {
    return Status(StatusCode::kInternal, std::string("rendering failed: ") + e.what());
  }
  if (!out) return Status(StatusCode::kIoError, "could not write the report");
  return Status::ok();
}

}  // namespace vitals
