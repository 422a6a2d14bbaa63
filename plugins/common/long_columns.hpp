// SPDX-License-Identifier: Apache-2.0
#pragma once

// The columns of a long-format source, one row per series and period, as
// the csv, odbc and xlsx (long layout) plugins read them: the settings that
// name them, their defaults, and what a source says about a series in its
// title, polarity and unit columns. One place, so that the three plugins
// take the same settings and tell the host the same things.

#include <vitals/plugin/sdk.hpp>

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace vitals::plugin_common {

/// One figure or key column: the setting naming it, the header name looked
/// for, and whether a source without it is refused.
struct LongColumn {
  std::string setting;  // "value_column"
  std::string wanted;   // "value", or what the setting says
  bool required = false;
};

/// The columns of a long-format source, from its settings. The key, period
/// and value columns are required; numerator, denominator and target are
/// read when present, and required when a setting names them.
struct LongColumns {
  std::string single_series;  // `series`: the one series the source holds ("" = a key column)
  LongColumn key{"series_column", "indicator_id", true};
  LongColumn period{"period_column", "period", true};
  LongColumn value{"value_column", "value", true};
  LongColumn numerator{"numerator_column", "numerator", false};
  LongColumn denominator{"denominator_column", "denominator", false};
  LongColumn target{"target_column", "target", false};

  LongColumns() = default;
  explicit LongColumns(const plugin::Settings& settings)
      : single_series(settings.get("series", "")) {
    for (LongColumn* c : {&key, &period, &value, &numerator, &denominator, &target}) {
      if (const std::string* name = settings.find(c->setting)) {
        c->wanted = *name;
        c->required = true;
      }
    }
  }
};

/// Declares the settings LongColumns reads: `series` and the six `*_column`.
inline void declare_long_column_settings(std::vector<plugin::SettingSpec>& specs) {
  for (const char* name : {"series", "series_column", "period_column", "value_column",
                           "numerator_column", "denominator_column", "target_column"}) {
    specs.push_back(plugin::optional_setting(name));
  }
}

/// The columns in which a source may say what a series is; the host compares
/// them with the catalogue and warns where they disagree.
inline constexpr const char* kSeriesMetadataColumns[] = {"title", "polarity", "unit"};

/// What a source says about a series, from the series' first row:
/// (column name from kSeriesMetadataColumns, the cell's text).
using SeriesMetadata = std::vector<std::pair<const char*, std::string_view>>;

/// Passes `metadata` to the host as a "series_metadata" record for `key`
/// (call it before the series starts: a record ends the open series). A
/// host without records, or no metadata columns, makes it a no-op. A value
/// over 4096 bytes is no title (and the host would refuse the record): it is
/// left out of the comparison rather than failing the source.
inline void report_series_metadata(plugin::Sink& sink, std::string_view key,
                                   std::string_view period, std::int64_t row,
                                   const SeriesMetadata& metadata) {
  constexpr std::size_t kMaxMetadataBytes = 4096;
  if (metadata.empty() || !sink.supports_records()) return;
  sink.record("series_metadata", key, period, row);
  for (const auto& [name, value] : metadata) {
    if (value.size() <= kMaxMetadataBytes) sink.text(name, value);
  }
  sink.end_record();
}

}  // namespace vitals::plugin_common
