// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <ostream>

#include <vitals/evaluation.hpp>
#include <vitals/report.hpp>

namespace vitals::detail {

// Each renderer writes one format; report.cpp dispatches. They may throw
// (std::bad_alloc, stream exceptions); render() is the no-throw boundary.

/// The JSON contract of docs/report-format.md.
void render_json(const EvaluationReport& report, std::ostream& out);
/// The compact JSON of docs/report-format.md ("vitals.results/1"), with each
/// indicator's history when `history`.
void render_results_json(const EvaluationReport& report, bool history, std::ostream& out);
/// The JSON contract plus the committee report's content: each card's
/// description, officers, links, history and commentary, the cards awaiting
/// commentary, the discussion prompts and the follow-up actions.
void render_document_json(const ReportInputs& inputs, std::ostream& out);
/// One indicator's card as a JSON document: {"format": "vitals.card/1",
/// vitals_version, catalogue, committee, period, card}, the card as in
/// render_document_json's "cards".
void render_card_json(const ReportInputs& inputs, const IndicatorResult& result, std::ostream& out);
/// The committee's exception summary as Markdown.
void render_markdown(const EvaluationReport& report, const RenderOptions& options,
                     std::ostream& out);
/// The committee's exception summary for a terminal.
void render_text(const EvaluationReport& report, const RenderOptions& options, std::ostream& out);

}  // namespace vitals::detail
