// SPDX-License-Identifier: Apache-2.0
#pragma once

// The figures a publication offers for download, as tables that the CSV
// files and the Excel workbook both write: one row per vital sign (the
// dashboard) and one row per vital sign and period (every series, long
// layout), the shape Excel tables and Power BI import without reshaping.

#include <string>
#include <variant>
#include <vector>

#include <vitals/report.hpp>

namespace vitals::detail {

/// A cell: empty, a number (written as a number) or text.
using DownloadCell = std::variant<std::monostate, double, std::string>;

struct DownloadTable {
  std::string name;                 // "dashboard", "series"
  std::vector<std::string> columns;
  std::vector<std::vector<DownloadCell>> rows;
};

/// One row per indicator of the report, in report order: its latest period
/// and figures, rating, variance, whether it is an exception and why.
DownloadTable dashboard_table(const ReportInputs& inputs);

/// Which columns series_table() gives.
enum class SeriesLayout {
  kFull,  // each row names its indicator, unit and frequency, and the period's dates (the CSV)
  kLean,  // indicator_id, period and the figures only; the rest is on the dashboard (the workbook)
};

/// One row per indicator and stored period (IndicatorResult::full_history,
/// else its rolling history), indicators in report order, periods ascending.
DownloadTable series_table(const ReportInputs& inputs, SeriesLayout layout);

/// The points an indicator's page and the downloads show: full_history when
/// it was filled, else the rolling history.
const std::vector<SeriesPoint>& published_history(const IndicatorResult& result);

}  // namespace vitals::detail
