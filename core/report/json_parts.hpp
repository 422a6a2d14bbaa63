// SPDX-License-Identifier: Apache-2.0
#pragma once

// Parts shared by the JSON documents (vitals.report/1 and vitals.results/1,
// docs/report-format.md).

#include <string_view>
#include <vector>

#include <vitals/diagnostic.hpp>
#include <vitals/evaluation.hpp>

#include "report/json_writer.hpp"

namespace vitals::detail {

/// The fields every run document opens with: format (`format`),
/// vitals_version, catalogue, committee, period, run_id, complete.
void write_run_head(JsonWriter& w, const EvaluationReport& report, std::string_view format);

/// An indicator's identity and latest result: indicator, title, polarity,
/// unit, frequency, data_state, period, value, numerator, denominator,
/// target, variance_pct, rag, lifecycle.
void write_indicator_head(JsonWriter& w, const IndicatorResult& r);

/// A rule outcome's fields (criterion, rule, status, message, and with
/// `with_evidence` its evidence), inside an object the caller opens.
void write_outcome_fields(JsonWriter& w, const RuleOutcome& o, bool with_evidence);

/// One diagnostic: {severity, code, message, file, line, column, indicator, rule}.
void write_diagnostic(JsonWriter& w, const Diagnostic& d);

/// "history": [{period, value, numerator, denominator, target, variance_pct, rag}, ...].
void write_history(JsonWriter& w, const std::vector<SeriesPoint>& history);

}  // namespace vitals::detail
