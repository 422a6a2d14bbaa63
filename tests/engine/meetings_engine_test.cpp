// SPDX-License-Identifier: Apache-2.0
// The committee's meeting files as the engine loads them with a catalogue:
// the Norfolk example's, and a mistake that refuses the catalogue.
#include <vitals/engine.hpp>
#include <vitals/meetings.hpp>

#include <set>
#include <string>

#include "catch.hpp"
#include "engine/engine_test_support.hpp"
#include "support/temp_dir.hpp"

using namespace vitals;
using vitals::testing::TempDir;

TEST_CASE("the Norfolk example's decisions of 6 March 2017 are due at the meeting of 19 June 2017",
          "[engine][meetings][example]") {
  TempDir dir;
  Engine engine = vitals::testing::open_with_plugins(dir.path());
  REQUIRE(engine.load_catalogue(std::string(VITALS_SOURCE_DIR) + "/examples/norfolk").is_ok());
  const MeetingSet& meetings = engine.meetings();
  REQUIRE(meetings.meetings.size() == 2);
  const Meeting* june = meetings.considering(Period::month(2017, 3));
  REQUIRE(june != nullptr);
  CHECK(june->date == "2017-06-19");
  CHECK(june->decisions.empty());

  std::vector<FollowUp> due = meetings.follow_ups_at("2017-06-19");
  REQUIRE(due.size() == 6);
  std::set<std::string> decided;
  for (const FollowUp& f : due) {
    CHECK(f.status == FollowUpStatus::kDue);
    CHECK(f.decision.action == FollowUpAction::kApproveActions);  // "AGREED that the recommended actions ..."
    decided.insert(f.decision.indicator_id);
  }

  // The README says the illustrative list is the example's exceptions for
  // January 2017, the period the file of 6 March 2017 names.
  const Meeting* march = meetings.find("2017-03-06");
  REQUIRE(march != nullptr);
  REQUIRE(march->period.has_value());
  REQUIRE(engine.ingest().ok());
  auto january = engine.evaluate(*march->period);
  REQUIRE(january.ok());
  std::set<std::string> exceptions;
  for (const IndicatorResult* r : january->exceptions()) exceptions.insert(r->indicator_id);
  CHECK(decided == exceptions);
}

TEST_CASE("a mistake in a meeting file refuses the catalogue, located", "[engine][meetings]") {
  TempDir dir;
  dir.write("asc/catalogue.toml", R"([catalogue]
name = "Adult Social Care"
meetings = "meetings"

[sources.dashboard]
plugin = "csv"
path = "data/dashboard.csv"
)");
  dir.write("asc/indicators/a.toml", R"([[indicator]]
id = "dtoc"
title = "Delayed transfers"
polarity = "smaller"
unit = "per_100k"
frequency = "monthly"
source = "dashboard"
)");
  dir.write("asc/meetings/2017-03-06.toml", R"([meeting]
date = 2017-03-06

[[decision]]
indicator = "dtoc"
action = "approve_actions"
report_back_on = 2017-03-01
)");
  Engine engine = vitals::testing::open_with_plugins(dir.path());
  Status st = engine.load_catalogue(dir / "asc");
  CHECK(st.code() == StatusCode::kValidationError);
  bool found = false;
  for (const Diagnostic& d : engine.diagnostics()) {
    if (d.code != "meeting.report_back_not_after") continue;
    found = true;
    CHECK(d.location == SourceLocation{(dir / "asc/meetings/2017-03-06.toml").string(), 7, 18});
  }
  CHECK(found);

  // Put right, the catalogue loads with its meeting.
  dir.write("asc/meetings/2017-03-06.toml", R"([meeting]
date = 2017-03-06

[[decision]]
indicator = "dtoc"
action = "approve_actions"
report_back_on = 2017-06-19
)");
  REQUIRE(engine.load_catalogue(dir / "asc").is_ok());
  REQUIRE(engine.meetings().meetings.size() == 1);
  CHECK(engine.meetings().follow_ups_at("2017-06-19").size() == 1);
}

TEST_CASE("a meetings folder that does not exist is a located error", "[engine][meetings]") {
  TempDir dir;
  dir.write("asc/catalogue.toml", "[catalogue]\nname = \"Adult Social Care\"\nmeetings = \"minutes\"\n");
  Engine engine = vitals::testing::open_with_plugins(dir.path());
  CHECK(engine.load_catalogue(dir / "asc").code() == StatusCode::kValidationError);
  bool found = false;
  for (const Diagnostic& d : engine.diagnostics()) {
    if (d.code == "config.missing_file" && d.location && d.location->line == 3) found = true;
  }
  CHECK(found);
}
