// SPDX-License-Identifier: Apache-2.0
#include "config/accepted_loader.hpp"

#include <string>
#include <vector>

#include "catch.hpp"
#include "support/temp_dir.hpp"

using namespace vitals;
using vitals::detail::is_iso_date;
using vitals::detail::load_acceptances;
using vitals::testing::TempDir;

namespace {

Catalogue catalogue_at(const TempDir& dir) {
  Catalogue c;
  c.root = dir.path();
  for (const char* id : {"dtoc", "mh_employment"}) {
    IndicatorDefinition d;
    d.id = id;
    c.indicators.push_back(d);
  }
  return c;
}

// Each diagnostic as "line:column code: message" (the file is accepted.toml).
std::vector<std::string> problems(const std::vector<Diagnostic>& diagnostics) {
  std::vector<std::string> out;
  for (const Diagnostic& d : diagnostics) {
    REQUIRE(d.location);
    CHECK(d.location->file.size() >= 13);
    CHECK(d.location->file.substr(d.location->file.size() - 13) == "accepted.toml");
    out.push_back(std::to_string(d.location->line) + ":" + std::to_string(d.location->column) +
                  " " + d.code + ": " + d.message);
  }
  return out;
}

}  // namespace

TEST_CASE("accepted exceptions are read with their approver, rationale and dates",
          "[config][accepted]") {
  TempDir dir;
  dir.write("accepted.toml", R"(# accepted by the committee
[[accepted]]
indicator = "dtoc"
criterion = "off_target"
until = 2017-06-30
approver = "Director of Community Social Work"
rationale = "Winter pressures; recovery plan agreed"
approved_on = 2017-04-20

[[accepted]]
indicator = "mh_employment"
until = "2017-12-31"
approver = "Committee"
rationale = "Joint action plan"
)");
  auto loaded = load_acceptances(catalogue_at(dir));
  CHECK(loaded.diagnostics.empty());
  REQUIRE(loaded.acceptances.size() == 2);
  const Acceptance& a = loaded.acceptances[0];
  CHECK(a.indicator_id == "dtoc");
  CHECK(a.criterion == "off_target");
  CHECK(a.until == "2017-06-30");
  CHECK(a.approver == "Director of Community Social Work");
  CHECK(a.rationale == "Winter pressures; recovery plan agreed");
  CHECK(a.approved_on == "2017-04-20");
  CHECK(a.location.line == 2);
  CHECK(loaded.acceptances[1].criterion.empty());
  CHECK(loaded.acceptances[1].until == "2017-12-31");
}

TEST_CASE("a catalogue without accepted.toml accepts nothing, quietly", "[config][accepted]") {
  TempDir dir;
  auto loaded = load_acceptances(catalogue_at(dir));
  CHECK(loaded.acceptances.empty());
  CHECK(loaded.diagnostics.empty());
}

TEST_CASE("every mistake in accepted.toml is located and its entry left out",
          "[config][accepted]") {
  TempDir dir;
  dir.write("accepted.toml", R"([[accepted]]
indicator = "dtoc"
until = "2017-02-30"
approver = "Someone"
rationale = "Because"

[[accepted]]
indicator = "nope"
until = 2017-06-30
approver = ""
rationale = "Because"
expires = 2017-06-30

[[accepted]]
indicator = "dtoc"
until = 20170630
rationale = "Because"

[[accepted]]
indicator = "mh_employment"
until = 2017-06-30
approver = "A"
rationale = "First"

[[accepted]]
indicator = "mh_employment"
until = 2017-09-30
approver = "B"
rationale = "Second"
)");
  auto loaded = load_acceptances(catalogue_at(dir));
  REQUIRE(loaded.acceptances.size() == 1);
  CHECK(loaded.acceptances[0].approver == "A");
  CHECK(problems(loaded.diagnostics) ==
        std::vector<std::string>{
            "3:9 config.bad_value: accepted.until is '2017-02-30'; expected a date such as "
            "2017-06-30",
            "8:13 accepted.unknown_indicator: accepted exception for indicator 'nope', which the "
            "catalogue does not define",
            "10:12 config.bad_value: accepted.approver must not be empty",
            "12:1 config.unknown_key: unknown key 'expires' in [[accepted]] (expected indicator, "
            "criterion, until, approver, rationale, approved_on)",
            "14:1 config.missing_key: [[accepted]] is missing required key 'approver'",
            "16:9 config.type: accepted.until must be a date such as 2017-06-30, found integer",
            "25:1 accepted.duplicate: indicator 'mh_employment' is already accepted at " +
                (dir / "accepted.toml").string() + ":19:1"});
}

TEST_CASE("a TOML syntax error in accepted.toml is located", "[config][accepted]") {
  TempDir dir;
  dir.write("accepted.toml", "[[accepted]]\nindicator = \"dtoc\nuntil = 2017-06-30\n");
  auto loaded = load_acceptances(catalogue_at(dir));
  CHECK(loaded.acceptances.empty());
  REQUIRE(loaded.diagnostics.size() == 1);
  CHECK(loaded.diagnostics[0].code == "config.syntax");
  CHECK(loaded.diagnostics[0].location->line == 2);
}

TEST_CASE("dates must be real calendar days", "[config][accepted]") {
  CHECK(is_iso_date("2017-06-30"));
  CHECK(is_iso_date("2016-02-29"));
  CHECK(is_iso_date("2000-02-29"));
  CHECK_FALSE(is_iso_date("1900-02-29"));
  CHECK_FALSE(is_iso_date("2017-02-29"));
  CHECK_FALSE(is_iso_date("2017-13-01"));
  CHECK_FALSE(is_iso_date("2017-6-30"));
  CHECK_FALSE(is_iso_date("30/06/2017"));
  CHECK_FALSE(is_iso_date("2017-06-00"));
}
