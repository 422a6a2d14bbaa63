// SPDX-License-Identifier: Apache-2.0
// The committee's decisions in the committee report: the follow-ups due at
// the meeting, and each card's previous decision, in HTML, Markdown and JSON.
#include <sstream>

#include <vitals/meetings.hpp>
#include <vitals/report.hpp>

#include "catch.hpp"
#include "report/golden.hpp"
#include "report/norfolk_fixture.hpp"

using namespace vitals;

namespace {

CommitteeDecision decision(const std::string& indicator, const std::string& meeting, const std::string& due,
                           FollowUpAction action) {
  CommitteeDecision d;
  d.indicator_id = indicator;
  d.meeting = meeting;
  d.action = action;
  d.report_back_on = due;
  return d;
}

// March 2017: delayed transfers approved (due in June, officer named);
// LD employment referred to DMT (due in April, so overdue in June);
// reablement, which is not an exception in March 2017, escalated to CLT
// (due in June). April: nothing recorded about LD employment. A later
// decision on mental health employment is due in September.
MeetingSet meetings() {
  MeetingSet set;
  Meeting march;
  march.date = "2017-03-06";
  CommitteeDecision dtoc = decision("dtoc_social_care_per_100k", "2017-03-06", "2017-06-19",
                                    FollowUpAction::kApproveActions);
  dtoc.officer = "Director of Integrated Care";
  dtoc.actions = "Weekly review of delays with the acute trusts.";
  march.decisions.push_back(dtoc);
  march.decisions.push_back(
      decision("ld_paid_employment_pct", "2017-03-06", "2017-04-24", FollowUpAction::kReferDmt));
  march.decisions.push_back(
      decision("reablement_no_ongoing_service", "2017-03-06", "2017-06-19", FollowUpAction::kEscalateClt));
  Meeting april;
  april.date = "2017-04-24";
  april.decisions.push_back(
      decision("mh_paid_employment_pct", "2017-04-24", "2017-09-04", FollowUpAction::kReferTaskAndFinish));
  Meeting june;
  june.date = "2017-06-19";
  june.period = Period::month(2017, 3);
  set.meetings = {march, april, june};
  return set;
}

struct Fixture {
  Catalogue catalogue = testing::norfolk_catalogue();
  EvaluationReport report = testing::norfolk_report(catalogue);
  CommentarySet commentary = testing::norfolk_commentary();
  MeetingSet set = meetings();
  std::string meeting_date;

  ReportInputs inputs() const {
    return ReportInputs{catalogue, report, commentary, {}, "Norfolk County Council", &set, meeting_date};
  }

  std::string render(DocumentFormat format) const {
    std::ostringstream out;
    std::vector<Diagnostic> diagnostics;
    Status st = render_committee_report(inputs(), format, out, &diagnostics);
    INFO(st.to_string());
    for (const Diagnostic& d : diagnostics) INFO(d.to_string());
    REQUIRE(st.is_ok());
    return out.str();
  }
};

bool has(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

}  // namespace

TEST_CASE("the report lists the follow-ups due at its meeting, those overdue and those not yet due",
          "[report][follow_ups]") {
  std::string md = Fixture().render(DocumentFormat::kMarkdown);
  INFO(md);
  const auto section = md.find("## Follow-up of the committee's decisions");
  REQUIRE(section != std::string::npos);
  CHECK(section > md.find("## Report cards"));
  CHECK(section < md.find("## For discussion"));
  CHECK(has(md, "Decisions of earlier meetings to be reported back at the meeting of 19 June 2017:"));
  CHECK(has(md, "- Number of days delay in transfers of care per 100,000 population (attributable to social "
                "care): **Approve actions** (6 March 2017), report back on 19 June 2017 by Director of "
                "Integrated Care. Actions agreed: Weekly review of delays with the acute trusts."));
  // Not an exception this month: still followed up.
  CHECK(has(md, "**Escalate to County Leadership Team** (6 March 2017), report back on 19 June 2017."));
  const auto overdue = md.find("Overdue, not yet reported back:");
  REQUIRE(overdue != std::string::npos);
  CHECK(md.find("**Refer to Departmental Management Team** (6 March 2017), report back on 24 April 2017.") >
        overdue);
  const auto later = md.find("Due at later meetings:");
  REQUIRE(later != std::string::npos);
  CHECK(md.find("**Refer to committee task and finish group** (24 April 2017), report back on 4 September 2017.") >
        later);
}

TEST_CASE("each exception's card shows the committee's previous decision", "[report][follow_ups]") {
  std::string md = Fixture().render(DocumentFormat::kMarkdown);
  CHECK(has(md, "#### The committee's previous decision\n\n6 March 2017: **Approve actions**. Report back on 19 "
                "June 2017 (Director of Integrated Care): due at this meeting.\n\nActions agreed: Weekly review "
                "of delays with the acute trusts.\n"));
  CHECK(has(md, "6 March 2017: **Refer to Departmental Management Team**. Report back on 24 April 2017: overdue."));
  CHECK(has(md, "24 April 2017: **Refer to committee task and finish group**. Report back on 4 September 2017: "
                "not yet due."));
  std::string html = Fixture().render(DocumentFormat::kHtml);
  CHECK(has(html, "<h4 id=\"card-dtoc_social_care_per_100k-decision\">The committee's previous decision</h4>"));
  CHECK(has(html, "<p>6 March 2017: <strong>Approve actions</strong>. Report back on 19 June 2017 (Director of "
                  "Integrated Care): due at this meeting.</p>"));
  CHECK(has(html, "<h2 id=\"follow-ups-heading\">Follow-up of the committee's decisions</h2>"));
  // A follow-up whose indicator has a card links to it; one without a card does not.
  CHECK(has(html, "<li><a href=\"#card-dtoc_social_care_per_100k\">"));
  CHECK_FALSE(has(html, "<a href=\"#card-reablement_no_ongoing_service\">"));
}

TEST_CASE("the meeting date given replaces the one the meeting files name", "[report][follow_ups]") {
  Fixture f;
  f.meeting_date = "2017-06-20";  // one day after the report-back date: overdue
  std::string md = f.render(DocumentFormat::kMarkdown);
  CHECK(has(md, "to be reported back at the meeting of 20 June 2017:\n\n- None.\n"));
  CHECK(has(md, "Report back on 19 June 2017 (Director of Integrated Care): overdue."));
}

TEST_CASE("without a meeting date the open follow-ups are listed, none marked due", "[report][follow_ups]") {
  Fixture f;
  f.set.meetings.pop_back();  // no meeting names 2017-03
  std::string md = f.render(DocumentFormat::kMarkdown);
  CHECK(has(md, "No meeting is recorded for this period, so no follow-up is marked due. Open follow-ups:"));
  CHECK(has(md, "Report back on 19 June 2017 (Director of Integrated Care): open."));
}

TEST_CASE("a report without meetings has no follow-up section and no previous decisions", "[report][follow_ups]") {
  Fixture f;
  f.set.meetings.clear();
  std::string md = f.render(DocumentFormat::kMarkdown);
  CHECK_FALSE(has(md, "Follow-up of the committee's decisions"));
  CHECK_FALSE(has(md, "previous decision"));
  std::string json = f.render(DocumentFormat::kJson);
  CHECK(has(json, "\"meeting\": null"));
  CHECK(has(json, "\"follow_ups\": []"));
  CHECK(has(json, "\"previous_decision\": null"));
}

TEST_CASE("the committee report in JSON carries the meeting, its follow-ups and each card's previous decision",
          "[report][follow_ups]") {
  std::string json = Fixture().render(DocumentFormat::kJson);
  INFO(json);
  CHECK(has(json, "\"meeting\": \"2017-06-19\""));
  CHECK(testing::compare_golden("committee-report-2017-03-follow-ups.json", json) == "");
}

TEST_CASE("the committee report with follow-ups in Markdown matches its golden file", "[report][follow_ups]") {
  CHECK(testing::compare_golden("committee-report-2017-03-follow-ups.md", Fixture().render(DocumentFormat::kMarkdown)) ==
        "");
}

TEST_CASE("a follow-up carried forward twice, and one reported done, as the report shows them",
          "[report][follow_ups]") {
  Fixture f;
  // Between March and June: LD employment carried forward twice (April, then
  // May), delayed transfers reported done in May.
  Meeting april;
  april.date = "2017-04-24";
  ReportBack ld;
  ld.indicator_id = "ld_paid_employment_pct";
  ld.decided = "2017-03-06";
  ld.meeting = "2017-04-24";
  ld.outcome = ReportBackOutcome::kCarriedForward;
  ld.report_back_on = "2017-05-22";
  april.report_backs.push_back(ld);
  Meeting may;
  may.date = "2017-05-22";
  ld.meeting = "2017-05-22";
  ld.report_back_on = "2017-06-19";
  may.report_backs.push_back(ld);
  ReportBack dtoc;
  dtoc.indicator_id = "dtoc_social_care_per_100k";
  dtoc.decided = "2017-03-06";
  dtoc.meeting = "2017-05-22";
  dtoc.outcome = ReportBackOutcome::kDone;
  may.report_backs.push_back(dtoc);
  f.set.meetings[1].report_backs = april.report_backs;  // the fixture's April meeting
  f.set.meetings.insert(f.set.meetings.begin() + 2, may);
  std::string md = f.render(DocumentFormat::kMarkdown);
  INFO(md);
  CHECK(has(md, "- % People receiving Learning Disabilities services in paid employment: **Refer to Departmental "
                "Management Team** (6 March 2017), report back on 19 June 2017, carried forward 2 times."));
  CHECK(has(md, "6 March 2017: **Refer to Departmental Management Team**. Report back on 19 June 2017: due at "
                "this meeting, carried forward 2 times."));
  CHECK(has(md, "6 March 2017: **Approve actions**. Report back on 19 June 2017 (Director of Integrated Care): "
                "reported back as done."));
  CHECK_FALSE(has(md, "- Number of days delay in transfers of care per 100,000 population (attributable to social "
                      "care): **Approve actions**"));
  CHECK_FALSE(has(md, "Overdue, not yet reported back:"));
  std::string json = f.render(DocumentFormat::kJson);
  CHECK(has(json, "\"carried_forward\": 2,\n        \"status\": \"due\""));
  CHECK(has(json, "\"status\": \"reported_back\""));
}
