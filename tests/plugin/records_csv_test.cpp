// SPDX-License-Identifier: Apache-2.0
// The bundled records_csv plugin (budget lines, savings, risk registers),
// loaded through the real loader.
#include "catch.hpp"
#include "plugin/plugin_registry.hpp"
#include "plugin/source_handle.hpp"
#include "plugin_test_support.hpp"
#include "support/temp_dir.hpp"

#include <vitals/records.hpp>

#include <filesystem>
#include <map>
#include <string>
#include <vector>

using namespace vitals;
using vitals::detail::FetchOutput;
using vitals::detail::PluginRegistry;
using vitals::testing::make_source;
using vitals::testing::TempDir;

namespace {

PluginRegistry& registry() {
  static PluginRegistry* registry = [] {
    auto* r = new PluginRegistry(vitals::detail::null_logger());
    std::vector<Diagnostic> diagnostics;
    Status loaded = r->load_file(std::filesystem::path(VITALS_PLUGIN_DIR) / "records_csv.so", true,
                                 diagnostics);
    if (!loaded.is_ok()) FAIL(loaded.to_string());
    return r;
  }();
  return *registry;
}

struct Run {
  Status status;
  FetchOutput out;
  std::string file;
};

Run run_csv(const std::string& content, std::map<std::string, std::string> settings) {
  TempDir dir;
  dir.write("data.csv", content);
  settings.emplace("path", "data.csv");
  auto source = registry().create_source(make_source("records_csv", std::move(settings), dir.path()));
  REQUIRE(source.ok());
  Run run;
  run.file = (dir.path() / "data.csv").string();
  run.status = (*source)->fetch(run.out);
  return run;
}

Status create_error(std::map<std::string, std::string> settings) {
  TempDir dir;
  dir.write("data.csv", "x\n");
  settings.emplace("path", "data.csv");
  auto source = registry().create_source(make_source("records_csv", std::move(settings), dir.path()));
  REQUIRE_FALSE(source.ok());
  return source.status();
}

const std::string kShared = VITALS_SOURCE_DIR "/examples/norfolk/data/";

double number(const Record& r, const std::string& field) {
  return std::get<double>(r.fields.at(field));
}

std::string text(const Record& r, const std::string& field) {
  return std::get<std::string>(r.fields.at(field));
}

}  // namespace

TEST_CASE("records_csv reads the Norfolk budget lines in pounds with ids from their names",
          "[plugin][records_csv]") {
  auto source = registry().create_source(make_source(
      "records_csv", {{"kind", "budget"},
                      {"path", kShared + "budget.csv"},
                      {"period_column", "period"},
                      {"unit", "gbp_m"},
                      {"budget_column", "budget_2016_17_gbp_m"},
                      {"forecast_column", "outturn_gbp_m"},
                      {"variance_column", "variance_gbp_m"},
                      {"previous_variance_column", "variance_at_p10_gbp_m"}}));
  REQUIRE(source.ok());
  FetchOutput out;
  Status status = (*source)->fetch(out);
  INFO(status.to_string());
  REQUIRE(status.is_ok());
  CHECK(out.diagnostics.empty());
  // Period 10 (the six lines of the departmental summary) and Period 13.
  REQUIRE(out.records.size() == 26);
  std::map<std::string, const Record*> by_key;
  std::map<std::string, const Record*> p10;
  for (const Record& r : out.records) {
    (r.period == Period::month(2017, 1) ? p10 : by_key)[r.key] = &r;
  }
  REQUIRE(by_key.size() == 20);
  REQUIRE(p10.size() == 6);
  REQUIRE(by_key.count("services_to_users_net") == 1);
  REQUIRE(by_key.count("management_finance_hr") == 1);
  REQUIRE(by_key.count("care_assessment_other_staff_costs") == 1);
  const Record& older = *by_key.at("older_people");
  CHECK(older.kind == "budget_line");
  CHECK(older.period == Period::month(2017, 3));
  CHECK(text(older, "title") == "Older People");
  CHECK(text(older, "parent") == "Services to Users (net)");
  CHECK(text(older, "basis") == "net");
  CHECK(number(older, "finance_period") == 13);
  CHECK(number(older, "budget") == Approx(103677000));
  CHECK(number(older, "forecast") == Approx(111914000));
  CHECK(number(older, "variance") == Approx(8238000));
  CHECK(text(*by_key.at("mental_health"), "basis") == "gross");
  CHECK(number(*by_key.at("total_net_expenditure"), "previous_variance") == Approx(9629000));
  // A blank cell is no field, not zero.
  CHECK(by_key.at("total_net_expenditure")->fields.count("parent") == 0);
  CHECK(older.fields.count("previous_variance") == 0);
  // Period 10 prints only the variance.
  const Record& total_p10 = *p10.at("total_net_expenditure");
  CHECK(number(total_p10, "finance_period") == 10);
  CHECK(number(total_p10, "variance") == Approx(9629000));
  CHECK(total_p10.fields.count("budget") == 0);
  CHECK(total_p10.fields.count("forecast") == 0);
  CHECK(out.records[0].location == SourceLocation{kShared + "budget.csv", 2, 0});
}

TEST_CASE("records_csv reads the nine Norfolk savings with the paper's grouping",
          "[plugin][records_csv]") {
  auto source = registry().create_source(make_source(
      "records_csv", {{"kind", "savings"},
                      {"path", kShared + "savings.csv"},
                      {"period", "2017-03"},
                      {"unit", "gbp_m"},
                      {"planned_column", "target_gbp_m"},
                      {"forecast_column", "outturn_gbp_m"}}));
  REQUIRE(source.ok());
  FetchOutput out;
  Status status = (*source)->fetch(out);
  INFO(status.to_string());
  REQUIRE(status.is_ok());
  REQUIRE(out.records.size() == 9);
  double planned = 0;
  double delivered = 0;
  int grouped = 0;
  for (const Record& r : out.records) {
    planned += number(r, "planned");
    delivered += number(r, "forecast");
    if (text(r, "rag") == "red_or_amber") ++grouped;
  }
  CHECK(planned == Approx(10926000));
  CHECK(delivered == Approx(7189000));
  CHECK(grouped == 6);
}

TEST_CASE("records_csv reads finance periods P1 to P13 and net or gross lines",
          "[plugin][records_csv]") {
  Run run = run_csv(
      "budget_line,budget,forecast,finance_period,basis,previous_variance,period\n"
      "April,1,2,P1,net,,2016-04\n"
      "January,1,2,p10,GROSS,0.5,2017-01\n"
      "Year end,1,2,13,,,2017-03\n",
      {{"kind", "budget"}});
  INFO(run.status.to_string());
  REQUIRE(run.status.is_ok());
  REQUIRE(run.out.records.size() == 3);
  CHECK(number(run.out.records[0], "finance_period") == 1);
  CHECK(text(run.out.records[0], "basis") == "net");
  CHECK(number(run.out.records[1], "finance_period") == 10);
  CHECK(text(run.out.records[1], "basis") == "gross");
  CHECK(number(run.out.records[1], "previous_variance") == 0.5);
  CHECK(number(run.out.records[2], "finance_period") == 13);
  CHECK(run.out.records[2].fields.count("basis") == 0);
}

TEST_CASE("records_csv locates bad finance periods, bases and savings groups",
          "[plugin][records_csv]") {
  Run budget = run_csv(
      "budget_line,budget,forecast,finance_period,basis,period\n"
      "A,1,2,P14,net,2017-03\n"
      "B,1,2,0,net,2017-03\n"
      "C,1,2,P,net,2017-03\n"
      "D,1,2,10.5,net,2017-03\n"
      "E,1,2,P13,nett,2017-03\n",
      {{"kind", "budget"}});
  CHECK(budget.status.code() == StatusCode::kParseError);
  auto at = [&](const Run& run, int row, int col, const std::string& message) {
    return Diagnostic::make(Severity::kError, "data.bad_value", message,
                            SourceLocation{run.file, row, col});
  };
  const std::string expected =
      "'; expected P1 (April) to P12 (March), or P13 (the year end after adjustments), or blank";
  CHECK(budget.out.diagnostics ==
        std::vector<Diagnostic>{
            at(budget, 2, 4, "bad finance period in column 'finance_period': 'P14" + expected),
            at(budget, 3, 4, "bad finance period in column 'finance_period': '0" + expected),
            at(budget, 4, 4, "bad finance period in column 'finance_period': 'P" + expected),
            at(budget, 5, 4, "bad finance period in column 'finance_period': '10.5" + expected),
            at(budget, 6, 5,
               "bad basis in column 'basis': 'nett'; expected net (after income) or gross "
               "(spend before income), or blank"),
        });

  Run savings = run_csv(
      "saving,budget_line,planned,forecast,rag,period\n"
      "Transport,hired_transport,1,0.2,Red or Amber,2017-03\n"
      "Travel,management_finance_hr,1,1,on target,2017-03\n",
      {{"kind", "savings"}});
  CHECK(savings.out.diagnostics ==
        std::vector<Diagnostic>{at(savings, 3, 5,
                                   "bad RAG in column 'rag': 'on target'; expected red, amber, "
                                   "green, red_or_amber (the savings a report groups as not or "
                                   "only partly achieved) or blank")});
}

TEST_CASE("records_csv reads savings with their line and RAG", "[plugin][records_csv]") {
  Run run = run_csv(
      "saving,budget_line,planned,forecast,rag,period\n"
      "Equipment service,integrated_community_equipment_service,500000,436000,Amber,2017-03\n"
      "\"Care for people with learning disabilities\",learning_disabilities,\"1,500,000\",600000,"
      "red,2017-03\n",
      {{"kind", "savings"}});
  INFO(run.status.to_string());
  REQUIRE(run.status.is_ok());
  REQUIRE(run.out.records.size() == 2);
  const Record& s = run.out.records[1];
  CHECK(s.kind == "saving");
  CHECK(s.key == "care_for_people_with_learning_disabilities");
  CHECK(text(s, "name") == "Care for people with learning disabilities");
  CHECK(text(s, "budget_line") == "learning_disabilities");
  CHECK(number(s, "planned") == 1500000);
  CHECK(text(s, "rag") == "red");
  CHECK(text(run.out.records[0], "rag") == "amber");
}

TEST_CASE("records_csv converts a Windows-1252 file and locates bytes that are not UTF-8",
          "[plugin][records_csv]") {
  // "£" and curly quotes as Excel on Windows writes them.
  const std::string content =
      "risk_id,title,current_likelihood,current_impact,period\n"
      "RM1,\x93" "Cost\x94 of care \xA3" "5m,3,4,2017-03\n";
  Run converted = run_csv(content, {{"kind", "risks"}, {"encoding", "windows-1252"}});
  INFO(converted.status.to_string());
  REQUIRE(converted.status.is_ok());
  REQUIRE(converted.out.records.size() == 1);
  CHECK(text(converted.out.records[0], "title") == "“Cost” of care £5m");

  Run raw = run_csv(content, {{"kind", "risks"}});
  CHECK_FALSE(raw.status.is_ok());
  CHECK(raw.out.records.empty());
  REQUIRE(raw.out.diagnostics.size() == 1);
  CHECK(raw.out.diagnostics[0].code == "data.bad_encoding");
  CHECK(raw.out.diagnostics[0].location == SourceLocation{raw.file, 2, 2});
  CHECK(raw.out.diagnostics[0].message.rfind("field 2 is not valid UTF-8 (byte 1 of the field)",
                                             0) == 0);
}

TEST_CASE("records_csv reads the Norfolk risk register as it is printed", "[plugin][records_csv]") {
  auto source = registry().create_source(make_source(
      "records_csv",
      {{"kind", "risks"}, {"path", kShared + "risks.csv"}, {"period", "2017-03"}}));
  REQUIRE(source.ok());
  FetchOutput out;
  REQUIRE((*source)->fetch(out).is_ok());
  REQUIRE(out.records.size() == 19);
  const Record& r = out.records[0];
  CHECK(r.kind == "risk");
  CHECK(r.key == "RM14079");
  CHECK(text(r, "title") == "Failure to meet the long term needs of Norfolk citizens");
  CHECK(number(r, "original_likelihood") == 5);
  CHECK(number(r, "current_likelihood") == 4);
  CHECK(number(r, "current_impact") == 5);
  CHECK(number(r, "target_impact") == 4);
  CHECK(text(r, "target_date") == "2030-03-31");
  CHECK(text(r, "prospects") == "amber");
  CHECK(text(r, "owner") == "James Bullion");
  CHECK(text(r, "level") == "corporate");
  CHECK(text(r, "area") == "Adult Social Care Committee");
  CHECK(text(r, "date_entered") == "2012-10-11");
  CHECK(text(r, "reviewed_by") == "Debbie Bartlett");
  CHECK(text(r, "last_review") == "2017-05-31");
  CHECK(text(r, "next_review") == "September 2017");
  CHECK(text(r, "mitigation").rfind("Implementation of Promoting Independence Strategy.", 0) == 0);
  CHECK(text(r, "progress").rfind("Promoting Independence change programme established.", 0) == 0);
}

TEST_CASE("records_csv reads a risk's level as the register marks it, C or D",
          "[plugin][records_csv]") {
  const std::string header = "risk_id,title,current_likelihood,current_impact,level\n";
  Run ok = run_csv(header + "RM1,Care market,4,3,C\nRM2,Fees,2,2, departmental\nRM3,ICT,2,2,\n",
                   {{"kind", "risks"}, {"period", "2017-03"}});
  REQUIRE(ok.status.is_ok());
  REQUIRE(ok.out.records.size() == 3);
  CHECK(text(ok.out.records[0], "level") == "c");
  CHECK(text(ok.out.records[1], "level") == "departmental");
  CHECK(ok.out.records[2].fields.count("level") == 0);

  Run bad = run_csv(header + "RM1,Care market,4,3,Corp\n", {{"kind", "risks"}, {"period", "2017-03"}});
  CHECK(bad.status.code() == StatusCode::kParseError);
  CHECK(bad.out.records.empty());
  CHECK(bad.out.diagnostics ==
        std::vector<Diagnostic>{Diagnostic::make(
            Severity::kError, "data.bad_value",
            "bad level in column 'level': 'Corp'; expected corporate (C) or departmental (D) "
            "(or blank)",
            SourceLocation{bad.file, 2, 5})});
}

TEST_CASE("records_csv reports every bad row at its row and column and stores nothing",
          "[plugin][records_csv]") {
  Run run = run_csv(
      "risk_id,title,current_likelihood,current_impact,prospects,period\n"
      "RM1,Care market,6,3,amber,2017-03\n"
      "RM2,Recruitment,4,,amber,2017-03\n"
      ",No id,2,2,green,2017-03\n"
      "RM4,Fees,3,4,purple,2017-03\n"
      "RM5,Systems,3,4,red,\n"
      "RM6,Ok,2,2,green,2017-03\n"
      "RM6,Again,2,2,green,2017-03\n"
      "RM7,Bad period,2,2,green,2017-13\n",
      {{"kind", "risks"}});
  CHECK(run.status.code() == StatusCode::kParseError);
  CHECK(run.out.records.empty());
  auto at = [&](int row, int column, const char* code, const std::string& message) {
    return Diagnostic::make(Severity::kError, code, message, SourceLocation{run.file, row, column});
  };
  CHECK(run.out.diagnostics ==
        std::vector<Diagnostic>{
            at(2, 3, "data.bad_value",
               "bad score in column 'current_likelihood': '6' is not a whole number from 1 to 5"),
            at(3, 4, "data.missing_value", "blank score in column 'current_impact'"),
            at(4, 1, "data.missing_key", "blank id in column 'risk_id'"),
            at(5, 5, "data.bad_value",
               "bad RAG in column 'prospects': 'purple'; expected red, amber or green (or blank)"),
            at(6, 6, "data.missing_period", "blank period in column 'period'"),
            at(8, 1, "data.duplicate_row",
               "duplicate row: risk 'RM6' for period 2017-03 is already on row 7"),
            Diagnostic::make(Severity::kError, "data.bad_period",
                             std::string("bad period for risk 'RM7': '2017-13' is not a period; ") +
                                 vitals::testing::kPeriodForms,
                             SourceLocation{run.file, 9, 0}),
        });
}

TEST_CASE("records_csv names a missing column and how to map it", "[plugin][records_csv]") {
  Run run = run_csv("budget_line,budget,outturn\nOlder People,1,2\n", {{"kind", "budget"}});
  CHECK(run.status.code() == StatusCode::kParseError);
  CHECK(run.out.diagnostics ==
        std::vector<Diagnostic>{
            Diagnostic::make(
                Severity::kError, "data.missing_column",
                "no column named 'forecast' in the header (columns: budget_line, budget, "
                "outturn); set forecast_column to the column's name",
                SourceLocation{run.file, 1, 0}),
            Diagnostic::make(
                Severity::kError, "data.missing_column",
                "no column named 'period' in the header (columns: budget_line, budget, "
                "outturn); set period to the period the whole file describes (e.g. period = "
                "\"2017-03\"), or period_column to the column's name",
                SourceLocation{run.file, 1, 0})});
}

TEST_CASE("records_csv a score needs both likelihood and impact", "[plugin][records_csv]") {
  Run run = run_csv(
      "risk_id,title,current_likelihood,current_impact,target_likelihood,target_impact\n"
      "RM1,Care market,4,3,2,\n",
      {{"kind", "risks"}, {"period", "2017-03"}});
  CHECK(run.status.code() == StatusCode::kParseError);
  CHECK(run.out.diagnostics == std::vector<Diagnostic>{Diagnostic::make(
                                   Severity::kError, "data.missing_value",
                                   "blank score in column 'target_impact': a score needs both "
                                   "likelihood and impact",
                                   SourceLocation{run.file, 2, 6})});
}

TEST_CASE("records_csv refuses unknown kinds and units at creation", "[plugin][records_csv]") {
  CHECK(create_error({{"kind", "ledger"}}).message() ==
        "records_csv: setting 'kind' is 'ledger'; expected one of budget, savings, risks");
  CHECK(create_error({{"kind", "budget"}, {"unit", "euro"}}).message() ==
        "records_csv: setting 'unit' is 'euro'; expected one of gbp, gbp_k, gbp_m");
  // Risks hold no amounts: unit is not one of their settings.
  CHECK(create_error({{"kind", "risks"}, {"unit", "gbp"}}).message().rfind(
            "records_csv: unknown setting 'unit' for source 'src'; the settings are path, kind, "
            "period, period_column, id_column, title_column",
            0) == 0);
  CHECK(create_error({}).message() ==
        "records_csv: source 'src' is missing required setting 'kind'");
}
