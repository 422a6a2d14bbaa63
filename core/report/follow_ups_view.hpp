// SPDX-License-Identifier: Apache-2.0
#pragma once
// The committee's decisions in the report: the follow-ups due at the meeting
// the report goes to, and each card's previous decision (docs/committee-decisions.md).

#include <string>

#include <vitals/meetings.hpp>
#include <vitals/report.hpp>

#include "report/json_writer.hpp"
#include "report/template_engine.hpp"

namespace vitals::detail {

/// The date of the meeting the report goes to: inputs.meeting_date, else the
/// date of the meeting whose file names the report's period, else "".
std::string report_meeting_date(const ReportInputs& inputs);

/// The "follow_ups" object of the committee report's view: has_section
/// (the catalogue records meetings), has_meeting, meeting_label, the lists
/// due, overdue and not_yet_due (open when no meeting date is known), each
/// item with title, indicator, anchor, has_card, action, decided_label,
/// officer, has_officer, report_back_label, carried_text, has_carried,
/// actions, has_actions, note, has_note; and has_due, has_overdue,
/// has_not_yet_due, has_open, has_any.
TemplateValue follow_ups_part(const ReportInputs& inputs);

/// A card's "previous_decision" object: has_decision, action, decided_label,
/// report_back_label, officer, has_officer, actions, has_actions, note,
/// has_note, status_text.
TemplateValue previous_decision_part(const ReportInputs& inputs, const std::string& indicator_id);

/// JSON: "meeting" (the date, or null) and "follow_ups" (docs/report-format.md).
void write_follow_ups_json(JsonWriter& w, const ReportInputs& inputs);

/// JSON: a card's "previous_decision" (an object, or null).
void write_previous_decision_json(JsonWriter& w, const ReportInputs& inputs, const std::string& indicator_id);

}  // namespace vitals::detail
