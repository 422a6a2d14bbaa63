// SPDX-License-Identifier: Apache-2.0
// The year-end summary: each group's thresholds at their boundaries, the
// order when several groups apply, too little data, and the Norfolk year
// 2016/17 against the council's own grouping (paper 000, lines 1024-1053).
#include <vitals/report.hpp>
#include <vitals/year_end.hpp>

#include <algorithm>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "catch.hpp"
#include "norfolk_fixture.hpp"

using namespace vitals;

namespace {

constexpr std::optional<double> kNa = std::nullopt;

struct Series {
  Unit unit = Unit::kPer100k;
  Polarity polarity = Polarity::kSmallerIsBetter;
  std::optional<double> target;
  // Mar 2016 .. Mar 2017 (or the 13 periods ending at `end`).
  std::vector<std::optional<double>> values;
  Frequency frequency = Frequency::kMonthly;
  Period end = Period::month(2017, 3);
  std::optional<int> decimals;  // the indicator's; nullopt: the unit's default
};

// An evaluation of one indicator, its points rated against `target` with the
// council's tolerance (Red at 5%, any miss Amber).
EvaluationReport evaluation_of(const Series& s, Period report_period = Period::month(2017, 3)) {
  EvaluationReport report;
  report.period = report_period;
  IndicatorResult r;
  r.indicator_id = "x";
  r.title = "An indicator";
  r.unit = s.unit;
  r.decimals = s.decimals;
  r.polarity = s.polarity;
  r.frequency = s.frequency;
  const Period first = s.end.shifted(-(static_cast<int>(s.values.size()) - 1));
  for (std::size_t i = 0; i < s.values.size(); ++i) {
    SeriesPoint p;
    p.period = first.shifted(static_cast<int>(i));
    p.value = s.values[i];
    p.target = s.target;
    if (p.value) {
      Assessment a = assess(*p.value, p.target, s.polarity, Tolerance{5.0, 0.0});
      p.variance_pct = a.variance_pct;
      p.rag = a.rag;
    }
    r.history.push_back(p);
  }
  report.indicators.push_back(std::move(r));
  return report;
}

YearEndEntry entry_of(const Series& s, const YearEndSettings& settings = {}) {
  YearEndSummary summary = summarise_year(evaluation_of(s), settings);
  REQUIRE(summary.entries.size() == 1);
  return summary.entries[0];
}

// 13 monthly values: `start` in Mar 2016, `middle` for Apr 2016 .. Feb 2017, `end` in Mar 2017.
std::vector<std::optional<double>> year(double start, double middle, double end) {
  std::vector<std::optional<double>> v(13, middle);
  v.front() = start;
  v.back() = end;
  return v;
}

}  // namespace

TEST_CASE("a period ends the financial year when it ends in March", "[report][year_end]") {
  CHECK(ends_financial_year(Period::month(2017, 3)));
  CHECK_FALSE(ends_financial_year(Period::month(2017, 2)));
  CHECK_FALSE(ends_financial_year(Period::month(2017, 4)));
  CHECK(ends_financial_year(Period::quarter(2017, 1)));
  CHECK_FALSE(ends_financial_year(Period::quarter(2017, 2)));
  CHECK(ends_financial_year(Period::financial_quarter(2016, 4)));
  CHECK_FALSE(ends_financial_year(Period::financial_quarter(2016, 3)));
  CHECK(ends_financial_year(Period::financial_year(2016)));
  CHECK_FALSE(ends_financial_year(Period::calendar_year(2016)));
}

TEST_CASE("the summary is of the financial year the period ends or falls in",
          "[report][year_end]") {
  Series s{Unit::kPer100k, Polarity::kSmallerIsBetter, kNa, year(100, 100, 100)};
  YearEndSummary march = summarise_year(evaluation_of(s), {});
  CHECK(march.year == Period::financial_year(2016));
  CHECK(march.complete_year);
  YearEndSummary december = summarise_year(evaluation_of(s, Period::month(2016, 12)), {});
  CHECK(december.year == Period::financial_year(2016));
  CHECK_FALSE(december.complete_year);
  YearEndSummary april = summarise_year(evaluation_of(s, Period::month(2016, 4)), {});
  CHECK(april.year == Period::financial_year(2016));
}

TEST_CASE("sustained good: on target at the end and in at least sustained_pct of the year",
          "[report][year_end]") {
  // Bigger is better, target 90: 12 periods in the year, Apr 2016 .. Mar 2017.
  Series s{Unit::kPercent, Polarity::kBiggerIsBetter, 90.0, year(91, 91, 91)};
  SECTION("every period on target") {
    YearEndEntry e = entry_of(s);
    CHECK(e.group == YearEndGroup::kSustainedGood);
    CHECK(e.periods_with_target == 12);
    CHECK(e.periods_on_target == 12);
    CHECK(e.reason == "on target at Mar 2017 (91.0% against a target of 90.0%) and on target in "
                      "12 of the year's 12 periods with a target");
  }
  SECTION("exactly 75%: 9 of 12 on target") {
    for (int i = 1; i <= 3; ++i) s.values[i] = 89.0;
    YearEndEntry e = entry_of(s);
    CHECK(e.periods_on_target == 9);
    CHECK(e.group == YearEndGroup::kSustainedGood);
  }
  SECTION("just under: 8 of 12 on target is not sustained") {
    for (int i = 1; i <= 4; ++i) s.values[i] = 89.0;
    YearEndEntry e = entry_of(s);
    CHECK(e.periods_on_target == 8);
    CHECK(e.group == YearEndGroup::kNoSignificantChange);
  }
  SECTION("off target at the end is never sustained good") {
    s.values.back() = 89.9;
    CHECK(entry_of(s).group != YearEndGroup::kSustainedGood);
  }
  SECTION("the share is a setting") {
    for (int i = 1; i <= 4; ++i) s.values[i] = 89.0;
    YearEndSettings settings;
    settings.sustained_pct = 66.0;
    CHECK(entry_of(s, settings).group == YearEndGroup::kSustainedGood);
  }
  SECTION("it comes before improved") {
    s.values.front() = 50.0;
    CHECK(entry_of(s).group == YearEndGroup::kSustainedGood);
  }
}

TEST_CASE("improved and worsened: a relative change of at least change_pct of the start",
          "[report][year_end]") {
  // Smaller is better, no target: from 100 in Mar 2016.
  Series s{Unit::kPer100k, Polarity::kSmallerIsBetter, kNa, year(100, 100, 99)};
  SECTION("1% down is improved, exactly at the threshold") {
    YearEndEntry e = entry_of(s);
    CHECK(e.group == YearEndGroup::kImproved);
    REQUIRE(e.change);
    CHECK(*e.change == Approx(1.0));
    CHECK_FALSE(e.change_in_points);
    // Figures with the unit's decimals: one for a rate per 100,000.
    CHECK(e.reason ==
          "from 100.0 (Mar 2016) to 99.0 (Mar 2017): 1% better (the threshold is 1%)");
  }
  SECTION("just under 1% is no significant change") {
    s.values.back() = 99.01;
    s.decimals = 2;  // enough decimals to show the change
    YearEndEntry e = entry_of(s);
    CHECK(e.group == YearEndGroup::kNoSignificantChange);
    CHECK(e.reason ==
          "from 100.00 (Mar 2016) to 99.01 (Mar 2017): 0.99% better, within the threshold of 1%");
  }
  SECTION("1% up is worsened") {
    s.values.back() = 101;
    CHECK(entry_of(s).group == YearEndGroup::kWorsened);
  }
  SECTION("just under 1% up is no significant change") {
    s.values.back() = 100.99;
    CHECK(entry_of(s).group == YearEndGroup::kNoSignificantChange);
  }
  SECTION("bigger is better turns the direction round") {
    s.polarity = Polarity::kBiggerIsBetter;
    CHECK(entry_of(s).group == YearEndGroup::kWorsened);
  }
  SECTION("the threshold is a setting") {
    YearEndSettings settings;
    settings.change_pct = 1.5;
    CHECK(entry_of(s, settings).group == YearEndGroup::kNoSignificantChange);
  }
  SECTION("a change from 0 counts whatever its size") {
    s.values.front() = 0.0;
    s.values.back() = 0.5;
    YearEndEntry e = entry_of(s);
    CHECK(e.group == YearEndGroup::kWorsened);
    CHECK_FALSE(e.change);
  }
}

TEST_CASE("improved and worsened: percentages change by change_points percentage points",
          "[report][year_end]") {
  // 3.7% to 3.3% is 11% of the start but 0.4 points: not significant.
  Series s{Unit::kPercent, Polarity::kBiggerIsBetter, kNa, year(50, 50, 51)};
  SECTION("1 point up is improved") {
    YearEndEntry e = entry_of(s);
    CHECK(e.group == YearEndGroup::kImproved);
    CHECK(e.change_in_points);
    CHECK(e.reason == "from 50.0% (Mar 2016) to 51.0% (Mar 2017): 1 percentage point better (the "
                      "threshold is 1 percentage point)");
  }
  SECTION("0.99 points is not") {
    s.values.back() = 50.99;
    CHECK(entry_of(s).group == YearEndGroup::kNoSignificantChange);
  }
  SECTION("1 point down is worsened") {
    s.values.back() = 49;
    CHECK(entry_of(s).group == YearEndGroup::kWorsened);
  }
  SECTION("a small percentage's large relative fall") {
    s.values = year(3.7, 3.3, 3.3);
    CHECK(entry_of(s).group == YearEndGroup::kNoSignificantChange);
  }
}

TEST_CASE("still challenging: off target at the end and through most of the year, not changed",
          "[report][year_end]") {
  // Bigger is better, target 4: 3.7% then 3.3% all year.
  Series s{Unit::kPercent, Polarity::kBiggerIsBetter, 4.0, year(3.7, 3.3, 3.3)};
  SECTION("off target throughout") {
    YearEndEntry e = entry_of(s);
    CHECK(e.group == YearEndGroup::kStillChallenging);
    CHECK(e.periods_on_target == 0);
    CHECK(e.reason == "off target at Mar 2017 (3.3% against a target of 4.0%) and off target in "
                      "12 of the year's 12 periods with a target; from 3.7% (Mar 2016) to 3.3% "
                      "(Mar 2017): 0.4 percentage points worse, within the threshold of 1 "
                      "percentage point");
  }
  SECTION("exactly 75% off target") {
    for (int i = 1; i <= 3; ++i) s.values[i] = 4.0;
    CHECK(entry_of(s).group == YearEndGroup::kStillChallenging);
  }
  SECTION("on target for more than a quarter of the year: no group of its own") {
    for (int i = 1; i <= 4; ++i) s.values[i] = 4.0;
    CHECK(entry_of(s).group == YearEndGroup::kNoSignificantChange);
  }
  SECTION("worsened comes first") {
    s.values.back() = 2.3;
    CHECK(entry_of(s).group == YearEndGroup::kWorsened);
  }
  SECTION("improved comes first") {
    s.values.front() = 2.0;
    CHECK(entry_of(s).group == YearEndGroup::kImproved);
  }
  SECTION("without a target an indicator cannot be challenging") {
    s.target = kNa;
    CHECK(entry_of(s).group == YearEndGroup::kNoSignificantChange);
  }
}

TEST_CASE("an indicator with too little data is not judged", "[report][year_end]") {
  Series s{Unit::kPer100k, Polarity::kSmallerIsBetter, kNa, std::vector<std::optional<double>>(13)};
  SECTION("no value in the year") {
    s.values.front() = 5.0;
    YearEndEntry e = entry_of(s);
    CHECK(e.group == YearEndGroup::kNotEnoughData);
    CHECK(e.reason == "no value in 2016/17");
  }
  SECTION("one value and none before it") {
    s.values[6] = 5.0;
    YearEndEntry e = entry_of(s);
    CHECK(e.group == YearEndGroup::kNotEnoughData);
    CHECK(e.reason ==
          "only one value in 2016/17, 5.0 (Sep 2016), and none before it to compare with");
  }
  SECTION("without a value before the year, the year's first is the start") {
    s.values[1] = 10.0;
    s.values[10] = 8.0;
    YearEndEntry e = entry_of(s);
    CHECK(e.group == YearEndGroup::kImproved);
    CHECK(e.start_period == Period::month(2016, 4));
    CHECK(e.end_period == Period::month(2017, 1));  // the latest available
  }
}

TEST_CASE("quarterly and annual indicators compare with the period before the year",
          "[report][year_end]") {
  Series q{Unit::kCount, Polarity::kBiggerIsBetter, kNa, std::vector<std::optional<double>>(13, 10.0),
           Frequency::kFinancialQuarterly, Period::financial_quarter(2016, 4)};
  q.values.back() = 11.0;
  q.values[8] = 1.0;  // 2015/16 Q4, the quarter before the year
  YearEndEntry e = entry_of(q);
  CHECK(e.start_period == Period::financial_quarter(2015, 4));
  CHECK(e.group == YearEndGroup::kImproved);

  Series a{Unit::kCount, Polarity::kBiggerIsBetter, kNa, std::vector<std::optional<double>>(13, 10.0),
           Frequency::kFinancialYear, Period::financial_year(2016)};
  a.values.back() = 9.0;
  YearEndSummary annual = summarise_year(evaluation_of(a, Period::financial_year(2016)), {});
  REQUIRE(annual.entries.size() == 1);
  CHECK(annual.entries[0].start_period == Period::financial_year(2015));
  CHECK(annual.entries[0].group == YearEndGroup::kWorsened);
}

TEST_CASE("Norfolk 2016/17: the council's groups, and the indicators its summary leaves out",
          "[report][year_end][norfolk]") {
  const Catalogue catalogue = testing::norfolk_catalogue();
  const EvaluationReport report = testing::norfolk_report(catalogue);
  const YearEndSummary summary = summarise_year(report, catalogue.year_end);
  auto ids = [&](YearEndGroup g) {
    std::vector<std::string> out;
    for (const YearEndEntry* e : summary.in_group(g)) out.push_back(e->indicator_id);
    std::sort(out.begin(), out.end());
    return out;
  };
  using V = std::vector<std::string>;
  // Paper 000 line 1031: "over 90%" at home 91 days after reablement.
  CHECK(ids(YearEndGroup::kSustainedGood) == V{"home_91_days_after_reablement"});
  // Lines 1037-1039: 18-64 admissions, CQC ratings, older people using
  // services; this summary adds two the council does not name.
  CHECK(ids(YearEndGroup::kImproved) ==
        V{"admissions_18_64_per_100k", "cqc_good_or_above_pct", "people_in_residential_per_100k",
          "reablement_no_ongoing_service", "service_users_65_plus_per_100k"});
  // Lines 1045-1046: delayed transfers and 65+ admissions; and three more.
  CHECK(ids(YearEndGroup::kWorsened) ==
        V{"admissions_65_plus_per_100k", "assessments_info_guidance_only_pct",
          "carers_supported_community_per_100k", "dtoc_social_care_per_100k",
          "enquiries_resolved_at_contact_pct"});
  // Lines 1052-1053: paid employment (learning disabilities, mental health).
  CHECK(ids(YearEndGroup::kStillChallenging) ==
        V{"ld_paid_employment_pct", "mh_paid_employment_pct"});
  CHECK(ids(YearEndGroup::kNoSignificantChange) ==
        V{"community_based_care_pct", "service_users_18_64_per_100k"});
  CHECK(ids(YearEndGroup::kNotEnoughData).empty());

  for (const YearEndEntry& e : summary.entries) {
    if (e.indicator_id == "cqc_good_or_above_pct") {
      // "from 56.9% in March 2016 to 72.8% in December (the latest available data)"
      CHECK(e.reason == "from 56.9% (Mar 2016) to 72.8% (Dec 2016): 15.9 percentage points "
                        "better (the threshold is 1 percentage point)");
    }
    if (e.indicator_id == "dtoc_social_care_per_100k") {
      CHECK(e.reason ==
            "from 1.50 (Mar 2016) to 3.56 (Mar 2017): 137% worse (the threshold is 1%)");
    }
  }
}

namespace {

std::string committee_report(const EvaluationReport& report, const Catalogue& catalogue,
                             DocumentFormat format, bool asked) {
  const CommentarySet commentary;
  ReportInputs inputs{catalogue, report, commentary};
  inputs.year_end_summary = asked;
  std::ostringstream out;
  Status st = render_committee_report(inputs, format, out);
  INFO(st.to_string());
  REQUIRE(st.is_ok());
  return out.str();
}

bool has(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

}  // namespace

TEST_CASE("the committee report carries the summary at the year's end or when asked",
          "[report][year_end]") {
  const Catalogue catalogue = testing::norfolk_catalogue();
  EvaluationReport report = testing::norfolk_report(catalogue);
  SECTION("March ends the year") {
    const std::string md = committee_report(report, catalogue, DocumentFormat::kMarkdown, false);
    CHECK(has(md, "## Summary of performance 2016/17\n"));
    CHECK(has(md, "### Areas where performance remains challenging\n\n- **% People receiving "
                  "Learning Disabilities services in paid employment** (reported by exception): "
                  "off target at Mar 2017"));
    CHECK(has(md, "### No significant change\n"));
    CHECK_FALSE(has(md, "### Not enough data to judge the year"));  // shown only when used
    const std::string html = committee_report(report, catalogue, DocumentFormat::kHtml, false);
    CHECK(has(html, "<h2 id=\"year-end-heading\">Summary of performance 2016/17</h2>"));
    CHECK(has(html, "<a href=\"#card-dtoc_social_care_per_100k\">"));
    const std::string json = committee_report(report, catalogue, DocumentFormat::kJson, false);
    CHECK(has(json, "\"year_end\": {\n    \"year\": \"2016/17\",\n    \"complete_year\": true,"));
    CHECK(has(json, "\"group\": \"still_challenging\""));
  }
  SECTION("February does not, unless asked: the year so far") {
    report.period = Period::month(2017, 2);
    for (DocumentFormat f : {DocumentFormat::kMarkdown, DocumentFormat::kHtml, DocumentFormat::kJson}) {
      const std::string text = committee_report(report, catalogue, f, false);
      CHECK_FALSE(has(text, "Summary of performance"));
      CHECK_FALSE(has(text, "\"year_end\""));
    }
    const std::string md = committee_report(report, catalogue, DocumentFormat::kMarkdown, true);
    CHECK(has(md, "## Summary of performance 2016/17 so far (to Feb 2017)\n"));
    const std::string json = committee_report(report, catalogue, DocumentFormat::kJson, true);
    CHECK(has(json, "\"complete_year\": false"));
  }
  SECTION("an empty group says so") {
    report.indicators.erase(std::remove_if(report.indicators.begin(), report.indicators.end(),
                                           [](const IndicatorResult& r) {
                                             return r.indicator_id == "home_91_days_after_reablement";
                                           }),
                            report.indicators.end());
    const std::string md = committee_report(report, catalogue, DocumentFormat::kMarkdown, false);
    CHECK(has(md, "### Sustained good performance\n\nNone.\n"));
  }
}
