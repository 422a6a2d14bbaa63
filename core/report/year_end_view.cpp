// SPDX-License-Identifier: Apache-2.0
#include "report/year_end_view.hpp"

#include <array>
#include <string>

#include "common/number_format.hpp"
#include "report/report_view.hpp"

namespace vitals::detail {

namespace {

using V = TemplateValue;

// The council's four groups, always shown (with "None." when empty); the
// other two only when some indicator is in them.
constexpr std::array kGroups = {
    YearEndGroup::kSustainedGood,       YearEndGroup::kImproved,
    YearEndGroup::kWorsened,            YearEndGroup::kStillChallenging,
    YearEndGroup::kNoSignificantChange, YearEndGroup::kNotEnoughData,
};

bool always_shown(YearEndGroup g) {
  return g != YearEndGroup::kNoSignificantChange && g != YearEndGroup::kNotEnoughData;
}

std::string settings_text(const YearEndSettings& s) {
  const std::string share = format_number(s.sustained_pct, 2) + "%";
  const std::string points = format_number(s.change_points, 2);
  return "Each vital sign is compared from the last period before the year to its latest value "
         "in the year. A change of at least " +
         format_number(s.change_pct, 2) + "% of the starting value (" +
         points + (points == "1" ? " percentage point" : " percentage points") +
         " for a percentage) counts as improved or worsened. Sustained good "
         "performance is on target at the latest value and in at least " +
         share +
         " of the year's periods with a target; performance remains challenging when it is off "
         "target at the latest value and in at least " +
         share + " of them, without a significant change.";
}

std::string heading_text(const YearEndSummary& summary, const EvaluationReport& report) {
  if (summary.complete_year) return "Summary of performance " + summary.year.label();
  return "Summary of performance " + summary.year.label() + " so far (to " +
         report.period.label() + ")";
}

}  // namespace

bool year_end_included(const ReportInputs& inputs) {
  return inputs.year_end_summary || ends_financial_year(inputs.report.period);
}

TemplateValue year_end_part(const ReportInputs& inputs) {
  V part = V::object();
  const bool included = year_end_included(inputs);
  part.set("is_included", included);
  YearEndSummary summary;
  if (included) summary = summarise_year(inputs.report, inputs.catalogue.year_end);
  part.set("year", included ? summary.year.label() : std::string());
  part.set("heading", included ? heading_text(summary, inputs.report) : std::string());
  part.set("settings_text", included ? settings_text(summary.settings) : std::string());
  V groups = V::list();
  for (YearEndGroup g : kGroups) {
    if (!included) break;
    V entries = V::list();
    for (const YearEndEntry* e : summary.in_group(g)) {
      const IndicatorResult* result = nullptr;
      for (const IndicatorResult& r : inputs.report.indicators) {
        if (r.indicator_id == e->indicator_id) result = &r;
      }
      V entry = V::object();
      entry.set("indicator", e->indicator_id);
      entry.set("title", e->title);
      entry.set("reason", e->reason);
      entry.set("is_exception", result != nullptr && result->is_exception);
      entry.set("anchor", card_anchor(e->indicator_id));
      entries.push(std::move(entry));
    }
    if (!entries.truthy() && !always_shown(g)) continue;
    V group = V::object();
    group.set("name", year_end_group_name(g));
    group.set("heading", year_end_group_heading(g));
    group.set("has_entries", entries.truthy());
    group.set("entries", std::move(entries));
    groups.push(std::move(group));
  }
  part.set("groups", std::move(groups));
  return part;
}

void write_year_end_json(JsonWriter& w, const ReportInputs& inputs) {
  if (!year_end_included(inputs)) return;
  const YearEndSummary summary = summarise_year(inputs.report, inputs.catalogue.year_end);
  w.key("year_end").begin_object();
  w.field("year", summary.year.to_string());
  w.field("complete_year", summary.complete_year);
  w.key("settings").begin_object();
  w.field("change_pct", summary.settings.change_pct);
  w.field("change_points", summary.settings.change_points);
  w.field("sustained_pct", summary.settings.sustained_pct);
  w.end_object();
  w.key("indicators").begin_array();
  for (const YearEndEntry& e : summary.entries) {
    w.begin_object();
    w.field("indicator", e.indicator_id);
    w.field("group", year_end_group_name(e.group));
    w.key("start_period");
    e.start_period ? w.value(e.start_period->to_string()) : w.null();
    w.field("start_value", e.start_value);
    w.key("end_period");
    e.end_period ? w.value(e.end_period->to_string()) : w.null();
    w.field("end_value", e.end_value);
    w.field("end_target", e.end_target);
    w.field("change", e.change);
    w.field("change_unit", e.change_in_points ? "points" : "percent");
    w.field("periods_with_target", e.periods_with_target);
    w.field("periods_on_target", e.periods_on_target);
    w.field("reason", e.reason);
    w.end_object();
  }
  w.end_array();
  w.end_object();
}

}  // namespace vitals::detail
