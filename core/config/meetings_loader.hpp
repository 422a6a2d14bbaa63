// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <vitals/catalogue.hpp>
#include <vitals/diagnostic.hpp>
#include <vitals/meetings.hpp>

#include <vector>

namespace vitals::detail {

/// The outcome of reading a catalogue's meetings folder.
struct LoadedMeetings {
  /// Every meeting that could be read, with the entries that have no errors.
  MeetingSet meetings;
  /// Errors and warnings, sorted (vitals::sort_and_deduplicate).
  std::vector<Diagnostic> diagnostics;
};

/// Reads the meeting files in `catalogue.meetings_dir` ([catalogue] meetings),
/// one *.toml file per meeting of the committee, usually named by its date:
///
///   [meeting]
///   date = 2017-06-19                        # required: a TOML date (or "YYYY-MM-DD")
///   committee = "Adult Social Care Committee"
///   period = "2017-03"                       # the period whose report it considers
///
///   [[decision]]                             # one per indicator decided on
///   indicator = "dtoc_social_care_per_100k"
///   action = "approve_actions"               # one of the six follow-up actions
///   actions = "..."                          # optional: the actions agreed
///   note = "..."                             # optional
///   officer = "Director of Integrated Care"  # optional: who reports back
///   report_back_on = 2017-09-04              # required: a later meeting
///
///   [[report_back]]                          # on a decision of an earlier meeting
///   indicator = "dtoc_social_care_per_100k"
///   decided = 2017-03-06                     # the meeting that decided
///   outcome = "done"                         # or "carried_forward"
///   report_back_on = 2017-10-02              # carried_forward only: when due now
///   note = "..."
///
/// Checked strictly, each problem an error located at file:line:column: TOML
/// syntax ("config.syntax"), unknown keys with a suggestion
/// ("config.unknown_key"), wrong types ("config.type"), missing keys
/// ("config.missing_key"), empty text or a date that is not a real
/// "YYYY-MM-DD" date ("config.bad_value"), a bad period ("meeting.bad_period"),
/// an indicator the catalogue does not define ("meeting.unknown_indicator"),
/// an action or outcome that is not one of those listed
/// ("meeting.unknown_action", "meeting.unknown_outcome"), a report-back date
/// on or before its meeting ("meeting.report_back_not_after"), a report-back
/// date given with outcome "done" or missing with "carried_forward"
/// ("meeting.report_back_date"), two decisions on one indicator at one meeting
/// or two files for one date ("meeting.duplicate"), and a report-back on a
/// decision no earlier meeting took ("meeting.unknown_decision") or one
/// already reported done ("meeting.closed_decision"). Files other than *.toml
/// are "meeting.unexpected_file" warnings; hidden files are ignored. An empty
/// `meetings_dir` gives no meetings and no diagnostics. Files over
/// kMaxConfigFileBytes are refused. Never throws.
/// Thread safety: safe to call concurrently; shares no state.
LoadedMeetings load_meetings(const Catalogue& catalogue);

}  // namespace vitals::detail
