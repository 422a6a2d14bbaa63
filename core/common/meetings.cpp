// SPDX-License-Identifier: Apache-2.0
#include <vitals/meetings.hpp>

#include "common/calendar.hpp"

#include <algorithm>
#include <map>
#include <tuple>
#include <utility>

namespace vitals {

const char* follow_up_action_id(FollowUpAction action) {
  switch (action) {
    case FollowUpAction::kApproveActions: return "approve_actions";
    case FollowUpAction::kAlternativeActions: return "alternative_actions";
    case FollowUpAction::kReferDmt: return "refer_dmt";
    case FollowUpAction::kReferTaskAndFinish: return "refer_task_and_finish";
    case FollowUpAction::kEscalateClt: return "escalate_clt";
    case FollowUpAction::kEscalatePolicyResources: return "escalate_policy_resources";
  }
  return "approve_actions";
}

// The council's list, "Suggested follow-up actions" (paper of 19 June 2017).
const char* follow_up_action_title(FollowUpAction action) {
  switch (action) {
    case FollowUpAction::kApproveActions: return "Approve actions";
    case FollowUpAction::kAlternativeActions: return "Identify alternative/additional actions";
    case FollowUpAction::kReferDmt: return "Refer to Departmental Management Team";
    case FollowUpAction::kReferTaskAndFinish: return "Refer to committee task and finish group";
    case FollowUpAction::kEscalateClt: return "Escalate to County Leadership Team";
    case FollowUpAction::kEscalatePolicyResources: return "Escalate to Policy and Resources Committee";
  }
  return "Approve actions";
}

const char* follow_up_action_description(FollowUpAction action) {
  switch (action) {
    case FollowUpAction::kApproveActions:
      return "Approve actions identified in the report card and set a date for reporting back to the "
             "committee";
    case FollowUpAction::kAlternativeActions:
      return "Identify alternative/additional actions to those in the report card and set a date for "
             "reporting back to the committee";
    case FollowUpAction::kReferDmt:
      return "DMT to work through the performance issues identified at the committee meeting and develop "
             "an action plan for improvement and report back to committee";
    case FollowUpAction::kReferTaskAndFinish:
      return "Member-led task and finish group to work through the performance issues identified at the "
             "committee meeting and develop an action plan for improvement and report back to committee";
    case FollowUpAction::kEscalateClt:
      return "Identify key actions for performance improvement (that require a change in policy and/or "
             "additional funding) and escalate to CLT for action";
    case FollowUpAction::kEscalatePolicyResources:
      return "Identify key actions for performance improvement (that require a change in policy and/or "
             "additional funding) and escalate to the Policy and Resources committee for action.";
  }
  return "";
}

std::optional<FollowUpAction> parse_follow_up_action(std::string_view id) {
  for (FollowUpAction a : kFollowUpActionList) {
    if (id == follow_up_action_id(a)) return a;
  }
  return std::nullopt;
}

bool is_calendar_date(std::string_view date) { return detail::is_iso_date(date); }

const char* report_back_outcome_id(ReportBackOutcome outcome) {
  return outcome == ReportBackOutcome::kDone ? "done" : "carried_forward";
}

const char* follow_up_status_id(FollowUpStatus status) {
  switch (status) {
    case FollowUpStatus::kOverdue: return "overdue";
    case FollowUpStatus::kDue: return "due";
    case FollowUpStatus::kNotYetDue: return "not_yet_due";
    case FollowUpStatus::kOpen: return "open";
  }
  return "open";
}

const Meeting* MeetingSet::find(std::string_view date) const {
  for (const Meeting& m : meetings) {
    if (m.date == date) return &m;
  }
  return nullptr;
}

const Meeting* MeetingSet::considering(const Period& period) const {
  for (const Meeting& m : meetings) {
    if (m.period && *m.period == period) return &m;
  }
  return nullptr;
}

namespace {

// Dates are "YYYY-MM-DD", so text order is date order.
bool before(const std::string& a, std::string_view b) { return b.empty() || a < b; }

}  // namespace

const CommitteeDecision* MeetingSet::previous_decision(std::string_view indicator_id,
                                                       std::string_view date) const {
  const CommitteeDecision* latest = nullptr;
  for (const Meeting& m : meetings) {
    if (!before(m.date, date)) break;
    for (const CommitteeDecision& d : m.decisions) {
      if (d.indicator_id == indicator_id) latest = &d;
    }
  }
  return latest;
}

std::vector<FollowUp> MeetingSet::follow_ups_at(std::string_view date) const {
  // Open follow-ups by (indicator, decision date), built meeting by meeting.
  std::map<std::pair<std::string, std::string>, FollowUp> open;
  for (const Meeting& m : meetings) {
    if (!before(m.date, date)) break;
    for (const ReportBack& r : m.report_backs) {
      auto it = open.find({r.indicator_id, r.decided});
      if (it == open.end()) continue;  // the loader refuses these
      if (r.outcome == ReportBackOutcome::kDone) {
        open.erase(it);
      } else {
        it->second.report_back_on = r.report_back_on;
        ++it->second.carried_forward;
      }
    }
    for (const CommitteeDecision& d : m.decisions) {
      FollowUp f;
      f.decision = d;
      f.report_back_on = d.report_back_on;
      open[{d.indicator_id, d.meeting}] = std::move(f);
    }
  }
  std::vector<FollowUp> out;
  for (auto& [key, f] : open) {
    if (date.empty()) {
      f.status = FollowUpStatus::kOpen;
    } else if (f.report_back_on == date) {
      f.status = FollowUpStatus::kDue;
    } else {
      f.status = f.report_back_on < date ? FollowUpStatus::kOverdue : FollowUpStatus::kNotYetDue;
    }
    out.push_back(std::move(f));
  }
  std::sort(out.begin(), out.end(), [](const FollowUp& a, const FollowUp& b) {
    return std::tie(a.report_back_on, a.decision.meeting, a.decision.indicator_id) <
           std::tie(b.report_back_on, b.decision.meeting, b.decision.indicator_id);
  });
  return out;
}

}  // namespace vitals
