// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <vitals/diagnostic.hpp>
#include <vitals/observation.hpp>
#include <vitals/records.hpp>
#include <vitals/status.hpp>

#include <vector>

namespace vitals::detail {

/// What one fetch delivered.
struct FetchOutput {
  std::vector<Series> series;  // in the order the source pushed them; observations as pushed
  std::vector<Record> records;  // budget lines, savings, risks (ABI 1.1), in the order pushed
  std::vector<Diagnostic>
      diagnostics;  // located problems (bad rows etc.), warnings, plugin log errors
};

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
};

}  // namespace vitals::detail
