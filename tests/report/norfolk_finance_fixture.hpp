// SPDX-License-Identifier: Apache-2.0
#pragma once

// The Norfolk example's finance monitoring for March 2017 (Period 13, with
// Period 10's variances), built without the engine: the departmental summary
// and the savings of the council's outturn report (paper 000 lines 640-645,
// 723-725 and 753-763), and Mental Health from the Services to Users table
// (000:665), gross spend before income.

#include <vitals/evaluation.hpp>
#include <vitals/records.hpp>

#include <cmath>
#include <optional>
#include <string>

namespace vitals::testing {

inline void add_norfolk_finance(EvaluationReport& report) {
  FinanceMonitoring& f = report.finance;
  f.period = Period::month(2017, 3);
  f.finance_period = 13;
  f.previous_period = Period::month(2017, 1);
  f.previous_finance_period = 10;
  auto line = [&](const char* id, const char* title, const char* parent, double budget,
                  double outturn, std::optional<double> at_p10) {
    BudgetLine l;
    l.id = id;
    l.title = title;
    l.parent = parent;
    l.period = Period::month(2017, 3);
    l.finance_period = 13;
    l.budget = budget * 1e6;
    l.forecast = outturn * 1e6;
    l.variance = (outturn - budget) * 1e6;
    l.variance_pct = *l.variance / std::fabs(*l.budget) * 100.0;
    if (at_p10) {
      l.previous_variance = *at_p10 * 1e6;
      l.previous_period = Period::month(2017, 1);
      l.previous_finance_period = 10;
    }
    return l;
  };
  const char* total = "Total Net Expenditure";
  const char* users = "Services to Users (net)";
  f.lines = {
      line("total_net_expenditure", total, "", 250.392, 254.791, 9.629),
      line("business_development", "Business Development", total, 10.863, 10.392, -0.323),
      line("commissioned_services", "Commissioned Services", total, 69.477, 69.600, 1.753),
      line("early_help_prevention", "Early Help & Prevention", total, 6.219, 5.492, -0.704),
      line("management_finance_hr", "Management, Finance & HR", total, 8.561, 1.064, -7.083),
      line("services_to_users_net", users, total, 155.272, 168.243, 15.962),
      line("mental_health", "Mental Health", users, 12.907, 13.174, std::nullopt),
  };
  f.lines.back().basis = BudgetBasis::kGross;
  auto saving = [](const char* id, const char* name, const char* budget_line, double planned,
                   double delivered, bool achieved) {
    Saving s;
    s.id = id;
    s.name = name;
    s.budget_line = budget_line;
    s.planned = planned * 1e6;
    s.forecast = delivered * 1e6;
    s.rag = achieved ? Rag::kGreen : Rag::kAmber;
    s.red_or_amber = !achieved;
    return s;
  };
  f.savings = {
      saving("ASC006", "Promoting Independence – Customer Pathway", "services_to_users_net", 1.258,
             1.258, true),
      saving("ASC007", "Promoting Independence – expanding reablement service",
             "services_to_users_net", 3.158, 2.067, false),
      saving("ASC009",
             "Promoting Independence – expand use of Integrated Community Equipment Service",
             "integrated_community_equipment_service", 0.500, 0.436, false),
      saving("ASC011",
             "Promoting Independence – Move service mix to average of comparator family group",
             "services_to_users_net", 0.120, 0.120, true),
      saving("COM033", "Reduce funding within personal budgets to focus on eligible unmet needs",
             "services_to_users_net", 2.500, 1.967, false),
      saving("COM034",
             "Changing how we provide care for people with learning disabilities or physical "
             "disabilities",
             "learning_disabilities", 1.500, 0.600, false),
      saving("COM040_ASC003",
             "Transport – reduce the number of service users we provide transport for and payment "
             "of transport out of personal budgets",
             "hired_transport", 1.050, 0.246, false),
      saving("COM042", "Review of NorseCare agreement for the provision of residential care",
             "norsecare", 0.750, 0.405, false),
      saving("GET016", "Reducing the cost of business travel", "management_finance_hr", 0.090,
             0.090, true),
  };
}

}  // namespace vitals::testing
