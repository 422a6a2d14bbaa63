// SPDX-License-Identifier: Apache-2.0
#include "report/follow_ups_view.hpp"

#include <algorithm>
#include <array>
#include <map>
#include <vector>

#include "common/calendar.hpp"
#include "report/report_view.hpp"

namespace vitals::detail {

namespace {

using V = TemplateValue;

const IndicatorResult* exception_of(const ReportInputs& inputs, const std::string& indicator_id) {
  for (const IndicatorResult* r : inputs.report.exceptions()) {
    if (r->indicator_id == indicator_id) return r;
  }
  return nullptr;
}

std::string title_of(const ReportInputs& inputs, const std::string& indicator_id) {
  const IndicatorDefinition* def = inputs.catalogue.find_indicator(indicator_id);
  return def != nullptr && !def->title.empty() ? def->title : indicator_id;
}

std::string carried_text(int times) {
  if (times == 0) return "";
  return times == 1 ? "carried forward once" : "carried forward " + std::to_string(times) + " times";
}

// The fields a decision shows wherever it appears.
void set_decision(V& v, const CommitteeDecision& d) {
  v.set("action", follow_up_action_title(d.action));
  v.set("action_id", follow_up_action_id(d.action));
  v.set("decided_label", long_date(d.meeting));
  v.set("officer", d.officer);
  v.set("has_officer", !d.officer.empty());
  v.set("actions", d.actions);
  v.set("has_actions", !d.actions.empty());
  v.set("note", d.note);
  v.set("has_note", !d.note.empty());
}

// The open follow-ups at `date`, those due together in the order the
// committee's papers list the indicators.
std::vector<FollowUp> ordered_follow_ups(const ReportInputs& inputs, const std::string& date) {
  std::vector<FollowUp> open = inputs.meetings->follow_ups_at(date);
  std::map<std::string, std::size_t> rank;
  for (const IndicatorDefinition* def : inputs.catalogue.in_report_order()) rank.emplace(def->id, rank.size());
  auto rank_of = [&](const std::string& id) {
    auto it = rank.find(id);
    return it != rank.end() ? it->second : rank.size();
  };
  std::stable_sort(open.begin(), open.end(), [&](const FollowUp& a, const FollowUp& b) {
    if (a.report_back_on != b.report_back_on) return a.report_back_on < b.report_back_on;
    if (a.decision.meeting != b.decision.meeting) return a.decision.meeting < b.decision.meeting;
    return rank_of(a.decision.indicator_id) < rank_of(b.decision.indicator_id);
  });
  return open;
}

const FollowUp* find_follow_up(const std::vector<FollowUp>& open, const CommitteeDecision& d) {
  for (const FollowUp& f : open) {
    if (f.decision.indicator_id == d.indicator_id && f.decision.meeting == d.meeting) return &f;
  }
  return nullptr;
}

}  // namespace

std::string report_meeting_date(const ReportInputs& inputs) {
  if (!inputs.meeting_date.empty()) return inputs.meeting_date;
  if (inputs.meetings == nullptr) return "";
  const Meeting* m = inputs.meetings->considering(inputs.report.period);
  return m != nullptr ? m->date : "";
}

TemplateValue follow_ups_part(const ReportInputs& inputs) {
  V part = V::object();
  const bool section = inputs.meetings != nullptr && !inputs.meetings->meetings.empty();
  const std::string date = report_meeting_date(inputs);
  part.set("has_section", section);
  part.set("has_meeting", !date.empty());
  part.set("meeting_label", date.empty() ? "" : long_date(date));
  std::array<V, 4> lists = {V::list(), V::list(), V::list(), V::list()};
  if (section) {
    for (const FollowUp& f : ordered_follow_ups(inputs, date)) {
      const std::string& id = f.decision.indicator_id;
      V item = V::object();
      item.set("indicator", id);
      item.set("title", title_of(inputs, id));
      item.set("anchor", card_anchor(id));
      item.set("has_card", exception_of(inputs, id) != nullptr);
      set_decision(item, f.decision);
      item.set("report_back_label", long_date(f.report_back_on));
      item.set("carried_text", carried_text(f.carried_forward));
      item.set("has_carried", f.carried_forward > 0);
      lists[static_cast<std::size_t>(f.status)].push(std::move(item));
    }
  }
  part.set("has_overdue", lists[0].truthy());
  part.set("has_due", lists[1].truthy());
  part.set("has_not_yet_due", lists[2].truthy());
  part.set("has_open", lists[3].truthy());
  part.set("has_any", lists[0].truthy() || lists[1].truthy() || lists[2].truthy() || lists[3].truthy());
  part.set("overdue", std::move(lists[0]));
  part.set("due", std::move(lists[1]));
  part.set("not_yet_due", std::move(lists[2]));
  part.set("open", std::move(lists[3]));
  return part;
}

TemplateValue previous_decision_part(const ReportInputs& inputs, const std::string& indicator_id) {
  V v = V::object();
  const CommitteeDecision* d = nullptr;
  const std::string date = report_meeting_date(inputs);
  if (inputs.meetings != nullptr) d = inputs.meetings->previous_decision(indicator_id, date);
  v.set("has_decision", d != nullptr);
  if (d == nullptr) {
    CommitteeDecision none;
    set_decision(v, none);
    v.set("action", "");
    v.set("action_id", "");
    v.set("report_back_label", "");
    v.set("status_text", "");
    return v;
  }
  set_decision(v, *d);
  const std::vector<FollowUp> open = inputs.meetings->follow_ups_at(date);
  const FollowUp* f = find_follow_up(open, *d);
  v.set("report_back_label", long_date(f != nullptr ? f->report_back_on : d->report_back_on));
  std::string status = "reported back as done";
  if (f != nullptr) {
    switch (f->status) {
      case FollowUpStatus::kDue: status = "due at this meeting"; break;
      case FollowUpStatus::kOverdue: status = "overdue"; break;
      case FollowUpStatus::kNotYetDue: status = "not yet due"; break;
      case FollowUpStatus::kOpen: status = "open"; break;
    }
    if (f->carried_forward > 0) status += ", " + carried_text(f->carried_forward);
  }
  v.set("status_text", status);
  return v;
}

namespace {

void write_decision_fields(JsonWriter& w, const CommitteeDecision& d) {
  w.field("indicator", d.indicator_id);
  w.field("decided", d.meeting);
  w.field("action", follow_up_action_id(d.action));
  w.field("action_title", follow_up_action_title(d.action));
  w.field("actions", d.actions);
  w.field("note", d.note);
  w.field("officer", d.officer);
}

}  // namespace

void write_follow_ups_json(JsonWriter& w, const ReportInputs& inputs) {
  const std::string date = report_meeting_date(inputs);
  w.key("meeting");
  if (date.empty()) {
    w.null();
  } else {
    w.value(date);
  }
  w.key("follow_ups").begin_array();
  if (inputs.meetings != nullptr) {
    for (const FollowUp& f : ordered_follow_ups(inputs, date)) {
      w.begin_object();
      write_decision_fields(w, f.decision);
      w.field("report_back_on", f.report_back_on);
      w.field("carried_forward", f.carried_forward);
      w.field("status", follow_up_status_id(f.status));
      w.end_object();
    }
  }
  w.end_array();
}

void write_previous_decision_json(JsonWriter& w, const ReportInputs& inputs, const std::string& indicator_id) {
  const std::string date = report_meeting_date(inputs);
  const CommitteeDecision* d =
      inputs.meetings != nullptr ? inputs.meetings->previous_decision(indicator_id, date) : nullptr;
  w.key("previous_decision");
  if (d == nullptr) {
    w.null();
    return;
  }
  const std::vector<FollowUp> open = inputs.meetings->follow_ups_at(date);
  const FollowUp* f = find_follow_up(open, *d);
  w.begin_object();
  write_decision_fields(w, *d);
  w.field("report_back_on", f != nullptr ? f->report_back_on : d->report_back_on);
  w.field("carried_forward", f != nullptr ? f->carried_forward : 0);
  w.field("status", f != nullptr ? follow_up_status_id(f->status) : "reported_back");
  w.end_object();
}

}  // namespace vitals::detail
