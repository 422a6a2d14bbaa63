// SPDX-License-Identifier: Apache-2.0
#include "publish/download_tables.hpp"

#include <cmath>

#include "common/calendar.hpp"
#include "common/user_text.hpp"
#include "report/criterion.hpp"
#include "report/presentation.hpp"

namespace vitals::detail {

namespace {

DownloadCell number(const std::optional<double>& value) {
  if (!value) return std::monostate{};
  return *value;
}

DownloadCell text(std::string_view value) {
  if (value.empty()) return std::monostate{};
  return printable_text(value);
}

// The cells every row starts with: the indicator, then the period.
void append_period(std::vector<DownloadCell>& row, const Period& period) {
  row.push_back(period.to_string());
  row.push_back(period.label());
  // Dates a spreadsheet or Power BI reads as a time axis, beside the period's own text.
  row.push_back(period_start_date(period));
  row.push_back(period_end_date(period));
}

void append_point(std::vector<DownloadCell>& row, const SeriesPoint& p) {
  row.push_back(number(p.value));
  row.push_back(number(p.numerator));
  row.push_back(number(p.denominator));
  row.push_back(number(p.target));
  row.push_back(text(p.value && p.rag != Rag::kNone ? rag_label(p.rag) : ""));
  row.push_back(p.variance_pct ? DownloadCell(std::round(*p.variance_pct * 1e4) / 1e4) : DownloadCell());
}

const std::vector<std::string> kPointColumns = {
    "period", "period_label", "period_start", "period_end", "value",
    "numerator", "denominator", "target", "rag", "variance_pct"};

std::vector<std::string> columns(std::vector<std::string> first, std::vector<std::string> last) {
  first.insert(first.end(), kPointColumns.begin(), kPointColumns.end());
  first.insert(first.end(), last.begin(), last.end());
  return first;
}

}  // namespace

const std::vector<SeriesPoint>& published_history(const IndicatorResult& result) {
  return result.full_history.empty() ? result.history : result.full_history;
}

DownloadTable dashboard_table(const ReportInputs& inputs) {
  DownloadTable table;
  table.name = "dashboard";
  table.columns = columns({"indicator_id", "title", "frequency", "unit", "polarity"},
                          {"data_state", "exception", "reasons"});
  for (const IndicatorResult& r : inputs.report.indicators) {
    std::vector<DownloadCell> row;
    row.push_back(r.indicator_id);
    row.push_back(text(r.title));
    row.push_back(frequency_name(r.frequency));
    row.push_back(unit_name(r.unit));
    row.push_back(polarity_name(r.polarity));
    if (r.latest) {
      append_period(row, r.latest->period);
      append_point(row, *r.latest);
    } else {
      row.resize(row.size() + kPointColumns.size());
    }
    row.push_back(data_state_name(r.data_state));
    row.push_back(r.is_exception ? "yes" : "no");
    std::string reasons = r.is_exception ? reasons_label(r, inputs.report.reasons_shown) : "";
    // "(off target, deteriorating)" without its brackets.
    if (reasons.size() >= 2) reasons = reasons.substr(1, reasons.size() - 2);
    row.push_back(text(reasons));
    table.rows.push_back(std::move(row));
  }
  return table;
}

DownloadTable series_table(const ReportInputs& inputs, SeriesLayout layout) {
  const bool full = layout == SeriesLayout::kFull;
  DownloadTable table;
  table.name = "series";
  if (full) {
    table.columns = columns({"indicator_id", "title", "frequency", "unit"}, {});
  } else {
    table.columns = {"indicator_id", "period"};
    table.columns.insert(table.columns.end(), kPointColumns.begin() + 4, kPointColumns.end());
  }
  for (const IndicatorResult& r : inputs.report.indicators) {
    const DownloadCell title = text(r.title);
    for (const SeriesPoint& p : published_history(r)) {
      std::vector<DownloadCell> row;
      row.reserve(table.columns.size());
      row.push_back(r.indicator_id);
      if (full) {
        row.push_back(title);
        row.push_back(frequency_name(r.frequency));
        row.push_back(unit_name(r.unit));
        append_period(row, p.period);
      } else {
        row.push_back(p.period.to_string());
      }
      append_point(row, p);
      table.rows.push_back(std::move(row));
    }
  }
  return table;
}

}  // namespace vitals::detail
