// SPDX-License-Identifier: Apache-2.0
#include "config/catalogue_loader.hpp"

#include <vitals/install.hpp>

#include "catch.hpp"
#include "config/config_fixtures.hpp"
#include "support/temp_dir.hpp"

#include <filesystem>
#include <string>
#include <vector>

using namespace vitals;
using vitals::detail::load_catalogue;
using vitals::detail::LoadedCatalogue;
using vitals::testing::describe;
using vitals::testing::file_in;
using vitals::testing::kMinimalCatalogue;
using vitals::testing::kMinimalIndicator;
using vitals::testing::load_with;
using vitals::testing::TempDir;
using vitals::testing::with_code;

namespace {

// Requires exactly one diagnostic and checks all of it.
void require_only(const LoadedCatalogue& loaded, Severity severity, const std::string& code,
                  const SourceLocation& where, const std::string& message) {
  INFO(describe(loaded.diagnostics));
  REQUIRE(loaded.diagnostics.size() == 1);
  const Diagnostic& d = loaded.diagnostics[0];
  CHECK(d.severity == severity);
  CHECK(d.code == code);
  CHECK(d.location == std::optional<SourceLocation>(where));
  CHECK(d.message == message);
  if (severity == Severity::kError) CHECK_FALSE(loaded.catalogue);
}

void require_error(const LoadedCatalogue& loaded, const std::string& code,
                   const SourceLocation& where, const std::string& message) {
  require_only(loaded, Severity::kError, code, where, message);
}

const IndicatorDefinition& indicator(const LoadedCatalogue& loaded, const std::string& id) {
  INFO(describe(loaded.diagnostics));
  REQUIRE(loaded.catalogue);
  const IndicatorDefinition* def = loaded.catalogue->find_indicator(id);
  REQUIRE(def != nullptr);
  return *def;
}

}  // namespace

TEST_CASE("a complete catalogue loads with every field filled", "[config]") {
  TempDir dir;
  std::filesystem::create_directories(dir / "rules" / "asc");
  dir.write("catalogue.toml", R"([catalogue]
name = "Adult Social Care"
committee = "Adult Social Care Committee"
rule_dirs = ["rules/asc", "rules/../rules/"]

[tolerance]
red_variance_pct = 10
amber_variance_pct = 2.5

[rules.deterioration]
run = 3

[sources.warehouse]
plugin = "sqlite"
path = "data/warehouse.db"
[sources.dashboard]
plugin = "csv"
path = "data/dashboard.csv"

[budget_lines.older_people]
title = "Older People"
[budget_lines.learning_disabilities]
title = "Learning Disabilities"

[risks.RM14079]
title = "Failure to meet the long term needs of Norfolk citizens"
[risks.ASC-HOSP]
title = "Pressure on hospital admissions and discharges and on acute services"
)");
  dir.write("indicators/residential.toml", R"(# Residential care
[[indicator]]
id = "dtoc_social_care_per_100k"
title = "Delayed transfers of care"
description = "Days people wait to leave hospital."
polarity = "smaller"
unit = "per_100k"
frequency = "monthly"
target = 1.5
allowed_lag = 1
lead_officer = "Director of Community Social Work"
data_owner = "Business Intelligence and Performance Service"
budget_lines = ["older_people"]
risks = ["ASC-HOSP", "RM14079"]
source = "dashboard"
)");
  dir.write("indicators/sub/employment.toml", R"([[indicator]]
id = "ld_paid_employment_pct"
title = "People with learning disabilities in paid work"
polarity = "bigger"
unit = "percent"
frequency = "quarterly"
source = "warehouse"
series = "LD_EMP"

[[indicator]]
id = "carers_count"
title = "Carers supported"
polarity = "bigger"
unit = "count"
frequency = "financial_year"
source = "dashboard"
)");
  dir.write("indicators/notes.txt", "not an indicator file");

  LoadedCatalogue loaded = load_catalogue(dir.path());
  INFO(describe(loaded.diagnostics));
  REQUIRE(loaded.diagnostics.empty());
  REQUIRE(loaded.catalogue);
  const Catalogue& c = *loaded.catalogue;

  CHECK(c.name == "Adult Social Care");
  CHECK(c.committee == "Adult Social Care Committee");
  CHECK(c.root == dir.path());
  std::filesystem::path rules = std::filesystem::absolute(dir.path()).lexically_normal() / "rules";
  REQUIRE(c.rule_dirs.size() == 2);
  CHECK(c.rule_dirs[0] == rules / "asc");
  CHECK(c.rule_dirs[1] == rules);
  CHECK(c.rule_dirs[0].is_absolute());
  CHECK(c.default_tolerance.red_variance_pct == 10.0);
  CHECK(c.default_tolerance.amber_variance_pct == 2.5);
  CHECK(c.default_rule_params == RuleParams{{"deterioration", {{"run", std::int64_t{3}}}}});

  REQUIRE(c.sources.size() == 2);
  CHECK(c.sources[0].name == "dashboard");
  CHECK(c.sources[0].plugin == "csv");
  CHECK(c.sources[0].settings ==
        std::map<std::string, std::string>{{"path", "data/dashboard.csv"}});
  CHECK(c.sources[0].base_dir == std::filesystem::absolute(dir.path()).lexically_normal());
  CHECK(c.sources[0].location == SourceLocation{file_in(dir, "catalogue.toml"), 16, 1});
  CHECK(c.sources[1].name == "warehouse");
  CHECK(c.sources[1].plugin == "sqlite");

  REQUIRE(c.budget_lines.size() == 2);
  CHECK(c.budget_lines[0].id == "learning_disabilities");
  CHECK(c.budget_lines[0].title == "Learning Disabilities");
  CHECK(c.budget_lines[0].location == SourceLocation{file_in(dir, "catalogue.toml"), 22, 1});
  CHECK(c.budget_lines[1].id == "older_people");
  REQUIRE(c.risks.size() == 2);
  CHECK(c.risks[0].id == "ASC-HOSP");
  CHECK(c.risks[0].title == "Pressure on hospital admissions and discharges and on acute services");
  CHECK(c.risks[1].id == "RM14079");

  // Sorted by id, from three files in two directories.
  REQUIRE(c.indicators.size() == 3);
  CHECK(c.indicators[0].id == "carers_count");
  CHECK(c.indicators[1].id == "dtoc_social_care_per_100k");
  CHECK(c.indicators[2].id == "ld_paid_employment_pct");

  const IndicatorDefinition& dtoc = c.indicators[1];
  CHECK(dtoc.title == "Delayed transfers of care");
  CHECK(dtoc.description == "Days people wait to leave hospital.");
  CHECK(dtoc.polarity == Polarity::kSmallerIsBetter);
  CHECK(dtoc.unit == Unit::kPer100k);
  CHECK(dtoc.frequency == Frequency::kMonthly);
  CHECK(dtoc.target.kind == Target::Kind::kFixed);
  CHECK(dtoc.target.fixed_value == 1.5);
  CHECK(dtoc.tolerance.red_variance_pct == 10.0);
  CHECK(dtoc.tolerance.amber_variance_pct == 2.5);
  CHECK(dtoc.allowed_lag == 1);
  CHECK(dtoc.lead_officer == "Director of Community Social Work");
  CHECK(dtoc.data_owner == "Business Intelligence and Performance Service");
  CHECK(dtoc.budget_lines == std::vector<std::string>{"older_people"});
  CHECK(dtoc.risks == std::vector<std::string>{"ASC-HOSP", "RM14079"});
  CHECK(dtoc.source.source == "dashboard");
  CHECK(dtoc.source.series == "dtoc_social_care_per_100k");
  CHECK(dtoc.rule_params == c.default_rule_params);
  CHECK(dtoc.location == SourceLocation{file_in(dir, "indicators/residential.toml"), 2, 1});

  const IndicatorDefinition& ld = c.indicators[2];
  CHECK(ld.polarity == Polarity::kBiggerIsBetter);
  CHECK(ld.unit == Unit::kPercent);
  CHECK(ld.frequency == Frequency::kQuarterly);
  CHECK(ld.target.kind == Target::Kind::kNone);
  CHECK(ld.allowed_lag == 0);
  CHECK(ld.budget_lines.empty());
  CHECK(ld.source.source == "warehouse");
  CHECK(ld.source.series == "LD_EMP");
  CHECK(ld.location == SourceLocation{file_in(dir, "indicators/sub/employment.toml"), 1, 1});

  const IndicatorDefinition& carers = c.indicators[0];
  CHECK(carers.unit == Unit::kCount);
  CHECK(carers.frequency == Frequency::kFinancialYear);
  CHECK(carers.location == SourceLocation{file_in(dir, "indicators/sub/employment.toml"), 10, 1});
}

TEST_CASE("both polarities and every unit and frequency are read", "[config]") {
  TempDir dir;
  auto loaded = load_with(dir, kMinimalCatalogue, R"([[indicator]]
id = "up"
title = "Up"
polarity = "bigger"
unit = "currency"
frequency = "annual"
source = "dashboard"

[[indicator]]
id = "down"
title = "Down"
polarity = "smaller"
unit = "number"
frequency = "monthly"
source = "dashboard"
)");
  CHECK(indicator(loaded, "up").polarity == Polarity::kBiggerIsBetter);
  CHECK(indicator(loaded, "up").unit == Unit::kCurrency);
  CHECK(indicator(loaded, "up").frequency == Frequency::kAnnual);
  CHECK(indicator(loaded, "down").polarity == Polarity::kSmallerIsBetter);
  CHECK(indicator(loaded, "down").unit == Unit::kNumber);
}

TEST_CASE("profiled targets are read, sorted by period and looked up by period", "[config]") {
  TempDir dir;
  auto loaded = load_with(dir, kMinimalCatalogue, R"([[indicator]]
id = "a"
title = "A"
polarity = "smaller"
unit = "per_100k"
frequency = "monthly"
source = "dashboard"
target_profile = { "2016-10" = 1.5, "2016-04" = 2, "2017-01" = 1.25 }

[[indicator]]
id = "q"
title = "Q"
polarity = "bigger"
unit = "percent"
frequency = "quarterly"
source = "dashboard"
[indicator.target_profile]
"2017-Q1" = 40.0
"2016-Q2" = 35.0
)");
  const IndicatorDefinition& a = indicator(loaded, "a");
  REQUIRE(a.target.kind == Target::Kind::kProfiled);
  REQUIRE(a.target.profile.size() == 3);
  CHECK(a.target.profile[0].from.to_string() == "2016-04");
  CHECK(a.target.profile[0].value == 2.0);
  CHECK(a.target.profile[1].from.to_string() == "2016-10");
  CHECK(a.target.profile[1].value == 1.5);
  CHECK(a.target.profile[2].from.to_string() == "2017-01");
  CHECK(a.target.profile[2].value == 1.25);
  CHECK_FALSE(a.target.value_at(Period::month(2016, 3)));
  CHECK(a.target.value_at(Period::month(2016, 9)) == std::optional<double>(2.0));
  CHECK(a.target.value_at(Period::month(2016, 12)) == std::optional<double>(1.5));
  CHECK(a.target.value_at(Period::month(2017, 3)) == std::optional<double>(1.25));

  const IndicatorDefinition& q = indicator(loaded, "q");
  REQUIRE(q.target.profile.size() == 2);
  CHECK(q.target.profile[0].from == Period::quarter(2016, 2));
  CHECK(q.target.profile[1].from == Period::quarter(2017, 1));
  CHECK(q.target.value_at(Period::quarter(2016, 4)) == std::optional<double>(35.0));
}

TEST_CASE("an indicator's tolerance overrides the catalogue's key by key", "[config]") {
  TempDir dir;
  std::string catalogue = std::string(kMinimalCatalogue) +
                          "[tolerance]\nred_variance_pct = 10.0\namber_variance_pct = 2\n";
  std::string indicators = std::string(kMinimalIndicator) +
                           "tolerance = { red_variance_pct = 20 }\n"
                           "[[indicator]]\nid = \"b\"\ntitle = \"B\"\npolarity = \"bigger\"\n"
                           "unit = \"percent\"\nfrequency = \"monthly\"\nsource = \"dashboard\"\n"
                           "tolerance = { red_variance_pct = 4.0, amber_variance_pct = 1.0 }\n"
                           "[[indicator]]\nid = \"c\"\ntitle = \"C\"\npolarity = \"bigger\"\n"
                           "unit = \"percent\"\nfrequency = \"monthly\"\nsource = \"dashboard\"\n";
  auto loaded = load_with(dir, catalogue, indicators);
  CHECK(indicator(loaded, "a").tolerance.red_variance_pct == 20.0);
  CHECK(indicator(loaded, "a").tolerance.amber_variance_pct == 2.0);
  CHECK(indicator(loaded, "b").tolerance.red_variance_pct == 4.0);
  CHECK(indicator(loaded, "b").tolerance.amber_variance_pct == 1.0);
  CHECK(indicator(loaded, "c").tolerance.red_variance_pct == 10.0);
  CHECK(indicator(loaded, "c").tolerance.amber_variance_pct == 2.0);
  CHECK(loaded.catalogue->default_tolerance.red_variance_pct == 10.0);

  SECTION("without a [tolerance] table the council's 5% / 0% apply") {
    TempDir plain;
    auto defaults = load_with(plain, kMinimalCatalogue, kMinimalIndicator);
    CHECK(indicator(defaults, "a").tolerance.red_variance_pct == 5.0);
    CHECK(indicator(defaults, "a").tolerance.amber_variance_pct == 0.0);
  }
}

TEST_CASE("rule parameters merge catalogue defaults with the indicator's own", "[config]") {
  TempDir dir;
  std::string catalogue = std::string(kMinimalCatalogue) +
                          "[rules.deterioration]\nrun = 3\nmin_points = 4\n"
                          "[rules.off_target]\nlabel = \"off target\"\n";
  std::string indicators = std::string(kMinimalIndicator) +
                           "[indicator.rules.deterioration]\nrun = 4\nscale = 0.5\n"
                           "[indicator.rules.budget]\nenabled = true\n";
  auto loaded = load_with(dir, catalogue, indicators);
  const IndicatorDefinition& a = indicator(loaded, "a");
  RuleParams expected = {
      {"budget", {{"enabled", true}}},
      {"deterioration",
       {{"min_points", std::int64_t{4}}, {"run", std::int64_t{4}}, {"scale", 0.5}}},
      {"off_target", {{"label", std::string("off target")}}},
  };
  CHECK(a.rule_params == expected);
  CHECK(loaded.catalogue->default_rule_params.at("deterioration").at("run") ==
        ParamValue{std::int64_t{3}});
}

TEST_CASE("source settings become text the way TOML writes them", "[config]") {
  TempDir dir;
  auto loaded = load_with(dir, R"([catalogue]
name = "x"
[sources.dashboard]
plugin = "csv"
path = "data/dashboard.csv"
header_rows = 1
scale = 1.0
ratio = 0.1
strict = true
since = 2016-03-01
)",
                          kMinimalIndicator);
  INFO(describe(loaded.diagnostics));
  REQUIRE(loaded.catalogue);
  const SourceDefinition& s = loaded.catalogue->sources.at(0);
  CHECK(s.plugin == "csv");
  CHECK(s.settings == std::map<std::string, std::string>{{"header_rows", "1"},
                                                         {"path", "data/dashboard.csv"},
                                                         {"ratio", "0.1"},
                                                         {"scale", "1.0"},
                                                         {"since", "2016-03-01"},
                                                         {"strict", "true"}});
}

TEST_CASE("arrays and tables in source settings are type errors", "[config]") {
  TempDir dir;
  auto loaded = load_with(dir, R"([catalogue]
name = "x"
[sources.dashboard]
plugin = "csv"
paths = ["a.csv", "b.csv"]
options = { sep = ";" }
)",
                          kMinimalIndicator);
  INFO(describe(loaded.diagnostics));
  REQUIRE(loaded.diagnostics.size() == 2);
  CHECK(loaded.diagnostics[0].to_string() ==
        file_in(dir, "catalogue.toml") +
            ":5:9: error: sources.dashboard.paths must be a string, number, boolean or date, "
            "found array [config.type]");
  CHECK(loaded.diagnostics[1].to_string() ==
        file_in(dir, "catalogue.toml") +
            ":6:11: error: sources.dashboard.options must be a string, number, boolean or date, "
            "found table [config.type]");
  CHECK_FALSE(loaded.catalogue);
}

TEST_CASE("a source's isolation and timeout_s are the host's, not the plugin's", "[config]") {
  TempDir dir;
  auto loaded = load_with(dir, R"([catalogue]
name = "x"
[sources.dashboard]
plugin = "csv"
path = "data/dashboard.csv"
isolation = "process"
timeout_s = 30
[sources.fast]
plugin = "csv"
path = "data/fast.csv"
isolation = "none"
timeout_s = 0.5
)",
                          kMinimalIndicator);
  INFO(describe(loaded.diagnostics));
  REQUIRE(loaded.catalogue);
  const SourceDefinition& s = loaded.catalogue->sources.at(0);
  CHECK(s.settings == std::map<std::string, std::string>{{"path", "data/dashboard.csv"}});
  CHECK(s.isolation == PluginIsolation::kProcess);
  CHECK(s.timeout_s == 30.0);
  const SourceDefinition& fast = loaded.catalogue->sources.at(1);
  CHECK(fast.isolation == PluginIsolation::kNone);
  CHECK(fast.timeout_s == 0.5);

  auto bad = load_with(dir, R"([catalogue]
name = "x"
[sources.dashboard]
plugin = "csv"
isolation = "thread"
timeout_s = -1
)",
                       kMinimalIndicator);
  REQUIRE(bad.diagnostics.size() == 2);
  CHECK(bad.diagnostics[0].to_string() ==
        file_in(dir, "catalogue.toml") +
            ":5:13: error: sources.dashboard.isolation must be \"process\" or \"none\" "
            "[config.bad_value]");
  CHECK(bad.diagnostics[1].to_string() ==
        file_in(dir, "catalogue.toml") +
            ":6:13: error: sources.dashboard.timeout_s must be a number of seconds above 0 "
            "[config.bad_value]");
}

namespace {

// An [[indicator]] table `id` of `frequency` reading `source`.
std::string indicator_of(const std::string& id, const std::string& frequency,
                         const std::string& source) {
  return "[[indicator]]\nid = \"" + id + "\"\ntitle = \"Indicator " + id +
         "\"\npolarity = \"bigger\"\nunit = \"count\"\nfrequency = \"" + frequency +
         "\"\nsource = \"" + source + "\"\n";
}

}  // namespace

TEST_CASE("a source declares how it writes its periods", "[config][period_form]") {
  TempDir dir;
  const std::string catalogue = R"([catalogue]
name = "x"
[sources.dashboard]
plugin = "csv"
path = "data/dashboard.csv"
period_form = "month_name"
[sources.returns]
plugin = "csv"
path = "data/returns.csv"
period_form = "quarter_end_month"
[sources.plain]
plugin = "csv"
path = "data/plain.csv"
)";
  const std::string indicators =
      std::string(kMinimalIndicator) + indicator_of("b", "financial_quarterly", "returns");
  auto loaded = load_with(dir, catalogue, indicators);
  INFO(describe(loaded.diagnostics));
  REQUIRE(loaded.catalogue);
  const auto& sources = loaded.catalogue->sources;
  CHECK(sources.at(0).name == "dashboard");
  CHECK(sources.at(0).period_form == PeriodForm::kMonthName);
  CHECK(sources.at(0).settings.count("period_form") == 0);  // not passed to the plugin
  CHECK(sources.at(0).period_form_location->line == 6);
  // quarter_end_month takes the quarter kind of the indicators reading it.
  CHECK(sources.at(2).name == "returns");
  CHECK(sources.at(2).period_form == PeriodForm::kFinancialQuarterEndMonth);
  CHECK(sources.at(1).name == "plain");
  CHECK(sources.at(1).period_form == PeriodForm::kCanonical);
  CHECK_FALSE(sources.at(1).period_form_location);
  CHECK(indicator(loaded, "b").frequency == Frequency::kFinancialQuarterly);
}

TEST_CASE("a misspelt or mistyped period_form is located, with a suggestion",
          "[config][period_form]") {
  TempDir dir;
  auto bad = load_with(dir, R"([catalogue]
name = "x"
[sources.dashboard]
plugin = "csv"
period_form = "quater_end_month"
[sources.other]
plugin = "csv"
period_form = 3
)",
                       kMinimalIndicator);
  REQUIRE(bad.diagnostics.size() == 2);
  CHECK(bad.diagnostics[0].to_string() ==
        file_in(dir, "catalogue.toml") +
            ":5:15: error: sources.dashboard.period_form must be one of 'canonical', "
            "'quarter_end_month', 'calendar_quarter_end_month', 'financial_quarter_end_month', "
            "'month_name', 'uk_date', 'financial_quarter' or 'financial_year', found "
            "'quater_end_month'; did you mean 'quarter_end_month'? [config.bad_value]");
  CHECK(bad.diagnostics[1].to_string() ==
        file_in(dir, "catalogue.toml") +
            ":8:15: error: sources.other.period_form must be a string, found integer [config.type]");
  CHECK_FALSE(bad.catalogue);
}

TEST_CASE("a period_form that contradicts its indicators' frequency is an error",
          "[config][period_form]") {
  TempDir dir;
  auto catalogue = [](const std::string& form) {
    return R"([catalogue]
name = "x"
[sources.dashboard]
plugin = "csv"
period_form = ")" + form + "\"\n";
  };
  const std::string quarterly = indicator_of("a", "quarterly", "dashboard");
  auto month_name = load_with(dir, catalogue("month_name"), quarterly);
  REQUIRE(month_name.diagnostics.size() == 1);
  CHECK(month_name.diagnostics[0].to_string() ==
        file_in(dir, "catalogue.toml") +
            ":5:15: error: sources.dashboard.period_form = \"month_name\" writes monthly periods, "
            "but indicator 'a' (" +
            file_in(dir, "indicators/a.toml") + ":1:1) is quarterly [config.period_form_mismatch]");
  CHECK(month_name.diagnostics[0].indicator_id == "a");
  CHECK_FALSE(month_name.catalogue);

  auto financial = load_with(dir, catalogue("financial_quarter_end_month"), quarterly);
  REQUIRE(financial.diagnostics.size() == 1);
  CHECK(financial.diagnostics[0].code == "config.period_form_mismatch");
  CHECK(financial.diagnostics[0].message.find("writes financial_quarterly periods") !=
        std::string::npos);

  auto quarter_end_monthly = load_with(dir, catalogue("quarter_end_month"), kMinimalIndicator);
  REQUIRE(quarter_end_monthly.diagnostics.size() == 1);
  CHECK(quarter_end_monthly.diagnostics[0].message.find("writes quarters, but indicator 'a'") !=
        std::string::npos);

  const std::string mixed =
      quarterly + "\n" + indicator_of("b", "financial_quarterly", "dashboard");
  auto both = load_with(dir, catalogue("quarter_end_month"), mixed);
  REQUIRE(both.diagnostics.size() == 1);
  CHECK(both.diagnostics[0].message ==
        "sources.dashboard.period_form = \"quarter_end_month\" cannot be both calendar and "
        "financial quarters: indicator 'a' is quarterly and 'b' is financial_quarterly; write "
        "calendar_quarter_end_month or financial_quarter_end_month");

  auto fine = load_with(dir, catalogue("calendar_quarter_end_month"), quarterly);
  INFO(describe(fine.diagnostics));
  REQUIRE(fine.catalogue);
  CHECK(fine.catalogue->sources.at(0).period_form == PeriodForm::kCalendarQuarterEndMonth);
}

TEST_CASE("integers are accepted where numbers are expected", "[config]") {
  TempDir dir;
  std::string catalogue = std::string(kMinimalCatalogue) + "[tolerance]\nred_variance_pct = 7\n";
  auto loaded = load_with(dir, catalogue, std::string(kMinimalIndicator) + "target = 2\n");
  CHECK(indicator(loaded, "a").target.fixed_value == 2.0);
  CHECK(indicator(loaded, "a").tolerance.red_variance_pct == 7.0);
}

TEST_CASE("a TOML syntax error is located at its line and column", "[config]") {
  TempDir dir;
  auto loaded = load_with(dir, kMinimalCatalogue, R"([[indicator]]
id = "a"
title = "A" x
)");
  require_error(loaded, "config.syntax", {file_in(dir, "indicators/a.toml"), 3, 13},
                "TOML syntax error: error while parsing key-value pair: expected a comment or "
                "whitespace, saw 'x'");
}

TEST_CASE("syntax error columns count characters, not bytes, on non-ASCII lines", "[config]") {
  TempDir dir;
  auto loaded = load_with(dir, kMinimalCatalogue, "[[indicator]]\ntitle = \"Prénom\" x\n");
  INFO(describe(loaded.diagnostics));
  auto syntax = with_code(loaded.diagnostics, "config.syntax");
  REQUIRE(syntax.size() == 1);
  CHECK(syntax[0].location ==
        std::optional<SourceLocation>({file_in(dir, "indicators/a.toml"), 2, 18}));
}

TEST_CASE("a syntax error in one file does not hide problems in the others", "[config]") {
  TempDir dir;
  dir.write("catalogue.toml", kMinimalCatalogue);
  dir.write("indicators/a.toml", "[[indicator]\n");
  dir.write("indicators/b.toml", std::string(kMinimalIndicator) + "colour = \"red\"\n");
  LoadedCatalogue loaded = load_catalogue(dir.path());
  INFO(describe(loaded.diagnostics));
  REQUIRE(loaded.diagnostics.size() == 2);
  CHECK(loaded.diagnostics[0].code == "config.syntax");
  CHECK(loaded.diagnostics[0].location->file == file_in(dir, "indicators/a.toml"));
  CHECK(loaded.diagnostics[0].location->line == 1);
  CHECK(loaded.diagnostics[1].code == "config.unknown_key");
  CHECK(loaded.diagnostics[1].location ==
        std::optional<SourceLocation>({file_in(dir, "indicators/b.toml"), 8, 1}));
  CHECK_FALSE(loaded.catalogue);
}

TEST_CASE("an unknown key is reported at the key with a suggestion", "[config]") {
  TempDir dir;
  SECTION("in an indicator") {
    auto loaded = load_with(dir, kMinimalCatalogue, R"([[indicator]]
id = "a"
title = "A"
  polarty = "bigger"
polarity = "bigger"
unit = "percent"
frequency = "monthly"
source = "dashboard"
)");
    require_error(loaded, "config.unknown_key", {file_in(dir, "indicators/a.toml"), 4, 3},
                  "unknown key 'polarty' in [[indicator]]; did you mean 'polarity'?");
    CHECK(loaded.diagnostics[0].indicator_id == "a");
  }
  SECTION("in an indicator's inline tolerance") {
    auto loaded = load_with(dir, kMinimalCatalogue,
                            std::string(kMinimalIndicator) +
                                "tolerance = { red_variance_pct = 5, amber_varience_pct = 1 }\n");
    require_error(loaded, "config.unknown_key", {file_in(dir, "indicators/a.toml"), 8, 37},
                  "unknown key 'amber_varience_pct' in the indicator's tolerance; did you mean "
                  "'amber_variance_pct'?");
  }
  SECTION("in catalogue.toml") {
    auto loaded = load_with(dir,
                            "[catalogue]\nname = \"x\"\ncomittee = \"y\"\n"
                            "[sources.dashboard]\nplugin = \"csv\"\n",
                            kMinimalIndicator);
    require_error(loaded, "config.unknown_key", {file_in(dir, "catalogue.toml"), 3, 1},
                  "unknown key 'comittee' in [catalogue]; did you mean 'committee'?");
  }
  SECTION("without a close match the accepted keys are listed") {
    auto loaded =
        load_with(dir, std::string(kMinimalCatalogue) + "[budget_lines.x]\nname = \"X\"\n",
                  kMinimalIndicator);
    INFO(describe(loaded.diagnostics));
    auto unknown = with_code(loaded.diagnostics, "config.unknown_key");
    REQUIRE(unknown.size() == 1);
    CHECK(unknown[0].message == "unknown key 'name' in [budget_lines.x]; accepted keys are title");
    CHECK(unknown[0].location ==
          std::optional<SourceLocation>({file_in(dir, "catalogue.toml"), 14, 1}));
  }
  SECTION("indicators written into catalogue.toml are pointed to indicators/") {
    auto loaded = load_with(dir, std::string(kMinimalCatalogue) + "[[indicator]]\nid = \"x\"\n",
                            kMinimalIndicator);
    require_error(loaded, "config.unknown_key", {file_in(dir, "catalogue.toml"), 13, 3},
                  "unknown key 'indicator' in catalogue.toml: indicators belong in .toml files "
                  "under the indicators/ directory");
  }
  SECTION("indicator keys before the first [[indicator]] line") {
    auto loaded =
        load_with(dir, kMinimalCatalogue, std::string("id = \"x\"\n") + kMinimalIndicator);
    require_error(loaded, "config.unknown_key", {file_in(dir, "indicators/a.toml"), 1, 1},
                  "unknown key 'id' in indicator file: indicator keys belong after an "
                  "[[indicator]] line");
  }
}

TEST_CASE("a value of the wrong type is reported at the value", "[config]") {
  TempDir dir;
  SECTION("a string key given an integer") {
    auto loaded = load_with(dir, kMinimalCatalogue, R"([[indicator]]
id = "a"
title = "A"
polarity = 1
unit = "percent"
frequency = "monthly"
source = "dashboard"
)");
    require_error(loaded, "config.type", {file_in(dir, "indicators/a.toml"), 4, 12},
                  "polarity must be a string, found integer");
    CHECK(loaded.diagnostics[0].indicator_id == "a");
  }
  SECTION("a number given a string") {
    auto loaded =
        load_with(dir, kMinimalCatalogue, std::string(kMinimalIndicator) + "target = \"90%\"\n");
    require_error(loaded, "config.type", {file_in(dir, "indicators/a.toml"), 8, 10},
                  "target must be a number, found string");
  }
  SECTION("an integer given a float") {
    auto loaded =
        load_with(dir, kMinimalCatalogue, std::string(kMinimalIndicator) + "allowed_lag = 1.5\n");
    require_error(loaded, "config.type", {file_in(dir, "indicators/a.toml"), 8, 15},
                  "allowed_lag must be an integer, found float");
  }
  SECTION("an array element that is not a string") {
    auto loaded =
        load_with(dir, kMinimalCatalogue,
                  std::string(kMinimalIndicator) + "budget_lines = [\"older_people\", 7]\n");
    require_error(loaded, "config.type", {file_in(dir, "indicators/a.toml"), 8, 33},
                  "budget_lines[1] must be a string, found integer");
  }
  SECTION("a list of links given a single string") {
    auto loaded =
        load_with(dir, kMinimalCatalogue, std::string(kMinimalIndicator) + "risks = \"RM14079\"\n");
    require_error(loaded, "config.type", {file_in(dir, "indicators/a.toml"), 8, 9},
                  "risks must be an array of risk ids or tables, found string");
  }
  SECTION("an indicator's rule given a value instead of a table") {
    auto loaded = load_with(dir, kMinimalCatalogue,
                            std::string(kMinimalIndicator) + "rules = { deterioration = 4 }\n");
    require_error(loaded, "config.type", {file_in(dir, "indicators/a.toml"), 8, 27},
                  "rules.deterioration must be a table of rule parameters, found integer");
  }
  SECTION("elements of the indicator array that are not tables") {
    auto loaded = load_with(dir, kMinimalCatalogue, "indicator = [1, \"x\"]\n");
    INFO(describe(loaded.diagnostics));
    REQUIRE(loaded.diagnostics.size() == 2);  // and no "no indicators" warning
    CHECK(loaded.diagnostics[0].to_string() ==
          file_in(dir, "indicators/a.toml") +
              ":1:14: error: indicator[0] must be a table, found integer [config.type]");
    CHECK(loaded.diagnostics[1].to_string() ==
          file_in(dir, "indicators/a.toml") +
              ":1:17: error: indicator[1] must be a table, found string [config.type]");
  }
  SECTION("[indicator] instead of [[indicator]]") {
    auto loaded = load_with(dir, kMinimalCatalogue, "[indicator]\nid = \"a\"\n");
    INFO(describe(loaded.diagnostics));
    auto type = with_code(loaded.diagnostics, "config.type");
    REQUIRE(type.size() == 1);
    CHECK(type[0].message == "indicator must be an array of tables ([[indicator]]), found table");
    CHECK(type[0].location ==
          std::optional<SourceLocation>({file_in(dir, "indicators/a.toml"), 1, 1}));
  }
  SECTION("a tolerance threshold given a string in catalogue.toml") {
    auto loaded =
        load_with(dir, std::string(kMinimalCatalogue) + "[tolerance]\nred_variance_pct = \"5%\"\n",
                  kMinimalIndicator);
    require_error(loaded, "config.type", {file_in(dir, "catalogue.toml"), 14, 20},
                  "tolerance.red_variance_pct must be a number, found string");
  }
  SECTION("a rule parameter given an array") {
    auto loaded =
        load_with(dir, std::string(kMinimalCatalogue) + "[rules.deterioration]\nrun = [3]\n",
                  kMinimalIndicator);
    require_error(
        loaded, "config.type", {file_in(dir, "catalogue.toml"), 14, 7},
        "rules.deterioration.run must be a string, integer, float or boolean, found array");
  }
}

TEST_CASE("a value outside its accepted set lists the accepted values", "[config]") {
  TempDir dir;
  SECTION("polarity") {
    auto loaded = load_with(dir, kMinimalCatalogue, R"([[indicator]]
id = "a"
title = "A"
polarity = "larger"
unit = "percent"
frequency = "monthly"
source = "dashboard"
)");
    require_error(loaded, "config.bad_value", {file_in(dir, "indicators/a.toml"), 4, 12},
                  "polarity must be 'bigger' or 'smaller', found 'larger'");
  }
  SECTION("unit, with a suggestion") {
    auto loaded = load_with(dir, kMinimalCatalogue, R"([[indicator]]
id = "a"
title = "A"
polarity = "bigger"
unit = "per100k"
frequency = "monthly"
source = "dashboard"
)");
    require_error(loaded, "config.bad_value", {file_in(dir, "indicators/a.toml"), 5, 8},
                  "unit must be one of 'percent', 'per_100k', 'count', 'currency' or 'number', "
                  "found 'per100k'; did you mean 'per_100k'?");
  }
  SECTION("frequency") {
    auto loaded = load_with(dir, kMinimalCatalogue, R"([[indicator]]
id = "a"
title = "A"
polarity = "bigger"
unit = "percent"
frequency = "weekly"
source = "dashboard"
)");
    require_error(loaded, "config.bad_value", {file_in(dir, "indicators/a.toml"), 6, 13},
                  "frequency must be one of 'monthly', 'quarterly', 'annual', 'financial_year' "
                  "or 'financial_quarterly', found 'weekly'");
  }
  SECTION("an id with capitals and spaces") {
    auto loaded = load_with(dir, kMinimalCatalogue, R"([[indicator]]
id = "DToC rate"
title = "A"
polarity = "bigger"
unit = "percent"
frequency = "monthly"
source = "dashboard"
)");
    require_error(loaded, "config.bad_value", {file_in(dir, "indicators/a.toml"), 2, 6},
                  "id 'DToC rate' is not valid: use only lower-case letters, digits, '_', '.' "
                  "and '-'");
  }
}

TEST_CASE("a missing required key is reported at the table header", "[config]") {
  TempDir dir;
  SECTION("in an indicator, every missing key") {
    auto loaded = load_with(dir, kMinimalCatalogue, R"(# leading comment

  [[indicator]]
id = "a"
polarity = "bigger"
unit = "percent"
frequency = "monthly"
)");
    INFO(describe(loaded.diagnostics));
    REQUIRE(loaded.diagnostics.size() == 2);
    SourceLocation header{file_in(dir, "indicators/a.toml"), 3, 3};
    CHECK(loaded.diagnostics[0].code == "config.missing_key");
    CHECK(loaded.diagnostics[0].location == std::optional<SourceLocation>(header));
    CHECK(loaded.diagnostics[0].message == "[[indicator]] is missing required key 'source'");
    CHECK(loaded.diagnostics[1].location == std::optional<SourceLocation>(header));
    CHECK(loaded.diagnostics[1].message == "[[indicator]] is missing required key 'title'");
    CHECK(loaded.diagnostics[1].indicator_id == "a");
  }
  SECTION("the [catalogue] table") {
    auto loaded = load_with(dir, "[sources.dashboard]\nplugin = \"csv\"\n", kMinimalIndicator);
    require_error(loaded, "config.missing_key", {file_in(dir, "catalogue.toml"), 1, 1},
                  "catalogue.toml is missing required table [catalogue]");
  }
  SECTION("the catalogue name") {
    auto loaded =
        load_with(dir, "[sources.dashboard]\nplugin = \"csv\"\n\n[catalogue]\ncommittee = \"c\"\n",
                  kMinimalIndicator);
    require_error(loaded, "config.missing_key", {file_in(dir, "catalogue.toml"), 4, 1},
                  "[catalogue] is missing required key 'name'");
  }
  SECTION("a source's plugin") {
    auto loaded =
        load_with(dir, "[catalogue]\nname = \"x\"\n[sources.dashboard]\npath = \"d.csv\"\n",
                  kMinimalIndicator);
    require_error(loaded, "config.missing_key", {file_in(dir, "catalogue.toml"), 3, 1},
                  "[sources.dashboard] is missing required key 'plugin'");
  }
  SECTION("a risk's title") {
    auto loaded =
        load_with(dir, std::string(kMinimalCatalogue) + "[risks.ASC-HOSP]\n", kMinimalIndicator);
    require_error(loaded, "config.missing_key", {file_in(dir, "catalogue.toml"), 13, 1},
                  "[risks.ASC-HOSP] is missing required key 'title'");
  }
}

TEST_CASE("an indicator id defined twice names the first definition", "[config]") {
  TempDir dir;
  dir.write("catalogue.toml", kMinimalCatalogue);
  dir.write("indicators/a.toml", kMinimalIndicator);
  dir.write("indicators/b.toml", std::string("# copy\n") + kMinimalIndicator);
  LoadedCatalogue loaded = load_catalogue(dir.path());
  require_error(
      loaded, "config.duplicate_id", {file_in(dir, "indicators/b.toml"), 3, 6},
      "indicator id 'a' is already defined at " + file_in(dir, "indicators/a.toml") + ":1");
  CHECK(loaded.diagnostics[0].indicator_id == "a");
}

TEST_CASE("references to undeclared budget lines, risks and sources are errors", "[config]") {
  TempDir dir;
  auto loaded = load_with(dir, kMinimalCatalogue, R"([[indicator]]
id = "a"
title = "A"
polarity = "bigger"
unit = "percent"
frequency = "monthly"
source = "dashbord"
budget_lines = ["older_people", "older_peple"]
risks = ["RM14079", "ASC-STAFF"]
)");
  INFO(describe(loaded.diagnostics));
  REQUIRE(loaded.diagnostics.size() == 3);
  std::string file = file_in(dir, "indicators/a.toml");
  CHECK(loaded.diagnostics[0].to_string() ==
        file +
            ":7:10: error: unknown source 'dashbord'; did you mean 'dashboard'? "
            "[config.unknown_reference]");
  CHECK(loaded.diagnostics[1].to_string() ==
        file +
            ":8:33: error: unknown budget line 'older_peple'; did you mean 'older_people'? "
            "[config.unknown_reference]");
  CHECK(loaded.diagnostics[2].to_string() ==
        file +
            ":9:21: error: unknown risk 'ASC-STAFF': declare it in catalogue.toml as "
            "[risks.ASC-STAFF] [config.unknown_reference]");
  CHECK(loaded.diagnostics[2].indicator_id == "a");
  CHECK_FALSE(loaded.catalogue);
}

TEST_CASE("a link listed twice is an error", "[config]") {
  TempDir dir;
  auto loaded = load_with(dir, kMinimalCatalogue,
                          std::string(kMinimalIndicator) + "risks = [\"RM14079\", \"RM14079\"]\n");
  require_error(loaded, "config.bad_value", {file_in(dir, "indicators/a.toml"), 8, 21},
                "risk 'RM14079' is listed more than once");
}

TEST_CASE("target profile periods must parse and match the indicator's frequency", "[config]") {
  TempDir dir;
  SECTION("not a period") {
    auto loaded = load_with(dir, kMinimalCatalogue,
                            std::string(kMinimalIndicator) +
                                "target_profile = { \"2016-04\" = 2.0, \"2016-13\" = 1.5 }\n");
    require_error(loaded, "config.bad_period", {file_in(dir, "indicators/a.toml"), 8, 37},
                  "target_profile: invalid period '2016-13': expected YYYY-MM (month), YYYY-Qn "
                  "(quarter), YYYY (year), YYYY/YY (financial year) or YYYY/YY-Qn (financial quarter)");
  }
  SECTION("a quarter in a monthly indicator") {
    auto loaded =
        load_with(dir, kMinimalCatalogue,
                  std::string(kMinimalIndicator) +
                      "\n[indicator.target_profile]\n\"2016-04\" = 2.0\n\"2016-Q3\" = 1.5\n");
    require_error(loaded, "config.bad_period", {file_in(dir, "indicators/a.toml"), 11, 1},
                  "target_profile period '2016-Q3' is quarterly, but the indicator is monthly");
  }
  SECTION("a value that is not a number") {
    auto loaded =
        load_with(dir, kMinimalCatalogue,
                  std::string(kMinimalIndicator) + "target_profile = { \"2016-04\" = \"2\" }\n");
    require_error(loaded, "config.type", {file_in(dir, "indicators/a.toml"), 8, 32},
                  "target_profile.2016-04 must be a number, found string");
  }
  SECTION("an empty profile") {
    auto loaded =
        load_with(dir, kMinimalCatalogue, std::string(kMinimalIndicator) + "target_profile = {}\n");
    require_error(loaded, "config.bad_value", {file_in(dir, "indicators/a.toml"), 8, 18},
                  "target_profile must list at least one period");
  }
}

TEST_CASE("target and target_profile together are a conflict", "[config]") {
  TempDir dir;
  auto loaded = load_with(
      dir, kMinimalCatalogue,
      std::string(kMinimalIndicator) + "target = 1.5\ntarget_profile = { \"2016-04\" = 2.0 }\n");
  require_error(loaded, "config.conflict", {file_in(dir, "indicators/a.toml"), 9, 1},
                "target and target_profile cannot both be set: use target for a target that "
                "stays the same and target_profile for one that changes");
}

TEST_CASE("numbers outside their range are errors", "[config]") {
  TempDir dir;
  SECTION("a negative allowed_lag") {
    auto loaded =
        load_with(dir, kMinimalCatalogue, std::string(kMinimalIndicator) + "allowed_lag = -1\n");
    require_error(loaded, "config.bad_value", {file_in(dir, "indicators/a.toml"), 8, 15},
                  "allowed_lag must be 0 or more, found -1");
  }
  SECTION("a negative tolerance") {
    auto loaded =
        load_with(dir, kMinimalCatalogue,
                  std::string(kMinimalIndicator) + "tolerance = { red_variance_pct = -5.0 }\n");
    require_error(loaded, "config.bad_value", {file_in(dir, "indicators/a.toml"), 8, 34},
                  "tolerance.red_variance_pct must be 0 or more, found -5.0");
  }
  SECTION("an infinite target") {
    auto loaded =
        load_with(dir, kMinimalCatalogue, std::string(kMinimalIndicator) + "target = inf\n");
    require_error(loaded, "config.bad_value", {file_in(dir, "indicators/a.toml"), 8, 10},
                  "target must be a finite number, found inf");
  }
  SECTION("amber above red in catalogue.toml") {
    auto loaded = load_with(dir,
                            std::string(kMinimalCatalogue) +
                                "[tolerance]\nred_variance_pct = 5.0\namber_variance_pct = 6\n",
                            kMinimalIndicator);
    require_error(loaded, "config.bad_value", {file_in(dir, "catalogue.toml"), 15, 22},
                  "tolerance.amber_variance_pct (6.0) must not be greater than "
                  "tolerance.red_variance_pct (5.0)");
  }
  SECTION("amber above red once an indicator's tolerance is merged") {
    auto loaded =
        load_with(dir, kMinimalCatalogue,
                  std::string(kMinimalIndicator) + "tolerance = { amber_variance_pct = 7.5 }\n");
    require_error(loaded, "config.bad_value", {file_in(dir, "indicators/a.toml"), 8, 36},
                  "tolerance.amber_variance_pct (7.5) must not be greater than "
                  "tolerance.red_variance_pct (5.0)");
  }
}

TEST_CASE("the sandbox table sets the rules' limits, each a positive whole number", "[config]") {
  TempDir dir;
  SECTION("read") {
    auto loaded = load_with(dir,
                            std::string(kMinimalCatalogue) +
                                "[sandbox]\nmax_cpu_ms = 20\nmax_string_bytes = 4096\n",
                            kMinimalIndicator);
    INFO(describe(loaded.diagnostics));
    REQUIRE(loaded.catalogue);
    const SandboxSettings& sandbox = loaded.catalogue->sandbox;
    CHECK(sandbox.max_cpu_ms == 20u);
    CHECK(sandbox.max_string_bytes == 4096u);
    CHECK_FALSE(sandbox.max_bytes);
    CHECK_FALSE(sandbox.max_instructions);
    SandboxLimits limits = sandbox.applied_to(SandboxLimits{});
    CHECK(limits.max_cpu_ms == 20u);
    CHECK(limits.max_string_bytes == 4096u);
    CHECK(limits.max_bytes == SandboxLimits{}.max_bytes);
  }
  SECTION("0 turns the time limit off") {
    auto loaded = load_with(dir, std::string(kMinimalCatalogue) + "[sandbox]\nmax_cpu_ms = 0\n",
                            kMinimalIndicator);
    REQUIRE(loaded.catalogue);
    CHECK(loaded.catalogue->sandbox.max_cpu_ms == 0u);
  }
  SECTION("a zero memory limit") {
    auto loaded = load_with(dir, std::string(kMinimalCatalogue) + "[sandbox]\nmax_bytes = 0\n",
                            kMinimalIndicator);
    require_error(loaded, "config.bad_value", {file_in(dir, "catalogue.toml"), 14, 13},
                  "sandbox.max_bytes must be more than 0, found 0");
  }
  SECTION("a negative time limit") {
    auto loaded = load_with(dir, std::string(kMinimalCatalogue) + "[sandbox]\nmax_cpu_ms = -5\n",
                            kMinimalIndicator);
    require_error(loaded, "config.bad_value", {file_in(dir, "catalogue.toml"), 14, 14},
                  "sandbox.max_cpu_ms must be 0 or more, found -5");
  }
  SECTION("an unknown key") {
    auto loaded = load_with(
        dir, std::string(kMinimalCatalogue) + "[sandbox]\nmax_cpu_msec = 5\n", kMinimalIndicator);
    INFO(describe(loaded.diagnostics));
    CHECK(with_code(loaded.diagnostics, "config.unknown_key").size() == 1);
  }
}

TEST_CASE("empty names are errors", "[config]") {
  TempDir dir;
  auto loaded =
      load_with(dir, kMinimalCatalogue, std::string(kMinimalIndicator) + "series = \"\"\n");
  require_error(loaded, "config.bad_value", {file_in(dir, "indicators/a.toml"), 8, 10},
                "series must not be empty");
}

TEST_CASE("a missing catalogue.toml is reported and indicators are still checked", "[config]") {
  TempDir dir;
  auto loaded = load_with(
      dir, "", std::string(kMinimalIndicator) + "risks = [\"anything\"]\nunits = \"x\"\n");
  INFO(describe(loaded.diagnostics));
  REQUIRE(loaded.diagnostics.size() == 2);
  CHECK(loaded.diagnostics[0].code == "config.missing_file");
  CHECK(loaded.diagnostics[0].location ==
        std::optional<SourceLocation>({file_in(dir, "catalogue.toml"), 0, 0}));
  CHECK(loaded.diagnostics[0].message ==
        "no catalogue.toml in '" + dir.path().string() +
            "': a catalogue directory needs a catalogue.toml with a [catalogue] table");
  // References cannot be checked without the catalogue, so 'anything' is not reported.
  CHECK(loaded.diagnostics[1].code == "config.unknown_key");
  CHECK(loaded.diagnostics[1].message ==
        "unknown key 'units' in [[indicator]]; did you mean 'unit'?");
  CHECK_FALSE(loaded.catalogue);
}

TEST_CASE("a missing catalogue directory is reported", "[config]") {
  TempDir dir;
  LoadedCatalogue loaded = load_catalogue(dir / "nowhere");
  require_error(loaded, "config.missing_file", {(dir / "nowhere").string(), 0, 0},
                "catalogue directory '" + (dir / "nowhere").string() + "' does not exist");
}

TEST_CASE("a rule directory that does not exist is reported at its entry", "[config]") {
  TempDir dir;
  auto loaded = load_with(dir,
                          "[catalogue]\nname = \"x\"\nrule_dirs = [\"missing\"]\n"
                          "[sources.dashboard]\nplugin = \"csv\"\n",
                          kMinimalIndicator);
  std::string resolved =
      (std::filesystem::absolute(dir.path()) / "missing").lexically_normal().string();
  require_error(loaded, "config.missing_file", {file_in(dir, "catalogue.toml"), 3, 14},
                "rule directory 'missing' does not exist (looked for " + resolved + ")");
}

TEST_CASE("a shipped rule pack is named vitals:<pack> from any catalogue folder", "[config]") {
  TempDir dir;
  auto loaded = load_with(dir,
                          "[catalogue]\nname = \"x\"\nrule_dirs = [\"vitals:council\", \"vitals:spc\"]\n"
                          "[sources.dashboard]\nplugin = \"csv\"\n",
                          kMinimalIndicator);
  INFO(describe(loaded.diagnostics));
  REQUIRE(loaded.catalogue);
  const auto& dirs = loaded.catalogue->rule_dirs;
  REQUIRE(dirs.size() == 2);
  CHECK(std::filesystem::exists(dirs[0] / "off_target.lua"));
  CHECK(std::filesystem::exists(dirs[1] / "spc.lua"));
  CHECK(dirs[0].parent_path() == vitals::shipped_rules_dir());
}

TEST_CASE("a misspelt shipped rule pack is reported at its entry with the packs there are",
          "[config]") {
  TempDir dir;
  auto loaded = load_with(dir,
                          "[catalogue]\nname = \"x\"\nrule_dirs = [\"vitals:councl\"]\n"
                          "[sources.dashboard]\nplugin = \"csv\"\n",
                          kMinimalIndicator);
  require_error(loaded, "config.missing_file", {file_in(dir, "catalogue.toml"), 3, 14},
                "catalogue.rule_dirs names 'vitals:councl', which is not a rule pack shipped with "
                "Vitals; did you mean 'vitals:council'? (shipped: 'vitals:benchmark', "
                "'vitals:council' or 'vitals:spc', in " +
                    vitals::shipped_rules_dir().string() + ")");
}

TEST_CASE("[report] reasons chooses all reasons or the first in the summary's brackets",
          "[config]") {
  TempDir dir;
  auto loaded = load_with(dir,
                          "[catalogue]\nname = \"x\"\n[report]\nreasons = \"first\"\n"
                          "[sources.dashboard]\nplugin = \"csv\"\n",
                          kMinimalIndicator);
  INFO(describe(loaded.diagnostics));
  REQUIRE(loaded.catalogue);
  CHECK(loaded.catalogue->reasons_shown == ReasonsShown::kFirst);

  TempDir plain;
  auto defaulted = load_with(plain, kMinimalCatalogue, kMinimalIndicator);
  REQUIRE(defaulted.catalogue);
  CHECK(defaulted.catalogue->reasons_shown == ReasonsShown::kAll);

  TempDir misspelt;
  auto bad = load_with(misspelt,
                       "[catalogue]\nname = \"x\"\n[report]\nreasons = \"fist\"\n"
                       "[sources.dashboard]\nplugin = \"csv\"\n",
                       kMinimalIndicator);
  require_error(bad, "config.bad_value", {file_in(misspelt, "catalogue.toml"), 4, 11},
                "report.reasons must be 'all' or 'first', found 'fist'; did you mean 'first'?");
}

TEST_CASE("files over 1 MiB are refused", "[config]") {
  TempDir dir;
  dir.write("catalogue.toml", kMinimalCatalogue);
  dir.write("indicators/a.toml", kMinimalIndicator);
  dir.write("indicators/huge.toml", std::string(1024 * 1024 + 10, '#'));
  LoadedCatalogue loaded = load_catalogue(dir.path());
  require_error(loaded, "config.file_too_large", {file_in(dir, "indicators/huge.toml"), 0, 0},
                "file is 1048586 bytes; configuration files are limited to 1048576 bytes (1 MiB)");
}

TEST_CASE("a catalogue with no indicators loads with a warning", "[config]") {
  TempDir dir;
  dir.write("catalogue.toml", std::string("# Empty for now\n") + kMinimalCatalogue);
  LoadedCatalogue loaded = load_catalogue(dir.path());
  require_only(loaded, Severity::kWarning, "config.no_indicators",
               {file_in(dir, "catalogue.toml"), 2, 1},
               "the catalogue defines no indicators: add [[indicator]] tables to .toml files "
               "under " +
                   (dir / "indicators").string());
  REQUIRE(loaded.catalogue);
  CHECK(loaded.catalogue->indicators.empty());
  CHECK(loaded.catalogue->name == "Adult Social Care");
}

TEST_CASE("an indicator file with no indicators gets a warning", "[config]") {
  TempDir dir;
  dir.write("catalogue.toml", kMinimalCatalogue);
  dir.write("indicators/a.toml", kMinimalIndicator);
  dir.write("indicators/empty.toml", "# nothing yet\n");
  LoadedCatalogue loaded = load_catalogue(dir.path());
  require_only(loaded, Severity::kWarning, "config.no_indicators",
               {file_in(dir, "indicators/empty.toml"), 0, 0},
               "file defines no indicators; start each one with an [[indicator]] line");
  REQUIRE(loaded.catalogue);
  CHECK(loaded.catalogue->indicators.size() == 1);
}

TEST_CASE("every problem is reported, sorted by file, line and column", "[config]") {
  TempDir dir;
  dir.write("catalogue.toml", std::string(kMinimalCatalogue) + "[tolerance]\nred = 5\n");
  dir.write("indicators/b.toml", R"([[indicator]]
id = "b"
title = 3
polarity = "up"
unit = "percent"
frequency = "monthly"
source = "dashboard"
allowed_lag = -2
)");
  dir.write("indicators/a.toml", R"([[indicator]]
id = "a"
polarity = "smaller"
unit = "percent"
frequency = "monthly"
source = "nowhere"
)");
  LoadedCatalogue loaded = load_catalogue(dir.path());
  INFO(describe(loaded.diagnostics));
  std::string cat = file_in(dir, "catalogue.toml");
  std::string a = file_in(dir, "indicators/a.toml");
  std::string b = file_in(dir, "indicators/b.toml");
  std::vector<std::string> expected = {
      cat +
          ":14:1: error: unknown key 'red' in [tolerance]; accepted keys are red_variance_pct, "
          "amber_variance_pct [config.unknown_key]",
      a + ":1:1: error: [[indicator]] is missing required key 'title' [config.missing_key]",
      a + ":6:10: error: unknown source 'nowhere': declare it in catalogue.toml as "
          "[sources.nowhere] [config.unknown_reference]",
      b + ":3:9: error: title must be a string, found integer [config.type]",
      b + ":4:12: error: polarity must be 'bigger' or 'smaller', found 'up' [config.bad_value]",
      b + ":8:15: error: allowed_lag must be 0 or more, found -2 [config.bad_value]",
  };
  std::vector<std::string> actual;
  for (const Diagnostic& d : loaded.diagnostics) actual.push_back(d.to_string());
  CHECK(actual == expected);
  CHECK_FALSE(loaded.catalogue);
}

TEST_CASE("data_dirs names folders outside the catalogue that sources may read", "[config]") {
  TempDir outside;
  TempDir dir;
  const std::string head = "[catalogue]\nname = \"A\"\ndata_dirs = [";
  const std::string sources = "]\n\n[sources.dashboard]\nplugin = \"csv\"\npath = \"x.csv\"\n";
  SECTION("each folder is resolved, links and all, and handed to every source") {
    std::filesystem::create_directory_symlink(outside.path(), dir / "exports");
    LoadedCatalogue loaded = load_with(dir, head + "\"exports\", \"" + outside.path().string() +
                                                "\"" + sources, kMinimalIndicator);
    INFO(describe(loaded.diagnostics));
    REQUIRE(loaded.catalogue);
    const std::filesystem::path real = std::filesystem::canonical(outside.path());
    CHECK(loaded.catalogue->data_dirs == std::vector<std::filesystem::path>{real, real});
    REQUIRE(loaded.catalogue->sources.size() == 1);
    CHECK(loaded.catalogue->sources[0].data_dirs == loaded.catalogue->data_dirs);
  }
  SECTION("a folder that does not exist, or an empty entry, is an error") {
    LoadedCatalogue loaded = load_with(dir, head + "\"nope\", \"\"" + sources, kMinimalIndicator);
    INFO(describe(loaded.diagnostics));
    REQUIRE(loaded.diagnostics.size() == 2);
    CHECK(loaded.diagnostics[0].code == "config.missing_file");
    CHECK(loaded.diagnostics[0].location ==
          std::optional<SourceLocation>(SourceLocation{file_in(dir, "catalogue.toml"), 3, 14}));
    CHECK(loaded.diagnostics[0].message ==
          "data folder 'nope' does not exist (looked for " +
              (dir.path() / "nope").string() + ")");
    CHECK(loaded.diagnostics[1].code == "config.bad_value");
    CHECK(loaded.diagnostics[1].message == "catalogue.data_dirs entries must not be empty");
    CHECK_FALSE(loaded.catalogue);
  }
}

// Issue 12, case 7: catalogue files are read from inside the catalogue folder.
TEST_CASE("an indicator file linked to a file outside the catalogue is refused", "[config]") {
  TempDir outside;
  outside.write("a.toml", kMinimalIndicator);
  TempDir dir;
  std::filesystem::create_directories(dir / "indicators");
  std::filesystem::create_symlink(outside / "a.toml", dir / "indicators/a.toml");
  dir.write("catalogue.toml", kMinimalCatalogue);
  LoadedCatalogue loaded = load_catalogue(dir.path());
  INFO(describe(loaded.diagnostics));
  REQUIRE(loaded.diagnostics.size() == 1);
  CHECK(loaded.diagnostics[0].code == "config.outside_catalogue");
  CHECK(loaded.diagnostics[0].location->file == file_in(dir, "indicators/a.toml"));
  CHECK_FALSE(loaded.catalogue);
}

TEST_CASE("[sandbox] sets the caps on what rules return, each key over the engine's", "[config]") {
  TempDir dir;
  auto loaded = load_with(dir,
                          std::string(kMinimalCatalogue) +
                              "[sandbox]\nmax_message_bytes = 500\nmax_evidence_entries = 10\n",
                          kMinimalIndicator);
  INFO(describe(loaded.diagnostics));
  REQUIRE(loaded.catalogue);
  SandboxLimits engine;
  engine.max_evidence_key_bytes = 32;
  const SandboxLimits limits = loaded.catalogue->sandbox.applied_to(engine);
  CHECK(limits.max_message_bytes == 500);
  CHECK(limits.max_evidence_entries == 10);
  CHECK(limits.max_evidence_key_bytes == 32);
  CHECK(limits.max_evidence_text_bytes == SandboxLimits{}.max_evidence_text_bytes);
}

TEST_CASE("[sandbox] values are whole numbers of at least 1, and its keys are checked",
          "[config]") {
  TempDir dir;
  const std::string base = std::string(kMinimalCatalogue) + "[sandbox]\n";
  auto zero = load_with(dir, base + "max_message_bytes = 0\n", kMinimalIndicator);
  CHECK(with_code(zero.diagnostics, "config.bad_value").size() == 1);
  CHECK_FALSE(zero.catalogue);
  auto typo = load_with(dir, base + "max_mesage_bytes = 10\n", kMinimalIndicator);
  REQUIRE(with_code(typo.diagnostics, "config.unknown_key").size() == 1);
  CHECK(with_code(typo.diagnostics, "config.unknown_key")[0].message.find(
            "did you mean 'max_message_bytes'?") != std::string::npos);
}

TEST_CASE("a catalogue or commentary file that is not UTF-8 is refused where the bad byte is",
          "[config]") {
  TempDir dir;
  // "£" as Windows-1252 writes it, on line 3.
  auto loaded = load_with(dir,
                          "[catalogue]\nname = \"x\"\ncommittee = \"Budget \xA3m\"\n",
                          kMinimalIndicator);
  require_error(loaded, "config.bad_encoding", SourceLocation{file_in(dir, "catalogue.toml"), 3, 21},
                "the file is not valid UTF-8 here (byte '\\xa3'); save it as UTF-8 (in Excel or "
                "Notepad: Save As, encoding UTF-8)");
}

TEST_CASE("a value quoted in a diagnostic shows the characters a reader cannot see",
          "[config]") {
  TempDir dir;
  std::string indicators = kMinimalIndicator;
  const std::string polarity = "polarity = \"bigger\"";
  indicators.replace(indicators.find(polarity), polarity.size(), "polarity = \"bigger\\u00a0\"");
  auto loaded = load_with(dir, kMinimalCatalogue, indicators);
  auto bad = with_code(loaded.diagnostics, "config.bad_value");
  REQUIRE(bad.size() == 1);
  CHECK(bad[0].message.rfind("polarity must be 'bigger' or 'smaller', found 'bigger\\u00a0'", 0) ==
        0);
}

TEST_CASE("[year_end] sets the year-end summary's thresholds, each checked", "[config][year_end]") {
  TempDir dir;
  SECTION("defaults without the table") {
    auto loaded = load_with(dir, kMinimalCatalogue, kMinimalIndicator);
    REQUIRE(loaded.catalogue);
    CHECK(loaded.catalogue->year_end.change_pct == 1.0);
    CHECK(loaded.catalogue->year_end.change_points == 1.0);
    CHECK(loaded.catalogue->year_end.sustained_pct == 75.0);
  }
  SECTION("read, integers accepted") {
    auto loaded = load_with(dir,
                            std::string(kMinimalCatalogue) +
                                "[year_end]\nchange_pct = 2.5\nchange_points = 2\nsustained_pct = 100\n",
                            kMinimalIndicator);
    INFO(describe(loaded.diagnostics));
    REQUIRE(loaded.catalogue);
    CHECK(loaded.catalogue->year_end.change_pct == 2.5);
    CHECK(loaded.catalogue->year_end.change_points == 2.0);
    CHECK(loaded.catalogue->year_end.sustained_pct == 100.0);
  }
  SECTION("0 is allowed") {
    auto loaded = load_with(dir, std::string(kMinimalCatalogue) + "[year_end]\nchange_pct = 0\n",
                            kMinimalIndicator);
    REQUIRE(loaded.catalogue);
    CHECK(loaded.catalogue->year_end.change_pct == 0.0);
  }
  SECTION("a negative threshold") {
    auto loaded = load_with(dir, std::string(kMinimalCatalogue) + "[year_end]\nchange_points = -1\n",
                            kMinimalIndicator);
    require_error(loaded, "config.bad_value", {file_in(dir, "catalogue.toml"), 14, 17},
                  "year_end.change_points must be a finite number, 0 or more, found -1");
  }
  SECTION("a share over 100%") {
    auto loaded = load_with(dir, std::string(kMinimalCatalogue) + "[year_end]\nsustained_pct = 100.5\n",
                            kMinimalIndicator);
    require_error(loaded, "config.bad_value", {file_in(dir, "catalogue.toml"), 14, 17},
                  "year_end.sustained_pct must be a percentage from 0 to 100, found 100.5");
  }
  SECTION("a value of the wrong type") {
    auto loaded = load_with(dir, std::string(kMinimalCatalogue) + "[year_end]\nchange_pct = \"1%\"\n",
                            kMinimalIndicator);
    INFO(describe(loaded.diagnostics));
    REQUIRE(with_code(loaded.diagnostics, "config.type").size() == 1);
    CHECK(with_code(loaded.diagnostics, "config.type")[0].location->line == 14);
  }
  SECTION("a misspelt key gets a suggestion") {
    auto loaded = load_with(dir, std::string(kMinimalCatalogue) + "[year_end]\nchange_percent = 2\n",
                            kMinimalIndicator);
    INFO(describe(loaded.diagnostics));
    auto unknown = with_code(loaded.diagnostics, "config.unknown_key");
    REQUIRE(unknown.size() == 1);
    CHECK(unknown[0].message.find("did you mean 'change_pct'") != std::string::npos);
  }
}
