// SPDX-License-Identifier: Apache-2.0
// The published site (core/publish/publish.cpp) of the bundled Norfolk
// example: every vital sign, the links, the downloads, determinism, and a
// publication never overwritten by accident.
#include <vitals/engine.hpp>
#include <vitals/publish.hpp>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <set>
#include <string>
#include <thread>

#include "catch.hpp"
#include "engine/engine_test_support.hpp"
#include "publish/site_check.hpp"
#include "support/temp_dir.hpp"

using namespace vitals;
using vitals::testing::count_of;
using vitals::testing::read_text;
using vitals::testing::snapshot;
using vitals::testing::TempDir;

namespace fs = std::filesystem;

namespace {

const Period kQ4 = *Period::parse("2016/17-Q4");

const std::set<std::string> kExceptions = {"admissions_18_64_per_100k", "admissions_65_plus_per_100k",
                                           "dtoc_social_care_per_100k", "ld_paid_employment_pct",
                                           "mh_paid_employment_pct"};

// The Norfolk example ingested into a store in `dir`.
struct Norfolk {
  explicit Norfolk(const fs::path& dir) : engine(vitals::testing::open_with_plugins(dir)) {
    REQUIRE(engine.load_catalogue(std::string(VITALS_SOURCE_DIR) + "/examples/norfolk").is_ok());
    REQUIRE(engine.ingest().ok());
  }

  // The evaluation for publishing `period`, with every indicator's history.
  EvaluationReport evaluate(const Period& period) {
    EvaluateOptions options;
    options.full_history = true;
    auto report = engine.evaluate(publication_evaluation_period(engine.catalogue(), period), options);
    REQUIRE(report.ok());
    return std::move(*report);
  }

  Result<PublishSummary> publish(const EvaluationReport& report, const fs::path& site, const Period& period,
                                 bool replace = false, int threads = 0) {
    const Catalogue& catalogue = engine.catalogue();
    ReportInputs inputs{catalogue, report, engine.commentary(), catalogue.report_templates,
                        catalogue.organisation};
    PublishOptions options;
    options.site_dir = site;
    options.period = period;
    options.replace = replace;
    options.threads = threads;
    return publish_site(inputs, options);
  }

  Engine engine;
};

std::size_t lines_of(const std::string& text) { return count_of(text, "\r\n"); }

}  // namespace

TEST_CASE("publication folders are named for their period and read back", "[publish]") {
  CHECK(publication_folder_name(kQ4) == "2016-17-q4");
  CHECK(publication_folder_name(Period::month(2017, 3)) == "2017-03");
  CHECK(publication_folder_name(Period::financial_year(2016)) == "2016-17");
  CHECK(publication_folder_name(Period::quarter(2017, 1)) == "2017-q1");
}

TEST_CASE("a quarter of a monthly catalogue is evaluated at its last month", "[publish]") {
  TempDir dir;
  Norfolk norfolk(dir.path());
  const Catalogue& catalogue = norfolk.engine.catalogue();
  CHECK(publication_evaluation_period(catalogue, kQ4) == Period::month(2017, 3));
  CHECK(publication_evaluation_period(catalogue, Period::month(2017, 2)) == Period::month(2017, 2));
  CHECK(publication_evaluation_period(catalogue, Period::quarter(2017, 1)) == Period::month(2017, 3));
}

TEST_CASE("the Norfolk example publishes all 15 vital signs for Q4 2016/17", "[publish][example]") {
  TempDir dir;
  Norfolk norfolk(dir.path());
  const EvaluationReport report = norfolk.evaluate(kQ4);
  REQUIRE(report.indicators.size() == 15);
  const fs::path site = dir / "site";
  auto summary = norfolk.publish(report, site, kQ4);
  REQUIRE(summary.ok());
  CHECK(summary->folder == site / "2016-17-q4");
  CHECK_FALSE(summary->replaced);
  CHECK(summary->publications == std::vector<std::string>{"2016-17-q4"});
  // index, 15 pages, 3 downloads.
  CHECK(summary->files.size() == 1 + 15 + 3);

  const fs::path pub = summary->folder;
  const std::string index = read_text(pub / "index.html");
  CHECK(index.find("Vital signs for Q4 2016/17") == std::string::npos);  // that is the landing page's
  CHECK(index.find("<title>Adult Social Care Committee: vital signs, Q4 2016/17</title>") != std::string::npos);
  // Printed, every page's running footer gives the publication's title, not the committee report's.
  CHECK(index.find("content: \"Adult Social Care Committee\\3a  vital signs\\2c  Q4 2016\\2f 17\"") !=
        std::string::npos);
  CHECK(index.find("exception report") == std::string::npos);
  CHECK(index.find("Monthly vital signs are shown for Mar 2017, their latest period in Q4 2016/17.") !=
        std::string::npos);
  CHECK(count_of(index, "<span class=\"flag\">Exception") == 5);
  std::set<std::string> excepted;
  for (const IndicatorResult& r : report.indicators) {
    INFO(r.indicator_id);
    // Every vital sign has a row linked to its page, exception or not.
    CHECK(count_of(index, "<a href=\"indicators/" + r.indicator_id + ".html\">") >= 1);
    const std::string page = read_text(pub / "indicators" / (r.indicator_id + ".html"));
    CHECK(page.find("<h2 id=\"history-heading\">Full history</h2>") != std::string::npos);
    // The full history: one row per stored period, at least every period of
    // the card's rolling year that has a value.
    std::size_t valued = 0;
    for (const SeriesPoint& p : r.history) valued += p.value ? 1 : 0;
    CHECK(r.full_history.size() >= valued);
    CHECK_FALSE(r.full_history.empty());
    const std::string history = page.substr(page.find("history-heading"));
    CHECK(count_of(history, "<tr><th scope=\"row\">") == r.full_history.size());
    if (r.is_exception) {
      excepted.insert(r.indicator_id);
      CHECK(page.find("reported by exception") != std::string::npos);
    } else {
      // The public page of a vital sign that needs no commentary does not ask an officer for it.
      CHECK(page.find("Commentary required from") == std::string::npos);
    }
    CHECK((page.find("How the council compares") != std::string::npos) == r.comparators.has_value());
    if (r.comparators) CHECK(page.find("Rank <span class=\"year\">") != std::string::npos);
  }
  CHECK(excepted == kExceptions);
  // The five ASCOF measures of the example carry comparators.
  std::size_t compared = 0;
  for (const IndicatorResult& r : report.indicators) compared += r.comparators.has_value() ? 1 : 0;
  CHECK(compared == 5);

  const std::string landing = read_text(site / "index.html");
  CHECK(landing.find("<a href=\"2016-17-q4/index.html\">Vital signs for Q4 2016/17</a> (latest)") !=
        std::string::npos);
}

TEST_CASE("every link of the published site resolves and every page keeps the accessibility rules",
          "[publish]") {
  TempDir dir;
  Norfolk norfolk(dir.path());
  const fs::path site = dir / "site";
  REQUIRE(norfolk.publish(norfolk.evaluate(kQ4), site, kQ4).ok());
  std::size_t checked = 0;
  auto broken = vitals::testing::broken_links(site, checked);
  CHECK(broken.empty());
  for (const std::string& b : broken) UNSCOPED_INFO(b);
  CHECK(checked > 15 * 3);
  std::size_t pages = 0;
  for (const auto& entry : fs::recursive_directory_iterator(site)) {
    if (entry.path().extension() != ".html") continue;
    ++pages;
    const std::string page = read_text(entry.path());
    INFO(entry.path().string());
    const auto problems = vitals::testing::accessibility_problems(page);
    for (const std::string& p : problems) UNSCOPED_INFO(p);
    CHECK(problems.empty());
    // Self-contained: nothing fetched from elsewhere, no script.
    CHECK(page.find("<script") == std::string::npos);
    CHECK(page.find("<link") == std::string::npos);
    CHECK(page.find("url(") == std::string::npos);
  }
  CHECK(pages == 1 + 1 + 15);
}

TEST_CASE("the downloads hold the dashboard and every series as CSV and as a workbook", "[publish]") {
  TempDir dir;
  Norfolk norfolk(dir.path());
  const EvaluationReport report = norfolk.evaluate(kQ4);
  const fs::path site = dir / "site";
  REQUIRE(norfolk.publish(report, site, kQ4).ok());
  const fs::path downloads = site / "2016-17-q4" / "downloads";

  const std::string dashboard = read_text(downloads / "dashboard.csv");
  REQUIRE(dashboard.rfind("\xEF\xBB\xBF" "indicator_id,title,frequency,unit,polarity,period,", 0) == 0);
  CHECK(lines_of(dashboard) == 1 + 15);
  CHECK(count_of(dashboard, ",yes,") == 5);
  CHECK(dashboard.find("admissions_65_plus_per_100k,") != std::string::npos);

  std::size_t points = 0;
  for (const IndicatorResult& r : report.indicators) points += r.full_history.size();
  const std::string series = read_text(downloads / "series.csv");
  CHECK(lines_of(series) == 1 + points);
  CHECK(points > 15 * 12);

  // The workbook, opened by openpyxl: two sheets, the header frozen, numbers
  // stored as numbers and periods as text.
  const std::string script = "import sys, openpyxl\n"
                             "wb = openpyxl.load_workbook(sys.argv[1])\n"
                             "assert wb.sheetnames == ['Dashboard', 'Series'], wb.sheetnames\n"
                             "d, s = wb['Dashboard'], wb['Series']\n"
                             "assert d.freeze_panes == 'A2' and s.freeze_panes == 'A2'\n"
                             "assert d.max_row == 16 and s.max_row == " + std::to_string(points + 1) + ", (d.max_row, s.max_row)\n"
                             "h = [c.value for c in s[1]]\n"
                             "assert h == ['indicator_id', 'period', 'value', 'numerator', 'denominator', 'target', 'rag', 'variance_pct'], h\n"
                             "row = [c.value for c in s[2]]\n"
                             "assert isinstance(row[h.index('period')], str)\n"
                             "assert isinstance(row[h.index('value')], (int, float)), row\n"
                             "hd = [c.value for c in d[1]]\n"
                             "assert sum(1 for r in d.iter_rows(min_row=2, values_only=True) if r[hd.index('exception')] == 'yes') == 5\n"
                             "assert all(isinstance(r[hd.index('value')], (int, float)) for r in d.iter_rows(min_row=2, values_only=True) if r[hd.index('value')] is not None)\n"
                             "print('ok')\n";
  const fs::path check = dir / "check_workbook.py";
  { std::ofstream(check) << script; }
  const std::string command = "/usr/bin/python3 " + check.string() + " " + (downloads / "vital-signs.xlsx").string();
  CHECK(std::system(command.c_str()) == 0);
}

TEST_CASE("publishing the same input twice gives the same bytes, the workbook included, on any number of threads",
          "[publish]") {
  TempDir dir;
  Norfolk norfolk(dir.path());
  const EvaluationReport report = norfolk.evaluate(kQ4);
  REQUIRE(norfolk.publish(report, dir / "first", kQ4, false, 1).ok());
  // Past the zip format's two-second clock, so a timestamp taken from the
  // clock would differ.
  std::this_thread::sleep_for(std::chrono::milliseconds(2100));
  fs::create_directories(dir / "second-store");
  Norfolk again(dir / "second-store");
  REQUIRE(again.publish(again.evaluate(kQ4), dir / "second", kQ4, false, 5).ok());
  const auto first = snapshot(dir / "first");
  const auto second = snapshot(dir / "second");
  REQUIRE(first.size() == second.size());
  for (const auto& [name, bytes] : first) {
    INFO(name);
    REQUIRE(second.count(name) == 1);
    CHECK(second.at(name) == bytes);
  }
}

TEST_CASE("a published period is not overwritten without replace, and replace rewrites only it", "[publish]") {
  TempDir dir;
  Norfolk norfolk(dir.path());
  const EvaluationReport report = norfolk.evaluate(kQ4);
  const fs::path site = dir / "site";
  REQUIRE(norfolk.publish(report, site, kQ4).ok());
  // A mark the refused publication must leave, and the replacing one remove.
  { std::ofstream(site / "2016-17-q4" / "mark.txt") << "as published"; }
  const auto before = snapshot(site);

  auto refused = norfolk.publish(report, site, kQ4);
  REQUIRE_FALSE(refused.ok());
  CHECK(refused.status().code() == StatusCode::kInvalidArgument);
  CHECK(refused.status().message().find("Q4 2016/17 is already published") != std::string::npos);
  CHECK(refused.status().message().find("--replace") != std::string::npos);
  CHECK(snapshot(site) == before);

  auto replaced = norfolk.publish(report, site, kQ4, true);
  REQUIRE(replaced.ok());
  CHECK(replaced->replaced);
  CHECK_FALSE(fs::exists(site / "2016-17-q4" / "mark.txt"));
  CHECK(fs::is_regular_file(site / "2016-17-q4" / "index.html"));
  // No temporary folder is left behind.
  std::size_t entries = 0;
  for ([[maybe_unused]] const auto& e : fs::directory_iterator(site)) ++entries;
  CHECK(entries == 2);  // index.html and 2016-17-q4
}

TEST_CASE("the landing page lists every publication, newest first, and leaves earlier ones as they were",
          "[publish]") {
  TempDir dir;
  Norfolk norfolk(dir.path());
  const fs::path site = dir / "site";
  const Period february = Period::month(2017, 2);
  REQUIRE(norfolk.publish(norfolk.evaluate(february), site, february).ok());
  const auto february_files = snapshot(site / "2017-02");
  auto second = norfolk.publish(norfolk.evaluate(kQ4), site, kQ4);
  REQUIRE(second.ok());
  CHECK(second->publications == std::vector<std::string>{"2016-17-q4", "2017-02"});
  CHECK(snapshot(site / "2017-02") == february_files);

  const std::string landing = read_text(site / "index.html");
  const auto q4 = landing.find("<a href=\"2016-17-q4/index.html\">Vital signs for Q4 2016/17</a> (latest)");
  const auto feb = landing.find("<a href=\"2017-02/index.html\">Vital signs for Feb 2017</a></li>");
  REQUIRE(q4 != std::string::npos);
  REQUIRE(feb != std::string::npos);
  CHECK(q4 < feb);
  std::size_t checked = 0;
  CHECK(vitals::testing::broken_links(site, checked).empty());
}

TEST_CASE("markup in titles, rule messages, officers and commentary is shown as text on every page",
          "[publish][adversarial]") {
  TempDir dir;
  Norfolk norfolk(dir.path());
  EvaluationReport report = norfolk.evaluate(kQ4);
  Catalogue catalogue = norfolk.engine.catalogue();
  CommentarySet commentary = norfolk.engine.commentary();
  const std::string hostile = "<script>alert(1)</script><img src=x onerror=alert(2)>";
  for (IndicatorResult& r : report.indicators) {
    r.title = "Title " + hostile;
    for (RuleOutcome& o : r.outcomes) o.message = "Message " + hostile;
  }
  for (IndicatorDefinition& d : catalogue.indicators) {
    d.lead_officer = "Officer " + hostile;
    d.description = "Description " + hostile;
  }
  for (Commentary& c : commentary.entries) c.explanation = "Explanation " + hostile;
  catalogue.committee = "Committee " + hostile;
  report.committee = catalogue.committee;
  ReportInputs inputs{catalogue, report, commentary, catalogue.report_templates, "Council " + hostile};
  PublishOptions options;
  options.site_dir = dir / "site";
  options.period = kQ4;
  auto summary = publish_site(inputs, options);
  REQUIRE(summary.ok());
  std::size_t pages = 0;
  for (const auto& entry : fs::recursive_directory_iterator(dir / "site")) {
    if (entry.path().extension() != ".html") continue;
    ++pages;
    INFO(entry.path().string());
    const std::string page = read_text(entry.path());
    CHECK(page.find("<script") == std::string::npos);
    CHECK(page.find("<img") == std::string::npos);
    CHECK(page.find("&lt;script&gt;alert(1)&lt;/script&gt;") != std::string::npos);
  }
  CHECK(pages == 17);
  const std::string card = read_text(dir / "site" / "2016-17-q4" / "indicators" / "admissions_65_plus_per_100k.html");
  CHECK(card.find("Officer &lt;script&gt;") != std::string::npos);
  CHECK(card.find("Message &lt;script&gt;") != std::string::npos);
  CHECK(card.find("Explanation &lt;script&gt;") != std::string::npos);
  // The downloads keep the text as it is, as data.
  CHECK(read_text(dir / "site" / "2016-17-q4" / "downloads" / "dashboard.csv").find("Title " + hostile) !=
        std::string::npos);
}
