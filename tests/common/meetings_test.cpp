// SPDX-License-Identifier: Apache-2.0
#include <vitals/meetings.hpp>

#include <string>
#include <vector>

#include "catch.hpp"

using namespace vitals;

namespace {

CommitteeDecision decision(const std::string& indicator, const std::string& meeting, const std::string& due,
                           FollowUpAction action = FollowUpAction::kApproveActions) {
  CommitteeDecision d;
  d.indicator_id = indicator;
  d.meeting = meeting;
  d.action = action;
  d.report_back_on = due;
  return d;
}

ReportBack report_back(const std::string& indicator, const std::string& decided, const std::string& meeting,
                       const std::string& carried_to = "") {
  ReportBack r;
  r.indicator_id = indicator;
  r.decided = decided;
  r.meeting = meeting;
  r.outcome = carried_to.empty() ? ReportBackOutcome::kDone : ReportBackOutcome::kCarriedForward;
  r.report_back_on = carried_to;
  return r;
}

Meeting meeting(const std::string& date) {
  Meeting m;
  m.date = date;
  return m;
}

// March decides on dtoc (due in June); nothing else unless a test adds it.
MeetingSet march_decides(const std::string& due = "2017-06-19") {
  MeetingSet set;
  Meeting march = meeting("2017-03-06");
  march.decisions.push_back(decision("dtoc", "2017-03-06", due));
  set.meetings.push_back(march);
  return set;
}

}  // namespace

TEST_CASE("a follow-up due exactly on the meeting date is due", "[meetings]") {
  MeetingSet set = march_decides("2017-06-19");
  auto open = set.follow_ups_at("2017-06-19");
  REQUIRE(open.size() == 1);
  CHECK(open[0].status == FollowUpStatus::kDue);
  CHECK(open[0].report_back_on == "2017-06-19");
  CHECK(open[0].carried_forward == 0);
}

TEST_CASE("a follow-up due the day after the meeting is not yet due", "[meetings]") {
  MeetingSet set = march_decides("2017-06-20");
  auto open = set.follow_ups_at("2017-06-19");
  REQUIRE(open.size() == 1);
  CHECK(open[0].status == FollowUpStatus::kNotYetDue);
}

TEST_CASE("a follow-up due the day before the meeting and not reported back is overdue", "[meetings]") {
  MeetingSet set = march_decides("2017-06-18");
  auto open = set.follow_ups_at("2017-06-19");
  REQUIRE(open.size() == 1);
  CHECK(open[0].status == FollowUpStatus::kOverdue);
}

TEST_CASE("a decision is not a follow-up at its own meeting or before it", "[meetings]") {
  MeetingSet set = march_decides();
  CHECK(set.follow_ups_at("2017-03-06").empty());
  CHECK(set.follow_ups_at("2017-01-23").empty());
  CHECK(set.previous_decision("dtoc", "2017-03-06") == nullptr);
  REQUIRE(set.previous_decision("dtoc", "2017-03-07") != nullptr);
  CHECK(set.previous_decision("dtoc", "2017-03-07")->meeting == "2017-03-06");
}

TEST_CASE("a follow-up carried forward twice is due at the date of its second carry-forward", "[meetings]") {
  MeetingSet set = march_decides("2017-06-19");
  Meeting june = meeting("2017-06-19");
  june.report_backs.push_back(report_back("dtoc", "2017-03-06", "2017-06-19", "2017-09-04"));
  Meeting september = meeting("2017-09-04");
  september.report_backs.push_back(report_back("dtoc", "2017-03-06", "2017-09-04", "2017-11-13"));
  set.meetings.push_back(june);
  set.meetings.push_back(september);

  // At September the first carry-forward is in force: due then.
  auto at_september = set.follow_ups_at("2017-09-04");
  REQUIRE(at_september.size() == 1);
  CHECK(at_september[0].carried_forward == 1);
  CHECK(at_september[0].report_back_on == "2017-09-04");
  CHECK(at_september[0].status == FollowUpStatus::kDue);

  auto at_november = set.follow_ups_at("2017-11-13");
  REQUIRE(at_november.size() == 1);
  CHECK(at_november[0].carried_forward == 2);
  CHECK(at_november[0].report_back_on == "2017-11-13");
  CHECK(at_november[0].status == FollowUpStatus::kDue);
  CHECK(at_november[0].decision.meeting == "2017-03-06");
}

TEST_CASE("a follow-up reported back as done is closed at later meetings only", "[meetings]") {
  MeetingSet set = march_decides("2017-06-19");
  Meeting june = meeting("2017-06-19");
  june.report_backs.push_back(report_back("dtoc", "2017-03-06", "2017-06-19"));
  set.meetings.push_back(june);
  // The June report lists it as due: the report-back is the meeting's own business.
  REQUIRE(set.follow_ups_at("2017-06-19").size() == 1);
  CHECK(set.follow_ups_at("2017-06-20").empty());
  CHECK(set.follow_ups_at("").empty());
  // It stays the previous decision, now reported back.
  REQUIRE(set.previous_decision("dtoc", "2017-09-04") != nullptr);
}

TEST_CASE("without a meeting date every meeting counts and each follow-up is open", "[meetings]") {
  MeetingSet set = march_decides("2017-06-19");
  Meeting june = meeting("2017-06-19");
  june.decisions.push_back(decision("ld", "2017-06-19", "2017-09-04", FollowUpAction::kEscalateClt));
  set.meetings.push_back(june);
  auto open = set.follow_ups_at("");
  REQUIRE(open.size() == 2);
  CHECK(open[0].decision.indicator_id == "dtoc");  // by report-back date
  CHECK(open[1].decision.indicator_id == "ld");
  CHECK(open[0].status == FollowUpStatus::kOpen);
  CHECK(open[1].status == FollowUpStatus::kOpen);
  CHECK(set.previous_decision("ld", "")->action == FollowUpAction::kEscalateClt);
}

TEST_CASE("the meeting considering a period, and the meeting on a date", "[meetings]") {
  MeetingSet set = march_decides();
  Meeting june = meeting("2017-06-19");
  june.period = Period::parse("2017-03").value();
  set.meetings.push_back(june);
  REQUIRE(set.considering(Period::parse("2017-03").value()) != nullptr);
  CHECK(set.considering(Period::parse("2017-03").value())->date == "2017-06-19");
  CHECK(set.considering(Period::parse("2017-02").value()) == nullptr);
  CHECK(set.find("2017-03-06") != nullptr);
  CHECK(set.find("2017-03-07") == nullptr);
}

TEST_CASE("the six follow-up actions in the council's words", "[meetings]") {
  CHECK(std::string(follow_up_action_title(FollowUpAction::kReferTaskAndFinish)) ==
        "Refer to committee task and finish group");
  CHECK(std::string(follow_up_action_id(FollowUpAction::kEscalatePolicyResources)) == "escalate_policy_resources");
  CHECK(std::string(follow_up_action_description(FollowUpAction::kEscalateClt))
            .find("escalate to CLT for action") != std::string::npos);
  CHECK(is_calendar_date("2016-02-29"));
  CHECK_FALSE(is_calendar_date("2017-02-29"));
}
