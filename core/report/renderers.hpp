// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <ostream>

#include <vitals/evaluation.hpp>

namespace vitals::detail {

// Each renderer writes one format; report.cpp dispatches. They may throw
// (std::bad_alloc, stream exceptions); render() is the no-throw boundary.

/// The JSON contract of docs/report-format.md.
void render_json(const EvaluationReport& report, std::ostream& out);
/// The committee's exception summary as Markdown.
void render_markdown(const EvaluationReport& report, std::ostream& out);
/// The committee's exception summary for a terminal.
void render_text(const EvaluationReport& report, std::ostream& out);

}  // namespace vitals::detail
