// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include <vitals/catalogue.hpp>
#include <vitals/engine.hpp>
#include <vitals/observation.hpp>
#include <vitals/records.hpp>

namespace vitals::detail {

/// Finds the series a source delivers that no indicator of the catalogue
/// reads (a mis-keyed "Flat_Breaks" for "flat_breaks"). One hash lookup per
/// series of each batch, never per observation, so a national source costs
/// nothing noticeable.
/// Thread safety: not safe for concurrent use.
class SeriesKeyCheck {
 public:
  /// REQUIRES: `catalogue` and `source` outlive this object.
  SeriesKeyCheck(const Catalogue& catalogue, const SourceDefinition& source);

  /// Notes the series of `batch` that no indicator reads, counting their rows.
  void scan(const std::vector<Series>& batch);

  /// Adds one "data.unknown_series" diagnostic per unknown series, with its
  /// row count and the indicator's key it nearly matches ("did you mean"),
  /// to summary.diagnostics, and every unknown series to
  /// summary.unknown_series. An error when the key differs from an
  /// indicator's only in case or surrounding spaces (no-break spaces
  /// included): certainly a mis-keyed row. Otherwise a warning, as a source
  /// may carry series on purpose; past 100 of those, one more warning counts
  /// the rest.
  void report(IngestSummary& summary) const;

 private:
  // The known key `key` nearly matches, or "". `certain` when it differs
  // only in case and surrounding spaces.
  std::string suggestion(std::string_view key, std::size_t& budget, bool& certain) const;

  const SourceDefinition& source_;
  std::unordered_set<std::string_view> known_;  // series keys the source's indicators read
  std::map<std::string, std::int64_t> unknown_;  // key -> rows delivered
  // Known keys by their case- and space-folded form, made when first needed.
  mutable std::unordered_map<std::string, std::string_view> by_folded_;
  // The known keys sorted, for edit-distance suggestions, made when first needed.
  mutable std::vector<std::string> candidates_;
};

/// Moves the "series_metadata" records (vitals::kSeriesMetadataRecord) out of
/// `records` and appends a "data.metadata_mismatch" warning, located where the
/// record was read, for each of its title, polarity and unit that contradicts
/// the catalogue's definition of an indicator of `source` reading that series
/// (titles compared ignoring case and runs of spaces). The data is still used:
/// the catalogue is what reports show.
void check_series_metadata(const Catalogue& catalogue, const SourceDefinition& source,
                           std::vector<Record>& records, std::vector<Diagnostic>& diagnostics);

}  // namespace vitals::detail
