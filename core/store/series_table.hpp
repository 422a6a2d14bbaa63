// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <vitals/observation.hpp>
#include <vitals/period.hpp>
#include <vitals/status.hpp>

#include <cmath>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

namespace vitals::detail {

class HistoryStore;
struct BlockPoint;

/// Packs a period into 32 bits (last month and frequency), and back.
std::int32_t pack_period(const Period& period);
Period unpack_period(std::int32_t code);

/// The current observations of one series in columns, ascending by period:
/// about 12 bytes per observation instead of the 72 of an Observation, so a
/// national workload of 18 million observations stays in memory. A blank
/// figure is NaN (the store never holds NaN: ingest refuses non-finite
/// figures), and a column whose figures are all blank is left empty.
struct SeriesColumns {
  std::vector<std::int32_t> periods;  // pack_period(), ascending
  std::vector<double> values;
  std::vector<double> numerators;    // empty, or one per period
  std::vector<double> denominators;  // empty, or one per period
  std::vector<double> targets;       // empty, or one per period

  std::size_t size() const { return periods.size(); }
  Period period(std::size_t i) const { return unpack_period(periods[i]); }
  std::optional<double> value(std::size_t i) const { return figure(values, i); }
  std::optional<double> numerator(std::size_t i) const { return figure(numerators, i); }
  std::optional<double> denominator(std::size_t i) const { return figure(denominators, i); }
  std::optional<double> target(std::size_t i) const { return figure(targets, i); }
  Observation observation(std::size_t i) const {
    return Observation{period(i), value(i), numerator(i), denominator(i), target(i)};
  }

  static constexpr double kBlank = std::numeric_limits<double>::quiet_NaN();

 private:
  static std::optional<double> figure(const std::vector<double>& column, std::size_t i) {
    if (column.empty() || std::isnan(column[i])) return std::nullopt;
    return column[i];
  }
};

/// The columns of one series' current points, ascending by period
/// (store/observation_block.hpp); a column whose figures are all blank is
/// left empty.
SeriesColumns columns_of(const std::vector<BlockPoint>& points);

/// Every series of one source, by series key.
using SourceSeries = std::unordered_map<std::string, SeriesColumns>;

/// Every current observation in the store, by source name then series key.
struct SeriesTable {
  std::unordered_map<std::string, SourceSeries> sources;
  std::size_t observations = 0;
  /// One line per block whose packed form was damaged, so that its text was
  /// read instead (a warning for the run).
  std::vector<std::string> damaged_blocks;

  /// The series, or nullptr when nothing is stored under that name.
  const SeriesColumns* find(const std::string& source, const std::string& key) const;
};

/// Reads every current observation of every source in one pass over the
/// store (instead of one query per series), from each block's packed form,
/// or from its text when it has none or the packed form fails its checks
/// (then named in damaged_blocks). kStoreError when the store fails or holds
/// a block whose text it cannot read.
Result<SeriesTable> load_series_table(HistoryStore& store);

/// SQLite's data_version of the store's connection: it changes when another
/// connection (another process or engine) commits to the file, so a copy of
/// the store's data taken at one value is current while the value holds. Our
/// own connection's commits do not change it.
Result<std::int64_t> store_data_version(HistoryStore& store);

}  // namespace vitals::detail
