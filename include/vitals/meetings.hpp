// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <array>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <vitals/export.hpp>
#include <vitals/period.hpp>
#include <vitals/source_location.hpp>

namespace vitals {

/// The committee's standard follow-up actions on an exception, in the order
/// of the council's list of "Suggested follow-up actions".
enum class FollowUpAction {
  kApproveActions,           // Approve actions
  kAlternativeActions,       // Identify alternative/additional actions
  kReferDmt,                 // Refer to Departmental Management Team
  kReferTaskAndFinish,       // Refer to committee task and finish group
  kEscalateClt,              // Escalate to County Leadership Team
  kEscalatePolicyResources,  // Escalate to Policy and Resources Committee
};

/// Every action, in the council's order.
inline constexpr std::array<FollowUpAction, 6> kFollowUpActionList = {
    FollowUpAction::kApproveActions,   FollowUpAction::kAlternativeActions,
    FollowUpAction::kReferDmt,         FollowUpAction::kReferTaskAndFinish,
    FollowUpAction::kEscalateClt,      FollowUpAction::kEscalatePolicyResources};

/// The id of `action` in a meeting file: "approve_actions",
/// "alternative_actions", "refer_dmt", "refer_task_and_finish",
/// "escalate_clt" or "escalate_policy_resources".
VITALS_API const char* follow_up_action_id(FollowUpAction action);

/// The action as the council's list names it, e.g. "Approve actions".
VITALS_API const char* follow_up_action_title(FollowUpAction action);

/// The council's description of the action, e.g. "Approve actions identified
/// in the report card and set a date for reporting back to the committee".
VITALS_API const char* follow_up_action_description(FollowUpAction action);

/// The action whose id is `id`, or nullopt.
VITALS_API std::optional<FollowUpAction> parse_follow_up_action(std::string_view id);

/// True when `date` is a real calendar date written "YYYY-MM-DD", the form
/// of every date on this page.
VITALS_API bool is_calendar_date(std::string_view date);

/// What the committee decided about one indicator at one meeting.
struct CommitteeDecision {
  std::string indicator_id;
  /// The date of the meeting that decided, "YYYY-MM-DD".
  std::string meeting;
  FollowUpAction action = FollowUpAction::kApproveActions;
  /// The actions agreed, in the committee's words (may be empty).
  std::string actions;
  /// Anything else recorded with the decision (may be empty).
  std::string note;
  /// Who reports back to the committee (may be empty).
  std::string officer;
  /// The meeting the report-back is due at, "YYYY-MM-DD", after `meeting`.
  std::string report_back_on;
  SourceLocation location;  // the [[decision]] entry
};

/// What a report-back to the committee did with an earlier decision.
enum class ReportBackOutcome {
  kDone,            // reported back: the follow-up is closed
  kCarriedForward,  // not finished: due again at a later meeting
};

/// "done" or "carried_forward", as in a meeting file.
VITALS_API const char* report_back_outcome_id(ReportBackOutcome outcome);

/// A report-back recorded at a meeting, on a decision of an earlier meeting.
struct ReportBack {
  std::string indicator_id;
  /// The meeting whose decision this reports on, "YYYY-MM-DD".
  std::string decided;
  /// The meeting it was given at, "YYYY-MM-DD".
  std::string meeting;
  ReportBackOutcome outcome = ReportBackOutcome::kDone;
  /// kCarriedForward: the meeting it is due at now, after `meeting`; else empty.
  std::string report_back_on;
  std::string note;
  SourceLocation location;  // the [[report_back]] entry
};

/// One meeting of the committee, from its file in the catalogue's meetings
/// folder.
struct Meeting {
  std::string date;  // "YYYY-MM-DD"
  std::string committee;
  /// The reporting period whose exception report the meeting considers
  /// (optional).
  std::optional<Period> period;
  std::vector<CommitteeDecision> decisions;  // in file order
  std::vector<ReportBack> report_backs;      // in file order
  SourceLocation location;                   // the file
};

/// Where an open follow-up stands at a meeting.
enum class FollowUpStatus {
  kOverdue,    // its report-back was due at an earlier meeting
  kDue,        // its report-back is due at this meeting
  kNotYetDue,  // due at a later meeting
  kOpen,       // open; no meeting date to compare with
};

/// "overdue", "due", "not_yet_due" or "open".
VITALS_API const char* follow_up_status_id(FollowUpStatus status);

/// A decision not yet reported back as done.
struct FollowUp {
  CommitteeDecision decision;
  /// When the report-back is due now: the decision's date, or the one its
  /// latest carry-forward set.
  std::string report_back_on;
  /// How many times it has been carried forward.
  int carried_forward = 0;
  FollowUpStatus status = FollowUpStatus::kOpen;
};

/// The committee's meetings recorded in a catalogue.
/// Thread safety: a value; safe to share once built.
struct MeetingSet {
  /// Sorted by date, at most one per date.
  std::vector<Meeting> meetings;

  /// The meeting on `date` ("YYYY-MM-DD"), or nullptr.
  VITALS_API const Meeting* find(std::string_view date) const;

  /// The meeting whose file names `period` as the period it considers (the
  /// earliest, when several do), or nullptr.
  VITALS_API const Meeting* considering(const Period& period) const;

  /// The latest decision on `indicator_id` taken at a meeting before `date`
  /// (every meeting when `date` is empty), or nullptr.
  VITALS_API const CommitteeDecision* previous_decision(std::string_view indicator_id,
                                                        std::string_view date) const;

  /// The follow-ups open when the meeting on `date` opens: every decision of
  /// an earlier meeting that no earlier meeting has recorded as done, each
  /// with its current report-back date and status (kDue when that date is
  /// `date`, kOverdue before it, kNotYetDue after it). With `date` empty,
  /// every meeting counts and each status is kOpen. Sorted by report-back
  /// date, then decision date, then indicator id.
  VITALS_API std::vector<FollowUp> follow_ups_at(std::string_view date) const;
};

}  // namespace vitals
