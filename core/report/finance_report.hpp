// SPDX-License-Identifier: Apache-2.0
#pragma once

// The committee report's "Finance monitoring" section (HTML, Markdown and
// JSON), built from EvaluationReport::finance as the council's finance
// monitoring report prints it: the headline position, the tables of lines
// with the variance at the previous report, and the savings grouped Red or
// Amber against on target (docs/budget-risks-lifecycle.md).

#include "report/json_writer.hpp"
#include "report/template_engine.hpp"

#include <vitals/records.hpp>

#include <optional>
#include <string>

namespace vitals::detail {

/// The "finance" object of the committee report's view: has_finance (false
/// when the run has no budget figures; every other field is then empty) and
/// the fields docs/report-cards.md lists.
TemplateValue finance_part(const FinanceMonitoring& finance);

/// "£m" as the council's tables print it: three decimals, a negative in
/// brackets ("(0.471)"); "" for no amount. `pounds` is in pounds.
std::string finance_amount_text(const std::optional<double>& pounds);

/// The headline sentence: "Outturn £254.791m against a budget of £250.392m:
/// an overspend of £4.399m (1.76%), a decrease of £5.230m on the position
/// reported at the end of Period 10." "" without a headline line (a line
/// with no parent, or with no variance).
std::string finance_headline_text(const FinanceMonitoring& finance);

/// Writes the committee report's "finance" key: null when the run has no
/// budget figures, else the "vitals.finance/1" object of docs/report-format.md.
void write_finance_json(JsonWriter& w, const FinanceMonitoring& finance);

}  // namespace vitals::detail
