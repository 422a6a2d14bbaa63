// SPDX-License-Identifier: Apache-2.0
#include "config/meetings_loader.hpp"

#include <string>
#include <vector>

#include "catch.hpp"
#include "config/config_fixtures.hpp"
#include "support/temp_dir.hpp"

using namespace vitals;
using vitals::detail::load_meetings;
using vitals::detail::LoadedMeetings;
using vitals::testing::describe;
using vitals::testing::TempDir;
using vitals::testing::with_code;

namespace {

// A catalogue rooted at `dir` whose meetings folder is meetings/, with
// indicators "dtoc" and "ld_employment".
Catalogue catalogue_at(const TempDir& dir) {
  Catalogue c;
  c.root = dir.path();
  c.meetings_dir = dir / "meetings";
  for (const char* id : {"dtoc", "ld_employment"}) {
    IndicatorDefinition d;
    d.id = id;
    c.indicators.push_back(d);
  }
  return c;
}

constexpr const char* kMarch = R"([meeting]
date = 2017-03-06
committee = "Adult Social Care Committee"
period = "2017-01"

[[decision]]
indicator = "dtoc"
action = "approve_actions"
actions = "Weekly review of delays with the acute trusts."
officer = "Director of Integrated Care"
report_back_on = 2017-06-19

[[decision]]
indicator = "ld_employment"
action = "refer_dmt"
report_back_on = "2017-06-19"
)";

// The one diagnostic of `loaded`, which must have `code`.
Diagnostic only(const LoadedMeetings& loaded, const std::string& code) {
  INFO(describe(loaded.diagnostics));
  REQUIRE(loaded.diagnostics.size() == 1);
  CHECK(loaded.diagnostics[0].code == code);
  CHECK(loaded.diagnostics[0].severity == Severity::kError);
  return loaded.diagnostics[0];
}

}  // namespace

TEST_CASE("a meeting file is read: its date, committee, period and decisions", "[config][meetings]") {
  TempDir dir;
  dir.write("meetings/2017-03-06.toml", kMarch);
  dir.write("meetings/.2017-03-06.toml.swp", "editor noise");
  LoadedMeetings loaded = load_meetings(catalogue_at(dir));
  INFO(describe(loaded.diagnostics));
  CHECK(loaded.diagnostics.empty());
  REQUIRE(loaded.meetings.meetings.size() == 1);
  const Meeting& m = loaded.meetings.meetings[0];
  CHECK(m.date == "2017-03-06");
  CHECK(m.committee == "Adult Social Care Committee");
  REQUIRE(m.period.has_value());
  CHECK(m.period->to_string() == "2017-01");
  REQUIRE(m.decisions.size() == 2);
  CHECK(m.decisions[0].indicator_id == "dtoc");
  CHECK(m.decisions[0].action == FollowUpAction::kApproveActions);
  CHECK(m.decisions[0].officer == "Director of Integrated Care");
  CHECK(m.decisions[0].report_back_on == "2017-06-19");
  CHECK(m.decisions[0].meeting == "2017-03-06");
  CHECK(m.decisions[0].location == SourceLocation{(dir / "meetings/2017-03-06.toml").string(), 6, 1});
  CHECK(m.decisions[1].action == FollowUpAction::kReferDmt);
  CHECK(m.decisions[1].report_back_on == "2017-06-19");  // a string date is accepted too
}

TEST_CASE("a catalogue without a meetings folder setting has no meetings", "[config][meetings]") {
  TempDir dir;
  Catalogue c = catalogue_at(dir);
  c.meetings_dir.clear();
  dir.write("meetings/2017-03-06.toml", "not read");
  LoadedMeetings loaded = load_meetings(c);
  CHECK(loaded.diagnostics.empty());
  CHECK(loaded.meetings.meetings.empty());
}

TEST_CASE("every one of the six actions is accepted by its id", "[config][meetings]") {
  for (FollowUpAction a : kFollowUpActionList) {
    TempDir dir;
    dir.write("meetings/m.toml", std::string("[meeting]\ndate = 2017-03-06\n\n[[decision]]\nindicator = \"dtoc\"\n"
                                             "action = \"") +
                                     follow_up_action_id(a) + "\"\nreport_back_on = 2017-06-19\n");
    LoadedMeetings loaded = load_meetings(catalogue_at(dir));
    INFO(describe(loaded.diagnostics));
    REQUIRE(loaded.diagnostics.empty());
    CHECK(loaded.meetings.meetings.at(0).decisions.at(0).action == a);
    CHECK(parse_follow_up_action(follow_up_action_id(a)) == a);
  }
  CHECK_FALSE(parse_follow_up_action("approve").has_value());
}

TEST_CASE("meeting files: each mistake is a located error", "[config][meetings]") {
  TempDir dir;
  const std::string file = (dir / "meetings/2017-03-06.toml").string();
  auto load = [&](const std::string& text) {
    dir.write("meetings/2017-03-06.toml", text);
    return load_meetings(catalogue_at(dir));
  };
  const std::string head = "[meeting]\ndate = 2017-03-06\n\n";

  SECTION("a misspelt key, with a suggestion") {
    LoadedMeetings loaded = load(head + "[[decision]]\nindicator = \"dtoc\"\naction = \"approve_actions\"\n"
                                        "report_back_om = 2017-06-19\n");
    auto unknown = with_code(loaded.diagnostics, "config.unknown_key");
    REQUIRE(unknown.size() == 1);
    CHECK(unknown[0].message.find("did you mean 'report_back_on'?") != std::string::npos);
    CHECK(unknown[0].location == SourceLocation{file, 7, 1});
    CHECK(with_code(loaded.diagnostics, "config.missing_key").size() == 1);
    CHECK(loaded.meetings.meetings.at(0).decisions.empty());
  }
  SECTION("a misspelt key in [meeting]") {
    Diagnostic d = only(load("[meeting]\ndate = 2017-03-06\ncomittee = \"ASC\"\n"), "config.unknown_key");
    CHECK(d.message.find("did you mean 'committee'?") != std::string::npos);
    CHECK(d.location == SourceLocation{file, 3, 1});
  }
  SECTION("an unknown indicator, with a suggestion") {
    Diagnostic d = only(load(head + "[[decision]]\nindicator = \"dtco\"\naction = \"approve_actions\"\n"
                                    "report_back_on = 2017-06-19\n"),
                        "meeting.unknown_indicator");
    CHECK(d.message.find("did you mean 'dtoc'?") != std::string::npos);
    CHECK(d.location == SourceLocation{file, 5, 13});
  }
  SECTION("an unknown action, with a suggestion") {
    Diagnostic d = only(load(head + "[[decision]]\nindicator = \"dtoc\"\naction = \"aprove_actions\"\n"
                                    "report_back_on = 2017-06-19\n"),
                        "meeting.unknown_action");
    CHECK(d.message.find("did you mean 'approve_actions'?") != std::string::npos);
    CHECK(d.location == SourceLocation{file, 6, 10});
  }
  SECTION("a date that is not a calendar date") {
    Diagnostic d = only(load(head + "[[decision]]\nindicator = \"dtoc\"\naction = \"approve_actions\"\n"
                                    "report_back_on = \"2017-02-30\"\n"),
                        "config.bad_value");
    CHECK(d.location == SourceLocation{file, 7, 18});
  }
  SECTION("a meeting date of the wrong type") {
    Diagnostic d = only(load("[meeting]\ndate = 20170306\n"), "config.type");
    CHECK(d.message.find("a date such as") != std::string::npos);
    CHECK(d.location == SourceLocation{file, 2, 8});
  }
  SECTION("a report-back date before the meeting") {
    Diagnostic d = only(load(head + "[[decision]]\nindicator = \"dtoc\"\naction = \"approve_actions\"\n"
                                    "report_back_on = 2017-03-05\n"),
                        "meeting.report_back_not_after");
    CHECK(d.location == SourceLocation{file, 7, 18});
  }
  SECTION("a report-back date on the meeting itself") {
    only(load(head + "[[decision]]\nindicator = \"dtoc\"\naction = \"approve_actions\"\n"
                     "report_back_on = 2017-03-06\n"),
         "meeting.report_back_not_after");
  }
  SECTION("a report-back date the day after the meeting is accepted") {
    LoadedMeetings loaded = load(head + "[[decision]]\nindicator = \"dtoc\"\naction = \"approve_actions\"\n"
                                        "report_back_on = 2017-03-07\n");
    INFO(describe(loaded.diagnostics));
    CHECK(loaded.diagnostics.empty());
  }
  SECTION("a missing report-back date") {
    only(load(head + "[[decision]]\nindicator = \"dtoc\"\naction = \"approve_actions\"\n"), "config.missing_key");
  }
  SECTION("two decisions on one indicator at one meeting") {
    Diagnostic d = only(load(head + "[[decision]]\nindicator = \"dtoc\"\naction = \"approve_actions\"\n"
                                    "report_back_on = 2017-06-19\n\n[[decision]]\nindicator = \"dtoc\"\n"
                                    "action = \"refer_dmt\"\nreport_back_on = 2017-06-19\n"),
                        "meeting.duplicate");
    CHECK(d.location->line == 9);
  }
  SECTION("a bad period") {
    only(load("[meeting]\ndate = 2017-03-06\nperiod = \"March\"\n"), "meeting.bad_period");
  }
  SECTION("no [meeting] table") {
    only(load("[[decision]]\nindicator = \"dtoc\"\naction = \"approve_actions\"\nreport_back_on = 2017-06-19\n"),
         "config.missing_key");
  }
  SECTION("TOML syntax") {
    Diagnostic d = only(load("[meeting]\ndate = \n"), "config.syntax");
    CHECK(d.location->file == file);
    CHECK(d.location->line == 2);
  }
}

TEST_CASE("report-backs: on a decision of an earlier meeting that is still open", "[config][meetings]") {
  TempDir dir;
  dir.write("meetings/2017-03-06.toml", kMarch);
  const std::string june = (dir / "meetings/2017-06-19.toml").string();
  auto load = [&](const std::string& report_backs) {
    dir.write("meetings/2017-06-19.toml", "[meeting]\ndate = 2017-06-19\n\n" + report_backs);
    return load_meetings(catalogue_at(dir));
  };

  SECTION("done and carried forward are recorded") {
    LoadedMeetings loaded = load(
        "[[report_back]]\nindicator = \"dtoc\"\ndecided = 2017-03-06\noutcome = \"done\"\n\n"
        "[[report_back]]\nindicator = \"ld_employment\"\ndecided = 2017-03-06\noutcome = \"carried_forward\"\n"
        "report_back_on = 2017-09-04\nnote = \"Awaiting the employment plan.\"\n");
    INFO(describe(loaded.diagnostics));
    CHECK(loaded.diagnostics.empty());
    REQUIRE(loaded.meetings.meetings.size() == 2);
    const auto& r = loaded.meetings.meetings[1].report_backs;
    REQUIRE(r.size() == 2);
    CHECK(r[0].outcome == ReportBackOutcome::kDone);
    CHECK(r[1].outcome == ReportBackOutcome::kCarriedForward);
    CHECK(r[1].report_back_on == "2017-09-04");
    CHECK(r[1].meeting == "2017-06-19");
    CHECK(r[1].note == "Awaiting the employment plan.");
  }
  SECTION("a report-back on a decision that does not exist") {
    Diagnostic d = only(load("[[report_back]]\nindicator = \"dtoc\"\ndecided = 2017-03-07\noutcome = \"done\"\n"),
                        "meeting.unknown_decision");
    CHECK(d.message.find("did you mean '2017-03-06'?") != std::string::npos);
    CHECK(d.location == SourceLocation{june, 6, 11});
  }
  SECTION("a report-back on an indicator the earlier meeting did not decide on") {
    dir.write("meetings/2017-03-06.toml", "[meeting]\ndate = 2017-03-06\n");
    only(load("[[report_back]]\nindicator = \"dtoc\"\ndecided = 2017-03-06\noutcome = \"done\"\n"),
         "meeting.unknown_decision");
  }
  SECTION("a report-back on a decision of the same meeting") {
    dir.write("meetings/2017-03-06.toml", "[meeting]\ndate = 2017-03-06\n");
    only(load("[[decision]]\nindicator = \"dtoc\"\naction = \"approve_actions\"\nreport_back_on = 2017-09-04\n\n"
              "[[report_back]]\nindicator = \"dtoc\"\ndecided = 2017-06-19\noutcome = \"done\"\n"),
         "meeting.unknown_decision");
  }
  SECTION("a report-back on a decision already reported done") {
    dir.write("meetings/2017-04-24.toml",
              "[meeting]\ndate = 2017-04-24\n\n[[report_back]]\nindicator = \"dtoc\"\ndecided = 2017-03-06\n"
              "outcome = \"done\"\n");
    only(load("[[report_back]]\nindicator = \"dtoc\"\ndecided = 2017-03-06\noutcome = \"done\"\n"),
         "meeting.closed_decision");
  }
  SECTION("an unknown outcome, with a suggestion") {
    Diagnostic d = only(load("[[report_back]]\nindicator = \"dtoc\"\ndecided = 2017-03-06\noutcome = \"carried\"\n"),
                        "meeting.unknown_outcome");
    CHECK(d.location == SourceLocation{june, 7, 11});
  }
  SECTION("carried forward without a new date") {
    only(load("[[report_back]]\nindicator = \"dtoc\"\ndecided = 2017-03-06\noutcome = \"carried_forward\"\n"),
         "meeting.report_back_date");
  }
  SECTION("carried forward to a date before the meeting") {
    only(load("[[report_back]]\nindicator = \"dtoc\"\ndecided = 2017-03-06\noutcome = \"carried_forward\"\n"
              "report_back_on = 2017-06-18\n"),
         "meeting.report_back_not_after");
  }
  SECTION("done with a new date") {
    only(load("[[report_back]]\nindicator = \"dtoc\"\ndecided = 2017-03-06\noutcome = \"done\"\n"
              "report_back_on = 2017-09-04\n"),
         "meeting.report_back_date");
  }
  SECTION("two files for one meeting") {
    dir.write("meetings/june.toml", "[meeting]\ndate = 2017-06-19\n");
    only(load(""), "meeting.duplicate");
  }
}

TEST_CASE("files other than TOML in the meetings folder are warned about", "[config][meetings]") {
  TempDir dir;
  dir.write("meetings/notes.txt", "minutes");
  LoadedMeetings loaded = load_meetings(catalogue_at(dir));
  REQUIRE(loaded.diagnostics.size() == 1);
  CHECK(loaded.diagnostics[0].code == "meeting.unexpected_file");
  CHECK(loaded.diagnostics[0].severity == Severity::kWarning);
}
