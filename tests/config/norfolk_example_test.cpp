// SPDX-License-Identifier: Apache-2.0
#include "catch.hpp"
#include "config/catalogue_loader.hpp"
#include "config/config_fixtures.hpp"
#include "support/temp_dir.hpp"

#include <filesystem>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

using namespace vitals;

namespace {

const std::filesystem::path kExample =
    std::filesystem::path(VITALS_SOURCE_DIR) / "examples" / "norfolk";

using testing::split_csv;

struct Row {
  std::string id, title, polarity, unit, period, target, value;
};

std::vector<Row> dashboard_rows() {
  std::string text = vitals::testing::read_file(kExample / "data" / "dashboard.csv");
  std::vector<Row> rows;
  std::size_t start = 0;
  bool header = true;
  while (start < text.size()) {
    std::size_t end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    std::string line = text.substr(start, end - start);
    start = end + 1;
    if (line.empty()) continue;
    if (header) {
      REQUIRE(
          line.rfind("indicator_id,title,polarity,unit,period,value,numerator,denominator,target",
                     0) == 0);
      header = false;
      continue;
    }
    std::vector<std::string> f = split_csv(line);
    REQUIRE(f.size() == 9);
    rows.push_back(Row{f[0], f[1], f[2], f[3], f[4], f[8], f[5]});
  }
  return rows;
}

detail::LoadedCatalogue load_example() { return detail::load_catalogue(kExample); }

}  // namespace

TEST_CASE("the Norfolk example loads without any diagnostic", "[config][example]") {
  detail::LoadedCatalogue loaded = load_example();
  INFO(vitals::testing::describe(loaded.diagnostics));
  CHECK(loaded.diagnostics.empty());
  REQUIRE(loaded.catalogue);
  const Catalogue& c = *loaded.catalogue;
  CHECK(c.name == "Adult Social Care");
  CHECK(c.committee == "Adult Social Care Committee");
  REQUIRE(c.rule_dirs.size() == 1);
  CHECK(c.rule_dirs[0] ==
        std::filesystem::absolute(std::filesystem::path(VITALS_SOURCE_DIR) / "rules" / "council")
            .lexically_normal());
  CHECK(c.default_tolerance.red_variance_pct == 5.0);
  CHECK(c.default_tolerance.amber_variance_pct == 0.0);
  CHECK(c.default_rule_params.at("deterioration").at("run") == ParamValue{std::int64_t{3}});
  // Sorted by name: the budget, the dashboard, the risk register and savings.
  REQUIRE(c.sources.size() == 4);
  CHECK(c.sources[1].name == "dashboard");
  CHECK(c.sources[1].plugin == "csv");
  CHECK(c.sources[1].settings.at("path") == "data/dashboard.csv");
  for (const SourceDefinition& s : c.sources) {
    INFO(s.name);
    CHECK((s.name == "dashboard" || s.plugin == "records_csv"));
    CHECK(std::filesystem::is_regular_file(s.base_dir / s.settings.at("path")));
  }
  CHECK(c.sources[0].settings.at("kind") == "budget");
  CHECK(c.sources[2].settings.at("kind") == "risks");
  CHECK(c.sources[3].settings.at("kind") == "savings");
  CHECK(c.budget_lines.size() == 20);
  CHECK(c.risks.size() == 19);
}

TEST_CASE("the Norfolk example defines exactly the dashboard's 15 indicators",
          "[config][example]") {
  detail::LoadedCatalogue loaded = load_example();
  REQUIRE(loaded.catalogue);
  const Catalogue& c = *loaded.catalogue;

  std::vector<Row> rows = dashboard_rows();
  std::set<std::string> csv_ids;
  for (const Row& r : rows) csv_ids.insert(r.id);
  REQUIRE(csv_ids.size() == 15);
  std::set<std::string> ids;
  for (const IndicatorDefinition& d : c.indicators) ids.insert(d.id);
  CHECK(c.indicators.size() == 15);
  CHECK(ids == csv_ids);

  for (const Row& r : rows) {
    INFO(r.id << " " << r.period);
    const IndicatorDefinition* d = c.find_indicator(r.id);
    REQUIRE(d != nullptr);
    CHECK(d->title == r.title);
    CHECK(polarity_name(d->polarity) == r.polarity);
    CHECK(unit_name(d->unit) == r.unit);
    CHECK(d->frequency == Frequency::kMonthly);
    CHECK(d->source.source == "dashboard");
    CHECK(d->source.series == r.id);
    // The target in force each month is the one the dashboard printed, but
    // for admissions 18-64, profiled as the council's card says (000:1260):
    // at or above the result from April to December 2016, below it in January
    // 2017, ending at the printed year-end target. Before the profile, the
    // printed target applies.
    Result<Period> period = Period::parse(r.period);
    REQUIRE(period.ok());
    std::optional<double> target = d->target.value_at(*period);
    if (r.id == "admissions_18_64_per_100k" && r.period != "2017-03") {
      if (r.period < "2016-04") {
        CHECK_FALSE(target);
        continue;
      }
      REQUIRE(target);
      const double value = std::stod(r.value);
      if (r.period <= "2016-12") CHECK(value <= *target);
      if (r.period >= "2017-01") CHECK(value > *target);
    } else if (r.target.empty()) {
      CHECK_FALSE(target);
    } else {
      REQUIRE(target);
      CHECK(*target == Approx(std::stod(r.target)));
    }
  }
}

TEST_CASE("every Norfolk indicator explains itself and names its officers", "[config][example]") {
  detail::LoadedCatalogue loaded = load_example();
  REQUIRE(loaded.catalogue);
  for (const IndicatorDefinition& d : loaded.catalogue->indicators) {
    INFO(d.id);
    CHECK(d.description.size() > 80);
    CHECK_FALSE(d.lead_officer.empty());
    // As every council card prints it (paper 000, lines 1152-1285).
    CHECK(d.data_owner == "Business Intelligence & Performance Team");
    CHECK_FALSE(d.budget_lines.empty());
    // No risk on the register is about employment (see the example's
    // README); every other indicator names one.
    CHECK(d.risks.empty() == (d.id == "ld_paid_employment_pct" || d.id == "mh_paid_employment_pct"));
    CHECK(d.rule_params.at("deterioration").at("run") == ParamValue{std::int64_t{3}});
  }
}

TEST_CASE("the Norfolk example profiles targets and allows for late data", "[config][example]") {
  detail::LoadedCatalogue loaded = load_example();
  REQUIRE(loaded.catalogue);
  const Catalogue& c = *loaded.catalogue;

  const IndicatorDefinition* dtoc = c.find_indicator("dtoc_social_care_per_100k");
  REQUIRE(dtoc != nullptr);
  CHECK(dtoc->target.kind == Target::Kind::kProfiled);
  CHECK(dtoc->target.profile.size() == 5);
  CHECK(dtoc->risks == std::vector<std::string>{"ASC-HOSP"});
  REQUIRE(dtoc->risk_mechanisms.size() == 1);
  CHECK(dtoc->risk_mechanisms[0].measures == RiskMechanism::Measures::kConsequence);
  CHECK(dtoc->risk_mechanisms[0].when == RiskMechanism::When::kDeteriorating);
  CHECK(dtoc->risk_mechanisms[0].quote == "rise in Delayed Transfers of Care (DTOCS)");
  CHECK(dtoc->budget_lines == std::vector<std::string>{"older_people"});

  const IndicatorDefinition* admissions = c.find_indicator("admissions_65_plus_per_100k");
  REQUIRE(admissions != nullptr);
  CHECK(admissions->target.kind == Target::Kind::kProfiled);
  CHECK(admissions->risks == std::vector<std::string>{"RM14079"});
  REQUIRE(admissions->risk_mechanisms.size() == 1);
  CHECK(admissions->risk_mechanisms[0].measures == RiskMechanism::Measures::kMitigation);

  // Reports follow the council's dashboard, not the ids.
  REQUIRE(c.report_order.size() == 15);
  CHECK(c.in_report_order().front()->id == "reablement_no_ongoing_service");
  CHECK(c.in_report_order().back()->id == "assessments_info_guidance_only_pct");

  const IndicatorDefinition* ld = c.find_indicator("ld_paid_employment_pct");
  REQUIRE(ld != nullptr);
  CHECK(ld->target.kind == Target::Kind::kFixed);
  // The register has no risk that LD employment measures (see the README).
  CHECK(ld->risks.empty());
  CHECK(ld->budget_lines == std::vector<std::string>{"learning_disabilities"});

  // CQC data end in December 2016: three months behind a March 2017 run, more
  // than the one month allowed, so they are late. Assessments end in January,
  // two months behind, also more than the month allowed.
  const Period march = Period::month(2017, 3);
  const IndicatorDefinition* cqc = c.find_indicator("cqc_good_or_above_pct");
  REQUIRE(cqc != nullptr);
  CHECK(cqc->allowed_lag == 1);
  CHECK(march.steps_since(Period::month(2016, 12)) > cqc->allowed_lag);
  const IndicatorDefinition* assessments = c.find_indicator("assessments_info_guidance_only_pct");
  REQUIRE(assessments != nullptr);
  CHECK(assessments->allowed_lag == 1);
  CHECK(march.steps_since(Period::month(2017, 1)) > assessments->allowed_lag);
}
