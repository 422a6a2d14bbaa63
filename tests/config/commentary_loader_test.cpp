// SPDX-License-Identifier: Apache-2.0
#include "config/commentary_loader.hpp"

#include <filesystem>
#include <string>
#include <vector>

#include "catch.hpp"
#include "config/catalogue_loader.hpp"
#include "support/temp_dir.hpp"

using namespace vitals;
using vitals::detail::load_commentary;
using vitals::detail::LoadedCommentary;
using vitals::testing::TempDir;

namespace {

// A catalogue rooted at `dir` with indicators "dtoc" and "ld_employment".
Catalogue catalogue_at(const TempDir& dir) {
  Catalogue c;
  c.root = dir.path();
  for (const char* id : {"dtoc", "ld_employment"}) {
    IndicatorDefinition d;
    d.id = id;
    c.indicators.push_back(d);
  }
  return c;
}

std::string lines(const std::vector<Diagnostic>& diagnostics) {
  std::string out;
  for (const Diagnostic& d : diagnostics) out += d.to_string() + "\n";
  return out;
}

constexpr const char* kMarkdown = R"(# Delays

## What explains current performance?

The rate rose to 3.56.

- One
- Two

## What will success look like?
Back at 1.5.

## Action required ##

1. Review weekly.
)";

}  // namespace

TEST_CASE("commentary is read from TOML entries and Markdown files, sorted by indicator and period",
          "[config][commentary]") {
  TempDir dir;
  dir.write("commentary/dtoc.toml", R"([[commentary]]
from = "2017-03"
explanation = "  Latest.  "
success = "Target met."
actions = "- Act."

[[commentary]]
from = "2016-10"
explanation = "Earlier."
)");
  dir.write("commentary/dtoc/2017-01.md", kMarkdown);
  dir.write("commentary/.dtoc.toml.swp", "editor noise");
  LoadedCommentary loaded = load_commentary(catalogue_at(dir));
  INFO(lines(loaded.diagnostics));
  CHECK(loaded.diagnostics.empty());
  const auto& e = loaded.commentary.entries;
  REQUIRE(e.size() == 3);
  CHECK(e[0].from.to_string() == "2016-10");
  CHECK(e[0].explanation == "Earlier.");
  CHECK(e[0].success.empty());
  CHECK(e[0].location == SourceLocation{(dir / "commentary/dtoc.toml").string(), 7, 1});
  CHECK(e[1].from.to_string() == "2017-01");
  CHECK(e[1].explanation == "The rate rose to 3.56.\n\n- One\n- Two");
  CHECK(e[1].success == "Back at 1.5.");
  CHECK(e[1].actions == "1. Review weekly.");
  CHECK(e[1].location == SourceLocation{(dir / "commentary/dtoc/2017-01.md").string(), 1, 1});
  CHECK(e[2].from.to_string() == "2017-03");
  CHECK(e[2].explanation == "Latest.");
  CHECK(e[2].actions == "- Act.");
}

TEST_CASE("the latest commentary starting by the reporting period applies", "[config][commentary]") {
  TempDir dir;
  dir.write("commentary/dtoc.toml", R"([[commentary]]
from = "2016-10"
explanation = "October."

[[commentary]]
from = "2017-Q1"
explanation = "First quarter."
)");
  dir.write("commentary/dtoc/2017-03.md", "## Action required\nMarch.\n");
  CommentarySet set = load_commentary(catalogue_at(dir)).commentary;
  CHECK(set.find("dtoc", Period::month(2016, 9)) == nullptr);
  CHECK(set.find("dtoc", Period::month(2016, 10))->explanation == "October.");
  CHECK(set.find("dtoc", Period::month(2016, 12))->explanation == "October.");
  // A quarter applies from its first month; the March file starts later.
  CHECK(set.find("dtoc", Period::month(2017, 1))->explanation == "First quarter.");
  CHECK(set.find("dtoc", Period::month(2017, 2))->explanation == "First quarter.");
  CHECK(set.find("dtoc", Period::month(2017, 3))->actions == "March.");
  CHECK(set.find("dtoc", Period::quarter(2017, 1))->actions == "March.");
  CHECK(set.find("dtoc", Period::month(2018, 6))->actions == "March.");
  CHECK(set.find("ld_employment", Period::month(2017, 3)) == nullptr);
}

TEST_CASE("commentary files are checked strictly, each problem located", "[config][commentary]") {
  TempDir dir;
  const std::string root = (dir / "commentary").string();

  SECTION("unknown keys, wrong types, a missing from and a bad period") {
    dir.write("commentary/dtoc.toml", R"([[commentary]]
from = "2017-13"
explanation = "x"

[[commentary]]
explaination = "typo"
from = "2017-03"

[[commentary]]
success = 3
)");
    LoadedCommentary loaded = load_commentary(catalogue_at(dir));
    CHECK(lines(loaded.diagnostics) ==
          root + "/dtoc.toml:2:8: error: from: invalid period '2017-13': expected YYYY-MM (month), YYYY-Qn "
                     "(quarter), YYYY (year), YYYY/YY (financial year) or YYYY/YY-Qn (financial quarter) [commentary.bad_period]\n" +
              root + "/dtoc.toml:6:1: error: unknown key 'explaination' in [[commentary]]; did you mean 'explanation'? "
                     "[config.unknown_key]\n" +
              root + "/dtoc.toml:9:1: error: [[commentary]] is missing required key 'from' [config.missing_key]\n" +
              root + "/dtoc.toml:10:11: error: success must be a string, found integer [config.type]\n");
    CHECK(loaded.commentary.entries.empty());
    CHECK(loaded.diagnostics[0].indicator_id == "dtoc");
  }
  SECTION("TOML syntax") {
    dir.write("commentary/dtoc.toml", "[[commentary]]\nfrom = \"2017-03\nx\n");
    LoadedCommentary loaded = load_commentary(catalogue_at(dir));
    REQUIRE(loaded.diagnostics.size() == 1);
    CHECK(loaded.diagnostics[0].code == "config.syntax");
    CHECK(loaded.diagnostics[0].location->line == 2);
  }
  SECTION("an indicator the catalogue does not define") {
    dir.write("commentary/dtco.toml", "[[commentary]]\nfrom = \"2017-03\"\n");
    dir.write("commentary/unknown_thing/2017-03.md", "## Action required\nx\n");
    LoadedCommentary loaded = load_commentary(catalogue_at(dir));
    CHECK(lines(loaded.diagnostics) ==
          root + "/dtco.toml: error: 'dtco' is not an indicator of the catalogue; did you mean 'dtoc'? "
                 "[commentary.unknown_indicator]\n" +
              root + "/unknown_thing: error: 'unknown_thing' is not an indicator of the catalogue "
                     "[commentary.unknown_indicator]\n");
  }
  SECTION("Markdown: unknown and repeated sections, a bad file name, stray files") {
    dir.write("commentary/dtoc/2017-03.md",
              "## What explains current performance\nok\n## Why is this important?\nno\n"
              "## what explains current performance?\nagain\n");
    dir.write("commentary/dtoc/March.md", "## Action required\nx\n");
    dir.write("commentary/dtoc/notes.txt", "x");
    dir.write("commentary/README.md", "x");
    LoadedCommentary loaded = load_commentary(catalogue_at(dir));
    CHECK(lines(loaded.diagnostics) ==
          root + "/README.md: warning: ignored: commentary/ holds <indicator id>.toml files and <indicator id>/ "
                 "directories [commentary.unexpected_file]\n" +
              root + "/dtoc/2017-03.md:3:1: error: unknown section 'Why is this important?'; the sections are "
                     "'What explains current performance?', 'What will success look like?' or 'Action required' "
                     "[commentary.unknown_section]\n" +
              root + "/dtoc/2017-03.md:5:1: error: section 'What explains current performance?' is already given "
                     "at line 1 [commentary.duplicate_section]\n" +
              root + "/dtoc/March.md: error: the file name must be a period followed by .md (2017-03.md, 2017-Q1.md, "
                     "2017.md, or 2016_17.md for 2016/17): invalid period 'March': expected YYYY-MM (month), "
                     "YYYY-Qn (quarter), YYYY (year), YYYY/YY (financial year) or YYYY/YY-Qn (financial quarter) [commentary.bad_period]\n" +
              root + "/dtoc/notes.txt: warning: ignored: commentary/<indicator id>/ holds <period>.md files "
                     "[commentary.unexpected_file]\n");
    CHECK(loaded.commentary.entries.empty());
  }
  SECTION("the same period in both forms: an error, and the Markdown file is used") {
    dir.write("commentary/dtoc.toml", "[[commentary]]\nfrom = \"2017-03\"\nexplanation = \"toml\"\n");
    dir.write("commentary/dtoc/2017-03.md", "## What explains current performance?\nmarkdown\n");
    LoadedCommentary loaded = load_commentary(catalogue_at(dir));
    CHECK(lines(loaded.diagnostics) ==
          root + "/dtoc/2017-03.md:1:1: error: commentary for 'dtoc' from 2017-03 is already given at " + root +
              "/dtoc.toml:1:1; this file is used until one of them is removed [commentary.duplicate]\n");
    REQUIRE(loaded.commentary.entries.size() == 1);
    CHECK(loaded.commentary.entries[0].explanation == "markdown");
  }
  SECTION("warnings: no text at all, and text outside the sections") {
    dir.write("commentary/ld_employment.toml", "[[commentary]]\nfrom = \"2016/17\"\n");
    dir.write("commentary/dtoc/2016_17.md", "# Title\n\nStray text.\n\n## Action required\nDo it.\n");
    LoadedCommentary loaded = load_commentary(catalogue_at(dir));
    CHECK(lines(loaded.diagnostics) ==
          root + "/dtoc/2016_17.md:3:1: warning: text before the first section is not shown on the card "
                 "[commentary.text_outside_section]\n" +
              root + "/ld_employment.toml:1:1: warning: this commentary has no text, so the card still asks for "
                     "it [commentary.empty]\n");
    REQUIRE(loaded.commentary.entries.size() == 2);
    CHECK(loaded.commentary.entries[0].from.to_string() == "2016/17");
    CHECK(loaded.commentary.entries[0].actions == "Do it.");
  }
}

TEST_CASE("a target the commentary states that differs from the catalogue's is a located warning",
          "[config][commentary]") {
  TempDir dir;
  Catalogue catalogue = catalogue_at(dir);
  catalogue.indicators[1].target.kind = Target::Kind::kFixed;
  catalogue.indicators[1].target.fixed_value = 4.0;
  catalogue.indicators[1].unit = Unit::kPercent;
  dir.write("commentary/ld_employment.toml", R"([[commentary]]
from = "2017-03"
stated_targets = { "2017-03" = 5.0, "2016-03" = 4 }
explanation = "Below target."
success = "5% by the end of 2016/17."
actions = "- Act."
)");
  LoadedCommentary loaded = load_commentary(catalogue);
  REQUIRE(loaded.diagnostics.size() == 1);
  const Diagnostic& d = loaded.diagnostics[0];
  CHECK(d.severity == Severity::kWarning);
  CHECK(d.code == "commentary.target_conflict");
  CHECK(d.indicator_id == "ld_employment");
  CHECK(*d.location == SourceLocation{(dir / "commentary/ld_employment.toml").string(), 3, 20});
  CHECK(d.message ==
        "the commentary states a target of 5.0% for Mar 2017, where the catalogue's target for "
        "'ld_employment' is 4.0%; reports show the catalogue's: correct whichever is wrong");
  // The commentary itself is kept: the warning does not drop the card's words.
  REQUIRE(loaded.commentary.entries.size() == 1);

  // The figures are written as the cards write the indicator's: its unit and
  // decimals, with more decimals only where the two would read the same.
  auto stated = [&](const std::string& value) {
    TempDir one;
    one.write("commentary/ld_employment.toml", "[[commentary]]\nfrom = \"2017-03\"\n"
                                               "stated_targets = { \"2017-03\" = " + value + " }\n"
                                               "explanation = \"x\"\nsuccess = \"y\"\nactions = \"z\"\n");
    Catalogue c = catalogue;
    c.root = one.path();
    LoadedCommentary l = load_commentary(c);
    REQUIRE(l.diagnostics.size() == 1);
    const std::string& m = l.diagnostics[0].message;
    const std::string from = "states a target of ";
    const std::size_t a = m.find(from) + from.size();
    const std::string is = "' is ";
    const std::size_t b = m.find(is) + is.size();
    return m.substr(a, m.find(' ', a) - a) + " / " + m.substr(b, m.find(';', b) - b);
  };
  CHECK(stated("4.02") == "4.02% / 4.00%");
  catalogue.indicators[1].decimals = 2;
  CHECK(stated("5") == "5.00% / 4.00%");
  catalogue.indicators[1].unit = Unit::kCurrency;
  catalogue.indicators[1].decimals = std::nullopt;
  catalogue.indicators[1].target.fixed_value = 1500000;
  CHECK(stated("1250000") == "£1,250,000 / £1,500,000");

  // No catalogue target for the period: nothing to compare with.
  TempDir plain;
  plain.write("commentary/dtoc.toml", R"([[commentary]]
from = "2017-03"
stated_targets = { "2017-03" = 1.5 }
explanation = "x"
success = "y"
actions = "z"
)");
  CHECK(load_commentary(catalogue_at(plain)).diagnostics.empty());

  // A bad period or a value that is not a number is an error at its place.
  TempDir bad;
  bad.write("commentary/ld_employment.toml", R"([[commentary]]
from = "2017-03"
stated_targets = { "2017-13" = 5.0, "2017-02" = "five" }
explanation = "x"
success = "y"
actions = "z"
)");
  LoadedCommentary errors = load_commentary(catalogue_at(bad));
  INFO(lines(errors.diagnostics));
  REQUIRE(errors.diagnostics.size() == 2);
  CHECK(errors.diagnostics[0].code == "commentary.bad_period");
  CHECK(errors.diagnostics[0].location->line == 3);
  CHECK(errors.diagnostics[1].code == "config.type");
  CHECK(errors.diagnostics[1].message.find("stated_targets.2017-02") != std::string::npos);
}

TEST_CASE("a catalogue without a commentary directory has no commentary", "[config][commentary]") {
  TempDir dir;
  LoadedCommentary loaded = load_commentary(catalogue_at(dir));
  CHECK(loaded.diagnostics.empty());
  CHECK(loaded.commentary.entries.empty());
}

TEST_CASE("the Norfolk example's commentary is the council's cards, one section awaited as printed",
          "[config][commentary][example]") {
  auto catalogue = detail::load_catalogue(std::string(VITALS_SOURCE_DIR) + "/examples/norfolk");
  REQUIRE(catalogue.catalogue);
  LoadedCommentary loaded = load_commentary(*catalogue.catalogue);
  INFO(lines(loaded.diagnostics));
  // Its one warning: the LD card states the 5% the dashboard prints as 4.0%.
  REQUIRE(loaded.diagnostics.size() == 1);
  CHECK(loaded.diagnostics[0].code == "commentary.target_conflict");
  REQUIRE(loaded.diagnostics[0].location);
  CHECK(loaded.diagnostics[0].location->file ==
        std::string(VITALS_SOURCE_DIR) + "/examples/norfolk/commentary/ld_paid_employment_pct.toml");
  CHECK(loaded.diagnostics[0].location->line == 10);
  CHECK(loaded.diagnostics[0].message.find("a target of 5.0% for Mar 2017, where the catalogue's target "
                                           "for 'ld_paid_employment_pct' is 4.0%;") != std::string::npos);
  const Period march = Period::month(2017, 3);
  for (const char* id : {"dtoc_social_care_per_100k", "ld_paid_employment_pct", "mh_paid_employment_pct",
                         "admissions_18_64_per_100k", "admissions_65_plus_per_100k"}) {
    const Commentary* c = loaded.commentary.find(id, march);
    INFO(id);
    REQUIRE(c != nullptr);
    CHECK(c->from == march);
    for (CommentarySection s : kCommentarySections) {
      // The 65+ card's background holds only its chart (paper 000, line 1277).
      const bool printed = !(std::string(id) == "admissions_65_plus_per_100k" &&
                             s == CommentarySection::kExplanation);
      CHECK(c->section(s).empty() != printed);
    }
  }
  // The council's own words, e.g. the 18-64 card's "first time in 9 months".
  CHECK(loaded.commentary.find("admissions_18_64_per_100k", march)->explanation.find(
            "the first time in 9 months") != std::string::npos);
  // The October entry applied before March.
  CHECK(loaded.commentary.find("dtoc_social_care_per_100k", Period::month(2017, 2))->from ==
        Period::month(2016, 10));
}

// Issue 12, case 7: a commentary file linked to a file outside the catalogue
// was followed and its text published.
TEST_CASE("commentary is read from inside the catalogue folder only", "[config][commentary]") {
  TempDir outside;
  outside.write("notes.md", std::string("## What explains current performance?\nPRIVATE\n"));
  outside.write("notes.toml", "[[commentary]]\nfrom = \"2017-03\"\nexplanation = \"PRIVATE\"\n");
  TempDir dir;
  dir.write("commentary/ld_employment.toml",
            "[[commentary]]\nfrom = \"2017-03\"\nexplanation = \"Ours.\"\n");
  std::filesystem::create_directories(dir / "commentary/dtoc");
  std::filesystem::create_symlink(outside / "notes.md", dir / "commentary/dtoc/2017-03.md");
  std::filesystem::create_symlink(outside / "notes.toml", dir / "commentary/dtoc.toml");

  LoadedCommentary loaded = load_commentary(catalogue_at(dir));
  INFO(lines(loaded.diagnostics));
  REQUIRE(loaded.diagnostics.size() == 2);
  const std::string real_outside = std::filesystem::canonical(outside.path()).string();
  const std::string real_dir = std::filesystem::canonical(dir.path()).string();
  for (const auto& [d, file] : {std::pair{loaded.diagnostics[0], "commentary/dtoc.toml"},
                                std::pair{loaded.diagnostics[1], "commentary/dtoc/2017-03.md"}}) {
    CHECK(d.severity == Severity::kError);
    CHECK(d.code == "config.outside_catalogue");
    CHECK(d.location->file == (dir / file).string());
    CHECK(d.message == "'" + (dir / file).string() + "' leads to " + real_outside + "/notes." +
                           (std::string(file).back() == 'd' ? "md" : "toml") +
                           ", outside the catalogue folder " + real_dir +
                           "; files of a catalogue must lie inside its folder (a symbolic link "
                           "must point inside it too)");
  }
  REQUIRE(loaded.commentary.entries.size() == 1);
  CHECK(loaded.commentary.entries[0].indicator_id == "ld_employment");

  SECTION("a link inside pointing inside is followed") {
    dir.write("shared/dtoc.toml", "[[commentary]]\nfrom = \"2017-03\"\nexplanation = \"Shared.\"\n");
    std::filesystem::remove(dir / "commentary/dtoc.toml");
    std::filesystem::remove_all(dir / "commentary/dtoc");
    std::filesystem::create_symlink(dir / "shared/dtoc.toml", dir / "commentary/dtoc.toml");
    LoadedCommentary again = load_commentary(catalogue_at(dir));
    INFO(lines(again.diagnostics));
    CHECK(again.diagnostics.empty());
    CHECK(again.commentary.entries.size() == 2);
  }
}
