// SPDX-License-Identifier: Apache-2.0
// The committee report API: what the page holds, the files written, the
// cards awaiting commentary, and templates a council overrides.
#include <sstream>

#include <vitals/report.hpp>

#include "catch.hpp"
#include "report/norfolk_fixture.hpp"
#include "report/presentation.hpp"
#include "support/occurrences.hpp"
#include "support/temp_dir.hpp"

using namespace vitals;
using vitals::testing::occurrences;
using vitals::testing::read_file;
using vitals::testing::TempDir;

namespace {

struct Fixture {
  Catalogue catalogue = testing::norfolk_catalogue();
  EvaluationReport report = testing::norfolk_report(catalogue);
  CommentarySet commentary = testing::norfolk_commentary();
  std::filesystem::path template_dir;

  ReportInputs inputs() const { return ReportInputs{catalogue, report, commentary, template_dir, ""}; }

  std::string render(DocumentFormat format, std::vector<Diagnostic>* diagnostics = nullptr) const {
    std::ostringstream out;
    Status st = render_committee_report(inputs(), format, out, diagnostics);
    INFO(st.to_string());
    REQUIRE(st.is_ok());
    return out.str();
  }
};

}  // namespace

TEST_CASE("document formats parse by name", "[report][document]") {
  CHECK(*parse_document_format("html") == DocumentFormat::kHtml);
  CHECK(*parse_document_format("markdown") == DocumentFormat::kMarkdown);
  CHECK(*parse_document_format("md") == DocumentFormat::kMarkdown);
  CHECK(*parse_document_format("json") == DocumentFormat::kJson);
  auto bad = parse_document_format("pdf");
  REQUIRE_FALSE(bad.ok());
  CHECK(bad.status().message() == "unknown document format 'pdf': expected html, markdown or json");
  CHECK(std::string(document_format_extension(DocumentFormat::kMarkdown)) == "md");
}

TEST_CASE("the committee report lists the exceptions as the paper does, then dashboard, cards and prompts",
          "[report][document]") {
  std::string html = Fixture().render(DocumentFormat::kHtml);
  CHECK(html.find("<p>The following indicators are reported as exceptions on this occasion:</p>") != std::string::npos);
  CHECK(html.find("<li><span class=\"letter\">c.</span> <a href=\"#card-dtoc_social_care_per_100k\">Number of days "
                  "delay in transfers of care per 100,000 population (attributable to social care)</a> <span "
                  "class=\"reasons\">(off target, deteriorating)</span></li>") != std::string::npos);
  CHECK(occurrences(html, "<article class=\"card\"") == 5);
  // In order: summary, dashboard, cards, discussion.
  auto summary = html.find("id=\"summary-heading\"");
  auto dashboard = html.find("id=\"dashboard-heading\"");
  auto cards = html.find("id=\"cards-heading\"");
  auto discussion = html.find("id=\"discussion-heading\"");
  CHECK(summary < dashboard);
  CHECK(dashboard < cards);
  CHECK(cards < discussion);
  for (std::string_view prompt : detail::kDiscussionPrompts) {
    CHECK(html.find("<li>" + std::string(prompt) + "</li>") != std::string::npos);
  }
  CHECK(html.find("<li>Escalate to Policy and Resources Committee</li>") != std::string::npos);
  // Self-contained: no external stylesheet, script, image or font.
  CHECK(html.find("<link") == std::string::npos);
  CHECK(html.find("<script") == std::string::npos);
  CHECK(html.find("src=\"http") == std::string::npos);
  CHECK(html.find("url(") == std::string::npos);
  CHECK(html.find("@media print") != std::string::npos);
  CHECK(html.find("break-before: page") != std::string::npos);
}

TEST_CASE("dashboard cells carry the rating in shape and words, and show gaps and missing targets",
          "[report][document]") {
  std::string html = Fixture().render(DocumentFormat::kHtml);
  // dtoc, March 2017: red, with the shape and a word for screen readers.
  CHECK(html.find("<td class=\"cell rag-red\" title=\"Mar 2017: 3.56, target 1.50, Red\"><span class=\"v\">3.56</span> "
                  "<span class=\"chip\" aria-hidden=\"true\">■</span><span class=\"sr\"> Red</span></td>") !=
        std::string::npos);
  // No target: no colour, no chip; numerator / denominator under percentages.
  CHECK(html.find("<td class=\"cell rag-none\" title=\"Mar 2017: 88.6%, no target set\"><span class=\"v\">88.6%</span>"
                  "<span class=\"ratio\">413 / 466</span></td>") != std::string::npos);
  // Time lag: CQC has no figures after December.
  CHECK(html.find("<td class=\"cell missing\" title=\"Jan 2017: no data (time lag)\"><span aria-hidden=\"true\">–</span>"
                  "<span class=\"sr\">No data (time lag)</span></td>") != std::string::npos);
  CHECK(html.find("<td class=\"target\">1.50<span class=\"note\">profiled</span></td>") != std::string::npos);
  CHECK(html.find("<td class=\"target\"><span class=\"sr\">No target set</span></td>") != std::string::npos);
  CHECK(html.find("<th scope=\"col\">Bigger or Smaller is better</th>") != std::string::npos);
  CHECK(html.find("<caption>Monthly vital signs: the latest 13 periods</caption>") != std::string::npos);
}

TEST_CASE("every figure of an indicator has its decimals, on the dashboard and its card",
          "[report][document]") {
  const Fixture f;
  std::string html = f.render(DocumentFormat::kHtml);
  // Delayed transfers, two decimals: August 2016's 3.0 reads 3.00 beside March 2017's 3.56.
  CHECK(html.find("title=\"Aug 2016: 3.00, target 1.50, Red\"><span class=\"v\">3.00</span>") !=
        std::string::npos);
  // Mental health paid employment, a percentage with one decimal: 2.0%, not 2%.
  CHECK(html.find("title=\"Mar 2017: 2.0%, target 3.7%, Red\"><span class=\"v\">2.0%</span>") !=
        std::string::npos);
  // Service users 65+, decimals = 0: whole numbers with thousands separated.
  CHECK(html.find("<span class=\"v\">3,404</span>") != std::string::npos);
  // The card's rule message shows the same figures as the card.
  std::string md = f.render(DocumentFormat::kMarkdown);
  CHECK(md.find("**Mar 2017: 2.0%** against a target of 3.7%") != std::string::npos);
  CHECK(md.find("off target: 2.0% against a target of 3.7%: 46% worse than target") != std::string::npos);
  CHECK(md.find("deteriorating: worse for 3 consecutive months: 3.20 → 3.40 → 3.50 → 3.56") !=
        std::string::npos);
  CHECK(md.find(" 3 ■ ") == std::string::npos);  // the paper's 3.0 is never shown as 3
}

TEST_CASE("a card without commentary is produced, marked, and listed as awaiting it", "[report][document]") {
  Fixture f;
  auto awaiting = awaiting_commentary(f.inputs());
  REQUIRE(awaiting.size() == 3);
  CHECK(awaiting[0].indicator_id == "admissions_18_64_per_100k");
  CHECK(awaiting[0].lead_officer == "Director of Community Social Work");
  CHECK(awaiting[0].missing == std::vector<CommentarySection>{CommentarySection::kExplanation,
                                                               CommentarySection::kSuccess, CommentarySection::kActions});
  CHECK(awaiting[1].indicator_id == "admissions_65_plus_per_100k");
  CHECK(awaiting[2].indicator_id == "ld_paid_employment_pct");
  CHECK(awaiting[2].missing == std::vector<CommentarySection>{CommentarySection::kActions});

  std::string html = f.render(DocumentFormat::kHtml);
  CHECK(html.find("<h3>Report cards awaiting commentary</h3>") != std::string::npos);
  CHECK(html.find("<li><a href=\"#card-ld_paid_employment_pct\">d. % People receiving Learning Disabilities services "
                  "in paid employment</a>: Commentary required from Assistant Director, Learning Disabilities for \u201cAction "
                  "required\u201d.</li>") != std::string::npos);
  CHECK(html.find("<p class=\"awaiting\" role=\"note\">Commentary required from Director of Community Social "
                  "Work</p>") != std::string::npos);
  CHECK(occurrences(html, "<p class=\"required\">Commentary required from Director of Community Social Work</p>") == 6);
  CHECK(occurrences(html, "<p class=\"required\">Commentary required from Assistant Director, Learning Disabilities</p>") ==
        1);
}

TEST_CASE("the latest commentary at or before the period is used, and its date shown when older",
          "[report][document]") {
  Fixture f;
  std::string html = f.render(DocumentFormat::kHtml);
  CHECK(html.find("<p>The rate fell from 2.3% in December to 2.1% in January.</p>") != std::string::npos);
  CHECK(html.find("<p class=\"note\">Commentary as at Jan 2017.</p>") != std::string::npos);
  // Lists in commentary become lists.
  CHECK(html.find("<ol>\n  <li>Confirm the January figures with the data owner.</li>\n  <li>Report back in "
                  "March.</li>\n</ol>") != std::string::npos);

  // Commentary from after the period does not apply.
  f.report.period = Period::month(2016, 12);
  CHECK(f.commentary.find("mh_paid_employment_pct", f.report.period) == nullptr);
  CHECK(f.render(DocumentFormat::kHtml).find("The rate fell from 2.3%") == std::string::npos);
}

TEST_CASE("with no exceptions the report says so and has no cards", "[report][document]") {
  Fixture f;
  for (IndicatorResult& r : f.report.indicators) r.is_exception = false;
  std::string html = f.render(DocumentFormat::kHtml);
  CHECK(html.find("<p>No indicators are reported as exceptions on this occasion.</p>") != std::string::npos);
  CHECK(html.find("<article") == std::string::npos);
  CHECK(html.find("id=\"dashboard-heading\"") != std::string::npos);
  std::string md = f.render(DocumentFormat::kMarkdown);
  CHECK(md.find("No indicators are reported as exceptions on this occasion.") != std::string::npos);
  CHECK(md.find("## Report cards") == std::string::npos);
}

TEST_CASE("write_committee_report writes the report and one card per exception", "[report][document]") {
  Fixture f;
  TempDir dir;
  WrittenReport written;
  REQUIRE(write_committee_report(f.inputs(), DocumentFormat::kHtml, dir / "out", &written).is_ok());
  std::vector<std::filesystem::path> expected = {
      dir / "out" / "committee-report-2017-03.html",
      dir / "out" / "cards" / "admissions_18_64_per_100k-2017-03.html",
      dir / "out" / "cards" / "admissions_65_plus_per_100k-2017-03.html",
      dir / "out" / "cards" / "dtoc_social_care_per_100k-2017-03.html",
      dir / "out" / "cards" / "ld_paid_employment_pct-2017-03.html",
      dir / "out" / "cards" / "mh_paid_employment_pct-2017-03.html",
  };
  CHECK(written.files == expected);
  CHECK(written.diagnostics.empty());
  CHECK(written.awaiting_commentary.size() == 3);
  CHECK(read_file(expected[0]) == f.render(DocumentFormat::kHtml));
  std::string card = read_file(expected[3]);
  CHECK(occurrences(card, "<article class=\"card\"") == 1);
  CHECK(card.find("<title>Number of days delay in transfers of care per 100,000 population (attributable to social "
                  "care): report card, Mar 2017</title>") != std::string::npos);
  // Nothing but the files: no temporary left behind.
  std::size_t entries = 0;
  for (const auto& e : std::filesystem::recursive_directory_iterator(dir / "out")) {
    if (e.is_regular_file()) ++entries;
  }
  CHECK(entries == expected.size());

  WrittenReport json;
  REQUIRE(write_committee_report(f.inputs(), DocumentFormat::kJson, dir / "json", &json).is_ok());
  CHECK(json.files == std::vector<std::filesystem::path>{dir / "json" / "committee-report-2017-03.json"});
}

TEST_CASE("a financial year is written with an underscore in file names", "[report][document]") {
  CHECK(detail::period_file_text(*Period::parse("2016/17")) == "2016_17");
  CHECK(detail::period_file_text(*Period::parse("2017-Q1")) == "2017-Q1");
  CHECK(detail::period_file_text(*Period::parse("2017/18-Q1")) == "2017_18-Q1");
}

TEST_CASE("financial quarters are labelled as councils say them", "[report][document]") {
  const Period q1 = Period::financial_quarter(2017, 1);
  CHECK(detail::period_label_lines(q1) == std::array<std::string, 2>{"Q1", "2017/18"});
  CHECK(std::string(detail::frequency_label(Frequency::kFinancialQuarterly)) == "Financial quarter");
}

TEST_CASE("an unwritable output directory is an I/O error", "[report][document]") {
  Fixture f;
  TempDir dir;
  testing::TempDir().write("x", "");
  auto blocker = dir.write("file", "not a directory");
  Status st = write_committee_report(f.inputs(), DocumentFormat::kHtml, blocker / "out");
  CHECK(st.code() == StatusCode::kIoError);
}

TEST_CASE("a single card renders on its own, in every format", "[report][document]") {
  Fixture f;
  std::ostringstream md;
  REQUIRE(render_card(f.inputs(), "home_91_days_after_reablement", DocumentFormat::kMarkdown, md).is_ok());
  // Not an exception: no letter, no reasons.
  CHECK(md.str().find("### % of people still at home 91 days after completing reablement\n") != std::string::npos);
  std::ostringstream json;
  REQUIRE(render_card(f.inputs(), "dtoc_social_care_per_100k", DocumentFormat::kJson, json).is_ok());
  CHECK(json.str().find("\"format\": \"vitals.card/1\"") != std::string::npos);
  CHECK(json.str().find("\"letter\": \"c\"") != std::string::npos);
  std::ostringstream none;
  Status st = render_card(f.inputs(), "nope", DocumentFormat::kHtml, none);
  CHECK(st.code() == StatusCode::kNotFound);
  CHECK(st.message() == "no indicator 'nope' in the report");
}

TEST_CASE("a council's template directory replaces built-in templates and adds partials", "[report][templates]") {
  Fixture f;
  TempDir dir;
  f.template_dir = dir.path();
  dir.write("header.html", "<header class=\"masthead\">{{>logo}} <h1>{{document.heading}}</h1></header>\n");
  dir.write("logo.html", "<img alt=\"Council logo\" src=\"data:image/png;base64,AAAA\">");
  dir.write("notes.txt", "ignored: not a template");
  std::vector<Diagnostic> diagnostics;
  std::string html = f.render(DocumentFormat::kHtml, &diagnostics);
  CHECK(diagnostics.empty());
  CHECK(html.find("<header class=\"masthead\"><img alt=\"Council logo\" src=\"data:image/png;base64,AAAA\"> "
                  "<h1>Adult Social Care Committee</h1></header>") != std::string::npos);
  // The other templates are still the built-in ones.
  CHECK(occurrences(html, "<article class=\"card\"") == 5);
  // Markdown is untouched by HTML overrides.
  CHECK(f.render(DocumentFormat::kMarkdown).find("# Adult Social Care Committee\n") != std::string::npos);
}

TEST_CASE("template mistakes are located diagnostics, not a broken page", "[report][templates]") {
  Fixture f;
  TempDir dir;
  f.template_dir = dir.path();

  SECTION("a syntax error names the override file, line and column") {
    dir.write("card.html", "<article>\n  {{#reasons}}{{label}}\n</article>\n");
    std::ostringstream out;
    std::vector<Diagnostic> diagnostics;
    Status st = render_committee_report(f.inputs(), DocumentFormat::kHtml, out, &diagnostics);
    CHECK(st.code() == StatusCode::kValidationError);
    REQUIRE(diagnostics.size() == 1);
    CHECK(diagnostics[0].to_string() == (dir / "card.html").string() +
                                            ":2:3: error: section '{{#reasons}}' is never closed with "
                                            "'{{/reasons}}' [template.unclosed_section]");
    CHECK(st.message() == "report templates: " + diagnostics[0].to_string());
    CHECK(out.str().empty());
  }
  SECTION("a misspelt name is found when rendering") {
    dir.write("footer.html", "<footer>{{document.titel}}</footer>\n");
    WrittenReport written;
    Status st = write_committee_report(f.inputs(), DocumentFormat::kHtml, dir / "out", &written);
    CHECK(st.code() == StatusCode::kValidationError);
    REQUIRE(written.diagnostics.size() == 1);
    CHECK(written.diagnostics[0].to_string() == (dir / "footer.html").string() +
                                                    ":1:9: error: 'document' has no field 'titel' "
                                                    "[template.unknown_name]");
    CHECK(written.files.empty());
  }
  SECTION("a missing template directory is reported") {
    f.template_dir = dir / "nope";
    std::ostringstream out;
    std::vector<Diagnostic> diagnostics;
    CHECK(render_committee_report(f.inputs(), DocumentFormat::kHtml, out, &diagnostics).code() ==
          StatusCode::kValidationError);
    REQUIRE(diagnostics.size() == 1);
    CHECK(diagnostics[0].code == "template.missing_dir");
  }
}

TEST_CASE("check_report_templates parses everything and flags files nothing uses", "[report][templates]") {
  CHECK(check_report_templates({}).empty());
  TempDir dir;
  dir.write("crad.html", "<p>{{title}}</p>");
  dir.write("header.html", "{{>logo}}");
  dir.write("logo.html", "<svg></svg>");
  dir.write("dashboard.md", "{{#rows}}");
  dir.write("footer.html", "<footer>\n  {{>colophon}}</footer>");
  auto diagnostics = check_report_templates(dir.path());
  REQUIRE(diagnostics.size() == 3);
  CHECK(diagnostics[0].to_string() == (dir / "dashboard.md").string() +
                                          ":1:1: error: section '{{#rows}}' is never closed with '{{/rows}}' "
                                          "[template.unclosed_section]");
  CHECK(diagnostics[1].to_string() == (dir / "footer.html").string() +
                                          ":2:3: error: no template 'colophon.html' for '{{>colophon}}' "
                                          "[template.unknown_partial]");
  CHECK(diagnostics[2].to_string() == (dir / "crad.html").string() +
                                          ": warning: 'crad.html' replaces no built-in template and no template "
                                          "includes it; check its name [template.unused_file]");
}

TEST_CASE("officers' text splits into paragraphs and lists", "[report][prose]") {
  auto blocks = detail::split_prose("First line\ncontinues.\n\n- one\n- two\n  wraps\n\n1. first\n2) second\n\nEnd.");
  REQUIRE(blocks.size() == 4);
  CHECK(blocks[0].kind == detail::ProseBlock::Kind::kParagraph);
  CHECK(blocks[0].text == "First line continues.");
  CHECK(blocks[1].kind == detail::ProseBlock::Kind::kBullets);
  CHECK(blocks[1].items == std::vector<std::string>{"one", "two wraps"});
  CHECK(blocks[2].kind == detail::ProseBlock::Kind::kNumbered);
  CHECK(blocks[2].items == std::vector<std::string>{"first", "second"});
  CHECK(blocks[3].text == "End.");
  CHECK(detail::split_prose("  \n\n ").empty());
  CHECK(detail::split_prose("3.56 is the rate")[0].kind == detail::ProseBlock::Kind::kParagraph);
}

TEST_CASE("cards and the summary say where an exception stands since the last report",
          "[report][document]") {
  Fixture f;
  IndicatorResult* dtoc = nullptr;
  IndicatorResult* ld = nullptr;
  for (IndicatorResult& r : f.report.indicators) {
    if (r.indicator_id == "dtoc_social_care_per_100k") dtoc = &r;
    if (r.indicator_id == "ld_paid_employment_pct") ld = &r;
  }
  REQUIRE(dtoc != nullptr);
  REQUIRE(ld != nullptr);
  dtoc->lifecycle.state = ExceptionState::kContinuing;
  dtoc->lifecycle.first_reported = Period::month(2017, 1);
  dtoc->lifecycle.periods_reported = 3;
  ld->lifecycle.state = ExceptionState::kAccepted;
  ld->lifecycle.acceptance = Acceptance{"ld_paid_employment_pct", "off_target", "2017-06-30",
                                        "Executive Director", "a new employment service starts in May",
                                        "", {}};

  std::string html = f.render(DocumentFormat::kHtml);
  CHECK(html.find("<p class=\"note\">Reported by exception: continuing since Jan 2017 (3 "
                  "periods).</p>") != std::string::npos);
  CHECK(html.find("Reported by exception: accepted until 2017-06-30 by Executive Director: a new "
                  "employment service starts in May.") != std::string::npos);
  std::string md = f.render(DocumentFormat::kMarkdown);
  CHECK(md.find("Reported by exception: continuing since Jan 2017 (3 periods).") != std::string::npos);

  std::ostringstream summary;
  REQUIRE(render(f.report, ReportFormat::kText, summary).is_ok());
  CHECK(summary.str().find("       - status: continuing since Jan 2017 (3 periods)\n") !=
        std::string::npos);
}

TEST_CASE("dashboard rows mark whether an exception is new, continuing or accepted, in words",
          "[report][document]") {
  Fixture f;
  testing::add_norfolk_lifecycle(f.report);
  std::string html = f.render(DocumentFormat::kHtml);
  CHECK(html.find("<span class=\"flag\">Exception (off target, deteriorating)</span> <span class=\"lifecycle "
                  "lifecycle-continuing\">Continuing since Jan 2017 (3 periods)</span></th>") != std::string::npos);
  CHECK(html.find("<span class=\"lifecycle lifecycle-accepted\">Accepted until 2017-06-30</span></th>") !=
        std::string::npos);
  CHECK(occurrences(html, "<span class=\"lifecycle lifecycle-new\">New this period</span></th>") == 3);
  CHECK(occurrences(html, "<span class=\"lifecycle ") == 5);  // exception rows only
  std::string md = f.render(DocumentFormat::kMarkdown);
  CHECK(md.find("**(off target, deteriorating)** _Continuing since Jan 2017 (3 periods)_ |") != std::string::npos);
  CHECK(md.find("_Accepted until 2017-06-30_ |") != std::string::npos);
  CHECK(occurrences(md, "_New this period_ |") == 3);

  SECTION("a run not compared with another marks nothing") {
    Fixture plain;
    CHECK(occurrences(plain.render(DocumentFormat::kHtml), "<span class=\"lifecycle ") == 0);
    CHECK(occurrences(plain.render(DocumentFormat::kMarkdown), "_New this period_") == 0);
  }
}

TEST_CASE("the notes say when late data was due and what could not be judged without it",
          "[report][document]") {
  Fixture f;
  std::string md = f.render(DocumentFormat::kMarkdown);
  CHECK(md.find("## Notes on the data\n\nThe data for these indicators is late:\n\n"
                "- % Social care assessments resulting in solely information and guidance: latest figure is "
                "for Jan 2017 (expected Feb 2017 or later), so it could not be judged as deteriorating.\n") !=
        std::string::npos);
  CHECK(md.find("Not rated") == std::string::npos);

  IndicatorResult* cqc = nullptr;
  for (IndicatorResult& r : f.report.indicators) {
    if (r.indicator_id == "cqc_good_or_above_pct") cqc = &r;
  }
  REQUIRE(cqc != nullptr);
  REQUIRE(cqc->data_state == DataState::kStale);
  SECTION("every criterion that could not be judged is named, in the council's order") {
    RuleOutcome risk;
    risk.rule_id = "risk_impact";
    risk.criterion = "risk_impact";
    risk.status = RuleOutcome::Status::kInsufficientData;
    RuleOutcome budget = risk;
    budget.rule_id = budget.criterion = "budget_impact";
    cqc->outcomes.insert(cqc->outcomes.begin(), budget);
    cqc->outcomes.push_back(risk);
    CHECK(f.render(DocumentFormat::kHtml)
              .find("<li>% of CQC ratings of all registered commissioned care rated good or above: latest "
                    "figure is for Dec 2016 (expected Feb 2017 or later), so it could not be judged as "
                    "deteriorating, affecting the budget or affecting a corporate risk.</li>") != std::string::npos);
  }
  SECTION("rules that judged the latest figure are not named") {
    cqc->outcomes.clear();
    RuleOutcome judged;
    judged.rule_id = judged.criterion = "off_target";
    judged.status = RuleOutcome::Status::kException;
    cqc->outcomes.push_back(judged);
    CHECK(f.render(DocumentFormat::kMarkdown)
              .find("- % of CQC ratings of all registered commissioned care rated good or above: latest figure is "
                    "for Dec 2016 (expected Feb 2017 or later).\n") != std::string::npos);
  }
}
