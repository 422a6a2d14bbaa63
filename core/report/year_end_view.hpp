// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <vitals/report.hpp>
#include <vitals/year_end.hpp>

#include "report/json_writer.hpp"
#include "report/template_engine.hpp"

namespace vitals::detail {

// The year-end summary as the committee report shows it (the "year_end"
// section of docs/report-cards.md and docs/report-format.md).

/// True when the committee report of `inputs` carries the year-end summary:
/// its period ends the financial year, or inputs.year_end_summary asks.
bool year_end_included(const ReportInputs& inputs);

/// The "year_end" object of the templates: heading, intro, settings_text and
/// groups (name, heading, has_entries, entries: indicator, title, reason,
/// anchor, is_exception). Every field present even when not included.
TemplateValue year_end_part(const ReportInputs& inputs);

/// The "year_end" member of the committee report's JSON document, written
/// only when year_end_included().
void write_year_end_json(JsonWriter& w, const ReportInputs& inputs);

}  // namespace vitals::detail
