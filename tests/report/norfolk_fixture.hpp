// SPDX-License-Identifier: Apache-2.0
#pragma once

// A fixed catalogue and evaluation modelled on the Norfolk example (the Adult
// Social Care Committee's dashboard, March 2016 to March 2017), built without
// the engine so the report renderers can be tested on their own. The figures,
// titles and officers are those of examples/norfolk; the outcomes are what the
// off_target and deterioration rules conclude for March 2017.

#include <array>
#include <cmath>
#include <optional>
#include <string>
#include <vector>

#include <vitals/catalogue.hpp>
#include <vitals/commentary.hpp>
#include <vitals/evaluation.hpp>

#include "common/number_format.hpp"

namespace vitals::testing {

namespace norfolk_detail {

inline constexpr std::optional<double> kNa = std::nullopt;
using Figures = std::array<std::optional<double>, kHistoryPeriods>;

struct Row {
  const char* id;
  const char* title;
  const char* description;
  Polarity polarity;
  Unit unit;
  Target target;
  int allowed_lag;
  const char* lead_officer;
  const char* data_owner;
  std::vector<std::string> budget_lines;
  std::vector<std::string> risks;
  Figures values;
  Figures numerators;
  Figures denominators;
};

inline Target fixed(double v) {
  Target t;
  t.kind = Target::Kind::kFixed;
  t.fixed_value = v;
  return t;
}

struct Step {
  const char* from;
  double value;
};

inline Target profiled(std::vector<Step> steps) {
  Target t;
  t.kind = Target::Kind::kProfiled;
  for (const Step& s : steps) t.profile.push_back(TargetStep{*Period::parse(s.from), s.value});
  return t;
}

// Figures for Mar 2016 .. Mar 2017, as printed on the committee's dashboard.
inline const std::vector<Row>& rows() {
  static const std::vector<Row> kRows = {
      {"admissions_18_64_per_100k",
       "Decreasing the rate of admissions of people to residential and nursing care per 100,000 population (18-64 years)",
       "Counts how many working-age adults move permanently into a care home, for every 100,000 people aged 18 to 64. Most younger adults want to live in their own home with the right support, and a permanent care home place is rarely the best long-term answer for them.",
       Polarity::kSmallerIsBetter, Unit::kPer100k, fixed(16.5), 0,
       "Director of Community Social Work", "Business Intelligence and Performance Service",
       {"learning_disabilities", "physical_disabilities", "mental_health"},
       {"RM14247", "RM14079"},
       {21.7, 21.1, 19.7, 18.7, 17.7, 18.3, 17, 16.6, 16.6, 16.4, 18.5, 18.1, 19.3},
       {kNa, kNa, kNa, kNa, kNa, kNa, kNa, kNa, kNa, kNa, kNa, kNa, kNa},
       {kNa, kNa, kNa, kNa, kNa, kNa, kNa, kNa, kNa, kNa, kNa, kNa, kNa}},
      {"admissions_65_plus_per_100k",
       "Decreasing the rate of admissions of people to residential and nursing care per 100,000 population (65+ years)",
       "Counts how many people aged 65 and over move permanently into a care home, for every 100,000 people of that age. Keeping this rate down means more older people stay in their own homes, which is what most want, and eases pressure on a stretched care market and budget.",
       Polarity::kSmallerIsBetter, Unit::kPer100k, profiled({{"2016-03", 573}}), 0,
       "Director of Community Social Work", "Business Intelligence and Performance Service",
       {"older_people", "norsecare"},
       {"RM14247", "RM14079"},
       {623, 616, 622, 614, 613, 613, 621, 630, 637, 628, 627, 625, 633},
       {kNa, kNa, kNa, kNa, kNa, kNa, kNa, kNa, kNa, kNa, kNa, kNa, kNa},
       {kNa, kNa, kNa, kNa, kNa, kNa, kNa, kNa, kNa, kNa, kNa, kNa, kNa}},
      {"assessments_info_guidance_only_pct",
       "% Social care assessments resulting in solely information and guidance",
       "Shows how many social care assessments end with information and guidance alone, because the person can be supported by family, community groups or universal services. It reflects the change in social work practice the Promoting Independence strategy asks for.",
       Polarity::kBiggerIsBetter, Unit::kPercent, Target{}, 1,
       "Director of Community Social Work", "Business Intelligence and Performance Service",
       {"care_assessment_other_staff_costs"},
       {"ASC-STAFF", "ASC-PIPROG"},
       {11.1, 13, 9, 14.2, 9.7, 14.2, 9.2, 13.5, 11.5, 11.3, 8.1, kNa, kNa},
       {113, 127, 79, 107, 70, 97, 65, 88, 82, 62, 53, kNa, kNa},
       {1019, 975, 877, 752, 719, 681, 709, 653, 715, 551, 655, kNa, kNa}},
      {"carers_supported_community_per_100k",
       "Rate of carers supported within a community setting per 100,000 population",
       "Counts the unpaid carers who get support through community services, for every 100,000 residents. Carers provide most of the care in Norfolk, and helping them stay well lets them keep caring for as long as they choose.",
       Polarity::kBiggerIsBetter, Unit::kPer100k, Target{}, 0,
       "Director of Commissioning", "Business Intelligence and Performance Service",
       {"commissioned_services"},
       {"IRM14238"},
       {647, 604, 602, 607, 598, 598, 589, 586, 591, 588, 583, 576, 581},
       {kNa, kNa, kNa, kNa, kNa, kNa, kNa, kNa, kNa, kNa, kNa, kNa, kNa},
       {kNa, kNa, kNa, kNa, kNa, kNa, kNa, kNa, kNa, kNa, kNa, kNa, kNa}},
      {"community_based_care_pct",
       "Increasing the proportion of people in community-based care",
       "Of everyone receiving long-term care from the council, the share supported in the community, for example with home care or a personal budget, rather than in a care home. A higher share means more people keep their own front door and their links with family and friends.",
       Polarity::kBiggerIsBetter, Unit::kPercent, Target{}, 0,
       "Director of Community Social Work", "Business Intelligence and Performance Service",
       {"services_to_users_net"},
       {"ASC-PIPROG"},
       {66.8, 66.7, 66.7, 66.9, 67.1, 67.1, 67.2, 67.1, 66.7, 66.4, 66.7, 66.6, 66.6},
       {8203, 8173, 8204, 8190, 8208, 8200, 8197, 8198, 8128, 8028, 8011, 8020, 8015},
       {12277, 12259, 12299, 12243, 12233, 12223, 12196, 12222, 12190, 12082, 12005, 12036, 12034}},
      {"cqc_good_or_above_pct",
       "% of CQC ratings of all registered commissioned care rated good or above",
       "Of the care homes and home care agencies the council buys care from, the share the Care Quality Commission rates Good or Outstanding. People whose care the council arranges should be able to rely on it being safe and of good quality.",
       Polarity::kBiggerIsBetter, Unit::kPercent, Target{}, 1,
       "Director of Commissioning", "Business Intelligence and Performance Service",
       {"commissioned_services", "norsecare"},
       {"RM14247", "ASC-RECRUIT"},
       {56.9, 60.6, 61.2, 62.9, 65.2, 68.2, 69.5, 69.7, 72.8, 72.8, kNa, kNa, kNa},
       {99, 123, 131, 154, 174, 210, 228, 264, 286, 302, kNa, kNa, kNa},
       {174, 203, 214, 245, 267, 308, 328, 379, 393, 415, kNa, kNa, kNa}},
      {"dtoc_social_care_per_100k",
       "Number of days delay in transfers of care per 100,000 population (attributable to social care)",
       "Counts the days people spend in hospital after they are medically fit to leave, because the social care they need is not yet in place, for every 100,000 adults. Delays are bad for patients, especially older people who lose strength and confidence in a hospital bed, and they block beds the NHS needs.",
       Polarity::kSmallerIsBetter, Unit::kPer100k, profiled({{"2016-03", 1.5}, {"2016-04", 1.5}, {"2016-07", 1.5}, {"2016-10", 1.5}, {"2017-01", 1.5}}), 0,
       "Director of Community Social Work", "Business Intelligence and Performance Service",
       {"older_people"},
       {"ASC-HOSP"},
       {1.5, 2.9, 2.6, 2.4, 2.6, 3, 3.1, 3.1, 3.1, 3.2, 3.4, 3.5, 3.56},
       {kNa, kNa, kNa, kNa, kNa, kNa, kNa, kNa, kNa, kNa, kNa, kNa, kNa},
       {kNa, kNa, kNa, kNa, kNa, kNa, kNa, kNa, kNa, kNa, kNa, kNa, kNa}},
      {"enquiries_resolved_at_contact_pct",
       "% Enquiries resolved at point of contact / clinic with information, advice",
       "Shows how often people who contact adult social care get what they need straight away, through information, advice or a visit to a clinic, without a referral for an assessment. Resolving enquiries early saves people waiting and frees social workers for those with the greatest needs.",
       Polarity::kBiggerIsBetter, Unit::kPercent, Target{}, 0,
       "Assistant Director, Early Help and Prevention", "Business Intelligence and Performance Service",
       {"early_help_prevention"},
       {"ASC-PIPROG"},
       {42.3, 34, 36.2, 35.5, 37.4, 33.3, 37.2, 37.1, 37.3, 36.5, 37.9, 38.2, 40},
       {2097, 1575, 1579, 1621, 1720, 1532, 1716, 1606, 1668, 1400, 1779, 1485, 1931},
       {4955, 4636, 4367, 4562, 4602, 4599, 4613, 4326, 4476, 3831, 4698, 3888, 4825}},
      {"home_91_days_after_reablement",
       "% of people still at home 91 days after completing reablement",
       "Shows whether older people who leave hospital with reablement support are still living at home three months later rather than back in hospital or in a care home. It is a national measure of how well hospital discharge and reablement work together.",
       Polarity::kBiggerIsBetter, Unit::kPercent, fixed(90), 0,
       "Assistant Director, Early Help and Prevention", "Business Intelligence and Performance Service",
       {"early_help_prevention", "older_people"},
       {"ASC-HOSP", "ASC-PIPROG"},
       {90.7, 92.2, 91.9, 93.3, 94.3, 93.2, 94.5, 94.1, 93, 93.1, 93.1, 93.5, 94.2},
       {675, 650, 682, 699, 779, 744, 750, 732, 771, 828, 825, 839, 861},
       {744, 705, 742, 749, 826, 798, 794, 778, 829, 889, 886, 897, 914}},
      {"ld_paid_employment_pct",
       "% People receiving Learning Disabilities services in paid employment",
       "Of the working-age adults with a learning disability the council supports, the share in paid work. A job brings income, friendships and a sense of purpose, and makes people less reliant on formal care.",
       Polarity::kBiggerIsBetter, Unit::kPercent, fixed(4), 0,
       "Assistant Director, Learning Disabilities", "Business Intelligence and Performance Service",
       {"learning_disabilities"},
       {"ASC-TCP"},
       {3.7, 3.3, 3.3, 3.2, 3.2, 3.3, 3.3, 3.3, 3.3, 3.3, 3.3, 3.3, 3.3},
       {77, 71, 69, 69, 69, 70, 71, 71, 70, 70, 69, 69, 69},
       {2095, 2127, 2120, 2128, 2126, 2133, 2127, 2136, 2138, 2135, 2122, 2113, 2122}},
      {"mh_paid_employment_pct",
       "% People receiving Mental Health services in paid employment",
       "Of the working-age adults in contact with secondary mental health services, the share in paid work. Employment supports recovery and good mental health, and helps people stay connected to their community.",
       Polarity::kBiggerIsBetter, Unit::kPercent, fixed(3.7), 0,
       "Assistant Director, Mental Health", "Business Intelligence and Performance Service",
       {"mental_health"},
       {"RM0207"},
       {2.1, 1.9, 2.1, 2.3, 2.3, 2.3, 2.3, 2.3, 2.3, 2.3, 2.1, 2, 2},
       {16, 15, 16, 18, 18, 18, 18, 18, 18, 18, 17, 16, 17},
       {768, 770, 773, 778, 776, 772, 783, 790, 787, 782, 798, 806, 832}},
      {"people_in_residential_per_100k",
       "Decreasing the rate of people in residential and nursing care per 100,000 people",
       "Counts everyone the council supports in a care home at the end of the month, for every 100,000 residents. It shows the overall balance between care at home and care in a home, and drives a large share of the council's spending on care.",
       Polarity::kSmallerIsBetter, Unit::kPer100k, Target{}, 0,
       "Director of Community Social Work", "Business Intelligence and Performance Service",
       {"older_people", "learning_disabilities"},
       {"RM14247"},
       {565, 567, 568, 562, 558, 558, 555, 558, 563, 562, 554, 557, 557},
       {kNa, kNa, kNa, kNa, kNa, kNa, kNa, kNa, kNa, kNa, kNa, kNa, kNa},
       {kNa, kNa, kNa, kNa, kNa, kNa, kNa, kNa, kNa, kNa, kNa, kNa, kNa}},
      {"reablement_no_ongoing_service",
       "% of people who require no ongoing formal service after completing reablement",
       "Reablement is a short period of intensive support, usually after a hospital stay or a crisis, that helps people relearn everyday skills at home. The more people who finish it needing no ongoing care, the more people are living independently and the less the council spends on long-term support.",
       Polarity::kBiggerIsBetter, Unit::kPercent, Target{}, 0,
       "Assistant Director, Early Help and Prevention", "Business Intelligence and Performance Service",
       {"early_help_prevention"},
       {"ASC-PIPROG"},
       {86.3, 87.2, 91.8, 89.9, 89.1, 89.4, 91.6, 92.9, 91, 91.9, 84.2, 85.8, 88.6},
       {334, 387, 367, 357, 342, 371, 380, 352, 365, 340, 362, 387, 413},
       {387, 444, 400, 397, 384, 415, 415, 379, 401, 370, 430, 451, 466}},
      {"service_users_18_64_per_100k",
       "Decreasing the rate of Council service users per 100,000 population (18-64 years)",
       "Counts how many working-age adults receive long-term support from the council, for every 100,000 people aged 18 to 64. A falling rate means more people are being helped to stay independent through advice, prevention and community support instead of formal care.",
       Polarity::kSmallerIsBetter, Unit::kPer100k, Target{}, 0,
       "Director of Community Social Work", "Business Intelligence and Performance Service",
       {"learning_disabilities", "physical_disabilities", "mental_health"},
       {"ASC-PIPROG"},
       {936, 935, 937, 940, 939, 937, 938, 941, 937, 935, 934, 931, 938},
       {kNa, kNa, kNa, kNa, kNa, kNa, kNa, kNa, kNa, kNa, kNa, kNa, kNa},
       {kNa, kNa, kNa, kNa, kNa, kNa, kNa, kNa, kNa, kNa, kNa, kNa, kNa}},
      {"service_users_65_plus_per_100k",
       "Decreasing the rate of Council service users per 100,000 population (65+ years)",
       "Counts how many people aged 65 and over receive long-term support from the council, for every 100,000 people of that age. A falling rate in an ageing county means more older people are managing at home with less formal care, which is the aim of the Promoting Independence strategy.",
       Polarity::kSmallerIsBetter, Unit::kPer100k, Target{}, 0,
       "Director of Community Social Work", "Business Intelligence and Performance Service",
       {"older_people"},
       {"ASC-PIPROG", "RM14079"},
       {3523, 3516, 3531, 3497, 3496, 3494, 3479, 3486, 3479, 3433, 3399, 3422, 3404},
       {kNa, kNa, kNa, kNa, kNa, kNa, kNa, kNa, kNa, kNa, kNa, kNa, kNa},
       {kNa, kNa, kNa, kNa, kNa, kNa, kNa, kNa, kNa, kNa, kNa, kNa, kNa}},
  };
  return kRows;
}

// vitals.format_pct of the rules: whole numbers from 10%, one decimal below.
inline std::string format_pct(double v) { return detail::format_percent(v); }

// A figure of `r`'s indicator as the rules write it (vitals.figure).
inline std::string figure(const IndicatorResult& r, double value) {
  return detail::format_figure(value, r.unit, shown_decimals(r.unit, r.decimals));
}

// The decimals of the example's indicators (examples/norfolk/indicators):
// the rates the dashboard prints as whole numbers, and delayed transfers,
// printed 3.56 in March 2017; the others keep their unit's.
inline std::optional<int> decimals_of(const std::string& id) {
  if (id == "dtoc_social_care_per_100k") return 2;
  for (const char* whole : {"admissions_65_plus_per_100k", "people_in_residential_per_100k",
                            "service_users_18_64_per_100k", "service_users_65_plus_per_100k",
                            "carers_supported_community_per_100k"}) {
    if (id == whole) return 0;
  }
  return std::nullopt;
}

inline RuleOutcome off_target(const IndicatorResult& r, const Tolerance& tolerance) {
  RuleOutcome o;
  o.rule_id = "off_target";
  o.criterion = "off_target";
  if (!r.latest) {
    o.status = RuleOutcome::Status::kInsufficientData;
    o.message = "no data up to Mar 2017";
    return o;
  }
  const SeriesPoint& p = *r.latest;
  if (!p.target) {
    o.message = "no target set";
    o.evidence = {{"period", p.period.to_string()}, {"value", *p.value}};
    return o;
  }
  std::string against = figure(r, *p.value) + " against a target of " + figure(r, *p.target);
  o.evidence = {{"period", p.period.to_string()}, {"value", *p.value},     {"target", *p.target},
                {"variance_pct", *p.variance_pct}, {"threshold_pct", tolerance.red_variance_pct},
                {"rag", std::string(rag_name(p.rag))}};
  if (p.rag == Rag::kRed) {
    o.status = RuleOutcome::Status::kException;
    o.message = against + ": " + format_pct(*p.variance_pct) + "% worse than target, tolerance " +
                detail::format_number(tolerance.red_variance_pct) + "%";
  } else if (*p.variance_pct > 1e-9) {
    o.message = against + ": " + format_pct(*p.variance_pct) + "% worse than target, within tolerance " +
                detail::format_number(tolerance.red_variance_pct) + "%";
  } else {
    o.message = against + ": on target";
  }
  return o;
}

inline RuleOutcome deterioration(const IndicatorResult& r) {
  RuleOutcome o;
  o.rule_id = "deterioration";
  o.criterion = "deterioration";
  // Three changes in a row need the four periods ending with the reporting one.
  const auto& h = r.history;
  const std::size_t last = h.size();
  for (std::size_t i = last - 4; i < last; ++i) {
    if (!h[i].value) {
      o.status = RuleOutcome::Status::kInsufficientData;
      o.message = "no value for " + h[i].period.label() + " (needs " + h[last - 4].period.label() + " to " +
                  h[last - 1].period.label() + ")";
      o.evidence = {{"missing_period", h[i].period.to_string()}, {"run", 3.0}};
      return o;
    }
  }
  std::string trail;
  for (std::size_t i = last - 4; i < last; ++i) {
    trail += (trail.empty() ? "" : " → ") + figure(r, *h[i].value);
  }
  int adverse = 0;
  for (std::size_t i = last - 1; i > last - 4; --i) {
    double now = *h[i].value;
    double before = *h[i - 1].value;
    if (!(r.polarity == Polarity::kBiggerIsBetter ? now < before : now > before)) break;
    ++adverse;
  }
  o.evidence = {{"adverse_changes", static_cast<double>(adverse)}, {"run", 3.0}};
  if (adverse == 3) {
    o.status = RuleOutcome::Status::kException;
    o.message = "worse for 3 consecutive months: " + trail;
  } else {
    o.message = "not worse for 3 consecutive months: " + trail;
  }
  return o;
}

}  // namespace norfolk_detail

/// The Norfolk catalogue: 15 indicators with their targets, officers and links.
inline Catalogue norfolk_catalogue() {
  using namespace norfolk_detail;
  Catalogue c;
  c.name = "Adult Social Care";
  c.committee = "Adult Social Care Committee";
  c.root = "examples/norfolk";
  c.default_tolerance = Tolerance{5.0, 0.0};
  for (const Row& row : rows()) {
    IndicatorDefinition d;
    d.id = row.id;
    d.title = row.title;
    d.description = row.description;
    d.polarity = row.polarity;
    d.unit = row.unit;
    d.decimals = decimals_of(row.id);
    d.target = row.target;
    d.tolerance = c.default_tolerance;
    d.allowed_lag = row.allowed_lag;
    d.lead_officer = row.lead_officer;
    d.data_owner = row.data_owner;
    d.budget_lines = row.budget_lines;
    d.risks = row.risks;
    d.source = SourceBinding{"dashboard", row.id};
    c.indicators.push_back(std::move(d));
  }
  c.budget_lines = {
      {"care_assessment_other_staff_costs", "Care & Assessment & Other staff costs", {}},
      {"commissioned_services", "Commissioned Services", {}},
      {"early_help_prevention", "Early Help & Prevention", {}},
      {"learning_disabilities", "Learning Disabilities", {}},
      {"mental_health", "Mental Health", {}},
      {"norsecare", "NorseCare", {}},
      {"older_people", "Older People", {}},
      {"physical_disabilities", "Physical Disabilities", {}},
      {"services_to_users_net", "Services to Users (net)", {}},
  };
  c.risks = {
      {"ASC-HOSP", "Pressure on hospital admissions and discharges and on acute services", {}},
      {"ASC-PIPROG", "Failure to deliver the Promoting Independence change programme", {}},
      {"ASC-RECRUIT", "Failure of the care market due to difficulties in recruiting staff into the sector", {}},
      {"ASC-STAFF", "Staff behaviour and practice changes to deliver the Promoting Independence Strategy", {}},
      {"ASC-TCP", "Transfer of people with learning disabilities from inpatient to community settings", {}},
      {"IRM14238", "Failure in our responsibilities towards carers", {}},
      {"RM0207", "Failure to meet the needs of Norfolk citizens", {}},
      {"RM14079", "Failure to meet the long term needs of Norfolk citizens", {}},
      {"RM14247", "Failure in the care market", {}},
  };
  return c;
}

/// The evaluation of `catalogue` (norfolk_catalogue()) for March 2017.
/// The example's comparators for two indicators (ASCOF 1E and 2A(1), 2015/16:
/// Norfolk, the published family group, region and England figures, and the
/// rank in the example's all-councils file); none for the others.
inline std::optional<IndicatorComparators> comparators(const std::string& id) {
  auto figure = [](const char* kind, const char* name, const char* code, double value, int councils) {
    ComparatorFigure f;
    f.kind = kind;
    f.name = name;
    f.code = code;
    f.value = value;
    f.councils = councils;
    return f;
  };
  IndicatorComparators c;
  c.period = "2015/16";
  c.ranked = 152;
  c.quartile = 4;
  double family = 0, region = 0, england = 0, peer = 0;
  if (id == "ld_paid_employment_pct") {
    c.measure = "1E";
    c.council_value = 3.7;
    c.rank = 135;
    family = 5.1, region = 7.1, england = 5.8, peer = 4.6;
  } else if (id == "admissions_18_64_per_100k") {
    c.measure = "2A(1)";
    c.council_value = 17.5;
    c.rank = 125;
    family = 13.0, region = 15.8, england = 13.3, peer = 12.1;
  } else {
    return std::nullopt;
  }
  c.figures = {figure("england", "England", "E92000001", england, 152),
               figure("region", "East of England", "E12000006", region, 11),
               figure("family_group", "Family group", "", family, 18),
               figure("peer", "Suffolk", "E10000029", peer, 1)};
  return c;
}

inline EvaluationReport norfolk_report(const Catalogue& catalogue) {
  using namespace norfolk_detail;
  EvaluationReport report;
  report.period = Period::month(2017, 3);
  report.catalogue_name = catalogue.name;
  report.committee = catalogue.committee;
  report.run_id = 1;
  const Period first = Period::month(2016, 3);
  for (const Row& row : rows()) {
    const IndicatorDefinition& def = *catalogue.find_indicator(row.id);
    IndicatorResult r;
    r.indicator_id = def.id;
    r.title = def.title;
    r.polarity = def.polarity;
    r.unit = def.unit;
    r.decimals = def.decimals;
    r.frequency = def.frequency;
    for (int i = 0; i < kHistoryPeriods; ++i) {
      SeriesPoint p;
      p.period = first.shifted(i);
      p.value = row.values[i];
      p.numerator = row.numerators[i];
      p.denominator = row.denominators[i];
      p.target = def.target.value_at(p.period);
      if (p.value) {
        Assessment a = assess(*p.value, p.target, def.polarity, def.tolerance);
        p.variance_pct = a.variance_pct;
        p.rag = a.rag;
        r.latest = p;
      }
      r.history.push_back(p);
    }
    r.data_state = !r.latest ? DataState::kNoData
                   : report.period.steps_since(r.latest->period) > def.allowed_lag ? DataState::kStale
                                                                                   : DataState::kCurrent;
    r.comparators = comparators(def.id);
    r.outcomes = {deterioration(r), off_target(r, def.tolerance)};
    for (const RuleOutcome& o : r.outcomes) r.is_exception = r.is_exception || o.status == RuleOutcome::Status::kException;
    report.indicators.push_back(std::move(r));
  }
  return report;
}

/// Gives the fixture's exceptions a lifecycle in each state the dashboard
/// marks: delayed transfers continuing since Jan 2017 (3 periods), mental
/// health accepted until 2017-06-30, the others new this period.
inline void add_norfolk_lifecycle(EvaluationReport& report) {
  for (IndicatorResult& r : report.indicators) {
    if (!r.is_exception) continue;
    ExceptionLifecycle& l = r.lifecycle;
    l.state = ExceptionState::kNew;
    l.first_reported = report.period;
    l.periods_reported = 1;
    if (r.indicator_id == "dtoc_social_care_per_100k") {
      l.state = ExceptionState::kContinuing;
      l.first_reported = Period::month(2017, 1);
      l.periods_reported = 3;
    } else if (r.indicator_id == "mh_paid_employment_pct") {
      l.state = ExceptionState::kAccepted;
      l.acceptance = Acceptance{r.indicator_id, "", "2017-06-30", "Director of Community Social Work",
                                "Joint employment action plan with the NHS trust", "2017-04-20", {}};
    }
  }
}

/// Commentary for the fixture, in every state a card can be in: complete
/// (delayed transfers), a section missing (learning disabilities), written
/// for an earlier period (mental health), and none (both admissions rates).
inline CommentarySet norfolk_commentary() {
  CommentarySet set;
  Commentary dtoc;
  dtoc.indicator_id = "dtoc_social_care_per_100k";
  dtoc.from = Period::month(2017, 3);
  dtoc.explanation =
      "The rate has risen in each of the last three months, from 3.2 in December to 3.56 in March, "
      "and has been above the target of 1.5 every month since April 2016.\n\n"
      "Delays attributable to social care are now more than twice the target.";
  dtoc.success = "Delays back at or below the target of 1.5 days per 100,000 population.";
  dtoc.actions = "- Review each delay attributable to social care with the data owner every week.\n"
                 "- Report the weekly figures to the next committee.";
  dtoc.location = SourceLocation{"examples/norfolk/commentary/dtoc_social_care_per_100k.toml", 3, 1};
  Commentary ld;
  ld.indicator_id = "ld_paid_employment_pct";
  ld.from = Period::month(2017, 3);
  ld.explanation = "69 of 2,122 people (3.3%) were in paid employment in March, against a target of 4%.";
  ld.success = "At least 4% of people receiving learning disabilities services in paid employment.";
  ld.location = SourceLocation{"examples/norfolk/commentary/ld_paid_employment_pct.toml", 1, 1};
  Commentary mh;
  mh.indicator_id = "mh_paid_employment_pct";
  mh.from = Period::month(2017, 1);
  mh.explanation = "The rate fell from 2.3% in December to 2.1% in January.";
  mh.success = "3.7% of people receiving mental health services in paid employment.";
  mh.actions = "1. Confirm the January figures with the data owner.\n2. Report back in March.";
  mh.location = SourceLocation{"examples/norfolk/commentary/mh_paid_employment_pct/2017-01.md", 0, 0};
  set.entries = {dtoc, ld, mh};
  return set;
}

}  // namespace vitals::testing
