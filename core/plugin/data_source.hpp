// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <vitals/diagnostic.hpp>
#include <vitals/observation.hpp>
#include <vitals/records.hpp>
#include <vitals/status.hpp>

#include <cstddef>
#include <functional>
#include <vector>

namespace vitals::detail {

/// What one fetch delivered.
struct FetchOutput {
  std::vector<Series> series;  // in the order the source pushed them; observations as pushed
  std::vector<Record> records;  // budget lines, savings, risks (ABI 1.1), in the order pushed
  std::vector<Diagnostic>
      diagnostics;  // located problems (bad rows etc.), warnings, plugin log errors
  /// The distinct series keys delivered (a streamed fetch leaves `series` empty).
  std::size_t series_count = 0;
};

/// Receives a streamed fetch's series, a batch at a time: each key at most
/// once per batch, a series continuing in later batches, observations in the
/// order pushed. May move from the batch. A non-OK Status stops the fetch.
using SeriesBatchWriter = std::function<Status(std::vector<Series>&& batch)>;

/// Observations per batch of a streamed fetch unless the caller says otherwise.
inline constexpr std::size_t kDefaultBatchPoints = std::size_t{1} << 16;

/// A configured data source instance. Implemented by plugin-backed sources,
/// and by in-process fakes in tests.
/// Thread safety: one instance is never used from two threads at once.
class DataSource {
 public:
  virtual ~DataSource() = default;
  /// Fetches everything the source holds. Returns an error Status if the fetch failed; located
  /// problems (bad rows, with file/row/column) are error Diagnostics in `out` AND make the Status
  /// an error (kParseError for bad data), so the caller stores nothing from a source with a bad
  /// row.
  virtual Status fetch(FetchOutput& out) = 0;

  /// As fetch(), but the series go to `write` in batches of about
  /// `batch_points` observations while the source is read, instead of into
  /// out.series, so memory is bounded by a batch rather than the source.
  /// Records and diagnostics still go to `out`. Batches are written only
  /// while the data has no error so far; an error found later (a bad row at
  /// the end of a file) still fails the fetch, so the caller must hold what
  /// `write` stored provisionally (one transaction) and keep it only when
  /// this returns OK. When `write` fails, the fetch stops and its Status is
  /// returned as it is. The default implementation fetches everything, then
  /// writes it in batches.
  virtual Status fetch_streamed(FetchOutput& out, const SeriesBatchWriter& write,
                                std::size_t batch_points = kDefaultBatchPoints);

  /// Releases the source now instead of at destruction, appending what went
  /// wrong to `diagnostics`. The default does nothing.
  virtual void close(std::vector<Diagnostic>& diagnostics) { (void)diagnostics; }
};

}  // namespace vitals::detail
