// SPDX-License-Identifier: Apache-2.0
// ctx.budget_lines and ctx.risks as rules see them, the rule library helpers
// money and performance, and the criteria rules' cases the rule test files
// cannot express (linked ids without figures).
#include "catch.hpp"
#include "lua/linked_records.hpp"
#include "lua/lua_test_support.hpp"
#include "lua/marshal.hpp"
#include "lua/shipped_rules.hpp"

#include <filesystem>
#include <fstream>
#include <memory>
#include <string>

namespace vitals::testing {
namespace {

using detail::LinkedRecords;
using detail::RuleSet;
using Status = RuleOutcome::Status;

LinkedRecords norfolk_links() {
  LinkedRecords links;
  BudgetLine older;
  older.id = "older_people";
  older.title = "Older People";
  older.parent = "Services to Users (net)";
  older.period = period("2017-03");
  older.budget = 103677000;
  older.forecast = 111914000;
  older.variance = 8237000;
  older.variance_pct = 8237000.0 / 103677000.0 * 100.0;
  Saving saving;
  saving.id = "ld_care";
  saving.name = "Learning disabilities care";
  saving.budget_line = "older_people";
  saving.planned = 1500000;
  saving.forecast = 600000;
  saving.rag = Rag::kRed;
  older.savings.push_back(saving);
  links.budget_lines.emplace(older.id, older);

  Risk risk;
  risk.id = "RM14079";
  risk.title = "Failure to meet the long term needs of Norfolk citizens";
  risk.owner = "Director of Adult Social Services";
  risk.period = period("2017-03");
  risk.original = RiskScore{5, 5};
  risk.current = RiskScore{4, 5};
  risk.target = RiskScore{2, 4};
  risk.target_date = "2030-03-31";
  risk.prospects = Rag::kAmber;
  risk.previous_score = 16;
  links.risks.emplace(risk.id, risk);
  return links;
}

// Writes a rule file `id`.lua returning message = <expression> into a fresh
// rule folder (with the shipped lib beside it) and loads it.
struct ProbeRule {
  TempDir dir;
  RuleSet set;
  explicit ProbeRule(const std::string& expression, const std::string& prelude = "")
      : set(load(expression, prelude)) {}

  RuleSet load(const std::string& expression, const std::string& prelude) {
    std::filesystem::create_directories(dir / "rules/council");
    std::filesystem::copy(std::string(VITALS_SOURCE_DIR) + "/rules/lib", dir / "rules/lib",
                          std::filesystem::copy_options::recursive);
    dir.write("rules/council/probe.lua",
              prelude + "\nreturn { id = \"probe\", version = \"1\", description = \"probe\",\n"
                        "  evaluate = function(ctx)\n"
                        "    return { status = \"ok\", message = tostring(" +
                  expression + ") }\n  end }\n");
    std::vector<Diagnostic> diagnostics;
    RuleSet loaded = RuleSet::load({dir / "rules/council"}, SandboxLimits{}, nullptr, diagnostics);
    INFO(codes_of(diagnostics));
    for (const Diagnostic& d : diagnostics) INFO(d.to_string());
    REQUIRE(diagnostics.empty());
    return loaded;
  }

  RuleOutcome run(const detail::RuleInput& input) {
    std::vector<Diagnostic> diagnostics;
    std::vector<RuleOutcome> outcomes = set.evaluate(input, diagnostics);
    REQUIRE(outcomes.size() == 1);
    if (!diagnostics.empty()) FAIL(diagnostics[0].to_string());
    return outcomes[0];
  }
};

IndicatorDefinition linked_indicator() {
  IndicatorDefinition indicator = make_indicator("admissions_65_plus", Polarity::kSmallerIsBetter);
  indicator.unit = Unit::kPer100k;
  indicator.decimals = 0;  // whole numbers, as the dashboard prints this rate
  indicator.budget_lines = {"norsecare", "older_people"};  // norsecare has no figures
  indicator.risks = {"RM14079"};
  return indicator;
}

}  // namespace

TEST_CASE("rules see the linked budget lines and their savings with every figure",
          "[lua][links]") {
  IndicatorDefinition indicator = linked_indicator();
  LinkedRecords links = norfolk_links();
  auto input = make_input(indicator, make_series("2017-03", {633}, 573, Polarity::kSmallerIsBetter));
  input.links = &links;
  ProbeRule probe(
      "#ctx.budget_lines .. ' ' .. ctx.budget_lines[1].id .. ' ' .. ctx.budget_lines[1].title"
      " .. ' ' .. ctx.budget_lines[1].parent .. ' ' .. ctx.budget_lines[1].period"
      " .. ' ' .. string.format('%.0f %.0f %.0f %.2f', ctx.budget_lines[1].budget,"
      " ctx.budget_lines[1].forecast, ctx.budget_lines[1].variance,"
      " ctx.budget_lines[1].variance_pct)"
      " .. ' ' .. #ctx.budget_lines[1].savings .. ' ' .. ctx.budget_lines[1].savings[1].name"
      " .. ' ' .. ctx.budget_lines[1].savings[1].rag .. ' ' .."
      " string.format('%.0f/%.0f', ctx.budget_lines[1].savings[1].forecast,"
      " ctx.budget_lines[1].savings[1].planned)");
  CHECK(probe.run(input).message ==
        "1 older_people Older People Services to Users (net) 2017-03 103677000 111914000 8237000 "
        "7.94 1 Learning disabilities care red 600000/1500000");
}

TEST_CASE("rules see the linked risks with score, band, prospects and previous score",
          "[lua][links]") {
  IndicatorDefinition indicator = linked_indicator();
  LinkedRecords links = norfolk_links();
  auto input = make_input(indicator, make_series("2017-03", {633}, 573, Polarity::kSmallerIsBetter));
  input.links = &links;
  ProbeRule probe(
      "(function(r) return table.concat({#ctx.risks, r.id, r.likelihood, r.impact, r.score,"
      " r.band, r.prospects, r.previous_score, r.original_score, r.target_score,"
      " r.target_likelihood, r.target_impact, r.target_date, r.owner, r.period,"
      " math.type(r.score)}, '|') end)(ctx.risks[1])");
  CHECK(probe.run(input).message ==
        "1|RM14079|4|5|20|high|amber|16|25|8|2|4|2030-03-31|Director of Adult Social "
        "Services|2017-03|integer");
}

TEST_CASE("without records, the link lists are empty", "[lua][links]") {
  IndicatorDefinition indicator = linked_indicator();
  auto input = make_input(indicator, make_series("2017-03", {633}, 573, Polarity::kSmallerIsBetter));
  ProbeRule probe("#ctx.budget_lines .. ' ' .. #ctx.risks");
  CHECK(probe.run(input).message == "0 0");
}

TEST_CASE("the link lists one indicator's call read are not the next indicator's",
          "[lua][links]") {
  IndicatorDefinition indicator = linked_indicator();
  LinkedRecords links = norfolk_links();
  auto linked = make_input(indicator, make_series("2017-03", {633}, 573, Polarity::kSmallerIsBetter));
  linked.links = &links;
  auto unlinked = make_input(indicator, make_series("2017-03", {633}, 573, Polarity::kSmallerIsBetter));
  ProbeRule probe("#ctx.budget_lines .. ' ' .. #ctx.risks");
  CHECK(probe.run(linked).message == "1 1");
  CHECK(probe.run(unlinked).message == "0 0");
  CHECK(probe.run(linked).message == "1 1");
}

TEST_CASE("the linked records are read-only to rules", "[lua][links]") {
  IndicatorDefinition indicator = linked_indicator();
  LinkedRecords links = norfolk_links();
  auto input = make_input(indicator, make_series("2017-03", {633}, 573, Polarity::kSmallerIsBetter));
  input.links = &links;
  for (const char* write : {"ctx.budget_lines[1].budget = 0", "ctx.risks[1].score = 1",
                            "ctx.budget_lines[1].savings[1].rag = 'green'",
                            "table.insert(ctx.risks, {})"}) {
    INFO(write);
    TempDir dir;
    std::filesystem::create_directories(dir / "rules");
    dir.write("rules/w.lua", std::string("return { id = \"w\", version = \"1\", description = "
                                         "\"w\", evaluate = function(ctx)\n  ") +
                                 write + "\n  return { status = \"ok\", message = \"\" } end }\n");
    std::vector<Diagnostic> diagnostics;
    RuleSet set = RuleSet::load({dir / "rules"}, SandboxLimits{}, nullptr, diagnostics);
    REQUIRE(diagnostics.empty());
    std::vector<RuleOutcome> outcomes = set.evaluate(input, diagnostics);
    REQUIRE(outcomes.size() == 1);
    CHECK(outcomes[0].status == Status::kError);
    REQUIRE(diagnostics.size() == 1);
    CHECK(diagnostics[0].message.find("is read-only") != std::string::npos);
  }
}

TEST_CASE("money is written as committee papers print it", "[lua][links]") {
  ProbeRule probe(
      "table.concat({money.format(1234567), money.format(999600), money.format(999400),"
      " money.format(267000), money.format(1000), money.format(999.4), money.format(999.5),"
      " money.format(0), money.format(-500000), money.format(3000000), money.format(12345678)},"
      " ' ')",
      "local money = require \"vitals.money\"");
  IndicatorDefinition indicator = make_indicator("x");
  auto input = make_input(indicator, make_series("2017-03", {1}, std::nullopt, Polarity::kBiggerIsBetter));
  CHECK(probe.run(input).message ==
        "£1.2m £1m £999k £267k £1k £999 £1k £0 -£500k £3m £12.3m");
}

TEST_CASE("budget_impact needs figures for at least one linked budget line", "[lua][rules][links]") {
  RuleSet set = load_shipped_rules();
  IndicatorDefinition indicator = linked_indicator();
  indicator.budget_lines = {"norsecare"};
  LinkedRecords links = norfolk_links();
  auto input = make_input(indicator, make_series("2017-03", {633}, 573, Polarity::kSmallerIsBetter));
  input.links = &links;
  RuleOutcome o = run_rule(set, "budget_impact", input);
  CHECK(o.status == Status::kInsufficientData);
  CHECK(o.criterion == "budget_impact");
  CHECK(o.message == "no budget monitoring figures for the linked budget lines (norsecare)");

  indicator.budget_lines.clear();
  CHECK(run_rule(set, "budget_impact", input).status == Status::kNotApplicable);
}

TEST_CASE("risk_impact needs a scored entry for at least one linked risk", "[lua][rules][links]") {
  RuleSet set = load_shipped_rules();
  IndicatorDefinition indicator = linked_indicator();
  indicator.risks = {"RM0207", "RM14247"};
  LinkedRecords links = norfolk_links();
  auto input = make_input(indicator, make_series("2017-03", {633}, 573, Polarity::kSmallerIsBetter));
  input.links = &links;
  RuleOutcome o = run_rule(set, "risk_impact", input);
  CHECK(o.status == Status::kInsufficientData);
  CHECK(o.criterion == "risk_impact");
  CHECK(o.message == "no risk register entry scores the linked risks (RM0207, RM14247)");

  indicator.risks.clear();
  CHECK(run_rule(set, "risk_impact", input).status == Status::kNotApplicable);
}

TEST_CASE("the criteria rules both fire for Norfolk's admissions 65+ in March 2017",
          "[lua][rules][links]") {
  RuleSet set = load_shipped_rules();
  IndicatorDefinition indicator = linked_indicator();
  LinkedRecords links = norfolk_links();
  auto input = make_input(indicator, make_series("2017-02", {625, 633}, 573, Polarity::kSmallerIsBetter));
  input.links = &links;
  RuleOutcome budget = run_rule(set, "budget_impact", input);
  CHECK(budget.status == Status::kException);
  CHECK(budget.message ==
        "linked budget line Older People forecasts £8.2m overspend (7.9%); linked saving "
        "Learning disabilities care is Red (£600k of £1.5m), and performance is off target (Red: "
        "633 against a target of 573)");
  CHECK(std::get<std::string>(budget.evidence.at("budget_lines")) == "older_people");
  CHECK(std::get<std::string>(budget.evidence.at("savings")) == "ld_care");
  RuleOutcome risk = run_rule(set, "risk_impact", input);
  CHECK(risk.status == Status::kException);
  CHECK(risk.message ==
        "linked risk RM14079 Failure to meet the long term needs of Norfolk citizens scores 20 "
        "(High, 4 x 5), prospects amber, up from 16 in the previous register, and performance is "
        "off target (Red: 633 against a target of 573)");
}

TEST_CASE("the criteria rules refuse bad parameters as rule errors", "[lua][rules][links]") {
  RuleSet set = load_shipped_rules();
  IndicatorDefinition indicator = linked_indicator();
  LinkedRecords links = norfolk_links();
  auto input = make_input(indicator, make_series("2017-03", {633}, 573, Polarity::kSmallerIsBetter));
  input.links = &links;
  const std::tuple<const char*, const char*, ParamValue, const char*> cases[] = {
      {"budget_impact", "variance_pct", std::string("lots"),
       "parameter variance_pct must be a number of at least 0, found 'lots'"},
      {"budget_impact", "match", std::string("some"),
       "parameter match must be 'all' or 'any', found 'some'"},
      {"risk_impact", "score", std::int64_t{26},
       "parameter score must be a whole number from 1 to 25, found 26"},
      {"risk_impact", "on_rise", std::string("yes"),
       "parameter on_rise must be true or false, found 'yes'"},
  };
  for (const auto& [rule, name, value, message] : cases) {
    INFO(rule << " " << name);
    IndicatorDefinition with_param = indicator;
    with_param.rule_params[rule][name] = value;
    input.indicator = &with_param;
    std::vector<Diagnostic> diagnostics;
    RuleOutcome o = run_rule(set, rule, input, &diagnostics);
    CHECK(o.status == Status::kError);
    REQUIRE(diagnostics.size() == 1);
    CHECK(diagnostics[0].code == "rule.bad_param");
    CHECK(diagnostics[0].message.find(message) != std::string::npos);
  }
}

TEST_CASE("the cost driver reaches the rules on the line it charges, with the time left",
          "[lua][links]") {
  IndicatorDefinition indicator = linked_indicator();
  indicator.unit = Unit::kPer100k;
  CostDriver driver;
  driver.budget_line = "older_people";
  driver.unit_cost = 520;
  driver.per = CostDriver::Per::kWeek;
  driver.population = 213765;
  driver.population_label = "aged 65+";
  driver.unit_cost_illustrative = true;
  indicator.cost_driver = std::make_shared<const CostDriver>(driver);
  LinkedRecords links = norfolk_links();
  // December 2016: 90 days (12.86 weeks) of the financial year remain.
  auto input =
      make_input(indicator, make_series("2016-12", {628}, 573, Polarity::kSmallerIsBetter));
  input.links = &links;
  ProbeRule probe(
      "ctx.indicator.cost_driver_line .. ' ' .. ctx.budget_lines[1].id .. ' '"
      " .. string.format('%.0f %s %.2f %.0f', ctx.budget_lines[1].cost_driver.unit_cost,"
      " ctx.budget_lines[1].cost_driver.per, ctx.budget_lines[1].cost_driver.remaining,"
      " ctx.budget_lines[1].cost_driver.population)"
      " .. ' ' .. ctx.budget_lines[1].cost_driver.population_label"
      " .. ' ' .. tostring(ctx.budget_lines[1].cost_driver.unit_cost_illustrative)"
      " .. ' ' .. tostring(ctx.budget_lines[1].cost_driver.population_illustrative)");
  CHECK(probe.run(input).message ==
        "older_people older_people 520 week 12.86 213765 aged 65+ true false");

  SECTION("the shipped rule costs the gap: £786k is 0.76% of Older People, not material") {
    RuleSet set = load_shipped_rules();
    RuleOutcome budget = run_rule(set, "budget_impact", input);
    CHECK(budget.status == Status::kOk);
    CHECK(budget.message ==
          "the gap to target costs Older People £786k, 0.76% of its £103.7m budget, below the 1% "
          "that is material (55 per 100,000 over target × 213,765 aged 65+ / 100,000 = 117.57 × "
          "£520 a week (illustrative) × 12.86 weeks left in the financial year = £786k)");
  }
  SECTION("a line the driver does not charge carries none") {
    indicator.cost_driver = nullptr;
    ProbeRule none(
        "tostring(ctx.indicator.cost_driver_line) .. ' ' .. "
        "tostring(ctx.budget_lines[1].cost_driver)");
    CHECK(none.run(input).message == "nil nil");
  }
}

}  // namespace vitals::testing
